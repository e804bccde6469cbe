#include <weaklink/simulator/simulator.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

namespace weaklink
{
  using namespace dealii;

  /** FE values and point states reused over the cells of one assembly. */
  template <int dim> struct Simulator<dim>::AssemblyScratch
  {
    explicit AssemblyScratch(const FiniteElement<dim> &fe)
        : cell_quadrature(fe.degree + 1)
        , face_quadrature(fe.degree + 1)
        , node_quadrature(fe.degree + 1)
        , fe_values(fe, cell_quadrature,
                    update_values | update_gradients | update_quadrature_points | update_JxW_values)
        , fe_face_values(fe, face_quadrature,
                         update_values | update_gradients | update_quadrature_points |
                             update_JxW_values | update_normal_vectors)
        , fe_node_values(fe, node_quadrature,
                         update_values | update_gradients | update_quadrature_points |
                             update_JxW_values)
    {
    }

    QGauss<dim>     cell_quadrature;
    QGauss<dim - 1> face_quadrature;
    /**
     * The nodal rule: as many points as the Gauss rule, in the same
     * tensor-product order, each the nearest to its Gauss point.
     */
    QGaussLobatto<dim>                   node_quadrature;
    FEValues<dim>                        fe_values;
    FEFaceValues<dim>                    fe_face_values;
    FEValues<dim>                        fe_node_values;
    MaterialPointData                    cell_material, face_material;
    PointState<dim>                      cell_state, face_state, node_state;
    std::vector<types::global_dof_index> dof_indices;
    std::vector<double>                  row_scales;
  };

  namespace
  {
    /**
     * @p n_points zeroed rows of @p n_components entries, keeping the storage
     * of the last cell: assembly visits every cell once per residual.
     */
    void zero_rows(std::vector<Vector<double>> &rows, const unsigned int n_points,
                   const unsigned int n_components)
    {
      rows.resize(n_points);
      for (auto &row : rows)
        if (row.size() == n_components)
          row = 0;
        else
          row.reinit(n_components);
    }

    template <typename Entry>
    void zero_rows(std::vector<std::vector<Entry>> &rows, const unsigned int n_points,
                   const unsigned int n_entries)
    {
      rows.resize(n_points);
      for (auto &row : rows)
        row.assign(n_entries, Entry());
    }

    /**
     * Values and gradients of every component at the quadrature points, from
     * local DoF values; with a matrix, the shape data of Linearized::derivative.
     */
    template <int dim>
    void evaluate_state(const FEValuesBase<dim> &fe_values, const Vector<double> &local_values,
                        const Vector<double> &old_local_values, const FieldLayout &fields,
                        const bool with_shapes, PointState<dim> &state)
    {
      const unsigned int n_q          = fe_values.n_quadrature_points;
      const unsigned int n_components = fields.n_components;
      zero_rows(state.values, n_q, n_components);
      zero_rows(state.old_values, n_q, n_components);
      zero_rows(state.gradients, n_q, n_components);
      zero_rows(state.old_gradients, n_q, n_components);
      const auto &fe = fe_values.get_fe();
      if (with_shapes)
        zero_rows(state.shapes, n_q, fe.n_dofs_per_cell());
      for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
        {
          const unsigned int c = fe.system_to_component_index(i).first;
          for (unsigned int q = 0; q < n_q; ++q)
            {
              const double          shape      = fe_values.shape_value(i, q);
              const Tensor<1, dim> &shape_grad = fe_values.shape_grad(i, q);
              state.values[q][c] += local_values[i] * shape;
              state.old_values[q][c] += old_local_values[i] * shape;
              state.gradients[q][c] += local_values[i] * shape_grad;
              state.old_gradients[q][c] += old_local_values[i] * shape_grad;
              if (with_shapes)
                {
                  state.shapes[q][i].component = c;
                  state.shapes[q][i].value     = shape;
                  state.shapes[q][i].gradient  = shape_grad;
                }
            }
        }
      if (fields.has("lithium"))
        {
          state.lithium_nodes.reinit(fe_values, local_values, fields.component("lithium"));
          if (with_shapes)
            for (unsigned int q = 0; q < n_q; ++q)
              for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
                state.shapes[q][i].lithium_node = state.lithium_nodes.node_of_dof[i];
        }
    }
  } // namespace

  template <int dim>
  void Simulator<dim>::evaluate_point_state(const FEValuesBase<dim> &fe_values,
                                            const Vector<double>    &local_values,
                                            const Vector<double>    &old_local_values,
                                            const double at_time, const double step_size,
                                            const bool               with_derivatives,
                                            const MaterialPointData &material_at_points,
                                            PointState<dim>         &state) const
  {
    evaluate_state(fe_values, local_values, old_local_values, fields, with_derivatives, state);
    const auto &points = fe_values.get_quadrature_points();
    state.material     = material_at_points;
    state.time         = at_time;
    state.time_step    = step_size;
    state.coupled.resize(points.size());
    for (unsigned int q = 0; q < points.size(); ++q)
      {
        FieldPoint<dim> point_fields;
        point_fields.values        = &state.values[q];
        point_fields.gradients     = &state.gradients[q];
        point_fields.old_values    = &state.old_values[q];
        point_fields.old_gradients = &state.old_gradients[q];
        state.lithium_nodes.attach(q, point_fields);
        coupling->evaluate(points[q], state.material, q, point_fields, at_time, with_derivatives,
                           state.coupled[q]);
      }
  }

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
    cell_materials.get(
        cell->active_cell_index(), triangulation.n_active_cells(),
        scratch.fe_values.n_quadrature_points,
        [&](MaterialPointData &data) {
          material->evaluate_in_cell(scratch.fe_values.get_quadrature_points(), cell->material_id(),
                                     data);
        },
        scratch.cell_material);
    coupling->attach_crack_aperture(cell, scratch.cell_material);
    evaluate_point_state(scratch.fe_values, local_values, old_local_values, at_time, step_size,
                         local.assemble_matrix, scratch.cell_material, scratch.cell_state);
    for (const auto &module : modules)
      module->assemble_cell(scratch.fe_values, scratch.cell_state, local);
    // The nodal rule: the vertices, with the material of their Gauss points.
    if (deposition_at_nodes)
      {
        scratch.fe_node_values.reinit(cell);
        evaluate_point_state(scratch.fe_node_values, local_values, old_local_values, at_time,
                             step_size, local.assemble_matrix, scratch.cell_material,
                             scratch.node_state);
        for (const auto &module : modules)
          module->assemble_cell_at_nodes(scratch.fe_node_values, scratch.node_state, local);
      }

    for (const auto face_no : cell->face_indices())
      if (cell->face(face_no)->at_boundary())
        {
          scratch.fe_face_values.reinit(cell, face_no);
          material->evaluate_in_cell(scratch.fe_face_values.get_quadrature_points(),
                                     cell->material_id(), scratch.face_material);
          evaluate_point_state(scratch.fe_face_values, local_values, old_local_values, at_time,
                               step_size, local.assemble_matrix, scratch.face_material,
                               scratch.face_state);
          for (const auto &module : modules)
            module->assemble_boundary_face(scratch.fe_face_values,
                                           cell->face(face_no)->boundary_id(), scratch.face_state,
                                           local);
        }

    // The framework's row scaling: each field's factor, then what modules
    // adjust for rows that condensation sums.
    scratch.dof_indices.resize(n_dofs);
    cell->get_dof_indices(scratch.dof_indices);
    scratch.row_scales.resize(n_dofs);
    for (unsigned int i = 0; i < n_dofs; ++i)
      scratch.row_scales[i] = component_row_scales[fe->system_to_component_index(i).first];
    for (const auto &module : modules)
      module->adjust_row_scales(scratch.dof_indices, scratch.row_scales);
    for (unsigned int i = 0; i < n_dofs; ++i)
      {
        local.residual(i) *= scratch.row_scales[i];
        if (local.assemble_matrix)
          for (unsigned int k = 0; k < n_dofs; ++k)
            local.matrix(i, k) *= scratch.row_scales[i];
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
