// Each module's analytic Jacobian against central finite differences of its
// residual, on interior cells and on cells touching both electrodes.
#include <gtest/gtest.h>

#include "test_support.h"

#include <random>

using namespace weaklink;

namespace
{
  const std::string electrochemistry_case = R"(
    subsection Geometry
      set Width = 1e-4
      set Thickness = 1e-4
      set Coarse cells across thickness = 2
    end
    subsection Mesh refinement
      set Initial global refinement = 1
    end
    subsection Material
      set Type = function
      subsection Function
        set Ionic conductivity = 0.05 * (1 + 0.5 * sin(4e4 * x))
        set Electronic conductivity = 1e-7 * (1 + y * 1e4)
        set Deposition area density = 2e4 * (1 + x * 1e4)
      end
    end
    subsection Electrochemistry
      set Control = %CONTROL%
      set Anodic transfer coefficient = 0.3
      set Cathodic transfer coefficient = 0.6
      set Finite element degree = %DEGREE%
    end
    subsection Coupling
      set Prescribed lithium pressure = 2e6 * (1 + y * 1e4)
    end
  )";

  std::string make_case(const std::string &control, const unsigned int degree)
  {
    std::string text = electrochemistry_case;
    text.replace(text.find("%CONTROL%"), 9, control);
    text.replace(text.find("%DEGREE%"), 8, std::to_string(degree));
    return text;
  }

  /** Largest relative difference between the assembled and the differenced Jacobian. */
  template <int dim> double jacobian_error(const std::string &prm_text)
  {
    test_support::Case case_(prm_text);
    auto               simulator = case_.make_simulator<dim>();
    simulator->setup();
    std::mt19937                           random(42);
    std::uniform_real_distribution<double> potential(-0.03, 0.03);
    double                                 worst = 0;
    for (const auto &cell : simulator->get_dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int     n = cell->get_fe().n_dofs_per_cell();
          dealii::Vector<double> values(n), old_values(n);
          for (auto &v : values)
            v = potential(random);
          worst = std::max(
              worst, test_support::local_jacobian_error(*simulator, cell, values, old_values));
        }
    return dealii::Utilities::MPI::max(worst, MPI_COMM_WORLD);
  }
} // namespace

TEST(Jacobian, ElectrochemistryGalvanostatic2D)
{
  EXPECT_LT(jacobian_error<2>(make_case("galvanostatic", 1)), 1e-6);
  EXPECT_LT(jacobian_error<2>(make_case("galvanostatic", 2)), 1e-6);
}

TEST(Jacobian, ElectrochemistryPotentiostatic3D)
{
  EXPECT_LT(jacobian_error<3>(make_case("potentiostatic", 1)), 1e-6);
}

TEST(Jacobian, ElectrochemistryManufactured2D)
{
  std::string text = make_case("galvanostatic", 1);
  text += "subsection Electrochemistry\n subsection Manufactured solution\n set Enable = true\n"
          " set Potential = 0.01*sin(3e4*x)\n set Electron potential = 0.02*y*1e4\n end\nend\n";
  EXPECT_LT(jacobian_error<2>(text), 1e-6);
}

TEST(Jacobian, ElectrochemistryWithNucleationSites2D)
{
  // Random potentials put eta on both sides of -eta_nuc: sites plating and idle.
  std::string text = make_case("galvanostatic", 1);
  text += "subsection Material\n subsection Function\n"
          "  set Nucleation site density = 3e4 * (1 + y * 1e4)\n end\nend\n"
          "subsection Electrochemistry\n set Nucleation overpotential = 0.01\nend\n";
  EXPECT_LT(jacobian_error<2>(text), 1e-6);
}
