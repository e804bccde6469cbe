#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/physics/electrochemistry.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values_extractors.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/numerics/vector_tools.h>

#include <algorithm>
#include <fstream>
#include <limits>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /** Current densities and effective conductivities for VTU output. */
    template <int dim> class CurrentDensityOutput : public DataPostprocessor<dim>
    {
    public:
      CurrentDensityOutput(const MaterialField<dim> &material, const CouplingLaws<dim> &coupling,
                           const unsigned int phi, const unsigned int psi)
          : material(material)
          , coupling(coupling)
          , phi(phi)
          , psi(psi)
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
            const CoupledPoint<dim> &coupled   = coupled_points[q];
            const double             sigma_ion = coupled.ionic_conductivity.value;
            const double             sigma_e   = coupled.electronic_conductivity.value;
            for (unsigned int d = 0; d < dim; ++d)
              {
                computed[q][d]       = -sigma_ion * inputs.solution_gradients[q][phi][d];
                computed[q][dim + d] = -sigma_e * inputs.solution_gradients[q][psi][d];
              }
            computed[q][2 * dim]     = sigma_ion;
            computed[q][2 * dim + 1] = sigma_e;
          }
      }

      std::vector<std::string> get_names() const override
      {
        std::vector<std::string> names(dim, "ionic_current_density");
        names.insert(names.end(), dim, "electronic_current_density");
        names.push_back("ionic_conductivity");
        names.push_back("electronic_conductivity");
        return names;
      }

      std::vector<DataComponentInterpretation::DataComponentInterpretation>
      get_data_component_interpretation() const override
      {
        std::vector<DataComponentInterpretation::DataComponentInterpretation> kinds(
            2 * dim, DataComponentInterpretation::component_is_part_of_vector);
        kinds.push_back(DataComponentInterpretation::component_is_scalar);
        kinds.push_back(DataComponentInterpretation::component_is_scalar);
        return kinds;
      }

      UpdateFlags get_needed_update_flags() const override
      {
        return update_values | update_gradients | update_quadrature_points;
      }

    private:
      const MaterialField<dim> &material;
      const CouplingLaws<dim>  &coupling;
      const unsigned int        phi, psi;
    };

    /** phi and psi of the manufactured solution as one vector function. */
    template <int dim> class ExactPotentials : public Function<dim>
    {
    public:
      ExactPotentials(const unsigned int n_components, const unsigned int phi,
                      const unsigned int psi, FunctionParser<dim> &exact_phi,
                      FunctionParser<dim> &exact_psi, const double step)
          : Function<dim>(n_components)
          , phi(phi)
          , psi(psi)
          , exact_phi(exact_phi)
          , exact_psi(exact_psi)
          , step(step)
      {
      }

      double value(const Point<dim> &p, const unsigned int component) const override
      {
        return component == phi ? exact_phi.value(p) : component == psi ? exact_psi.value(p) : 0.0;
      }

      Tensor<1, dim> gradient(const Point<dim> &p, const unsigned int component) const override
      {
        Tensor<1, dim> g;
        if (component != phi && component != psi)
          return g;
        const FunctionParser<dim> &f = component == phi ? exact_phi : exact_psi;
        for (unsigned int d = 0; d < dim; ++d)
          {
            Tensor<1, dim> e;
            e[d] = step;
            g[d] = (-f.value(p + 2 * e) + 8 * f.value(p + e) - 8 * f.value(p - e) +
                    f.value(p - 2 * e)) /
                   (12 * step);
          }
        return g;
      }

    private:
      const unsigned int   phi, psi;
      FunctionParser<dim> &exact_phi, &exact_psi;
      const double         step;
    };
  } // namespace

  template <int dim> void Electrochemistry<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Electrochemistry");
    prm.declare_entry("Control", "galvanostatic",
                      Patterns::Selection("galvanostatic|potentiostatic"),
                      "galvanostatic: the applied current density is imposed exactly "
                      "and the cell voltage is computed; potentiostatic: the cell "
                      "voltage is imposed.");
    prm.declare_entry("Applied current density", "10", Patterns::Anything(),
                      "i_app(t) [A/m^2], positive when lithium plates on the plating "
                      "electrode (y = 0). 10 A/m^2 = 1 mA/cm^2.");
    prm.declare_entry("Applied voltage", "0.01", Patterns::Anything(),
                      "V_app(t) = psi(counter) - psi(plating) [V], potentiostatic control.");
    prm.declare_entry("Temperature", "298.15", Patterns::Double(1), "T [K].");
    prm.declare_entry("Exchange current density", "10", Patterns::Double(0),
                      "i0 of the Li|electrolyte interface [A/m^2] (1-13 mA/cm^2 for LLZO).");
    prm.declare_entry("Anodic transfer coefficient", "0.5", Patterns::Double(0, 1), "alpha_a.");
    prm.declare_entry("Cathodic transfer coefficient", "0.5", Patterns::Double(0, 1), "alpha_c.");
    prm.declare_entry("Lithium molar volume", "1.30e-5", Patterns::Double(0),
                      "Omega [m^3/mol] of the pressure term Omega p / F of the overpotential.");
    prm.declare_entry("Nucleation overpotential", "0.05", Patterns::Double(0),
                      "eta_nuc [V]: lithium nucleates at the sites of Material 'Nucleation "
                      "site density' only where eta < -eta_nuc (an assumed barrier; tens of "
                      "mV are reported for nucleation of lithium on foreign surfaces).");
    prm.declare_entry("Finite element degree", "1", Patterns::Integer(1, 3),
                      "Polynomial degree of phi and psi.");
    prm.enter_subsection("Manufactured solution");
    prm.declare_entry("Enable", "false", Patterns::Bool(),
                      "Verification mode: Dirichlet data on every boundary and volume "
                      "sources from the exact potentials below; electrode kinetics off; "
                      "L2 and H1 errors go to the statistics.");
    prm.declare_entry("Potential", "0", Patterns::Anything(), "Exact phi(x, y, z, t) [V].");
    prm.declare_entry("Electron potential", "0", Patterns::Anything(),
                      "Exact psi(x, y, z, t) [V].");
    prm.leave_subsection();
    prm.leave_subsection();
  }

  template <int dim> Electrochemistry<dim>::Electrochemistry(ParameterHandler &prm)
  {
    prm.enter_subsection("Electrochemistry");
    galvanostatic   = prm.get("Control") == "galvanostatic";
    applied_current = parse_expression<1>("t", prm.get("Applied current density"),
                                          "Electrochemistry/Applied current density");
    applied_potential =
        parse_expression<1>("t", prm.get("Applied voltage"), "Electrochemistry/Applied voltage");
    const double exchange_current_density = prm.get_double("Exchange current density");
    degree                                = prm.get_integer("Finite element degree");
    prm.enter_subsection("Manufactured solution");
    manufactured = prm.get_bool("Enable");
    exact_phi    = parse_expression<dim>(coordinate_names<dim>(true), prm.get("Potential"),
                                      "Electrochemistry/Manufactured solution/Potential", true);
    exact_psi =
        parse_expression<dim>(coordinate_names<dim>(true), prm.get("Electron potential"),
                              "Electrochemistry/Manufactured solution/Electron potential", true);
    prm.leave_subsection();
    prm.leave_subsection();
    if (exchange_current_density <= 0)
      throw InputError("Electrochemistry/Exchange current density must be positive");
  }

  template <int dim> std::vector<FieldDescription> Electrochemistry<dim>::fields() const
  {
    return {{"phi", 1, degree}, {"psi", 1, degree}};
  }

  template <int dim> void Electrochemistry<dim>::initialize(const ModuleContext<dim> &context)
  {
    PhysicsModule<dim>::initialize(context);
    if (context.protocol && context.protocol->sets_current() && !galvanostatic)
      throw InputError("Protocol/Type = " + context.protocol->name() +
                       " sets the current: it needs Electrochemistry/Control = galvanostatic");
    // Scale each charge balance by its conductivity and the cell size so that
    // the residual is in volts in 2D and 3D alike and both blocks are of order one.
    const double length = std::pow(context.separator_thickness, dim - 2);
    ionic_scale         = 1.0 / (context.material->reference_ionic_conductivity() * length);
    electronic_scale    = 1.0 / (context.material->reference_electronic_conductivity() * length);
  }

  template <int dim> double Electrochemistry<dim>::residual_scale(const std::string &field) const
  {
    return field == "phi" ? ionic_scale : electronic_scale;
  }

  template <int dim> double Electrochemistry<dim>::applied_current_density(const double time) const
  {
    const CurrentProtocol *protocol = this->context.protocol;
    if (protocol && protocol->sets_current())
      return protocol->current_density(time);
    return applied_current->value(Point<1>(time));
  }

  template <int dim> double Electrochemistry<dim>::applied_voltage(const double time) const
  {
    return applied_potential->value(Point<1>(time));
  }

  template <int dim>
  void Electrochemistry<dim>::add_constraints(AffineConstraints<double> &constraints,
                                              const double               time)
  {
    const DoFHandler<dim> &dof_handler  = *this->context.dof_handler;
    const unsigned int     n_components = dof_handler.get_fe().n_components();
    ComponentMask          phi_mask(n_components, false), psi_mask(n_components, false);
    phi_mask.set(phi_component(), true);
    psi_mask.set(psi_component(), true);

    if (manufactured)
      {
        exact_phi->set_time(time);
        exact_psi->set_time(time);
        const ExactPotentials<dim> exact(n_components, phi_component(), psi_component(), *exact_phi,
                                         *exact_psi, 1e-3);
        std::map<types::boundary_id, const Function<dim> *> all;
        for (const auto id : dof_handler.get_triangulation().get_boundary_ids())
          all[id] = &exact;
        ComponentMask both = phi_mask;
        both.set(psi_component(), true);
        VectorTools::interpolate_boundary_values(dof_handler, all, constraints, both);
        return;
      }

    VectorTools::interpolate_boundary_values(dof_handler, boundary_ids::counter_electrode,
                                             Functions::ZeroFunction<dim>(n_components),
                                             constraints, psi_mask);
    if (!galvanostatic)
      {
        VectorTools::interpolate_boundary_values(
            dof_handler, boundary_ids::plating_electrode,
            Functions::ConstantFunction<dim>(-applied_voltage(time), n_components), constraints,
            psi_mask);
        return;
      }

    // Galvanostatic: the plating electrode metal is one equipotential. All its
    // psi DoFs follow one master DoF, whose assembled row is then the balance
    // of the applied current against deposition and electronic leakage.
    std::set<types::global_dof_index>    electrode_dofs;
    std::vector<types::global_dof_index> face_dofs;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial())
        for (const auto face_no : cell->face_indices())
          if (cell->face(face_no)->at_boundary() &&
              cell->face(face_no)->boundary_id() == boundary_ids::plating_electrode)
            {
              const auto &fe = cell->get_fe();
              face_dofs.resize(fe.n_dofs_per_face());
              cell->face(face_no)->get_dof_indices(face_dofs);
              for (unsigned int i = 0; i < face_dofs.size(); ++i)
                if (fe.face_system_to_component_index(i, face_no).first == psi_component())
                  electrode_dofs.insert(face_dofs[i]);
            }
    types::global_dof_index local_master = std::numeric_limits<types::global_dof_index>::max();
    for (const auto i : electrode_dofs)
      if (!constraints.is_constrained(i))
        {
          local_master = i;
          break;
        }
    const types::global_dof_index master =
        Utilities::MPI::min(local_master, this->context.mpi_communicator);
    AssertThrow(master != std::numeric_limits<types::global_dof_index>::max(),
                ExcMessage("the plating electrode has no unconstrained electron-potential DoF"));
    for (const auto i : electrode_dofs)
      if (i != master && constraints.can_store_line(i) && !constraints.is_constrained(i))
        {
          constraints.add_line(i);
          constraints.add_entry(i, master, 1.0);
        }

    // Every row that condensation adds to the master's row must share its
    // scale: the electrode DoFs, and constrained DoFs (hanging nodes on
    // interior edges) that depend on them, directly or through a chain.
    electrode_balance_rows.clear();
    electrode_balance_rows.set_size(dof_handler.n_dofs());
    electrode_balance_rows.add_indices(electrode_dofs.begin(), electrode_dofs.end());
    electrode_balance_rows.add_index(master);
    for (bool grew = true; grew;)
      {
        grew = false;
        for (const auto &line : constraints.get_lines())
          if (!electrode_balance_rows.is_element(line.index))
            for (const auto &entry : line.entries)
              if (electrode_balance_rows.is_element(entry.first))
                {
                  electrode_balance_rows.add_index(line.index);
                  grew = true;
                  break;
                }
      }
  }

  template <int dim>
  void Electrochemistry<dim>::adjust_row_scales(const std::vector<types::global_dof_index> &dofs,
                                                std::vector<double> &row_scales) const
  {
    if (electrode_balance_rows.n_elements() == 0)
      return;
    for (unsigned int i = 0; i < dofs.size(); ++i)
      if (electrode_balance_rows.is_element(dofs[i]))
        row_scales[i] = ionic_scale;
  }

  template <int dim>
  void Electrochemistry<dim>::manufactured_sources(const std::vector<Point<dim>> &points,
                                                   const types::material_id       cell_tag,
                                                   const double                   time,
                                                   std::vector<double>           &source_phi,
                                                   std::vector<double>           &source_psi) const
  {
    // -div(σ grad u) by nested fourth-order differences; h is small against
    // the separator but large against round-off (error ~ h^4 + eps/h^2).
    const double h = 1e-3 * this->context.separator_thickness;
    exact_phi->set_time(time);
    exact_psi->set_time(time);
    const double            weights[4] = {1.0 / 12, -8.0 / 12, 8.0 / 12, -1.0 / 12};
    const double            offsets[4] = {-2, -1, 1, 2};
    std::vector<Point<dim>> flux_points(4);
    MaterialPointData       data;
    source_phi.assign(points.size(), 0.0);
    source_psi.assign(points.size(), 0.0);
    for (unsigned int q = 0; q < points.size(); ++q)
      for (unsigned int d = 0; d < dim; ++d)
        {
          Tensor<1, dim> e;
          e[d] = h;
          for (unsigned int k = 0; k < 4; ++k)
            flux_points[k] = points[q] + offsets[k] * e;
          this->context.material->evaluate_in_cell(flux_points, cell_tag, data);
          for (unsigned int k = 0; k < 4; ++k)
            {
              double dphi = 0, dpsi = 0;
              for (unsigned int m = 0; m < 4; ++m)
                {
                  const Point<dim> p = flux_points[k] + offsets[m] * e;
                  dphi += weights[m] * exact_phi->value(p) / h;
                  dpsi += weights[m] * exact_psi->value(p) / h;
                }
              source_phi[q] -= weights[k] * data.ionic_conductivity[k] * dphi / h;
              source_psi[q] -= weights[k] * data.electronic_conductivity[k] * dpsi / h;
            }
        }
  }

  template <int dim>
  void Electrochemistry<dim>::assemble_cell(const FEValues<dim>   &fe_values,
                                            const PointState<dim> &state, LocalSystem &local) const
  {
    const unsigned int phi_index = phi_component(), psi_index = psi_component();
    const unsigned int n_dofs = fe_values.dofs_per_cell;
    const auto        &points = fe_values.get_quadrature_points();

    auto &source_phi = scratch.source_phi, &source_psi = scratch.source_psi;
    source_phi.assign(points.size(), 0.0);
    source_psi.assign(points.size(), 0.0);
    if (manufactured)
      {
        manufactured_sources(points, fe_values.get_cell()->material_id(), state.time, source_phi,
                             source_psi);
        add_manufactured_deposition(points, state, source_phi, source_psi);
      }

    // Only the φ and ψ rows get terms, and within them only the columns of
    // the same potential get the conduction term: with five fields most of
    // the cell's shape functions belong to neither.
    const auto &fe       = fe_values.get_fe();
    auto       &phi_dofs = scratch.phi_dofs, &psi_dofs = scratch.psi_dofs;
    phi_dofs.clear();
    psi_dofs.clear();
    for (unsigned int i = 0; i < n_dofs; ++i)
      {
        const unsigned int component = fe.system_to_component_index(i).first;
        if (component == phi_index)
          phi_dofs.push_back(i);
        else if (component == psi_index)
          psi_dofs.push_back(i);
      }

    const bool deposition_here = !this->context.deposition_at_nodes;
    auto      &dj = scratch.dj, &dsigma_ion = scratch.dsigma_ion, &dsigma_e = scratch.dsigma_e;
    dj.resize(n_dofs);
    dsigma_ion.resize(n_dofs);
    dsigma_e.resize(n_dofs);
    for (const unsigned int q : fe_values.quadrature_point_indices())
      {
        const CoupledPoint<dim> &coupled   = state.coupled[q];
        const double             sigma_ion = coupled.ionic_conductivity.value;
        const double             sigma_e   = coupled.electronic_conductivity.value;
        const double             j         = deposition_here ? coupled.deposition.value : 0.0;
        const double             JxW       = fe_values.JxW(q);
        if (local.assemble_matrix)
          for (unsigned int k = 0; k < n_dofs; ++k)
            {
              const ShapeAtPoint<dim> &shape = state.shapes[q][k];
              dj[k]         = deposition_here ? coupled.deposition.derivative(shape) : 0.0;
              dsigma_ion[k] = coupled.ionic_conductivity.derivative(shape);
              dsigma_e[k]   = coupled.electronic_conductivity.derivative(shape);
            }
        // One potential's rows: conduction σ ∇u·∇v and the deposition
        // `sign`·j v (a sink of Li+, a source of electrons).
        const auto add_rows = [&](const std::vector<unsigned int> &dofs,
                                  const Tensor<1, dim> &gradient, const double sigma,
                                  const std::vector<double> &dsigma, const double sign,
                                  const double source) {
          for (const unsigned int i : dofs)
            {
              const double          v      = fe_values.shape_value(i, q);
              const Tensor<1, dim> &grad_v = fe_values.shape_grad(i, q);
              const double          flux   = gradient * grad_v;
              local.residual(i) += (sigma * flux + (sign * j - source) * v) * JxW;
              if (!local.assemble_matrix)
                continue;
              for (unsigned int k = 0; k < n_dofs; ++k)
                local.matrix(i, k) += (dsigma[k] * flux + sign * dj[k] * v) * JxW;
              for (const unsigned int k : dofs)
                local.matrix(i, k) += sigma * (fe_values.shape_grad(k, q) * grad_v) * JxW;
            }
        };
        add_rows(phi_dofs, state.gradients[q][phi_index], sigma_ion, dsigma_ion, 1.0,
                 source_phi[q]);
        add_rows(psi_dofs, state.gradients[q][psi_index], sigma_e, dsigma_e, -1.0, source_psi[q]);
      }
  }

  template <int dim>
  void Electrochemistry<dim>::assemble_cell_at_nodes(const FEValues<dim>   &fe_values,
                                                     const PointState<dim> &state,
                                                     LocalSystem           &local) const
  {
    // The deposition j: a sink of Li+ and a source of electrons, at the
    // same points where the lithium balance gains what it deposits.
    const FEValuesExtractors::Scalar phi(phi_component()), psi(psi_component());
    const unsigned int               n_dofs = fe_values.dofs_per_cell;
    std::vector<double>              dj(n_dofs);
    for (const unsigned int q : fe_values.quadrature_point_indices())
      {
        const Linearized<dim> &deposition = state.coupled[q].deposition;
        const double           JxW        = fe_values.JxW(q);
        if (local.assemble_matrix)
          for (unsigned int k = 0; k < n_dofs; ++k)
            dj[k] = deposition.derivative(state.shapes[q][k]);
        for (unsigned int i = 0; i < n_dofs; ++i)
          {
            const double v = fe_values[phi].value(i, q), w = fe_values[psi].value(i, q);
            if (v == 0 && w == 0)
              continue;
            local.residual(i) += deposition.value * (v - w) * JxW;
            if (local.assemble_matrix)
              for (unsigned int k = 0; k < n_dofs; ++k)
                local.matrix(i, k) += dj[k] * (v - w) * JxW;
          }
      }
  }

  template <int dim>
  void Electrochemistry<dim>::add_manufactured_deposition(const std::vector<Point<dim>> &points,
                                                          const PointState<dim>         &state,
                                                          std::vector<double>           &source_phi,
                                                          std::vector<double> &source_psi) const
  {
    // The deposition of the exact potentials, by the same coupling law.
    exact_phi->set_time(state.time);
    exact_psi->set_time(state.time);
    CoupledPoint<dim> exact;
    for (unsigned int q = 0; q < points.size(); ++q)
      {
        Vector<double> values   = state.values[q];
        values[phi_component()] = exact_phi->value(points[q]);
        values[psi_component()] = exact_psi->value(points[q]);
        FieldPoint<dim> fields;
        fields.values     = &values;
        fields.gradients  = &state.gradients[q];
        fields.old_values = &state.old_values[q];
        this->context.coupling->evaluate(points[q], state.material, q, fields, state.time, false,
                                         exact);
        source_phi[q] += exact.deposition.value;
        source_psi[q] -= exact.deposition.value;
      }
  }

  template <int dim>
  void Electrochemistry<dim>::assemble_boundary_face(const FEFaceValues<dim> &fe_face_values,
                                                     const types::boundary_id boundary_id,
                                                     const PointState<dim>   &state,
                                                     LocalSystem             &local) const
  {
    if (manufactured || (boundary_id != boundary_ids::plating_electrode &&
                         boundary_id != boundary_ids::counter_electrode))
      return;
    const FEValuesExtractors::Scalar phi(phi_component()), psi(psi_component());
    const bool   injects_current = galvanostatic && boundary_id == boundary_ids::plating_electrode;
    const double i_app           = injects_current ? applied_current_density(state.time) : 0.0;
    const ButlerVolmer &kinetics = this->context.coupling->kinetics();

    for (const unsigned int q : fe_face_values.quadrature_point_indices())
      {
        const Linearized<dim> &eta = state.coupled[q].overpotential;
        const double           j   = kinetics.current(eta.value);
        const double           dj  = kinetics.derivative(eta.value);
        const double           JxW = fe_face_values.JxW(q);
        for (unsigned int i = 0; i < fe_face_values.dofs_per_cell; ++i)
          {
            const double v = fe_face_values[phi].value(i, q), w = fe_face_values[psi].value(i, q);
            local.residual(i) += (j * v + (i_app - j) * w) * JxW;
            if (!local.assemble_matrix)
              continue;
            for (unsigned int k = 0; k < fe_face_values.dofs_per_cell; ++k)
              local.matrix(i, k) += dj * eta.derivative(state.shapes[q][k]) * (v - w) * JxW;
          }
      }
  }

  template <int dim>
  std::vector<typename Electrochemistry<dim>::ElectrodeSample>
  Electrochemistry<dim>::electrode_samples(const BlockVector &solution, const double time) const
  {
    const DoFHandler<dim> &dof_handler = *this->context.dof_handler;
    const auto            &fe          = dof_handler.get_fe();
    const QGauss<dim - 1>  face_quadrature(fe.degree + 1);
    FEFaceValues<dim>      fe_face_values(fe, face_quadrature,
                                          update_values | update_gradients | update_JxW_values |
                                              update_quadrature_points | update_normal_vectors);
    SolutionAtPoints<dim>  at_points;
    const ButlerVolmer    &kinetics = this->context.coupling->kinetics();

    std::vector<ElectrodeSample> samples;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto face_no : cell->face_indices())
          {
            const auto face = cell->face(face_no);
            if (!face->at_boundary() || (face->boundary_id() != boundary_ids::plating_electrode &&
                                         face->boundary_id() != boundary_ids::counter_electrode))
              continue;
            fe_face_values.reinit(cell, face_no);
            this->context.coupling->evaluate_solution(fe_face_values, cell, solution,
                                                      *this->context.material, time, at_points);
            for (const unsigned int q : fe_face_values.quadrature_point_indices())
              {
                const CoupledPoint<dim> &coupled = at_points.coupled[q];
                samples.push_back(
                    {face->boundary_id() == boundary_ids::plating_electrode,
                     fe_face_values.quadrature_point(q), fe_face_values.JxW(q),
                     at_points.values[q][psi_component()],
                     manufactured ? 0.0 : kinetics.current(coupled.overpotential.value),
                     coupled.electronic_conductivity.value *
                         at_points.gradients[q][psi_component()] *
                         fe_face_values.normal_vector(q)});
              }
          }
    return samples;
  }

  template <int dim>
  StatisticsEntries Electrochemistry<dim>::postprocess(const BlockVector &solution,
                                                       const double       time) const
  {
    const DoFHandler<dim> &dof_handler = *this->context.dof_handler;
    const auto            &fe          = dof_handler.get_fe();
    // [0] area, [1] ∫psi, [2] ∫j_BV, [3] electronic current entering the electrolyte
    std::vector<double> plating(4, 0.0), counter(4, 0.0);
    double              largest_plating  = -std::numeric_limits<double>::max();
    double              smallest_plating = std::numeric_limits<double>::max();
    for (const auto &sample : electrode_samples(solution, time))
      {
        std::vector<double> &sums = sample.on_plating_electrode ? plating : counter;
        sums[0] += sample.JxW;
        sums[1] += sample.electron_potential * sample.JxW;
        sums[2] += sample.deposition_current * sample.JxW;
        sums[3] += sample.electronic_flux * sample.JxW;
        if (sample.on_plating_electrode)
          {
            largest_plating  = std::max(largest_plating, sample.deposition_current);
            smallest_plating = std::min(smallest_plating, sample.deposition_current);
          }
      }
    for (auto *sums : {&plating, &counter})
      MPI_Allreduce(MPI_IN_PLACE, sums->data(), sums->size(), MPI_DOUBLE, MPI_SUM,
                    this->context.mpi_communicator);
    largest_plating  = Utilities::MPI::max(largest_plating, this->context.mpi_communicator);
    smallest_plating = Utilities::MPI::min(smallest_plating, this->context.mpi_communicator);

    StatisticsEntries entries;
    const double      mean_psi_plating = plating[1] / plating[0];
    const double      mean_psi_counter = counter[1] / counter[0];
    // Current through the counter electrode into the electrolyte: ionic
    // (stripping, -j) plus electronic (leakage).
    const double ionic_in      = -counter[2] / counter[0];
    const double electronic_in = counter[3] / counter[0];
    if (!manufactured)
      {
        entries.emplace_back("V [V]", mean_psi_counter - mean_psi_plating);
        entries.emplace_back("i_applied [A/m2]", galvanostatic ? applied_current_density(time)
                                                               : ionic_in + electronic_in);
        entries.emplace_back("i_plating [A/m2]", plating[2] / plating[0]);
        entries.emplace_back("i_plating_max [A/m2]", largest_plating);
        entries.emplace_back("i_plating_min [A/m2]", smallest_plating);
        entries.emplace_back("i_stripping [A/m2]", ionic_in);
        entries.emplace_back("electronic_fraction",
                             electronic_in / (std::abs(ionic_in + electronic_in) + 1e-300));
      }
    else
      {
        exact_phi->set_time(time);
        exact_psi->set_time(time);
        const unsigned int         n_components = fe.n_components();
        const ExactPotentials<dim> exact(n_components, phi_component(), psi_component(), *exact_phi,
                                         *exact_psi, 1e-4 * this->context.separator_thickness);
        const QGauss<dim>          quadrature(fe.degree + 2);
        const auto                &tria = dof_handler.get_triangulation();
        for (const auto &[label, component] : {std::make_pair(std::string("phi"), phi_component()),
                                               std::make_pair(std::string("psi"), psi_component())})
          {
            const ComponentSelectFunction<dim> select(component, n_components);
            Vector<float>                      cellwise(tria.n_active_cells());
            VectorTools::integrate_difference(MappingQ1<dim>(), dof_handler, solution, exact,
                                              cellwise, quadrature, VectorTools::L2_norm, &select);
            entries.emplace_back(label + "_L2_error", VectorTools::compute_global_error(
                                                          tria, cellwise, VectorTools::L2_norm));
            VectorTools::integrate_difference(MappingQ1<dim>(), dof_handler, solution, exact,
                                              cellwise, quadrature, VectorTools::H1_seminorm,
                                              &select);
            entries.emplace_back(
                label + "_H1_error",
                VectorTools::compute_global_error(tria, cellwise, VectorTools::H1_seminorm));
          }
      }
    return entries;
  }

  template <int dim>
  void Electrochemistry<dim>::write_output(const BlockVector &solution, const double time,
                                           const std::string &file_stem) const
  {
    // Local deposition current density along both electrodes, for current
    // focusing: gathered on rank 0 and sorted by position, so the file does
    // not depend on the partition.
    std::vector<std::vector<double>> rows;
    for (const auto &sample : electrode_samples(solution, time))
      {
        std::vector<double> row{sample.on_plating_electrode ? 0.0 : 1.0};
        for (unsigned int d = 0; d < dim; ++d)
          row.push_back(sample.point[d]);
        row.push_back(sample.deposition_current);
        rows.push_back(row);
      }
    const auto gathered = Utilities::MPI::gather(this->context.mpi_communicator, rows, 0);
    if (Utilities::MPI::this_mpi_process(this->context.mpi_communicator) != 0)
      return;
    std::vector<std::vector<double>> all;
    for (const auto &part : gathered)
      all.insert(all.end(), part.begin(), part.end());
    std::sort(all.begin(), all.end());
    std::ofstream out(file_stem + "electrode_current.csv");
    out << "electrode,x [m],y [m]" << (dim == 3 ? ",z [m]" : "")
        << ",deposition_current_density [A/m2]\n";
    out.precision(10);
    for (const auto &row : all)
      {
        out << (row[0] == 0 ? "plating" : "counter");
        for (std::size_t k = 1; k < row.size(); ++k)
          out << ',' << row[k];
        out << '\n';
      }
  }

  template <int dim>
  std::unique_ptr<DataPostprocessor<dim>> Electrochemistry<dim>::output_postprocessor() const
  {
    return std::make_unique<CurrentDensityOutput<dim>>(
        *this->context.material, *this->context.coupling, phi_component(), psi_component());
  }

  template class Electrochemistry<2>;
  template class Electrochemistry<3>;

  WEAKLINK_REGISTER_PHYSICS_MODULE(Electrochemistry, "electrochemistry")
} // namespace weaklink
