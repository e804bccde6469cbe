#include <weaklink/statistics/competing_distributions.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <vector>

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
      const auto evaluate = [&](const Parameters &p) {
        const double v = -log_likelihood(p);
        return std::isfinite(v) ? v : 1e300;
      };
      std::array<double, 3> value;
      for (int k = 0; k < 3; ++k)
        value[k] = evaluate(simplex[k]);
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

    /**
     * Maximum likelihood of a location-scale family, F((t - location)/scale),
     * for t = @p transform(x), given the log-density @p log_f and the
     * log-survival @p log_s of its standard member. The fit is made on t
     * standardized by the mean c and the standard deviation d of the failures,
     * and mapped back (location = c + d·location', scale = d·scale', ln L
     * less r ln d): the likelihood is then of order one whatever the unit of
     * the data, so neither squares of values near 1e300 overflow nor does the
     * stopping test, relative to ln L, loosen with the magnitude of the values.
     * The log-likelihood returned is of t.
     */
    DistributionFit fit_location_scale(const FailureData &data, double (*transform)(double),
                                       double (*log_f)(double), double (*log_s)(double),
                                       const Parameters &standard_start)
    {
      std::vector<double> t(data.values.size());
      double              largest = 0;
      std::size_t         r       = 0;
      for (std::size_t i = 0; i < t.size(); ++i)
        {
          t[i] = transform(data.values[i]);
          if (!censored(data, i))
            largest = std::max(largest, std::abs(t[i])), ++r;
        }
      // Sums of t/largest cannot overflow.
      const double unit = largest > 0 ? largest : 1;
      double       sum = 0, square = 0;
      for (std::size_t i = 0; i < t.size(); ++i)
        if (!censored(data, i))
          sum += t[i] / unit;
      const double c = unit * (sum / r);
      for (std::size_t i = 0; i < t.size(); ++i)
        if (!censored(data, i))
          square += ((t[i] - c) / unit) * ((t[i] - c) / unit);
      double d = unit * std::sqrt(square / r);
      if (!(d > 0))
        d = unit;
      for (auto &value : t)
        value = (value - c) / d;

      const auto log_likelihood = [&](const Parameters &p) {
        const double location = p[0], scale = std::exp(p[1]);
        double       sum = 0;
        for (std::size_t i = 0; i < t.size(); ++i)
          {
            const double z = (t[i] - location) / scale;
            sum += censored(data, i) ? log_s(z) : log_f(z) - std::log(scale);
          }
        return sum;
      };
      const Parameters best = maximise(
          log_likelihood, {{standard_start[0], std::log(standard_start[1])}}, {{0.1, 0.1}});
      DistributionFit fit;
      fit.first          = c + d * best[0];
      fit.second         = d * std::exp(best[1]);
      fit.log_likelihood = log_likelihood(best) - r * std::log(d);
      return fit;
    }

    /**
     * ln(1 − Φ(z)). Beyond z = 30 erfc nears its underflow (z ≈ 37.5), where
     * a run censored far above the failures would get ln 0: the asymptotic
     * series, whose truncation error there is below 2e-12, takes over.
     */
    double normal_log_survival(const double z)
    {
      if (z < 30)
        return std::log(0.5 * std::erfc(z / std::sqrt(2.0)));
      const double u = 1 / (z * z);
      return -0.5 * z * z - std::log(z) - 0.5 * std::log(2 * M_PI) +
             std::log1p(u * (-1 + u * (3 + u * (-15 + u * 105))));
    }

    /**
     * ln(1 − exp(−exp(−z))), the Gumbel survival. Beyond z = 700 it is −z to
     * within e^−700 (relative), where the direct formula underflows to ln 0
     * (z > 745) for a run censored far above the failures.
     */
    double gumbel_log_survival(const double z)
    {
      if (z > 700)
        return -z;
      return std::log(-std::expm1(-std::exp(-z)));
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
    // ln x ~ N(mu, s^2): a location-scale fit of ln x; the density of x has the extra 1/x.
    DistributionFit fit = fit_location_scale(
        data, [](const double x) { return std::log(x); },
        [](const double z) { return -0.5 * z * z - 0.5 * std::log(2 * M_PI); }, normal_log_survival,
        {{0, 1}});
    for (std::size_t i = 0; i < data.values.size(); ++i)
      if (!censored(data, i))
        fit.log_likelihood -= std::log(data.values[i]);
    return finish("lognormal", {{fit.first, fit.second}}, fit.log_likelihood);
  }

  DistributionFit fit_gumbel(const FailureData &data)
  {
    data.check();
    // Started at the moment estimates for a standardized sample: β = √6/π, μ = −γβ.
    const double    beta = std::sqrt(6.0) / M_PI;
    DistributionFit fit  = fit_location_scale(
         data, [](const double x) { return x; }, [](const double z) { return -z - std::exp(-z); },
         gumbel_log_survival, {{-0.5772 * beta, beta}});
    return finish("Gumbel", {{fit.first, fit.second}}, fit.log_likelihood);
  }

  bool DistributionFit::finite() const
  {
    return std::isfinite(first) && std::isfinite(second) && std::isfinite(log_likelihood) &&
           std::isfinite(aic);
  }

  std::vector<DistributionFit> rank_by_aic(std::vector<DistributionFit> fits)
  {
    std::stable_sort(fits.begin(), fits.end(),
                     [](const DistributionFit &a, const DistributionFit &b) {
                       if (a.finite() != b.finite())
                         return a.finite();
                       return a.finite() && a.aic < b.aic;
                     });
    return fits;
  }

  std::vector<DistributionFit> compare_distributions(const FailureData &data)
  {
    const WeibullFit weibull = fit_weibull(data);
    return rank_by_aic(
        {finish("Weibull", {{weibull.modulus, weibull.characteristic}}, weibull.log_likelihood),
         fit_lognormal(data), fit_gumbel(data)});
  }
} // namespace weaklink
