#pragma once

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace weaklink
{
  /** Where and how often results, statistics and checkpoints are written. */
  struct OutputParameters
  {
    std::string  directory;
    unsigned int vtu_interval;                ///< steps between field outputs; 0: never
    bool         write_fields_at_end;         ///< always write the last step
    unsigned int checkpoint_interval_steps;   ///< 0: never by step count
    double       checkpoint_interval_minutes; ///< 0: never by wall time
    bool         resume;                      ///< continue from the checkpoint in directory
    bool         overwrite;                   ///< replace the results of another case in directory

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };

  /** Adaptive time stepping. */
  struct TimeParameters
  {
    double       end_time;
    double       initial_step;
    double       min_step;
    double       max_step;
    double       growth_factor;
    double       cut_factor;
    unsigned int max_steps;
    unsigned int easy_newton_iterations; ///< grow the step when Newton needs at most this

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };

  /** Newton iteration with backtracking line search. */
  struct NewtonParameters
  {
    double       absolute_tolerance;
    double       relative_tolerance;
    unsigned int max_iterations;
    unsigned int max_line_search_steps;
    double       sufficient_decrease; ///< Armijo constant on the residual norm
    double update_tolerance; ///< converged when every block's update is this small, relatively
    bool   log_iterations;   ///< print every Newton iteration (residual per field, line search)

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };

  /** Krylov solver and block preconditioner. */
  struct LinearSolverParameters
  {
    std::string  method;          ///< "automatic", "direct", "gmres" or "fgmres"
    unsigned int direct_limit;    ///< automatic: direct up to this many DoFs
    std::string  direct_ordering; ///< fill-reducing ordering of MUMPS's analysis, or "automatic"
    double       relative_tolerance;
    unsigned int max_iterations;
    unsigned int restart_length;
    std::string  block_coupling; ///< "diagonal" or "lower triangular"
    unsigned int amg_cycles;
    std::string  amg_smoother;    ///< ML's name: "ILU", "symmetric Gauss-Seidel" or "Chebyshev"
    std::string  amg_prolongator; ///< "energy minimizing" or "smoothed"
    double       amg_aggregation_threshold;
    bool         reuse_preconditioner;  ///< keep factors / AMG hierarchy while they work
    unsigned int reuse_iteration_limit; ///< GMRES iterations with stored factors

    /**
     * MUMPS's ICNTL(7) for Direct solver ordering in @p dim dimensions:
     * automatic is QAMD in 2D and PORD in 3D.
     */
    int mumps_ordering(const unsigned int dim) const;

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };

  /** Initial and adaptive mesh refinement. */
  struct RefinementParameters
  {
    unsigned int initial_global_refinement;
    unsigned int initial_adaptive_refinement;
    unsigned int interval; ///< steps between adaptations; 0: no adaptivity in time
    unsigned int min_level;
    unsigned int max_level;
    double       refine_fraction;
    double       coarsen_fraction;
    bool         use_error_estimator;   ///< Kelly estimator on every field
    bool         refine_material_jumps; ///< indicator: cells across material interfaces
    std::string  refinement_region;     ///< expression of x, y, z; positive: finest level

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };

  /** Everything that controls a run, apart from geometry, material and physics. */
  struct RunParameters
  {
    unsigned int           dimension;
    OutputParameters       output;
    TimeParameters         time;
    NewtonParameters       newton;
    LinearSolverParameters linear_solver;
    RefinementParameters   refinement;

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };
} // namespace weaklink
