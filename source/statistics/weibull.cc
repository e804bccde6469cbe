#include <weaklink/core/input_error.h>
#include <weaklink/statistics/weibull.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace weaklink
{
  std::size_t FailureData::n_failures() const
  {
    if (censored.empty())
      return values.size();
    return std::count(censored.begin(), censored.end(), false);
  }

  void FailureData::check() const
  {
    if (!censored.empty() && censored.size() != values.size())
      throw InputError("failure data: " + std::to_string(censored.size()) +
                       " censoring flags for " + std::to_string(values.size()) + " values");
    for (std::size_t i = 0; i < values.size(); ++i)
      {
        if (!std::isfinite(values[i]))
          throw InputError("failure data: value " + std::to_string(i + 1) + " is not a number");
        if (values[i] <= 0)
          throw InputError("failure data: value " + std::to_string(i + 1) + " (" +
                           std::to_string(values[i]) + ") is not positive");
      }
    if (n_failures() < 3)
      throw InputError("failure data: " + std::to_string(n_failures()) +
                       " failures; a Weibull fit needs at least 3");
  }

  namespace
  {
    bool is_censored(const FailureData &data, const std::size_t i)
    {
      return !data.censored.empty() && data.censored[i];
    }

    /**
     * The ML equation for the modulus, g(m), and its derivative, on log values
     * centred on the mean of the failed ones; weights exp(m (ln y − top)),
     * top the largest ln y, keep y^m finite.
     */
    void modulus_equation(const std::vector<double> &log_y, const double top, const double m,
                          double &g, double &dg)
    {
      double s0 = 0, s1 = 0, s2 = 0;
      for (const double l : log_y)
        {
          const double w = std::exp(m * (l - top));
          s0 += w;
          s1 += w * l;
          s2 += w * l * l;
        }
      const double ratio = s1 / s0;
      g                  = ratio - 1 / m;
      dg                 = s2 / s0 - ratio * ratio + 1 / (m * m);
    }

    /** The ML modulus m and ln x0 − (mean of the failed ln x). */
    struct ModulusSolution
    {
      double modulus, log_characteristic;
    };

    /**
     * Solves g(m) = 0 for @p log_y (ln x less the mean over the r failures)
     * from @p start: Newton's method, safeguarded by the bracket its own
     * iterates narrow (g increases with m, g → −∞ as m → 0; a step out of the
     * bracket bisects it, or doubles m while no iterate has g > 0). A good
     * start saves the blind bracketing of a fixed interval: each evaluation
     * costs one exp per value, 40 000 times over in weibull_pivots().
     */
    ModulusSolution solve_modulus(const std::vector<double> &log_y, const std::size_t r,
                                  const double start)
    {
      const double top = *std::max_element(log_y.begin(), log_y.end());
      double       low = 0, high = std::numeric_limits<double>::infinity(), m = start;
      double       g = 0, dg = 0;
      for (int iteration = 0; iteration < 200; ++iteration)
        {
          modulus_equation(log_y, top, m, g, dg);
          (g < 0 ? low : high) = m;
          if (low > 1e8)
            throw InputError("failure data: no finite maximum-likelihood Weibull modulus");
          double next = m - g / dg;
          if (!(next > low && next < high))
            next = std::isfinite(high) ? 0.5 * (low + high) : 2 * m;
          if (std::abs(next - m) <= 1e-14 * m)
            {
              m = next;
              break;
            }
          m = next;
        }
      double s0 = 0;
      for (const double l : log_y)
        s0 += std::exp(m * (l - top));
      return {m, top + std::log(s0 / r) / m};
    }
  } // namespace

  WeibullFit fit_weibull(const FailureData &data)
  {
    data.check();
    const std::size_t r = data.n_failures();
    // Work with y = x / g, g the geometric mean of the failures.
    double mean_failed_log_x = 0;
    for (std::size_t i = 0; i < data.values.size(); ++i)
      if (!is_censored(data, i))
        mean_failed_log_x += std::log(data.values[i]) / r;
    std::vector<double> log_y(data.values.size());
    for (std::size_t i = 0; i < data.values.size(); ++i)
      log_y[i] = std::log(data.values[i]) - mean_failed_log_x;
    const double spread = *std::max_element(log_y.begin(), log_y.end()) -
                          *std::min_element(log_y.begin(), log_y.end());
    if (spread <= 0)
      throw InputError("failure data: all values are equal; the Weibull modulus is infinite");

    // Started at the moment estimate: ln x of a Weibull has the standard deviation π/(m√6).
    double square = 0;
    for (std::size_t i = 0; i < log_y.size(); ++i)
      if (!is_censored(data, i))
        square += log_y[i] * log_y[i] / r;
    const double deviation = std::sqrt(square);
    const auto   solution =
        solve_modulus(log_y, r, deviation > 0 ? M_PI / (std::sqrt(6.0) * deviation) : 1 / spread);
    WeibullFit fit;
    fit.modulus        = solution.modulus;
    fit.characteristic = std::exp(mean_failed_log_x + solution.log_characteristic);
    fit.log_likelihood = weibull_log_likelihood(data, fit.modulus, fit.characteristic);
    // x0 beyond the largest double (values near it, heavily censored) has no answer to give.
    if (!std::isfinite(fit.characteristic) || !(fit.characteristic > 0) ||
        !std::isfinite(fit.log_likelihood))
      throw InputError("failure data: the maximum-likelihood Weibull fit is not finite (m = " +
                       three_digits(fit.modulus) + ", x0 = " + three_digits(fit.characteristic) +
                       "); values this close to the limits of double precision need another unit");
    return fit;
  }

  double weibull_log_likelihood(const FailureData &data, const double m, const double x0)
  {
    double sum = 0;
    for (std::size_t i = 0; i < data.values.size(); ++i)
      {
        const double z = std::log(data.values[i] / x0);
        if (!is_censored(data, i))
          sum += std::log(m / x0) + (m - 1) * z;
        sum -= std::exp(m * z);
      }
    return sum;
  }

  WeibullPivots weibull_pivots(const std::size_t n, const std::size_t failures,
                               const double confidence, const std::size_t replications,
                               const std::uint64_t seed, const Progress &progress)
  {
    if (failures < 3 || failures > n)
      throw InputError("Weibull pivots need 3 <= failures <= n");
    std::mt19937_64                        random(seed + 1000003 * n + failures);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double>                    ratios(replications), characteristic(replications);
    std::vector<double>                    log_y(n);
    for (std::size_t k = 0; k < replications; ++k)
      {
        // ln x of a standard Weibull sample (m = x0 = 1). Type II censoring keeps the r smallest
        // and censors the rest at the largest of them: a selection, not a sort, as the fit does
        // not depend on the order.
        for (auto &l : log_y)
          l = std::log(-std::log1p(-uniform(random)));
        if (failures < n)
          {
            std::nth_element(log_y.begin(), log_y.begin() + (failures - 1), log_y.end());
            std::fill(log_y.begin() + failures, log_y.end(), log_y[failures - 1]);
          }
        double mean_failed = 0;
        for (std::size_t i = 0; i < failures; ++i)
          mean_failed += log_y[i];
        mean_failed /= failures;
        for (auto &l : log_y)
          l -= mean_failed;
        // The true modulus, 1, is where the estimates scatter around.
        const ModulusSolution solution = solve_modulus(log_y, failures, 1.0);
        ratios[k]                      = solution.modulus;
        characteristic[k] = solution.modulus * (mean_failed + solution.log_characteristic);
        if (progress)
          progress(k + 1, replications);
      }
    const auto quantile = [](std::vector<double> values, const double p) {
      const std::size_t k =
          std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()));
      std::nth_element(values.begin(), values.begin() + k, values.end());
      return values[k];
    };
    WeibullPivots pivots;
    pivots.n                   = n;
    pivots.failures            = failures;
    pivots.replications        = replications;
    pivots.confidence          = confidence;
    pivots.unbiasing_factor    = replications / std::accumulate(ratios.begin(), ratios.end(), 0.0);
    const double tail          = 0.5 * (1 - confidence);
    pivots.modulus_ratio_lower = quantile(ratios, tail);
    pivots.modulus_ratio_upper = quantile(ratios, 1 - tail);
    pivots.characteristic_pivot_lower = quantile(characteristic, tail);
    pivots.characteristic_pivot_upper = quantile(characteristic, 1 - tail);
    // The band from 0.5 % to 99.5 %, evenly spaced on the plot's ln ln axis.
    const double y_low = std::log(-std::log1p(-0.005)), y_high = std::log(-std::log1p(-0.995));
    std::vector<double> pivot(replications);
    for (unsigned int k = 0; k <= 40; ++k)
      {
        const double y = y_low + (y_high - y_low) * k / 40;
        for (std::size_t r = 0; r < replications; ++r)
          pivot[r] = characteristic[r] + y * (1 - ratios[r]);
        pivots.band_probabilities.push_back(-std::expm1(-std::exp(y)));
        pivots.quantile_pivot_lower.push_back(quantile(pivot, tail));
        pivots.quantile_pivot_upper.push_back(quantile(pivot, 1 - tail));
      }
    return pivots;
  }

  std::vector<QuantileBound> weibull_quantile_band(const WeibullFit    &fit,
                                                   const WeibullPivots &pivots)
  {
    std::vector<QuantileBound> band;
    const double               m = fit.modulus;
    for (std::size_t k = 0; k < pivots.band_probabilities.size(); ++k)
      {
        const double p        = pivots.band_probabilities[k];
        const double estimate = fit.characteristic * std::pow(-std::log1p(-p), 1 / m);
        band.push_back({p, estimate, estimate * std::exp(-pivots.quantile_pivot_upper[k] / m),
                        estimate * std::exp(-pivots.quantile_pivot_lower[k] / m)});
      }
    return band;
  }

  WeibullInterval weibull_interval(const WeibullFit &fit, const WeibullPivots &pivots)
  {
    const double m = fit.modulus;
    return {pivots.unbiasing_factor * m, m / pivots.modulus_ratio_upper,
            m / pivots.modulus_ratio_lower,
            fit.characteristic * std::exp(-pivots.characteristic_pivot_upper / m),
            fit.characteristic * std::exp(-pivots.characteristic_pivot_lower / m)};
  }

  std::vector<PlotPoint> probability_plot(const FailureData &data)
  {
    const std::size_t        n = data.values.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    // Failures before censored runs at equal values.
    std::sort(order.begin(), order.end(), [&](const std::size_t a, const std::size_t b) {
      if (data.values[a] != data.values[b])
        return data.values[a] < data.values[b];
      return !is_censored(data, a) && is_censored(data, b);
    });
    std::vector<PlotPoint> points;
    double                 adjusted_rank = 0;
    for (std::size_t k = 0; k < n; ++k)
      if (!is_censored(data, order[k]))
        {
          // Johnson: the rank advances by (N + 1 - previous) / (1 + items from here on).
          adjusted_rank += (n + 1 - adjusted_rank) / (n - k + 1.0);
          points.push_back({data.values[order[k]], (adjusted_rank - 0.5) / n});
        }
    return points;
  }

  double anderson_darling(const FailureData &data, const WeibullFit &fit)
  {
    if (data.n_failures() != data.values.size())
      return std::numeric_limits<double>::quiet_NaN();
    std::vector<double> x = data.values;
    std::sort(x.begin(), x.end());
    const std::size_t n   = x.size();
    const auto        cdf = [&](const double v) {
      const double p = -std::expm1(-std::pow(v / fit.characteristic, fit.modulus));
      return std::clamp(p, 1e-300, 1 - 1e-16);
    };
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
      sum += (2.0 * i + 1) * (std::log(cdf(x[i])) + std::log1p(-cdf(x[n - 1 - i])));
    return -static_cast<double>(n) - sum / n;
  }

  double scale_characteristic(const double characteristic_a, const double modulus,
                              const double size_a, const double size_b)
  {
    return characteristic_a * std::pow(size_a / size_b, 1.0 / modulus);
  }
} // namespace weaklink
