#include <weaklink/material/material_field.h>
#include <weaklink/physics/coupled_quantities.h>
#include <weaklink/physics/crack_aperture.h>

#include <deal.II/base/mpi_remote_point_evaluation.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>

#include <cmath>

namespace weaklink
{
  using namespace dealii;

  template <int dim>
  Vector<float> crack_apertures(const DoFHandler<dim>                    &dof_handler,
                                const TrilinosWrappers::MPI::BlockVector &solution,
                                const MaterialField<dim> &material, const CouplingLaws<dim> &laws,
                                const double band_width, const double damage_threshold)
  {
    const auto        &triangulation = dof_handler.get_triangulation();
    const auto        &fe            = dof_handler.get_fe();
    const unsigned int damage        = laws.damage_component();
    const unsigned int displacement  = laws.displacement_component();

    // The opening density per cell (its mean), and where to integrate it.
    Vector<double> density(triangulation.n_active_cells());
    Vector<float>  aperture(triangulation.n_active_cells());
    aperture = -1; // not in a crack band, unless found below
    std::vector<Point<dim>>   samples;
    std::vector<unsigned int> crack_cell_indices; ///< active_cell_index of each crack cell
    std::vector<unsigned int> samples_per_cell;   ///< [crack cell]
    std::vector<double>       sample_weights;     ///< [sample]: length × share of its direction
    // Below a crack's opening strain (w/b ≳ 1e-3) by two decades, about the
    // elastic strain of 1 MPa: it blends the directions of cells in
    // compression or barely strained, whose own density is nil anyway.
    const double strain_floor = 1e-5;

    const QGauss<dim>                        quadrature(fe.degree + 1);
    FEValues<dim>                            fe_values(fe, quadrature,
                                                       update_gradients | update_quadrature_points | update_JxW_values);
    const QMidpoint<dim>                     centre_rule;
    FEValues<dim>                            centre_values(fe, centre_rule, update_gradients);
    std::vector<std::vector<Tensor<1, dim>>> gradients(
        quadrature.size(), std::vector<Tensor<1, dim>>(fe.n_components()));
    std::vector<std::vector<Tensor<1, dim>>> centre_gradients(
        1, std::vector<Tensor<1, dim>>(fe.n_components()));
    MaterialPointData material_data;
    Vector<double>    nodal(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          // Most cells are far from any crack: their nodal damage says so.
          cell->get_dof_values(solution, nodal);
          double nodal_damage = 0, n_nodes = 0;
          for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
            if (fe.system_to_component_index(i).first == damage)
              {
                nodal_damage += nodal[i];
                n_nodes += 1;
              }
          if (nodal_damage < damage_threshold * n_nodes)
            continue;
          fe_values.reinit(cell);
          fe_values.get_function_gradients(solution, gradients);
          material.evaluate_in_cell(fe_values.get_quadrature_points(), cell->material_id(),
                                    material_data);
          double integral = 0, volume = 0;
          bool   pore = true;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            {
              double strain_trace = 0;
              for (unsigned int i = 0; i < dim; ++i)
                strain_trace += gradients[q][displacement + i][i];
              integral += laws.crack_opening_density(material_data.phase[q], strain_trace) *
                          fe_values.JxW(q);
              volume += fe_values.JxW(q);
              pore = pore && laws.is_pore(material_data.phase[q]);
            }
          if (pore)
            continue;
          density[cell->active_cell_index()] = integral / volume;

          // The crack opens along its normal, the direction of the largest
          // principal strain. Where two principal strains come close (no
          // crack dominates the cell) that direction jumps, and with it the
          // aperture, by orders of magnitude if one of them crosses the
          // band: the integrals along every principal direction are
          // weighted by its share of the tensile strain instead, so the
          // aperture is continuous in the state. The floor keeps the
          // weights defined where nothing is in tension.
          centre_values.reinit(cell);
          centre_values.get_function_gradients(solution, centre_gradients);
          Tensor<2, dim> displacement_gradient;
          for (unsigned int i = 0; i < dim; ++i)
            displacement_gradient[i] = centre_gradients[0][displacement + i];
          const auto principal = eigenvectors(symmetrize(displacement_gradient));
          double     total     = 0;
          for (const auto &[strain, direction] : principal)
            total += std::max(strain, 0.0) + strain_floor;

          // Samples a quarter of the cell's size apart, symmetric about its
          // centre: on cells of that size along the line, four in each, never
          // on a face, so the integral of the cell-wise density is exact.
          const double       step = 0.25 * cell->minimum_vertex_distance();
          const unsigned int half =
              static_cast<unsigned int>(std::ceil(0.5 * band_width / step - 1e-9));
          for (const auto &[strain, direction] : principal)
            {
              const double weight = (std::max(strain, 0.0) + strain_floor) / total;
              for (unsigned int k = 0; k < 2 * half; ++k)
                {
                  samples.push_back(cell->center() + ((k + 0.5) * step - half * step) * direction);
                  sample_weights.push_back(weight * step);
                }
            }
          crack_cell_indices.push_back(cell->active_cell_index());
          samples_per_cell.push_back(2 * half * dim);
        }

    // Without a crack anywhere, no search structure over the whole mesh.
    if (Utilities::MPI::sum(samples.size(), triangulation.get_communicator()) == 0)
      return aperture;

    // The density at every sample, wherever (on whichever rank) it lies.
    Utilities::MPI::RemotePointEvaluation<dim> evaluation;
    evaluation.reinit(samples, triangulation, StaticMappingQ1<dim>::mapping);
    std::vector<double> found, buffer;
    evaluation.template evaluate_and_process<double>(
        found, buffer,
        [&](const ArrayView<double>                                             &out,
            const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData &cells) {
          for (unsigned int c = 0; c < cells.cells.size(); ++c)
            {
              const typename Triangulation<dim>::active_cell_iterator cell(
                  &triangulation, cells.cells[c].first, cells.cells[c].second);
              for (unsigned int j = cells.reference_point_ptrs[c];
                   j < cells.reference_point_ptrs[c + 1]; ++j)
                out[j] = density[cell->active_cell_index()];
            }
        });
    // A sample on a face or vertex is found in every cell that shares it
    // (their mean); one outside the domain in none (no crack there).
    const auto &found_ptrs = evaluation.get_point_ptrs();
    const auto  density_at = [&](const unsigned int sample) {
      if (evaluation.is_map_unique())
        return found[sample];
      const unsigned int first = found_ptrs[sample], last = found_ptrs[sample + 1];
      double             sum = 0;
      for (unsigned int j = first; j < last; ++j)
        sum += found[j];
      return last > first ? sum / (last - first) : 0.0;
    };
    unsigned int sample = 0;
    for (unsigned int c = 0; c < crack_cell_indices.size(); ++c)
      {
        double opening = 0;
        for (unsigned int k = 0; k < samples_per_cell[c]; ++k, ++sample)
          opening += density_at(sample) * sample_weights[sample];
        aperture[crack_cell_indices[c]] = opening;
      }
    return aperture;
  }

  template Vector<float> crack_apertures(const DoFHandler<2> &,
                                         const TrilinosWrappers::MPI::BlockVector &,
                                         const MaterialField<2> &, const CouplingLaws<2> &,
                                         const double, const double);
  template Vector<float> crack_apertures(const DoFHandler<3> &,
                                         const TrilinosWrappers::MPI::BlockVector &,
                                         const MaterialField<3> &, const CouplingLaws<3> &,
                                         const double, const double);
} // namespace weaklink
