#include <weaklink/core/decimal_number.h>
#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/output/field_picture.h>
#include <weaklink/physics/boundary_values.h>
#include <weaklink/physics/fracture.h>
#include <weaklink/physics/intact_fraction.h>

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/fe_values_extractors.h>
#include <deal.II/numerics/vector_tools.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /**
     * Degradation g(d) = (1−k)(1−d)² + k of the split's positive part and the
     * factor of its negative part (1; k in pores), with derivatives. The void
     * indicator χ(d) through which pressure acts is a coupled quantity.
     */
    struct DamageFunctions
    {
      double g, dg, ddg, g_negative = 1;

      DamageFunctions(const double d, const double k, const bool in_pore)
      {
        if (in_pore)
          {
            // A pore is void whatever d says: no stiffness in compression
            // either (a bulk-only "fluid" would leave the elasticity operator
            // with a near-null space of divergence-free modes).
            g = g_negative = k, dg = ddg = 0;
            return;
          }
        const IntactFraction intact(d);
        g   = (1 - k) * intact.value + k;
        dg  = (1 - k) * intact.slope;
        ddg = (1 - k) * intact.curvature;
      }
    };

    /**
     * Crack surface density weight·(w(d)/(c_w ℓ) + ℓ|∇d|²/c_w): its integral
     * is the crack length (area).
     *
     * A pore is already void: charging its damage the full crack energy kept
     * d at 0 inside it, so a crack reaching the pore wall met a damage sink
     * one cell wide, and its nodes on the wall overshot d = 1 (to 1.10 in the
     * microstructure case of doc/lithium.md) until Newton failed. With a
     * nearly free phase field inside, the pore wall is a free surface for the
     * damage, as for a pore cut out of the mesh; the small remainder keeps the
     * pore's damage rows regular.
     */
    struct CrackDensity
    {
      static constexpr double pore_weight = 1e-3;

      double c_w, w, dw, ddw, weight;

      CrackDensity(const double d, const bool at1, const bool in_pore)
          : weight(in_pore ? pore_weight : 1.0)
      {
        if (at1)
          c_w = 8.0 / 3.0, w = d, dw = 1, ddw = 0;
        else
          c_w = 2.0, w = d * d, dw = 2 * d, ddw = 2;
      }
    };

    template <int dim>
    SymmetricTensor<2, dim> strain_from(const std::vector<Tensor<1, dim>> &gradients,
                                        const unsigned int                 first)
    {
      SymmetricTensor<2, dim> strain;
      for (unsigned int i = 0; i < dim; ++i)
        for (unsigned int j = i; j < dim; ++j)
          strain[i][j] = 0.5 * (gradients[first + i][j] + gradients[first + j][i]);
      return strain;
    }

    /** Stress, energy density and void fraction for VTU output. */
    template <int dim> class FractureOutput : public DataPostprocessor<dim>
    {
    public:
      FractureOutput(const MaterialField<dim> &material, const CouplingLaws<dim> &coupling,
                     const unsigned int u, const unsigned int d, const EnergySplit split,
                     const double k)
          : material(material)
          , coupling(coupling)
          , u(u)
          , d(d)
          , split(split)
          , k(k)
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
            const auto               strain  = strain_from<dim>(inputs.solution_gradients[q], u);
            const auto               lame =
                LameConstants::from_youngs_modulus(data.youngs_modulus[q], data.poisson_ratio[q]);
            const auto                    energy = split_elastic_energy(strain, lame, split, false);
            const DamageFunctions         f(inputs.solution_values[q][d], k,
                                            data.phase[q] == 3 /* Phase::pore */);
            const double                  chi = coupled.void_indicator.value;
            const SymmetricTensor<2, dim> stress =
                f.g * energy.positive_stress + f.g_negative * energy.negative_stress -
                chi * coupled.pressure.value * unit_symmetric_tensor<dim>();
            unsigned int c = 0;
            for (unsigned int i = 0; i < dim; ++i)
              for (unsigned int j = 0; j < dim; ++j)
                computed[q][c++] = stress[i][j];
            computed[q][c++] = std::sqrt(1.5) * deviator(stress).norm();
            computed[q][c++] = f.g * energy.positive_energy + f.g_negative * energy.negative_energy;
            computed[q][c++] = chi * std::max(trace(strain), 0.0);
          }
      }

      std::vector<std::string> get_names() const override
      {
        std::vector<std::string> names(dim * dim, "stress");
        names.push_back("von_mises_stress");
        names.push_back("elastic_energy_density");
        names.push_back("crack_void_fraction");
        return names;
      }

      std::vector<DataComponentInterpretation::DataComponentInterpretation>
      get_data_component_interpretation() const override
      {
        std::vector<DataComponentInterpretation::DataComponentInterpretation> kinds(
            dim * dim, DataComponentInterpretation::component_is_part_of_tensor);
        kinds.insert(kinds.end(), 3, DataComponentInterpretation::component_is_scalar);
        return kinds;
      }

      UpdateFlags get_needed_update_flags() const override
      {
        return update_values | update_gradients | update_quadrature_points;
      }

    private:
      const MaterialField<dim> &material;
      const CouplingLaws<dim>  &coupling;
      const unsigned int        u, d;
      const EnergySplit         split;
      const double              k;
    };
  } // namespace

  template <int dim> void Fracture<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Fracture");
    prm.declare_entry("Model", "AT1", Patterns::Selection("AT1|AT2"),
                      "AT1: linear crack density, elastic up to a threshold stress "
                      "σc = sqrt(3 Gc E / (8 ℓ)); AT2: quadratic, damage from the first load.");
    prm.declare_entry("Energy split", "volumetric-deviatoric",
                      Patterns::Selection("none|volumetric-deviatoric|spectral"),
                      "Part of the elastic energy that damage degrades: all of it (none), "
                      "the deviatoric and expansive volumetric part (Amor), or the "
                      "positive principal strains (Miehe).");
    prm.declare_entry("Length scale", "1e-6", Patterns::Double(0),
                      "Phase-field length ℓ [m]; resolve it with at least two cells.");
    prm.declare_entry("Residual stiffness", "1e-6", Patterns::Double(0, 1),
                      "k: the stiffness fraction a fully broken point keeps.");
    prm.declare_entry("Irreversibility", "active set", Patterns::Selection("active set|none"),
                      "active set: d never decreases, enforced exactly by a primal–dual "
                      "active set in Newton; none: reversible damage (for studies only).");
    prm.declare_entry(
        "Damage in the displacement equation", "current", Patterns::Selection("current|lagged"),
        "current: g(d) and χ(d) of the equilibrium equation use the unknown damage (exact "
        "monolithic coupling; once a crack runs unstably the Jacobian is indefinite and Newton "
        "may fail). lagged: they use the damage of the previous step, so the Jacobian is block "
        "lower triangular with positive definite diagonal blocks and every step converges, at "
        "the price of a crack that lags one step behind: take small load steps where cracks run.");
    prm.declare_entry("Stack pressure", "0", Patterns::Anything(),
                      "P_stack(t) [Pa]: compressive traction on the counter electrode (y = L).");
    prm.declare_entry("Initial damage", "0", Patterns::Anything(),
                      "d(x, y, z) at t = 0, clipped to [0, 1]: notches and initial cracks.");
    prm.declare_entry("Displacement boundary conditions", "bottom: all = 0", Patterns::Anything(),
                      "Dirichlet conditions 'boundary: component = expression' separated by "
                      "';'. Boundaries: bottom (y = 0), top (y = L), left, right, front, back, "
                      "lateral (Gmsh); components x, y, z or all; expressions of x, y, z, t "
                      "[m]. Boundaries not listed are traction free.");
    prm.declare_entry("Reaction boundary", "top", Patterns::Anything(),
                      "Boundary whose reaction force and mean displacement are reported "
                      "(load–displacement curves).");
    prm.declare_entry("Refinement threshold", "0.1", Patterns::Double(0, 1),
                      "Cells where d exceeds this, and their neighbours, are refined to "
                      "Mesh refinement/Maximum level and the step is redone (predictor–"
                      "corrector); 0 switches this off.");
    prm.declare_entry("Maximum damage increment", "0", Patterns::Double(0, 1),
                      "Largest rise of d at a node in one step; a step above it is redone with "
                      "a smaller time step, down to Time stepping/Minimum time step, where it "
                      "is accepted (a crack running unstably advances at the minimum load "
                      "step). The next step is sized to reach about 0.9 of it. 0: no limit.");
    prm.declare_entry("Viscous relaxation time", "0", Patterns::Double(0),
                      "τ [s]: viscous regularisation of the damage, (Gc/ℓ)·τ·ḋ added to its "
                      "driving force, so that a crack which would jump within a step runs at a "
                      "finite speed the time step can follow (an assumption of the model; keep "
                      "τ far below the times of lithium transport); 0: rate-independent.");
    prm.declare_entry("Opening profile axis", "x", Patterns::Selection("x|y|z"),
                      "Axis along which the crack opening w(s) = −∫ u·∇d is binned.");
    prm.declare_entry("Opening profile bins", "200", Patterns::Integer(1), "Bins of the profile.");
    prm.declare_entry("Picture pixels", "0", Patterns::Integer(0),
                      "Width in pixels of the picture written with every field output, e.g. "
                      "solution_00003_damage.svg and .png: the damage in blue and the lithium "
                      "metal in crimson over the material phases, with title, scale bar, "
                      "legend and colour bars (3D: the mid-plane in z); 0: none.");
    prm.declare_entry("Picture region", "", Patterns::Anything(),
                      "The part of the mesh the picture shows, 'x0, y0, x1, y1' [m] with x0 < "
                      "x1 and y0 < y1, e.g. the neighbourhood of a flaw; empty: the whole "
                      "mesh.");
    prm.leave_subsection();
  }

  template <int dim> Fracture<dim>::Fracture(ParameterHandler &prm)
  {
    prm.enter_subsection("Fracture");
    at1                  = prm.get("Model") == "AT1";
    split                = parse_energy_split(prm.get("Energy split"));
    ell                  = prm.get_double("Length scale");
    residual_stiffness   = prm.get_double("Residual stiffness");
    irreversible         = prm.get("Irreversibility") == "active set";
    lagged_degradation   = prm.get("Damage in the displacement equation") == "lagged";
    refinement_threshold = prm.get_double("Refinement threshold");
    max_damage_increment = prm.get_double("Maximum damage increment");
    relaxation_time      = prm.get_double("Viscous relaxation time");
    profile_axis         = prm.get("Opening profile axis")[0] - 'x';
    profile_bins         = prm.get_integer("Opening profile bins");
    picture_pixels       = prm.get_integer("Picture pixels");
    if (const auto corners = Utilities::split_string_list(prm.get("Picture region"));
        !corners.empty())
      {
        const std::string   parameter = "Fracture/Picture region";
        std::vector<double> values;
        for (const auto &corner : corners)
          if (double value = 0; read_decimal(corner, value) == DecimalReading::finite)
            values.push_back(value);
        if (values.size() != 4 || corners.size() != 4 || !(values[0] < values[2]) ||
            !(values[1] < values[3]))
          throw InputError(parameter + " = '" + prm.get("Picture region") +
                           "': give x0, y0, x1, y1 in m with x0 < x1 and y0 < y1");
        picture_region.emplace(
            std::make_pair(Point<2>(values[0], values[1]), Point<2>(values[2], values[3])));
      }
    if (ell <= 0)
      throw InputError("Fracture/Length scale must be positive");
    if (profile_axis >= dim)
      throw InputError("Fracture/Opening profile axis: z in a 2D run");
    stack_pressure = parse_expression<1>("t", prm.get("Stack pressure"), "Fracture/Stack pressure");
    initial_damage = parse_expression<dim>(coordinate_names<dim>(false), prm.get("Initial damage"),
                                           "Fracture/Initial damage");
    reaction_boundary = boundary_from_name(Utilities::trim(prm.get("Reaction boundary")),
                                           "Fracture/Reaction boundary");

    const std::string parameter = "Fracture/Displacement boundary conditions";
    for (const auto &entry :
         Utilities::split_string_list(prm.get("Displacement boundary conditions"), ';'))
      {
        const auto colon = entry.find(':');
        const auto equal = entry.find('=');
        if (colon == std::string::npos || equal == std::string::npos || equal < colon)
          throw InputError(parameter + ": '" + entry +
                           "' is not of the form 'boundary: component = expression'");
        const auto boundary =
            boundary_from_name(Utilities::trim(entry.substr(0, colon)), parameter);
        const auto component = Utilities::trim(entry.substr(colon + 1, equal - colon - 1));
        const auto value     = entry.substr(equal + 1);
        std::vector<unsigned int> components;
        if (component == "all")
          for (unsigned int c = 0; c < dim; ++c)
            components.push_back(c);
        else if (component.size() == 1 && component[0] >= 'x' &&
                 static_cast<unsigned int>(component[0] - 'x') < dim)
          components.push_back(component[0] - 'x');
        else
          throw InputError(parameter + ": unknown displacement component '" + component + "' in '" +
                           entry + "' (x, y" + (dim == 3 ? ", z" : "") + " or all)");
        for (const auto c : components)
          displacement_conditions.push_back(
              {boundary, c,
               parse_expression<dim>(coordinate_names<dim>(true), value, parameter, true)});
      }
    prm.leave_subsection();
  }

  template <int dim> std::vector<FieldDescription> Fracture<dim>::fields() const
  {
    return {{"displacement", dim, 1, LowerBound::none},
            {"damage", 1, 1, irreversible ? LowerBound::nondecreasing : LowerBound::none}};
  }

  template <int dim> void Fracture<dim>::initialize(const ModuleContext<dim> &context)
  {
    PhysicsModule<dim>::initialize(context);
    // The coarse vertices are on every rank, so the box (and the scales) agree.
    const auto &vertices = context.dof_handler->get_triangulation().get_vertices();
    for (unsigned int d = 0; d < dim; ++d)
      {
        domain_low[d]  = std::numeric_limits<double>::max();
        domain_high[d] = -std::numeric_limits<double>::max();
      }
    for (const auto &v : vertices)
      for (unsigned int d = 0; d < dim; ++d)
        {
          domain_low[d]  = std::min(domain_low[d], v[d]);
          domain_high[d] = std::max(domain_high[d], v[d]);
        }
    const MaterialPointData reference =
        context.material->reference_properties(0.5 * (domain_low + domain_high));
    if (!(reference.youngs_modulus[0] > 0) || !(reference.fracture_energy[0] > 0))
      throw InputError("Fracture: Young's modulus and the critical energy release rate must be "
                       "positive (at the centre of the domain)");
    // Rows of order strain (equilibrium) and of order one (damage).
    displacement_scale = 1.0 / reference.youngs_modulus[0];
    damage_scale       = ell / reference.fracture_energy[0];

    // The coarse cells are on every rank: the same answer everywhere.
    double coarse = std::numeric_limits<double>::max();
    for (const auto &cell : context.dof_handler->get_triangulation().cell_iterators_on_level(0))
      coarse = std::min(coarse, cell->minimum_vertex_distance());
    finest_level     = context.finest_level;
    finest_cell_size = coarse / std::pow(2.0, finest_level);
  }

  template <int dim> std::vector<std::string> Fracture<dim>::warnings() const
  {
    if (ell >= 2 * finest_cell_size)
      return {};
    std::ostringstream text;
    text << "Fracture/Length scale " << ell
         << " m is below two cells of the finest mesh (h = " << finest_cell_size << " m at level "
         << finest_level
         << "): cracks are not resolved and their length, volume and critical load are wrong; "
            "raise Mesh refinement/Maximum level or the length scale";
    return {text.str()};
  }

  template <int dim> double Fracture<dim>::residual_scale(const std::string &field) const
  {
    return field == "damage" ? damage_scale : displacement_scale;
  }

  template <int dim> double Fracture<dim>::bound_stiffness(const std::string &) const
  {
    // Damage rows are of order Gc/ℓ per unit mass and unit damage.
    return 1.0 / damage_scale;
  }

  template <int dim> void Fracture<dim>::save_state(std::ostream &out) const
  {
    out << have_last << ' ' << last_time << ' ' << last_tip << ' ' << last_length << '\n';
  }

  template <int dim> void Fracture<dim>::load_state(std::istream &in)
  {
    in >> have_last >> last_time >> last_tip >> last_length;
    if (!in)
      throw InputError("checkpoint: the crack-tip history of the fracture module is unreadable");
  }

  template <int dim>
  void Fracture<dim>::add_constraints(AffineConstraints<double> &constraints, const double time)
  {
    const DoFHandler<dim> &dof_handler  = *this->context.dof_handler;
    const unsigned int     n_components = dof_handler.get_fe().n_components();
    for (auto &condition : displacement_conditions)
      {
        condition.value->set_time(time);
        const unsigned int component = displacement_component() + condition.component;
        ComponentMask      mask(n_components, false);
        mask.set(component, true);
        VectorTools::interpolate_boundary_values(
            dof_handler, condition.boundary,
            ComponentValue<dim>(n_components, component, *condition.value), constraints, mask);
      }
  }

  template <int dim>
  double Fracture<dim>::initial_value(const Point<dim> &point, const std::string &field,
                                      const unsigned int) const
  {
    if (field != "damage")
      return 0;
    return std::clamp(initial_damage->value(point), 0.0, 1.0);
  }

  template <int dim>
  void Fracture<dim>::assemble_cell(const FEValues<dim> &fe_values, const PointState<dim> &state,
                                    LocalSystem &local) const
  {
    const FiniteElement<dim> &fe = fe_values.get_fe();
    const unsigned int        u0 = displacement_component(), d0 = damage_component();
    const unsigned int        n_dofs = fe.n_dofs_per_cell();
    std::vector<unsigned int> u_dofs, d_dofs;
    for (unsigned int i = 0; i < n_dofs; ++i)
      {
        const unsigned int c = fe.system_to_component_index(i).first;
        if (c == d0)
          d_dofs.push_back(i);
        else if (c >= u0 && c < u0 + dim)
          u_dofs.push_back(i);
      }
    const FEValuesExtractors::Vector displacement(u0);
    const FEValuesExtractors::Scalar damage(d0);
    const SymmetricTensor<2, dim>    identity = unit_symmetric_tensor<dim>();
    const bool with_displacement_damage_block = !local.staggered && !lagged_degradation;

    std::vector<SymmetricTensor<2, dim>> shape_strain(u_dofs.size());
    std::vector<double>                  shape_value(d_dofs.size());
    std::vector<Tensor<1, dim>>          shape_grad(d_dofs.size());
    // Derivatives along every local shape function of the pressure loads
    // χ_e·p (equilibrium) and χ'·p (damage driving force).
    std::vector<double> d_load(n_dofs), d_driving_load(n_dofs);
    for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
      {
        const double JxW = fe_values.JxW(q);
        for (unsigned int a = 0; a < u_dofs.size(); ++a)
          shape_strain[a] = fe_values[displacement].symmetric_gradient(u_dofs[a], q);
        for (unsigned int a = 0; a < d_dofs.size(); ++a)
          {
            shape_value[a] = fe_values[damage].value(d_dofs[a], q);
            shape_grad[a]  = fe_values[damage].gradient(d_dofs[a], q);
          }

        const auto           strain = strain_from<dim>(state.gradients[q], u0);
        const double         d      = state.values[q][d0];
        const Tensor<1, dim> grad_d = state.gradients[q][d0];
        const auto          &m      = state.material;
        const auto           lame =
            LameConstants::from_youngs_modulus(m.youngs_modulus[q], m.poisson_ratio[q]);
        const auto elastic = split_elastic_energy(strain, lame, split, local.assemble_matrix);
        const bool in_pore = m.phase[q] == 3 /* Phase::pore */;
        const DamageFunctions f(d, residual_stiffness, in_pore);
        // The damage that degrades the equilibrium equation: with lagging,
        // the previous step's, so that equation does not depend on d.
        const DamageFunctions f_elastic =
            lagged_degradation
                ? DamageFunctions(state.old_values[q][d0], residual_stiffness, in_pore)
                : f;
        const CoupledPoint<dim> &coupled = state.coupled[q];
        const double             chi_elastic =
            lagged_degradation ? coupled.void_indicator_old : coupled.void_indicator.value;
        const double p    = coupled.pressure.value;
        const double load = chi_elastic * p, driving_load = coupled.void_indicator_slope.value * p;
        const CrackDensity crack(d, at1, in_pore);
        const double       gc = m.fracture_energy[q];
        const double       tr = trace(strain);

        const SymmetricTensor<2, dim> stress = f_elastic.g * elastic.positive_stress +
                                               f_elastic.g_negative * elastic.negative_stress -
                                               load * identity;
        const double driving   = f.dg * elastic.positive_energy - driving_load * tr;
        const double crack_fac = crack.weight * gc / crack.c_w;
        // (Gc/ℓ)τ/Δt: the viscous resistance per unit rise of d in the step.
        const double viscosity     = (relaxation_time > 0 && state.time_step > 0)
                                         ? gc / ell * relaxation_time / state.time_step
                                         : 0.0;
        const double viscous_force = viscosity * (d - state.old_values[q][d0]);

        for (unsigned int a = 0; a < u_dofs.size(); ++a)
          local.residual[u_dofs[a]] += (stress * shape_strain[a]) * JxW;
        for (unsigned int a = 0; a < d_dofs.size(); ++a)
          local.residual[d_dofs[a]] +=
              ((driving + viscous_force + crack_fac * crack.dw / ell) * shape_value[a] +
               crack_fac * 2 * ell * (grad_d * shape_grad[a])) *
              JxW;

        if (!local.assemble_matrix)
          continue;
        for (unsigned int k = 0; k < n_dofs; ++k)
          {
            const ShapeAtPoint<dim> &shape = state.shapes[q][k];
            const double             d_p   = coupled.pressure.derivative(shape);
            d_load[k]                      = chi_elastic * d_p +
                        (lagged_degradation ? 0.0 : p * coupled.void_indicator.derivative(shape));
            d_driving_load[k] = coupled.void_indicator_slope.value * d_p +
                                p * coupled.void_indicator_slope.derivative(shape);
            // The staggered Jacobian solves for u at fixed d.
            if (local.staggered && shape.component == d0)
              d_load[k] = 0;
          }
        const SymmetricTensor<4, dim> tangent = f_elastic.g * elastic.positive_tangent +
                                                f_elastic.g_negative * elastic.negative_tangent;
        // ∂(∂Π/∂d)/∂ε of the elastic part, and ∂σ/∂d by symmetry of the energy.
        const SymmetricTensor<2, dim> elastic_coupling = f.dg * elastic.positive_stress;
        const double                  dd_point =
            f.ddg * elastic.positive_energy + crack_fac * crack.ddw / ell + viscosity;
        for (unsigned int a = 0; a < u_dofs.size(); ++a)
          {
            const SymmetricTensor<2, dim> t_a     = shape_strain[a] * tangent;
            const double                  trace_a = trace(shape_strain[a]);
            for (unsigned int b = 0; b < u_dofs.size(); ++b)
              local.matrix(u_dofs[a], u_dofs[b]) += (t_a * shape_strain[b]) * JxW;
            const double c_a = elastic_coupling * shape_strain[a];
            for (unsigned int b = 0; b < d_dofs.size(); ++b)
              {
                if (with_displacement_damage_block)
                  local.matrix(u_dofs[a], d_dofs[b]) += c_a * shape_value[b] * JxW;
                local.matrix(d_dofs[b], u_dofs[a]) +=
                    (c_a - driving_load * trace_a) * shape_value[b] * JxW;
              }
            for (unsigned int k = 0; k < n_dofs; ++k)
              local.matrix(u_dofs[a], k) -= d_load[k] * trace_a * JxW;
          }
        for (unsigned int a = 0; a < d_dofs.size(); ++a)
          {
            for (unsigned int b = 0; b < d_dofs.size(); ++b)
              local.matrix(d_dofs[a], d_dofs[b]) +=
                  (dd_point * shape_value[a] * shape_value[b] +
                   crack_fac * 2 * ell * (shape_grad[a] * shape_grad[b])) *
                  JxW;
            for (unsigned int k = 0; k < n_dofs; ++k)
              local.matrix(d_dofs[a], k) -= d_driving_load[k] * tr * shape_value[a] * JxW;
          }
      }
  }

  template <int dim>
  void Fracture<dim>::assemble_boundary_face(const FEFaceValues<dim> &fe_face_values,
                                             const types::boundary_id boundary_id,
                                             const PointState<dim> &state, LocalSystem &local) const
  {
    if (boundary_id != boundary_ids::counter_electrode)
      return;
    stack_pressure->set_time(state.time);
    const double stack = stack_pressure->value(Point<1>(state.time));
    if (stack == 0)
      return;
    const FEValuesExtractors::Vector displacement(displacement_component());
    const FiniteElement<dim>        &fe = fe_face_values.get_fe();
    for (unsigned int q = 0; q < fe_face_values.n_quadrature_points; ++q)
      for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
        {
          const unsigned int c = fe.system_to_component_index(i).first;
          if (c < displacement_component() || c >= displacement_component() + dim)
            continue;
          // Compressive traction t = −P n does work −∫ t·u.
          local.residual[i] +=
              stack * (fe_face_values[displacement].value(i, q) * fe_face_values.normal_vector(q)) *
              fe_face_values.JxW(q);
        }
  }

  template <int dim> struct Fracture<dim>::Integrals
  {
    double         elastic_energy = 0, fracture_energy = 0, crack_length = 0, pressure_work = 0;
    double         crack_volume = 0, void_volume = 0, max_damage = 0;
    double         tip = -std::numeric_limits<double>::max();
    Tensor<1, dim> reaction_force, boundary_displacement;
    double         boundary_measure = 0;
  };

  template <int dim>
  typename Fracture<dim>::Integrals Fracture<dim>::integrate(const BlockVector &solution,
                                                             const double       time) const
  {
    const DoFHandler<dim>           &dof_handler = *this->context.dof_handler;
    const FiniteElement<dim>        &fe          = dof_handler.get_fe();
    const QGauss<dim>                quadrature(fe.degree + 1);
    const QGauss<dim - 1>            face_quadrature(fe.degree + 1);
    FEValues<dim>                    fe_values(fe, quadrature,
                                               update_values | update_gradients | update_quadrature_points |
                                                   update_JxW_values);
    FEFaceValues<dim>                fe_face_values(fe, face_quadrature,
                                                    update_values | update_gradients | update_quadrature_points |
                                                        update_JxW_values | update_normal_vectors);
    const FEValuesExtractors::Vector displacement(displacement_component());
    const FEValuesExtractors::Scalar damage(damage_component());
    const CouplingLaws<dim>         &coupling = *this->context.coupling;

    Integrals                            sum;
    SolutionAtPoints<dim>                at_points, at_face_points;
    std::vector<SymmetricTensor<2, dim>> strains(quadrature.size());
    std::vector<Tensor<1, dim>> u_values(quadrature.size()), d_gradients(quadrature.size());
    std::vector<double>         d_values(quadrature.size());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values[displacement].get_function_symmetric_gradients(solution, strains);
          fe_values[displacement].get_function_values(solution, u_values);
          fe_values[damage].get_function_values(solution, d_values);
          fe_values[damage].get_function_gradients(solution, d_gradients);
          const auto &points = fe_values.get_quadrature_points();
          coupling.evaluate_solution(fe_values, cell, solution, *this->context.material, time,
                                     at_points);
          const MaterialPointData &material = at_points.material;
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const double JxW     = fe_values.JxW(q);
              const auto   lame    = LameConstants::from_youngs_modulus(material.youngs_modulus[q],
                                                                        material.poisson_ratio[q]);
              const auto   elastic = split_elastic_energy(strains[q], lame, split, false);
              const bool   in_pore = material.phase[q] == 3;
              const DamageFunctions f(d_values[q], residual_stiffness, in_pore);
              const CrackDensity    crack(d_values[q], at1, in_pore);
              const double          density =
                  crack.weight * (crack.w / ell + ell * d_gradients[q].norm_square()) / crack.c_w;
              sum.elastic_energy +=
                  (f.g * elastic.positive_energy + f.g_negative * elastic.negative_energy) * JxW;
              sum.crack_length += density * JxW;
              sum.fracture_energy += material.fracture_energy[q] * density * JxW;
              const double chi = at_points.coupled[q].void_indicator.value;
              sum.pressure_work +=
                  chi * at_points.coupled[q].pressure.value * trace(strains[q]) * JxW;
              sum.crack_volume -= (u_values[q] * d_gradients[q]) * JxW;
              sum.void_volume += chi * std::max(trace(strains[q]), 0.0) * JxW;
              // Damage inside a pore only follows its wall: it is not a crack.
              if (in_pore)
                continue;
              sum.max_damage = std::max(sum.max_damage, d_values[q]);
              if (d_values[q] >= 0.9)
                sum.tip = std::max(sum.tip, points[q][profile_axis]);
            }

          for (const auto face_no : cell->face_indices())
            if (cell->face(face_no)->at_boundary() &&
                cell->face(face_no)->boundary_id() == reaction_boundary)
              {
                fe_face_values.reinit(cell, face_no);
                const unsigned int                   n_q = face_quadrature.size();
                std::vector<SymmetricTensor<2, dim>> face_strains(n_q);
                std::vector<Tensor<1, dim>>          face_u(n_q);
                std::vector<double>                  face_d(n_q);
                fe_face_values[displacement].get_function_symmetric_gradients(solution,
                                                                              face_strains);
                fe_face_values[displacement].get_function_values(solution, face_u);
                fe_face_values[damage].get_function_values(solution, face_d);
                coupling.evaluate_solution(fe_face_values, cell, solution, *this->context.material,
                                           time, at_face_points);
                const MaterialPointData &face_material = at_face_points.material;
                for (unsigned int q = 0; q < n_q; ++q)
                  {
                    const auto lame = LameConstants::from_youngs_modulus(
                        face_material.youngs_modulus[q], face_material.poisson_ratio[q]);
                    const auto elastic = split_elastic_energy(face_strains[q], lame, split, false);
                    const DamageFunctions         f(face_d[q], residual_stiffness,
                                                    face_material.phase[q] == 3);
                    const SymmetricTensor<2, dim> stress =
                        f.g * elastic.positive_stress + f.g_negative * elastic.negative_stress -
                        at_face_points.coupled[q].void_indicator.value *
                            at_face_points.coupled[q].pressure.value * unit_symmetric_tensor<dim>();
                    sum.reaction_force +=
                        stress * fe_face_values.normal_vector(q) * fe_face_values.JxW(q);
                    sum.boundary_displacement += face_u[q] * fe_face_values.JxW(q);
                    sum.boundary_measure += fe_face_values.JxW(q);
                  }
              }
        }

    const MPI_Comm comm      = this->context.mpi_communicator;
    double         values[7] = {sum.elastic_energy,  sum.fracture_energy, sum.crack_length,
                                sum.pressure_work,   sum.crack_volume,    sum.void_volume,
                                sum.boundary_measure};
    Utilities::MPI::sum(ArrayView<const double>(values, 7), comm, ArrayView<double>(values, 7));
    sum.elastic_energy        = values[0];
    sum.fracture_energy       = values[1];
    sum.crack_length          = values[2];
    sum.pressure_work         = values[3];
    sum.crack_volume          = values[4];
    sum.void_volume           = values[5];
    sum.boundary_measure      = values[6];
    sum.reaction_force        = Utilities::MPI::sum(sum.reaction_force, comm);
    sum.boundary_displacement = Utilities::MPI::sum(sum.boundary_displacement, comm);
    sum.max_damage            = Utilities::MPI::max(sum.max_damage, comm);
    sum.tip                   = Utilities::MPI::max(sum.tip, comm);
    return sum;
  }

  template <int dim>
  StatisticsEntries Fracture<dim>::postprocess(const BlockVector &solution, const double time) const
  {
    const Integrals sum  = integrate(solution, time);
    const char      axis = static_cast<char>('x' + profile_axis);
    // Without a broken point the tip sits at the start of the profile axis.
    const double tip = sum.tip > domain_low[profile_axis] ? sum.tip : domain_low[profile_axis];
    double       tip_speed = 0, growth_rate = 0;
    if (have_last && time > last_time)
      {
        tip_speed   = (tip - last_tip) / (time - last_time);
        growth_rate = (sum.crack_length - last_length) / (time - last_time);
      }
    last_time   = time;
    last_tip    = tip;
    last_length = sum.crack_length;
    have_last   = true;

    const std::string area = dim == 2 ? "m" : "m^2";
    const std::string per  = dim == 2 ? " [J/m]" : " [J]";
    StatisticsEntries entries{
        {"crack_volume [" + std::string(dim == 2 ? "m^2" : "m^3") + "]", sum.crack_volume},
        {"crack_void_volume [" + std::string(dim == 2 ? "m^2" : "m^3") + "]", sum.void_volume},
        {"crack_length [" + area + "]", sum.crack_length},
        {"max_damage", sum.max_damage},
        {std::string("crack_tip_") + axis + " [m]", tip},
        {"crack_tip_speed [m/s]", tip_speed},
        {"crack_growth_rate [" + area + "/s]", growth_rate},
        {"elastic_energy" + per, sum.elastic_energy},
        {"fracture_energy" + per, sum.fracture_energy},
        {"pressure_work" + per, sum.pressure_work}};
    const std::string force_unit = dim == 2 ? " [N/m]" : " [N]";
    for (unsigned int d = 0; d < dim; ++d)
      {
        const char c = static_cast<char>('x' + d);
        entries.push_back({std::string("reaction_force_") + c + force_unit, sum.reaction_force[d]});
        entries.push_back(
            {std::string("boundary_displacement_") + c + " [m]",
             sum.boundary_measure > 0 ? sum.boundary_displacement[d] / sum.boundary_measure : 0.0});
      }
    return entries;
  }

  template <int dim>
  std::vector<std::pair<double, double>>
  Fracture<dim>::opening_profile(const BlockVector &solution) const
  {
    const DoFHandler<dim>           &dof_handler = *this->context.dof_handler;
    const FiniteElement<dim>        &fe          = dof_handler.get_fe();
    const QGauss<dim>                quadrature(fe.degree + 2);
    FEValues<dim>                    fe_values(fe, quadrature,
                                               update_values | update_gradients | update_quadrature_points |
                                                   update_JxW_values);
    const FEValuesExtractors::Vector displacement(displacement_component());
    const FEValuesExtractors::Scalar damage(damage_component());
    const double                     low = domain_low[profile_axis],
                 width                   = (domain_high[profile_axis] - low) / profile_bins;
    std::vector<double>         opening(profile_bins, 0.0);
    std::vector<Tensor<1, dim>> u_values(quadrature.size()), d_gradients(quadrature.size());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values[displacement].get_function_values(solution, u_values);
          fe_values[damage].get_function_gradients(solution, d_gradients);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const int bin =
                  static_cast<int>((fe_values.quadrature_point(q)[profile_axis] - low) / width);
              opening[std::clamp(bin, 0, static_cast<int>(profile_bins) - 1)] -=
                  (u_values[q] * d_gradients[q]) * fe_values.JxW(q);
            }
        }
    Utilities::MPI::sum(opening, this->context.mpi_communicator, opening);
    std::vector<std::pair<double, double>> profile(profile_bins);
    for (unsigned int b = 0; b < profile_bins; ++b)
      profile[b] = {low + (b + 0.5) * width, opening[b] / width};
    return profile;
  }

  template <int dim>
  void Fracture<dim>::write_output(const BlockVector &solution, const double time,
                                   const std::string &file_stem) const
  {
    if (picture_pixels > 0)
      {
        CrackPictureFields<dim> drawn{damage_component(), nullptr};
        if (this->context.fields->has("lithium"))
          drawn.lithium_metal = this->context.coupling;
        write_field_picture(*this->context.dof_handler, solution, drawn, *this->context.material,
                            picture_pixels, picture_region, time, file_stem + "damage",
                            this->context.mpi_communicator);
      }
    const auto profile = opening_profile(solution);
    if (Utilities::MPI::this_mpi_process(this->context.mpi_communicator) != 0)
      return;
    std::ofstream out(file_stem + "crack_opening.csv");
    out << static_cast<char>('x' + profile_axis) << " [m],opening [m]\n";
    out.precision(10);
    for (const auto &[s, w] : profile)
      out << s << ',' << w << '\n';
  }

  template <int dim>
  double Fracture<dim>::step_change(const BlockVector &solution,
                                    const BlockVector &old_solution) const
  {
    if (max_damage_increment <= 0)
      return 0;
    return this->largest_increment(solution, old_solution, damage_component()) /
           max_damage_increment;
  }

  template <int dim>
  std::unique_ptr<DataPostprocessor<dim>> Fracture<dim>::output_postprocessor() const
  {
    return std::make_unique<FractureOutput<dim>>(*this->context.material, *this->context.coupling,
                                                 displacement_component(), damage_component(),
                                                 split, residual_stiffness);
  }

  template <int dim>
  void Fracture<dim>::mark_refinement_targets(const BlockVector &solution,
                                              Vector<float>     &must_refine) const
  {
    if (refinement_threshold <= 0)
      return;
    const DoFHandler<dim>    &dof_handler = *this->context.dof_handler;
    const FiniteElement<dim> &fe          = dof_handler.get_fe();
    Vector<double>            values(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_values(solution, values);
          for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
            if (fe.system_to_component_index(i).first == damage_component() &&
                values[i] >= refinement_threshold)
              {
                must_refine[cell->active_cell_index()] = 1;
                break;
              }
        }
  }

  template class Fracture<2>;
  template class Fracture<3>;

  WEAKLINK_REGISTER_PHYSICS_MODULE(Fracture, "fracture")
} // namespace weaklink
