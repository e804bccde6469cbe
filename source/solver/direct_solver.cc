#include <weaklink/core/input_error.h>
#include <weaklink/solver/direct_solver.h>

#include <deal.II/lac/trilinos_sparsity_pattern.h>

#include <Amesos.h>
#include <Amesos_BaseSolver.h>
#include <Amesos_Mumps.h>
#include <Epetra_CrsMatrix.h>
#include <Epetra_LinearProblem.h>
#include <Epetra_Map.h>
#include <Epetra_MultiVector.h>

#include <algorithm>
#include <vector>

namespace weaklink
{
  using namespace dealii;

  DirectSolver::DirectSolver()  = default;
  DirectSolver::~DirectSolver() = default;

  void DirectSolver::clear()
  {
    solver.reset();
    problem.reset();
    monolithic.clear();
    structure_ready = false;
    n_numeric       = 0;
  }

  namespace
  {
    /** Calls @p visit(global row, global column, value) for every stored entry of the owned rows of
     * @p block. */
    template <typename Visit>
    void for_each_entry(const TrilinosWrappers::SparseMatrix &block,
                        const types::global_dof_index         row_offset,
                        const types::global_dof_index column_offset, const Visit &visit)
    {
      const Epetra_CrsMatrix &crs = block.trilinos_matrix();
      for (int local_row = 0; local_row < crs.NumMyRows(); ++local_row)
        {
          int     n       = 0;
          double *values  = nullptr;
          int    *columns = nullptr;
          crs.ExtractMyRowView(local_row, n, values, columns);
          const auto row = row_offset + crs.RowMap().GID64(local_row);
          for (int k = 0; k < n; ++k)
            visit(row, column_offset + crs.ColMap().GID64(columns[k]), values[k]);
        }
    }
  } // namespace

  void DirectSolver::build_structure(const TrilinosWrappers::BlockSparseMatrix &matrix)
  {
    const unsigned int n_blocks = matrix.n_block_rows();
    block_offsets.assign(n_blocks + 1, 0);
    for (unsigned int b = 0; b < n_blocks; ++b)
      block_offsets[b + 1] = block_offsets[b] + matrix.block(b, b).m();
    IndexSet owned(block_offsets.back());
    for (unsigned int b = 0; b < n_blocks; ++b)
      {
        const IndexSet &block_rows = matrix.block(b, b).locally_owned_range_indices();
        for (const auto index : block_rows)
          owned.add_index(block_offsets[b] + index);
      }
    owned.compress();
    const MPI_Comm comm = matrix.get_mpi_communicator();

    TrilinosWrappers::SparsityPattern pattern(owned, owned, comm);
    for (unsigned int i = 0; i < n_blocks; ++i)
      for (unsigned int j = 0; j < n_blocks; ++j)
        for_each_entry(matrix.block(i, j), block_offsets[i], block_offsets[j],
                       [&](const types::global_dof_index row, const types::global_dof_index column,
                           double) { pattern.add(row, column); });
    pattern.compress();
    monolithic.reinit(pattern);
    map_value_slots(matrix);
    monolithic_solution.reinit(owned, comm);
    monolithic_rhs.reinit(owned, comm);

    problem = std::make_unique<Epetra_LinearProblem>();
    problem->SetOperator(const_cast<Epetra_CrsMatrix *>(&monolithic.trilinos_matrix()));
    problem->SetLHS(&monolithic_solution.trilinos_vector());
    problem->SetRHS(&monolithic_rhs.trilinos_vector());
    Amesos factory;
    solver.reset(factory.Create("Amesos_Mumps", *problem));
    if (!solver)
      throw StepFailure("MUMPS is not available through Trilinos Amesos; choose an iterative "
                        "Linear solver/Method");
    copy_values(matrix);
    if (auto *const mumps = dynamic_cast<Amesos_Mumps *>(solver.get()))
      mumps->SetICNTL(7, ordering);
    if (solver->SymbolicFactorization() != 0)
      throw StepFailure("the symbolic factorisation of MUMPS failed");
    ++n_symbolic;
    structure_ready = true;
  }

  void DirectSolver::map_value_slots(const TrilinosWrappers::BlockSparseMatrix &matrix)
  {
    const Epetra_CrsMatrix &crs        = monolithic.trilinos_matrix();
    int                    *row_starts = nullptr, *columns = nullptr;
    double                 *values = nullptr;
    if (!crs.StorageOptimized() || const_cast<Epetra_CrsMatrix &>(crs).ExtractCrsDataPointers(
                                       row_starts, columns, values) != 0)
      throw StepFailure("direct solver: the monolithic matrix is not stored contiguously");
    value_slots.clear();
    const unsigned int n_blocks = matrix.n_block_rows();
    for (unsigned int i = 0; i < n_blocks; ++i)
      for (unsigned int j = 0; j < n_blocks; ++j)
        for_each_entry(
            matrix.block(i, j), block_offsets[i], block_offsets[j],
            [&](const types::global_dof_index row, const types::global_dof_index column, double) {
              const int local_row =
                  crs.RowMap().LID(static_cast<TrilinosWrappers::types::int_type>(row));
              const int local_column =
                  crs.ColMap().LID(static_cast<TrilinosWrappers::types::int_type>(column));
              if (local_row < 0 || local_column < 0)
                throw StepFailure("direct solver: an entry outside the stored sparsity");
              const int *end = columns + row_starts[local_row + 1];
              const int *found =
                  std::find<const int *>(columns + row_starts[local_row], end, local_column);
              if (found == end)
                throw StepFailure("direct solver: an entry outside the stored sparsity");
              value_slots.push_back(found - columns);
            });
  }

  void DirectSolver::copy_values(const TrilinosWrappers::BlockSparseMatrix &matrix)
  {
    Epetra_CrsMatrix &crs        = const_cast<Epetra_CrsMatrix &>(monolithic.trilinos_matrix());
    int              *row_starts = nullptr, *columns = nullptr;
    double           *values = nullptr;
    crs.ExtractCrsDataPointers(row_starts, columns, values);
    std::fill(values, values + crs.NumMyNonzeros(), 0.0);
    // The blocks' entries in the order map_value_slots read them.
    std::size_t        entry    = 0;
    const unsigned int n_blocks = matrix.n_block_rows();
    for (unsigned int i = 0; i < n_blocks; ++i)
      for (unsigned int j = 0; j < n_blocks; ++j)
        {
          const Epetra_CrsMatrix &block = matrix.block(i, j).trilinos_matrix();
          for (int local_row = 0; local_row < block.NumMyRows(); ++local_row)
            {
              int     n             = 0;
              double *block_values  = nullptr;
              int    *block_columns = nullptr;
              block.ExtractMyRowView(local_row, n, block_values, block_columns);
              if (entry + n > value_slots.size())
                throw StepFailure("direct solver: the blocks' sparsity changed");
              for (int k = 0; k < n; ++k)
                values[value_slots[entry++]] += block_values[k];
            }
        }
    if (entry != value_slots.size())
      throw StepFailure("direct solver: the blocks' sparsity changed");
  }

  void DirectSolver::factorize(const TrilinosWrappers::BlockSparseMatrix &matrix)
  {
    if (!structure_ready)
      build_structure(matrix);
    else
      copy_values(matrix);
    // Pivots delayed by numerical pivoting (nearly singular rows) fill in
    // beyond MUMPS's estimate from the analysis (INFOG(1) = -8, -9: workspace
    // too small): the analysis is redone with more working space (ICNTL(14),
    // percent over the estimate; Amesos hands it to MUMPS there) until it fits.
    auto *const mumps = dynamic_cast<Amesos_Mumps *>(solver.get());
    for (int extra_workspace = 40;; extra_workspace *= 2)
      {
        if (solver->NumericFactorization() == 0)
          break;
        const int error = mumps ? mumps->GetINFOG()[0] : 0;
        if ((error != -8 && error != -9) || extra_workspace > 2000)
          throw StepFailure(
              "the numeric factorisation of MUMPS failed (INFOG(1) = " + std::to_string(error) +
              (error == -10 ? ": a singular Jacobian" : "") + ")");
        mumps->SetICNTL(14, extra_workspace);
        if (solver->SymbolicFactorization() != 0)
          throw StepFailure("the symbolic factorisation of MUMPS failed");
        ++n_symbolic;
      }
    ++n_numeric;
  }

  void DirectSolver::to_monolithic(const TrilinosWrappers::MPI::BlockVector &blocks,
                                   TrilinosWrappers::MPI::Vector            &vector) const
  {
    // Owned entries are stored block after block, in increasing index, in both layouts.
    Epetra_MultiVector &target = vector.trilinos_vector();
    int                 k      = 0;
    for (unsigned int b = 0; b < blocks.n_blocks(); ++b)
      {
        const Epetra_MultiVector &source = blocks.block(b).trilinos_vector();
        for (int i = 0; i < source.MyLength(); ++i, ++k)
          {
            if (target.Map().GID64(k) !=
                static_cast<long long int>(block_offsets[b]) + source.Map().GID64(i))
              throw StepFailure("direct solver: the block and monolithic layouts differ");
            target[0][k] = source[0][i];
          }
      }
  }

  void DirectSolver::solve(TrilinosWrappers::MPI::BlockVector       &solution,
                           const TrilinosWrappers::MPI::BlockVector &right_hand_side) const
  {
    to_monolithic(right_hand_side, monolithic_rhs);
    if (solver->Solve() != 0)
      throw StepFailure("the MUMPS solve failed");
    const Epetra_MultiVector &source = monolithic_solution.trilinos_vector();
    int                       k      = 0;
    for (unsigned int b = 0; b < solution.n_blocks(); ++b)
      {
        Epetra_MultiVector &target = solution.block(b).trilinos_vector();
        for (int i = 0; i < target.MyLength(); ++i)
          target[0][i] = source[0][k++];
      }
  }
} // namespace weaklink
