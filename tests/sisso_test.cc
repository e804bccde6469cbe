// SISSO: planted formulas recovered from noisy data (with and without units),
// the Gram/Cholesky L0 search against brute-force least squares, pruning of
// invalid, constant and equivalent features (sign twins too, across
// dimensions), invariance to feature order, cross-validation, units and the
// reference code's input format. Run on 1 and 2 ranks: every rank must get
// the answer a serial run gets.
#include <weaklink/core/input_error.h>
#include <weaklink/learning/feature_screening.h>
#include <weaklink/learning/l0_search.h>
#include <weaklink/learning/least_squares.h>
#include <weaklink/learning/planted_data.h>
#include <weaklink/learning/sisso.h>
#include <weaklink/learning/sisso_input.h>

#include <gtest/gtest.h>
#include <test_support.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>

using namespace weaklink;

namespace
{
  double correlation(const std::vector<double> &a, const std::vector<double> &b)
  {
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / a.size();
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / b.size();
    double       ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
      {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
      }
    return ab / std::sqrt(aa * bb);
  }

  SissoData planted_quotient(const std::size_t n, const std::uint64_t seed)
  {
    return planted_quotient_data(n, seed);
  }

  SissoSettings arithmetic(const unsigned int rung, const unsigned int dimension,
                           const unsigned int subspace)
  {
    SissoSettings settings;
    settings.features.rung               = rung;
    settings.features.operators_per_rung = {parse_operators("+,-,*,/")};
    settings.max_dimension               = dimension;
    settings.n_selected                  = {subspace};
    settings.n_models                    = 5;
    return settings;
  }

  // Model values of the features of the best model of dimension d.
  std::vector<std::vector<double>> model_features(Sisso &sisso, const SissoModel &model,
                                                  const SissoData &data)
  {
    std::vector<std::vector<double>> values;
    for (const auto &feature : model.features)
      {
        SissoModel single;
        single.features         = {feature};
        single.fit.intercept    = 0;
        single.fit.coefficients = {1};
        values.push_back(sisso.predict(single, data.features));
      }
    return values;
  }

  // A descriptor table as weaklink-descriptors writes it (header cells 'name [unit]', %.10g):
  // min_ligament = 0.4 radius/spacing + N(0, 0.01^2) among distractors, and @p extra columns
  // made from the target (name, unit, value from target and sample index). Written by rank 0.
  struct ExtraColumn
  {
    std::string                                header;
    std::function<double(double, std::size_t)> value;
  };

  std::string write_descriptor_table(const std::string &directory, const std::size_t n,
                                     const std::vector<ExtraColumn> &extra = {})
  {
    const std::string file = directory + "/descriptors.csv";
    int               rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0)
      {
        std::mt19937_64                        random(42);
        std::uniform_real_distribution<double> uniform(1, 3);
        std::normal_distribution<double>       noise(0, 0.01);
        std::ofstream                          out(file);
        out << "sample,seed,min_ligament [1],porosity [1],radius [um],spacing [um],tortuosity [1]";
        for (const auto &column : extra)
          out << "," << column.header;
        out << "\n";
        char text[32];
        for (std::size_t i = 0; i < n; ++i)
          {
            const double porosity = 0.1 * uniform(random), radius = uniform(random),
                         spacing = 2 * uniform(random), tortuosity = uniform(random);
            const double target = 0.4 * radius / spacing + noise(random);
            out << i << "," << 1000 + 7 * i;
            for (const double value : {target, porosity, radius, spacing, tortuosity})
              {
                std::snprintf(text, sizeof(text), "%.10g", value);
                out << "," << text;
              }
            for (const auto &column : extra)
              {
                std::snprintf(text, sizeof(text), "%.10g", column.value(target, i));
                out << "," << text;
              }
            out << "\n";
          }
      }
    MPI_Barrier(MPI_COMM_WORLD);
    return file;
  }
} // namespace

TEST(Sisso, RecoversPlantedQuotientFromNoisyData)
{
  const SissoData data = planted_quotient(100, 11);
  Sisso           sisso(data, arithmetic(2, 2, 50), MPI_COMM_WORLD);
  const auto      result = sisso.run();
  ASSERT_EQ(result.dimensions.size(), 2u);
  const SissoModel   &best = result.dimensions[0].models.front();
  std::vector<double> exact(data.target.size());
  for (std::size_t i = 0; i < exact.size(); ++i)
    exact[i] = data.features[0][i] * data.features[1][i] / data.features[2][i];
  EXPECT_GT(std::abs(correlation(model_features(sisso, best, data)[0], exact)), 1 - 1e-12)
      << best.formulas[0];
  EXPECT_NEAR(best.fit.coefficients[0], 3, 0.01);
  EXPECT_NEAR(best.fit.intercept, 0, 0.05);
  EXPECT_NEAR(best.fit.rmse, 0.05, 0.012);
  EXPECT_EQ(best.complexities[0], 2u);
  // The second model of dimension 1 is far worse: the formula is identified, not approximated.
  EXPECT_GT(result.dimensions[0].models[1].fit.rmse, 10 * best.fit.rmse);
}

TEST(Sisso, RecoversTwoTermDescriptorWithUnits)
{
  // E = 0.5 m v^2 + 2 m a h (kinetic + a potential-like term), with distractors.
  std::mt19937_64                        random(5);
  std::uniform_real_distribution<double> uniform(1, 4);
  std::normal_distribution<double>       noise(0, 0.01);
  SissoData                              data;
  data.target_name = "E";
  data.target_unit = PhysicalUnit::parse("kg m^2/s^2");
  const std::vector<std::pair<std::string, std::string>> columns = {
      {"m", "kg"}, {"v", "m/s"}, {"a", "m/s^2"}, {"h", "m"}, {"T", "K"}, {"L", "m"}};
  const std::size_t n = 80;
  data.features.assign(columns.size(), std::vector<double>(n));
  for (const auto &[name, unit] : columns)
    {
      data.feature_names.push_back(name);
      data.feature_units.push_back(PhysicalUnit::parse(unit));
    }
  std::vector<double> kinetic(n), potential(n);
  for (std::size_t i = 0; i < n; ++i)
    {
      for (auto &column : data.features)
        column[i] = uniform(random);
      const double m = data.features[0][i], v = data.features[1][i], a = data.features[2][i],
                   h = data.features[3][i];
      kinetic[i]     = m * v * v;
      potential[i]   = m * a * h;
      data.target.push_back(0.5 * kinetic[i] + 2 * potential[i] + noise(random));
    }
  SissoSettings settings               = arithmetic(2, 2, 30);
  settings.features.operators_per_rung = {parse_operators("(+)(-)(*)(/)(^2)")};
  Sisso      sisso(data, settings, MPI_COMM_WORLD);
  const auto result = sisso.run();
  ASSERT_EQ(result.dimensions.size(), 2u);
  const SissoModel &best   = result.dimensions[1].models.front();
  const auto        values = model_features(sisso, best, data);
  for (std::size_t j = 0; j < 2; ++j)
    {
      EXPECT_EQ(best.units[j], data.target_unit) << best.formulas[j];
      const bool is_kinetic   = std::abs(correlation(values[j], kinetic)) > 1 - 1e-12;
      const bool is_potential = std::abs(correlation(values[j], potential)) > 1 - 1e-12;
      EXPECT_TRUE(is_kinetic || is_potential) << best.formulas[j];
      // Coefficients are dimensionless and take the planted values for the planted features.
      const double planted = is_kinetic ? 0.5 : 2.0;
      const double scale   = values[j][0] / (is_kinetic ? kinetic[0] : potential[0]);
      EXPECT_NEAR(best.fit.coefficients[j] * scale, planted, 2e-3) << best.formulas[j];
    }
  EXPECT_LT(best.fit.rmse, 0.015);
  // + and - never join different units: every feature of every model has one unit it can have.
  for (const auto &step : result.dimensions)
    for (const auto &model : step.models)
      for (const auto &formula : model.formulas)
        {
          EXPECT_EQ(formula.find("(m+"), std::string::npos) << formula;
          EXPECT_EQ(formula.find("(T-"), std::string::npos) << formula;
        }
}

TEST(Sisso, L0SearchAgreesWithBruteForceLeastSquares)
{
  std::mt19937_64                  random(3);
  std::normal_distribution<double> normal(0, 1);
  const std::size_t                n = 30, p = 13;
  std::vector<std::vector<double>> pool(p, std::vector<double>(n));
  for (auto &column : pool)
    for (auto &v : column)
      v = normal(random);
  // A near-collinear pair: sets holding both must be skipped, not ranked first.
  pool.push_back(pool[4]);
  for (auto &v : pool.back())
    v += 1e-9 * normal(random);
  std::vector<double> target(n);
  for (std::size_t i = 0; i < n; ++i)
    target[i] = 1 + pool[1][i] - 2 * pool[5][i] + 0.5 * pool[9][i] + 0.3 * normal(random);

  for (const bool intercept : {true, false})
    for (unsigned int dimension = 1; dimension <= 3; ++dimension)
      {
        const auto result = search_l0(pool, target, dimension, 8, intercept, MPI_COMM_WORLD);
        // Brute force over all sets, collinear ones left out.
        std::vector<std::pair<double, std::vector<std::uint32_t>>> all;
        std::vector<std::uint32_t>                                 set(dimension);
        std::function<void(unsigned int, std::uint32_t)>           visit = [&](unsigned int  level,
                                                                     std::uint32_t start) {
          if (level == dimension)
            {
              const bool collinear =
                  std::count(set.begin(), set.end(), 4u) && std::count(set.begin(), set.end(), 13u);
              if (collinear)
                return;
              std::vector<std::vector<double>> columns;
              for (const auto j : set)
                columns.push_back(pool[j]);
              const auto fit = fit_least_squares(columns, target, intercept);
              all.emplace_back(fit.rmse * fit.rmse * n, set);
              return;
            }
          for (std::uint32_t j = start; j < pool.size(); ++j)
            {
              set[level] = j;
              visit(level + 1, j + 1);
            }
        };
        visit(0, 0);
        std::sort(all.begin(), all.end());
        ASSERT_EQ(result.best.size(), 8u);
        for (std::size_t k = 0; k < result.best.size(); ++k)
          {
            EXPECT_EQ(result.best[k].features, all[k].second)
                << "dimension " << dimension << ", model " << k;
            EXPECT_NEAR(result.best[k].rss, all[k].first, 1e-9 * all[0].first + 1e-10);
          }
        std::uint64_t expected = 1;
        for (unsigned int d = 0; d < dimension; ++d)
          expected = expected * (pool.size() - d) / (d + 1);
        // Sets below a skipped collinear prefix are not scored; all others are.
        EXPECT_LE(result.models_scored, expected);
        EXPECT_GE(result.models_scored, all.size());
      }
}

TEST(Sisso, PrunesInvalidConstantAndEquivalentFeaturesAcrossDimensions)
{
  std::mt19937_64                        random(9);
  std::uniform_real_distribution<double> uniform(-2, 3);
  const std::size_t                      n = 40;
  std::vector<std::vector<double>>       columns(4, std::vector<double>(n));
  std::vector<double>                    target(n), other_target(n);
  for (std::size_t i = 0; i < n; ++i)
    {
      for (std::size_t j = 0; j < 3; ++j)
        columns[j][i] = uniform(random);
      columns[3][i]   = 2.5; // constant: pruned
      target[i]       = columns[0][i] - columns[1][i] + 0.1 * uniform(random);
      other_target[i] = uniform(random);
    }
  FeatureSpaceSettings settings;
  settings.rung               = 2;
  settings.operators_per_rung = {parse_operators("+,-,*,/,log,|-|,abs")};
  const FeatureSpace space(columns, {"a", "b", "c", "k"}, std::vector<PhysicalUnit>(4), settings);
  EXPECT_EQ(space.stored_rung_counts()[0].constant, 1u);
  // log of features with negative values is invalid.
  EXPECT_EQ(space.stored_rung_counts()[1].invalid, 3u);

  FeatureScreening screening(space, true);
  ScreeningCounts  counts;
  const auto       all = screening.select(target, 1000000, MPI_COMM_WORLD, counts);
  EXPECT_EQ(counts.candidates, space.n_stored() + space.n_last_rung_candidates());
  // Equivalent features built along different routes ((a+b)+c and (a+c)+b, (a-b)-(c-b) and a-c,
  // and sign twins such as (c-b)-(a-b) = -(a-c)) leave one representative each.
  const auto values = [&](const ScreenedFeature &feature) {
    std::vector<double> v(n);
    space.values(feature.feature, v.data());
    return v;
  };
  std::vector<std::vector<double>> selected;
  for (const auto &feature : all)
    selected.push_back(values(feature));
  EXPECT_LT(all.size() + 200,
            counts.candidates - counts.invalid - counts.constant - counts.out_of_range);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < selected.size(); ++i)
    for (std::size_t j = 0; j < i; ++j, ++checked)
      ASSERT_LT(std::abs(correlation(selected[i], selected[j])), 1 - 1e-9)
          << space.formula(all[i].feature) << " ~ " << space.formula(all[j].feature);
  EXPECT_GT(checked, 10000u);
  // Of equivalent features the simplest is kept: a-b itself, not a longer route to it.
  EXPECT_EQ(all.front().complexity, 1u) << space.formula(all.front().feature);

  // A later dimension never selects what an earlier one holds, sign twins included.
  const std::vector<ScreenedFeature> first(all.begin(), all.begin() + 50);
  screening.exclude(first);
  const auto second = screening.select(other_target, 200, MPI_COMM_WORLD, counts);
  ASSERT_EQ(second.size(), 200u);
  for (const auto &later : second)
    for (const auto &earlier : first)
      ASSERT_LT(std::abs(correlation(values(later), values(earlier))), 1 - 1e-9)
          << space.formula(later.feature) << " ~ " << space.formula(earlier.feature);
}

// The score bound of the screening (a candidate is dropped from its first samples when even
// the largest score its other samples allow cannot beat the threshold) must never change what
// is selected: on random data, with and without an intercept, a planted target (high threshold,
// most candidates dropped early), noise (low threshold) and a target equal to a candidate (ties
// at score 1), the selection is the one of computing every candidate in full, to the bit and in
// the same order, and its scores are the best of a selection without any threshold. A column
// repeated exactly makes exact ties (broken by complexity, then id); one crossing zero makes
// quotients out of range and bounds that cannot be used.
TEST(Sisso, ScoreBoundSelectsWhatFullScreeningSelects)
{
  for (const std::size_t n : {60u, 300u})
    {
      std::mt19937_64                        random(17 + n);
      std::uniform_real_distribution<double> uniform(0.5, 3), signed_uniform(-1, 1);
      std::normal_distribution<double>       noise(0, 1);
      std::vector<std::vector<double>>       columns(7, std::vector<double>(n));
      std::vector<double>                    planted(n), pure_noise(n), copy(n);
      for (std::size_t i = 0; i < n; ++i)
        {
          for (std::size_t j = 0; j < 5; ++j)
            columns[j][i] = uniform(random);
          columns[5][i] = columns[0][i]; // an exact copy: exact ties
          columns[6][i] = signed_uniform(random);
          planted[i]    = columns[0][i] * columns[1][i] / columns[2][i] + 0.05 * noise(random);
          pure_noise[i] = noise(random);
          copy[i]       = (columns[1][i] - columns[3][i]) * columns[0][i]; // and * a2
        }
      columns[6][0] = 1e-7; // quotients by s out of range
      FeatureSpaceSettings settings;
      settings.rung               = 2;
      settings.operators_per_rung = {parse_operators("+,-,*,/,|-|,^2")};
      const FeatureSpace space(columns, {"a", "b", "c", "d", "e", "a2", "s"},
                               std::vector<PhysicalUnit>(7), settings);
      for (const bool intercept : {true, false})
        for (const auto *target : {&planted, &pure_noise, &copy})
          {
            FeatureScreening reference(space, intercept);
            reference.set_score_bound(false);
            ScreeningCounts all_counts;
            const auto      all = reference.select(*target, 1000000, MPI_COMM_WORLD, all_counts);
            for (const unsigned int n_select : {5u, 60u, 400u})
              {
                FeatureScreening bounded(space, intercept), full(space, intercept);
                full.set_score_bound(false);
                std::vector<ScreenedFeature> excluded;
                for (int pass = 0; pass < 2; ++pass)
                  {
                    ScreeningCounts with, without;
                    const auto      fast = bounded.select(*target, n_select, MPI_COMM_WORLD, with);
                    const auto      slow = full.select(*target, n_select, MPI_COMM_WORLD, without);
                    const std::string what =
                        "n " + std::to_string(n) + ", intercept " + std::to_string(intercept) +
                        ", select " + std::to_string(n_select) + ", pass " + std::to_string(pass);
                    ASSERT_EQ(fast.size(), slow.size()) << what;
                    for (std::size_t i = 0; i < fast.size(); ++i)
                      {
                        ASSERT_EQ(fast[i].id, slow[i].id) << what << ", rank " << i;
                        ASSERT_EQ(fast[i].complexity, slow[i].complexity) << what;
                        ASSERT_EQ(fast[i].score, slow[i].score) << what; // to the bit
                      }
                    EXPECT_EQ(with.candidates, without.candidates) << what;
                    EXPECT_EQ(with.invalid, without.invalid) << what;
                    EXPECT_EQ(with.out_of_range, without.out_of_range) << what;
                    EXPECT_EQ(with.constant, without.constant) << what;
                    EXPECT_EQ(without.bounded, 0u);
                    // The first pass picks the best scores of all candidates.
                    if (pass == 0)
                      {
                        for (std::size_t i = 0; i < fast.size(); ++i)
                          EXPECT_NEAR(fast[i].score, all[i].score, 1e-12) << what << ", rank " << i;
                      }
                    // The bound must have done something where the threshold is high.
                    if (target == &planted && n_select == 5 && pass == 0)
                      {
                        EXPECT_GT(with.bounded, with.candidates / 2) << what;
                      }
                    // The next pass without these (as the next dimension does).
                    bounded.exclude(fast);
                    full.exclude(slow);
                  }
              }
            EXPECT_GT(all_counts.out_of_range + all_counts.invalid, 0u);
          }
    }
}

TEST(Sisso, AnswerDoesNotDependOnFeatureOrder)
{
  const SissoData          data     = planted_quotient(60, 21);
  SissoData                permuted = data;
  std::vector<std::size_t> order    = {7, 2, 9, 0, 4, 1, 8, 3, 6, 5};
  for (std::size_t j = 0; j < order.size(); ++j)
    {
      permuted.features[j]      = data.features[order[j]];
      permuted.feature_names[j] = data.feature_names[order[j]];
    }
  Sisso first(data, arithmetic(2, 2, 40), MPI_COMM_WORLD),
      second(permuted, arithmetic(2, 2, 40), MPI_COMM_WORLD);
  const auto a = first.run(), b = second.run();
  ASSERT_EQ(a.dimensions.size(), b.dimensions.size());
  EXPECT_EQ(a.n_stored, b.n_stored);
  EXPECT_EQ(a.last_rung_candidates, b.last_rung_candidates);
  for (std::size_t d = 0; d < a.dimensions.size(); ++d)
    for (std::size_t m = 0; m < 3; ++m)
      {
        const auto &x = a.dimensions[d].models[m], &y = b.dimensions[d].models[m];
        EXPECT_NEAR(x.fit.rmse, y.fit.rmse, 1e-12 * x.fit.rmse)
            << x.formulas[0] << " vs " << y.formulas[0];
        const auto px = first.predict(x, data.features), py = second.predict(y, permuted.features);
        for (std::size_t i = 0; i < px.size(); ++i)
          EXPECT_NEAR(px[i], py[i], 1e-9);
      }
}

TEST(Sisso, CrossValidationPrefersTheTrueDimension)
{
  std::mt19937_64                        random(17);
  std::uniform_real_distribution<double> uniform(1, 5);
  std::normal_distribution<double>       noise(0, 0.02);
  SissoData                              data = planted_quotient(60, 4);
  for (std::size_t i = 0; i < data.target.size(); ++i)
    data.target[i] = data.features[3][i] * data.features[4][i] -
                     2 * data.features[5][i] / data.features[6][i] + noise(random);
  SissoSettings settings = arithmetic(1, 3, 20);
  settings.cv_folds      = 5;
  Sisso      sisso(data, settings, MPI_COMM_WORLD);
  const auto result = sisso.run();
  ASSERT_EQ(result.dimensions.size(), 3u);
  EXPECT_GT(result.dimensions[0].cv_rmse, 5 * result.dimensions[1].cv_rmse);
  EXPECT_GE(result.chosen_dimension, 2u);
  EXPECT_LT(result.dimensions[1].cv_rmse, 0.03);
}

TEST(Sisso, UnitsParseAndCombine)
{
  EXPECT_EQ(PhysicalUnit::parse("mA/cm^2"), PhysicalUnit::parse("mA cm^-2"));
  EXPECT_EQ(PhysicalUnit::parse("kg*m^2/s^2").to_string(), "kg m^2 s^-2");
  EXPECT_EQ(PhysicalUnit::parse("m^2").power(0.5), PhysicalUnit::parse("m"));
  EXPECT_EQ(PhysicalUnit::parse("1/s"), PhysicalUnit::parse("s^-1"));
  EXPECT_TRUE(PhysicalUnit::parse("1").is_dimensionless());
  EXPECT_TRUE((PhysicalUnit::parse("m/s") / PhysicalUnit::parse("m s^-1")).is_dimensionless());
  EXPECT_THROW(PhysicalUnit::parse("m^"), InputError);
  EXPECT_THROW(PhysicalUnit::parse("m//s"), InputError);
  EXPECT_THROW(parse_operators("(+)(frobnicate)"), InputError);
  EXPECT_FALSE(operator_unit(FeatureOperator::add, PhysicalUnit::parse("m"),
                             PhysicalUnit::parse("s"), true));
  EXPECT_FALSE(operator_unit(FeatureOperator::exp, PhysicalUnit::parse("m"), PhysicalUnit(), true));
  EXPECT_TRUE(operator_unit(FeatureOperator::exp, PhysicalUnit::parse("m"), PhysicalUnit(), false));
}

TEST(Sisso, ReadsTheReferenceCodeInput)
{
  const std::string directory = test_support::temporary_directory("sisso_reference");
  const SissoData   planted   = planted_quotient(50, 8);
  int               rank      = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    {
      std::ofstream in(directory + "/SISSO.in");
      in << "! regression\nptype=1\nntask=1\ndesc_dim=1   ! one "
            "term\nnsample=50\nrestart=0\nnsf=10\n"
            "ops='(+)(-)(*)(/"
            ")'\nfcomplexity=3\nfunit=(1:3)(4:10)\nfmax_min=1d-3\nfmax_max=1e5\nnf_sis=30\n"
            "method_so='L0'\nfit_intercept=.true.\nmetric='RMSE'\nnmodels=4\nbwidth=0.001\n";
      std::ofstream train(directory + "/train.dat");
      train << "materials property";
      for (const auto &name : planted.feature_names)
        train << " " << name;
      train << "\n";
      for (std::size_t i = 0; i < planted.target.size(); ++i)
        {
          train << "sample" << i << "\t" << planted.target[i];
          for (const auto &column : planted.features)
            train << " " << column[i];
          train << "\n";
        }
    }
  MPI_Barrier(MPI_COMM_WORLD);
  const auto job = read_reference_input(directory + "/SISSO.in");
  EXPECT_EQ(job.settings.features.rung, 2u);
  EXPECT_EQ(job.settings.features.max_complexity, 3u);
  EXPECT_EQ(job.settings.n_models, 4u);
  EXPECT_EQ(job.settings.selected_for(1), 30u);
  EXPECT_DOUBLE_EQ(job.settings.features.fmax_min, 1e-3);
  EXPECT_EQ(job.data.feature_units[0], job.data.feature_units[2]);
  EXPECT_NE(job.data.feature_units[2], job.data.feature_units[3]);
  Sisso      sisso(job.data, job.settings, MPI_COMM_WORLD);
  const auto result = sisso.run();
  ASSERT_EQ(result.dimensions.size(), 1u);
  EXPECT_EQ(result.dimensions[0].models.size(), 4u);
  EXPECT_NEAR(result.dimensions[0].models.front().fit.coefficients[0], 3, 0.02);

  if (rank == 0)
    {
      std::ofstream in(directory + "/SISSO.in", std::ios::app);
      in << "funit=(1:3)(3:10)\n";
    }
  MPI_Barrier(MPI_COMM_WORLD);
  EXPECT_THROW(read_reference_input(directory + "/SISSO.in"), InputError);
}

// Every keyword of the reference code's templates from v3.0 to v3.5, under
// either name where v3.2 renamed it: the job equals the one the modern names
// give, and the keywords without effect that a user might expect to act are
// noted, one line each.
TEST(Sisso, AcceptsEveryKeywordOfTheReferenceTemplates)
{
  const std::string directory = test_support::temporary_directory("sisso_template");
  const SissoData   planted   = planted_quotient(40, 6);
  int               rank      = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const auto write = [&](const std::string &name, const std::string &keywords) {
    MPI_Barrier(MPI_COMM_WORLD); // no rank still reads the file rewritten here
    if (rank == 0)
      {
        std::filesystem::create_directories(directory + "/" + name);
        std::ofstream(directory + "/" + name + "/SISSO.in") << keywords;
        std::ofstream train(directory + "/" + name + "/train.dat");
        train << "materials property";
        for (const auto &feature : planted.feature_names)
          train << " " << feature;
        train << "\n";
        for (std::size_t i = 0; i < planted.target.size(); ++i)
          {
            train << "s" << i << " " << planted.target[i];
            for (const auto &column : planted.features)
              train << " " << column[i];
            train << "\n";
          }
      }
    MPI_Barrier(MPI_COMM_WORLD);
    return directory + "/" + name + "/SISSO.in";
  };
  const std::string common = "ptype=1\ntask_weighting=1\nscmt=.false.\ndesc_dim=2\n"
                             "nsample=40\nrestart=0\nnsf=10\nfit_intercept=.true.\n"
                             "metric='RMSE'\nisconvex=(1,1)\n";
  // v3.0.2 (opset, dimclass, maxfval_*, subs_sis, method, nm_output, ...).
  const auto old_job = read_reference_input(
      write("v3.0", common + "ntask=1\ntask='FCDI'\nrung=2\nmaxcomplexity=3\nopset='(+)(-)(*)(/)'\n"
                             "ndimtype=2\ndimclass=(1:3)(4:10)\nmaxfval_lb=1e-3\nmaxfval_ub=1e5\n"
                             "subs_sis=15\nmethod='L0'\nL1L0_size4L0=1\nnm_output=7\nwidth=0.001\n"
                             "npf_must=0\nfs_size_DI=30\nfs_size_L0=30\nCV_fold=10\nCV_repeat=1\n"
                             "L1_max_iter=1000\nL1_tole=1e-6\nL1_dens=120\nL1_nlambda=1000\n"
                             "L1_minrmse=1e-3\nL1_warm_start=.true.\nL1_weighted=.false.\n"
                             "L1_elastic=1.0\nnvf=0\nvfsize=0\nvf2sf='sum'\n"));
  // v3.5 (ops, funit, fmax_*, nf_sis, method_so, nmodels, fstore, decorrelation, reactions).
  const auto new_job = read_reference_input(
      write("v3.5", common + "nprop=1\nfcomplexity=3\nops='(+)(-)(*)(/)'\nfunit=(1:3)(4:10)\n"
                             "fmax_min=1e-3\nfmax_max=1e5\nnf_sis=15\nmethod_so='L0'\nnl1l0=1\n"
                             "nmodels=7\nbwidth=0.001\nfstore=1\nffdecorr=.false.\n"
                             "decorr_theta=0.9\ndecorr_delta=0.0\ndecorr_alpha=1.0\nnreaction=0\n"
                             "npoints=0\n"));
  for (const auto *job : {&old_job, &new_job})
    {
      EXPECT_EQ(job->settings.max_dimension, 2u);
      EXPECT_EQ(job->settings.features.rung, 2u);
      EXPECT_EQ(job->settings.features.max_complexity, 3u);
      EXPECT_EQ(job->settings.n_models, 7u);
      EXPECT_EQ(job->settings.selected_for(1), 15u);
      EXPECT_DOUBLE_EQ(job->settings.features.fmax_max, 1e5);
      EXPECT_EQ(job->data.feature_units[0], job->data.feature_units[2]);
      EXPECT_NE(job->data.feature_units[2], job->data.feature_units[3]);
    }
  // rung, ndimtype, fs_size_DI, fs_size_L0, CV_fold, CV_repeat; fstore.
  EXPECT_EQ(old_job.notes.size(), 6u);
  ASSERT_EQ(new_job.notes.size(), 1u);
  EXPECT_NE(new_job.notes[0].find("fstore: features are always held as data here"),
            std::string::npos);
  const auto a = Sisso(old_job.data, old_job.settings, MPI_COMM_WORLD).run();
  const auto b = Sisso(new_job.data, new_job.settings, MPI_COMM_WORLD).run();
  EXPECT_EQ(a.dimensions[1].models.front().fit.rmse, b.dimensions[1].models.front().fit.rmse);

  // What the reference code can do and weaklink cannot is refused, naming it.
  const auto error_of = [&](const std::string &keywords) -> std::string {
    try
      {
        read_reference_input(write("bad", common + keywords));
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "";
  };
  EXPECT_NE(error_of("task='FC'\n").find("only the whole job (FCDI)"), std::string::npos);
  EXPECT_NE(error_of("method='L1L0'\n").find("only 'L0' is supported"), std::string::npos);
  EXPECT_NE(error_of("npf_must=2\n").find("must appear in every model"), std::string::npos);
  EXPECT_NE(error_of("nprop=2\n").find("multi-task learning is not supported"), std::string::npos);
  EXPECT_NE(error_of("frobnicate=1\n").find("frobnicate: unknown keyword"), std::string::npos);
}

TEST(Sisso, TargetIsNeverAFeatureWhicheverWayItIsNamed)
{
  // Issue 18: --target 'min_ligament [1]' kept min_ligament among the primary features and
  // reported min_ligament = 1 * min_ligament with RMSE 5e-16.
  const std::string file =
      write_descriptor_table(test_support::temporary_directory("sisso_target_name"), 60);
  const std::vector<std::string> others = {"sample", "seed",    "porosity",
                                           "radius", "spacing", "tortuosity"};
  std::vector<double>            rmse;
  std::vector<std::string>       formula;
  for (const std::string target : {"min_ligament", "min_ligament [1]", " min_ligament[1]"})
    {
      const SissoData data = read_sisso_csv(file, target, {});
      EXPECT_EQ(data.target_name, "min_ligament") << target;
      EXPECT_TRUE(data.target_unit.is_dimensionless()) << target;
      EXPECT_EQ(data.feature_names, others) << target;
      EXPECT_EQ(data.feature_units[3], PhysicalUnit::parse("um")) << target;
      Sisso      sisso(data, arithmetic(1, 2, 20), MPI_COMM_WORLD);
      const auto result = sisso.run();
      ASSERT_EQ(result.dimensions.size(), 2u) << target;
      for (const auto &step : result.dimensions)
        for (const auto &model : step.models)
          for (const auto &term : model.formulas)
            EXPECT_EQ(term.find("min_ligament"), std::string::npos) << target << ": " << term;
      const SissoModel &best = result.dimensions[0].models.front();
      rmse.push_back(best.fit.rmse);
      formula.push_back(best.formulas[0]);
      // The planted model at the noise level, not the target reproduced to round-off.
      EXPECT_GT(best.fit.rmse, 0.005) << target << ": " << best.formulas[0];
      EXPECT_LT(best.fit.rmse, 0.015) << target << ": " << best.formulas[0];
    }
  EXPECT_EQ(rmse[1], rmse[0]);
  EXPECT_EQ(rmse[2], rmse[0]);
  EXPECT_EQ(formula[1], formula[0]);

  // --features: the same columns whichever way they are named; the target is not a feature.
  const SissoData plain = read_sisso_csv(file, "min_ligament [1]", {"radius", "spacing [um]"});
  const SissoData units = read_sisso_csv(file, "min_ligament", {"radius [um]", "spacing"});
  EXPECT_EQ(plain.feature_names, (std::vector<std::string>{"radius", "spacing"}));
  EXPECT_EQ(units.feature_names, plain.feature_names);
  EXPECT_EQ(units.features, plain.features);
  EXPECT_THROW(read_sisso_csv(file, "min_ligament [1]", {"radius", "min_ligament"}), InputError);
  EXPECT_THROW(read_sisso_csv(file, "min_ligament", {"min_ligament [1]", "radius"}), InputError);
  EXPECT_THROW(read_sisso_csv(file, "min_ligament", {"radius", "radius [um]"}), InputError);

  // An unknown target is answered with names that work: plain ones.
  try
    {
      read_sisso_csv(file, "porosty", {});
      FAIL() << "no error for an unknown target";
    }
  catch (const InputError &error)
    {
      const std::string message = error.what();
      EXPECT_NE(message.find("nearest: 'porosity'"), std::string::npos) << message;
      EXPECT_EQ(message.find("porosity ["), std::string::npos) << message;
    }
}

TEST(Sisso, CopiesOfTheTargetAreLeftOutAndNamed)
{
  // The target in other units (written to 10 digits), the target under another name, and a
  // close but honest feature (the target with noise 1e-3 of its spread) that stays.
  const std::string file = write_descriptor_table(
      test_support::temporary_directory("sisso_target_copy"), 60,
      {{"min_ligament_um [um]", [](double y, std::size_t) { return 1000 * y; }},
       {"ligament_copy [1]", [](double y, std::size_t) { return y; }},
       {"ligament_estimate [1]",
        [](double y, std::size_t i) { return y + 1e-3 * std::sin(7.0 * i); }}});
  const SissoData data = read_sisso_csv(file, "min_ligament [1]", {});
  EXPECT_EQ(data.excluded_features, (std::vector<std::string>{"min_ligament_um", "ligament_copy"}));
  EXPECT_EQ(data.feature_names,
            (std::vector<std::string>{"sample", "seed", "porosity", "radius", "spacing",
                                      "tortuosity", "ligament_estimate"}));
  Sisso      sisso(data, arithmetic(1, 1, 20), MPI_COMM_WORLD);
  const auto result = sisso.run();
  ASSERT_EQ(result.dimensions.size(), 1u);
  const SissoModel &best = result.dimensions[0].models.front();
  EXPECT_EQ(best.formulas[0], "ligament_estimate");
  EXPECT_GT(best.fit.rmse, 1e-4);

  // Listed explicitly, a copy is left out too; nothing but copies is an error naming them.
  const SissoData listed = read_sisso_csv(file, "min_ligament", {"radius", "ligament_copy [1]"});
  EXPECT_EQ(listed.feature_names, (std::vector<std::string>{"radius"}));
  EXPECT_EQ(listed.excluded_features, (std::vector<std::string>{"ligament_copy"}));
  try
    {
      read_sisso_csv(file, "min_ligament", {"ligament_copy"});
      FAIL() << "no error when every feature is a copy of the target";
    }
  catch (const InputError &error)
    {
      EXPECT_NE(std::string(error.what()).find("'ligament_copy') is a copy of the target"),
                std::string::npos)
          << error.what();
    }

  // Data built in memory: a copy up to a negative factor and an offset is found, and Sisso
  // refuses it with the column's name rather than reporting it.
  SissoData planted = planted_quotient(40, 3);
  planted.feature_names.push_back("negated");
  planted.feature_units.emplace_back();
  planted.features.emplace_back();
  for (const double y : planted.target)
    planted.features.back().push_back(2 - 0.5 * y);
  EXPECT_EQ(planted.copies_of_target(), (std::vector<std::size_t>{10}));
  try
    {
      Sisso refused(planted, arithmetic(1, 1, 20), MPI_COMM_WORLD);
      FAIL() << "Sisso accepted a copy of the target";
    }
  catch (const InputError &error)
    {
      EXPECT_NE(std::string(error.what()).find("primary feature 'negated' is the target 'y'"),
                std::string::npos)
          << error.what();
    }
  EXPECT_EQ(planted.drop_copies_of_target(), (std::vector<std::string>{"negated"}));
  EXPECT_EQ(planted.features.size(), 10u);
  EXPECT_NO_THROW(Sisso(planted, arithmetic(1, 1, 20), MPI_COMM_WORLD));
  // A constant target has no copies (every feature would fit it).
  planted.target.assign(planted.target.size(), 1.5);
  EXPECT_TRUE(planted.copies_of_target().empty());
}
