#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace weaklink
{
  struct SphereCluster
  {
    std::uint32_t n_spheres = 0;
    double        y_min = 0, y_max = 0; ///< extent along y of the union of its spheres
  };

  struct SphereClusters
  {
    std::vector<std::uint32_t> label;    ///< per sphere, 0-based cluster index
    std::vector<SphereCluster> clusters; ///< ordered by their first sphere
  };

  /**
   * Clusters of overlapping disks (dim = 2) or spheres (dim = 3), exactly: two
   * belong together when their centres are closer than the sum of their radii.
   * This is the continuum counterpart of voxel labelling (no resolution
   * error), for pores given as centres and radii. Neighbours are found with a
   * cell list, so the cost grows linearly with the number of spheres.
   */
  SphereClusters cluster_spheres(unsigned int                              dim,
                                 const std::vector<std::array<double, 3>> &centres,
                                 const std::vector<double>                &radii);
} // namespace weaklink
