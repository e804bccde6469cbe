// A dilute insulating inclusion: the effective conductivity of a periodic
// array of disks against Maxwell-Garnett, σ_eff/σ = (1 - f)/(1 + f) in 2D
// (the exact periodic result differs by O(f^4), negligible here).
#include <weaklink/physics/butler_volmer.h>

#include <gtest/gtest.h>

#include "test_support.h"

#include <cmath>

using namespace weaklink;

TEST(MaxwellGarnett, InsulatingDiskIn2D)
{
  const double      width = 1e-4, sigma = 0.05, area_fraction = 0.02;
  const double      radius = width * std::sqrt(area_fraction / M_PI);
  const std::string text   = R"(
    subsection Output
      set Directory = )" + test_support::temporary_directory("maxwell-garnett") +
                           R"(
      set Field output interval = 0
      set Write fields at end = false
    end
    subsection Time stepping
      set End time = 0
    end
    subsection Geometry
      set Width = 1e-4
      set Thickness = 1e-4
      set Coarse cells across thickness = 1
    end
    subsection Mesh refinement
      set Initial global refinement = 4
      set Initial adaptive refinement = 5
      set Maximum level = 9
      set Use error estimator = false
      set Refine material interfaces = true
    end
    subsection Newton
      set Absolute tolerance = 1e-12
    end
    subsection Linear solver
      set Relative tolerance = 1e-10
    end
    subsection Material
      set Type = inclusions
      subsection Matrix
        set Ionic conductivity = 0.05
        set Electronic conductivity = 1e-12
      end
      subsection Inclusions
        set Centers = 5e-5, 5e-5
        set Radius = )" + std::to_string(radius) +
                           R"(
        set Ionic conductivity = 5e-8
        set Electronic conductivity = 1e-12
      end
    end
    subsection Electrochemistry
      set Applied current density = 10
      set Exchange current density = 1e4
    end
  )";
  test_support::Case case_(text);
  auto               simulator = case_.make_simulator<2>();
  simulator->run();
  const double voltage = simulator->statistics().last("V [V]");
  // Remove the (tiny, uniform-current) interface overpotentials exactly.
  const double eta =
      2 * constants::gas_constant * 298.15 / constants::faraday * std::asinh(10 / 2e4);
  const double ohmic           = voltage - 2 * eta;
  const double effective       = 10 * 1e-4 / ohmic / sigma;
  const double maxwell_garnett = (1 - area_fraction) / (1 + area_fraction);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::cout << "sigma_eff/sigma = " << effective << ", Maxwell-Garnett " << maxwell_garnett
              << ", relative deviation of (1 - sigma_eff/sigma): "
              << (effective - maxwell_garnett) / (1 - maxwell_garnett) << std::endl;
  EXPECT_LT(std::abs(effective - maxwell_garnett) / (1 - maxwell_garnett), 0.02);
}
