#pragma once

#include <deal.II/base/function_parser.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/data_postprocessor.h>

#include <weaklink/material/material_field.h>
#include <weaklink/physics/butler_volmer.h>
#include <weaklink/physics/field_layout.h>

#include <array>
#include <memory>
#include <vector>

namespace weaklink
{
  /**
   * What one shape function of the FESystem contributes at a quadrature
   * point: its component, value and gradient, and which lithium node of
   * the cell it is.
   */
  template <int dim> struct ShapeAtPoint
  {
    unsigned int           component = 0;
    double                 value     = 0;
    dealii::Tensor<1, dim> gradient;
    /** Its place among the cell's lithium shape functions, or invalid. */
    unsigned int lithium_node = dealii::numbers::invalid_unsigned_int;
  };

  /**
   * A coupled quantity at a point with its derivatives with respect to the
   * field values there (the value and gradient of every component) and to
   * the lithium filling at the nodes of the cell (the pressure is
   * interpolated from nodal pressures). The derivative of the
   * quantity along a shape function is then exact, whatever module
   * assembles it.
   */
  template <int dim> struct Linearized
  {
    double                              value = 0;
    std::vector<double>                 d_values;        ///< [component]
    std::vector<dealii::Tensor<1, dim>> d_gradients;     ///< [component]
    std::vector<double>                 d_lithium_nodes; ///< [lithium shape function]

    /** dQ/dU_k for the shape function @p shape. */
    double derivative(const ShapeAtPoint<dim> &shape) const
    {
      if (d_values.empty())
        return 0;
      double result =
          d_values[shape.component] * shape.value + d_gradients[shape.component] * shape.gradient;
      if (shape.lithium_node < d_lithium_nodes.size())
        result += d_lithium_nodes[shape.lithium_node];

      return result;
    }
  };

  /**
   * Every quantity through which the physics modules exchange information,
   * at one quadrature point (MODEL.md §3–4). Each law is written once, in
   * CouplingLaws; modules only read these.
   */
  template <int dim> struct CoupledPoint
  {
    Linearized<dim> void_indicator;          ///< χ(d): 1 in pores, 1 − (1−d)² in the solid
    Linearized<dim> void_indicator_slope;    ///< χ'(d)
    Linearized<dim> void_fraction;           ///< φv = pore + χ⟨tr ε⟩₊ + GB free volume
    Linearized<dim> filling;                 ///< θ = min(s, 1), none in dense solid
    Linearized<dim> content;                 ///< c = (φv + φmin)·s, Li volume per volume
    Linearized<dim> pressure;                ///< lithium pressure p [Pa]
    Linearized<dim> overpotential;           ///< η = ψ − φ + Ωp/F [V]
    Linearized<dim> interface_area;          ///< a, Li|electrolyte area per volume [1/m]
    Linearized<dim> deposition;              ///< volumetric plating current j [A/m^3]
    Linearized<dim> ionic_conductivity;      ///< σ_ion,eff [S/m]
    Linearized<dim> electronic_conductivity; ///< σ_e,eff = σ_e + θ^k σ_Li [S/m]
    std::array<Linearized<dim>, dim> lithium_flux; ///< q, creep flux of Li [m/s]
    Linearized<dim> lithium_mobility;       ///< M of q = −M∇p [m^2/(Pa s)], 0 without flux
    double          void_indicator_old = 0; ///< χ(d_old), for lagged coupling
    double          content_old = 0; ///< c of the previous step (needs FieldPoint::old_gradients)
  };

  /** Field values at one point, as the laws read them. */
  template <int dim> struct FieldPoint
  {
    const dealii::Vector<double>              *values        = nullptr; ///< [component]
    const std::vector<dealii::Tensor<1, dim>> *gradients     = nullptr; ///< [component]
    const dealii::Vector<double>              *old_values    = nullptr; ///< previous step
    const std::vector<dealii::Tensor<1, dim>> *old_gradients = nullptr; ///< previous step
    /**
     * The lithium content at the nodes of the cell and their shape functions
     * at the point. With them the pressure is interpolated from nodal
     * pressures, p = Σ N_i P(s_i), so that a filled node next to an empty
     * one drives lithium into it; without them (output points, where
     * DataOut evaluates at the vertices) p = P(s) at the point.
     */
    const std::vector<double>                 *lithium_nodes           = nullptr;
    const std::vector<double>                 *lithium_shape_values    = nullptr;
    const std::vector<dealii::Tensor<1, dim>> *lithium_shape_gradients = nullptr;
  };

  /** The lithium filling at the nodes of a cell and its shape functions at some points. */
  template <int dim> struct LithiumNodes
  {
    std::vector<double>                              values;          ///< [node]
    std::vector<std::vector<double>>                 shape_values;    ///< [q][node]
    std::vector<std::vector<dealii::Tensor<1, dim>>> shape_gradients; ///< [q][node]
    std::vector<unsigned int>                        node_of_dof;     ///< [cell DoF], or invalid

    /** From the cell's DoF values and @p fe_values; empty unless the FE has @p component. */
    void reinit(const dealii::FEValuesBase<dim> &fe_values,
                const dealii::Vector<double> &local_values, const unsigned int component);
    /** Points @p fields at point @p q (nothing when there are no lithium nodes). */
    void attach(const unsigned int q, FieldPoint<dim> &fields) const;
  };

  /**
   * A solution and its coupled quantities at the vertices of a cell (the
   * nodal rule, with the material of the nearest Gauss points).
   */
  template <int dim> struct SolutionAtNodes
  {
    std::unique_ptr<dealii::FEValues<dim>>           gauss_points; ///< where the material is read
    std::unique_ptr<dealii::FEValues<dim>>           fe_values;    ///< the nodal rule
    std::vector<dealii::Vector<double>>              values;       ///< [q](component)
    std::vector<std::vector<dealii::Tensor<1, dim>>> gradients;    ///< [q][component]
    MaterialPointData                                material;
    std::vector<CoupledPoint<dim>>                   coupled; ///< values only
    LithiumNodes<dim>                                lithium_nodes;
  };

  /** A solution and its coupled quantities at the points of one FEValues object. */
  template <int dim> struct SolutionAtPoints
  {
    std::vector<dealii::Vector<double>>              values;    ///< [q](component)
    std::vector<std::vector<dealii::Tensor<1, dim>>> gradients; ///< [q][component]
    MaterialPointData                                material;
    std::vector<CoupledPoint<dim>>                   coupled; ///< values only
    LithiumNodes<dim>                                lithium_nodes;
  };

  /**
   * The coupling layer (subsection Coupling): lithium pressure (from the
   * lithium field, or prescribed when the lithium module is off), void
   * fraction and filling, overpotential, volumetric deposition with
   * nucleation, effective conductivities, and the creep flux of lithium.
   * Which terms exist follows from which fields are active. Derivatives come
   * from the laws themselves by forward automatic differentiation (Sacado).
   */
  template <int dim> class CouplingLaws
  {
  public:
    static void declare_parameters(dealii::ParameterHandler &prm);

    explicit CouplingLaws(dealii::ParameterHandler &prm);

    /** Called once the fields of the FESystem are known. */
    void initialize(const FieldLayout &layout);

    /**
     * The coupled quantities at @p point with material @p material (entry
     * @p q) at @p time; with @p derivatives their Linearized derivatives too.
     */
    void evaluate(const dealii::Point<dim> &point, const MaterialPointData &material,
                  const unsigned int q, const FieldPoint<dim> &fields, const double time,
                  const bool derivatives, CoupledPoint<dim> &out) const;

    /**
     * The coupled quantities (values only) of @p solution at the points of
     * @p fe_values, reinitialised on @p cell, for postprocessing.
     */
    void evaluate_solution(const dealii::FEValuesBase<dim>                              &fe_values,
                           const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                           const dealii::TrilinosWrappers::MPI::BlockVector             &solution,
                           const MaterialField<dim> &material, const double time,
                           SolutionAtPoints<dim> &out) const;

    /** The same at the vertices of @p cell, the nodal rule of the assembly. */
    void evaluate_solution_at_vertices(
        const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
        const dealii::TrilinosWrappers::MPI::BlockVector             &solution,
        const MaterialField<dim> &material, const double time, SolutionAtNodes<dim> &out) const;

    /**
     * The coupled quantities (values only) at the points DataOut hands to a
     * postprocessor of field output; shared by every module's output.
     */
    void evaluate_output_points(const dealii::DataPostprocessorInputs::Vector<dim> &inputs,
                                const MaterialField<dim>                           &material,
                                MaterialPointData                                  &material_data,
                                std::vector<CoupledPoint<dim>>                     &out) const;

    const ButlerVolmer &kinetics() const { return butler_volmer; }
    double              nucleation_overpotential() const { return eta_nucleation; }
    double prescribed_pressure(const dealii::Point<dim> &point, const double time) const;

    /** Creep rate prefactor B = A exp(−Q/RT)/S^n of ε̇ = B σⁿ [1/(s Pa^n)]. */
    double creep_prefactor() const;
    double creep_exponent() const { return creep.exponent; }
    double lithium_bulk_modulus() const { return bulk_modulus; }
    /**
     * The lithium field is a state x that is the filling below 1 and counts
     * the pressure in units of p_u above: p = P(x) → p_u⟨x − 1⟩₊, the filling
     * s = x − P(x)(1/p_u − 1/K_Li) → min(x, 1) + p/K_Li. The range of x over
     * which the pressure sets in is p_s/p_u.
     */
    double pressure_onset_width() const { return pressure_smoothing / pressure_unit; }
    /** The pressure unit p_u of the lithium state [Pa]. */
    double lithium_pressure_unit() const { return pressure_unit; }
    /** s(x), lithium volume per void volume of the state x. */
    double filling_of_state(const double state) const;
    /** p = P(x) of the state x [Pa], and dP/dx in @p slope. */
    double pressure_of_state(const double state, double &slope) const;
    /**
     * The state of a prescribed filling s: s below 1, 1 + K_Li(s − 1)/p_u
     * above; the inverse of filling_of_state but for its rounded corner.
     */
    double state_of_filling(const double filling) const;
    double lithium_molar_volume() const { return butler_volmer.molar_volume; }

    /** Parameters of the lithium creep law (MODEL.md §4, Anand et al. 2019). */
    struct Creep
    {
      double prefactor;         ///< A [1/s]
      double activation_energy; ///< Q [J/mol]
      double resistance;        ///< S [Pa]
      double exponent;          ///< n
      double regularisation;    ///< G0 [Pa/m]: |∇p|^(n−1) → (|∇p|² + G0²)^((n−1)/2)
      double pore_aperture;     ///< w in pores [m]
      double crack_band_width;  ///< b: across a crack, the width its opening is gathered from [m]
    };

    /**
     * The opening per unit width across a crack band, ⟨tr ε⟩₊ in the solid,
     * 0 in pores: integrated across the band it is the crack's aperture, and
     * it carries the band's share of the slit flux.
     */
    double crack_opening_density(const unsigned char phase, const double strain_trace) const;
    bool   is_pore(const unsigned char phase) const;
    /** Whether lithium creeps through cracks: lithium, displacement and damage fields. */
    bool         uses_crack_aperture() const;
    unsigned int damage_component() const { return damage; }
    unsigned int displacement_component() const { return displacement; }

    /**
     * The aperture of the crack through each cell (crack_apertures) from
     * @p solution, the state at the start of a step: it enters the creep
     * flux lagged, as data. Collective.
     */
    void update_crack_apertures(const dealii::DoFHandler<dim>                    &dof_handler,
                                const dealii::TrilinosWrappers::MPI::BlockVector &solution,
                                const MaterialField<dim>                         &material);
    /** Sets the apertures directly, indexed by active_cell_index (tests). */
    void set_crack_apertures(dealii::Vector<float> per_cell);
    /** Puts the aperture of @p cell into @p material, for evaluate(). */
    void attach_crack_aperture(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                               MaterialPointData &material) const;

  private:
    template <typename Number>
    void evaluate_laws(const dealii::Point<dim> &point, const MaterialPointData &material,
                       const unsigned int q, const std::vector<Number> &values,
                       const std::vector<dealii::Tensor<1, dim, Number>> &gradients,
                       const std::vector<Number> &lithium_nodes, const FieldPoint<dim> &fields,
                       const double time, std::array<Number, 12> &scalars,
                       std::array<Number, dim> &flux) const;

    /** P(x) = p_s softplus(z) and its slope σ(z) = dP/dx / p_u, z = p_u(x − 1)/p_s. */
    template <typename Number>
    void pressure_law(const Number &state, Number &pressure, Number &slope) const;

    /** The filling s of the state x at the pressure p = P(x): x − p/p_u + p/K_Li. */
    template <typename Number>
    Number filling_law(const Number &state, const Number &pressure) const;

    template <typename Number>
    Number crack_opening_density(const unsigned char phase, const Number &strain_trace) const;

    /**
     * ⟨tr ε⟩₊ with its corner rounded over ε_s = p_s/K_Li, the strain over
     * which lithium's pressure changes by p_s: lithium squeezed in a closing
     * crevice sits at that corner, where a kink stalls Newton.
     */
    template <typename Number> Number opening_strain(const Number &strain_trace) const;

    /**
     * The share of a solid point's lithium that counts as metal: 0 up to
     * φv = φmin (dense solid holds no metal), rising smoothly (C¹) to 1 at
     * φv = 2φmin; 1 in pores.
     */
    template <typename Number>
    Number metal_room_fraction(const bool in_pore, const Number &void_fraction) const;

    /** The GB free volume of phase @p phase, void whatever the strain. */
    double intrinsic_void_fraction(const unsigned char phase) const;

    /** χ(d), χ'(d) and φv of a point of phase @p phase with damage @p d and tr ε. */
    template <typename Number>
    void void_law(const unsigned char phase, const Number &d, const Number &strain_trace,
                  Number &chi, Number &chi_slope, Number &void_fraction) const;

    ButlerVolmer butler_volmer;
    double       eta_nucleation;
    double       bulk_modulus;          ///< K_Li [Pa]
    double       pressure_smoothing;    ///< p_s [Pa], width of the rounded filling corner
    double       pressure_unit;         ///< p_u [Pa] of the lithium state above its onset
    double       minimum_void_fraction; ///< φmin
    double       boundary_free_volume;  ///< intrinsic GB free volume
    double       lithium_conductivity;  ///< σ_Li [S/m]
    double       metallic_exponent;     ///< k of θ^k
    double       crack_interface_area;  ///< Li|SE area per volume of a fully broken crack [1/m]
    double       residual_ionic_fraction;
    Creep        creep;
    std::unique_ptr<dealii::FunctionParser<dim>> pressure_function;
    dealii::Vector<float> crack_aperture; ///< [active_cell_index], lagged by a step

    bool with_electrochemistry = false, with_displacement = false, with_damage = false,
         with_lithium = false;
    unsigned int phi = 0, psi = 0, displacement = 0, damage = 0, lithium = 0, n_components = 0;
  };
} // namespace weaklink
