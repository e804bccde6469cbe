#include <weaklink/solver/block_preconditioner.h>

#include <Epetra_MultiVector.h>
#include <Teuchos_ParameterList.hpp>

namespace weaklink
{
  using namespace dealii;

  void BlockPreconditioner::initialize(
      const TrilinosWrappers::BlockSparseMatrix &system_matrix,
      const LinearSolverParameters &parameters, const std::vector<bool> &higher_order_block,
      const std::vector<std::vector<std::vector<bool>>> &block_constant_modes)
  {
    matrix           = &system_matrix;
    lower_triangular = parameters.block_coupling == "lower triangular";
    cycles           = parameters.amg_cycles;
    block_amg.resize(system_matrix.n_block_rows());
    for (unsigned int b = 0; b < system_matrix.n_block_rows(); ++b)
      {
        TrilinosWrappers::PreconditionAMG::AdditionalData data;
        data.elliptic              = true;
        data.higher_order_elements = higher_order_block[b];
        data.smoother_sweeps       = 2;
        data.smoother_type         = parameters.amg_smoother.c_str();
        data.aggregation_threshold = parameters.amg_aggregation_threshold;
        if (b < block_constant_modes.size() && !block_constant_modes[b].empty())
          data.constant_modes = block_constant_modes[b];
        Teuchos::ParameterList              ml_parameters;
        std::unique_ptr<Epetra_MultiVector> distributed_constant_modes;
        data.set_parameters(ml_parameters, distributed_constant_modes, system_matrix.block(b, b));
        // The smoothed prolongator smears a coarse function across a jump of the
        // conductivity; the energy-minimizing one (Sala & Tuminaro) does not.
        if (parameters.amg_prolongator == "energy minimizing")
          {
            ml_parameters.set("energy minimization: enable", true);
            ml_parameters.set("energy minimization: type", 2);
          }
        block_amg[b] = std::make_unique<TrilinosWrappers::PreconditionAMG>();
        block_amg[b]->initialize(system_matrix.block(b, b), ml_parameters);
      }
  }

  void BlockPreconditioner::vmult(TrilinosWrappers::MPI::BlockVector       &dst,
                                  const TrilinosWrappers::MPI::BlockVector &src) const
  {
    TrilinosWrappers::MPI::Vector block_rhs, correction;
    for (unsigned int b = 0; b < matrix->n_block_rows(); ++b)
      {
        block_rhs = src.block(b);
        if (lower_triangular)
          for (unsigned int c = 0; c < b; ++c)
            {
              correction.reinit(block_rhs, true);
              matrix->block(b, c).vmult(correction, dst.block(c));
              block_rhs -= correction;
            }
        block_amg[b]->vmult(dst.block(b), block_rhs);
        // Further cycles: Richardson iterations on the diagonal block.
        for (unsigned int k = 1; k < cycles; ++k)
          {
            correction.reinit(block_rhs, true);
            matrix->block(b, b).vmult(correction, dst.block(b));
            correction.sadd(-1.0, 1.0, block_rhs);
            TrilinosWrappers::MPI::Vector delta(correction);
            block_amg[b]->vmult(delta, correction);
            dst.block(b) += delta;
          }
      }
  }
} // namespace weaklink
