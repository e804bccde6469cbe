// Short-circuit detection and the crack and lithium topology per step
// (ShortCircuitMonitor): S1 on a lithium column that spans the separator, no
// short across a gap, isolated clusters, and a dry crack that spans the
// separator without lithium, which is not a short. The same on 1, 2 and 4 ranks.
#include <gtest/gtest.h>

#include "test_support.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

using namespace weaklink;

namespace
{
  /**
   * A 10 x 20 µm separator of 8 x 16 cells (1.25 µm) with a pore channel
   * two cells wide across it (x in [3.75, 6.25] µm) and a pore blob
   * (x in [7.5, 8.75], y in [10, 12.5] µm); lithium fills where @p content says.
   */
  std::string channel_case(const std::string &modules, const std::string &content,
                           const std::string &directory)
  {
    return R"(
      set Dimension = 2
      subsection Physics
        set Modules = )" +
           modules + R"(
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
      subsection Material
        set Type = function
        subsection Function
          set Phase = (abs(x - 5e-6) < 1.25e-6 || (x > 7.5e-6 && x < 8.75e-6 && y > 1e-5 && y < 1.25e-5)) ? 3 : 0
        end
      end
      subsection Lithium
        set Initial filling = )" +
           content + R"(
      end
      subsection Time stepping
        set End time = 2
        set Initial time step = 1
      end
      subsection Output
        set Directory = )" +
           directory + R"(
        set Field output interval = 0
        set Write fields at end = false
      end
    )";
  }

  std::string read_file(const std::string &path)
  {
    std::ifstream      in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Lithium content is nodal (Q1): these cover the nodes on the edges of the
  // pore cells, so that the cells are filled throughout.
  const std::string in_channel = "abs(x - 5e-6) < 1.3e-6";
  const std::string in_blob    = "(x > 7.4e-6 && x < 8.8e-6 && y > 0.99e-5 && y < 1.26e-5)";
} // namespace

TEST(ShortCircuit, LithiumColumnAcrossTheSeparatorIsS1AndEndsTheRun)
{
  const std::string  directory = test_support::temporary_directory("short_column");
  test_support::Case case_(channel_case("lithium", "(" + in_channel + ") ? 1 : 0", directory));
  auto               simulator = case_.make_simulator<2>();
  simulator->run();

  const auto event = simulator->short_circuit();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->criterion, "S1");
  EXPECT_EQ(event->cluster_cells, 32u); // 2 x 16 cells
  EXPECT_NEAR(event->cluster_volume, 2.5e-6 * 2e-5, 1e-20);
  EXPECT_EQ(event->step, 0u);
  // Stopped at the state of t = 0: no time step was taken.
  EXPECT_EQ(simulator->statistics().rows().size(), 1u);
  EXPECT_EQ(simulator->statistics().last("short_circuit"), 1.0);
  EXPECT_NEAR(simulator->statistics().last("lithium_front [m]"), 2e-5, 1e-15);
  EXPECT_NEAR(simulator->statistics().last("largest_metallic_span [m]"), 2e-5, 1e-15);
  // The log and the summary are written by rank 0.
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_NE(case_.log.str().find("SHORT CIRCUIT (S1) at t = 0 s"), std::string::npos)
          << case_.log.str();
      const std::string summary = read_file(directory + "/summary.json");
      EXPECT_NE(summary.find("\"shorted\": true"), std::string::npos) << summary;
      EXPECT_NE(summary.find("\"cluster_cells\": 32"), std::string::npos) << summary;
    }
}

TEST(ShortCircuit, GapInTheColumnMeansNoShortAndAnIsolatedClusterIsCounted)
{
  const std::string directory = test_support::temporary_directory("short_gap");
  // The channel is empty between y = 10 and 12.5 µm (nodes at 11.25 µm; the
  // two cells there are half full); the blob is full.
  test_support::Case case_(channel_case(
      "lithium",
      "((" + in_channel + " && (y < 1.01e-5 || y > 1.24e-5)) || " + in_blob + ") ? 1 : 0",
      directory));
  auto               simulator = case_.make_simulator<2>();
  simulator->run();

  EXPECT_FALSE(simulator->short_circuit().has_value());
  const Statistics &statistics = simulator->statistics();
  EXPECT_EQ(statistics.rows().size(), 3u); // t = 0, 1, 2
  EXPECT_EQ(statistics.last("short_circuit"), 0.0);
  EXPECT_EQ(statistics.last("metallic_clusters"), 3.0);
  EXPECT_EQ(statistics.last("isolated_lithium_clusters"), 1.0);
  EXPECT_NEAR(statistics.last("lithium_front [m]"), 1e-5, 1e-15);
  EXPECT_NEAR(statistics.last("largest_metallic_span [m]"), 1e-5, 1e-15);
  EXPECT_EQ(statistics.last("lithium_front_speed [m/s]"), 0.0);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_NE(case_.log.str().find("no short circuit up to t = 2 s"), std::string::npos);
      const std::string summary = read_file(directory + "/summary.json");
      EXPECT_NE(summary.find("\"shorted\": false"), std::string::npos) << summary;
      EXPECT_NE(summary.find("\"stopped_by\": \"end time\""), std::string::npos) << summary;
    }
}

TEST(ShortCircuit, DryCrackAcrossTheSeparatorIsNotAShort)
{
  // A crack (d = 1, one cell wide, x in [0, 1.25] µm) spans the separator,
  // lithium fills the channel's lower 5 µm only (the cell above is half full): the crack and the
  // channel do not touch, so there are two filaments; the crack's is dry all along.
  const std::string directory = test_support::temporary_directory("short_dry_crack");
  std::string       text =
      channel_case("lithium, fracture", "(" + in_channel + " && y < 5.01e-6) ? 1 : 0", directory);
  text += R"(
    subsection Fracture
      set Initial damage = x < 1.3e-6 ? 1 : 0
      set Length scale = 1e-6
    end
  )";
  test_support::Case case_(text);
  auto               simulator = case_.make_simulator<2>();
  simulator->run();

  EXPECT_FALSE(simulator->short_circuit().has_value());
  const Statistics &statistics = simulator->statistics();
  EXPECT_EQ(statistics.last("short_circuit"), 0.0);
  EXPECT_NEAR(statistics.last("crack_front [m]"), 2e-5, 1e-15);
  EXPECT_NEAR(statistics.last("lithium_front [m]"), 5e-6, 1e-15);
  EXPECT_NEAR(statistics.last("dry_crack_length [m]"), 2e-5, 1e-15);
  EXPECT_EQ(statistics.last("filaments"), 2.0);
  // Per filament: the crack (no lithium) and the lithium-filled channel (no crack).
  const auto crack_fronts   = simulator->filament_statistics().column("crack_front [m]");
  const auto lithium_fronts = simulator->filament_statistics().column("lithium_front [m]");
  ASSERT_EQ(crack_fronts.size(), 2u * statistics.rows().size());
  const std::size_t last = crack_fronts.size() - 2;
  EXPECT_NEAR(std::max(crack_fronts[last], crack_fronts[last + 1]), 2e-5, 1e-15);
  EXPECT_NEAR(std::max(lithium_fronts[last], lithium_fronts[last + 1]), 5e-6, 1e-15);
}

namespace
{
  struct FilamentRun
  {
    Statistics                  statistics;
    std::optional<ShortCircuit> event;
    std::string                 log;
  };

  /**
   * The channel filled up to @p top under 1 mA/cm^2, plating electrode at
   * the bottom and counter electrode at the top.
   */
  FilamentRun run_filament(const std::string &top, const std::string &stem)
  {
    test_support::Case case_(channel_case("electrochemistry, lithium",
                                          "(" + in_channel + " && y < " + top + ") ? 1 : 0",
                                          test_support::temporary_directory(stem)) +
                             R"(
      subsection Electrochemistry
        set Control = galvanostatic
        set Applied current density = 10
      end
    )");
    auto               simulator = case_.make_simulator<2>();
    simulator->run();
    return {simulator->statistics(), simulator->short_circuit(), case_.log.str()};
  }
} // namespace

TEST(ShortCircuit, FilamentTipWithinACellOfTheCounterElectrodeShortsElectronically)
{
  // The top row of nodes is empty: the cell below the counter electrode is
  // partly filled, and θ³σ_Li inside it already conducts far better than the
  // electrolyte. The face gradient at the counter electrode sees the
  // electrolyte's σ_e; the balance with the stripping current sees the short.
  const FilamentRun shorted = run_filament("1.9e-5", "short_tip");
  ASSERT_TRUE(shorted.event.has_value());
  EXPECT_EQ(shorted.event->criterion, "S2");
  EXPECT_GT(shorted.statistics.last("electronic_fraction_balance"), 0.9);
  EXPECT_LT(shorted.statistics.last("electronic_fraction"), 0.5);
  EXPECT_EQ(shorted.statistics.last("short_circuit"), 2.0);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      EXPECT_NE(shorted.log.find("SHORT CIRCUIT (S2)"), std::string::npos) << shorted.log;
    }

  // Three empty cells below the counter electrode: the current stays ionic
  // (with one, plating into the partly filled tip cell fills its upper nodes
  // within seconds and the short follows).
  const FilamentRun open = run_filament("1.51e-5", "short_tip_gap");
  EXPECT_FALSE(open.event.has_value());
  EXPECT_EQ(open.statistics.rows().size(), 3u);
  EXPECT_LT(open.statistics.last("electronic_fraction_balance"), 0.01);
}
