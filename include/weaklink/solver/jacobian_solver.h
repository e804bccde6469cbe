#pragma once

#include <deal.II/base/timer.h>
#include <deal.II/lac/trilinos_block_sparse_matrix.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>

#include <weaklink/core/run_parameters.h>
#include <weaklink/solver/block_preconditioner.h>
#include <weaklink/solver/direct_solver.h>

#include <memory>
#include <vector>

namespace weaklink
{
  /**
   * Solves the Newton systems J·δ = R of one mesh, keeping what is expensive
   * to build for as long as it still works (Linear solver/Reuse
   * preconditioner):
   *
   * - direct: the MUMPS factors of an earlier Jacobian precondition GMRES on
   *   the current one. Within Reuse iteration limit iterations a nearby
   *   Jacobian is solved to the same accuracy as with fresh factors, at the
   *   price of a few triangular solves instead of a factorisation; otherwise
   *   the current Jacobian is factorised, and the stored factors are tried
   *   again only after 1, 3, 7 or 15 fresh factorisations (backing off
   *   while the Jacobian changes fast).
   * - Krylov: the block-AMG hierarchy is kept until a solve needs more than
   *   twice the iterations of the first solve with it (or fails), then
   *   rebuilt.
   *
   * Accuracy is checked the same way on every path, per block in units of
   * the unknowns (rows differ by the conductivity contrast, 1e14 between
   * metal and electrolyte); an inaccurate solve is a StepFailure, never a
   * Newton update.
   */
  class JacobianSolver
  {
  public:
    using BlockVector = dealii::TrilinosWrappers::MPI::BlockVector;
    using BlockMatrix = dealii::TrilinosWrappers::BlockSparseMatrix;

    JacobianSolver(const LinearSolverParameters &parameters, const unsigned int dim,
                   dealii::TimerOutput &timer);

    /**
     * A new mesh or DoF numbering: forgets the sparsity, the factors and the
     * hierarchy. @p higher_order_block and @p block_constant_modes describe
     * each block for algebraic multigrid.
     */
    void reset(const std::vector<bool>                           &higher_order_block,
               const std::vector<std::vector<std::vector<bool>>> &block_constant_modes);

    /**
     * The next solve builds its preconditioner afresh (the symbolic
     * factorisation is kept). Called where a checkpoint is written: a run
     * resumed from it starts without one, and so makes the same choices as
     * the uninterrupted run.
     */
    void forget_preconditioner();

    /**
     * Solves @p matrix · @p update = @p right_hand_side with the direct solver
     * (@p direct) or Krylov with block AMG. Returns the Krylov iterations (a
     * fresh factorisation counts its solves with the factors). Throws
     * StepFailure.
     */
    unsigned int solve(const BlockMatrix &matrix, BlockVector &update,
                       const BlockVector &right_hand_side, const bool direct);

    /** Factorisations and AMG hierarchies built since construction. */
    unsigned int preconditioner_builds() const { return n_builds; }

  private:
    unsigned int solve_directly(const BlockMatrix &matrix, BlockVector &update,
                                const BlockVector &right_hand_side);
    /** GMRES preconditioned by the stored factors; false if it does not reach the accuracy. */
    bool         solve_with_stored_factors(const BlockMatrix &matrix, BlockVector &update,
                                           const BlockVector &right_hand_side, unsigned int &iterations);
    unsigned int solve_iteratively(const BlockMatrix &matrix, BlockVector &update,
                                   const BlockVector &right_hand_side);
    /**
     * Runs the Krylov method with the current hierarchy from @p update down to
     * the residual norm @p tolerance; throws SolverControl::NoConvergence.
     */
    unsigned int run_krylov(const BlockMatrix &matrix, BlockVector &update,
                            const BlockVector &right_hand_side, const double tolerance) const;
    void         build_hierarchy(const BlockMatrix &matrix);

    /**
     * Largest over the blocks of ‖D⁻¹(J δ − R)‖ / ‖(δ, D⁻¹R)‖, D the diagonal
     * of the block: the misfit of @p update in units of the unknowns.
     */
    double relative_misfit(const BlockMatrix &matrix, const BlockVector &update,
                           const BlockVector &right_hand_side, BlockVector &misfit) const;

    const LinearSolverParameters               &parameters;
    dealii::TimerOutput                        &timer;
    std::vector<bool>                           higher_order_block;
    std::vector<std::vector<std::vector<bool>>> block_constant_modes;

    DirectSolver direct_solver;
    bool         factors_available = false;
    /** Fresh factorisations to make before stored factors are tried again, and the current gap. */
    unsigned int                  factorizations_before_reuse = 0;
    unsigned int                  reuse_backoff               = 0;
    static constexpr unsigned int max_reuse_backoff           = 15;

    std::unique_ptr<BlockPreconditioner> hierarchy;
    unsigned int                         iterations_of_fresh_hierarchy = 0;
    bool                                 hierarchy_is_fresh            = false;

    unsigned int n_builds = 0;
  };
} // namespace weaklink
