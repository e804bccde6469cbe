#pragma once

#include <weaklink/microstructure/microstructure.h>
#include <weaklink/topology/voxel_image.h>

namespace weaklink
{
  /** Voxels of edge close to @p voxel_size covering the box [0, extent]. */
  template <int dim> VoxelGrid voxel_grid_for(const dealii::Point<dim> &extent, double voxel_size);

  /** The phase (a Phase value) at the centre of every voxel. */
  template <int dim>
  std::vector<std::uint8_t> rasterize(const Microstructure<dim> &microstructure,
                                      const VoxelGrid           &grid);
} // namespace weaklink
