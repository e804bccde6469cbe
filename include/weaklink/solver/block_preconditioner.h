#pragma once

#include <deal.II/lac/trilinos_block_sparse_matrix.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>
#include <deal.II/lac/trilinos_precondition.h>

#include <weaklink/core/run_parameters.h>

#include <memory>
#include <vector>

namespace weaklink
{
  /**
   * Block preconditioner for the monolithic Jacobian: one algebraic
   * multigrid per diagonal block (one block per field), combined either
   * block-diagonally or by forward substitution through the lower
   * off-diagonal blocks (block Gauss–Seidel).
   */
  class BlockPreconditioner
  {
  public:
    void initialize(const dealii::TrilinosWrappers::BlockSparseMatrix &matrix,
                    const LinearSolverParameters                      &parameters,
                    const std::vector<bool>                           &higher_order_block,
                    const std::vector<std::vector<std::vector<bool>>> &block_constant_modes = {});

    void vmult(dealii::TrilinosWrappers::MPI::BlockVector       &dst,
               const dealii::TrilinosWrappers::MPI::BlockVector &src) const;

  private:
    const dealii::TrilinosWrappers::BlockSparseMatrix                      *matrix = nullptr;
    std::vector<std::unique_ptr<dealii::TrilinosWrappers::PreconditionAMG>> block_amg;
    bool                                                                    lower_triangular = true;
    unsigned int                                                            cycles           = 1;
  };
} // namespace weaklink
