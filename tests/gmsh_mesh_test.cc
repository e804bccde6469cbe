// A Gmsh mesh with physical tags for the electrodes gives the same cell as
// the generated box of the same cells.
#include <gtest/gtest.h>

#include <iostream>

#include "test_support.h"

#include <weaklink/output/cell_phases.h>

using namespace weaklink;

namespace
{
  const std::string inclusions = R"(
      subsection Material
        set Type = inclusions
        subsection Inclusions
          set Centers = 4e-5, 7e-5
          set Radius = 2e-5
          set Ionic conductivity = 1e-6
        end
      end
    )";

  double cell_voltage(const std::string &geometry, const std::string &material = inclusions)
  {
    test_support::Case case_(geometry + R"(
      subsection Mesh refinement
        set Initial global refinement = 2
      end
    )" + material);
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
  const std::string tagged_mesh = "subsection Geometry\n set Type = gmsh\n set Mesh file = " +
                                  std::string(WEAKLINK_SOURCE_DIR) +
                                  "/meshes/separator_phases_2d.msh\nend\n";
  const std::string box_of_the_same_cells =
      "subsection Geometry\n set Width = 1e-4\n set Thickness = 1.5e-4\n"
      " set Coarse cells across thickness = 6\nend\n";
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

TEST(GmshMesh, PhysicalTagsOfCellsArePhases)
{
  // meshes/separator_phases_2d.msh: 4 x 6 cells of 25 µm, a weak-boundary
  // column (tag 12) through the separator, a grain-boundary row (11) across
  // it and one pore cell (13) in grain (10). The same phases written as
  // expressions on a box of the same cells must give the same cell voltage.
  const double      from_tags = cell_voltage(tagged_mesh, R"(
      subsection Material
        set Type = mesh tags
      end
    )");
  const std::string weak = "(x > 2.5e-5 && x < 5e-5)", boundary = "(y > 7.5e-5 && y < 1e-4)",
                    pore = "(x > 7.5e-5 && y > 1e-4 && y < 1.25e-4)";
  const auto by_phase    = [&](const std::string &grain, const std::string &grain_boundary,
                            const std::string &weak_boundary, const std::string &void_) {
    return "if(" + weak + ", " + weak_boundary + ", if(" + boundary + ", " + grain_boundary +
           ", if(" + pore + ", " + void_ + ", " + grain + ")))";
  };
  // The phase defaults of Material/Microstructure.
  const double from_expressions = cell_voltage(
      box_of_the_same_cells,
      "subsection Material\n set Type = function\n subsection Function\n"
      "  set Ionic conductivity = " +
          by_phase("0.05", "0.02", "0.01", "1e-8") +
          "\n  set Electronic conductivity = " + by_phase("1e-7", "1e-5", "1e-4", "1e-12") +
          "\n  set Phase = " + by_phase("0", "1", "2", "3") + "\n end\nend\n");
  const double uniform_grain = cell_voltage(box_of_the_same_cells, "");
  std::cout << "cell voltage: mesh tags " << from_tags << " V, expressions " << from_expressions
            << " V, uniform grain " << uniform_grain << " V\n";
  EXPECT_NEAR(from_tags, from_expressions, 1e-9 * from_expressions);
  EXPECT_GT(from_tags, 1.2 * uniform_grain) << "the resistive phases must show";
}

TEST(GmshMesh, ACellTagWithoutAPhaseIsAnInputError)
{
  try
    {
      cell_voltage(tagged_mesh, R"(
        subsection Material
          set Type = mesh tags
          subsection Mesh tags
            set Phases = 10:grain, 11:grain boundary, 12:weak boundary
          end
        end
      )");
      FAIL() << "tag 13 has no phase";
    }
  catch (const InputError &error)
    {
      EXPECT_NE(std::string(error.what()).find("physical tag 13"), std::string::npos)
          << error.what();
    }
  EXPECT_THROW(
      cell_voltage(box_of_the_same_cells, "subsection Material\n set Type = mesh tags\nend\n"),
      InputError);
  EXPECT_THROW(cell_voltage(tagged_mesh,
                            "subsection Material\n set Type = mesh tags\n"
                            " subsection Mesh tags\n  set Phases = 10:granite\n end\nend\n"),
               InputError);
}

TEST(GmshMesh, TaggedDefectsAreLabelledInTheOutput)
{
  // The weak column (tag 12) runs from y = 0 to y = L; the pore cell (13)
  // touches neither it nor an electrode: two defect clusters, one spanning,
  // after refinement and on any number of ranks.
  test_support::Case case_(tagged_mesh + R"(
      subsection Mesh refinement
        set Initial global refinement = 2
      end
      subsection Material
        set Type = mesh tags
      end
    )");
  auto               simulator = case_.make_simulator<2>();
  simulator->setup();
  const auto &mesh   = simulator->get_triangulation();
  const auto  phases = label_cell_phases(mesh, simulator->get_material());
  EXPECT_EQ(phases.n_defect_clusters, 2u);
  EXPECT_TRUE(phases.defects_span);
  unsigned int weak_cells = 0, pore_cells = 0;
  for (const auto &cell : mesh.active_cell_iterators())
    if (cell->is_locally_owned())
      {
        const unsigned int i = cell->active_cell_index();
        const auto         x = cell->center();
        const bool         weak =
            x[0] > 2.5e-5 && x[0]<5e-5, pore = x[0]> 7.5e-5 && x[1] > 1e-4 && x[1] < 1.25e-4;
        EXPECT_EQ(phases.phase[i], weak                           ? 2.0f
                                   : pore                         ? 3.0f
                                   : x[1] > 7.5e-5 && x[1] < 1e-4 ? 1.0f
                                                                  : 0.0f);
        EXPECT_EQ(phases.defect_cluster[i], weak || pore ? (weak ? 0.0f : 1.0f) : -1.0f)
            << "clusters are numbered by their smallest cell, the weak column's at y = 0 first";
        weak_cells += weak;
        pore_cells += pore;
      }
  EXPECT_EQ(dealii::Utilities::MPI::sum(weak_cells, MPI_COMM_WORLD), 6u * 16u);
  EXPECT_EQ(dealii::Utilities::MPI::sum(pore_cells, MPI_COMM_WORLD), 16u);
}
