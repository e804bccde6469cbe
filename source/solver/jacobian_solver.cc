#include <weaklink/core/input_error.h>
#include <weaklink/solver/jacobian_solver.h>

#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/solver_gmres.h>

#include <cmath>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /** What a Newton update needs, and what a direct solve usually reaches. */
    constexpr double required_misfit = 1e-6;
    constexpr double target_misfit   = 1e-10;
  } // namespace

  JacobianSolver::JacobianSolver(const LinearSolverParameters &parameters, const unsigned int dim,
                                 TimerOutput &timer)
      : parameters(parameters)
      , timer(timer)
  {
    direct_solver.set_ordering(parameters.mumps_ordering(dim));
  }

  void JacobianSolver::reset(const std::vector<bool>                           &higher_order,
                             const std::vector<std::vector<std::vector<bool>>> &constant_modes)
  {
    higher_order_block   = higher_order;
    block_constant_modes = constant_modes;
    direct_solver.clear();
    forget_preconditioner();
  }

  void JacobianSolver::forget_preconditioner()
  {
    factors_available           = false;
    reuse_backoff               = 0;
    factorizations_before_reuse = 0;
    hierarchy.reset();
  }

  unsigned int JacobianSolver::solve(const BlockMatrix &matrix, BlockVector &update,
                                     const BlockVector &right_hand_side, const bool direct)
  {
    if (direct)
      {
        hierarchy.reset();
        return solve_directly(matrix, update, right_hand_side);
      }
    factors_available = false;
    return solve_iteratively(matrix, update, right_hand_side);
  }

  double JacobianSolver::relative_misfit(const BlockMatrix &matrix, const BlockVector &update,
                                         const BlockVector &right_hand_side,
                                         BlockVector       &misfit) const
  {
    matrix.vmult(misfit, update);
    misfit.sadd(-1.0, right_hand_side);
    const MPI_Comm communicator = matrix.get_mpi_communicator();
    double         worst        = 0;
    for (unsigned int b = 0; b < update.n_blocks(); ++b)
      {
        const auto &block      = matrix.block(b, b);
        double      misfit_sum = 0, reference_sum = 0;
        for (const auto i : update.block(b).locally_owned_elements())
          {
            const double diagonal = std::abs(block.diag_element(i));
            if (diagonal == 0)
              continue;
            misfit_sum += std::pow(misfit.block(b)(i) / diagonal, 2);
            reference_sum += std::pow(update.block(b)(i), 2) +
                             std::pow(right_hand_side.block(b)(i) / diagonal, 2);
          }
        misfit_sum    = Utilities::MPI::sum(misfit_sum, communicator);
        reference_sum = Utilities::MPI::sum(reference_sum, communicator);
        if (reference_sum > 0)
          worst = std::max(worst, std::sqrt(misfit_sum / reference_sum));
      }
    return worst;
  }

  namespace
  {
    /**
     * Factors of a nearby Jacobian followed by a per-block scaling that makes
     * each block's part of the first correction of unit size: GMRES, left
     * preconditioned with it, minimises the error of every field relative to
     * its own update (a displacement of 1e-10 m weighs as much as 1 mV).
     */
    class BlockScaledFactors
    {
    public:
      BlockScaledFactors(const DirectSolver &factors, const JacobianSolver::BlockVector &rhs)
          : factors(factors)
      {
        JacobianSolver::BlockVector first(rhs);
        factors.solve(first, rhs);
        for (unsigned int b = 0; b < first.n_blocks(); ++b)
          {
            const double size = first.block(b).l2_norm();
            block_weight.push_back(size > 0 ? 1.0 / size : 1.0);
          }
      }

      void vmult(JacobianSolver::BlockVector &dst, const JacobianSolver::BlockVector &src) const
      {
        factors.solve(dst, src);
        for (unsigned int b = 0; b < dst.n_blocks(); ++b)
          dst.block(b) *= block_weight[b];
      }

    private:
      const DirectSolver &factors;
      std::vector<double> block_weight;
    };
  } // namespace

  bool JacobianSolver::solve_with_stored_factors(const BlockMatrix &matrix, BlockVector &update,
                                                 const BlockVector &right_hand_side,
                                                 unsigned int      &iterations)
  {
    const BlockScaledFactors preconditioner(direct_solver, right_hand_side);
    ReductionControl control(parameters.reuse_iteration_limit, 1e-300, 0.1 * target_misfit, false,
                             false);
    SolverGMRES<BlockVector>::AdditionalData data(parameters.reuse_iteration_limit + 2, false);
    SolverGMRES<BlockVector>                 gmres(control, data);
    update = 0;
    try
      {
        gmres.solve(matrix, update, right_hand_side, preconditioner);
      }
    catch (const SolverControl::NoConvergence &)
      {
        // Judged by the misfit below.
      }
    iterations = control.last_step() + 1; // and the scaling's solve
    BlockVector misfit(update);
    return relative_misfit(matrix, update, right_hand_side, misfit) <= 100 * target_misfit;
  }

  unsigned int JacobianSolver::solve_directly(const BlockMatrix &matrix, BlockVector &update,
                                              const BlockVector &right_hand_side)
  {
    unsigned int wasted = 0;
    if (factors_available && parameters.reuse_preconditioner)
      {
        if (factorizations_before_reuse > 0)
          --factorizations_before_reuse;
        else
          {
            TimerOutput::Scope scope(timer, "linear solve");
            unsigned int       iterations = 0;
            if (solve_with_stored_factors(matrix, update, right_hand_side, iterations))
              {
                reuse_backoff = 0;
                return iterations;
              }
            // Where the Jacobian changes fast (a lithium front, a running
            // crack) stored factors keep failing: try them again only after
            // 1, 3, 7, then every 15 fresh factorisations.
            reuse_backoff               = std::min(2 * reuse_backoff + 1, max_reuse_backoff);
            factorizations_before_reuse = reuse_backoff;
            wasted                      = iterations;
          }
      }
    {
      TimerOutput::Scope scope(timer, "linear solver setup");
      direct_solver.factorize(matrix);
      factors_available = true;
      ++n_builds;
    }
    TimerOutput::Scope scope(timer, "linear solve");
    direct_solver.solve(update, right_hand_side);
    // Broken cells (stiffness k) next to metal make the Jacobian
    // ill-conditioned; iterative refinement with the same factors recovers
    // the digits a single solve loses.
    BlockVector  misfit(update);
    double       worst       = relative_misfit(matrix, update, right_hand_side, misfit);
    unsigned int refinements = 0;
    for (; refinements < 3 && worst > target_misfit; ++refinements)
      {
        BlockVector correction(update);
        direct_solver.solve(correction, misfit);
        update.add(1.0, correction);
        worst = relative_misfit(matrix, update, right_hand_side, misfit);
      }
    if (!(worst <= required_misfit))
      throw StepFailure("the direct solve is inaccurate (relative misfit " + three_digits(worst) +
                        " in units of the unknowns, after iterative refinement): a singular "
                        "Jacobian?");
    return wasted + 1 + refinements;
  }

  void JacobianSolver::build_hierarchy(const BlockMatrix &matrix)
  {
    TimerOutput::Scope scope(timer, "linear solver setup");
    hierarchy = std::make_unique<BlockPreconditioner>();
    hierarchy->initialize(matrix, parameters, higher_order_block, block_constant_modes);
    hierarchy_is_fresh = true;
    ++n_builds;
  }

  unsigned int JacobianSolver::run_krylov(const BlockMatrix &matrix, BlockVector &update,
                                          const BlockVector &right_hand_side,
                                          const double       tolerance) const
  {
    SolverControl control(parameters.max_iterations, tolerance);
    if (parameters.method == "gmres")
      {
        SolverGMRES<BlockVector>::AdditionalData data(parameters.restart_length + 2, true);
        SolverGMRES<BlockVector>                 solver(control, data);
        solver.solve(matrix, update, right_hand_side, *hierarchy);
      }
    else
      {
        SolverFGMRES<BlockVector> solver(
            control, SolverFGMRES<BlockVector>::AdditionalData(parameters.restart_length));
        solver.solve(matrix, update, right_hand_side, *hierarchy);
      }
    return control.last_step();
  }

  unsigned int JacobianSolver::solve_iteratively(const BlockMatrix &matrix, BlockVector &update,
                                                 const BlockVector &right_hand_side)
  {
    if (!hierarchy || !parameters.reuse_preconditioner)
      build_hierarchy(matrix);
    const double tolerance = parameters.relative_tolerance * right_hand_side.l2_norm();
    unsigned int wasted    = 0;
    for (;;)
      {
        TimerOutput::Scope scope(timer, "linear solve");
        try
          {
            update                  = 0;
            unsigned int iterations = run_krylov(matrix, update, right_hand_side, tolerance);
            // The residual norm is that of the stiffest rows (metal, 1e14 above the
            // electrolyte); passes with tighter targets resolve the others.
            BlockVector misfit(update);
            double      worst          = relative_misfit(matrix, update, right_hand_side, misfit);
            double      pass_tolerance = tolerance;
            for (unsigned int pass = 0; pass < 3 && worst > required_misfit; ++pass)
              {
                pass_tolerance *= 1e-3;
                iterations += run_krylov(matrix, update, right_hand_side, pass_tolerance);
                worst = relative_misfit(matrix, update, right_hand_side, misfit);
              }
            if (!(worst <= required_misfit) && !hierarchy_is_fresh)
              {
                // A hierarchy of an earlier Jacobian may no longer resolve
                // the soft rows: rebuild it once, as after no convergence.
                wasted += iterations;
                scope.stop();
                build_hierarchy(matrix);
                continue;
              }
            if (!(worst <= required_misfit))
              throw StepFailure("the Krylov solve is inaccurate (relative misfit " +
                                three_digits(worst) + " in units of the unknowns after " +
                                std::to_string(iterations) +
                                " iterations); choose Linear solver/Method = direct");
            if (hierarchy_is_fresh)
              iterations_of_fresh_hierarchy = iterations;
            else if (iterations > 2 * iterations_of_fresh_hierarchy + 2)
              hierarchy.reset(); // degraded: the next solve rebuilds it
            hierarchy_is_fresh = false;
            return wasted + iterations;
          }
        catch (const SolverControl::NoConvergence &failure)
          {
            if (!hierarchy_is_fresh)
              {
                wasted += failure.last_step;
                scope.stop();
                build_hierarchy(matrix);
                continue;
              }
            throw StepFailure("the linear solver did not converge in " +
                              std::to_string(failure.last_step) + " iterations (residual " +
                              three_digits(failure.last_residual) + ", target " +
                              three_digits(tolerance) +
                              "); raise Linear solver/Maximum iterations or the restart length, "
                              "or choose Method = direct");
          }
      }
  }
} // namespace weaklink
