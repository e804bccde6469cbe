#pragma once

#include <deal.II/lac/trilinos_block_sparse_matrix.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <memory>
#include <string>

class Amesos_BaseSolver;
class Epetra_LinearProblem;

namespace weaklink
{
  /**
   * Sparse direct solve of the monolithic Jacobian with MUMPS (through
   * Trilinos Amesos, distributed over the ranks). Conductivity contrasts of
   * 1e15 between a metallic lithium filament and the electrolyte, and the
   * indefinite Jacobian of a running crack, cost it nothing; its price is
   * memory and time that grow faster than linearly with the DoFs, so it is
   * the choice for 2D and small 3D problems.
   *
   * The blocks are copied into one matrix whose sparsity, and MUMPS's
   * symbolic factorisation, are kept until clear() (a new mesh or DoF
   * numbering); each factorize() redoes only the numeric factorisation.
   */
  class DirectSolver
  {
  public:
    DirectSolver();
    ~DirectSolver();

    /** MUMPS's fill-reducing ordering, ICNTL(7), for the next analyses. */
    void set_ordering(const int icntl7) { ordering = icntl7; }

    /** Forget the sparsity and the symbolic factorisation. */
    void clear();

    /** Copy @p matrix into the monolithic matrix and factorise it. */
    void factorize(const dealii::TrilinosWrappers::BlockSparseMatrix &matrix);

    /** Solve with the last factorisation: @p solution = A⁻¹ @p right_hand_side. */
    void solve(dealii::TrilinosWrappers::MPI::BlockVector       &solution,
               const dealii::TrilinosWrappers::MPI::BlockVector &right_hand_side) const;

    /** The same, as a preconditioner for a Krylov method. */
    void vmult(dealii::TrilinosWrappers::MPI::BlockVector       &dst,
               const dealii::TrilinosWrappers::MPI::BlockVector &src) const
    {
      solve(dst, src);
    }

    /** Numeric factorisations since the last clear(), and symbolic ones in all. */
    unsigned int numeric_factorizations() const { return n_numeric; }
    unsigned int symbolic_factorizations() const { return n_symbolic; }

  private:
    void build_structure(const dealii::TrilinosWrappers::BlockSparseMatrix &matrix);
    void map_value_slots(const dealii::TrilinosWrappers::BlockSparseMatrix &matrix);
    void copy_values(const dealii::TrilinosWrappers::BlockSparseMatrix &matrix);
    void to_monolithic(const dealii::TrilinosWrappers::MPI::BlockVector &blocks,
                       dealii::TrilinosWrappers::MPI::Vector            &vector) const;

    dealii::TrilinosWrappers::SparseMatrix monolithic;
    // Amesos solves into the vectors it was set up with.
    mutable dealii::TrilinosWrappers::MPI::Vector monolithic_solution, monolithic_rhs;
    std::vector<dealii::types::global_dof_index>  block_offsets;
    /**
     * Where each stored entry of the blocks goes in the monolithic matrix's
     * values, in the order the blocks are read: copying is then a scatter,
     * not a search per entry.
     */
    std::vector<std::size_t>              value_slots;
    std::unique_ptr<Epetra_LinearProblem> problem;
    std::unique_ptr<Amesos_BaseSolver>    solver;
    bool                                  structure_ready = false;
    unsigned int                          n_numeric       = 0;
    unsigned int                          n_symbolic      = 0;
    int                                   ordering        = 7; ///< MUMPS's automatic
  };
} // namespace weaklink
