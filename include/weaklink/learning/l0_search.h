#pragma once

#include <mpi.h>

#include <cstdint>
#include <vector>

namespace weaklink
{
  struct L0Model
  {
    double                     rss = 0;  ///< residual sum of squares of the least-squares fit
    std::vector<std::uint32_t> features; ///< increasing indices into the pool
  };

  struct L0SearchResult
  {
    std::vector<L0Model> best; ///< sorted by (rss, indices)
    std::uint64_t        models_scored = 0;
  };

  /**
   * Exhaustive L0 search: every set of @p dimension features of the pool
   * fitted by least squares, the @p n_best smallest residuals kept. The
   * pool is standardised once and its Gram matrix computed (the only cost
   * that grows with the number of samples); each model then costs O(1)
   * operations through an incremental Cholesky factorisation shared by all
   * models with a common prefix. A set whose last pivot falls below
   * @p collinearity_tolerance (1 - R^2 of a feature on the others) is
   * skipped as near-collinear. The work is split over the ranks by model
   * prefix; every rank returns the same result.
   */
  L0SearchResult search_l0(const std::vector<std::vector<double>> &pool,
                           const std::vector<double> &target, unsigned int dimension,
                           unsigned int n_best, bool fit_intercept, MPI_Comm communicator,
                           double collinearity_tolerance = 1e-8);
} // namespace weaklink
