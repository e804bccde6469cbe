// The linear solver of the Newton systems on a cell of extreme contrast
// (33k DoFs): a grain-boundary band conducting electrons 1e9 times better
// than the grains, and a lithium filament grown from the electrode, 1.1e15
// times. Stored factors of an earlier Jacobian, and block AMG (energy-
// minimizing prolongator, ILU smoothing; ML's defaults do not converge here),
// give the answer of fresh factorisations within 30 iterations per Newton
// iteration; a Krylov solve that does not converge fails the step with its
// reason.
#include <gtest/gtest.h>

#include "test_support.h"

#include <algorithm>
#include <sstream>
#include <string>

using namespace weaklink;

namespace
{
  constexpr double grain_electronic_conductivity = 1e-8;

  std::string contrast_case(const bool metallic_channel, const std::string &linear_solver)
  {
    std::ostringstream boundary_text;
    boundary_text << "abs(x - 14e-6) < 6e-7 ? " << 1e9 * grain_electronic_conductivity << " : "
                  << grain_electronic_conductivity;
    const std::string boundary = boundary_text.str();
    // A filament grown from the electrode at y = 0 into the electrolyte.
    const std::string conductivity =
        metallic_channel ? "abs(x - 5e-6) < 6e-7 && y < 1.2e-5 ? 1.1e7 : (" + boundary + ")"
                         : boundary;
    return R"(
      subsection Geometry
        set Width = 2e-5
        set Thickness = 2e-5
        set Coarse cells across thickness = 1
      end
      subsection Mesh refinement
        set Initial global refinement = 7
      end
      subsection Material
        set Type = function
        subsection Function
          set Electronic conductivity = )" +
           conductivity + R"(
        end
      end
      subsection Electrochemistry
        set Applied current density = 10 * (1 + t)
      end
      subsection Newton
        # Converged far below the linear tolerance, so that answers compare to 1e-8.
        set Relative tolerance = 1e-13
        set Absolute tolerance = 1e-16
      end
      subsection Linear solver
)" + linear_solver +
           R"(
      end
    )";
  }

  struct Solved
  {
    NewtonReport                               report;
    unsigned int                               builds = 0;
    dealii::TrilinosWrappers::MPI::BlockVector solution;
  };

  Solved solve(const bool metallic_channel, const std::string &linear_solver)
  {
    test_support::Case case_(contrast_case(metallic_channel, linear_solver));
    auto               simulator = case_.make_simulator<2>();
    simulator->setup();
    Solved solved;
    // The second step (twice the current) starts from the first one's solution and factors.
    solved.report             = simulator->solve_step(0.0, 1.0);
    const NewtonReport second = simulator->solve_step(1.0, 1.0);
    solved.report.iterations += second.iterations;
    solved.report.linear_iterations += second.linear_iterations;
    solved.builds   = simulator->preconditioner_builds();
    solved.solution = simulator->get_solution();
    return solved;
  }

  /** Largest over the blocks of ‖a − b‖∞ / ‖b‖∞. */
  double relative_difference(const dealii::TrilinosWrappers::MPI::BlockVector &a,
                             const dealii::TrilinosWrappers::MPI::BlockVector &b)
  {
    double worst = 0;
    for (unsigned int block = 0; block < b.n_blocks(); ++block)
      {
        dealii::TrilinosWrappers::MPI::Vector difference(a.block(block));
        difference -= b.block(block);
        worst = std::max(worst, difference.linfty_norm() / b.block(block).linfty_norm());
      }
    return worst;
  }

  constexpr unsigned int iteration_bound = 30; // per Newton iteration
} // namespace

TEST(JacobianSolver, StoredFactorsGiveTheAnswerOfFreshOnesOnAMetallicChannel)
{
  const Solved fresh  = solve(true, "set Method = direct\nset Reuse preconditioner = false");
  const Solved reused = solve(true, "set Method = direct\nset Reuse preconditioner = true");
  ASSERT_GE(fresh.report.iterations, 2u);
  EXPECT_EQ(fresh.builds, fresh.report.iterations);
  EXPECT_LT(reused.builds, reused.report.iterations);
  EXPECT_LE(reused.report.linear_iterations, iteration_bound * reused.report.iterations);
  EXPECT_LT(relative_difference(reused.solution, fresh.solution), 1e-8);
}

TEST(JacobianSolver, BlockAmgStaysBoundedOnAMetallicChannelAndABillionfoldJump)
{
  const Solved direct = solve(true, "set Method = direct");
  const Solved amg    = solve(true, "set Method = fgmres");
  EXPECT_LE(amg.report.linear_iterations, iteration_bound * amg.report.iterations);
  EXPECT_LT(relative_difference(amg.solution, direct.solution), 1e-8);
}

TEST(JacobianSolver, AKrylovSolveThatDoesNotConvergeFailsTheStepWithItsReason)
{
  try
    {
      solve(true, "set Method = fgmres\nset Maximum iterations = 2");
      FAIL() << "two Krylov iterations solved a contrast of 1e15";
    }
  catch (const StepFailure &failure)
    {
      EXPECT_NE(std::string(failure.what()).find("did not converge in 2 iterations"),
                std::string::npos)
          << failure.what();
    }
}
