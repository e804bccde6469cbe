#pragma once

#include <deal.II/dofs/dof_handler.h>

#include <weaklink/material/material_field.h>
#include <weaklink/physics/physics_module.h>

#include <string>

namespace weaklink
{
  /**
   * Draws a field with values in [0, 1] (damage, later the lithium fraction)
   * as a PNG over the material phases: grains light grey, grain boundaries
   * grey, weak boundaries orange, pores black, and the field blended in blue
   * on top, opaque where it is 1. The picture spans the bounding box of the
   * mesh, @p width_pixels across with square pixels, y up; a 3D mesh is cut
   * at its mid-plane in z. Every rank draws its own cells; rank 0 writes.
   */
  template <int dim>
  void write_field_picture(const dealii::DoFHandler<dim> &dof_handler, const BlockVector &solution,
                           const unsigned int component, const MaterialField<dim> &material,
                           const unsigned int width_pixels, const std::string &filename,
                           MPI_Comm mpi_communicator);
} // namespace weaklink
