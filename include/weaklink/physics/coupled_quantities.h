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
   * point: its component, value and gradient, and what it changes of the
   * lithium nodes of the cell.
   */
  template <int dim> struct ShapeAtPoint
  {
    unsigned int           component = 0;
    double                 value     = 0;
    dealii::Tensor<1, dim> gradient;
    /** Its place among the cell's lithium shape functions, or invalid. */
    unsigned int lithium_node = dealii::numbers::invalid_unsigned_int;
    /** [lithium node] dφv_i/dU of this shape function, or null (LithiumNodes::void_fractions). */
    const double *node_void_fraction_derivatives = nullptr;
  };

  /**
   * A coupled quantity at a point with its derivatives with respect to the
   * field values there (the value and gradient of every component) and to
   * the lithium content and void fraction at the nodes of the cell (the
   * pressure is interpolated from nodal pressures). The derivative of the
   * quantity along a shape function is then exact, whatever module
   * assembles it.
   */
  template <int dim> struct Linearized
  {
    double                              value = 0;
    std::vector<double>                 d_values;              ///< [component]
    std::vector<dealii::Tensor<1, dim>> d_gradients;           ///< [component]
    std::vector<double>                 d_lithium_nodes;       ///< [lithium shape function]
    std::vector<double>                 d_node_void_fractions; ///< [lithium shape function]

    /** dQ/dU_k for the shape function @p shape. */
    double derivative(const ShapeAtPoint<dim> &shape) const
    {
      if (d_values.empty())
        return 0;
      double result =
          d_values[shape.component] * shape.value + d_gradients[shape.component] * shape.gradient;
      if (shape.lithium_node < d_lithium_nodes.size())
        result += d_lithium_nodes[shape.lithium_node];
      if (shape.node_void_fraction_derivatives)
        for (unsigned int i = 0; i < d_node_void_fractions.size(); ++i)
          result += d_node_void_fractions[i] * shape.node_void_fraction_derivatives[i];
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
    Linearized<dim> filling;                 ///< θ = min(c/φv, 1)
    Linearized<dim> pressure;                ///< lithium pressure p [Pa]
    Linearized<dim> overpotential;           ///< η = ψ − φ + Ωp/F [V]
    Linearized<dim> interface_area;          ///< a, Li|electrolyte area per volume [1/m]
    Linearized<dim> deposition;              ///< volumetric plating current j [A/m^3]
    Linearized<dim> ionic_conductivity;      ///< σ_ion,eff [S/m]
    Linearized<dim> electronic_conductivity; ///< σ_e,eff = σ_e + θ^k σ_Li [S/m]
    std::array<Linearized<dim>, dim> lithium_flux;           ///< q, creep flux of Li [m/s]
    double                           void_indicator_old = 0; ///< χ(d_old), for lagged coupling
  };

  /** Field values at one point, as the laws read them. */
  template <int dim> struct FieldPoint
  {
    const dealii::Vector<double>              *values     = nullptr; ///< [component]
    const std::vector<dealii::Tensor<1, dim>> *gradients  = nullptr; ///< [component]
    const dealii::Vector<double>              *old_values = nullptr; ///< previous step
    /**
     * The lithium content at the nodes of the cell and their shape functions
     * at the point. With them the pressure is interpolated from nodal
     * pressures, p = Σ N_i P(c_i, φv_i), so that a filled node next to an
     * empty one drives lithium into it; without them (output points, where
     * DataOut evaluates at the vertices) p = P(c, φv) at the point.
     */
    const std::vector<double>                 *lithium_nodes           = nullptr;
    const std::vector<double>                 *lithium_shape_values    = nullptr;
    const std::vector<dealii::Tensor<1, dim>> *lithium_shape_gradients = nullptr;
    /** [node] 1 on a pore (the node's pressure and filling are the pore's), else 0. */
    const std::vector<double> *lithium_node_on_pore = nullptr;
    /**
     * [node] the void fraction φv_i of each node as the cell sees it (at its
     * vertex); null at the vertices themselves, where the point's φv is the
     * node's.
     */
    const std::vector<double> *lithium_node_void_fractions = nullptr;
    /** Without nodes: the point is a vertex on a pore (output at the vertices). */
    bool point_on_pore = false;
  };

  /** The lithium content at the nodes of a cell and its shape functions at some points. */
  template <int dim> struct LithiumNodes
  {
    std::vector<double>                              values;          ///< [node]
    std::vector<std::vector<double>>                 shape_values;    ///< [q][node]
    std::vector<std::vector<dealii::Tensor<1, dim>>> shape_gradients; ///< [q][node]
    std::vector<unsigned int>                        node_of_dof;     ///< [cell DoF], or invalid
    std::vector<double> on_pore; ///< [node] 1 on a pore, else 0 (CouplingLaws::mark_pore_nodes)
    /** [node] φv at the node's vertex in this cell (CouplingLaws::set_node_void_fractions). */
    std::vector<double> void_fractions;
    /** [cell DoF · nodes + node] dφv_node/dU_DoF, with a Jacobian. */
    std::vector<double> void_fraction_derivatives;

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
    SolutionAtNodes<dim> at_nodes; ///< with lithium: the same cell at its vertices
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
     * @p fe_values, reinitialised on @p cell, for postprocessing; with
     * lithium also at the cell's vertices (out.at_nodes), whose void
     * fractions the nodal pressures use, as in the assembly.
     */
    void evaluate_solution(const dealii::FEValuesBase<dim>                              &fe_values,
                           const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                           const dealii::TrilinosWrappers::MPI::BlockVector             &solution,
                           const MaterialField<dim> &material, const double time,
                           SolutionAtPoints<dim> &out) const;

    /**
     * Sets the void fraction of each lithium node of @p nodes from the
     * coupled quantities @p at_vertices at the nodal rule's points (the
     * vertices, whose lithium shape functions @p vertex_nodes has); with
     * @p vertex_shapes ([q][DoF]) also their derivatives along every shape
     * function. A node then has one void fraction in its cell, whatever the
     * point: its content over that void is its pressure.
     */
    void set_node_void_fractions(const std::vector<CoupledPoint<dim>>              &at_vertices,
                                 const LithiumNodes<dim>                           &vertex_nodes,
                                 const std::vector<std::vector<ShapeAtPoint<dim>>> *vertex_shapes,
                                 LithiumNodes<dim>                                 &nodes) const;

    /**
     * The coupled quantities (values only) at the points DataOut hands to a
     * postprocessor of field output; shared by every module's output.
     */
    void evaluate_output_points(const dealii::DataPostprocessorInputs::Vector<dim> &inputs,
                                const MaterialField<dim>                           &material,
                                MaterialPointData                                  &material_data,
                                std::vector<CoupledPoint<dim>>                     &out) const;

    /**
     * Marks the lithium DoFs of cells with pore points, after every change of
     * the mesh. Such a node is a pore node in every cell around it: its
     * pressure and filling are those of the pore (void fraction 1), so that
     * the pressure is continuous where a crack leaves a filled pore and a
     * barely open crack next to the pore is not taken for overfilled. The
     * points are those of @p quadrature (the assembly's).
     */
    void mark_pore_nodes(const dealii::DoFHandler<dim>       &dof_handler,
                         const MaterialField<dim>            &material,
                         const dealii::Quadrature<dim>       &quadrature,
                         const std::vector<dealii::IndexSet> &owned,
                         const std::vector<dealii::IndexSet> &relevant, MPI_Comm communicator);

    /** Copies the pore marks of @p cell's lithium nodes into @p nodes (after nodes.reinit). */
    void find_pore_nodes(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                         LithiumNodes<dim>                                            &nodes) const;

    const ButlerVolmer &kinetics() const { return butler_volmer; }
    double              nucleation_overpotential() const { return eta_nucleation; }
    double prescribed_pressure(const dealii::Point<dim> &point, const double time) const;

    /** Creep rate prefactor B = A exp(−Q/RT)/S^n of ε̇ = B σⁿ [1/(s Pa^n)]. */
    double creep_prefactor() const;
    double creep_exponent() const { return creep.exponent; }
    double lithium_bulk_modulus() const { return bulk_modulus; }
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
      double crack_band_width;  ///< b: aperture w = φv·b in the solid [m]
    };

  private:
    template <typename Number>
    void evaluate_laws(const dealii::Point<dim> &point, const MaterialPointData &material,
                       const unsigned int q, const std::vector<Number> &values,
                       const std::vector<dealii::Tensor<1, dim, Number>> &gradients,
                       const std::vector<Number>                         &lithium_nodes,
                       const std::vector<Number>                         &node_void_fractions,
                       const FieldPoint<dim> &fields, const double time,
                       std::array<Number, 10> &scalars, std::array<Number, dim> &flux) const;

    /** P(c, φv) = p_s softplus(z) and its slope σ(z) = dP/dz / p_s, z = K(c − φv)/(φv p_s). */
    template <typename Number>
    void pressure_law(const Number &content, const Number &void_fraction, Number &pressure,
                      Number &slope) const;

    ButlerVolmer butler_volmer;
    double       eta_nucleation;
    double       bulk_modulus;          ///< K_Li [Pa]
    double       pressure_smoothing;    ///< p_s [Pa], width of the rounded filling corner
    double       minimum_void_fraction; ///< φmin
    double       boundary_free_volume;  ///< intrinsic GB free volume
    double       lithium_conductivity;  ///< σ_Li [S/m]
    double       metallic_exponent;     ///< k of θ^k
    double       crack_interface_area;  ///< Li|SE area per volume of a fully broken crack [1/m]
    double       residual_ionic_fraction;
    Creep        creep;
    std::unique_ptr<dealii::FunctionParser<dim>> pressure_function;
    dealii::TrilinosWrappers::MPI::BlockVector   pore_node_marks; ///< ghosted; 1 on pore nodes

    bool with_electrochemistry = false, with_displacement = false, with_damage = false,
         with_lithium = false;
    unsigned int phi = 0, psi = 0, displacement = 0, damage = 0, lithium = 0, n_components = 0;
  };
} // namespace weaklink
