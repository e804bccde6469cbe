#pragma once

#include <weaklink/statistics/competing_distributions.h>
#include <weaklink/statistics/weibull.h>

#include <ostream>
#include <string>
#include <vector>

namespace weaklink
{
  /** Everything the Weibull analysis of one data set produces. */
  struct WeibullReport
  {
    FailureData                  data;
    WeibullFit                   fit;
    WeibullPivots                pivots;
    WeibullInterval              interval;
    double                       anderson_darling_a2; ///< NaN with censoring
    std::vector<PlotPoint>       plot;
    std::vector<DistributionFit> ranking; ///< by AIC
  };

  /** The whole analysis; @p progress hears of the Monte Carlo pivots, nearly all of its cost. */
  WeibullReport analyse_weibull(const FailureData &data, const double confidence = 0.9,
                                const Progress &progress = nullptr);

  void write_report(const WeibullReport &report, const std::string &title, std::ostream &out);

  /** Weibull probability plot: ln x against ln ln 1/(1-F), points and the ML line. */
  void write_probability_plot_svg(const WeibullReport &report, const std::string &quantity,
                                  std::ostream &out);

  void write_probability_plot_csv(const WeibullReport &report, std::ostream &out);
} // namespace weaklink
