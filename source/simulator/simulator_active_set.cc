#include <weaklink/core/input_error.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <cmath>

namespace weaklink
{
  using namespace dealii;

  template <int dim> void Simulator<dim>::setup_bounded_dofs()
  {
    std::vector<LowerBound> component_bound(fields.n_components, LowerBound::none);
    for (const auto &field : fields.fields)
      for (unsigned int c = 0; c < field.n_components; ++c)
        component_bound[field.first_component + c] = field.bound;
    has_bounded_fields = false;
    for (const auto bound : component_bound)
      has_bounded_fields |= bound != LowerBound::none;
    bounded_owned_dofs.clear();
    bounded_relevant_dofs.clear();
    if (!has_bounded_fields)
      return;

    // Weight of the complementarity: the lumped mass m_i = ∫ φ_i times the
    // residual per unit mass and unit gap of the field's scaled rows.
    bound_weight.reinit(owned_partitioning, mpi_communicator);
    bound_follows_previous.reinit(owned_partitioning, mpi_communicator);
    const QGauss<dim> quadrature(fe->degree + 1);
    FEValues<dim>     fe_values(*fe, quadrature, update_values | update_JxW_values);
    std::vector<types::global_dof_index> dof_indices(fe->n_dofs_per_cell());
    Vector<double>                       cell_weight(fe->n_dofs_per_cell());
    const IndexSet                       owned = dof_handler.locally_owned_dofs();
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial())
        {
          cell->get_dof_indices(dof_indices);
          for (unsigned int i = 0; i < fe->n_dofs_per_cell(); ++i)
            {
              const unsigned int c = fe->system_to_component_index(i).first;
              if (component_bound[c] == LowerBound::none ||
                  base_newton_constraints.is_constrained(dof_indices[i]))
                continue;
              bounded_relevant_dofs.push_back(dof_indices[i]);
              if (owned.is_element(dof_indices[i]))
                {
                  bounded_owned_dofs.push_back(dof_indices[i]);
                  bound_follows_previous(dof_indices[i]) =
                      component_bound[c] == LowerBound::nondecreasing ? 1 : 0;
                }
            }
          if (!cell->is_locally_owned())
            continue;
          fe_values.reinit(cell);
          cell_weight = 0;
          for (unsigned int i = 0; i < fe->n_dofs_per_cell(); ++i)
            {
              const unsigned int c = fe->system_to_component_index(i).first;
              if (component_bound[c] != LowerBound::none)
                for (unsigned int q = 0; q < quadrature.size(); ++q)
                  cell_weight[i] += component_row_scales[c] * component_bound_stiffness[c] *
                                    fe_values.shape_value(i, q) * fe_values.JxW(q);
            }
          constraints.distribute_local_to_global(cell_weight, dof_indices, bound_weight);
        }
    bound_weight.compress(VectorOperation::add);
    bound_follows_previous.compress(VectorOperation::insert);
    for (auto *list : {&bounded_owned_dofs, &bounded_relevant_dofs})
      {
        std::sort(list->begin(), list->end());
        list->erase(std::unique(list->begin(), list->end()), list->end());
      }
  }

  template <int dim> double Simulator<dim>::lower_bound(const types::global_dof_index i) const
  {
    return bound_follows_previous(i) > 0.5 ? old_solution(i) : 0.0;
  }

  template <int dim>
  bool Simulator<dim>::belongs_on_bound(const types::global_dof_index i,
                                        const BlockVector            &iterate) const
  {
    // Where the multiplier and the gap both vanish (a point whose damage just
    // stops growing) either state is a solution; a DoF only changes state when
    // it clearly must, beyond `hysteresis` of its weight, or the set flips
    // forever. Below its bound, though, a DoF is taken onto it whenever its
    // multiplier allows: left there, it would keep the merit above any
    // tolerance.
    const double hysteresis = 1e-8;
    const double mass       = bound_weight(i);
    const double gap        = lower_bound(i) - iterate(i);
    const double indicator  = residual(i) + mass * gap;
    if (std::binary_search(active_dofs.begin(), active_dofs.end(), i))
      return active_set_frozen || indicator > -hysteresis * mass;
    return indicator > (gap > 0 ? 0.0 : hysteresis * mass);
  }

  template <int dim> double Simulator<dim>::complementarity_merit(const BlockVector &iterate) const
  {
    if (!has_bounded_fields)
      return merit_norm(residual);
    // The semismooth residual of complementarity: R_i where the DoF is free,
    // its weighted distance to the bound where it belongs there. Judged by
    // the set each point implies itself, a step that merely trades one
    // active set for another is no decrease.
    BlockVector complementarity(residual);
    for (const auto i : bounded_owned_dofs)
      if (belongs_on_bound(i, iterate))
        complementarity(i) = bound_weight(i) * (iterate(i) - lower_bound(i));
    complementarity.compress(VectorOperation::insert);
    return merit_norm(complementarity);
  }

  template <int dim>
  bool Simulator<dim>::update_active_set(BlockVector &current, const unsigned int newton_iteration)
  {
    BlockVector flags(owned_partitioning, mpi_communicator);
    double      signature = 0, n_active = 0, held = 0;
    for (const auto i : bounded_owned_dofs)
      {
        const bool   active    = belongs_on_bound(i, current);
        const double mass      = bound_weight(i);
        const double indicator = residual(i) + mass * (lower_bound(i) - current(i));
        if (active && indicator < 0)
          held = std::max(held, -indicator / mass);
        if (active)
          {
            flags(i) = 1;
            signature += static_cast<double>((i * 2654435761ULL) % 1000000007ULL);
            ++n_active;
          }
      }
    flags.compress(VectorOperation::insert);
    held_against_multiplier = Utilities::MPI::max(held, mpi_communicator);
    signature               = Utilities::MPI::sum(signature, mpi_communicator) +
                1e12 * Utilities::MPI::sum(n_active, mpi_communicator);

    // The same set as two or more iterations ago, but not the last: the set
    // cycles. From now on it may only grow, which ends the cycle.
    const bool changed = active_set_signatures.empty() || signature != active_set_signatures.back();
    if (changed && !active_set_frozen &&
        std::find(active_set_signatures.begin(), active_set_signatures.end(), signature) !=
            active_set_signatures.end())
      {
        active_set_frozen = true;
        pcout << "  active set of the lower bounds cycles at Newton iteration " << newton_iteration
              << "; from now on it only grows" << std::endl;
      }
    active_set_signatures.push_back(signature);

    BlockVector ghosted_flags(owned_partitioning, relevant_partitioning, mpi_communicator);
    ghosted_flags = flags;
    active_dofs.clear();
    for (const auto i : bounded_relevant_dofs)
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
    for (const auto i : bounded_owned_dofs)
      if (flags(i) > 0.5 && current(i) != lower_bound(i))
        {
          current(i) = lower_bound(i);
          ++n_moved;
        }
    current.compress(VectorOperation::insert);
    active_set_moved_values = Utilities::MPI::sum(n_moved, mpi_communicator) > 0;
    return changed;
  }

  namespace
  {
    /** How far, in units of its bound's gap, a held DoF may want off its bound in a solution. */
    constexpr double       allowed_bound_move   = 1e-4;
    constexpr unsigned int max_active_set_thaws = 3;
  } // namespace

  template <int dim> bool Simulator<dim>::thaw_active_set()
  {
    if (!active_set_frozen || held_against_multiplier <= allowed_bound_move ||
        active_set_thaws == max_active_set_thaws)
      return false;
    ++active_set_thaws;
    active_set_frozen = false;
    active_set_signatures.clear();
    pcout << "  the frozen active set holds a DoF that would move " << held_against_multiplier
          << " off its bound; thawed (" << active_set_thaws << " of " << max_active_set_thaws << ")"
          << std::endl;
    return true;
  }

  template <int dim> void Simulator<dim>::check_bound_multipliers() const
  {
    // A frozen active set ends cycling, but may hold a DoF on its bound that
    // the solution wants off it (lithium drained to c = 0): not a solution.
    if (has_bounded_fields && held_against_multiplier > allowed_bound_move)
      throw StepFailure("the frozen active set holds a bounded DoF that would move " +
                        three_digits(held_against_multiplier) +
                        " off its bound (the bound's multiplier has the wrong sign)");
  }

  template <int dim> void Simulator<dim>::remove_active_rows(BlockVector &vector) const
  {
    if (!has_bounded_fields)
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
