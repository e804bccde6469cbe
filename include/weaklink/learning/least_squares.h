#pragma once

#include <vector>

namespace weaklink
{
  struct LeastSquaresFit
  {
    double              intercept = 0;
    std::vector<double> coefficients;
    std::vector<double> residuals; ///< target - prediction
    double              rmse               = 0;
    double              max_absolute_error = 0;
    double              r_squared          = 0;
    /** False when a column is, to 1e-10 of its norm, a combination of the others. */
    bool full_rank = true;
  };

  /**
   * Linear least squares y ~ intercept + sum_j c_j x_j by Householder QR of
   * the design matrix (columns scaled to unit norm first), the exact refit
   * of the models the Gram-based search ranked.
   */
  LeastSquaresFit fit_least_squares(const std::vector<std::vector<double>> &columns,
                                    const std::vector<double> &target, bool fit_intercept);
} // namespace weaklink
