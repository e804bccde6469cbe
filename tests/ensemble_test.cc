// Ensembles (Study, run_ensemble): the classes of a study file, samples spread
// over sub-communicators with the same results whatever the spread and the
// ranks per sample, a rerun that skips finished samples, failed samples
// recorded with their reason, and one-line errors for bad studies.
#include <gtest/gtest.h>

#include <weaklink/ensemble/ensemble.h>
#include <weaklink/ensemble/study.h>

#include "test_support.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <variant>

using namespace weaklink;
namespace fs = std::filesystem;

namespace
{
  const std::string base_case = WEAKLINK_SOURCE_DIR "/tests/prm/ensemble_base.prm";

  /** Writes a study file into @p directory (rank 0) and returns its name. */
  std::string study_file(const std::string &directory, const std::string &settings)
  {
    const std::string name = directory + "/study.prm";
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::ofstream(name) << "subsection Study\n  set Base case = " << base_case << "\n"
                          << settings << "\nend\n";
    MPI_Barrier(MPI_COMM_WORLD);
    return name;
  }

  const std::string grid = R"(
    set Classes = Material/Microstructure/Porosity: 0.03, 0.08; Material/Microstructure/Pore topology: poisson, clustered
    set Samples per class = 2
  )";

  std::vector<JsonRecord> results(const Study &study)
  {
    std::vector<JsonRecord> records;
    for (const auto &sample : study.samples())
      records.push_back(JsonRecord::read(study.result_file(sample)));
    return records;
  }

  /** Equal records, up to solver tolerance in numbers; wall times aside. */
  void expect_same_results(const std::vector<JsonRecord> &a, const std::vector<JsonRecord> &b)
  {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t r = 0; r < a.size(); ++r)
      {
        ASSERT_EQ(a[r].entries().size(), b[r].entries().size()) << "sample " << r;
        for (const auto &[key, value] : a[r].entries())
          {
            if (key.find("time [s]") != std::string::npos && key != "time [s]" &&
                key != "lifetime [s]")
              continue; // wall-clock times
            if (key == "peak_memory_per_rank [MB]")
              continue;
            ASSERT_TRUE(b[r].has(key)) << key;
            const auto &other = b[r].at(key);
            if (const auto *number = std::get_if<double>(&value))
              {
                if (std::isnan(*number))
                  EXPECT_TRUE(std::isnan(std::get<double>(other))) << key;
                else
                  EXPECT_NEAR(std::get<double>(other), *number, 1e-8 * (std::abs(*number) + 1e-30))
                      << key << " of sample " << r;
              }
            else
              EXPECT_EQ(other, value) << key << " of sample " << r;
          }
      }
  }

  std::string ensemble_error(const std::string &file, const unsigned int ranks_per_sample = 1)
  {
    try
      {
        const Study        study(file);
        std::ostringstream log;
        run_ensemble(study, ranks_per_sample, MPI_COMM_WORLD, log);
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "no error";
  }
} // namespace

TEST(Study, ClassesAreTheGridWithTheFirstParameterSlowest)
{
  const std::string directory = test_support::temporary_directory("study_grid");
  const Study       study(study_file(directory, grid + "set First seed = 5"));
  EXPECT_EQ(study.n_classes(), 4u);
  ASSERT_EQ(study.samples().size(), 8u);
  const auto &sample = study.samples()[5]; // class 2, second seed
  EXPECT_EQ(sample.name, "c02-s0006");
  EXPECT_EQ(sample.class_index, 2u);
  EXPECT_EQ(sample.seed, 6u);
  ASSERT_EQ(sample.class_values.size(), 2u);
  EXPECT_EQ(sample.class_values[0].second, "0.08");
  EXPECT_EQ(sample.class_values[1].second, "poisson");
  // The sample's case: the base case, its class, its seed and its own directory.
  CaseParameters sample_case(study.case_assignments(sample));
  sample_case.prm.enter_subsection("Material");
  sample_case.prm.enter_subsection("Microstructure");
  EXPECT_EQ(sample_case.prm.get_double("Porosity"), 0.08);
  EXPECT_EQ(sample_case.prm.get_integer("Seed"), 6);
  sample_case.prm.leave_subsection();
  sample_case.prm.leave_subsection();
  EXPECT_EQ(sample_case.run.output.directory, study.sample_directory(sample));
}

// A latin hypercube of 6 points over two ranges, combined with a grid of two
// topologies: 12 classes; every stratum of each range holds exactly one of
// each grid class's points; the same seed draws the same points.
TEST(Study, ALatinHypercubeUsesEveryStratumOnce)
{
  const std::string directory = test_support::temporary_directory("study_lhs");
  const std::string settings  = R"(
    set Classes          = Material/Microstructure/Pore topology: poisson, clustered
    set Sampler          = latin hypercube
    set Ranges           = Material/Microstructure/Porosity: 0.02, 0.14; Material/Microstructure/Cluster radius: 3e-6, 8e-6
    set Number of points = 6
    set Samples per class = 2
  )";
  const Study       study(study_file(directory, settings));
  EXPECT_EQ(study.n_classes(), 12u);
  ASSERT_EQ(study.samples().size(), 24u);
  EXPECT_EQ(study.grid_parameters(),
            (std::vector<std::string>{"Material/Microstructure/Pore topology",
                                      "Material/Microstructure/Porosity",
                                      "Material/Microstructure/Cluster radius"}));
  const double low[2] = {0.02, 3e-6}, high[2] = {0.14, 8e-6};
  for (unsigned int grid_class = 0; grid_class < 2; ++grid_class)
    for (unsigned int axis = 0; axis < 2; ++axis)
      {
        std::vector<unsigned int> used(6, 0);
        for (unsigned int point = 0; point < 6; ++point)
          {
            const auto &sample = study.samples()[2 * (6 * grid_class + point)];
            EXPECT_EQ(sample.class_values[0].second, grid_class ? "clustered" : "poisson");
            const double x        = std::stod(sample.class_values[1 + axis].second);
            const double fraction = (x - low[axis]) / (high[axis] - low[axis]);
            ASSERT_GT(fraction, 0);
            ASSERT_LT(fraction, 1);
            ++used[static_cast<unsigned int>(fraction * 6)];
          }
        EXPECT_EQ(used, std::vector<unsigned int>(6, 1));
      }
  const Study again(study_file(directory, settings));
  EXPECT_EQ(again.samples()[5].class_values, study.samples()[5].class_values);
  const Study other(study_file(directory, settings + "set Sampler seed = 2"));
  EXPECT_NE(other.samples()[5].class_values, study.samples()[5].class_values);
  EXPECT_NE(other.definition(), study.definition());
}

TEST(Ensemble, ResultsDoNotDependOnTheSpreadOrTheRanksPerSampleAndARerunSkipsFinishedSamples)
{
  const unsigned int n_ranks   = dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
  const std::string  directory = test_support::temporary_directory("ensemble");
  const std::string  file      = study_file(directory, grid);

  const Study        spread(file, directory + "/spread");
  std::ostringstream log;
  run_ensemble(spread, 1, MPI_COMM_WORLD, log);
  const Study together(file, directory + "/together");
  run_ensemble(together, n_ranks, MPI_COMM_WORLD, log);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      const auto records = results(spread);
      expect_same_results(records, results(together));
      EXPECT_FALSE(records[0].boolean("failed"));
      EXPECT_EQ(records[0].string("stopped_by"), "end of protocol");
      EXPECT_TRUE(records[0].boolean("censored"));
      EXPECT_EQ(records[0].number("ccd [A/m2]"), 3.0);
      // Descriptors of the generated microstructure, near the class's porosity.
      EXPECT_NEAR(records[0].number("porosity [1]"), 0.03, 0.01);
      EXPECT_NEAR(records[7].number("porosity [1]"), 0.08, 0.02);
      EXPECT_EQ(records[7].string("Material/Microstructure/Pore topology"), "clustered");
      EXPECT_TRUE(fs::exists(directory + "/spread/table.csv"));
      EXPECT_TRUE(fs::exists(directory + "/spread/table.json"));
    }

  // A second run has nothing to do; after losing two results it reruns those two only.
  std::ostringstream again;
  run_ensemble(spread, 1, MPI_COMM_WORLD, again);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_NE(again.str().find("8 samples (8 finished before); running 0"), std::string::npos)
          << again.str();
      fs::remove(spread.result_file(spread.samples()[1]));
      fs::remove(spread.result_file(spread.samples()[6]));
    }
  MPI_Barrier(MPI_COMM_WORLD);
  const auto         before = results(together);
  std::ostringstream resumed;
  run_ensemble(spread, 1, MPI_COMM_WORLD, resumed);
  // Each group's leader prints the samples it ran: which rank ran which
  // sample is a race on the shared counter.
  std::string all_ranks;
  for (const std::string &text : dealii::Utilities::MPI::gather(MPI_COMM_WORLD, resumed.str(), 0))
    all_ranks += text;
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_NE(all_ranks.find("(6 finished before); running 2"), std::string::npos) << all_ranks;
      EXPECT_NE(all_ranks.find("c00-s0002"), std::string::npos) << all_ranks;
      expect_same_results(results(spread), before);
    }
}

TEST(Ensemble, AFailedSampleIsARecordWithItsReason)
{
  // One Newton iteration cannot solve the state at t = 0 to 1e-14.
  const std::string  directory = test_support::temporary_directory("ensemble_failure");
  const std::string  file      = study_file(directory, R"(
    set Classes = Newton/Maximum iterations: 1, 20; Newton/Relative tolerance: 1e-14
    set Samples per class = 1
    set Output directory = )" + directory + R"(/out
  )");
  const Study        study(file);
  std::ostringstream log; // rank 0 leads every sample: all progress lines are here
  run_ensemble(study, dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD), MPI_COMM_WORLD, log);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      const auto records = results(study);
      ASSERT_EQ(records.size(), 2u);
      EXPECT_TRUE(records[0].boolean("failed"));
      EXPECT_NE(records[0].string("failure").find("Newton did not converge in 1 iterations"),
                std::string::npos)
          << records[0].string("failure");
      EXPECT_FALSE(records[1].boolean("failed")) << records[1].string("failure");
      EXPECT_NE(log.str().find("FAILED"), std::string::npos) << log.str();
      EXPECT_NE(log.str().find("1 failed"), std::string::npos) << log.str();
    }
}

TEST(Ensemble, BadStudiesAreOneLineErrors)
{
  const std::string directory = test_support::temporary_directory("ensemble_errors");
  const auto        error     = [&](const std::string &settings, const unsigned int ranks = 1) {
    return ensemble_error(study_file(directory, settings), ranks);
  };
  EXPECT_EQ(error("set Classes = Material/Microstructure/Porosty: 0.1"),
            directory + "/study.prm: Study/Classes: 'Material/Microstructure/Porosty' is not a "
                        "weaklink parameter");
  EXPECT_EQ(error("set Classes = Material/Microstructure/Porosity 0.1"),
            directory + "/study.prm: Study/Classes: 'Material/Microstructure/Porosity 0.1' is "
                        "not 'parameter path: value, value, ...'");
  EXPECT_NE(error("set Classes = Material/Microstructure/Porosity: 0.1, 0.9")
                .find("value '0.9' of 'Material/Microstructure/Porosity' is not valid"),
            std::string::npos);
  EXPECT_EQ(error("set Sampler = random"),
            directory + "/study.prm: Study/Sampler 'random' needs Study/Ranges ('path: low, "
                        "high; ...')");
  EXPECT_EQ(error("set Ranges = Material/Microstructure/Porosity: 0.02, 0.1"),
            directory + "/study.prm: Study/Ranges is set but Study/Sampler is 'grid'; choose "
                        "'latin hypercube' or 'random'");
  EXPECT_EQ(error("set Sampler = random\nset Ranges = Material/Microstructure/Porosity: 0.1, 0.02"),
            directory + "/study.prm: Study/Ranges: 'Material/Microstructure/Porosity' has low 0.1 "
                        "not below high 0.02");
  EXPECT_EQ(error("set Sampler = random\nset Ranges = Material/Microstructure/Porosity: 0.1"),
            directory + "/study.prm: Study/Ranges: 'Material/Microstructure/Porosity' needs two "
                        "numbers 'low, high'");
  EXPECT_EQ(error("set Classes = Material/Microstructure/Porosity: 0.1\nset Sampler = random\n"
                  "set Ranges = Material/Microstructure/Porosity: 0.01, 0.2"),
            directory + "/study.prm: Study/Classes and Ranges name "
                        "'Material/Microstructure/Porosity' twice");
  EXPECT_NE(error("set Sampler = random\nset Ranges = Material/Microstructure/Porosity: 0.1, 0.9")
                .find("is not valid"),
            std::string::npos);
  EXPECT_EQ(error("set Samples per class = 1", 3),
            "--ranks-per-sample 3 does not divide the " +
                std::to_string(dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD)) +
                " MPI ranks");
  // Another study into a directory that holds one is refused.
  const std::string out =
      "set Output directory = " + directory + "/out\nset Samples per class = 1\n";
  EXPECT_EQ(error(out), "no error");
  EXPECT_EQ(error(out + "set First seed = 7"),
            "Study/Output directory '" + directory +
                "/out' holds the results of another study (study_definition.txt differs); "
                "remove it or choose another directory");
}
