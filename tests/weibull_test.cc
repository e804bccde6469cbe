// Weibull analysis: maximum likelihood with censoring, Monte Carlo checks of
// the unbiasing factor and of the coverage of the confidence bounds (with
// random streams independent of those that computed them), plotting ranks,
// model comparison, size scaling and bad data.
#include <weaklink/core/input_error.h>
#include <weaklink/statistics/competing_distributions.h>
#include <weaklink/statistics/csv_table.h>
#include <weaklink/statistics/weibull.h>
#include <weaklink/statistics/weibull_report.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

using namespace weaklink;

namespace
{
  std::vector<double> weibull_sample(std::mt19937_64 &random, const std::size_t n, const double m,
                                     const double x0)
  {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double>                    x(n);
    for (auto &v : x)
      v = x0 * std::pow(-std::log1p(-uniform(random)), 1 / m);
    return x;
  }
} // namespace

TEST(Weibull, FitMaximisesTheCensoredLikelihood)
{
  std::mt19937_64 random(7);
  FailureData     data;
  data.values = weibull_sample(random, 25, 6.0, 0.4);
  for (const double v : data.values)
    data.censored.push_back(v > 0.42); // type I censoring: runs stopped at 0.42
  for (auto &v : data.values)
    v = std::min(v, 0.42);
  const WeibullFit fit = fit_weibull(data);
  const double     h   = 1e-6;
  const double     dm  = (weibull_log_likelihood(data, fit.modulus + h, fit.characteristic) -
                     weibull_log_likelihood(data, fit.modulus - h, fit.characteristic)) /
                    (2 * h);
  const double dx = (weibull_log_likelihood(data, fit.modulus, fit.characteristic * (1 + h)) -
                     weibull_log_likelihood(data, fit.modulus, fit.characteristic * (1 - h))) /
                    (2 * h);
  EXPECT_LT(std::abs(dm), 1e-5);
  EXPECT_LT(std::abs(dx), 1e-5);
  for (const double f : {0.98, 1.02})
    {
      EXPECT_LT(weibull_log_likelihood(data, fit.modulus * f, fit.characteristic),
                fit.log_likelihood);
      EXPECT_LT(weibull_log_likelihood(data, fit.modulus, fit.characteristic * f),
                fit.log_likelihood);
    }
}

TEST(Weibull, LargeCensoredSampleRecoversTheParameters)
{
  std::mt19937_64 random(11);
  FailureData     data;
  data.values = weibull_sample(random, 20000, 8.0, 2.0);
  for (auto &v : data.values)
    {
      data.censored.push_back(v > 2.1);
      v = std::min(v, 2.1);
    }
  const WeibullFit fit = fit_weibull(data);
  EXPECT_NEAR(fit.modulus, 8.0, 0.2);
  EXPECT_NEAR(fit.characteristic, 2.0, 0.01);
}

TEST(Weibull, UnbiasingFactorMakesTheModulusUnbiased)
{
  for (const std::size_t n : {10, 20, 30})
    {
      const WeibullPivots pivots = weibull_pivots(n, n);
      std::mt19937_64     random(99 + n); // independent of the stream behind the pivots
      const std::size_t   trials = 20000;
      double              sum    = 0;
      for (std::size_t k = 0; k < trials; ++k)
        {
          FailureData data;
          data.values = weibull_sample(random, n, 5.0, 3.0);
          sum += pivots.unbiasing_factor * fit_weibull(data).modulus / 5.0;
        }
      std::cout << "N = " << n << ": UF = " << pivots.unbiasing_factor
                << ", E[UF m/m_true] = " << sum / trials << " over " << trials
                << " fresh samples\n";
      EXPECT_NEAR(sum / trials, 1.0, 0.005) << "N = " << n << ", UF = " << pivots.unbiasing_factor;
    }
}

TEST(Weibull, NinetyPercentBoundsCoverTheTruth)
{
  for (const auto &[n, failures] : {std::make_pair(15, 15), std::make_pair(30, 24)})
    {
      const WeibullPivots pivots = weibull_pivots(n, failures);
      std::mt19937_64     random(4242 + n);
      const int           trials  = 4000;
      int                 modulus = 0, characteristic = 0, tenth = 0;
      const std::size_t   p10 = 17; // band probability 0.092
      ASSERT_NEAR(pivots.band_probabilities[p10], 0.1, 0.02);
      const double true_tenth =
          10.0 * std::pow(-std::log1p(-pivots.band_probabilities[p10]), 1 / 3.0);
      for (int k = 0; k < trials; ++k)
        {
          FailureData data;
          data.values = weibull_sample(random, n, 3.0, 10.0);
          std::sort(data.values.begin(), data.values.end());
          data.censored.assign(n, false);
          for (int i = failures; i < n; ++i)
            data.values[i] = data.values[failures - 1], data.censored[i] = true;
          const auto interval = weibull_interval(fit_weibull(data), pivots);
          modulus += interval.modulus_lower <= 3.0 && 3.0 <= interval.modulus_upper;
          characteristic +=
              interval.characteristic_lower <= 10.0 && 10.0 <= interval.characteristic_upper;
          const auto band = weibull_quantile_band(fit_weibull(data), pivots);
          tenth += band[p10].lower <= true_tenth && true_tenth <= band[p10].upper;
        }
      std::cout << "  the band of the line covers x_0.092 in " << 100.0 * tenth / trials << "%\n";
      EXPECT_NEAR(static_cast<double>(tenth) / trials, 0.9, 0.015) << "N = " << n;
      std::cout << "N = " << n << ", " << failures << " failures: 90% bounds cover m in "
                << 100.0 * modulus / trials << "%, x0 in " << 100.0 * characteristic / trials
                << "% of " << trials << " samples\n";
      EXPECT_NEAR(static_cast<double>(modulus) / trials, 0.9, 0.015) << "N = " << n;
      EXPECT_NEAR(static_cast<double>(characteristic) / trials, 0.9, 0.015) << "N = " << n;
    }
}

TEST(Weibull, ProbabilityPlotUsesMedianAndJohnsonRanks)
{
  FailureData complete{{3, 1, 2, 4}, {}};
  const auto  points = probability_plot(complete);
  ASSERT_EQ(points.size(), 4u);
  for (int i = 0; i < 4; ++i)
    {
      EXPECT_EQ(points[i].value, i + 1);
      EXPECT_DOUBLE_EQ(points[i].probability, (i + 0.5) / 4);
    }
  // 1 fails, 2 censored, 3 and 4 fail: ranks 1, 1 + 4/3, 7/3 + 4/3.
  FailureData censored{{1, 2, 3, 4}, {false, true, false, false}};
  const auto  adjusted = probability_plot(censored);
  ASSERT_EQ(adjusted.size(), 3u);
  EXPECT_NEAR(adjusted[0].probability, 0.5 / 4, 1e-14);
  EXPECT_NEAR(adjusted[1].probability, (7.0 / 3 - 0.5) / 4, 1e-14);
  EXPECT_NEAR(adjusted[2].probability, (11.0 / 3 - 0.5) / 4, 1e-14);
}

TEST(Weibull, AkaikeRanksTheGeneratingLawFirst)
{
  std::mt19937_64 random(5);
  FailureData     weibull{weibull_sample(random, 3000, 2.0, 1.0), {}};
  EXPECT_EQ(compare_distributions(weibull).front().name, "Weibull");
  std::normal_distribution<double> normal(0.0, 0.8);
  FailureData                      lognormal;
  for (int i = 0; i < 3000; ++i)
    lognormal.values.push_back(std::exp(normal(random)));
  const auto ranking = compare_distributions(lognormal);
  EXPECT_EQ(ranking.front().name, "lognormal");
  EXPECT_NEAR(ranking.front().second, 0.8, 0.03);
}

TEST(Weibull, CompetingFitsDoNotDependOnTheUnitOfTheData)
{
  // Values near 1e300 are the same data in another unit: the location and the scale follow it,
  // ln L shifts by -r ln 1e300 (issue #19: the Gumbel fit was NaN).
  std::mt19937_64 random(11);
  FailureData     data{weibull_sample(random, 40, 3.0, 2.0), {}};
  for (std::size_t i = 0; i < data.values.size(); ++i)
    data.censored.push_back(i % 5 == 0);
  FailureData huge = data;
  for (auto &v : huge.values)
    v *= 1e300;
  const double shift  = data.n_failures() * std::log(1e300);
  const auto   gumbel = fit_gumbel(data), huge_gumbel = fit_gumbel(huge);
  EXPECT_NEAR(huge_gumbel.first / 1e300, gumbel.first, 1e-6 * std::abs(gumbel.first));
  EXPECT_NEAR(huge_gumbel.second / 1e300, gumbel.second, 1e-6 * gumbel.second);
  EXPECT_NEAR(huge_gumbel.log_likelihood + shift, gumbel.log_likelihood, 1e-8 * shift);
  const auto lognormal = fit_lognormal(data), huge_lognormal = fit_lognormal(huge);
  EXPECT_NEAR(huge_lognormal.first - std::log(1e300), lognormal.first, 1e-6);
  EXPECT_NEAR(huge_lognormal.second, lognormal.second, 1e-6 * lognormal.second);
  EXPECT_NEAR(huge_lognormal.log_likelihood + shift, lognormal.log_likelihood, 1e-8 * shift);

  // A run censored far above the failures: its survival term is finite (ln S ~ -z), not ln 0.
  FailureData far = data;
  far.values.push_back(1e6);
  far.censored.push_back(true);
  EXPECT_TRUE(fit_gumbel(far).finite());
  EXPECT_TRUE(fit_lognormal(far).finite());
}

TEST(Weibull, FailedFitsAreNamedAndNotRanked)
{
  const double    nan = std::numeric_limits<double>::quiet_NaN();
  DistributionFit weibull{"Weibull", 2, 1, -10, 24}, lognormal{"lognormal", 0, 1, -5, 14},
      gumbel{"Gumbel", nan, nan, nan, nan};
  const auto ranking = rank_by_aic({weibull, gumbel, lognormal});
  ASSERT_EQ(ranking.size(), 3u);
  EXPECT_EQ(ranking[0].name, "lognormal");
  EXPECT_EQ(ranking[1].name, "Weibull");
  EXPECT_EQ(ranking[2].name, "Gumbel");
  EXPECT_FALSE(ranking[2].finite());
  EXPECT_TRUE(ranking[0].finite() && ranking[1].finite());

  std::mt19937_64 random(13);
  WeibullReport   report = analyse_weibull(FailureData{weibull_sample(random, 10, 3.0, 1.0), {}});
  report.ranking         = ranking;
  std::ostringstream text;
  write_report(report, "t", text);
  EXPECT_NE(text.str().find("Gumbel  failed: no finite maximum-likelihood fit (not ranked)"),
            std::string::npos)
      << text.str();
  EXPECT_EQ(text.str().find("nan"), std::string::npos) << text.str();
}

TEST(Weibull, AndersonDarlingSeparatesWeibullFromBimodalData)
{
  std::mt19937_64 random(3);
  FailureData     weibull{weibull_sample(random, 100, 4.0, 1.0), {}};
  EXPECT_LT(anderson_darling(weibull, fit_weibull(weibull)), 2.5);
  FailureData bimodal{weibull_sample(random, 50, 30.0, 1.0), {}};
  for (const double v : weibull_sample(random, 50, 30.0, 3.0))
    bimodal.values.push_back(v);
  EXPECT_GT(anderson_darling(bimodal, fit_weibull(bimodal)), 2.5);
}

TEST(Weibull, WeakestLinkSizeScaling)
{
  // The weakest of k links follows a Weibull law with x0 k^(-1/m).
  std::mt19937_64 random(17);
  FailureData     minima;
  for (int i = 0; i < 20000; ++i)
    {
      const auto links = weibull_sample(random, 8, 5.0, 1.0);
      minima.values.push_back(*std::min_element(links.begin(), links.end()));
    }
  EXPECT_NEAR(fit_weibull(minima).characteristic, scale_characteristic(1.0, 5.0, 1.0, 8.0), 0.005);
}

TEST(Weibull, BadDataIsRejected)
{
  EXPECT_THROW(fit_weibull(FailureData{{1, 2}, {}}), InputError);
  EXPECT_THROW(fit_weibull(FailureData{{1, 2, 3, 4}, {false, true, true, false}}), InputError);
  EXPECT_THROW(fit_weibull(FailureData{{1, -2, 3, 4}, {}}), InputError);
  EXPECT_THROW(fit_weibull(FailureData{{1, std::nan(""), 3, 4}, {}}), InputError);
  EXPECT_THROW(fit_weibull(FailureData{{2, 2, 2}, {}}), InputError);
  EXPECT_THROW(CsvTable::parse("a,b\n1,2\n3\n", "t.csv"), InputError);
  // Text is refused in the columns used as numbers only.
  EXPECT_THROW(CsvTable::parse("a,b\n1,x\n", "t.csv").column("b"), InputError);
  EXPECT_THROW(CsvTable::parse("a,b\n1,nan\n", "t.csv").column("b"), InputError);
  EXPECT_EQ(CsvTable::parse("a,b\n1,x\n", "t.csv").column("a")[0], 1.0);
  const CsvTable table = CsvTable::parse("# comment\nccd,censored\n0.1,0\n0.3,1\n", "t.csv");
  EXPECT_EQ(table.column("ccd")[1], 0.3);
  try
    {
      table.column("cdd");
      FAIL();
    }
  catch (const InputError &error)
    {
      EXPECT_NE(std::string(error.what()).find("nearest: 'ccd'"), std::string::npos)
          << error.what();
    }
}
