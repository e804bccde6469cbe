// The initial mesh: the refinement region and material interfaces are at the
// finest level before the first solve (simulator_refinement.cc).
#include <gtest/gtest.h>

#include "test_support.h"

#include <deal.II/base/mpi.h>

using namespace weaklink;

namespace
{
  std::string small_case(const std::string &refinement, const std::string &phase)
  {
    return R"(
      subsection Geometry
        set Width = 1e-5
        set Thickness = 1e-5
        set Coarse cells across thickness = 2
      end
      subsection Mesh refinement
        set Initial global refinement = 0
        set Maximum level = 4
        )" +
           refinement +
           R"(
      end
      subsection Material
        set Type = function
        subsection Function
          set Phase = )" +
           phase + R"(
        end
      end
      subsection Time stepping
        set End time = 0
      end
      subsection Output
        set Directory = )" +
           test_support::temporary_directory("refinement") + R"(
        set Field output interval = 0
        set Write fields at end = false
      end
    )";
  }

  /** The level of the active cell that contains @p x, y (−1 on ranks that do not own it). */
  int level_at(const Simulator<2> &simulator, const double x, const double y)
  {
    for (const auto &cell : simulator.get_dof_handler().active_cell_iterators())
      if (cell->is_locally_owned() && cell->point_inside(dealii::Point<2>(x, y)))
        return cell->level();
    return -1;
  }

  int global_level_at(const Simulator<2> &simulator, const double x, const double y)
  {
    return dealii::Utilities::MPI::max(level_at(simulator, x, y), MPI_COMM_WORLD);
  }
} // namespace

TEST(MeshRefinement, TheRefinementRegionIsAtTheFinestLevelFromTheStart)
{
  test_support::Case case_(small_case("set Refinement region = x < 2e-6 && y > 5e-6 ? 1 : 0", "0"));
  auto               simulator = case_.make_simulator<2>();
  simulator->run();
  // Inside the region the finest level, far from it the coarse mesh (only
  // the 2:1 balance grades the cells in between).
  EXPECT_EQ(global_level_at(*simulator, 1e-6, 8e-6), 4);
  EXPECT_EQ(global_level_at(*simulator, 0.3e-6, 5.3e-6), 4);
  EXPECT_LE(global_level_at(*simulator, 8e-6, 2e-6), 2);
}

TEST(MeshRefinement, AThinFlawIsResolvedBeforeTheFirstSolve)
{
  // A pore flaw 0.3 µm wide along the left edge, thinner than a coarse cell
  // (5 µm): with material-interface refinement its cells reach the finest
  // level (0.3125 µm) before the first solve, not only at the first adaptation.
  const std::string flaw = "x < 0.3e-6 && y < 4e-6 ? 3 : 0";
  {
    test_support::Case case_(small_case("set Refine material interfaces = true", flaw));
    auto               simulator = case_.make_simulator<2>();
    simulator->run();
    EXPECT_EQ(global_level_at(*simulator, 0.1e-6, 2e-6), 4);
    EXPECT_EQ(global_level_at(*simulator, 0.1e-6, 3.9e-6), 4);
    EXPECT_LE(global_level_at(*simulator, 8e-6, 8e-6), 2);
  }
  {
    test_support::Case case_(small_case("set Refine material interfaces = false", flaw));
    auto               simulator = case_.make_simulator<2>();
    simulator->run();
    EXPECT_EQ(global_level_at(*simulator, 0.1e-6, 2e-6), 0);
  }
}
