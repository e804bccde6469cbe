// A Newton failure cuts the time step and says why; the run then recovers.
// When the step would fall below the minimum, the run stops with a one-line
// error and exit code 3.
#include <weaklink/app/application.h>

#include <gtest/gtest.h>

#include "test_support.h"

#include <filesystem>
#include <fstream>

using namespace weaklink;

namespace
{
  struct Outcome
  {
    int         status;
    std::string out, err, directory;
  };

  Outcome run_ramp(const double minimum_step)
  {
    const std::string directory = test_support::temporary_directory("time-step");
    const std::string prm       = directory + "/case.prm";
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::ofstream(prm) << R"(
        subsection Output
          set Directory = )"
                         << directory << R"(/out
          set Field output interval = 0
          set Write fields at end = false
        end
        subsection Time stepping
          set End time = 10
          set Initial time step = 10
          set Minimum time step = )"
                         << minimum_step << R"(
        end
        subsection Newton
          # Too few for the full current jump in one step.
          set Maximum iterations = 3
        end
        subsection Geometry
          set Coarse cells across thickness = 2
        end
        subsection Electrochemistry
          set Applied current density = 400 * t / 10
          set Exchange current density = 1
        end
      )";
    MPI_Barrier(MPI_COMM_WORLD);
    std::ostringstream out, err;
    const int          status = run_application({prm}, MPI_COMM_WORLD, out, err);
    return {status, out.str(), err.str(), directory};
  }
} // namespace

TEST(TimeStepControl, NewtonFailureCutsTheStep)
{
  const Outcome outcome = run_ramp(1e-3);
  ASSERT_EQ(outcome.status, 0) << outcome.err;
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_NE(outcome.out.find("failed: Newton did not converge in 3 iterations"),
                std::string::npos)
          << outcome.out;
      EXPECT_NE(outcome.out.find("cutting dt to 5 s"), std::string::npos) << outcome.out;
      EXPECT_NE(outcome.out.find("stopped at t = 10 s"), std::string::npos) << outcome.out;
      std::ifstream csv(outcome.directory + "/out/statistics.csv");
      std::string   line, last;
      int           rows = 0;
      while (std::getline(csv, line))
        last = line, ++rows;
      EXPECT_GT(rows, 3) << "the cut steps must add rows";
      std::filesystem::remove_all(outcome.directory);
    }
}

TEST(TimeStepControl, StepBelowMinimumStopsTheRun)
{
  const Outcome outcome = run_ramp(4.0);
  EXPECT_EQ(outcome.status, 3);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_NE(outcome.err.find("fell below Time stepping/Minimum time step"), std::string::npos)
          << outcome.err;
      EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
      std::filesystem::remove_all(outcome.directory);
    }
}
