#include <weaklink/core/input_error.h>
#include <weaklink/core/run_parameters.h>

namespace weaklink
{
  using dealii::ParameterHandler;
  namespace Patterns = dealii::Patterns;

  void OutputParameters::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Output");
    prm.declare_entry("Directory", "output", Patterns::FileName(),
                      "Directory for statistics, fields and checkpoints; created "
                      "if missing (its parent must exist).");
    prm.declare_entry("Field output interval", "1", Patterns::Integer(0),
                      "Write VTU/PVTU fields every this many time steps; 0 writes "
                      "none apart from the last step when requested.");
    prm.declare_entry("Write fields at end", "true", Patterns::Bool(),
                      "Always write the fields of the last time step.");
    prm.declare_entry("Checkpoint interval steps", "0", Patterns::Integer(0),
                      "Write a checkpoint every this many time steps; 0: never by count.");
    prm.declare_entry("Checkpoint interval minutes", "0", Patterns::Double(0),
                      "Write a checkpoint when this much wall time passed since the "
                      "last one; 0: never by time.");
    prm.declare_entry("Resume", "false", Patterns::Bool(),
                      "Continue from the checkpoint in the output directory: the "
                      "statistics and the .pvd series continue where they stopped.");
    prm.declare_entry("Overwrite", "false", Patterns::Bool(),
                      "A new run in a directory that holds the results of another case "
                      "(parameters_used.prm differs outside Output, Newton, Linear "
                      "solver, End time, Maximum number of steps, Stop at short) is an "
                      "error unless this is true. The results of an earlier run (of the "
                      "same case, or overwritten) are removed before anything is written.");
    prm.leave_subsection();
  }

  void OutputParameters::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Output");
    directory                   = prm.get("Directory");
    vtu_interval                = prm.get_integer("Field output interval");
    write_fields_at_end         = prm.get_bool("Write fields at end");
    checkpoint_interval_steps   = prm.get_integer("Checkpoint interval steps");
    checkpoint_interval_minutes = prm.get_double("Checkpoint interval minutes");
    resume                      = prm.get_bool("Resume");
    overwrite                   = prm.get_bool("Overwrite");
    prm.leave_subsection();
    if (directory.empty())
      throw InputError("Output/Directory must not be empty");
  }

  void TimeParameters::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Time stepping");
    prm.declare_entry("End time", "3600", Patterns::Double(0), "End of the simulation [s].");
    prm.declare_entry("Initial time step", "60", Patterns::Double(0), "First time step [s].");
    prm.declare_entry("Minimum time step", "1e-6", Patterns::Double(0),
                      "A step cut below this after a failed solve stops the run with an "
                      "error [s]. A step over a module's per-step change limit (Fracture/Maximum "
                      "damage increment) is accepted at this size.");
    prm.declare_entry("Maximum time step", "600", Patterns::Double(0),
                      "Upper bound of the step [s].");
    prm.declare_entry("Growth factor", "1.5", Patterns::Double(1),
                      "Factor applied to the step after an easy Newton solve.");
    prm.declare_entry("Cut factor", "0.5", Patterns::Double(0, 1),
                      "Factor applied to the step after a failed Newton solve; the least cut "
                      "after a step over a module's per-step change limit.");
    prm.declare_entry("Maximum number of steps", "100000", Patterns::Integer(1),
                      "Stop after this many accepted steps.");
    prm.declare_entry("Easy Newton iterations", "4", Patterns::Integer(1),
                      "The step grows when Newton converged in at most this many iterations.");
    prm.leave_subsection();
  }

  void TimeParameters::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Time stepping");
    end_time               = prm.get_double("End time");
    initial_step           = prm.get_double("Initial time step");
    min_step               = prm.get_double("Minimum time step");
    max_step               = prm.get_double("Maximum time step");
    growth_factor          = prm.get_double("Growth factor");
    cut_factor             = prm.get_double("Cut factor");
    max_steps              = prm.get_integer("Maximum number of steps");
    easy_newton_iterations = prm.get_integer("Easy Newton iterations");
    prm.leave_subsection();
    if (initial_step <= 0)
      throw InputError("Time stepping/Initial time step must be positive");
    if (min_step > max_step)
      throw InputError("Time stepping/Minimum time step exceeds Maximum time step");
  }

  void NewtonParameters::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Newton");
    prm.declare_entry("Absolute tolerance", "1e-10", Patterns::Double(0),
                      "Converged when the scaled residual norm is below this.");
    prm.declare_entry("Relative tolerance", "1e-8", Patterns::Double(0, 1),
                      "... or below this times the first residual norm of the step.");
    prm.declare_entry("Maximum iterations", "25", Patterns::Integer(1),
                      "More iterations than this fail the step (and cut it).");
    prm.declare_entry("Maximum line search steps", "8", Patterns::Integer(0),
                      "Halvings of the Newton update before the step fails.");
    prm.declare_entry("Sufficient decrease", "1e-4", Patterns::Double(0, 1),
                      "Armijo constant: accept a damped update when the residual "
                      "norm falls to (1 - c*alpha) of its value.");
    prm.declare_entry("Update tolerance", "1e-10", Patterns::Double(0, 1),
                      "Also converged when the Newton update of every field is below "
                      "this times the field's largest value: the residual of strongly "
                      "scaled rows (tiny electronic conductivity) can sit at its "
                      "round-off floor above the absolute tolerance.");
    prm.declare_entry("Log iterations", "false", Patterns::Bool(),
                      "Print every Newton iteration: the merit norm of the residual per "
                      "field, the line-search step and the size of the active set. For "
                      "finding out why a step does not converge.");
    prm.leave_subsection();
  }

  void NewtonParameters::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Newton");
    absolute_tolerance    = prm.get_double("Absolute tolerance");
    relative_tolerance    = prm.get_double("Relative tolerance");
    max_iterations        = prm.get_integer("Maximum iterations");
    max_line_search_steps = prm.get_integer("Maximum line search steps");
    sufficient_decrease   = prm.get_double("Sufficient decrease");
    update_tolerance      = prm.get_double("Update tolerance");
    log_iterations        = prm.get_bool("Log iterations");
    prm.leave_subsection();
  }

  void LinearSolverParameters::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Linear solver");
    prm.declare_entry("Method", "automatic", Patterns::Selection("automatic|direct|gmres|fgmres"),
                      "Solver of the Newton systems: a sparse direct solve (MUMPS, "
                      "distributed; indifferent to conductivity contrasts and indefinite "
                      "Jacobians, memory grows faster than the DoFs), or a Krylov method "
                      "with the block-AMG preconditioner; automatic: direct up to Direct "
                      "solver limit DoFs, fgmres above.");
    prm.declare_entry("Direct solver limit", "200000", Patterns::Integer(0),
                      "Largest number of DoFs for which Method = automatic solves directly in 2D; "
                      "in 3D a tenth of it (fill-in grows faster).");
    prm.declare_entry(
        "Direct solver ordering", "automatic", Patterns::Selection("automatic|qamd|amd|amf|pord"),
        "Fill-reducing ordering of MUMPS's analysis (Debian's MUMPS has no METIS or "
        "Scotch): quasi-dense approximate minimum degree (qamd), approximate minimum "
        "degree (amd) or fill (amf), or PORD's nested dissection (pord). In 2D qamd "
        "analyses in a tenth of PORD's time and factorises as fast; in 3D PORD's factors "
        "are 3-4 times cheaper (benchmarks/solver_contrast). automatic: qamd in 2D, pord "
        "in 3D.");
    prm.declare_entry("Relative tolerance", "1e-8", Patterns::Double(0, 1),
                      "Reduction of the linear residual per Newton iteration.");
    prm.declare_entry("Maximum iterations", "1000", Patterns::Integer(1),
                      "Krylov iterations before the Newton step fails.");
    prm.declare_entry("Restart length", "100", Patterns::Integer(1),
                      "Krylov vectors kept before a restart.");
    prm.declare_entry("Block coupling", "lower triangular",
                      Patterns::Selection("diagonal|lower triangular"),
                      "Block preconditioner: AMG on each diagonal block, with the "
                      "off-diagonal blocks ignored (diagonal) or applied by forward "
                      "substitution (lower triangular).");
    prm.declare_entry("AMG cycles", "1", Patterns::Integer(1),
                      "V-cycles per application of each block's AMG.");
    prm.declare_entry("AMG smoother", "ILU",
                      Patterns::Selection("ILU|symmetric Gauss-Seidel|Chebyshev"),
                      "Smoother on every level of each block's AMG (per rank). Chebyshev is "
                      "ML's default for elliptic problems; with the smoothed prolongator it "
                      "needs 42-88 iterations per Newton iteration once grain boundaries "
                      "conduct electrons 1e3 better than the grains, and does not converge at "
                      "1e6 (benchmarks/solver_contrast).");
    prm.declare_entry("AMG prolongator", "energy minimizing",
                      Patterns::Selection("energy minimizing|smoothed"),
                      "Interpolation of each block's AMG: ML's energy-minimizing prolongator "
                      "(robust to conductivity jumps) or smoothed aggregation (ML's default, "
                      "the solver before 2026-12-02).");
    prm.declare_entry("AMG aggregation threshold", "0", Patterns::Double(0, 1),
                      "Couplings weaker than this (relative to the diagonals) are dropped "
                      "when aggregating. 0 keeps the couplings across a metal/electrolyte "
                      "interface, which the energy-minimizing prolongator then handles; 0.02 "
                      "was the value before 2026-12-02.");
    prm.declare_entry("Reuse preconditioner", "true", Patterns::Bool(),
                      "Keep what is expensive to build while it still works, until the mesh "
                      "changes. Direct: the factors of an earlier Jacobian precondition GMRES on "
                      "the current one; if that does not reach the accuracy of a fresh "
                      "factorisation within Reuse iteration limit iterations, the current "
                      "Jacobian is factorised, and the stored factors are tried again only after "
                      "1, 3, 7, then every 15 fresh factorisations. Krylov: the AMG hierarchy is "
                      "rebuilt once a solve "
                      "needs more than twice the iterations of the first solve with it, or fails. "
                      "Both are rebuilt where a checkpoint is written (a resumed run continues "
                      "exactly).");
    prm.declare_entry("Reuse iteration limit", "10", Patterns::Integer(1, 200),
                      "GMRES iterations with the factors of an earlier Jacobian before the "
                      "current one is factorised (Reuse preconditioner, direct).");
    prm.leave_subsection();
  }

  void LinearSolverParameters::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Linear solver");
    method                    = prm.get("Method");
    direct_limit              = prm.get_integer("Direct solver limit");
    direct_ordering           = prm.get("Direct solver ordering");
    relative_tolerance        = prm.get_double("Relative tolerance");
    max_iterations            = prm.get_integer("Maximum iterations");
    restart_length            = prm.get_integer("Restart length");
    block_coupling            = prm.get("Block coupling");
    amg_cycles                = prm.get_integer("AMG cycles");
    amg_smoother              = prm.get("AMG smoother");
    amg_prolongator           = prm.get("AMG prolongator");
    amg_aggregation_threshold = prm.get_double("AMG aggregation threshold");
    reuse_preconditioner      = prm.get_bool("Reuse preconditioner");
    reuse_iteration_limit     = prm.get_integer("Reuse iteration limit");
    prm.leave_subsection();
  }

  int LinearSolverParameters::mumps_ordering(const unsigned int dim) const
  {
    // MUMPS's numbers for ICNTL(7).
    if (direct_ordering == "amd")
      return 0;
    if (direct_ordering == "amf")
      return 2;
    if (direct_ordering == "pord")
      return 4;
    if (direct_ordering == "qamd")
      return 6;
    return dim == 2 ? 6 : 4;
  }

  void RefinementParameters::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Mesh refinement");
    prm.declare_entry("Initial global refinement", "2", Patterns::Integer(0, 12),
                      "Uniform refinements of the coarse mesh.");
    prm.declare_entry("Initial adaptive refinement", "0", Patterns::Integer(0, 10),
                      "Solve, adapt and solve again this many times before the first step.");
    prm.declare_entry("Adaptation interval", "0", Patterns::Integer(0),
                      "Adapt the mesh every this many time steps; 0: never.");
    prm.declare_entry("Minimum level", "0", Patterns::Integer(0, 20),
                      "Cells are not coarsened below this level.");
    prm.declare_entry("Maximum level", "6", Patterns::Integer(0, 20),
                      "Cells are not refined beyond this level.");
    prm.declare_entry("Refine fraction", "0.3", Patterns::Double(0, 1),
                      "Fraction of the estimated error whose cells are refined.");
    prm.declare_entry("Coarsen fraction", "0.03", Patterns::Double(0, 1),
                      "Fraction of the estimated error whose cells are coarsened.");
    prm.declare_entry("Use error estimator", "true", Patterns::Bool(),
                      "Kelly error estimator, summed over all fields after scaling "
                      "each by its largest value.");
    prm.declare_entry("Refine material interfaces", "false", Patterns::Bool(),
                      "Refine cells across which a material property jumps to the "
                      "maximum level before the first solve, and keep them refined "
                      "at every adaptation (thin flaws, pore walls).");
    prm.declare_entry("Refinement region", "0", Patterns::Anything(),
                      "Expression of x, y (, z) [m]: cells where it is positive at a "
                      "vertex or the centre are refined to the maximum level before "
                      "the first solve and never coarsened, e.g. the expected path of "
                      "a crack in a refinement study.");
    prm.leave_subsection();
  }

  void RefinementParameters::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Mesh refinement");
    initial_global_refinement   = prm.get_integer("Initial global refinement");
    initial_adaptive_refinement = prm.get_integer("Initial adaptive refinement");
    interval                    = prm.get_integer("Adaptation interval");
    min_level                   = prm.get_integer("Minimum level");
    max_level                   = prm.get_integer("Maximum level");
    refine_fraction             = prm.get_double("Refine fraction");
    coarsen_fraction            = prm.get_double("Coarsen fraction");
    use_error_estimator         = prm.get_bool("Use error estimator");
    refine_material_jumps       = prm.get_bool("Refine material interfaces");
    refinement_region           = prm.get("Refinement region");
    prm.leave_subsection();
    if (min_level > max_level)
      throw InputError("Mesh refinement/Minimum level exceeds Maximum level");
    if (refine_fraction + coarsen_fraction > 1)
      throw InputError("Mesh refinement: Refine fraction + Coarsen fraction exceeds 1");
  }

  void RunParameters::declare(ParameterHandler &prm)
  {
    prm.declare_entry("Dimension", "2", Patterns::Integer(2, 3),
                      "Space dimension: 2 (plane strain) or 3.");
    OutputParameters::declare(prm);
    TimeParameters::declare(prm);
    NewtonParameters::declare(prm);
    LinearSolverParameters::declare(prm);
    RefinementParameters::declare(prm);
  }

  void RunParameters::parse(ParameterHandler &prm)
  {
    dimension = prm.get_integer("Dimension");
    output.parse(prm);
    time.parse(prm);
    newton.parse(prm);
    linear_solver.parse(prm);
    refinement.parse(prm);
  }
} // namespace weaklink
