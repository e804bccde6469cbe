#pragma once
#include <deal.II/base/bounding_box.h>

#include <deal.II/base/function_parser.h>

#include <weaklink/physics/elastic_energy.h>
#include <weaklink/physics/physics_module.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Brittle phase-field fracture of the ceramic (MODEL.md §3–4): displacement
   * u and damage d minimise
   *   ∫ g(d) ψ⁺(ε) + ψ⁻(ε) − χ(d) p tr ε + Gc/c_w (w(d)/ℓ + ℓ|∇d|²) dx
   *   + ∫_Γs P_stack n·u ds,
   * with g = (1−k)(1−d)² + k, AT1 (w = d, c_w = 8/3) or AT2 (w = d², c_w = 2),
   * and χ(d) = 1 − (1−d)² the void indicator through which the lithium
   * pressure p in cracks (and, with χ = 1, in pores) pushes on the solid; χ
   * and p are coupled quantities (CouplingLaws), with their derivatives
   * with respect to every field. Damage never
   * decreases: the simulator's primal–dual active set enforces d ≥ d_old
   * exactly (the field is declared nondecreasing).
   */
  template <int dim> class Fracture : public PhysicsModule<dim>
  {
  public:
    explicit Fracture(dealii::ParameterHandler &prm);

    static void declare_parameters(dealii::ParameterHandler &prm);

    std::string name() const override { return "fracture"; }

    std::vector<FieldDescription> fields() const override;

    void initialize(const ModuleContext<dim> &context) override;
    /** ℓ below two cells of the finest mesh: the crack is not resolved. */
    std::vector<std::string> warnings() const override;

    /** 1/E (equilibrium rows of order strain) and ℓ/Gc (damage rows of order one). */
    double residual_scale(const std::string &field) const override;

    double bound_stiffness(const std::string &field) const override;

    /** The crack-tip history behind the tip speed. */
    void save_state(std::ostream &out) const override;
    void load_state(std::istream &in) override;

    void add_constraints(dealii::AffineConstraints<double> &constraints,
                         const double                       time) override;

    double initial_value(const dealii::Point<dim> &point, const std::string &field,
                         const unsigned int component_in_field) const override;

    void assemble_cell(const dealii::FEValues<dim> &fe_values, const PointState<dim> &state,
                       LocalSystem &local) const override;

    void assemble_boundary_face(const dealii::FEFaceValues<dim> &fe_face_values,
                                const dealii::types::boundary_id boundary_id,
                                const PointState<dim> &state, LocalSystem &local) const override;

    StatisticsEntries postprocess(const BlockVector &solution, const double time) const override;

    /**
     * Writes `<stem>crack_opening.csv`, the opening profile along the profile
     * axis, and with Picture pixels > 0 the annotated picture `<stem>damage.svg` and `.png`.
     */
    void write_output(const BlockVector &solution, const double time,
                      const std::string &file_stem) const override;

    std::unique_ptr<dealii::DataPostprocessor<dim>> output_postprocessor() const override;

    void mark_refinement_targets(const BlockVector     &solution,
                                 dealii::Vector<float> &must_refine) const override;

    /** The largest damage increment of the step over Maximum damage increment. */
    double step_change(const BlockVector &solution, const BlockVector &old_solution) const override;

    /** Opening w(s) = −∫ u·∇d across the crack, in bins along the profile axis. */
    std::vector<std::pair<double, double>> opening_profile(const BlockVector &solution) const;

    double length_scale() const { return ell; }

  private:
    unsigned int displacement_component() const
    {
      return this->field_layout().component("displacement");
    }
    unsigned int damage_component() const { return this->field_layout().component("damage"); }

    /** One Dirichlet condition: a displacement component on a boundary. */
    struct DisplacementCondition
    {
      dealii::types::boundary_id                   boundary;
      unsigned int                                 component;
      std::unique_ptr<dealii::FunctionParser<dim>> value; ///< of x, y, z, t [m]
    };

    /** Energies and measures integrated over the locally owned cells. */
    struct Integrals;
    Integrals integrate(const BlockVector &solution, const double time) const;

    bool         at1;
    EnergySplit  split;
    double       ell, residual_stiffness, refinement_threshold;
    double       max_damage_increment; ///< per step; 0: no limit
    double       relaxation_time;      ///< τ of the viscous damage [s]; 0: none
    bool         irreversible;
    bool         lagged_degradation; ///< g(d), χ(d) of equilibrium at d_old
    unsigned int profile_axis, profile_bins, picture_pixels;
    std::optional<dealii::BoundingBox<2>> picture_region; ///< none: the whole mesh
    dealii::types::boundary_id            reaction_boundary;

    std::unique_ptr<dealii::FunctionParser<1>>   stack_pressure; ///< P_stack(t) [Pa]
    std::unique_ptr<dealii::FunctionParser<dim>> initial_damage;
    std::vector<DisplacementCondition>           displacement_conditions;

    double       displacement_scale = 1, damage_scale = 1; ///< row scales, set in initialize()
    double       finest_cell_size = 0; ///< h of the finest level, set in initialize()
    unsigned int finest_level     = 0;
    dealii::Point<dim> domain_low, domain_high;

    /** Crack-tip history for the growth speed; statistics are computed once per accepted step. */
    mutable double last_time = 0, last_tip = 0, last_length = 0;
    mutable bool   have_last = false;
  };
} // namespace weaklink
