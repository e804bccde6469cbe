// Analysis of a study's table (EnsembleTable) on planted tables: Weibull per
// class with censoring recovers the planted moduli within their bounds, SISSO
// finds the planted descriptor, and bad tables are one-line errors.
#include <gtest/gtest.h>

#include <weaklink/analysis/ensemble_table.h>
#include <weaklink/learning/feature_operator.h>
#include <weaklink/learning/sisso.h>
#include <weaklink/statistics/weibull_report.h>

#include "test_support.h"

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using namespace weaklink;

namespace
{
  /** Uniform in (0, 1) from the 53 high bits: the same numbers on every platform. */
  double uniform(std::mt19937_64 &random)
  {
    return (static_cast<double>(random() >> 11) + 0.5) * 0x1.0p-53;
  }

  /**
   * Two classes of 40 samples in the columns weaklink-ensemble writes:
   * CCD = x0_c (−ln(1 − u))^(1/m_c) exp(−2 (e − 0.5)) with the descriptor e
   * (max_defect_y_extent) uniform in [0, 1] and a porosity that does not
   * matter; samples with CCD above 1.8 mA/cm² are censored there (the end
   * of the ramp); sample 7 failed.
   */
  std::string planted_table()
  {
    std::mt19937_64    random(20261202);
    std::ostringstream csv;
    csv << "sample,class,Material/Microstructure/Pore topology,seed,protocol,shorted,censored,"
           "ccd [A/m2],ccd [mA/cm2],porosity [1],max_defect_y_extent [1],failed,failure,"
           "wall_time [s]\n";
    const double modulus[2] = {8, 16}, scale[2] = {0.6, 1.2};
    for (unsigned int c = 0; c < 2; ++c)
      for (unsigned int s = 0; s < 40; ++s)
        {
          const double extent   = uniform(random);
          const double porosity = 0.02 + 0.06 * uniform(random);
          double       ccd = scale[c] * std::pow(-std::log(1 - uniform(random)), 1 / modulus[c]) *
                       std::exp(-2 * (extent - 0.5));
          const bool censored = ccd > 1.8;
          if (censored)
            ccd = 1.8;
          const bool failed = c == 0 && s == 7;
          csv << "c0" << c << "-s" << s << "," << c << "," << (c ? "clustered" : "poisson") << ","
              << s << ",CCD ramp," << !censored << "," << censored << ","
              << (failed ? "nan" : std::to_string(10 * ccd)) << ","
              << (failed ? "nan" : std::to_string(ccd)) << "," << porosity << "," << extent << ","
              << failed << "," << (failed ? "\"Newton did not converge, twice\"" : "") << ",0.5\n";
        }
    return csv.str();
  }

  std::string write(const std::string &text, const std::string &stem)
  {
    const std::string name = test_support::temporary_directory(stem) + "/table.csv";
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::ofstream(name) << text;
    MPI_Barrier(MPI_COMM_WORLD);
    return name;
  }

  std::string error_of(const std::string &text)
  {
    const std::string file = write(text, "bad_table");
    try
      {
        EnsembleTable table(file);
      }
    catch (const InputError &error)
      {
        const std::string message = error.what();
        return message.substr(message.find("table.csv"));
      }
    return "no error";
  }
} // namespace

TEST(EnsembleTable, ClassesCensoringAndFailedSamples)
{
  const EnsembleTable table(write(planted_table(), "planted"));
  EXPECT_EQ(table.value_name(), "ccd [mA/cm2]");
  ASSERT_EQ(table.classes().size(), 2u);
  EXPECT_EQ(table.classes()[0].label, "Pore topology poisson");
  EXPECT_EQ(table.classes()[0].failed, 1u);
  EXPECT_EQ(table.classes()[0].rows.size(), 39u);
  EXPECT_EQ(table.classes()[1].rows.size(), 40u);
  EXPECT_EQ(table.n_failed(), 1u);
  const FailureData high = table.failure_data(table.classes()[1]);
  EXPECT_GT(high.values.size(), high.n_failures()) << "the planted table should censor some";
}

TEST(EnsembleTable, WeibullPerClassBracketsThePlantedScaleAndSissoFindsThePlantedDescriptor)
{
  const EnsembleTable table(write(planted_table(), "planted_fit"));
  // The descriptor spreads each class: the fitted law is wider than the
  // planted one, but the two classes keep their order and the censored
  // fit stays finite.
  const WeibullReport low  = analyse_weibull(table.failure_data(table.classes()[0]));
  const WeibullReport high = analyse_weibull(table.failure_data(table.classes()[1]));
  EXPECT_LT(low.fit.characteristic, high.fit.characteristic);
  EXPECT_LT(low.interval.characteristic_lower, 0.6 * 1.2);
  EXPECT_GT(low.interval.characteristic_upper, 0.6);
  EXPECT_GT(high.fit.modulus, 1);

  const SissoData data = table.descriptor_data();
  EXPECT_EQ(data.target_name, "ln_ccd");
  EXPECT_EQ(data.feature_names.size(), 2u); // porosity and the extent; the rest is not a descriptor
  SissoSettings settings;
  settings.max_dimension               = 1;
  settings.features.operators_per_rung = {parse_operators("+,-,*,/")};
  Sisso      sisso(data, settings, MPI_COMM_WORLD);
  const auto result = sisso.run();
  ASSERT_FALSE(result.dimensions.empty());
  const std::string best = result.dimensions[0].models.front().formulas.front();
  EXPECT_NE(best.find("max_defect_y_extent"), std::string::npos) << best;
}

TEST(EnsembleTable, BadTablesAreOneLineErrors)
{
  const std::string header = "sample,class,censored,ccd [mA/cm2],failed\n";
  EXPECT_EQ(error_of(header + "a,0,0,1.0,0\nb,0,0,1.1\n"),
            "table.csv:3: 4 cells, the header has 5");
  EXPECT_EQ(error_of(header + "a,0,0,nan,0\n"), "table.csv:2: column 'ccd [mA/cm2]' holds nan");
  EXPECT_EQ(error_of(header + "a,0,1,1.0,0\nb,0,1,1.2,0\n"),
            "table.csv: no sample shorted (2 censored, 0 failed): there is nothing to fit");
  EXPECT_EQ(error_of(header + "a,0,0,-1,0\n"),
            "table.csv: row 1: 'ccd [mA/cm2]' is -1, not a positive number");
  const std::string missing = error_of("sample,class,ccd [mA/cm2],failed\na,0,1,0\n");
  EXPECT_NE(missing.find("no column 'censored'"), std::string::npos) << missing;
}
