// SeparatorGeometry::parse without deal.II, for the tools that read a case's box alone.
#include <weaklink/core/input_error.h>
#include <weaklink/geometry/separator_geometry.h>

namespace weaklink
{
  void SeparatorGeometry::parse(const ParameterValues &values)
  {
    type                          = values.get("Geometry/Type");
    width                         = values.get_double("Geometry/Width");
    thickness                     = values.get_double("Geometry/Thickness");
    depth                         = values.get_double("Geometry/Depth");
    coarse_cells_across_thickness = values.get_integer("Geometry/Coarse cells across thickness");
    periodic_lateral              = values.get("Geometry/Lateral boundaries") == "periodic";
    mesh_file                     = values.get("Geometry/Mesh file");
    plating_tag                   = values.get_integer("Geometry/Plating electrode tag");
    counter_tag                   = values.get_integer("Geometry/Counter electrode tag");
    if (type == "box" && (width <= 0 || thickness <= 0 || depth <= 0))
      throw InputError("Geometry: Width, Thickness and Depth must be positive");
    if (type == "gmsh" && mesh_file.empty())
      throw InputError("Geometry/Mesh file is empty but Type = gmsh");
    if (type == "gmsh" && periodic_lateral)
      throw InputError("Geometry: periodic lateral boundaries need Type = box");
    if (plating_tag == counter_tag)
      throw InputError("Geometry: plating and counter electrode tags are equal");
  }
} // namespace weaklink
