// A uniform Li|SE|Li cell with Butler–Volmer kinetics at both electrodes
// and electronic leakage, against its closed form (MODEL.md §7):
//   V = i_ion L / σ_ion + η_c(i_ion) + η_a(i_ion),  i_app = i_ion + σ_e V / L,
// where for α_a = α_c = 1/2 each interface gives η = (2RT/F) asinh(i/(2 i0)).
#include <weaklink/physics/butler_volmer.h>

#include <gtest/gtest.h>

#include "test_support.h"

#include <cmath>

using namespace weaklink;

namespace
{
  constexpr double thickness = 1.2e-4, sigma_ion = 0.05, sigma_e = 2e-5, i0 = 7.0;

  /** |η| at which the interface carries current density i (bisection on Butler–Volmer). */
  double overpotential_for(const ButlerVolmer &bv, const double i, const bool plating)
  {
    double low = 0, high = 1;
    for (int k = 0; k < 200; ++k)
      {
        const double mid           = 0.5 * (low + high);
        const double current       = plating ? bv.current(-mid) : -bv.current(mid);
        (current < i ? low : high) = mid;
      }
    return 0.5 * (low + high);
  }

  /** Cell voltage and ionic current for applied current i_app, by bisection on i_ion. */
  std::pair<double, double> exact_cell(const ButlerVolmer &bv, const double i_app)
  {
    const auto voltage = [&](const double i_ion) {
      return i_ion * thickness / sigma_ion + overpotential_for(bv, i_ion, true) +
             overpotential_for(bv, i_ion, false);
    };
    double low = 0, high = i_app;
    for (int k = 0; k < 200; ++k)
      {
        const double mid                                                = 0.5 * (low + high);
        (mid + sigma_e * voltage(mid) / thickness < i_app ? low : high) = mid;
      }
    const double i_ion = 0.5 * (low + high);
    return {voltage(i_ion), i_ion};
  }

  std::string cell_case(const int dim, const std::string &control, const double alpha_a,
                        const double alpha_c)
  {
    return "set Dimension = " + std::to_string(dim) + R"(
      subsection Geometry
        set Width = 6e-5
        set Depth = 6e-5
        set Thickness = 1.2e-4
        set Coarse cells across thickness = 2
      end
      subsection Mesh refinement
        set Initial global refinement = 2
      end
      subsection Newton
        set Absolute tolerance = 1e-12
      end
      subsection Linear solver
        set Relative tolerance = 1e-10
      end
      subsection Material
        subsection Matrix
          set Ionic conductivity = 0.05
          set Electronic conductivity = 2e-5
        end
      end
      subsection Electrochemistry
        set Control = )" +
           control + R"(
        set Applied current density = 10 + 5 * t
        set Applied voltage = %VOLTAGE%
        set Exchange current density = 7
        set Anodic transfer coefficient = )" +
           std::to_string(alpha_a) + R"(
        set Cathodic transfer coefficient = )" +
           std::to_string(alpha_c) + R"(
        set Temperature = 310
      end
    )";
  }

  ButlerVolmer kinetics(const double alpha_a, const double alpha_c)
  {
    return ButlerVolmer{i0, alpha_a, alpha_c, 310, 1.3e-5};
  }

  template <int dim> StatisticsEntries solve(const std::string &text, const double time)
  {
    test_support::Case case_(text);
    auto               simulator = case_.make_simulator<dim>();
    simulator->setup();
    simulator->solve_step(time, 1.0);
    return simulator->get_modules()[0]->postprocess(simulator->get_solution(), time);
  }

  double entry(const StatisticsEntries &entries, const std::string &name)
  {
    for (const auto &[key, value] : entries)
      if (key == name)
        return value;
    ADD_FAILURE() << "no statistics entry " << name;
    return 0;
  }
} // namespace

TEST(ButlerVolmerCell, SymmetricClosedForm)
{
  // The bisection reproduces the asinh closed form for α = 1/2.
  const ButlerVolmer bv = kinetics(0.5, 0.5);
  const double       eta =
      2 * constants::gas_constant * 310 / constants::faraday * std::asinh(10 / (2 * i0));
  EXPECT_NEAR(overpotential_for(bv, 10, true), eta, 1e-13);
}

TEST(ButlerVolmerCell, Galvanostatic2DAnd3D)
{
  for (const auto &[alpha_a, alpha_c] : {std::make_pair(0.5, 0.5), std::make_pair(0.3, 0.7)})
    {
      const double t              = 2.0; // i_app = 20 A/m^2
      const auto [voltage, ionic] = exact_cell(kinetics(alpha_a, alpha_c), 20.0);
      std::string text2           = cell_case(2, "galvanostatic", alpha_a, alpha_c);
      std::string text3           = cell_case(3, "galvanostatic", alpha_a, alpha_c);
      for (auto *text : {&text2, &text3})
        text->replace(text->find("%VOLTAGE%"), 9, "0");
      const auto result2 = solve<2>(text2, t);
      const auto result3 = solve<3>(text3, t);
      for (const auto &result : {result2, result3})
        {
          EXPECT_LT(std::abs(entry(result, "V [V]") - voltage) / voltage, 1e-6)
              << "V = " << entry(result, "V [V]") << ", exact " << voltage;
          EXPECT_LT(std::abs(entry(result, "i_plating [A/m2]") - ionic) / ionic, 1e-6);
          EXPECT_LT(std::abs(entry(result, "i_stripping [A/m2]") - ionic) / ionic, 1e-6);
          EXPECT_NEAR(entry(result, "electronic_fraction"), (20.0 - ionic) / 20.0, 1e-6);
        }
    }
}

TEST(ButlerVolmerCell, PotentiostaticInvertsGalvanostatic)
{
  const auto [voltage, ionic] = exact_cell(kinetics(0.3, 0.7), 20.0);
  std::string        text     = cell_case(2, "potentiostatic", 0.3, 0.7);
  std::ostringstream v;
  v.precision(17);
  v << voltage;
  text.replace(text.find("%VOLTAGE%"), 9, v.str());
  const auto result = solve<2>(text, 2.0);
  EXPECT_LT(std::abs(entry(result, "i_applied [A/m2]") - 20.0) / 20.0, 1e-6)
      << entry(result, "i_applied [A/m2]");
  EXPECT_LT(std::abs(entry(result, "i_plating [A/m2]") - ionic) / ionic, 1e-6);
  EXPECT_NEAR(entry(result, "V [V]"), voltage, 1e-12);
}
