#include <weaklink/simulator/simulator.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

namespace weaklink
{
  using namespace dealii;

  /** FE values and point states reused over the cells of one assembly. */
  template <int dim> struct Simulator<dim>::AssemblyScratch
  {
    AssemblyScratch(const FiniteElement<dim> &fe)
        : cell_quadrature(fe.degree + 1)
        , face_quadrature(fe.degree + 1)
        , fe_values(fe, cell_quadrature,
                    update_values | update_gradients | update_quadrature_points | update_JxW_values)
        , fe_face_values(fe, face_quadrature,
                         update_values | update_gradients | update_quadrature_points |
                             update_JxW_values | update_normal_vectors)
    {
    }

    QGauss<dim>       cell_quadrature;
    QGauss<dim - 1>   face_quadrature;
    FEValues<dim>     fe_values;
    FEFaceValues<dim> fe_face_values;
    PointState<dim>   cell_state, face_state;
  };

  namespace
  {
    /** Values and gradients of every component at the quadrature points, from local DoF values. */
    template <int dim, typename FEValuesType>
    void evaluate_state(const FEValuesType &fe_values, const Vector<double> &local_values,
                        const Vector<double> &old_local_values, const unsigned int n_components,
                        PointState<dim> &state)
    {
      const unsigned int n_q = fe_values.n_quadrature_points;
      state.values.assign(n_q, Vector<double>(n_components));
      state.old_values.assign(n_q, Vector<double>(n_components));
      state.gradients.assign(n_q, std::vector<Tensor<1, dim>>(n_components));
      const auto &fe = fe_values.get_fe();
      for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
        {
          const unsigned int c = fe.system_to_component_index(i).first;
          for (unsigned int q = 0; q < n_q; ++q)
            {
              const double shape = fe_values.shape_value(i, q);
              state.values[q][c] += local_values[i] * shape;
              state.old_values[q][c] += old_local_values[i] * shape;
              state.gradients[q][c] += local_values[i] * fe_values.shape_grad(i, q);
            }
        }
    }
  } // namespace

  template <int dim>
  void Simulator<dim>::local_system(const typename DoFHandler<dim>::active_cell_iterator &cell,
                                    const Vector<double> &local_values,
                                    const Vector<double> &old_local_values, const double at_time,
                                    const double step_size, AssemblyScratch &scratch,
                                    LocalSystem &local) const
  {
    const unsigned int n_dofs = fe->n_dofs_per_cell();
    local.residual.reinit(n_dofs);
    if (local.assemble_matrix)
      local.matrix.reinit(n_dofs, n_dofs);

    scratch.fe_values.reinit(cell);
    auto &state = scratch.cell_state;
    evaluate_state(scratch.fe_values, local_values, old_local_values, fe->n_components(), state);
    material->evaluate_in_cell(scratch.fe_values.get_quadrature_points(), cell->material_id(),
                               state.material);
    state.time      = at_time;
    state.time_step = step_size;
    for (const auto &module : modules)
      module->assemble_cell(scratch.fe_values, state, local);

    for (const auto face_no : cell->face_indices())
      if (cell->face(face_no)->at_boundary())
        {
          scratch.fe_face_values.reinit(cell, face_no);
          auto &face_state = scratch.face_state;
          evaluate_state(scratch.fe_face_values, local_values, old_local_values, fe->n_components(),
                         face_state);
          material->evaluate_in_cell(scratch.fe_face_values.get_quadrature_points(),
                                     cell->material_id(), face_state.material);
          face_state.time      = at_time;
          face_state.time_step = step_size;
          for (const auto &module : modules)
            module->assemble_boundary_face(scratch.fe_face_values,
                                           cell->face(face_no)->boundary_id(), face_state, local);
        }
  }

  template <int dim>
  void
  Simulator<dim>::compute_local_system(const typename DoFHandler<dim>::active_cell_iterator &cell,
                                       const Vector<double> &local_values,
                                       const Vector<double> &old_local_values, const double at_time,
                                       const double step_size, LocalSystem &local) const
  {
    AssemblyScratch scratch(*fe);
    local_system(cell, local_values, old_local_values, at_time, step_size, scratch, local);
  }

  template <int dim>
  void Simulator<dim>::assemble(const BlockVector &current, const double at_time,
                                const double step_size, const bool with_matrix)
  {
    TimerOutput::Scope scope(timer, with_matrix ? "assemble Jacobian" : "assemble residual");
    if (with_matrix)
      system_matrix = 0;
    residual = 0;

    AssemblyScratch scratch(*fe);
    LocalSystem     local;
    local.assemble_matrix                       = with_matrix;
    local.staggered                             = staggered_jacobian;
    const unsigned int                   n_dofs = fe->n_dofs_per_cell();
    Vector<double>                       local_values(n_dofs), old_local_values(n_dofs);
    std::vector<types::global_dof_index> dof_indices(n_dofs);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_values(current, local_values);
          cell->get_dof_values(old_solution, old_local_values);
          local_system(cell, local_values, old_local_values, at_time, step_size, scratch, local);
          cell->get_dof_indices(dof_indices);
          if (with_matrix)
            newton_constraints.distribute_local_to_global(local.matrix, local.residual, dof_indices,
                                                          system_matrix, residual);
          else
            base_newton_constraints.distribute_local_to_global(local.residual, dof_indices,
                                                               residual);
        }
    if (with_matrix)
      system_matrix.compress(VectorOperation::add);
    residual.compress(VectorOperation::add);
  }

  template class Simulator<2>;
  template class Simulator<3>;
} // namespace weaklink
