#pragma once

#include <weaklink/topology/voxel_image.h>

#include <string>
#include <vector>

namespace weaklink
{
  struct DescriptorDefinition
  {
    std::string name, unit, definition;
  };

  /**
   * The primary descriptors of a defect network, in the order
   * compute_defect_descriptors() returns them; units for a @p dim-dimensional
   * sample ("m^2" is an area in 2D, "m^3" a volume in 3D).
   */
  std::vector<DescriptorDefinition> defect_descriptor_definitions(unsigned int dim);

  /**
   * Descriptors of a segmented sample: phases per voxel, 0 grain, 1 grain
   * boundary, 2 weak grain boundary, 3 pore (the values of Phase). The defect
   * network is the union of pores and weak boundaries; y (axis 1) runs from
   * the plating electrode (y = 0) to the counter electrode (y = L).
   */
  std::vector<double> compute_defect_descriptors(const VoxelGrid                 &grid,
                                                 const std::vector<std::uint8_t> &phases);
} // namespace weaklink
