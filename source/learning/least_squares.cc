#include <weaklink/learning/least_squares.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace weaklink
{
  LeastSquaresFit fit_least_squares(const std::vector<std::vector<double>> &columns,
                                    const std::vector<double> &target, const bool fit_intercept)
  {
    const std::size_t n = target.size();
    const std::size_t m = columns.size() + (fit_intercept ? 1 : 0);
    if (n < m)
      throw std::runtime_error("least squares with fewer samples than unknowns");
    // Column-major design matrix with unit-norm columns.
    std::vector<std::vector<double>> a;
    std::vector<double>              scale;
    if (fit_intercept)
      a.emplace_back(n, 1.0);
    for (const auto &column : columns)
      a.push_back(column);
    for (auto &column : a)
      {
        double norm = 0;
        for (const double v : column)
          norm += v * v;
        norm = std::sqrt(norm);
        scale.push_back(norm > 0 ? norm : 1);
        for (double &v : column)
          v /= scale.back();
      }
    std::vector<double> qty = target;
    std::vector<double> diagonal(m);
    for (std::size_t k = 0; k < m; ++k)
      {
        double norm = 0;
        for (std::size_t i = k; i < n; ++i)
          norm += a[k][i] * a[k][i];
        norm               = std::sqrt(norm);
        const double alpha = a[k][k] > 0 ? -norm : norm;
        diagonal[k]        = alpha;
        // v = x - alpha e_k stored in a[k][k..n)
        a[k][k] -= alpha;
        double vv = 0;
        for (std::size_t i = k; i < n; ++i)
          vv += a[k][i] * a[k][i];
        if (vv == 0)
          continue;
        const auto reflect = [&](std::vector<double> &x) {
          double dot = 0;
          for (std::size_t i = k; i < n; ++i)
            dot += a[k][i] * x[i];
          const double factor = 2 * dot / vv;
          for (std::size_t i = k; i < n; ++i)
            x[i] -= factor * a[k][i];
        };
        for (std::size_t j = k + 1; j < m; ++j)
          reflect(a[j]);
        reflect(qty);
      }
    // Columns have unit norm, so |R_kk| is the share of column k that the
    // earlier columns do not explain.
    bool                full_rank = true;
    std::vector<double> solution(m);
    for (std::size_t k = m; k-- > 0;)
      {
        double sum = qty[k];
        for (std::size_t j = k + 1; j < m; ++j)
          sum -= a[j][k] * solution[j];
        full_rank   = full_rank && std::abs(diagonal[k]) > 1e-10;
        solution[k] = diagonal[k] != 0 ? sum / diagonal[k] : 0;
      }
    for (std::size_t k = 0; k < m; ++k)
      solution[k] /= scale[k];

    LeastSquaresFit fit;
    fit.full_rank      = full_rank;
    std::size_t offset = 0;
    if (fit_intercept)
      {
        fit.intercept = solution[0];
        offset        = 1;
      }
    fit.coefficients.assign(solution.begin() + offset, solution.end());
    fit.residuals = target;
    for (std::size_t i = 0; i < n; ++i)
      {
        fit.residuals[i] -= fit.intercept;
        for (std::size_t j = 0; j < columns.size(); ++j)
          fit.residuals[i] -= fit.coefficients[j] * columns[j][i];
      }
    double rss = 0, mean = 0, tss = 0;
    for (const double y : target)
      mean += y / n;
    for (std::size_t i = 0; i < n; ++i)
      {
        rss += fit.residuals[i] * fit.residuals[i];
        tss += (target[i] - mean) * (target[i] - mean);
        fit.max_absolute_error = std::max(fit.max_absolute_error, std::abs(fit.residuals[i]));
      }
    fit.rmse      = std::sqrt(rss / n);
    fit.r_squared = tss > 0 ? 1 - rss / tss : 0;
    return fit;
  }
} // namespace weaklink
