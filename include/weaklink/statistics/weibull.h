#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Observations of a positive random variable (critical current density,
   * lifetime, strength). A censored observation is a run that had not
   * failed when it stopped: its true value is larger than the one recorded.
   */
  struct FailureData
  {
    std::vector<double> values;
    std::vector<bool>   censored; ///< empty or one flag per value

    std::size_t n_failures() const;

    /** Throws InputError: fewer than 3 failures, non-positive or non-finite values. */
    void check() const;
  };

  /** Two-parameter Weibull F(x) = 1 - exp(-(x/x0)^m). */
  struct WeibullFit
  {
    double modulus        = 0; ///< m, maximum-likelihood estimate (biased for small samples)
    double characteristic = 0; ///< x0, maximum-likelihood estimate
    double log_likelihood = 0;
  };

  /**
   * Maximum-likelihood estimates for complete and right-censored data
   * (ASTM C1239, §7): the modulus solves
   *   Σ_all x^m ln x / Σ_all x^m - 1/m - (1/r) Σ_failed ln x = 0,
   * then x0 = (Σ_all x^m / r)^(1/m), with r failures. Solved by safeguarded
   * Newton on a bracket (the left side increases monotonically with m).
   */
  WeibullFit fit_weibull(const FailureData &data);

  /** Log-likelihood of a Weibull (m, x0) for the data, censored terms included. */
  double weibull_log_likelihood(const FailureData &data, const double modulus,
                                const double characteristic);

  /**
   * Distributions of the pivotal quantities m̂/m and m̂ ln(x̂0/x0) for one
   * sample size and number of failures (failures first, the rest censored at
   * the largest failure: type II censoring), by Monte Carlo from a standard
   * Weibull. They do not depend on the true parameters, which is what makes
   * unbiasing factors and confidence bounds possible (Thoman, Bain & Antle).
   */
  struct WeibullPivots
  {
    std::size_t n = 0, failures = 0, replications = 0;
    double      unbiasing_factor    = 1;                                   ///< UF = 1 / E[m̂/m]
    double      modulus_ratio_lower = 0, modulus_ratio_upper = 0;          ///< quantiles of m̂/m
    double characteristic_pivot_lower = 0, characteristic_pivot_upper = 0; ///< of m̂ ln(x̂0/x0)
    double confidence = 0.9;
    /**
     * The pointwise band of the fitted line: at each probability p_k, the
     * quantiles of the pivot W_p = m̂ ln(x̂_p/x_p) of the p-quantile
     * (m̂ ln x̂0 + y_p (1 − m̂) for a standard sample, y_p = ln(−ln(1 − p))).
     */
    std::vector<double> band_probabilities, quantile_pivot_lower, quantile_pivot_upper;
  };

  /** The Monte Carlo replicates of the pivots and their seed, as the reports use them. */
  constexpr std::size_t   pivot_replications = 40000;
  constexpr std::uint64_t pivot_seed         = 20261124;

  /** Called with (replicates done, replicates in all) as a long computation advances. */
  using Progress = std::function<void(std::size_t, std::size_t)>;

  /**
   * The pivots for @p n observations with @p failures failures; their cost,
   * replications × n draws and fits, is that of a whole analysis, so
   * @p progress (if given) hears of every replicate.
   */
  WeibullPivots weibull_pivots(const std::size_t n, const std::size_t failures,
                               const double        confidence   = 0.9,
                               const std::size_t   replications = pivot_replications,
                               const std::uint64_t seed         = pivot_seed,
                               const Progress     &progress     = nullptr);

  /** Unbiased modulus and two-sided confidence bounds on m and x0. */
  struct WeibullInterval
  {
    double unbiased_modulus;
    double modulus_lower, modulus_upper;
    double characteristic_lower, characteristic_upper;
  };

  WeibullInterval weibull_interval(const WeibullFit &fit, const WeibullPivots &pivots);

  /** Two-sided bounds on the p-quantile x_p of the fitted law. */
  struct QuantileBound
  {
    double probability, estimate, lower, upper;
  };

  /** The confidence band of the fitted line at the pivots' band probabilities. */
  std::vector<QuantileBound> weibull_quantile_band(const WeibullFit    &fit,
                                                   const WeibullPivots &pivots);

  /** Probability-plot points: (value, failure probability) of the failures. */
  struct PlotPoint
  {
    double value, probability;
  };

  /**
   * Failure probabilities of the failed observations by ranks (i - 0.5)/N;
   * with censoring, Johnson's adjusted ranks replace i.
   */
  std::vector<PlotPoint> probability_plot(const FailureData &data);

  /** Anderson–Darling A² of complete data against a fitted Weibull. */
  double anderson_darling(const FailureData &data, const WeibullFit &fit);

  /**
   * Weakest-link size scaling: the characteristic value of a body of size
   * (area, volume, electrode area) size_b from one measured at size_a.
   */
  double scale_characteristic(const double characteristic_a, const double modulus,
                              const double size_a, const double size_b);
} // namespace weaklink
