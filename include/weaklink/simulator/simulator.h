#pragma once

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/function_parser.h>
#include <deal.II/base/index_set.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/trilinos_block_sparse_matrix.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>

#include <weaklink/core/run_parameters.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/material/material_cache.h>
#include <weaklink/material/material_field.h>
#include <weaklink/physics/current_protocol.h>
#include <weaklink/physics/physics_module.h>
#include <weaklink/simulator/run_summary.h>
#include <weaklink/simulator/short_circuit.h>
#include <weaklink/simulator/statistics.h>
#include <weaklink/simulator/termination.h>
#include <weaklink/solver/jacobian_solver.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace weaklink
{
  /** Counts of one Newton solve. */
  struct NewtonReport
  {
    unsigned int iterations        = 0;
    unsigned int linear_iterations = 0;
    double       initial_residual  = 0;
    double       final_residual    = 0;
  };

  /**
   * Owns the distributed mesh, the one FESystem assembled from the active
   * physics modules, the monolithic Newton solve per time step, adaptive
   * time stepping and refinement, statistics, field output and checkpoints.
   */
  template <int dim> class Simulator
  {
  public:
    Simulator(const RunParameters &run_parameters, const SeparatorGeometry &geometry,
              dealii::ParameterHandler &prm, MPI_Comm mpi_communicator, std::ostream &log);

    /**
     * The whole run: setup (or resume), time loop until a termination
     * criterion stops it, final output and summary.json.
     */
    RunSummary run();

    /**
     * Every check the run makes before its first step, writing nothing: the
     * coarse mesh and its tags, the modules on it, and the output directory
     * (another case's results) or, with Output/Resume, the checkpoint and its
     * case. Throws InputError (--validate).
     */
    void validate();

    /** Mesh, DoFs and initial values, without solving. */
    void setup();

    /** Solves the nonlinear problem at @p time with step @p time_step; throws StepFailure. */
    NewtonReport solve_step(const double time, const double time_step);

    /**
     * The local residual and Jacobian of @p cell for the local DoF values
     * @p local_values (and @p old_local_values of the previous step): the one
     * function the assembly loop calls, exposed so tests can difference it.
     */
    void compute_local_system(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                              const dealii::Vector<double> &local_values,
                              const dealii::Vector<double> &old_local_values, const double time,
                              const double time_step, LocalSystem &local) const;

    const Statistics &statistics() const { return statistics_table; }
    /** Wall seconds per timer section so far ("linear solver setup", "assemble Jacobian", ...). */
    std::map<std::string, double> section_seconds() const
    {
      return timer.get_summary_data(dealii::TimerOutput::total_wall_time);
    }
    /** Factorisations and AMG hierarchies built so far. */
    unsigned int preconditioner_builds() const { return jacobian_solver.preconditioner_builds(); }
    /** One row per step and filament (cluster of cracked or metallic cells touching Γp). */
    const Statistics &filament_statistics() const { return filament_table; }
    /** The short found at the last step, if any (with the lithium field). */
    std::optional<ShortCircuit>    short_circuit() const;
    const dealii::DoFHandler<dim> &get_dof_handler() const { return dof_handler; }
    const MaterialField<dim>      &get_material() const { return *material; }
    const BlockVector             &get_solution() const { return solution; }
    const std::vector<std::unique_ptr<PhysicsModule<dim>>> &get_modules() const { return modules; }
    const FieldLayout                                      &get_fields() const { return fields; }
    const CouplingLaws<dim> &get_coupling() const { return *coupling; }
    CouplingLaws<dim>       &get_coupling() { return *coupling; }
    const dealii::parallel::distributed::Triangulation<dim> &get_triangulation() const
    {
      return triangulation;
    }

  private:
    // simulator.cc
    void initialize_modules();
    void setup_dofs();
    void make_constraints(const double time);
    void set_initial_values();
    /** Prints @p warning and keeps it for summary.json. */
    void warn(const std::string &warning);
    /** The modules' warnings on their parameters and the mesh (Fracture: ℓ < 2h). */
    void warn_of_modules();
    /**
     * Warns of initial values the mesh does not hold: a field whose
     * interpolation carries less than half or more than twice the integral of
     * its expression (an initial crack narrower than a cell, say).
     */
    void                     check_initial_resolution();
    std::vector<std::string> warnings_issued;
    /** A termination criterion that stops the run, and why. */
    using Stop = std::pair<const TerminationCriterion *, std::string>;
    /** Steps until a termination criterion stops the run. */
    Stop time_loop();
    /** Time, step and wall clock for the termination criteria (collective). */
    RunProgress progress() const;
    /** The largest Module::step_change of the step just solved, and whose it is. */
    std::pair<double, std::string> largest_step_change() const;
    /** Statistics of the step of size @p step_size just accepted (0 for the state at t = 0). */
    void record_step(const NewtonReport &report, const double step_size, const double wall_seconds);
    /** The first short of the run: the one that stopped it, or the first recorded. */
    std::optional<ShortCircuit> first_short() const;
    /** The summary of the run stopped by @p stop, its one-line report and summary.json. */
    RunSummary finish_run(const Stop &stop) const;

    // simulator_assembly.cc
    struct AssemblyScratch;
    /** The material at the Gauss points of each cell, until the mesh changes. */
    mutable MaterialCache cell_materials;
    /**
     * Field values and coupled quantities at the points of @p fe_values,
     * whose material is @p material_at_points.
     */
    void evaluate_point_state(const dealii::FEValuesBase<dim> &fe_values,
                              const dealii::Vector<double>    &local_values,
                              const dealii::Vector<double> &old_local_values, const double time,
                              const double time_step, const bool with_derivatives,
                              const MaterialPointData &material_at_points,
                              PointState<dim>         &state) const;
    void local_system(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                      const dealii::Vector<double>                                 &local_values,
                      const dealii::Vector<double> &old_local_values, const double time,
                      const double time_step, AssemblyScratch &scratch, LocalSystem &local) const;
    void assemble(const BlockVector &current, const double time, const double time_step,
                  const bool with_matrix);

    // simulator_solver.cc
    unsigned int solve_linear_system(BlockVector &update);
    /** Whether Linear solver/Method asks for the direct solver on this mesh. */
    bool uses_direct_solver() const;
    /** Newton with the full or the staggered Jacobian, at most @p max_iterations. */
    NewtonReport newton(const double time, const double time_step,
                        const unsigned int max_iterations);
    bool         staggered_jacobian = false;
    /** Whether the last Newton solve saw a damage residual: only then can staggering help. */
    bool damage_was_driven = false;
    /**
     * Newton's merit function is ‖W R‖ with W = 1 except on rows whose
     * diagonal exceeds stiff_row_factor times the block's typical (geometric
     * mean) diagonal: those (a metallic filament among electrolyte, 1e14
     * stiffer) are weighted down to that level, so that their rounding noise
     * does not hide the convergence of the rest. From the Jacobian at the
     * start of each Newton solve.
     */
    void                    update_merit_weights();
    double                  merit_norm(const BlockVector &vector) const;
    BlockVector             merit_weights; ///< owned
    static constexpr double stiff_row_factor = 1e3;

    // simulator_active_set.cc
    void setup_bounded_dofs();
    /** The lower bound of bounded DoF @p i: its previous value (nondecreasing) or 0. */
    double lower_bound(const dealii::types::global_dof_index i) const;
    /**
     * The primal–dual active set of the bounded fields from the full
     * residual in `residual` at @p current: DoFs where R_i + w_i (bound_i − u_i) > 0
     * are fixed at their bound (and @p current is projected there). Rebuilds
     * newton_constraints; returns true if the set changed.
     */
    bool update_active_set(BlockVector &current, const unsigned int newton_iteration);
    /**
     * Whether bounded DoF @p i belongs on its bound at @p iterate, whose full
     * residual is in `residual`, given the present active set (hysteresis).
     */
    bool belongs_on_bound(const dealii::types::global_dof_index i,
                          const BlockVector                    &iterate) const;
    /**
     * The merit of @p iterate, whose full residual is in `residual`: the
     * weighted norm of the residual, where each bounded DoF that belongs on
     * its bound there counts with its distance to it instead.
     */
    double complementarity_merit(const BlockVector &iterate) const;
    /**
     * A frozen active set ends cycling but may hold DoFs that the solution
     * wants off their bound. From the point it reached, the set is thawed (it
     * may shrink again and cycling is watched anew), at most a few times per
     * solve; returns whether it was.
     */
    bool thaw_active_set();
    /** Throws StepFailure when a frozen active set holds a DoF against its multiplier. */
    void check_bound_multipliers() const;
    /** Zeroes the residual rows of the active DoFs (their equation is u = bound). */
    void remove_active_rows(BlockVector &vector) const;

    // simulator_output.cc
    void prepare_output_directory() const;
    /**
     * Removes what an earlier run left in the output directory (a new run,
     * not a resume); an earlier run of another case is an InputError unless
     * Output/Overwrite.
     */
    void remove_earlier_results() const;
    /** On rank 0 what an earlier run of the same case left (else InputError). */
    std::vector<std::string> earlier_results() const;
    /** The checkpoint directory to resume from; InputError if none or of another case. */
    std::string find_checkpoint() const;
    void        write_fields();
    void        write_statistics() const;
    std::string output_file(const std::string &name) const;

    // simulator_refinement.cc
    void adapt_mesh();
    /**
     * Refines cells the modules need at the finest level (and, for the
     * initial mesh, the cells always_refined); false if none.
     */
    bool refine_to_targets(bool initial_mesh = false);
    /**
     * Refines the mesh alone, without DoFs or fields to transfer, where the
     * geometry asks for it (the cells always_refined); false if none.
     */
    bool refine_mesh_to_geometry();
    /** Material interfaces (if asked) and the refinement region: kept at the finest level. */
    bool
    always_refined(const typename dealii::Triangulation<dim>::active_cell_iterator &cell) const;
    /** Executes the flagged refinement, transferring solution and old_solution. */
    void refine_and_transfer();

    // simulator_checkpoint.cc
    void write_checkpoint();
    /** Digests the files the case reads into input_file_digests, once, when the run starts. */
    void record_input_files();
    void resume_from_checkpoint();

    const RunParameters parameters;
    std::string         parameters_text; ///< every parameter as used, for the output directory
    /** The files the case reads (mesh, image) with a digest of their contents at the start. */
    std::vector<std::pair<std::string, std::string>> input_file_digests;
    const SeparatorGeometry                          geometry;
    MPI_Comm                                         mpi_communicator;
    dealii::ConditionalOStream                       pcout;
    // Parsed first: a bad expression throws before anything else exists.
    std::unique_ptr<MaterialField<dim>>              material;
    std::vector<std::unique_ptr<PhysicsModule<dim>>> modules;
    std::unique_ptr<CouplingLaws<dim>>               coupling;
    std::unique_ptr<dealii::FunctionParser<dim>>     refinement_region;
    CurrentProtocol                                  protocol;
    TerminationCriteria                              termination;
    mutable dealii::TimerOutput                      timer;

    dealii::parallel::distributed::Triangulation<dim> triangulation;
    FieldLayout                                       fields;
    std::vector<unsigned int>                         component_blocks;
    std::vector<double> component_row_scales; ///< residual scale of each component's rows
    /** Storage and deposition by the nodal rule (ModuleContext::deposition_at_nodes). */
    bool                                   deposition_at_nodes = false;
    std::vector<double>                    component_bound_stiffness; ///< of each bounded component
    std::unique_ptr<dealii::FESystem<dim>> fe;
    dealii::DoFHandler<dim>                dof_handler;

    std::vector<dealii::IndexSet>     owned_partitioning, relevant_partitioning;
    dealii::AffineConstraints<double> constraints; ///< with boundary values at the solve time
    dealii::AffineConstraints<double> base_newton_constraints; ///< homogeneous, for updates
    dealii::AffineConstraints<double> newton_constraints;      ///< the above and the active set

    // Bounded fields (damage d ≥ d_old, lithium c ≥ 0): their DoFs, weights, and the active set.
    std::vector<dealii::types::global_dof_index> bounded_owned_dofs;
    std::vector<dealii::types::global_dof_index> bounded_relevant_dofs;
    BlockVector bound_weight;           ///< owned: lumped mass × scaled bound stiffness
    BlockVector bound_follows_previous; ///< owned: 1 where the bound is the previous value
    std::vector<dealii::types::global_dof_index> active_dofs;           ///< relevant, sorted
    std::vector<double>                          active_set_signatures; ///< this Newton solve
    bool                                         active_set_frozen = false;
    unsigned int                                 active_set_thaws  = 0; ///< this Newton solve
    bool active_set_moved_values = false; ///< the last update projected some DoF onto its bound
    /**
     * Of the DoFs a frozen (only growing) active set holds against the sign
     * of their multiplier: the largest distance, in the field's units, they
     * would move from the bound if released. Near zero at a true solution.
     */
    double held_against_multiplier = 0;
    bool   has_bounded_fields      = false;

    /** Constant modes of each block for algebraic multigrid (one per component). */
    std::vector<std::vector<std::vector<bool>>> block_constant_modes;

    dealii::TrilinosWrappers::BlockSparseMatrix system_matrix;
    /** Keeps factors or AMG hierarchy across Newton iterations and steps until the DoFs change. */
    JacobianSolver jacobian_solver;
    BlockVector    residual;     ///< owned
    BlockVector    solution;     ///< ghosted
    BlockVector    old_solution; ///< ghosted, last accepted step

    double                                      time         = 0;
    double                                      time_step    = 0;
    unsigned int                                step         = 0;
    unsigned int                                output_index = 0;
    std::vector<std::pair<double, std::string>> pvd_records;
    Statistics                                  statistics_table;
    Statistics                                  filament_table;
    std::unique_ptr<ShortCircuitMonitor<dim>>   short_circuit_monitor; ///< with lithium only
    std::chrono::steady_clock::time_point       last_checkpoint_time;
    std::chrono::steady_clock::time_point       run_start; ///< of this process's part of the run
  };
} // namespace weaklink
