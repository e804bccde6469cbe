#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/tensor.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/data_postprocessor.h>

#include <weaklink/material/material_field.h>
#include <weaklink/physics/coupled_quantities.h>
#include <weaklink/physics/current_protocol.h>
#include <weaklink/physics/field_layout.h>

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace weaklink
{
  using BlockVector = dealii::TrilinosWrappers::MPI::BlockVector;

  /**
   * One unknown field of a module: a scalar or a dim-vector, with its FE
   * degree and its lower bound (kept exactly by the simulator's primal–dual
   * active set inside Newton).
   */
  struct FieldDescription
  {
    std::string  name;
    unsigned int n_components = 1;
    unsigned int degree       = 1;
    LowerBound   bound        = LowerBound::none;
  };

  /** What the simulator shares with its modules. */
  template <int dim> struct ModuleContext
  {
    MPI_Comm                       mpi_communicator;
    const dealii::DoFHandler<dim> *dof_handler         = nullptr;
    const MaterialField<dim>      *material            = nullptr;
    const FieldLayout             *fields              = nullptr; ///< every field, by name
    const CouplingLaws<dim>       *coupling            = nullptr; ///< the shared laws
    double                         separator_thickness = 0;
    unsigned int                   finest_level = 0; ///< the finest level refinement may reach
    /**
     * Whether the storage and deposition terms are integrated with the
     * nodal rule (assemble_cell_at_nodes): with a lithium field, so that
     * each node gains lithium by its own pressure and filling.
     */
    bool deposition_at_nodes = false;
    /** The applied current over time (when it sets it, not the electrochemistry's expression). */
    const CurrentProtocol *protocol = nullptr;
  };

  /** Solution and coefficients at the quadrature points of one cell or face. */
  template <int dim> struct PointState
  {
    std::vector<dealii::Vector<double>>              values;        ///< [q](component)
    std::vector<std::vector<dealii::Tensor<1, dim>>> gradients;     ///< [q][component]
    std::vector<dealii::Vector<double>>              old_values;    ///< previous step
    std::vector<std::vector<dealii::Tensor<1, dim>>> old_gradients; ///< previous step
    MaterialPointData                                material;
    /** The coupled quantities at each point, derivatives included when a matrix is assembled. */
    std::vector<CoupledPoint<dim>> coupled;
    /** [q][i]: shape function i at point q, for Linearized::derivative (with a matrix only). */
    std::vector<std::vector<ShapeAtPoint<dim>>> shapes;
    LithiumNodes<dim>                           lithium_nodes;
    double                                      time      = 0;
    double                                      time_step = 0;
  };

  /** The local residual (and, when asked, Jacobian) a module adds to. */
  struct LocalSystem
  {
    dealii::FullMatrix<double> matrix;
    dealii::Vector<double>     residual;
    bool                       assemble_matrix = true;
    /**
     * Staggered Jacobian: leave out the derivative of the displacement
     * equation with respect to damage, so that a Newton step solves for u
     * at fixed d and then for d (alternate minimisation). The simulator's
     * fallback when the full Jacobian of a non-convex step fails.
     */
    bool staggered = false;
  };

  /** One named value for the per-step statistics table. */
  using StatisticsEntries = std::vector<std::pair<std::string, double>>;

  /**
   * A piece of physics: its parameters, its fields (components of the one
   * FESystem), its constraints, and its cell and boundary-face terms of the
   * monolithic residual and Jacobian, in physical units (the framework
   * scales rows). The simulator calls every active module in one assembly
   * loop; a module finds every field by name in context.fields, and reads
   * what other physics contribute from the coupled quantities of PointState.
   */
  template <int dim> class PhysicsModule
  {
  public:
    virtual ~PhysicsModule() = default;

    virtual std::string name() const = 0;

    /** Doubts about the setup (e.g. an unresolved length), printed before the first step. */
    virtual std::vector<std::string> warnings() const { return {}; }

    virtual std::vector<FieldDescription> fields() const = 0;

    /** Called once the fields of the FESystem and the context are known. */
    virtual void initialize(const ModuleContext<dim> &context);

    /**
     * The factor the framework multiplies the residual rows of @p field
     * with (see FieldLayout::Field::residual_scale); after initialize().
     */
    virtual double residual_scale(const std::string &field) const;

    /**
     * For a bounded field: the physical residual per unit lumped mass and
     * unit distance from the bound, so that the active set compares the
     * multiplier with the gap in the same units.
     */
    virtual double bound_stiffness(const std::string &field) const;

    /**
     * Changes the row scales of the DoFs @p dof_indices of one cell where
     * a row must share another's scale (rows that condensation sums).
     */
    virtual void adjust_row_scales(const std::vector<dealii::types::global_dof_index> &dof_indices,
                                   std::vector<double> &row_scales) const;

    /**
     * State beyond the solution vectors (e.g. crack-tip history) for a
     * checkpoint: written and read as text, one module after another.
     */
    virtual void save_state(std::ostream &out) const;
    virtual void load_state(std::istream &in);

    /**
     * Dirichlet and other constraints of this module's fields at @p time
     * (hanging-node and periodicity constraints are already in). Called after
     * every mesh change; a module may keep what it derives from them.
     */
    virtual void add_constraints(dealii::AffineConstraints<double> &constraints, const double time);

    /** Initial value of component @p component_in_field of this module's field @p field. */
    virtual double initial_value(const dealii::Point<dim> &point, const std::string &field,
                                 const unsigned int component_in_field) const;

    virtual void assemble_cell(const dealii::FEValues<dim> &fe_values, const PointState<dim> &state,
                               LocalSystem &local) const = 0;

    /**
     * Terms integrated with the nodal rule, when context.deposition_at_nodes:
     * @p fe_values has the Gauss–Lobatto points (the vertices of a Q1 cell)
     * and @p state the coupled quantities there, with the material of the
     * nearest Gauss point. For the storage and deposition of lithium: at a
     * vertex the law sees only that node's content, so a node without void
     * or lithium gains none by deposition, and a node stops gaining when
     * its own pressure stalls the reaction.
     */
    virtual void assemble_cell_at_nodes(const dealii::FEValues<dim> &fe_values,
                                        const PointState<dim> &state, LocalSystem &local) const;

    /** Terms on boundary faces, e.g. electrode kinetics. */
    virtual void assemble_boundary_face(const dealii::FEFaceValues<dim> &fe_face_values,
                                        const dealii::types::boundary_id boundary_id,
                                        const PointState<dim> &state, LocalSystem &local) const;

    /** Quantities for the statistics table after an accepted step. */
    virtual StatisticsEntries postprocess(const BlockVector &solution, const double time) const;

    /**
     * Extra output files of this module at a field-output step, named
     * `<file_stem>...` (the stem ends in the output index, e.g. `out/00003_`).
     */
    virtual void write_output(const BlockVector &solution, const double time,
                              const std::string &file_stem) const;

    /**
     * Sets must_refine[active cell index] = 1 on locally owned cells that must
     * be at the finest level (e.g. the crack zone). After a step the
     * simulator refines them and their neighbours and redoes the step.
     */
    virtual void mark_refinement_targets(const BlockVector     &solution,
                                         dealii::Vector<float> &must_refine) const;

    /**
     * How much the step from @p old_solution to @p solution changed this
     * module's fields, relative to the change it allows per step: 1 is at
     * the limit, 0 means no limit. Above 1 the simulator redoes the step
     * with a proportionally smaller time step (never below the minimum,
     * where it accepts the step and says so); the next step is sized from
     * it as well. Collective: every rank returns the same value.
     */
    virtual double step_change(const BlockVector &solution, const BlockVector &old_solution) const;

    /**
     * Shortens the Newton update of this module's fields node by node where a
     * law has a kink that the linearisation at @p iterate does not see (the
     * new iterate is iterate − update); returns whether it changed anything
     * on any rank (collective). The default leaves the update as it is.
     */
    virtual bool limit_newton_update(const BlockVector &iterate, BlockVector &update) const;

    /** Derived fields for VTU output, or null. */
    virtual std::unique_ptr<dealii::DataPostprocessor<dim>> output_postprocessor() const;

  protected:
    const FieldLayout &field_layout() const { return *context.fields; }

    /**
     * The largest rise of @p measure of @p component at a node from
     * @p old_solution to @p solution (collective); the measure is the value
     * itself unless given.
     */
    double largest_increment(const BlockVector &solution, const BlockVector &old_solution,
                             const unsigned int                   component,
                             const std::function<double(double)> &measure = {}) const;

    ModuleContext<dim> context;
  };

  /**
   * Modules by name, so that a parameter file selects them
   * (`Physics/Modules = electrochemistry, ...`).
   */
  template <int dim> class PhysicsModuleRegistry
  {
  public:
    using Factory  = std::function<std::unique_ptr<PhysicsModule<dim>>(dealii::ParameterHandler &)>;
    using Declarer = std::function<void(dealii::ParameterHandler &)>;

    static void add(const std::string &name, const Declarer &declare, const Factory &create);

    static void declare_parameters(dealii::ParameterHandler &prm);

    /** The modules listed in Physics/Modules, with their parameters parsed. */
    static std::vector<std::unique_ptr<PhysicsModule<dim>>> create(dealii::ParameterHandler &prm);

    static std::vector<std::string> names();

  private:
    static std::map<std::string, std::pair<Declarer, Factory>> &entries();
  };

  /** Registers ModuleClass<2> and ModuleClass<3> under @p name at load time. */
#define WEAKLINK_REGISTER_PHYSICS_MODULE(ModuleClass, module_name)                                 \
  namespace                                                                                        \
  {                                                                                                \
    const bool ModuleClass##_registered = [] {                                                     \
      ::weaklink::PhysicsModuleRegistry<2>::add(                                                   \
          module_name, &ModuleClass<2>::declare_parameters,                                        \
          [](dealii::ParameterHandler &prm) { return std::make_unique<ModuleClass<2>>(prm); });    \
      ::weaklink::PhysicsModuleRegistry<3>::add(                                                   \
          module_name, &ModuleClass<3>::declare_parameters,                                        \
          [](dealii::ParameterHandler &prm) { return std::make_unique<ModuleClass<3>>(prm); });    \
      return true;                                                                                 \
    }();                                                                                           \
  }
} // namespace weaklink
