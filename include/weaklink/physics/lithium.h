#pragma once

#include <deal.II/base/function_parser.h>

#include <weaklink/physics/physics_module.h>

#include <memory>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Lithium metal in the electrolyte's voids (MODEL.md §3–4). The lithium
   * volume per volume c = (φv + φmin)·s, with s ≥ 0 the filling (lithium
   * volume per void volume), obeys
   *   ∂c/∂t = (Ω/F)·j − ∇·q,
   * with j the volumetric plating current and q the creep flux of lithium
   * through the filled void space, both coupled quantities (CouplingLaws),
   * as is the pressure p = K_Li⟨s − 1⟩₊ that loads pores and cracks and
   * enters the overpotential. The field is the lithium state x ≥ 0: the
   * filling below 1, 1 + p/p_u above (CouplingLaws::filling_of_state), so
   * that Newton meets the onset of pressure on the scale p_u, not K_Li.
   * Parameters and statistics speak of s. Backward Euler in time; x ≥ 0 is
   * kept exactly by the simulator's active set. No flux leaves through a
   * boundary unless its filling is prescribed there.
   */
  template <int dim> class Lithium : public PhysicsModule<dim>
  {
  public:
    explicit Lithium(dealii::ParameterHandler &prm);

    static void declare_parameters(dealii::ParameterHandler &prm);

    std::string name() const override { return "lithium"; }

    std::vector<FieldDescription> fields() const override;

    void initialize(const ModuleContext<dim> &context) override;

    /** Rows of order Δc for cells about a hundredth of the separator wide. */
    double residual_scale(const std::string &field) const override;

    void add_constraints(dealii::AffineConstraints<double> &constraints,
                         const double                       time) override;

    double initial_value(const dealii::Point<dim> &point, const std::string &field,
                         const unsigned int component_in_field) const override;

    /** The creep flux (Gauss points). */
    void assemble_cell(const dealii::FEValues<dim> &fe_values, const PointState<dim> &state,
                       LocalSystem &local) const override;

    /** Storage and deposition (nodal rule): the lumped mass of the lithium balance. */
    void assemble_cell_at_nodes(const dealii::FEValues<dim> &fe_values,
                                const PointState<dim> &state, LocalSystem &local) const override;

    StatisticsEntries postprocess(const BlockVector &solution, const double time) const override;

    std::unique_ptr<dealii::DataPostprocessor<dim>> output_postprocessor() const override;

    /** The largest rise of the filling s at a node over Maximum filling increment. */
    double step_change(const BlockVector &solution, const BlockVector &old_solution) const override;
    bool   limit_newton_update(const BlockVector &iterate, BlockVector &update) const override;

  private:
    unsigned int lithium_component() const { return this->field_layout().component("lithium"); }

    /** Content c prescribed on one boundary (a reservoir at a known pressure). */
    struct FillingCondition
    {
      dealii::types::boundary_id                   boundary;
      std::unique_ptr<dealii::FunctionParser<dim>> value; ///< of x, y, z, t
    };

    std::unique_ptr<dealii::FunctionParser<dim>> initial_filling;
    std::unique_ptr<dealii::FunctionParser<dim>> injection; ///< [1/s], of x, y, z, t
    bool                                         injects = false;
    /** Lithium injected per volume and second at @p point [1/s]. */
    double injected(const dealii::Point<dim> &point, const double time) const;
    std::vector<FillingCondition> filling_conditions;
    double                        max_filling_increment = 0;
    double                        scale                 = 1;
  };
} // namespace weaklink
