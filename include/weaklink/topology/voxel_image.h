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
    std::uint64_t n_voxels = 0;
    /**
     * Voxel index box of the cluster unwrapped across periodic faces, in the
     * frame of its first voxel (indices can leave [0, n) along periodic
     * axes); along an axis it wraps around: 0 to n - 1.
     */
    std::array<int, 3> lower{{0, 0, 0}}, upper{{0, 0, 0}};
    std::uint8_t       boundaries = 0; ///< bit 2a: face a-, bit 2a+1: face a+ touched
    /**
     * Centroid (voxel units, index + 1/2) and central second moment per axis
     * of the union of the unwrapped voxels; along an axis the cluster wraps
     * around, those of a ring over the whole period (n / 2, n^2 / 12).
     */
    std::array<double, 3> centroid{{0, 0, 0}};
    std::array<double, 3> second_moment{{0, 0, 0}};
    std::uint8_t wrapping = 0; ///< bit a: wraps around periodic axis a (closes a loop along it)

    bool wraps(const unsigned int axis) const { return (wrapping >> axis) & 1; }
  };

  /** Axes along which the image is periodic: voxel n - 1 touches voxel 0. */
  using PeriodicAxes = std::array<bool, 3>;

  /** Connected components of the voxels where mask is non-zero; label 0 is background. */
  struct VoxelClusters
  {
    std::vector<std::uint32_t> label;    ///< per voxel, 1..clusters.size()
    std::vector<VoxelCluster>  clusters; ///< ordered by the first voxel of each (scan order)
  };

  /**
   * Labels the clusters with face (4/6) or vertex (8/26) connectivity by
   * union-find over one scan; labels are numbered by the first voxel of each
   * cluster, so they depend on the image alone. Along @p periodic axes the
   * last and first layers of voxels touch as well; each cluster is then
   * unwrapped (every voxel shifted by whole periods so that touching voxels
   * are neighbours) and wrapping reported, as ClusterLabelling does on meshes.
   */
  VoxelClusters label_voxels(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask,
                             bool                vertex_connectivity,
                             const PeriodicAxes &periodic = PeriodicAxes{{false, false, false}});

  /**
   * Euler characteristic of the union of the closed voxels where mask is
   * non-zero: V - E + F (- C in 3D). This treats the foreground with vertex
   * connectivity and the background with face connectivity: the (8, 4) pair in
   * 2D (objects minus holes) and (26, 6) in 3D (components - tunnels + cavities).
   * Along @p periodic axes the complex closes on itself (a full 2D image is a
   * torus, 0).
   */
  long euler_characteristic(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask,
                            const PeriodicAxes &periodic = PeriodicAxes{{false, false, false}});
} // namespace weaklink
