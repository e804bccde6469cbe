#include <weaklink/statistics/competing_distributions.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace weaklink
{
  namespace
  {
    using Parameters = std::array<double, 2>;

    /** Nelder–Mead maximisation of a smooth two-parameter log-likelihood. */
    Parameters maximise(const std::function<double(const Parameters &)> &log_likelihood,
                        const Parameters &start, const Parameters &step)
    {
      std::array<Parameters, 3> simplex{{start, start, start}};
      simplex[1][0] += step[0];
      simplex[2][1] += step[1];
      std::array<double, 3> value;
      for (int k = 0; k < 3; ++k)
        value[k] = -log_likelihood(simplex[k]);
      const auto evaluate = [&](const Parameters &p) {
        const double v = -log_likelihood(p);
        return std::isfinite(v) ? v : 1e300;
      };
      for (int iteration = 0; iteration < 2000; ++iteration)
        {
          std::array<int, 3> order{{0, 1, 2}};
          std::sort(order.begin(), order.end(), [&](int a, int b) { return value[a] < value[b]; });
          const int best = order[0], middle = order[1], worst = order[2];
          if (std::abs(value[worst] - value[best]) < 1e-13 * (1 + std::abs(value[best])))
            break;
          Parameters centroid, reflected, candidate;
          for (int d = 0; d < 2; ++d)
            {
              centroid[d]  = 0.5 * (simplex[best][d] + simplex[middle][d]);
              reflected[d] = 2 * centroid[d] - simplex[worst][d];
            }
          const double reflected_value = evaluate(reflected);
          if (reflected_value < value[best])
            {
              for (int d = 0; d < 2; ++d)
                candidate[d] = 3 * centroid[d] - 2 * simplex[worst][d];
              const double expanded_value = evaluate(candidate);
              if (expanded_value < reflected_value)
                simplex[worst] = candidate, value[worst] = expanded_value;
              else
                simplex[worst] = reflected, value[worst] = reflected_value;
            }
          else if (reflected_value < value[middle])
            simplex[worst] = reflected, value[worst] = reflected_value;
          else
            {
              for (int d = 0; d < 2; ++d)
                candidate[d] = 0.5 * (centroid[d] + simplex[worst][d]);
              const double contracted_value = evaluate(candidate);
              if (contracted_value < value[worst])
                simplex[worst] = candidate, value[worst] = contracted_value;
              else
                for (int k : {middle, worst})
                  {
                    for (int d = 0; d < 2; ++d)
                      simplex[k][d] = 0.5 * (simplex[k][d] + simplex[best][d]);
                    value[k] = evaluate(simplex[k]);
                  }
            }
        }
      return simplex[std::min_element(value.begin(), value.end()) - value.begin()];
    }

    bool censored(const FailureData &data, const std::size_t i)
    {
      return !data.censored.empty() && data.censored[i];
    }

    /** Mean and standard deviation of the failed values after @p transform. */
    std::pair<double, double> failure_moments(const FailureData &data, double (*transform)(double))
    {
      double sum = 0, square = 0;
      int    r = 0;
      for (std::size_t i = 0; i < data.values.size(); ++i)
        if (!censored(data, i))
          {
            const double v = transform(data.values[i]);
            sum += v, square += v * v, ++r;
          }
      const double mean = sum / r;
      return {mean, std::sqrt(std::max(square / r - mean * mean, 1e-300))};
    }

    DistributionFit finish(const std::string &name, const Parameters &p,
                           const double log_likelihood)
    {
      return {name, p[0], p[1], log_likelihood, 2 * 2 - 2 * log_likelihood};
    }
  } // namespace

  DistributionFit fit_lognormal(const FailureData &data)
  {
    data.check();
    const auto log_likelihood = [&](const Parameters &p) {
      const double mu = p[0], s = std::exp(p[1]);
      double       sum = 0;
      for (std::size_t i = 0; i < data.values.size(); ++i)
        {
          const double z = (std::log(data.values[i]) - mu) / s;
          sum += censored(data, i)
                     ? std::log(0.5 * std::erfc(z / std::sqrt(2.0)))
                     : -std::log(data.values[i] * s * std::sqrt(2 * M_PI)) - 0.5 * z * z;
        }
      return sum;
    };
    const auto [mean, deviation] = failure_moments(data, [](double x) { return std::log(x); });
    Parameters best =
        maximise(log_likelihood, {{mean, std::log(deviation)}}, {{0.1 * deviation, 0.1}});
    const double value = log_likelihood(best);
    best[1]            = std::exp(best[1]);
    return finish("lognormal", best, value);
  }

  DistributionFit fit_gumbel(const FailureData &data)
  {
    data.check();
    const auto log_likelihood = [&](const Parameters &p) {
      const double mu = p[0], beta = std::exp(p[1]);
      double       sum = 0;
      for (std::size_t i = 0; i < data.values.size(); ++i)
        {
          const double z = (data.values[i] - mu) / beta;
          sum += censored(data, i) ? std::log(-std::expm1(-std::exp(-z)))
                                   : -std::log(beta) - z - std::exp(-z);
        }
      return sum;
    };
    const auto [mean, deviation] = failure_moments(data, [](double x) { return x; });
    const double beta            = deviation * std::sqrt(6.0) / M_PI;
    Parameters   best  = maximise(log_likelihood, {{mean - 0.5772 * beta, std::log(beta)}},
                                  {{0.1 * deviation, 0.1}});
    const double value = log_likelihood(best);
    best[1]            = std::exp(best[1]);
    return finish("Gumbel", best, value);
  }

  std::vector<DistributionFit> compare_distributions(const FailureData &data)
  {
    const WeibullFit             weibull = fit_weibull(data);
    std::vector<DistributionFit> fits{
        finish("Weibull", {{weibull.modulus, weibull.characteristic}}, weibull.log_likelihood),
        fit_lognormal(data), fit_gumbel(data)};
    std::sort(fits.begin(), fits.end(),
              [](const DistributionFit &a, const DistributionFit &b) { return a.aic < b.aic; });
    return fits;
  }
} // namespace weaklink
