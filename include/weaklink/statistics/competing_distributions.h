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

    /** Whether the parameters and the likelihood are finite numbers: a fit that is not failed. */
    bool finite() const;
  };

  /** Lognormal: ln x ~ N(mu, s^2). */
  DistributionFit fit_lognormal(const FailureData &data);

  /** Gumbel (type I, largest extreme value): F(x) = exp(-exp(-(x - mu)/beta)). */
  DistributionFit fit_gumbel(const FailureData &data);

  /**
   * Fits by AIC, best first; failed fits (not finite()) are not ranked: they
   * follow the others, in the order given.
   */
  std::vector<DistributionFit> rank_by_aic(std::vector<DistributionFit> fits);

  /** Weibull, lognormal and Gumbel, ranked by rank_by_aic. */
  std::vector<DistributionFit> compare_distributions(const FailureData &data);
} // namespace weaklink
