// Manufactured solutions of the variable-coefficient, nonlinearly coupled
// phi/psi operator: optimal L2 (p+1) and H1 (p) rates for Q1 and Q2 in 2D
// and 3D over four refinements.
#include <gtest/gtest.h>

#include "test_support.h"

#include <cmath>
#include <iomanip>

using namespace weaklink;

namespace
{
  /**
   * With @p nucleation, sites of density 2(1 + y) plate where the exact
   * eta < -0.05: the volumetric current switches on along a curve inside the
   * domain, and its source must still be reproduced at the optimal rates.
   */
  std::string mms_case(const int dim, const unsigned int degree, const unsigned int refinement,
                       const bool nucleation = false)
  {
    const std::string z = dim == 3 ? " * (1 + 0.3 * cos(2 * z))" : "";
    return "set Dimension = " + std::to_string(dim) + R"(
      subsection Geometry
        set Width = 1
        set Thickness = 1
        set Depth = 1
        set Coarse cells across thickness = 1
      end
      subsection Mesh refinement
        set Initial global refinement = )" +
           std::to_string(refinement) + R"(
      end
      subsection Newton
        set Absolute tolerance = 1e-13
        set Relative tolerance = 1e-12
      end
      subsection Linear solver
        set Method = fgmres # the iterative path; the direct one is exercised elsewhere
        set Relative tolerance = 1e-12
      end
      subsection Material
        set Type = function
        subsection Function
          set Ionic conductivity = 1 + 0.5 * sin(pi * x) * sin(pi * y)
          set Electronic conductivity = 2 + x * y
          set Deposition area density = 0.3 * (1 + x)
          set Nucleation site density = )" +
           std::string(nucleation ? "2 * (1 + y)" : "0") + R"(
          set Reference ionic conductivity = 1
          set Reference electronic conductivity = 1
        end
      end
      subsection Electrochemistry
        set Exchange current density = 1
        set Temperature = 3000
        set Nucleation overpotential = 0.05
        set Finite element degree = )" +
           std::to_string(degree) + R"(
        subsection Manufactured solution
          set Enable = true
          set Potential = )" +
           std::string(nucleation ? "0.3" : "0.1") + R"( * sin(2 * x + 0.5) * cos(1.5 * y))" + z +
           R"(
          set Electron potential = 0.2 * exp(0.5 * x) * sin(y + 0.3))" +
           z + R"(
        end
      end
    )";
  }

  struct Errors
  {
    double phi_l2, phi_h1, psi_l2, psi_h1;
  };

  template <int dim>
  Errors errors_at(const unsigned int degree, const unsigned int refinement, const bool nucleation)
  {
    test_support::Case case_(mms_case(dim, degree, refinement, nucleation));
    auto               simulator = case_.make_simulator<dim>();
    simulator->setup();
    simulator->solve_step(0.0, 1.0);
    const auto entries = simulator->get_modules()[0]->postprocess(simulator->get_solution(), 0.0);
    std::map<std::string, double> e(entries.begin(), entries.end());
    return {e["phi_L2_error"], e["phi_H1_error"], e["psi_L2_error"], e["psi_H1_error"]};
  }

  template <int dim>
  void check_rates(const unsigned int degree, const unsigned int first_refinement,
                   const bool nucleation = false)
  {
    std::vector<Errors> errors;
    for (unsigned int r = first_refinement; r < first_refinement + 4; ++r)
      errors.push_back(errors_at<dim>(degree, r, nucleation));
    const auto rate = [&](auto member, const std::size_t k) {
      return std::log2(errors[k - 1].*member / errors[k].*member);
    };
    std::ostringstream table;
    table << dim << "D Q" << degree << (nucleation ? " with nucleation sites" : "")
          << ": level  phi_L2  rate  phi_H1  rate  psi_L2  rate  psi_H1  rate\n";
    for (std::size_t k = 0; k < errors.size(); ++k)
      {
        table << "  " << first_refinement + k << std::scientific << std::setprecision(3);
        for (auto member : {&Errors::phi_l2, &Errors::phi_h1, &Errors::psi_l2, &Errors::psi_h1})
          table << "  " << errors[k].*member << "  " << std::fixed << std::setprecision(2)
                << (k ? rate(member, k) : 0.0) << std::scientific << std::setprecision(3);
        table << '\n';
      }
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::cout << table.str();
    // Asymptotic rates on the last two refinements.
    for (std::size_t k = errors.size() - 2; k < errors.size(); ++k)
      {
        EXPECT_GT(rate(&Errors::phi_l2, k), degree + 1 - 0.1) << table.str();
        EXPECT_GT(rate(&Errors::psi_l2, k), degree + 1 - 0.1) << table.str();
        EXPECT_GT(rate(&Errors::phi_h1, k), degree - 0.1) << table.str();
        EXPECT_GT(rate(&Errors::psi_h1, k), degree - 0.1) << table.str();
      }
  }
} // namespace

TEST(ManufacturedSolution, Q1In2D)
{
  check_rates<2>(1, 3);
}
TEST(ManufacturedSolution, Q2In2D)
{
  check_rates<2>(2, 2);
}
TEST(ManufacturedSolution, Q1In3D)
{
  check_rates<3>(1, 2);
}
TEST(ManufacturedSolution, Q2In3D)
{
  check_rates<3>(2, 1);
}
TEST(ManufacturedSolution, Q1In2DWithNucleationSites)
{
  check_rates<2>(1, 3, true);
}
