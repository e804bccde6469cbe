// Termination criteria (TerminationCriteria): End time landed on exactly, the
// step limit, the wall clock stopping a run with a checkpoint that a resumed
// run continues exactly, the crack front, and the one-line errors of an
// impossible choice.
#include <gtest/gtest.h>

#include <weaklink/core/json.h>

#include "test_support.h"

#include <cmath>
#include <fstream>

using namespace weaklink;

namespace
{
  /** The small cell: electrochemistry on a 2D box with a pore, under a rising current. */
  std::string cell(const std::string &directory, const std::string &extra)
  {
    return R"(
      set Dimension = 2
      subsection Geometry
        set Width = 1e-4
        set Thickness = 1e-4
        set Coarse cells across thickness = 2
      end
      subsection Mesh refinement
        set Initial global refinement = 3
      end
      subsection Material
        set Type = inclusions
        subsection Inclusions
          set Centers = 3e-5,4e-5
          set Radius = 1.2e-5
          set Ionic conductivity = 1e-6
          set Electronic conductivity = 1e-9
        end
      end
      subsection Electrochemistry
        set Applied current density = 5 + 0.02 * t
      end
      subsection Time stepping
        set End time = 610
        set Initial time step = 40
        set Maximum time step = 100
      end
      subsection Newton
        set Absolute tolerance = 1e-11
      end
      subsection Output
        set Directory = )" +
           directory + R"(
        set Field output interval = 0
        set Write fields at end = false
      end
    )" + extra;
  }

  struct Finished
  {
    RunSummary summary;
    Statistics statistics;
  };

  Finished run(const std::string &text)
  {
    test_support::Case case_(text);
    auto               simulator = case_.make_simulator<2>();
    const RunSummary   summary   = simulator->run();
    return {summary, simulator->statistics()};
  }

  std::string input_error(const std::string &text)
  {
    try
      {
        test_support::Case case_(text);
        case_.make_simulator<2>();
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "no error";
  }
} // namespace

TEST(Termination, EndTimeIsLandedOnExactlyAndStepLimitStops)
{
  const Finished whole = run(cell(test_support::temporary_directory("end_time"), ""));
  EXPECT_EQ(whole.summary.stopped_by, "end time");
  EXPECT_EQ(whole.summary.reason, "reached Time stepping/End time = 610 s");
  EXPECT_EQ(whole.statistics.last("time [s]"), 610.0);
  EXPECT_TRUE(whole.summary.completed);
  EXPECT_TRUE(whole.summary.censored()); // no lithium, no short
  EXPECT_TRUE(std::isnan(whole.summary.ccd));

  const Finished limited = run(cell(test_support::temporary_directory("step_limit"), R"(
    subsection Time stepping
      set Maximum number of steps = 3
    end
  )"));
  EXPECT_EQ(limited.summary.stopped_by, "step limit");
  EXPECT_EQ(limited.summary.steps, 3u);
  EXPECT_EQ(limited.statistics.rows().size(), 4u);
}

TEST(Termination, WallClockStopsWithACheckpointAndTheResumedRunContinuesExactly)
{
  // A checkpoint drops the stored factors: the uninterrupted run writes the
  // same ones so that both make the same solver choices.
  const std::string every_step = R"(
    subsection Output
      set Checkpoint interval steps = 1
    end
  )";
  const Finished    whole =
      run(cell(test_support::temporary_directory("wall_clock_whole"), every_step));

  const std::string directory = test_support::temporary_directory("wall_clock");
  const Finished    stopped   = run(cell(directory, every_step + R"(
    subsection Termination
      set Criteria = end time, wall clock
      set Wall clock limit = 1e-9
    end
  )"));
  EXPECT_EQ(stopped.summary.stopped_by, "wall clock");
  EXPECT_FALSE(stopped.summary.completed);
  EXPECT_EQ(stopped.summary.steps, 1u);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_FALSE(JsonRecord::read(directory + "/summary.json").boolean("completed"));
    }

  // Termination may change on resume: the case is the same.
  const Finished resumed = run(cell(directory, every_step + R"(
    subsection Output
      set Resume = true
    end
  )"));
  EXPECT_EQ(resumed.summary.stopped_by, "end time");
  const auto &a = whole.statistics.rows();
  const auto &b = resumed.statistics.rows();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k)
    for (const auto &[column, value] : a[k])
      // Wall time, and the Krylov iterations and final residual, which are
      // rounding noise that differs between runs on 2 ranks.
      if (column != "wall_time [s]" && column != "linear_iterations" && column != "residual")
        {
          EXPECT_NEAR(Statistics::value(b[k], column), value, 1e-9 * (std::abs(value) + 1e-30))
              << column << " at row " << k;
        }
}

TEST(Termination, AStepLimitLeavesACheckpointAtTheLastStepToGoOnFrom)
{
  // Checkpoints every 2 steps, stopped by the step limit after step 3: the run
  // leaves its last step in a checkpoint, and resumed without the limit it
  // ends where the uninterrupted run does, through the same time steps.
  const std::string every_other = R"(
    subsection Output
      set Checkpoint interval steps = 2
    end
  )";
  const Finished    whole =
      run(cell(test_support::temporary_directory("step_limit_whole"), every_other));

  const std::string directory = test_support::temporary_directory("step_limit_checkpoint");
  const Finished    limited   = run(cell(directory, every_other + R"(
    subsection Time stepping
      set Maximum number of steps = 3
    end
  )"));
  EXPECT_EQ(limited.summary.stopped_by, "step limit");
  {
    // weaklink-checkpoint 5, then: dimension, time, time step, step, ...
    std::ifstream state(directory + "/checkpoint/state.txt");
    std::string   magic;
    unsigned int  version = 0, dimension = 0, step = 0;
    double        time = 0, time_step = 0;
    state >> magic >> version >> dimension >> time >> time_step >> step;
    EXPECT_EQ(step, 3u) << "the checkpoint should hold the last step";
  }
  const Finished resumed = run(cell(directory, every_other + R"(
    subsection Output
      set Resume = true
    end
  )"));
  EXPECT_EQ(resumed.summary.stopped_by, "end time");
  const auto steps       = resumed.statistics.column("step");
  const auto times       = resumed.statistics.column("time [s]");
  const auto whole_times = whole.statistics.column("time [s]");
  // Resumed at step 3, not redoing it from the checkpoint of step 2.
  ASSERT_GE(steps.size(), 5u);
  EXPECT_EQ(steps[3], 3.0);
  EXPECT_EQ(steps[4], 4.0);
  ASSERT_EQ(times.size(), whole_times.size());
  for (std::size_t k = 0; k < times.size(); ++k)
    EXPECT_NEAR(times[k], whole_times[k], 1e-9 * whole_times[k]) << "row " << k;
  EXPECT_NEAR(resumed.statistics.last("V [V]"), whole.statistics.last("V [V]"),
              1e-9 * std::abs(whole.statistics.last("V [V]")));
}

TEST(Termination, CrackFrontStopsWhereTheCrackHasGotFarEnough)
{
  // A crack (d = 1, one cell wide) from the plating electrode up to 10 µm of
  // a 20 µm separator, no lithium: the crack front is 10 µm from t = 0.
  const auto crack_case = [](const std::string &stem, const std::string &distance) {
    return R"(
      set Dimension = 2
      subsection Physics
        set Modules = lithium, fracture
      end
      subsection Geometry
        set Width = 1e-5
        set Thickness = 2e-5
        set Coarse cells across thickness = 4
      end
      subsection Mesh refinement
        set Initial global refinement = 2
        set Maximum level = 2
      end
      subsection Fracture
        set Initial damage = (x < 1.3e-6 && y < 1.01e-5) ? 1 : 0
        set Length scale = 1e-6
      end
      subsection Termination
        set Criteria = crack front, end time
        set Crack front distance = )" +
           distance + R"(
      end
      subsection Time stepping
        set End time = 2
        set Initial time step = 1
      end
      subsection Output
        set Directory = )" +
           test_support::temporary_directory(stem) + R"(
        set Field output interval = 0
        set Write fields at end = false
      end
    )";
  };
  const Finished past = run(crack_case("crack_front_past", "9e-6"));
  EXPECT_EQ(past.summary.stopped_by, "crack front");
  EXPECT_EQ(past.summary.steps, 0u);
  EXPECT_EQ(past.summary.reason, "the crack front reached 1e-05 m from the plating electrode "
                                 "(Termination/Crack front distance = 9e-06 m)");
  EXPECT_TRUE(past.summary.censored()); // a crack is not a short

  const Finished short_of = run(crack_case("crack_front_short_of", "1.1e-5"));
  EXPECT_EQ(short_of.summary.stopped_by, "end time");
  EXPECT_NEAR(short_of.statistics.last("crack_front [m]"), 1e-5, 1e-15);
}

TEST(Termination, ImpossibleChoicesAreOneLineErrors)
{
  const std::string directory = test_support::temporary_directory("termination_errors");
  EXPECT_EQ(
      input_error(cell(directory, "subsection Termination\nset Criteria = wall clock\nend\n")),
      "Termination/Criteria lists 'wall clock' but Termination/Wall clock limit is 0: give "
      "it in minutes");
  EXPECT_EQ(
      input_error(cell(directory, "subsection Termination\nset Criteria = crack front\nend\n")),
      "Termination/Criteria lists 'crack front' but Termination/Crack front distance is 0: give "
      "it in m");
  EXPECT_EQ(input_error(cell(directory, "subsection Termination\nset Criteria = crack "
                                        "front\nset Crack front distance = 1e-5\nend\n")),
            "Termination/Criteria lists 'crack front', which the short-circuit monitor measures: "
            "it needs the lithium module in Physics/Modules");
  EXPECT_EQ(input_error(cell(directory, "subsection Termination\nset Criteria =\nend\n")),
            "Termination/Criteria is empty: the run would never stop");
  const std::string old = input_error(cell(directory, "subsection Short circuit\nset Stop at "
                                                      "short = false\nend\n"));
  EXPECT_NE(old.find("parameter 'Short circuit/Stop at short' was replaced by "
                     "'Termination/Criteria'"),
            std::string::npos)
      << old;
}
