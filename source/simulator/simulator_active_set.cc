#include <weaklink/simulator/simulator.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <cmath>

namespace weaklink
{
  using namespace dealii;

  template <int dim> void Simulator<dim>::setup_nondecreasing_dofs()
  {
    std::vector<bool> nondecreasing_component;
    for (const auto &module : modules)
      for (const auto &field : module->fields())
        nondecreasing_component.insert(nondecreasing_component.end(), field.n_components,
                                       field.nondecreasing);
    has_nondecreasing_fields =
        std::find(nondecreasing_component.begin(), nondecreasing_component.end(), true) !=
        nondecreasing_component.end();
    nondecreasing_owned_dofs.clear();
    nondecreasing_relevant_dofs.clear();
    if (!has_nondecreasing_fields)
      return;

    // Lumped mass m_i = ∫ φ_i, the weight of the complementarity constant.
    nondecreasing_lumped_mass.reinit(owned_partitioning, mpi_communicator);
    const QGauss<dim> quadrature(fe->degree + 1);
    FEValues<dim>     fe_values(*fe, quadrature, update_values | update_JxW_values);
    std::vector<types::global_dof_index> dof_indices(fe->n_dofs_per_cell());
    Vector<double>                       cell_mass(fe->n_dofs_per_cell());
    const IndexSet                       owned = dof_handler.locally_owned_dofs();
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial())
        {
          cell->get_dof_indices(dof_indices);
          for (unsigned int i = 0; i < fe->n_dofs_per_cell(); ++i)
            if (nondecreasing_component[fe->system_to_component_index(i).first] &&
                !base_newton_constraints.is_constrained(dof_indices[i]))
              {
                nondecreasing_relevant_dofs.push_back(dof_indices[i]);
                if (owned.is_element(dof_indices[i]))
                  nondecreasing_owned_dofs.push_back(dof_indices[i]);
              }
          if (!cell->is_locally_owned())
            continue;
          fe_values.reinit(cell);
          cell_mass = 0;
          for (unsigned int i = 0; i < fe->n_dofs_per_cell(); ++i)
            if (nondecreasing_component[fe->system_to_component_index(i).first])
              for (unsigned int q = 0; q < quadrature.size(); ++q)
                cell_mass[i] += fe_values.shape_value(i, q) * fe_values.JxW(q);
          constraints.distribute_local_to_global(cell_mass, dof_indices, nondecreasing_lumped_mass);
        }
    nondecreasing_lumped_mass.compress(VectorOperation::add);
    for (auto *list : {&nondecreasing_owned_dofs, &nondecreasing_relevant_dofs})
      {
        std::sort(list->begin(), list->end());
        list->erase(std::unique(list->begin(), list->end()), list->end());
      }
  }

  template <int dim>
  bool Simulator<dim>::update_active_set(BlockVector &current, const unsigned int newton_iteration)
  {
    // Complementarity constant c: residual rows are of order m_i, so c = 1.
    // Where the multiplier and the gap both vanish (a point whose damage just
    // stops growing) either state is a solution; a DoF only changes state when
    // it clearly must, beyond `hysteresis` m_i, or the set flips forever.
    const double complementarity = 1.0, hysteresis = 1e-8;
    BlockVector  flags(owned_partitioning, mpi_communicator);
    double       signature = 0, n_active = 0;
    for (const auto i : nondecreasing_owned_dofs)
      {
        const bool   was_active = std::binary_search(active_dofs.begin(), active_dofs.end(), i);
        const double multiplier = residual(i);
        const double gap        = old_solution(i) - current(i);
        const double mass       = nondecreasing_lumped_mass(i);
        const double indicator  = multiplier + complementarity * mass * gap;
        const bool   active     = was_active ? (active_set_frozen || indicator > -hysteresis * mass)
                                             : indicator > hysteresis * mass;
        if (active)
          {
            flags(i) = 1;
            signature += static_cast<double>((i * 2654435761ULL) % 1000000007ULL);
            ++n_active;
          }
      }
    flags.compress(VectorOperation::insert);
    signature = Utilities::MPI::sum(signature, mpi_communicator) +
                1e12 * Utilities::MPI::sum(n_active, mpi_communicator);

    // The same set as two or more iterations ago, but not the last: the set
    // cycles. From now on it may only grow, which ends the cycle.
    const bool changed = active_set_signatures.empty() || signature != active_set_signatures.back();
    if (changed && !active_set_frozen &&
        std::find(active_set_signatures.begin(), active_set_signatures.end(), signature) !=
            active_set_signatures.end())
      {
        active_set_frozen = true;
        pcout << "  active set of the damage bound cycles at Newton iteration " << newton_iteration
              << "; from now on it only grows" << std::endl;
      }
    active_set_signatures.push_back(signature);

    BlockVector ghosted_flags(owned_partitioning, relevant_partitioning, mpi_communicator);
    ghosted_flags = flags;
    active_dofs.clear();
    for (const auto i : nondecreasing_relevant_dofs)
      if (ghosted_flags(i) > 0.5)
        active_dofs.push_back(i);

    newton_constraints.clear();
    newton_constraints.reinit(base_newton_constraints.get_local_lines());
    for (const auto &line : base_newton_constraints.get_lines())
      {
        newton_constraints.add_line(line.index);
        newton_constraints.add_entries(line.index, line.entries);
      }
    for (const auto i : active_dofs)
      newton_constraints.add_line(i);
    newton_constraints.close();

    // Active DoFs sit on their bound.
    unsigned int n_moved = 0;
    for (const auto i : nondecreasing_owned_dofs)
      if (flags(i) > 0.5 && current(i) != old_solution(i))
        {
          current(i) = old_solution(i);
          ++n_moved;
        }
    current.compress(VectorOperation::insert);
    active_set_moved_values = Utilities::MPI::sum(n_moved, mpi_communicator) > 0;
    return changed;
  }

  template <int dim> void Simulator<dim>::remove_active_rows(BlockVector &vector) const
  {
    if (!has_nondecreasing_fields)
      return;
    const IndexSet owned = dof_handler.locally_owned_dofs();
    for (const auto i : active_dofs)
      if (owned.is_element(i))
        vector(i) = 0;
    vector.compress(VectorOperation::insert);
  }

  template class Simulator<2>;
  template class Simulator<3>;
} // namespace weaklink
