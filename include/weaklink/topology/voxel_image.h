#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace weaklink
{
  /**
   * A regular grid of voxels (pixels in 2D: n[2] = 1) over [0, n0 h0] x
   * [0, n1 h1] (x [0, n2 h2]); voxel (i, j, k) has index i + n0 (j + n1 k).
   * y (axis 1) runs from the plating electrode to the counter electrode.
   */
  struct VoxelGrid
  {
    unsigned int                dim = 2;
    std::array<unsigned int, 3> n{{1, 1, 1}};
    std::array<double, 3>       spacing{{1, 1, 1}};

    std::size_t size() const { return std::size_t(n[0]) * n[1] * n[2]; }
    std::size_t index(unsigned int i, unsigned int j, unsigned int k = 0) const
    {
      return i + std::size_t(n[0]) * (j + std::size_t(n[1]) * k);
    }
    double voxel_volume() const { return spacing[0] * spacing[1] * (dim == 3 ? spacing[2] : 1.0); }
  };

  struct VoxelCluster
  {
    std::uint64_t               n_voxels = 0;
    std::array<unsigned int, 3> lower{{~0u, ~0u, ~0u}}, upper{{0, 0, 0}}; ///< voxel index box
    std::uint8_t                boundaries = 0;      ///< bit 2a: face a-, bit 2a+1: face a+ touched
    std::array<double, 3>       centroid{{0, 0, 0}}; ///< in voxel units (index + 1/2)
    std::array<double, 3>       second_moment{
        {0, 0, 0}}; ///< central, per axis, voxel units, of the union of voxels
  };

  /** Connected components of the voxels where mask is non-zero; label 0 is background. */
  struct VoxelClusters
  {
    std::vector<std::uint32_t> label;    ///< per voxel, 1..clusters.size()
    std::vector<VoxelCluster>  clusters; ///< ordered by the first voxel of each (scan order)
  };

  /**
   * Labels the clusters with face (4/6) or vertex (8/26) connectivity by
   * union-find over one scan; labels are numbered by the first voxel of each
   * cluster, so they depend on the image alone.
   */
  VoxelClusters label_voxels(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask,
                             bool vertex_connectivity);

  /**
   * Euler characteristic of the union of the closed voxels where mask is
   * non-zero: V - E + F (- C in 3D). This treats the foreground with vertex
   * connectivity and the background with face connectivity: the (8, 4) pair in
   * 2D (objects minus holes) and (26, 6) in 3D (components - tunnels + cavities).
   */
  long euler_characteristic(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask);
} // namespace weaklink
