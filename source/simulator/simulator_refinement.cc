#include <weaklink/mesh/fixed_fraction_marking.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/numerics/error_estimator.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /**
     * True when the phase or a material property varies across the cell's
     * vertices and centre, or when a face neighbour carries another mesh tag (phases from
     * Gmsh tags change only across cell faces).
     */
    template <int dim>
    bool straddles_material_interface(const typename Triangulation<dim>::active_cell_iterator &cell,
                                      const MaterialField<dim> &material)
    {
      for (const auto f : cell->face_indices())
        if (!cell->at_boundary(f) && cell->neighbor(f)->material_id() != cell->material_id())
          return true;
      std::vector<Point<dim>> points;
      for (const auto v : cell->vertex_indices())
        points.push_back(cell->center() + 0.999 * (cell->vertex(v) - cell->center()));
      points.push_back(cell->center());
      MaterialPointData data;
      material.evaluate_in_cell(points, cell->material_id(), data);
      const auto varies = [](const std::vector<double> &values) {
        const auto [low, high] = std::minmax_element(values.begin(), values.end());
        return *high - *low > 1e-9 * std::abs(*high);
      };
      return std::adjacent_find(data.phase.begin(), data.phase.end(), std::not_equal_to<>()) !=
                 data.phase.end() ||
             varies(data.ionic_conductivity) || varies(data.electronic_conductivity) ||
             varies(data.deposition_area_density) || varies(data.youngs_modulus) ||
             varies(data.fracture_energy);
    }

    /**
     * Flags for refinement exactly the locally owned cells below @p max_level
     * that @p needed asks for; returns how many cells all ranks flagged.
     */
    template <int dim, typename Needed>
    unsigned int flag_cells_to_refine(Triangulation<dim> &triangulation,
                                      const unsigned int max_level, const Needed &needed,
                                      const MPI_Comm communicator)
    {
      unsigned int n_flagged = 0;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->clear_coarsen_flag();
            cell->clear_refine_flag();
            if (static_cast<unsigned int>(cell->level()) < max_level && needed(cell))
              {
                cell->set_refine_flag();
                ++n_flagged;
              }
          }
      return Utilities::MPI::sum(n_flagged, communicator);
    }
  } // namespace

  template <int dim> void Simulator<dim>::adapt_mesh()
  {
    TimerOutput::Scope scope(timer, "adapt mesh");
    const auto        &rp = parameters.refinement;
    Vector<float>      indicator(triangulation.n_active_cells());

    if (rp.use_error_estimator)
      {
        // Sum of the Kelly estimates of every component, each normalised by
        // its global maximum so that fields of different units weigh alike.
        for (unsigned int c = 0; c < fe->n_components(); ++c)
          {
            Vector<float> estimate(triangulation.n_active_cells());
            ComponentMask mask(fe->n_components(), false);
            mask.set(c, true);
            KellyErrorEstimator<dim>::estimate(
                dof_handler, QGauss<dim - 1>(fe->degree + 1), {}, solution, estimate, mask, nullptr,
                numbers::invalid_unsigned_int, triangulation.locally_owned_subdomain());
            const double largest =
                Utilities::MPI::max(static_cast<double>(estimate.linfty_norm()), mpi_communicator);
            if (largest > 0)
              indicator.add(1.0 / largest, estimate);
          }
        mark_fixed_fraction(triangulation, indicator, rp.refine_fraction, rp.coarsen_fraction);
      }
    Vector<float> must_refine(triangulation.n_active_cells());
    for (const auto &module : modules)
      module->mark_refinement_targets(solution, must_refine);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          // Coarsening a crack zone would lose damage the irreversibility keeps.
          if (must_refine[cell->active_cell_index()] > 0)
            cell->clear_coarsen_flag();
          if (always_refined(cell))
            {
              cell->clear_coarsen_flag();
              cell->set_refine_flag();
            }
          if (static_cast<unsigned int>(cell->level()) >= rp.max_level)
            cell->clear_refine_flag();
          if (static_cast<unsigned int>(cell->level()) <= rp.min_level)
            cell->clear_coarsen_flag();
        }

    refine_and_transfer();
  }

  template <int dim> void Simulator<dim>::refine_and_transfer()
  {
    parallel::distributed::SolutionTransfer<dim, BlockVector> transfer(dof_handler);
    std::vector<const BlockVector *>                          old_vectors{&solution, &old_solution};
    triangulation.prepare_coarsening_and_refinement();
    transfer.prepare_for_coarsening_and_refinement(old_vectors);
    triangulation.execute_coarsening_and_refinement();

    setup_dofs();
    BlockVector                new_solution(owned_partitioning, mpi_communicator);
    BlockVector                new_old_solution(owned_partitioning, mpi_communicator);
    std::vector<BlockVector *> new_vectors{&new_solution, &new_old_solution};
    transfer.interpolate(new_vectors);
    constraints.distribute(new_solution);
    constraints.distribute(new_old_solution);
    solution     = new_solution;
    old_solution = new_old_solution;
  }

  template <int dim>
  bool Simulator<dim>::always_refined(
      const typename Triangulation<dim>::active_cell_iterator &cell) const
  {
    if (parameters.refinement.refine_material_jumps &&
        straddles_material_interface<dim>(cell, *material))
      return true;
    for (const auto v : cell->vertex_indices())
      if (refinement_region->value(cell->vertex(v)) > 0)
        return true;
    return refinement_region->value(cell->center()) > 0;
  }

  template <int dim> bool Simulator<dim>::refine_mesh_to_geometry()
  {
    const auto needed = [&](const auto &cell) { return always_refined(cell); };
    if (flag_cells_to_refine(triangulation, parameters.refinement.max_level, needed,
                             mpi_communicator) == 0)
      return false;
    TimerOutput::Scope scope(timer, "adapt mesh");
    triangulation.execute_coarsening_and_refinement();
    return true;
  }

  template <int dim> bool Simulator<dim>::refine_to_targets(const bool initial_mesh)
  {
    Vector<float> must_refine(triangulation.n_active_cells());
    for (const auto &module : modules)
      module->mark_refinement_targets(solution, must_refine);
    const auto needed = [&](const auto &cell) {
      return must_refine[cell->active_cell_index()] > 0 || (initial_mesh && always_refined(cell));
    };
    if (flag_cells_to_refine(triangulation, parameters.refinement.max_level, needed,
                             mpi_communicator) == 0)
      return false;
    TimerOutput::Scope scope(timer, "adapt mesh");
    refine_and_transfer();
    return true;
  }

  template class Simulator<2>;
  template class Simulator<3>;
} // namespace weaklink
