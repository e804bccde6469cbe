#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>
#include <weaklink/physics/coupled_quantities.h>
#include <weaklink/physics/crack_aperture.h>
#include <weaklink/physics/intact_fraction.h>

#include <deal.II/base/quadrature_lib.h>

#include <Sacado.hpp>

#include <algorithm>
#include <cmath>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /**
     * Derivatives in place, no heap: five fields in 3D have 7 components of
     * 4 values each and 8 lithium nodes, 36 independent variables.
     */
    constexpr unsigned int max_independent = 40;
    using ADNumber                         = Sacado::Fad::SLFad<double, max_independent>;

    /** Positions of the scalar coupled quantities in the evaluation array. */
    enum Quantity : unsigned int
    {
      chi,
      chi_slope,
      void_fraction,
      filling,
      pressure,
      overpotential,
      interface_area,
      deposition,
      ionic_conductivity,
      electronic_conductivity,
      content,
      mobility
    };
    constexpr unsigned int n_quantities = 12;

    constexpr unsigned char pore_phase = 3, boundary_phase = 1, weak_boundary_phase = 2;

    double value_of(const double x)
    {
      return x;
    }
    double value_of(const ADNumber &x)
    {
      return x.val();
    }

    /**
     * The independent variables, in order: every component's value, its
     * gradient, the lithium filling of the nodes.
     */
    template <int dim>
    void to_linearized(const ADNumber &x, const unsigned int n_components,
                       const unsigned int n_lithium_nodes, Linearized<dim> &out)
    {
      // Runs for every quantity at every quadrature point: the vectors keep
      // their sizes from the last point, and each entry is written once.
      out.value = x.val();
      out.d_values.resize(n_components);
      out.d_gradients.resize(n_components);
      out.d_lithium_nodes.resize(n_lithium_nodes);
      const bool    constant    = x.size() == 0;
      const double *derivatives = constant ? nullptr : &x.fastAccessDx(0);
      const auto derivative = [&](const unsigned int k) { return constant ? 0.0 : derivatives[k]; };
      for (unsigned int c = 0; c < n_components; ++c)
        {
          out.d_values[c] = derivative(c);
          for (unsigned int d = 0; d < dim; ++d)
            out.d_gradients[c][d] = derivative(n_components + c * dim + d);
        }
      for (unsigned int i = 0; i < n_lithium_nodes; ++i)
        out.d_lithium_nodes[i] = derivative(n_components * (1 + dim) + i);
    }

    /**
     * The metal θ of the raw filling: 0 below 0 (a Newton iterate may pass
     * below empty), the filling itself above θ_s = 10⁻³, and between them
     * θ²(2θ_s − θ)/θ_s², C¹ with value and slope 0 at 0. An empty node sits
     * at θ = 0; with a plain cut-off there, the deposition ∝ θ has a kink
     * that Newton circled (two residuals in turn, 9e-8 and 4e-8).
     */
    template <typename Number> Number metal_onset(const Number &raw)
    {
      constexpr double onset = 1e-3;
      if (value_of(raw) <= 0)
        return 0.0;
      if (value_of(raw) >= onset)
        return raw;
      return raw * raw * (2.0 * onset - raw) / (onset * onset);
    }

    template <int dim> void to_linearized(const double x, Linearized<dim> &out)
    {
      out.value = x;
      out.d_values.clear();
      out.d_gradients.clear();
      out.d_lithium_nodes.clear();
    }
  } // namespace

  template <int dim>
  void LithiumNodes<dim>::reinit(const FEValuesBase<dim> &fe_values,
                                 const Vector<double> &local_values, const unsigned int component)
  {
    const auto        &fe  = fe_values.get_fe();
    const unsigned int n_q = fe_values.n_quadrature_points;
    values.clear();
    node_of_dof.assign(fe.n_dofs_per_cell(), numbers::invalid_unsigned_int);
    for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
      if (fe.system_to_component_index(i).first == component)
        {
          node_of_dof[i] = values.size();
          values.push_back(local_values[i]);
        }

    shape_values.assign(values.empty() ? 0 : n_q, std::vector<double>(values.size()));
    shape_gradients.assign(values.empty() ? 0 : n_q, std::vector<Tensor<1, dim>>(values.size()));
    for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
      if (const unsigned int node = node_of_dof[i]; node != numbers::invalid_unsigned_int)
        for (unsigned int q = 0; q < n_q; ++q)
          {
            shape_values[q][node]    = fe_values.shape_value(i, q);
            shape_gradients[q][node] = fe_values.shape_grad(i, q);
          }
  }

  template <int dim>
  void LithiumNodes<dim>::attach(const unsigned int q, FieldPoint<dim> &fields) const
  {
    if (values.empty())
      return;
    fields.lithium_nodes           = &values;
    fields.lithium_shape_values    = &shape_values[q];
    fields.lithium_shape_gradients = &shape_gradients[q];
  }

  template <int dim> void CouplingLaws<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Coupling");
    prm.declare_entry("Prescribed lithium pressure", "0", Patterns::Anything(),
                      "p(x, y, z, t) [Pa] in pores and cracks and in the overpotential, when "
                      "the lithium module is off (with it, p follows from the lithium "
                      "content). Replaces Fracture/Pressure and Electrochemistry/Prescribed "
                      "lithium pressure.");
    prm.declare_entry("Residual ionic conductivity fraction", "1e-4", Patterns::Double(0, 1),
                      "k_ion: a broken band conducts ions with σ_ion·((1−k_ion)(1−d)² + "
                      "k_ion); a crack, wet or dry, does not conduct Li+ (MODEL.md §4).");
    prm.declare_entry("Grain-boundary free volume", "0.01", Patterns::Double(0, 1),
                      "Intrinsic void fraction of grain-boundary phases where nucleated "
                      "lithium can sit before it is compressed (an assumption; keeps the "
                      "pressure finite).");
    prm.declare_entry("Minimum void fraction", "1e-4", Patterns::Double(0, 1),
                      "φmin: where the void fraction is at most this, the point is dense "
                      "solid and holds no metal (no metallic conduction, no deposition "
                      "area); its metal and its share of a crack's creep flux rise smoothly "
                      "(C¹) from there to full at 2φmin. Every point also counts this much "
                      "void in the room lithium has, c = (φv + φmin)·s, so that a node always "
                      "has some.");
    prm.leave_subsection();

    prm.enter_subsection("Lithium");
    prm.declare_entry("Bulk modulus", "1.09e10", Patterns::Double(0),
                      "K_Li [Pa] (E 7.8 GPa, ν 0.38).");
    prm.declare_entry("Electronic conductivity", "1.08e7", Patterns::Double(0),
                      "σ_Li [S/m] of lithium metal.");
    prm.declare_entry("Pressure smoothing", "1e5", Patterns::Double(0),
                      "p_s [Pa]: the compressed branch K_Li⟨s − 1⟩₊ of the pressure with "
                      "its corner at s = 1 rounded over a pressure p_s (see Pressure unit), "
                      "so that the pressure, the metallic filling and the creep flux are "
                      "continuously differentiable where lithium arrives (Newton cannot "
                      "converge across a jump of the flux). Small against the pressures of "
                      "interest; p = 0.69 p_s at the corner. The corner of the opening "
                      "⟨tr ε⟩₊ is rounded over the strain p_s/K_Li that changes lithium's "
                      "pressure by p_s.");
    prm.declare_entry("Pressure unit", "1e7", Patterns::Double(0),
                      "p_u [Pa], at most K_Li: the unknown of the lithium field is a state x, "
                      "the filling s below 1 and 1 + p/p_u above, p = p_s·ln(1 + exp(p_u(x − "
                      "1)/p_s)) and s = x − p/p_u + p/K_Li, so that Newton meets the onset of "
                      "pressure on the scale p_u: a node the linearisation overfills lands "
                      "at a pressure of order p_u, not of K_Li. The filling's corner at s = 1 "
                      "is rounded over p_s/p_u. p_u = K_Li makes x the filling.");
    prm.declare_entry("Metallic filling exponent", "3", Patterns::Double(1),
                      "k of σ_e,eff = σ_e + θ^k σ_Li: a partly filled void conducts electrons "
                      "only once lithium connects across it (an assumption).");
    prm.declare_entry("Crack interface area density", "1e6", Patterns::Double(0),
                      "Li|electrolyte area per volume of a fully broken band [1/m]: the two "
                      "crack faces over a band about 2 µm wide.");
    prm.enter_subsection("Creep");
    prm.declare_entry("Prefactor", "4.25e4", Patterns::Double(0),
                      "A [1/s] of ε̇ = A exp(−Q/RT) (σ/S)^n (Anand et al., JES 2019, fitted to "
                      "LePage et al., JES 2019).");
    prm.declare_entry("Activation energy", "37000", Patterns::Double(0), "Q [J/mol].");
    prm.declare_entry("Resistance", "0.95e6", Patterns::Double(0),
                      "S [Pa], the deformation resistance (its saturation at 2 MPa is not "
                      "modelled; micron-scale lithium is much stronger: a study parameter).");
    prm.declare_entry("Exponent", "6.67", Patterns::Double(1), "n = 1/m.");
    prm.declare_entry("Regularisation gradient", "1e3", Patterns::Double(0),
                      "G0 [Pa/m]: |∇p|^(n−1) is taken as (|∇p|² + G0²)^((n−1)/2), so that the "
                      "flux law is differentiable at rest.");
    prm.declare_entry("Pore aperture", "1e-6", Patterns::Double(0),
                      "w [m]: the aperture of a pore channel in the slit-flow law.");
    prm.declare_entry("Crack band width", "2e-6", Patterns::Double(0),
                      "b [m]: the aperture of a crack is the opening ⟨tr ε⟩₊ of the cells "
                      "of its damage band (mean nodal d ≥ 0.1) integrated across it, along "
                      "the largest principal strain, over this width, taken at the start of "
                      "each step; it should span the band (4ℓ for AT1). Grain boundaries add "
                      "their free volume times b.");
    prm.leave_subsection();
    prm.leave_subsection();
  }

  template <int dim> CouplingLaws<dim>::CouplingLaws(ParameterHandler &prm)
  {
    prm.enter_subsection("Electrochemistry");
    butler_volmer.temperature              = prm.get_double("Temperature");
    butler_volmer.exchange_current_density = prm.get_double("Exchange current density");
    butler_volmer.anodic_transfer          = prm.get_double("Anodic transfer coefficient");
    butler_volmer.cathodic_transfer        = prm.get_double("Cathodic transfer coefficient");
    butler_volmer.molar_volume             = prm.get_double("Lithium molar volume");
    eta_nucleation                         = prm.get_double("Nucleation overpotential");
    prm.leave_subsection();

    prm.enter_subsection("Coupling");
    pressure_function =
        parse_expression<dim>(coordinate_names<dim>(true), prm.get("Prescribed lithium pressure"),
                              "Coupling/Prescribed lithium pressure", true);
    residual_ionic_fraction = prm.get_double("Residual ionic conductivity fraction");
    boundary_free_volume    = prm.get_double("Grain-boundary free volume");
    minimum_void_fraction   = prm.get_double("Minimum void fraction");
    prm.leave_subsection();

    prm.enter_subsection("Lithium");
    bulk_modulus         = prm.get_double("Bulk modulus");
    pressure_smoothing   = prm.get_double("Pressure smoothing");
    pressure_unit        = prm.get_double("Pressure unit");
    lithium_conductivity = prm.get_double("Electronic conductivity");
    metallic_exponent    = prm.get_double("Metallic filling exponent");
    crack_interface_area = prm.get_double("Crack interface area density");
    prm.enter_subsection("Creep");
    creep.prefactor         = prm.get_double("Prefactor");
    creep.activation_energy = prm.get_double("Activation energy");
    creep.resistance        = prm.get_double("Resistance");
    creep.exponent          = prm.get_double("Exponent");
    creep.regularisation    = prm.get_double("Regularisation gradient");
    creep.pore_aperture     = prm.get_double("Pore aperture");
    creep.crack_band_width  = prm.get_double("Crack band width");
    prm.leave_subsection();
    prm.leave_subsection();
    if (!(minimum_void_fraction > 0))
      throw InputError("Coupling/Minimum void fraction must be positive");
    if (!(pressure_smoothing > 0))
      throw InputError("Lithium/Pressure smoothing must be positive");
    if (!(pressure_unit > 0 && pressure_unit <= bulk_modulus))
      throw InputError("Lithium/Pressure unit must be positive and at most Lithium/Bulk modulus");
    if (!(creep.resistance > 0))
      throw InputError("Lithium/Creep/Resistance must be positive");
  }

  template <int dim> void CouplingLaws<dim>::initialize(const FieldLayout &layout)
  {
    n_components          = layout.n_components;
    with_electrochemistry = layout.has("phi") && layout.has("psi");
    with_displacement     = layout.has("displacement");
    with_damage           = layout.has("damage");
    with_lithium          = layout.has("lithium");
    if (with_electrochemistry)
      {
        phi = layout.component("phi");
        psi = layout.component("psi");
      }
    if (with_displacement)
      displacement = layout.component("displacement");
    if (with_damage)
      damage = layout.component("damage");
    if (with_lithium)
      lithium = layout.component("lithium");
  }

  template <int dim>
  double CouplingLaws<dim>::prescribed_pressure(const Point<dim> &point, const double time) const
  {
    pressure_function->set_time(time);
    return pressure_function->value(point);
  }

  template <int dim> double CouplingLaws<dim>::creep_prefactor() const
  {
    return creep.prefactor *
           std::exp(-creep.activation_energy /
                    (constants::gas_constant * butler_volmer.temperature)) /
           std::pow(creep.resistance, creep.exponent);
  }

  template <int dim>
  template <typename Number>
  void CouplingLaws<dim>::pressure_law(const Number &state, Number &pressure, Number &slope) const
  {
    using std::exp;
    using std::log;
    const Number z = pressure_unit * (state - 1.0) / pressure_smoothing;
    if (value_of(z) > 0)
      {
        const Number decay = exp(-z);
        pressure           = pressure_smoothing * (z + log(1.0 + decay));
        slope              = 1.0 / (1.0 + decay);
      }
    else
      {
        const Number growth = exp(z);
        pressure            = pressure_smoothing * log(1.0 + growth);
        slope               = growth / (1.0 + growth);
      }
  }

  template <int dim>
  template <typename Number>
  void CouplingLaws<dim>::void_law(const unsigned char phase, const Number &d,
                                   const Number &strain_trace, Number &chi, Number &chi_slope,
                                   Number &void_fraction) const
  {
    // Damage enters through the void indicator χ(d); a pore is void whatever d says.
    const bool in_pore = is_pore(phase);
    Number     intact, intact_slope;
    intact_fraction(d, intact, intact_slope);
    chi       = in_pore ? Number(1.0) : Number(1.0 - intact);
    chi_slope = in_pore ? Number(0.0) : Number(-intact_slope);
    // The pore, the smeared crack opening χ⟨tr ε⟩₊, the GB free volume.
    void_fraction =
        in_pore ? Number(1.0)
                : Number(intrinsic_void_fraction(phase) + chi * opening_strain(strain_trace));
  }

  template <int dim>
  template <typename Number>
  Number CouplingLaws<dim>::opening_strain(const Number &strain_trace) const
  {
    using std::exp;
    using std::log;
    const double width = pressure_smoothing / bulk_modulus;
    if (!(width > 0))
      return value_of(strain_trace) > 0 ? strain_trace : Number(0.0);
    // Softplus in the form that overflows on neither side.
    const Number z = strain_trace / width;
    return value_of(z) > 0 ? Number(strain_trace + width * log(1.0 + exp(-z)))
                           : Number(width * log(1.0 + exp(z)));
  }

  template <int dim>
  template <typename Number>
  Number CouplingLaws<dim>::metal_room_fraction(const bool    in_pore,
                                                const Number &void_fraction) const
  {
    if (in_pore)
      return 1.0;
    const Number opened = (void_fraction - minimum_void_fraction) / minimum_void_fraction;
    if (value_of(opened) <= 0)
      return 0.0;
    if (value_of(opened) >= 1)
      return 1.0;
    return opened * opened * (3.0 - 2.0 * opened);
  }

  template <int dim> bool CouplingLaws<dim>::is_pore(const unsigned char phase) const
  {
    return phase == pore_phase;
  }

  template <int dim>
  double CouplingLaws<dim>::intrinsic_void_fraction(const unsigned char phase) const
  {
    return (phase == boundary_phase || phase == weak_boundary_phase) ? boundary_free_volume : 0.0;
  }

  template <int dim>
  template <typename Number>
  Number CouplingLaws<dim>::filling_law(const Number &state, const Number &pressure) const
  {
    return state - pressure * (1.0 / pressure_unit - 1.0 / bulk_modulus);
  }

  template <int dim> double CouplingLaws<dim>::filling_of_state(const double state) const
  {
    double pressure, slope;
    pressure_law(state, pressure, slope);
    return filling_law(state, pressure);
  }

  template <int dim>
  double CouplingLaws<dim>::pressure_of_state(const double state, double &slope) const
  {
    double pressure;
    pressure_law(state, pressure, slope);
    slope *= pressure_unit;
    return pressure;
  }

  template <int dim> double CouplingLaws<dim>::state_of_filling(const double filling) const
  {
    // By the unrounded law, so that a void prescribed as just filled (s = 1)
    // is at the corner, p = 0.69 p_s, as with the filling as the unknown.
    return filling <= 1 ? filling : 1 + bulk_modulus * (filling - 1) / pressure_unit;
  }

  template <int dim>
  template <typename Number>
  Number CouplingLaws<dim>::crack_opening_density(const unsigned char phase,
                                                  const Number       &strain_trace) const
  {
    // The opening per unit width across a crack band is the strain there,
    // wherever within the band the mesh puts it: no χ(d) weight, which would
    // count a cell's share of the opening by its damage at the Gauss points.
    return is_pore(phase) ? Number(0.0) : opening_strain(strain_trace);
  }

  template <int dim>
  double CouplingLaws<dim>::crack_opening_density(const unsigned char phase,
                                                  const double        strain_trace) const
  {
    return crack_opening_density<double>(phase, strain_trace);
  }

  template <int dim> bool CouplingLaws<dim>::uses_crack_aperture() const
  {
    return with_lithium && with_displacement && with_damage;
  }

  template <int dim>
  void CouplingLaws<dim>::update_crack_apertures(const DoFHandler<dim> &dof_handler,
                                                 const TrilinosWrappers::MPI::BlockVector &solution,
                                                 const MaterialField<dim>                 &material)
  {
    // Cells of mean damage below 0.1 hold a negligible share of any opening.
    if (uses_crack_aperture())
      set_crack_apertures(
          crack_apertures(dof_handler, solution, material, *this, creep.crack_band_width, 0.1));
  }

  template <int dim> void CouplingLaws<dim>::set_crack_apertures(Vector<float> per_cell)
  {
    crack_aperture = std::move(per_cell);
  }

  template <int dim>
  void CouplingLaws<dim>::attach_crack_aperture(
      const typename DoFHandler<dim>::active_cell_iterator &cell, MaterialPointData &material) const
  {
    const unsigned int index = cell->active_cell_index();
    const double       value = index < crack_aperture.size() ? crack_aperture[index] : -1.0;
    material.crack_band      = value >= 0;
    material.crack_aperture  = std::max(value, 0.0);
  }

  template <int dim>
  template <typename Number>
  void CouplingLaws<dim>::evaluate_laws(const Point<dim> &point, const MaterialPointData &material,
                                        const unsigned int q, const std::vector<Number> &values,
                                        const std::vector<Tensor<1, dim, Number>> &gradients,
                                        const std::vector<Number>                 &lithium_nodes,
                                        const FieldPoint<dim> &fields, const double time,
                                        std::array<Number, n_quantities> &s,
                                        std::array<Number, dim>          &flux) const
  {
    using std::exp;
    using std::pow;
    const unsigned char phase   = material.phase[q];
    const bool          in_pore = phase == pore_phase;

    const Number d            = with_damage ? values[damage] : Number(0.0);
    Number       strain_trace = 0.0;
    if (with_displacement)
      for (unsigned int i = 0; i < dim; ++i)
        strain_trace += gradients[displacement + i][i];
    void_law(phase, d, strain_trace, s[chi], s[chi_slope], s[void_fraction]);

    // Lithium: the field is the filling s, lithium volume per void volume
    // (the void being φv + φmin, so that no node is without room). The
    // pressure depends on s alone, P(s) = p_s·softplus(K(s − 1)/p_s) →
    // K⟨s − 1⟩₊: one pressure per node, whatever the void fractions of the
    // cells around it; the filling is the uncompressed part s − P/K → min(s, 1).
    // With the nodes of the cell, both are interpolated from nodal values,
    // so that a filled node next to an empty one drives lithium into it.
    const Number metal_room = metal_room_fraction(in_pore, s[void_fraction]);
    const bool   nodal      = !lithium_nodes.empty();
    // Kept per thread: this runs at every quadrature point of every assembly.
    thread_local std::vector<Number> nodal_pressure, nodal_slope;
    nodal_pressure.resize(lithium_nodes.size());
    nodal_slope.resize(lithium_nodes.size());
    Number pressure_slope = 0.0; // σ(z) at the point, without nodes
    double largest_slope  = 0.0;
    if (with_lithium)
      {
        // The lithium volume per void volume of the state at the point.
        const Number state_at_point = values[lithium];
        Number       pressure_at_point, slope_at_point;
        pressure_law(state_at_point, pressure_at_point, slope_at_point);
        const Number filling_at_point = filling_law(state_at_point, pressure_at_point);
        s[content]             = (s[void_fraction] + minimum_void_fraction) * filling_at_point;
        Number filling_of_void = 0.0;
        if (nodal)
          {
            s[pressure] = 0.0;
            for (unsigned int i = 0; i < lithium_nodes.size(); ++i)
              {
                pressure_law(lithium_nodes[i], nodal_pressure[i], nodal_slope[i]);
                const double shape = (*fields.lithium_shape_values)[i];
                s[pressure] += shape * nodal_pressure[i];
                filling_of_void += shape * (lithium_nodes[i] - nodal_pressure[i] / pressure_unit);
                largest_slope = std::max(largest_slope, value_of(nodal_slope[i]));
              }
          }
        else
          {
            s[pressure]     = pressure_at_point;
            pressure_slope  = slope_at_point;
            largest_slope   = value_of(pressure_slope);
            filling_of_void = state_at_point - s[pressure] / pressure_unit;
          }
        // Dense solid (φv ≤ φmin) holds no metal: a filled node on a pore wall
        // makes neither the intact solid beside it metallic nor a site of
        // deposition. A crack that has just opened past φmin fills gradually.
        s[filling] = metal_onset(Number(filling_of_void * metal_room));
      }
    else
      {
        s[content]  = 0.0;
        s[filling]  = 0.0;
        s[pressure] = prescribed_pressure(point, time);
      }

    // Deposition: Butler–Volmer with the pressure term on the Li|SE area, and
    // nucleation at sites where there is no lithium yet.
    if (with_electrochemistry)
      {
        const ButlerVolmer &bv = butler_volmer;
        s[overpotential] =
            values[psi] - values[phi] + bv.molar_volume * s[pressure] / constants::faraday;
        const Number eta = s[overpotential];
        const Number plating =
            bv.exchange_current_density *
            (exp(-bv.cathodic_transfer * bv.f() * eta) - exp(bv.anodic_transfer * bv.f() * eta));
        const Number excess       = eta + eta_nucleation;
        const Number nucleation   = value_of(excess) < 0
                                        ? Number(bv.exchange_current_density *
                                                 (exp(-bv.cathodic_transfer * bv.f() * excess) - 1.0))
                                        : Number(0.0);
        const double phase_area   = material.deposition_area_density[q];
        const double site_density = material.nucleation_site_density[q];
        if (with_lithium)
          {
            s[interface_area] = (phase_area + crack_interface_area * s[chi]) * s[filling];
            s[deposition] =
                s[interface_area] * plating + site_density * (1.0 - s[filling]) * nucleation;
          }
        else
          {
            s[interface_area] = phase_area;
            s[deposition]     = phase_area * plating + site_density * nucleation;
          }
      }
    else
      s[overpotential] = s[interface_area] = s[deposition] = 0.0;

    // Conductivities: damage cuts the ionic path, lithium makes voids metallic.
    const double sigma_ion = material.ionic_conductivity[q];
    if (with_damage)
      {
        Number intact, intact_slope;
        intact_fraction(d, intact, intact_slope);
        s[ionic_conductivity] =
            sigma_ion * ((1.0 - residual_ionic_fraction) * intact + residual_ionic_fraction);
      }
    else
      s[ionic_conductivity] = sigma_ion;
    s[electronic_conductivity] = material.electronic_conductivity[q];
    if (with_lithium && value_of(s[filling]) > 0)
      s[electronic_conductivity] += lithium_conductivity * pow(s[filling], metallic_exponent);

    // Creep flux q = −φv v̄(w, G) ∇p/G of power-law slit flow (MODEL.md §4):
    // v̄ = 3^((n+1)/2) B Gⁿ (w/2)^(n+1)/(n+2), w the local aperture.
    for (unsigned int d = 0; d < dim; ++d)
      flux[d] = 0.0;
    s[mobility] = 0.0;
    // Far below filling the flux is below round-off of any flux that matters.
    if (!with_lithium || value_of(metal_room) == 0 || largest_slope < 1e-30)
      return;
    // ∇p: with nodes Σ ∇N_i P(s_i), else σ(z)K∇s (component-wise: Tensor
    // arithmetic does not take Sacado expressions).
    std::array<Number, dim> pressure_gradient;
    for (unsigned int d = 0; d < dim; ++d)
      {
        pressure_gradient[d] = 0.0;
        if (nodal)
          for (unsigned int i = 0; i < lithium_nodes.size(); ++i)
            pressure_gradient[d] += (*fields.lithium_shape_gradients)[i][d] * nodal_pressure[i];
        else
          pressure_gradient[d] = pressure_slope * pressure_unit * gradients[lithium][d];
      }

    const double n = creep.exponent;
    // In the solid: the crack's opening through the cell (lagged, gathered
    // across its band), and the GB free volume gathered over the same width.
    const double aperture =
        in_pore ? creep.pore_aperture
                : material.crack_aperture + intrinsic_void_fraction(phase) * creep.crack_band_width;
    const Number slit =
        std::pow(3.0, 0.5 * (n + 1)) * creep_prefactor() * pow(0.5 * aperture, n + 1) / (n + 2);
    Number gradient_squared = creep.regularisation * creep.regularisation;
    for (unsigned int d = 0; d < dim; ++d)
      gradient_squared += pressure_gradient[d] * pressure_gradient[d];
    // The share of the slit flux: all of it in a pore; across a crack band
    // the opening density, which integrates to the aperture, so that the
    // band carries w·v̄(w) however the mesh splits the opening. Where the
    // solid closes to dense (φv → φmin) the share fades with the metal's room
    // instead of stopping at once: a jump of the flux stalls Newton.
    const Number share =
        in_pore
            ? Number(1.0)
            : Number(metal_room * (intrinsic_void_fraction(phase) +
                                   (material.crack_band ? crack_opening_density(phase, strain_trace)
                                                        : Number(0.0))));
    s[mobility] = share * slit * pow(gradient_squared, 0.5 * (n - 1));
    for (unsigned int d = 0; d < dim; ++d)
      flux[d] = -s[mobility] * pressure_gradient[d];
  }

  template <int dim>
  void CouplingLaws<dim>::evaluate(const Point<dim> &point, const MaterialPointData &material,
                                   const unsigned int q, const FieldPoint<dim> &fields,
                                   const double time, const bool derivatives,
                                   CoupledPoint<dim> &out) const
  {
    const double old_damage =
        (with_damage && fields.old_values) ? (*fields.old_values)[damage] : 0.0;
    out.void_indicator_old =
        (material.phase[q] == pore_phase) ? 1.0 : 1.0 - IntactFraction(old_damage).value;
    out.content_old = 0;
    if (with_lithium && fields.old_values && fields.old_gradients)
      {
        double old_strain_trace = 0;
        if (with_displacement)
          for (unsigned int i = 0; i < dim; ++i)
            old_strain_trace += (*fields.old_gradients)[displacement + i][i];
        double chi_old, chi_slope_old, void_old;
        void_law(material.phase[q], old_damage, old_strain_trace, chi_old, chi_slope_old, void_old);
        out.content_old =
            (void_old + minimum_void_fraction) * filling_of_state((*fields.old_values)[lithium]);
      }
    const auto fill = [&](const auto &scalars, const auto &flux, const auto &convert) {
      Linearized<dim> *targets[n_quantities] = {&out.void_indicator,
                                                &out.void_indicator_slope,
                                                &out.void_fraction,
                                                &out.filling,
                                                &out.pressure,
                                                &out.overpotential,
                                                &out.interface_area,
                                                &out.deposition,
                                                &out.ionic_conductivity,
                                                &out.electronic_conductivity,
                                                &out.content,
                                                &out.lithium_mobility};
      for (unsigned int k = 0; k < n_quantities; ++k)
        convert(scalars[k], *targets[k]);
      for (unsigned int d = 0; d < dim; ++d)
        convert(flux[d], out.lithium_flux[d]);
    };

    // The independent variables' storage is kept per thread: allocating it at
    // every quadrature point cost about 6 % of an assembly.
    if (!derivatives)
      {
        thread_local std::vector<double>                 values;
        thread_local std::vector<Tensor<1, dim, double>> gradients;
        values.resize(n_components);
        gradients.resize(n_components);
        for (unsigned int c = 0; c < n_components; ++c)
          {
            values[c]    = (*fields.values)[c];
            gradients[c] = (*fields.gradients)[c];
          }
        static const std::vector<double> none;
        const std::vector<double>       &nodes =
            (with_lithium && fields.lithium_nodes) ? *fields.lithium_nodes : none;
        std::array<double, n_quantities> scalars;
        std::array<double, dim>          flux;
        evaluate_laws<double>(point, material, q, values, gradients, nodes, fields, time, scalars,
                              flux);
        fill(scalars, flux,
             [](const double x, Linearized<dim> &target) { to_linearized<dim>(x, target); });
        return;
      }

    // Independent variables: every component's value and gradient, and the
    // lithium filling at the nodes of the cell.
    const unsigned int n_nodes =
        (with_lithium && fields.lithium_nodes) ? fields.lithium_nodes->size() : 0;
    const unsigned int n_point_independent = n_components * (1 + dim);
    const unsigned int n_independent       = n_point_independent + n_nodes;
    AssertThrow(n_independent <= max_independent,
                ExcMessage("the coupling laws differentiate at most " +
                           std::to_string(max_independent) + " variables, not " +
                           std::to_string(n_independent)));
    thread_local std::vector<ADNumber>                 values;
    thread_local std::vector<Tensor<1, dim, ADNumber>> gradients;
    thread_local std::vector<ADNumber>                 nodes;
    values.resize(n_components);
    gradients.resize(n_components);
    nodes.resize(n_nodes);
    for (unsigned int c = 0; c < n_components; ++c)
      {
        values[c] = ADNumber(n_independent, c, (*fields.values)[c]);
        for (unsigned int d = 0; d < dim; ++d)
          gradients[c][d] =
              ADNumber(n_independent, n_components + c * dim + d, (*fields.gradients)[c][d]);
      }
    for (unsigned int i = 0; i < n_nodes; ++i)
      nodes[i] = ADNumber(n_independent, n_point_independent + i, (*fields.lithium_nodes)[i]);
    std::array<ADNumber, n_quantities> scalars;
    std::array<ADNumber, dim>          flux;
    evaluate_laws<ADNumber>(point, material, q, values, gradients, nodes, fields, time, scalars,
                            flux);
    const unsigned int n = n_components;
    fill(scalars, flux, [n, n_nodes](const ADNumber &x, Linearized<dim> &target) {
      to_linearized<dim>(x, n, n_nodes, target);
    });
  }

  template <int dim>
  void
  CouplingLaws<dim>::evaluate_solution(const FEValuesBase<dim> &fe_values,
                                       const typename DoFHandler<dim>::active_cell_iterator &cell,
                                       const TrilinosWrappers::MPI::BlockVector &solution,
                                       const MaterialField<dim> &material, const double time,
                                       SolutionAtPoints<dim> &out) const
  {
    const unsigned int n_q = fe_values.n_quadrature_points;
    out.values.assign(n_q, Vector<double>(n_components));
    out.gradients.assign(n_q, std::vector<Tensor<1, dim>>(n_components));
    out.coupled.resize(n_q);
    fe_values.get_function_values(solution, out.values);
    fe_values.get_function_gradients(solution, out.gradients);
    material.evaluate_in_cell(fe_values.get_quadrature_points(), cell->material_id(), out.material);
    attach_crack_aperture(cell, out.material);
    if (with_lithium)
      {
        Vector<double> local_values(fe_values.get_fe().n_dofs_per_cell());
        cell->get_dof_values(solution, local_values);
        out.lithium_nodes.reinit(fe_values, local_values, lithium);
      }
    for (unsigned int q = 0; q < n_q; ++q)
      {
        FieldPoint<dim> fields;
        fields.values    = &out.values[q];
        fields.gradients = &out.gradients[q];
        out.lithium_nodes.attach(q, fields);
        evaluate(fe_values.quadrature_point(q), out.material, q, fields, time, false,
                 out.coupled[q]);
      }
  }

  template <int dim>
  void CouplingLaws<dim>::evaluate_solution_at_vertices(
      const typename DoFHandler<dim>::active_cell_iterator &cell,
      const TrilinosWrappers::MPI::BlockVector &solution, const MaterialField<dim> &material,
      const double time, SolutionAtNodes<dim> &out) const
  {
    const FiniteElement<dim> &fe = cell->get_fe();
    if (!out.fe_values || &out.fe_values->get_fe() != &fe)
      {
        out.gauss_points = std::make_unique<FEValues<dim>>(fe, QGauss<dim>(fe.degree + 1),
                                                           update_quadrature_points);
        out.fe_values    = std::make_unique<FEValues<dim>>(
            fe, QGaussLobatto<dim>(fe.degree + 1),
            update_values | update_gradients | update_quadrature_points | update_JxW_values);
      }
    out.gauss_points->reinit(cell);
    out.fe_values->reinit(cell);
    const unsigned int n_q = out.fe_values->n_quadrature_points;
    out.values.assign(n_q, Vector<double>(n_components));
    out.gradients.assign(n_q, std::vector<Tensor<1, dim>>(n_components));
    out.coupled.resize(n_q);
    out.fe_values->get_function_values(solution, out.values);
    out.fe_values->get_function_gradients(solution, out.gradients);
    // A vertex lies on phase boundaries: it takes the material of its Gauss point.
    material.evaluate_in_cell(out.gauss_points->get_quadrature_points(), cell->material_id(),
                              out.material);
    attach_crack_aperture(cell, out.material);
    if (with_lithium)
      {
        Vector<double> local_values(fe.n_dofs_per_cell());
        cell->get_dof_values(solution, local_values);
        out.lithium_nodes.reinit(*out.fe_values, local_values, lithium);
      }
    for (unsigned int q = 0; q < n_q; ++q)
      {
        FieldPoint<dim> fields;
        fields.values    = &out.values[q];
        fields.gradients = &out.gradients[q];
        out.lithium_nodes.attach(q, fields);
        evaluate(out.fe_values->quadrature_point(q), out.material, q, fields, time, false,
                 out.coupled[q]);
      }
  }

  template <int dim>
  void CouplingLaws<dim>::evaluate_output_points(const DataPostprocessorInputs::Vector<dim> &inputs,
                                                 const MaterialField<dim>       &material,
                                                 MaterialPointData              &material_data,
                                                 std::vector<CoupledPoint<dim>> &out) const
  {
    const auto cell = inputs.template get_cell<dim>();
    material.evaluate_in_cell(inputs.evaluation_points, cell->material_id(), material_data);
    attach_crack_aperture(cell, material_data);
    out.resize(inputs.evaluation_points.size());
    // DataOut evaluates at the vertices, where the nodal pressure is the pointwise law.
    for (unsigned int q = 0; q < inputs.evaluation_points.size(); ++q)
      {
        FieldPoint<dim> fields;
        fields.values    = &inputs.solution_values[q];
        fields.gradients = &inputs.solution_gradients[q];
        evaluate(inputs.evaluation_points[q], material_data, q, fields, 0.0, false, out[q]);
      }
  }

  template struct LithiumNodes<2>;
  template struct LithiumNodes<3>;
  template class CouplingLaws<2>;
  template class CouplingLaws<3>;
} // namespace weaklink
