#pragma once

#include <weaklink/core/parameter_values.h>

#include <deal.II/base/types.h>

#include <string>

// Declared, not included: the geometry's parameters are also read by tools without deal.II.
namespace dealii
{
  class ParameterHandler;
  template <int dim, int spacedim> class Triangulation;
  namespace parallel::distributed
  {
    template <int dim, int spacedim> class Triangulation;
  }
} // namespace dealii

namespace weaklink
{
  /** Boundary ids every physics module relies on. */
  namespace boundary_ids
  {
    constexpr dealii::types::boundary_id lateral           = 0;
    constexpr dealii::types::boundary_id plating_electrode = 1; ///< Γp, y = 0
    constexpr dealii::types::boundary_id counter_electrode = 2; ///< Γs, y = L
    constexpr dealii::types::boundary_id lateral_x_low     = 3;
    constexpr dealii::types::boundary_id lateral_x_high    = 4;
    constexpr dealii::types::boundary_id lateral_z_low     = 5;
    constexpr dealii::types::boundary_id lateral_z_high    = 6;
  } // namespace boundary_ids

  /**
   * The separator: a box W x L (x D) with the plating electrode at y = 0 and
   * the counter electrode at y = L, or a Gmsh mesh whose physical tags name
   * the electrodes.
   */
  struct SeparatorGeometry
  {
    std::string  type; ///< "box" or "gmsh"
    double       width, thickness, depth;
    unsigned int coarse_cells_across_thickness;
    bool         periodic_lateral;
    std::string  mesh_file;
    int          plating_tag, counter_tag;

    static void declare(dealii::ParameterHandler &prm);
    /** From the values of a whole case (entries "Geometry/..."). */
    void parse(const ParameterValues &values);

    /** Checks that files named here exist; throws InputError otherwise. */
    void check_files() const;

    template <int dim>
    void create_coarse_mesh(dealii::parallel::distributed::Triangulation<dim, dim> &tria) const;

    /** Thickness L along y of the created mesh (for a Gmsh mesh, its extent). */
    template <int dim>
    double separator_thickness(const dealii::Triangulation<dim, dim> &tria) const;
  };
} // namespace weaklink
