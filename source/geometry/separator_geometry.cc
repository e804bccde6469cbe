#include <weaklink/core/input_error.h>
#include <weaklink/geometry/separator_geometry.h>

#include <deal.II/base/parameter_handler.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/grid/grid_tools.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace weaklink
{
  using namespace dealii;

  void SeparatorGeometry::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Geometry");
    prm.declare_entry("Type", "box", Patterns::Selection("box|gmsh"),
                      "box: a W x L (x D) separator generated here; gmsh: read "
                      "Mesh file.");
    prm.declare_entry("Width", "1e-4", Patterns::Double(0), "W along x [m].");
    prm.declare_entry("Thickness", "1.5e-4", Patterns::Double(0),
                      "L along y, between the plating electrode (y = 0) and the "
                      "counter electrode (y = L) [m].");
    prm.declare_entry("Depth", "1e-4", Patterns::Double(0), "D along z, 3D only [m].");
    prm.declare_entry("Coarse cells across thickness", "2", Patterns::Integer(1, 1000),
                      "Coarse cells along y; along x and z the count follows the "
                      "aspect ratio so that coarse cells are close to square.");
    prm.declare_entry("Lateral boundaries", "insulating",
                      Patterns::Selection("insulating|periodic"),
                      "Lateral faces (x, and z in 3D): insulating (no flux, "
                      "roller for mechanics) or periodic.");
    prm.declare_entry("Mesh file", "", Patterns::FileName(),
                      "Gmsh .msh file (Type = gmsh); faces carry physical tags.");
    prm.declare_entry("Plating electrode tag", "1", Patterns::Integer(0),
                      "Gmsh physical tag of the plating electrode faces.");
    prm.declare_entry("Counter electrode tag", "2", Patterns::Integer(0),
                      "Gmsh physical tag of the counter electrode faces; all "
                      "other tagged boundary faces are lateral.");
    prm.leave_subsection();
  }

  void SeparatorGeometry::check_files() const
  {
    if (type == "gmsh" && !std::filesystem::is_regular_file(mesh_file))
      throw InputError("mesh file '" + mesh_file + "' does not exist");
  }

  template <int dim>
  void SeparatorGeometry::create_coarse_mesh(parallel::distributed::Triangulation<dim> &tria) const
  {
    if (type == "box")
      {
        const double              cell_size = thickness / coarse_cells_across_thickness;
        std::vector<unsigned int> repetitions(dim);
        Point<dim>                upper;
        const double              extents[3] = {width, thickness, depth};
        for (unsigned int d = 0; d < dim; ++d)
          {
            upper[d] = extents[d];
            repetitions[d] =
                std::max(1u, static_cast<unsigned int>(std::lround(extents[d] / cell_size)));
          }
        GridGenerator::subdivided_hyper_rectangle(tria, repetitions, Point<dim>(), upper,
                                                  /*colorize=*/true);
        // colorize numbers faces x-,x+,y-,y+,z-,z+ as 0..5.
        const types::boundary_id map[6] = {
            boundary_ids::lateral_x_low,     boundary_ids::lateral_x_high,
            boundary_ids::plating_electrode, boundary_ids::counter_electrode,
            boundary_ids::lateral_z_low,     boundary_ids::lateral_z_high};
        for (const auto &cell : tria.active_cell_iterators())
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary())
              face->set_boundary_id(map[face->boundary_id()]);

        if (periodic_lateral)
          {
            std::vector<GridTools::PeriodicFacePair<typename Triangulation<dim>::cell_iterator>>
                pairs;
            GridTools::collect_periodic_faces(tria, boundary_ids::lateral_x_low,
                                              boundary_ids::lateral_x_high, 0, pairs);
            if (dim == 3)
              GridTools::collect_periodic_faces(tria, boundary_ids::lateral_z_low,
                                                boundary_ids::lateral_z_high, 2, pairs);
            tria.add_periodicity(pairs);
          }
        return;
      }

    check_files();
    GridIn<dim> grid_in;
    grid_in.attach_triangulation(tria);
    std::ifstream in(mesh_file);
    try
      {
        grid_in.read_msh(in);
      }
    catch (const std::exception &)
      {
        throw InputError("mesh file '" + mesh_file + "' is not a readable " + std::to_string(dim) +
                         "D Gmsh mesh");
      }
    bool found_plating = false, found_counter = false;
    for (const auto &cell : tria.active_cell_iterators())
      for (const auto &face : cell->face_iterators())
        if (face->at_boundary())
          {
            const int tag = face->boundary_id();
            if (tag == plating_tag)
              found_plating = true;
            if (tag == counter_tag)
              found_counter = true;
            face->set_boundary_id(tag == plating_tag   ? boundary_ids::plating_electrode
                                  : tag == counter_tag ? boundary_ids::counter_electrode
                                                       : boundary_ids::lateral);
          }
    const bool all_plating = Utilities::MPI::logical_or(found_plating, tria.get_communicator());
    const bool all_counter = Utilities::MPI::logical_or(found_counter, tria.get_communicator());
    if (!all_plating || !all_counter)
      throw InputError("mesh file '" + mesh_file + "' has no boundary faces with the " +
                       (all_plating ? "counter" : "plating") + " electrode tag");
  }

  template <int dim>
  double SeparatorGeometry::separator_thickness(const Triangulation<dim> &tria) const
  {
    if (type == "box")
      return thickness;
    const auto box = GridTools::compute_bounding_box(tria);
    return box.side_length(1);
  }

  template void
  SeparatorGeometry::create_coarse_mesh(parallel::distributed::Triangulation<2> &) const;
  template void
  SeparatorGeometry::create_coarse_mesh(parallel::distributed::Triangulation<3> &) const;
  template double SeparatorGeometry::separator_thickness(const Triangulation<2> &) const;
  template double SeparatorGeometry::separator_thickness(const Triangulation<3> &) const;
} // namespace weaklink
