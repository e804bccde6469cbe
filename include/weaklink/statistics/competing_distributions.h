#pragma once

#include <weaklink/statistics/weibull.h>

#include <string>
#include <vector>

namespace weaklink
{
  /** A two-parameter distribution fitted by maximum likelihood, censoring included. */
  struct DistributionFit
  {
    std::string name;
    double first = 0, second = 0; ///< Weibull: m, x0; lognormal: mu, s; Gumbel: location, scale
    double log_likelihood = 0;
    double aic            = 0; ///< 2k - 2 ln L with k = 2
  };

  /** Lognormal: ln x ~ N(mu, s^2). */
  DistributionFit fit_lognormal(const FailureData &data);

  /** Gumbel (type I, largest extreme value): F(x) = exp(-exp(-(x - mu)/beta)). */
  DistributionFit fit_gumbel(const FailureData &data);

  /** Weibull, lognormal and Gumbel, sorted by AIC (best first). */
  std::vector<DistributionFit> compare_distributions(const FailureData &data);
} // namespace weaklink
