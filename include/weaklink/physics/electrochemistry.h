#pragma once

#include <deal.II/base/function_parser.h>
#include <deal.II/base/index_set.h>

#include <weaklink/physics/butler_volmer.h>
#include <weaklink/physics/physics_module.h>

#include <memory>

namespace weaklink
{
  /**
   * Li+ potential phi and electron potential psi in the solid electrolyte
   * (MODEL.md §3–4):
   *   -div(σ_ion grad phi) + j = 0,   -div(σ_e grad psi) - j = 0,
   * with j = a·BV(eta) inside and Butler–Volmer fluxes on both electrodes.
   * The counter electrode metal is the ground (psi = 0). Galvanostatic
   * control makes the plating electrode an equipotential whose one unknown
   * potential carries the balance of the applied current; potentiostatic
   * control prescribes it. The cell voltage is V = psi(Γs) - psi(Γp).
   */
  template <int dim> class Electrochemistry : public PhysicsModule<dim>
  {
  public:
    explicit Electrochemistry(dealii::ParameterHandler &prm);

    static void declare_parameters(dealii::ParameterHandler &prm);

    std::string name() const override { return "electrochemistry"; }

    std::vector<FieldDescription> fields() const override;

    void initialize(const ModuleContext<dim> &context) override;

    /** 1/σ_ref of each charge balance, per unit length in 3D: rows in volts. */
    double residual_scale(const std::string &field) const override;

    void adjust_row_scales(const std::vector<dealii::types::global_dof_index> &dof_indices,
                           std::vector<double> &row_scales) const override;

    void add_constraints(dealii::AffineConstraints<double> &constraints,
                         const double                       time) override;

    void assemble_cell(const dealii::FEValues<dim> &fe_values, const PointState<dim> &state,
                       LocalSystem &local) const override;

    /** The deposition in the φ and ψ rows, when the lithium balance takes it nodally. */
    void assemble_cell_at_nodes(const dealii::FEValues<dim> &fe_values,
                                const PointState<dim> &state, LocalSystem &local) const override;

    void assemble_boundary_face(const dealii::FEFaceValues<dim> &fe_face_values,
                                const dealii::types::boundary_id boundary_id,
                                const PointState<dim> &state, LocalSystem &local) const override;

    StatisticsEntries postprocess(const BlockVector &solution, const double time) const override;

    std::unique_ptr<dealii::DataPostprocessor<dim>> output_postprocessor() const override;

    /** Writes `<stem>electrode_current.csv`: deposition current density along both electrodes. */
    void write_output(const BlockVector &solution, const double time,
                      const std::string &file_stem) const override;

    double applied_current_density(const double time) const;
    double applied_voltage(const double time) const;

  private:
    unsigned int phi_component() const { return this->field_layout().component("phi"); }
    unsigned int psi_component() const { return this->field_layout().component("psi"); }

    /** One face quadrature point of an electrode, from the locally owned cells. */
    struct ElectrodeSample
    {
      bool               on_plating_electrode;
      dealii::Point<dim> point;
      double             JxW;
      double             electron_potential;
      double             deposition_current; ///< j_BV [A/m^2], positive when plating
      double electronic_flux; ///< σ_e ∇psi·n, current entering the electrolyte [A/m^2]
    };

    std::vector<ElectrodeSample> electrode_samples(const BlockVector &solution,
                                                   const double       time) const;

    /**
     * -div(σ grad u) at points of a cell with material id @p cell_tag, by
     * fourth-order central differences (σ smooth within the cell).
     */
    void manufactured_sources(const std::vector<dealii::Point<dim>> &points,
                              const dealii::types::material_id cell_tag, const double time,
                              std::vector<double> &source_phi,
                              std::vector<double> &source_psi) const;

    /** Adds ±j of the exact potentials to the manufactured sources. */
    void add_manufactured_deposition(const std::vector<dealii::Point<dim>> &points,
                                     const PointState<dim> &state, std::vector<double> &source_phi,
                                     std::vector<double> &source_psi) const;

    bool         galvanostatic;
    unsigned int degree;
    double       ionic_scale, electronic_scale; ///< 1/σ_ref of each equation

    std::unique_ptr<dealii::FunctionParser<1>> applied_current;   ///< i_app(t) [A/m^2]
    std::unique_ptr<dealii::FunctionParser<1>> applied_potential; ///< V_app(t) [V]
    /**
     * Global psi DoFs whose rows end up in the galvanostatic electrode's
     * current balance: they must share one scale, and take the ionic one,
     * natural for a current.
     */
    dealii::IndexSet electrode_balance_rows;

    bool                                         manufactured;
    std::unique_ptr<dealii::FunctionParser<dim>> exact_phi, exact_psi;

    /** Work arrays of assemble_cell, kept from cell to cell (assembly is serial per rank). */
    struct CellScratch
    {
      std::vector<unsigned int> phi_dofs, psi_dofs;
      std::vector<double>       source_phi, source_psi, dj, dsigma_ion, dsigma_e;
    };
    mutable CellScratch scratch;
  };
} // namespace weaklink
