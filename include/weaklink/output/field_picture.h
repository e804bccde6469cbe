#pragma once

#include <deal.II/base/bounding_box.h>
#include <deal.II/dofs/dof_handler.h>

#include <weaklink/material/material_field.h>
#include <weaklink/physics/coupled_quantities.h>
#include <weaklink/physics/physics_module.h>

#include <optional>
#include <string>

namespace weaklink
{
  /**
   * What a crack picture draws: the damage component and, with lithium, the
   * laws that give its metal θ at a point (the `filling` of the field output).
   */
  template <int dim> struct CrackPictureFields
  {
    unsigned int             damage;
    const CouplingLaws<dim> *lithium_metal = nullptr;
  };

  /**
   * Draws the damage and the lithium metal over the material phases, for
   * people: grains light grey, grain boundaries grey, weak boundaries
   * orange, empty pores black; the damage d blended in blue on top (opaque at
   * d = 1) and the lithium metal θ in crimson (opaque where a void is
   * filled; 0 in dense solid, whatever lithium its nodes hold). The raster spans
   * @p region in x and y (the bounding box of the mesh without one), @p width_pixels
   * across with square pixels, y up;
   * a 3D mesh is cut at its mid-plane in z. Around it: a title with the time,
   * a scale bar, the legend of the phases and colour bars of d and of the
   * filling. Written as @p stem.svg and rendered to @p stem.png (with
   * rsvg-convert; where that fails the PNG is the bare raster). Every rank
   * draws its own cells; rank 0 writes.
   */
  template <int dim>
  void write_field_picture(const dealii::DoFHandler<dim> &dof_handler, const BlockVector &solution,
                           const CrackPictureFields<dim> &fields,
                           const MaterialField<dim> &material, const unsigned int width_pixels,
                           const std::optional<dealii::BoundingBox<2>> &region, const double time,
                           const std::string &stem, MPI_Comm mpi_communicator);
} // namespace weaklink
