// Sobol indices and standardized regression effects from a polynomial chaos
// surrogate fitted to scattered data: the Ishigami function's known indices
// lie in their bootstrap intervals, a grid of discrete levels decomposes
// exactly, linear effects equal their closed form, the result does not depend
// on the number of ranks, and bad inputs are one-line errors.
#include <gtest/gtest.h>

#include <weaklink/core/input_error.h>
#include <weaklink/statistics/sensitivity.h>

#include <cmath>
#include <random>

using namespace weaklink;

namespace
{
  double uniform(std::mt19937_64 &random)
  {
    return (static_cast<double>(random() >> 11) + 0.5) * 0x1.0p-53;
  }

  bool inside(const Estimate &e, const double truth)
  {
    return e.lower <= truth && truth <= e.upper;
  }
} // namespace

// Ishigami: y = sin x1 + a sin² x2 + b x3⁴ sin x1, x uniform on [-π, π]³,
// with a = 7, b = 0.1 (Ishigami & Homma 1990; indices from Sobol's closed form).
TEST(Sensitivity, IshigamiIndicesLieInTheirBootstrapIntervals)
{
  const double a = 7, b = 0.1, pi = M_PI;
  const double v1  = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2  = a * a / 8;
  const double v13 = 8 * b * b * std::pow(pi, 8) / 225;
  const double v   = v1 + v2 + v13;

  std::mt19937_64                  random(1990);
  const std::size_t                n = 1500;
  std::vector<std::vector<double>> x(3, std::vector<double>(n));
  std::vector<double>              y(n);
  for (std::size_t r = 0; r < n; ++r)
    {
      for (auto &column : x)
        column[r] = pi * (2 * uniform(random) - 1);
      y[r] = std::sin(x[0][r]) + a * std::pow(std::sin(x[1][r]), 2) +
             b * std::pow(x[2][r], 4) * std::sin(x[0][r]);
    }
  SensitivitySettings settings;
  settings.max_degree        = 12;
  settings.bootstrap_samples = 100;
  const auto report = analyse_sensitivity({"x1", "x2", "x3"}, x, y, settings, MPI_COMM_WORLD);

  EXPECT_GT(report.q_squared, 0.999);
  EXPECT_EQ(report.bootstrap_used, 100u);
  const double first[3] = {v1 / v, v2 / v, 0}, total[3] = {(v1 + v13) / v, v2 / v, v13 / v};
  for (unsigned int i = 0; i < 3; ++i)
    {
      // A squared coefficient is never negative, so a zero index is at the
      // interval's lower end, not inside it.
      if (first[i] == 0)
        EXPECT_LT(report.first[i].upper, 1e-3);
      else
        EXPECT_TRUE(inside(report.first[i], first[i]))
            << "S" << i + 1 << " = " << first[i] << " vs " << report.first[i].value << " ["
            << report.first[i].lower << ", " << report.first[i].upper << "]";
      EXPECT_TRUE(inside(report.total[i], total[i]))
          << "ST" << i + 1 << " = " << total[i] << " vs " << report.total[i].value << " ["
          << report.total[i].lower << ", " << report.total[i].upper << "]";
      EXPECT_LT(report.total[i].upper - report.total[i].lower, 0.05);
    }
  EXPECT_TRUE(inside(report.second[0][2], v13 / v))
      << report.second[0][2].value << " vs " << v13 / v;
  EXPECT_NEAR(report.second[0][1].value, 0, 2e-3);
  EXPECT_NEAR(report.second[1][2].value, 0, 2e-3);
}

// y = x1 + x2 + x1 x2 on the full grid x1 ∈ {-1, 1}, x2 ∈ {-1, 0, 1}, each
// combination 4 times: Var = 1 + 2/3 + 2/3, so S1 = 3/7, S2 = 2/7, S12 = 2/7
// exactly. The two-level input must get degree 1 only (a grid of a study).
TEST(Sensitivity, AGridOfDiscreteLevelsDecomposesExactly)
{
  std::vector<std::vector<double>> x(2);
  std::vector<double>              y;
  for (unsigned int copy = 0; copy < 4; ++copy)
    for (const double x1 : {-1.0, 1.0})
      for (const double x2 : {-1.0, 0.0, 1.0})
        {
          x[0].push_back(x1);
          x[1].push_back(x2);
          y.push_back(x1 + x2 + x1 * x2);
        }
  SensitivitySettings settings;
  settings.bootstrap_samples = 50;
  const auto report          = analyse_sensitivity({"x1", "x2"}, x, y, settings, MPI_COMM_WORLD);
  EXPECT_NEAR(report.first[0].value, 3.0 / 7, 1e-12);
  EXPECT_NEAR(report.first[1].value, 2.0 / 7, 1e-12);
  EXPECT_NEAR(report.second[0][1].value, 2.0 / 7, 1e-12);
  EXPECT_NEAR(report.total[0].value, 5.0 / 7, 1e-12);
  EXPECT_NEAR(report.total[1].value, 4.0 / 7, 1e-12);
  EXPECT_NEAR(report.q_squared, 1, 1e-9);

  // The surrogate reproduces the data, and the two-level input has no x1² term.
  PolynomialChaos surrogate(x, 3);
  EXPECT_EQ(surrogate.n_terms(), 6u); // 1, x1, x2, x2², x1 x2, x1 x2²
  std::vector<std::size_t> rows(y.size());
  for (std::size_t r = 0; r < rows.size(); ++r)
    rows[r] = r;
  ASSERT_TRUE(surrogate.fit(rows, y));
  EXPECT_NEAR(surrogate.evaluate({1.0, 0.0}), 1.0, 1e-12);
  EXPECT_NEAR(surrogate.evaluate({-1.0, 1.0}), -1.0, 1e-12);
  EXPECT_NEAR(surrogate.variance(), 7.0 / 3, 1e-12);
}

// y = 3 x1 + x2 + ε in 40 independent data sets: the population's
// standardized effects β_i σ_i/σ_y lie in the 90 % bootstrap interval of
// about 90 % of them (binomial: 31 or more of 40 with probability 0.99); the
// first-order indices are near the population's shares (each sample's own
// correlation between x1 and x2 moves the effects, not the indices).
TEST(Sensitivity, RegressionIntervalsCoverTheTrueEffects)
{
  const double variance   = (9.0 + 1.0 + 0.01) / 12; // Var(x) = 1/12, noise 0.1²/12
  const double truth[2]   = {3 * std::sqrt(1.0 / 12 / variance), std::sqrt(1.0 / 12 / variance)};
  unsigned int covered[2] = {0, 0};
  for (unsigned int set = 0; set < 40; ++set)
    {
      std::mt19937_64                  random(100 + set);
      const std::size_t                n = 100;
      std::vector<std::vector<double>> x(2, std::vector<double>(n));
      std::vector<double>              y(n);
      for (std::size_t r = 0; r < n; ++r)
        {
          x[0][r] = uniform(random);
          x[1][r] = uniform(random);
          y[r]    = 3 * x[0][r] + x[1][r] + 0.1 * (uniform(random) - 0.5);
        }
      SensitivitySettings settings;
      settings.max_degree        = 1;
      settings.bootstrap_samples = 200;
      settings.seed              = set;
      const auto report          = analyse_sensitivity({"x1", "x2"}, x, y, settings, MPI_COMM_SELF);
      for (unsigned int i = 0; i < 2; ++i)
        covered[i] += inside(report.standardized_regression[i], truth[i]);
      EXPECT_NEAR(report.first[0].value, 9 / 12.0 / variance, 0.03);
      EXPECT_NEAR(report.first[0].value + report.first[1].value, 1, 2e-3);
      EXPECT_NEAR(report.total[0].value, report.first[0].value, 1e-12);
      EXPECT_GT(report.linear_r_squared, 0.998);
    }
  EXPECT_GE(covered[0], 31u);
  EXPECT_GE(covered[1], 31u);
  EXPECT_LE(covered[0] + covered[1], 80u);
}

TEST(Sensitivity, BootstrapDoesNotDependOnTheNumberOfRanks)
{
  std::mt19937_64                  random(11);
  const std::size_t                n = 120;
  std::vector<std::vector<double>> x(3, std::vector<double>(n));
  std::vector<double>              y(n);
  for (std::size_t r = 0; r < n; ++r)
    {
      for (auto &column : x)
        column[r] = uniform(random);
      y[r] = std::exp(x[0][r]) * x[1][r] + 0.1 * x[2][r] + 0.1 * uniform(random);
    }
  SensitivitySettings settings;
  settings.bootstrap_samples = 40;
  const auto everywhere      = analyse_sensitivity({"a", "b", "c"}, x, y, settings, MPI_COMM_WORLD);
  const auto alone           = analyse_sensitivity({"a", "b", "c"}, x, y, settings, MPI_COMM_SELF);
  for (unsigned int i = 0; i < 3; ++i)
    {
      EXPECT_DOUBLE_EQ(everywhere.total[i].lower, alone.total[i].lower);
      EXPECT_DOUBLE_EQ(everywhere.total[i].upper, alone.total[i].upper);
      EXPECT_DOUBLE_EQ(everywhere.standardized_regression[i].lower,
                       alone.standardized_regression[i].lower);
    }
}

TEST(Sensitivity, BadInputIsAOneLineError)
{
  const auto error_of = [](const std::vector<std::vector<double>> &x,
                           const std::vector<double>              &y) -> std::string {
    try
      {
        analyse_sensitivity({"porosity", "clustering"}, x, y, SensitivitySettings(),
                            MPI_COMM_WORLD);
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "";
  };
  const std::vector<double> y = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(error_of({{1, 2, 3, 4, 5, 6}, {1, 1, 1, 1, 1, 1}}, y),
            "sensitivity analysis: input 'clustering' does not vary");
  EXPECT_EQ(error_of({{1, 2, 3, 4, 5, 6}, {1, 2, NAN, 4, 5, 6}}, y),
            "sensitivity analysis: input 'clustering' is not finite for every sample");
  EXPECT_EQ(error_of({{1, 2, 3, 4}, {1, 2, 1, 2}}, {1, 2, 3, 4}),
            "sensitivity analysis of 2 inputs needs at least 5 samples, not 4");
}
