// Under galvanostatic control the applied current must cross the counter
// electrode exactly (ionic plus electronic), on adaptive meshes with hanging
// nodes next to the plating electrode and in 3D as well. This is measured at
// the counter electrode, independently of the equipotential current balance
// that imposes it at the plating electrode.
#include <gtest/gtest.h>

#include "test_support.h"

#include <cmath>

using namespace weaklink;

namespace
{
  template <int dim> void check_conservation(const std::string &extra)
  {
    test_support::Case case_("include " + std::string(WEAKLINK_SOURCE_DIR) +
                             "/tests/prm/small_cell.prm\n"
                             "subsection Output\n set Directory = " +
                             test_support::temporary_directory("conservation") +
                             "\n set Field output interval = 0\n set Write fields at end = false\n"
                             " set Checkpoint interval steps = 0\nend\n" +
                             extra);
    auto               simulator = case_.make_simulator<dim>();
    simulator->run();
    const auto &table      = simulator->statistics();
    const auto  applied    = table.column("i_applied [A/m2]");
    const auto  stripping  = table.column("i_stripping [A/m2]");
    const auto  electronic = table.column("electronic_fraction");
    const auto  dofs       = table.column("dofs");
    ASSERT_GT(applied.size(), 5u);
    EXPECT_NE(dofs.front(), dofs.back()) << "the mesh must have been adapted";
    for (std::size_t k = 1; k < applied.size(); ++k)
      {
        const double through_counter = stripping[k] / (1 - electronic[k]);
        EXPECT_LT(std::abs(through_counter - applied[k]) / applied[k], 1e-7)
            << "step " << k << ": " << through_counter << " A/m2 cross the counter electrode, "
            << applied[k] << " applied";
      }
  }
} // namespace

TEST(CurrentConservation, AdaptiveMesh2D)
{
  check_conservation<2>("");
}

TEST(CurrentConservation, AdaptiveMesh3DWithInsulatingSides)
{
  check_conservation<3>(
      "set Dimension = 3\n"
      "subsection Geometry\n set Depth = 5e-5\n set Lateral boundaries = insulating\nend\n"
      "subsection Mesh refinement\n set Initial global refinement = 1\n"
      " set Maximum level = 3\n"
      // Interfaces would be at the finest level from the start: the error
      // estimator alone adapts the mesh in time.
      " set Refine material interfaces = false\nend\n"
      "subsection Material\n subsection Inclusions\n"
      "  set Centers = 3e-5,4e-5,2.5e-5; 7e-5,6e-5,2.5e-5\n end\nend\n"
      "subsection Time stepping\n set End time = 320\nend\n");
}
