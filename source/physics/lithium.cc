#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/physics/boundary_values.h>
#include <weaklink/physics/lithium.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/numerics/vector_tools.h>

#include <algorithm>
#include <cmath>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /** Filling, pressure, void fraction, flux and the dry-crack indicator for VTU output. */
    template <int dim> class LithiumOutput : public DataPostprocessor<dim>
    {
    public:
      LithiumOutput(const MaterialField<dim> &material, const CouplingLaws<dim> &coupling,
                    const bool with_damage)
          : material(material)
          , coupling(coupling)
          , with_damage(with_damage)
      {
      }

      void evaluate_vector_field(const DataPostprocessorInputs::Vector<dim> &inputs,
                                 std::vector<Vector<double>> &computed) const override
      {
        MaterialPointData              data;
        std::vector<CoupledPoint<dim>> coupled_points;
        coupling.evaluate_output_points(inputs, material, data, coupled_points);
        for (unsigned int q = 0; q < inputs.evaluation_points.size(); ++q)
          {
            const CoupledPoint<dim> &coupled = coupled_points[q];
            computed[q][0]                   = coupled.filling.value;
            computed[q][1]                   = coupled.pressure.value;
            computed[q][2]                   = coupled.void_fraction.value;
            // A dry crack: broken (χ of the damage) and not filled.
            computed[q][3] =
                with_damage ? coupled.void_indicator.value * (1 - coupled.filling.value) : 0.0;
            for (unsigned int d = 0; d < dim; ++d)
              computed[q][4 + d] = coupled.lithium_flux[d].value;
          }
      }

      /** Lithium alone: one FE component, which deal.II hands over as a scalar. */
      void evaluate_scalar_field(const DataPostprocessorInputs::Scalar<dim> &inputs,
                                 std::vector<Vector<double>> &computed) const override
      {
        DataPostprocessorInputs::Vector<dim> vector_inputs;
        vector_inputs.evaluation_points = inputs.evaluation_points;
        vector_inputs.solution_values.assign(inputs.solution_values.size(), Vector<double>(1));
        vector_inputs.solution_gradients.assign(inputs.solution_values.size(),
                                                std::vector<Tensor<1, dim>>(1));
        for (unsigned int q = 0; q < inputs.solution_values.size(); ++q)
          {
            vector_inputs.solution_values[q][0]    = inputs.solution_values[q];
            vector_inputs.solution_gradients[q][0] = inputs.solution_gradients[q];
          }
        vector_inputs.template set_cell<dim>(inputs.template get_cell<dim>());
        evaluate_vector_field(vector_inputs, computed);
      }

      std::vector<std::string> get_names() const override
      {
        std::vector<std::string> names{"filling", "lithium_pressure", "void_fraction", "dry_crack"};
        names.insert(names.end(), dim, "lithium_flux");
        return names;
      }

      std::vector<DataComponentInterpretation::DataComponentInterpretation>
      get_data_component_interpretation() const override
      {
        std::vector<DataComponentInterpretation::DataComponentInterpretation> kinds(
            4, DataComponentInterpretation::component_is_scalar);
        kinds.insert(kinds.end(), dim, DataComponentInterpretation::component_is_part_of_vector);
        return kinds;
      }

      UpdateFlags get_needed_update_flags() const override
      {
        return update_values | update_gradients | update_quadrature_points;
      }

    private:
      const MaterialField<dim> &material;
      const CouplingLaws<dim>  &coupling;
      const bool                with_damage;
    };
  } // namespace

  template <int dim> void Lithium<dim>::declare_parameters(ParameterHandler &prm)
  {
    // The lithium laws (bulk modulus, σ_Li, creep) are declared by the
    // coupling layer in the same subsection.
    prm.enter_subsection("Lithium");
    prm.declare_entry("Initial filling", "0", Patterns::Anything(),
                      "s(x, y, z) at t = 0, the lithium field: lithium volume per void volume "
                      "(1: filled at zero pressure, 1 + p/K_Li: compressed to p), e.g. 1 in a "
                      "Li-filled flaw. The lithium volume per volume is c = (φv + φmin)·s.");
    prm.declare_entry("Prescribed filling", "", Patterns::Anything(),
                      "Dirichlet conditions on s, 'boundary: expression' separated by ';' "
                      "(boundaries bottom, top, left, right, front, back, lateral; "
                      "expressions of x, y, z, t): a lithium reservoir, e.g. s = 1 + p/K_Li "
                      "for lithium at pressure p. Other boundaries pass no lithium.");
    prm.declare_entry("Injection", "0", Patterns::Anything(),
                      "Lithium injected from outside [1/s]: volume at zero pressure per volume "
                      "and second, an expression of x, y, z, t, e.g. a constant rate into a "
                      "flaw for a fluid-driven crack. Statistic lithium_injection_rate: its "
                      "integral.");
    prm.declare_entry("Maximum filling increment", "0", Patterns::Double(0),
                      "Largest rise of s at a node in one step; a step above it is redone "
                      "with a smaller time step. 0: no limit.");
    prm.leave_subsection();
  }

  template <int dim> Lithium<dim>::Lithium(ParameterHandler &prm)
  {
    prm.enter_subsection("Lithium");
    initial_filling = parse_expression<dim>(coordinate_names<dim>(false),
                                            prm.get("Initial filling"), "Lithium/Initial filling");
    injection       = parse_expression<dim>(coordinate_names<dim>(true), prm.get("Injection"),
                                      "Lithium/Injection", true);
    injects         = Utilities::trim(prm.get("Injection")) != "0";
    const std::string parameter = "Lithium/Prescribed filling";
    for (const auto &entry : Utilities::split_string_list(prm.get("Prescribed filling"), ';'))
      {
        const auto colon = entry.find(':');
        if (colon == std::string::npos)
          throw InputError(parameter + ": '" + entry +
                           "' is not of the form 'boundary: expression'");
        filling_conditions.push_back(
            {boundary_from_name(Utilities::trim(entry.substr(0, colon)), parameter),
             parse_expression<dim>(coordinate_names<dim>(true), entry.substr(colon + 1), parameter,
                                   true)});
      }
    max_filling_increment = prm.get_double("Maximum filling increment");
    prm.leave_subsection();
  }

  template <int dim> std::vector<FieldDescription> Lithium<dim>::fields() const
  {
    return {{"lithium", 1, 1, LowerBound::none}};
  }

  template <int dim> void Lithium<dim>::initialize(const ModuleContext<dim> &context)
  {
    PhysicsModule<dim>::initialize(context);
    scale = std::pow(100.0 / context.separator_thickness, dim);
  }

  template <int dim> double Lithium<dim>::residual_scale(const std::string &) const
  {
    return scale;
  }

  template <int dim>
  void Lithium<dim>::add_constraints(AffineConstraints<double> &constraints, const double time)
  {
    const DoFHandler<dim> &dof_handler  = *this->context.dof_handler;
    const unsigned int     n_components = dof_handler.get_fe().n_components();
    const ComponentMask    mask         = this->field_layout().mask("lithium");
    for (auto &condition : filling_conditions)
      {
        condition.value->set_time(time);
        VectorTools::interpolate_boundary_values(
            dof_handler, condition.boundary,
            ComponentValue<dim>(n_components, lithium_component(), *condition.value,
                                [&coupling = *this->context.coupling](const double filling) {
                                  return coupling.state_of_filling(filling);
                                }),
            constraints, mask);
      }
  }

  template <int dim>
  double Lithium<dim>::initial_value(const Point<dim> &point, const std::string &,
                                     const unsigned int) const
  {
    return this->context.coupling->state_of_filling(std::max(initial_filling->value(point), 0.0));
  }

  template <int dim>
  void Lithium<dim>::assemble_cell(const FEValues<dim> &fe_values, const PointState<dim> &state,
                                   LocalSystem &local) const
  {
    // The creep flux q = −M∇p as an operator on the nodal pressures of the
    // cell, K_ij = ∫ M ∇N_i·∇N_j, without its positive couplings between
    // distinct nodes (discrete upwinding): what is left moves lithium only
    // from a node of higher pressure to one of lower, so that the lithium of
    // a node can fall below zero in no solution of a step, and the field
    // needs no bound. Galerkin's K drains the emptiest node of a cell whose
    // points differ in M by orders of magnitude (a pore wall or a crack band
    // through the cell); with M uniform on a square cell it has no positive
    // coupling and nothing is dropped.
    const LithiumNodes<dim> &nodes   = state.lithium_nodes;
    const unsigned int       n_nodes = nodes.values.size();
    const unsigned int       n_dofs  = fe_values.dofs_per_cell;
    const unsigned int       n_q     = fe_values.n_quadrature_points;
    const double             dt      = state.time_step;
    bool                     flows   = false;
    for (unsigned int q = 0; q < n_q; ++q)
      flows |= state.coupled[q].lithium_mobility.value != 0;
    if (!flows)
      return;

    std::vector<unsigned int> dof_of_node(n_nodes);
    for (unsigned int i = 0; i < n_dofs; ++i)
      if (nodes.node_of_dof[i] != numbers::invalid_unsigned_int)
        dof_of_node[nodes.node_of_dof[i]] = i;
    std::vector<double> pressure(n_nodes), pressure_slope(n_nodes);
    for (unsigned int i = 0; i < n_nodes; ++i)
      pressure[i] = this->context.coupling->pressure_of_state(nodes.values[i], pressure_slope[i]);

    // [q][i][j]: ∇N_i·∇N_j JxW, and the operator.
    std::vector<FullMatrix<double>> coupling_at(n_q, FullMatrix<double>(n_nodes, n_nodes));
    FullMatrix<double>              creep_operator(n_nodes, n_nodes);
    for (unsigned int q = 0; q < n_q; ++q)
      for (unsigned int i = 0; i < n_nodes; ++i)
        for (unsigned int j = 0; j < n_nodes; ++j)
          {
            coupling_at[q](i, j) =
                nodes.shape_gradients[q][i] * nodes.shape_gradients[q][j] * fe_values.JxW(q);
            creep_operator(i, j) += state.coupled[q].lithium_mobility.value * coupling_at[q](i, j);
          }
    const auto kept = [&creep_operator](const unsigned int i, const unsigned int j) {
      return i != j && creep_operator(i, j) < 0;
    };

    // R_i = dt Σ_j K_ij (P_j − P_i) over the kept couplings.
    for (unsigned int i = 0; i < n_nodes; ++i)
      for (unsigned int j = 0; j < n_nodes; ++j)
        if (kept(i, j))
          local.residual(dof_of_node[i]) += dt * creep_operator(i, j) * (pressure[j] - pressure[i]);
    if (!local.assemble_matrix)
      return;

    // dR_i/dU_k: through M in K_ij (every field M depends on) and through P_j, P_i.
    FullMatrix<double> d_mobility(n_q, n_dofs); // [q][k]
    for (unsigned int q = 0; q < n_q; ++q)
      for (unsigned int k = 0; k < n_dofs; ++k)
        d_mobility(q, k) = state.coupled[q].lithium_mobility.derivative(state.shapes[q][k]);
    for (unsigned int i = 0; i < n_nodes; ++i)
      for (unsigned int j = 0; j < n_nodes; ++j)
        if (kept(i, j))
          {
            const double drop = pressure[j] - pressure[i];
            for (unsigned int k = 0; k < n_dofs; ++k)
              {
                double d_operator = 0;
                for (unsigned int q = 0; q < n_q; ++q)
                  d_operator += d_mobility(q, k) * coupling_at[q](i, j);
                local.matrix(dof_of_node[i], k) += dt * d_operator * drop;
              }
            local.matrix(dof_of_node[i], dof_of_node[j]) +=
                dt * creep_operator(i, j) * pressure_slope[j];
            local.matrix(dof_of_node[i], dof_of_node[i]) -=
                dt * creep_operator(i, j) * pressure_slope[i];
          }
  }

  template <int dim> double Lithium<dim>::injected(const Point<dim> &point, const double time) const
  {
    if (!injects)
      return 0;
    injection->set_time(time);
    return injection->value(point);
  }

  template <int dim>
  void Lithium<dim>::assemble_cell_at_nodes(const FEValues<dim>   &fe_values,
                                            const PointState<dim> &state, LocalSystem &local) const
  {
    const unsigned int               c0 = lithium_component();
    const FEValuesExtractors::Scalar lithium(c0);
    const unsigned int               n_dofs = fe_values.dofs_per_cell;
    const double                     dt     = state.time_step;
    // Li volume per charge: Ω/F [m^3/C].
    const double volume_per_charge =
        this->context.coupling->lithium_molar_volume() / constants::faraday;
    std::vector<double> d_source(n_dofs), d_content(n_dofs);
    for (const unsigned int q : fe_values.quadrature_point_indices())
      {
        const CoupledPoint<dim> &coupled = state.coupled[q];
        const double             JxW     = fe_values.JxW(q);
        // The lithium volume gained here, with the void the point has now and had.
        const double change = coupled.content.value - coupled.content_old;
        const double source = volume_per_charge * coupled.deposition.value +
                              injected(fe_values.quadrature_point(q), state.time);
        if (local.assemble_matrix)
          for (unsigned int k = 0; k < n_dofs; ++k)
            {
              d_source[k]  = volume_per_charge * coupled.deposition.derivative(state.shapes[q][k]);
              d_content[k] = coupled.content.derivative(state.shapes[q][k]);
            }
        for (unsigned int i = 0; i < n_dofs; ++i)
          {
            const double v = fe_values[lithium].value(i, q);
            if (v == 0)
              continue;
            local.residual(i) += (change - dt * source) * v * JxW;
            if (local.assemble_matrix)
              for (unsigned int k = 0; k < n_dofs; ++k)
                local.matrix(i, k) += (d_content[k] - dt * d_source[k]) * v * JxW;
          }
      }
  }

  template <int dim>
  StatisticsEntries Lithium<dim>::postprocess(const BlockVector &solution, const double time) const
  {
    const DoFHandler<dim>   &dof_handler = *this->context.dof_handler;
    const auto              &fe          = dof_handler.get_fe();
    const CouplingLaws<dim> &coupling    = *this->context.coupling;
    const QGauss<dim>        quadrature(fe.degree + 1);
    const QGauss<dim - 1>    face_quadrature(fe.degree + 1);
    FEValues<dim>            fe_values(fe, quadrature,
                                       update_values | update_gradients | update_quadrature_points |
                                           update_JxW_values);
    FEFaceValues<dim>        fe_face_values(fe, face_quadrature,
                                            update_values | update_gradients | update_quadrature_points |
                                                update_JxW_values | update_normal_vectors);
    const unsigned int       c0 = lithium_component();
    SolutionAtPoints<dim>    at_points;
    SolutionAtNodes<dim>     at_nodes;
    // [0] ∫c, [1] ∫j, [2] outflow through the plating electrode, [3] through the
    // counter electrode, [4] ∫c p, [5] ∫ injection
    double sums[6]      = {0, 0, 0, 0, 0, 0};
    double max_pressure = 0, max_filling = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          coupling.evaluate_solution(fe_values, cell, solution, *this->context.material, time,
                                     at_points);
          for (const unsigned int q : fe_values.quadrature_point_indices())
            max_pressure = std::max(max_pressure, at_points.coupled[q].pressure.value);
          // Volume and deposition by the nodal rule of the assembly, so that
          // the volume changes by exactly what is deposited and what flows.
          coupling.evaluate_solution_at_vertices(cell, solution, *this->context.material, time,
                                                 at_nodes);
          for (const unsigned int q : at_nodes.fe_values->quadrature_point_indices())
            {
              const double JxW = at_nodes.fe_values->JxW(q);
              sums[0] += at_nodes.coupled[q].content.value * JxW;
              sums[4] +=
                  at_nodes.coupled[q].content.value * at_nodes.coupled[q].pressure.value * JxW;
              sums[5] += injected(at_nodes.fe_values->quadrature_point(q), time) * JxW;
              sums[1] += at_nodes.coupled[q].deposition.value * JxW;
              max_pressure = std::max(max_pressure, at_nodes.coupled[q].pressure.value);
              max_filling =
                  std::max(max_filling, coupling.filling_of_state(at_nodes.values[q][c0]));
            }
          for (const auto face_no : cell->face_indices())
            {
              const auto face = cell->face(face_no);
              if (!face->at_boundary() || (face->boundary_id() != boundary_ids::plating_electrode &&
                                           face->boundary_id() != boundary_ids::counter_electrode))
                continue;
              fe_face_values.reinit(cell, face_no);
              coupling.evaluate_solution(fe_face_values, cell, solution, *this->context.material,
                                         time, at_points);
              double &outflow =
                  sums[face->boundary_id() == boundary_ids::plating_electrode ? 2 : 3];
              for (const unsigned int q : fe_face_values.quadrature_point_indices())
                for (unsigned int d = 0; d < dim; ++d)
                  outflow += at_points.coupled[q].lithium_flux[d].value *
                             fe_face_values.normal_vector(q)[d] * fe_face_values.JxW(q);
            }
        }
    const MPI_Comm comm = this->context.mpi_communicator;
    Utilities::MPI::sum(ArrayView<const double>(sums, 6), comm, ArrayView<double>(sums, 6));
    const std::string volume = dim == 2 ? " [m^2]" : " [m^3]";
    const std::string rate   = dim == 2 ? " [m^2/s]" : " [m^3/s]";
    return {{"lithium_volume" + volume, sums[0]},
            {"lithium_plating_rate" + rate,
             coupling.lithium_molar_volume() / constants::faraday * sums[1]},
            {"lithium_injection_rate" + rate, sums[5]},
            {"lithium_outflow_plating" + rate, sums[2]},
            {"lithium_outflow_counter" + rate, sums[3]},
            {"max_lithium_filling", Utilities::MPI::max(max_filling, comm)},
            {"max_lithium_pressure [Pa]", Utilities::MPI::max(max_pressure, comm)},
            // The pressure of most of the lithium (a flaw's, say), which the
            // largest one is not: a few nodes squeezed beside a crack band
            // reach GPa while holding next to no lithium.
            {"mean_lithium_pressure [Pa]", sums[0] > 0 ? sums[4] / sums[0] : 0.0}};
  }

  template <int dim>
  std::unique_ptr<DataPostprocessor<dim>> Lithium<dim>::output_postprocessor() const
  {
    return std::make_unique<LithiumOutput<dim>>(*this->context.material, *this->context.coupling,
                                                this->field_layout().has("damage"));
  }

  template <int dim>
  double Lithium<dim>::step_change(const BlockVector &solution,
                                   const BlockVector &old_solution) const
  {
    if (max_filling_increment <= 0)
      return 0;
    const CouplingLaws<dim> &coupling = *this->context.coupling;
    return this->largest_increment(
               solution, old_solution, lithium_component(),
               [&coupling](const double state) { return coupling.filling_of_state(state); }) /
           max_filling_increment;
  }

  template <int dim>
  bool Lithium<dim>::limit_newton_update(const BlockVector &iterate, BlockVector &update) const
  {
    // A compressed node linearised on the pressure branch stores p_u/K_Li of
    // filling per unit of state: when room opens beside it (a crack in the
    // step), the update that removes the lithium it must lose goes that many
    // times too far, past the corner and far below an empty node. Stopped
    // just below the corner, the node is linearised on the filling branch in
    // the next iteration: the chop a porous-media solver applies where a
    // phase vanishes. Only draining nodes are stopped; the filling direction
    // lands at megapascals by the choice of p_u.
    const double       corner_width = this->context.coupling->pressure_onset_width();
    const double       below = 1.0 - corner_width, above = 1.0 + corner_width;
    const unsigned int block   = this->field_layout()["lithium"].block;
    const auto        &state   = iterate.block(block);
    auto              &drop    = update.block(block); // the new iterate is state − drop
    unsigned int       limited = 0;
    for (const auto i : drop.locally_owned_elements())
      if (state(i) > above && state(i) - drop(i) < below)
        {
          drop(i) = state(i) - below;
          ++limited;
        }
    drop.compress(VectorOperation::insert);
    return Utilities::MPI::sum(limited, this->context.mpi_communicator) > 0;
  }

  template class Lithium<2>;
  template class Lithium<3>;

  WEAKLINK_REGISTER_PHYSICS_MODULE(Lithium, "lithium")
} // namespace weaklink
