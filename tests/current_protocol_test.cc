// Current protocols (CurrentProtocol) and the runs they drive: stage currents
// and breakpoints of the CCD ramp, cycling and constant current; the time
// loop landing on every breakpoint; and a cell whose short is known in
// advance — lithium filling a porous separator as a flat front at the
// Faradaic rate Ω i/F — giving the right CCD, lifetime and censoring.
#include <gtest/gtest.h>

#include <weaklink/core/json.h>
#include <weaklink/physics/current_protocol.h>

#include "test_support.h"

#include <cmath>
#include <limits>

using namespace weaklink;

namespace
{
  CurrentProtocol protocol_from(const std::string &settings)
  {
    test_support::Case case_("subsection Protocol\n" + settings + "\nend\n");
    return CurrentProtocol(case_.prm);
  }

  const std::string ramp_settings = R"(
    set Type = CCD ramp
    set Initial current density = 10
    set Current increment = 10
    set Final current density = 100
    set Charge per step = 2e4
  )";
} // namespace

TEST(CurrentProtocol, RampStagesHoldTheirChargeAndIncludeTheirEnd)
{
  const CurrentProtocol ramp = protocol_from(ramp_settings);
  ASSERT_EQ(ramp.breakpoints().size(), 10u); // 10, 20, ..., 100 A/m²
  double end = 0;
  for (unsigned int k = 0; k < 10; ++k)
    {
      const double current = 10.0 * (k + 1);
      const double start   = end;
      end += 2e4 / current;
      EXPECT_NEAR(ramp.breakpoints()[k], end, 1e-9 * end);
      // (start, end]: the step that ends on the breakpoint belongs to the stage.
      EXPECT_EQ(ramp.current_density(0.5 * (start + end)), current);
      EXPECT_EQ(ramp.current_density(ramp.breakpoints()[k]), current);
      EXPECT_EQ(ramp.stage(ramp.breakpoints()[k]), k);
      EXPECT_NEAR(ramp.charge_passed(ramp.breakpoints()[k]), 2e4 * (k + 1), 1e-9 * 2e4);
      EXPECT_EQ(ramp.next_breakpoint(start), ramp.breakpoints()[k]);
    }
  EXPECT_EQ(ramp.current_density(0), 10.0);
  EXPECT_EQ(ramp.end_time(), ramp.breakpoints().back());
  EXPECT_TRUE(std::isinf(ramp.next_breakpoint(ramp.end_time())));
  // After its end the last current holds.
  EXPECT_EQ(ramp.current_density(2 * ramp.end_time()), 100.0);
  EXPECT_EQ(ramp.name(), "CCD ramp");
}

TEST(CurrentProtocol, CyclingAlternatesPlatingAndStrippingAndConstantCurrentNeverEnds)
{
  const CurrentProtocol cycling = protocol_from(R"(
    set Type = cycling
    set Current density = 5
    set Charge per half cycle = 100
    set Number of cycles = 3
  )");
  ASSERT_EQ(cycling.breakpoints().size(), 6u);
  for (unsigned int k = 0; k < 6; ++k)
    {
      EXPECT_DOUBLE_EQ(cycling.breakpoints()[k], 20.0 * (k + 1));
      EXPECT_EQ(cycling.current_density(20.0 * k + 10), k % 2 == 0 ? 5.0 : -5.0);
    }
  EXPECT_NEAR(cycling.charge_passed(20), 100, 1e-12);
  EXPECT_NEAR(cycling.charge_passed(40), 0, 1e-12);
  EXPECT_NEAR(cycling.charge_passed(50), 50, 1e-12);

  const CurrentProtocol constant = protocol_from("set Type = constant current\n"
                                                 "set Current density = 7");
  EXPECT_TRUE(constant.breakpoints().empty());
  EXPECT_TRUE(std::isinf(constant.end_time()));
  EXPECT_EQ(constant.current_density(1e9), 7.0);
  EXPECT_NEAR(constant.charge_passed(3), 21, 1e-12);

  EXPECT_FALSE(protocol_from("set Type = expression").sets_current());
}

TEST(CurrentProtocol, InconsistentSettingsAreOneLineErrors)
{
  const auto message = [](const std::string &settings) {
    try
      {
        protocol_from(settings);
      }
    catch (const InputError &error)
      {
        return std::string(error.what());
      }
    return std::string("no error");
  };
  EXPECT_EQ(message("set Type = CCD ramp\nset Final current density = 0.5"),
            "Protocol/Final current density 0.5 A/m^2 is below Protocol/Initial current "
            "density 1 A/m^2");
  EXPECT_EQ(message("set Type = CCD ramp\nset Current increment = 0"),
            "Protocol/Current increment must be positive for Protocol/Type = CCD ramp");
  EXPECT_EQ(message("set Type = cycling\nset Current density = 0"),
            "Protocol/Current density must be positive for Protocol/Type = cycling");
  EXPECT_EQ(message("set Type = CCD ramp\nset Current increment = 1e-6"),
            "Protocol: the CCD ramp has more than 100000 stages; raise Protocol/Current "
            "increment");
}

namespace
{
  /**
   * A 10 × 20 µm separator that is porous throughout (h = 1.25 µm), lithium
   * filling it up to 5 µm: plating moves a flat metal front up at Ω i/F,
   * which reaches the counter electrode after Q = 15 µm F/Ω = 1.113e5 C/m².
   * S2 (electrons tunnelling through the last partly filled cell) comes up
   * to one cell earlier: at a charge in [1.04e5, 1.113e5] C/m².
   */
  std::string porous_separator(const std::string &protocol, const std::string &directory)
  {
    return R"(
      set Dimension = 2
      subsection Physics
        set Modules = electrochemistry, lithium
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
          set Phase = 3
          set Ionic conductivity = 0.05
          set Electronic conductivity = 1e-6
          set Deposition area density = 1e7
          set Reference electronic conductivity = 1e-6
        end
      end
      subsection Lithium
        set Initial filling = y < 5e-6 ? 1 : 0
        set Electronic conductivity = 100
      end
      subsection Protocol
        )" +
           protocol + R"(
      end
      subsection Time stepping
        set End time = 1e6
        set Initial time step = 100
        set Maximum time step = 400
      end
      subsection Output
        set Directory = )" +
           directory + R"(
        set Field output interval = 0
        set Write fields at end = false
      end
    )";
  }

  const double full_charge   = 15e-6 * constants::faraday / 1.30e-5; // front at Γs
  const double one_cell_less = 13.75e-6 * constants::faraday / 1.30e-5;

  struct ProtocolRun
  {
    RunSummary      summary;
    Statistics      statistics;
    CurrentProtocol protocol;
    std::string     directory;
  };

  ProtocolRun run_protocol(const std::string &protocol, const std::string &stem)
  {
    const std::string  directory = test_support::temporary_directory(stem);
    test_support::Case case_(porous_separator(protocol, directory));
    auto               simulator = case_.make_simulator<2>();
    const RunSummary   summary   = simulator->run();
    return {summary, simulator->statistics(), CurrentProtocol(case_.prm), directory};
  }
} // namespace

TEST(Protocol, RampLandsOnEveryStageAndShortsInTheStageOfTheFaradaicCharge)
{
  const ProtocolRun run      = run_protocol(ramp_settings, "protocol_ramp");
  const auto        times    = run.statistics.column("time [s]");
  const auto        currents = run.statistics.column("i_applied [A/m2]");
  // Every breakpoint before the short is the end of a step, to the last bit.
  for (const double breakpoint : run.protocol.breakpoints())
    if (breakpoint < times.back())
      {
        EXPECT_NE(std::find(times.begin(), times.end(), breakpoint), times.end())
            << "no step ends at " << breakpoint << " s";
      }
  for (std::size_t k = 1; k < times.size(); ++k)
    EXPECT_EQ(currents[k], run.protocol.current_density(times[k])) << "t = " << times[k];
  // The charge the short-circuit monitor integrates is the protocol's.
  EXPECT_NEAR(run.statistics.last("charge_passed [C/m2]"), run.protocol.charge_passed(times.back()),
              1e-9 * full_charge);

  ASSERT_TRUE(run.summary.short_circuit.has_value());
  EXPECT_FALSE(run.summary.censored());
  EXPECT_EQ(run.summary.stopped_by, "short circuit");
  // The short is found at the end of the step in which the front reaches
  // Γs (a step passes about 1e4 C/m² here, more than the last cell needs):
  // the step began before the Faradaic charge of the whole layer.
  const auto charges = run.statistics.column("charge_passed [C/m2]");
  ASSERT_GE(charges.size(), 2u);
  EXPECT_GT(run.summary.charge_passed, one_cell_less);
  EXPECT_LT(charges[charges.size() - 2], full_charge);
  // Nor has more passed than the layer holds: full, and compressed by at
  // most the largest pressure at the short (K_Li = 1.09e10 Pa).
  const double compression = run.statistics.last("max_lithium_pressure [Pa]") / 1.09e10;
  EXPECT_LE(run.summary.charge_passed, full_charge * (1 + compression));
  // 1.04e5–1.113e5 C/m² at 2e4 C/m² per stage: the sixth stage, 60 A/m².
  EXPECT_EQ(run.summary.protocol_stage, 5u);
  EXPECT_EQ(run.summary.ccd, 60.0);
  EXPECT_EQ(run.summary.current_density, 60.0);

  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      const JsonRecord written = JsonRecord::read(run.directory + "/summary.json");
      EXPECT_EQ(written.number("ccd [mA/cm2]"), 6.0);
      EXPECT_EQ(written.boolean("censored"), false);
      EXPECT_EQ(written.string("protocol"), "CCD ramp");
    }
}

TEST(Protocol, ConstantCurrentLifetimeIsTheFaradaicTime)
{
  const ProtocolRun run = run_protocol("set Type = constant current\n"
                                       "set Current density = 20",
                                       "protocol_constant");
  ASSERT_TRUE(run.summary.short_circuit.has_value());
  EXPECT_GT(run.summary.lifetime, one_cell_less / 20);
  EXPECT_LE(run.summary.lifetime, full_charge / 20);
  EXPECT_NEAR(run.summary.charge_passed, 20 * run.summary.lifetime, 1e-9 * full_charge);
  EXPECT_TRUE(std::isnan(run.summary.ccd));
}

TEST(Protocol, ARampThatEndsBeforeTheShortIsRightCensoredAtItsLastCurrent)
{
  // Three stages of 2e4 C/m²: 6e4 C/m² is not enough to reach Γs.
  const ProtocolRun run = run_protocol(R"(
    set Type = CCD ramp
    set Initial current density = 10
    set Current increment = 10
    set Final current density = 30
    set Charge per step = 2e4
  )",
                                       "protocol_censored");
  EXPECT_FALSE(run.summary.short_circuit.has_value());
  EXPECT_TRUE(run.summary.censored());
  EXPECT_EQ(run.summary.stopped_by, "end of protocol");
  EXPECT_EQ(run.summary.time, run.protocol.end_time());
  EXPECT_EQ(run.summary.ccd, 30.0);
  EXPECT_NEAR(run.summary.charge_passed, 6e4, 1e-9 * 6e4);
}

TEST(Protocol, NeedsAGalvanostaticElectrochemistryModule)
{
  const auto message = [](const std::string &text) {
    try
      {
        test_support::Case case_(text);
        auto               simulator = case_.make_simulator<2>();
        simulator->validate();
      }
    catch (const InputError &error)
      {
        return std::string(error.what());
      }
    return std::string("no error");
  };
  const std::string ramp = "subsection Protocol\nset Type = CCD ramp\nend\n";
  EXPECT_EQ(message(ramp + "subsection Physics\nset Modules = fracture\nend\n"),
            "Protocol/Type = CCD ramp sets the applied current: it needs the electrochemistry "
            "module in Physics/Modules");
  EXPECT_EQ(message(ramp + "subsection Electrochemistry\nset Control = potentiostatic\nend\n"),
            "Protocol/Type = CCD ramp sets the current: it needs Electrochemistry/Control = "
            "galvanostatic");
}
