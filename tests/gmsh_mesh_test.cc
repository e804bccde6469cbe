// A Gmsh mesh with physical tags for the electrodes gives the same cell as
// the generated box of the same cells.
#include <gtest/gtest.h>

#include "test_support.h"

using namespace weaklink;

namespace
{
  double cell_voltage(const std::string &geometry)
  {
    test_support::Case case_(geometry + R"(
      subsection Mesh refinement
        set Initial global refinement = 2
      end
      subsection Material
        set Type = inclusions
        subsection Inclusions
          set Centers = 4e-5, 7e-5
          set Radius = 2e-5
          set Ionic conductivity = 1e-6
        end
      end
    )");
    case_.geometry.check_files();
    auto simulator = case_.make_simulator<2>();
    simulator->setup();
    simulator->solve_step(0.0, 1.0);
    for (const auto &[name, value] :
         simulator->get_modules()[0]->postprocess(simulator->get_solution(), 0))
      if (name == "V [V]")
        return value;
    return 0;
  }
} // namespace

TEST(GmshMesh, PhysicalTagsNameTheElectrodes)
{
  const double from_gmsh =
      cell_voltage("subsection Geometry\n set Type = gmsh\n set Mesh file = " +
                   std::string(WEAKLINK_SOURCE_DIR) + "/meshes/separator_2d.msh\nend\n");
  const double from_box =
      cell_voltage("subsection Geometry\n set Width = 1e-4\n set Thickness = 1.5e-4\n"
                   " set Coarse cells across thickness = 6\nend\n");
  EXPECT_GT(from_box, 0.05);
  EXPECT_NEAR(from_gmsh, from_box, 1e-9 * from_box);
}

TEST(GmshMesh, MissingTagIsAnInputError)
{
  EXPECT_THROW(
      cell_voltage("subsection Geometry\n set Type = gmsh\n set Counter electrode tag = 7\n"
                   " set Mesh file = " +
                   std::string(WEAKLINK_SOURCE_DIR) + "/meshes/separator_2d.msh\nend\n"),
      InputError);
}
