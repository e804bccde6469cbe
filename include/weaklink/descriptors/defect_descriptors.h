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
   *
   * Along @p periodic axes (the lateral ones, x and z, of a separator with
   * periodic lateral faces) the sample closes on itself, as the mesh does:
   * clusters join across the faces and are measured unwrapped, wrapping is
   * reported, Euler characteristics, links, interfaces, correlations and
   * nearest-neighbour distances (minimum image) all see the periodic sample,
   * so that the descriptors do not depend on where the sample is cut.
   */
  std::vector<double>
  compute_defect_descriptors(const VoxelGrid &grid, const std::vector<std::uint8_t> &phases,
                             const PeriodicAxes &periodic = PeriodicAxes{{false, false, false}});

  /**
   * Periodic axes from a list such as "x,z" ("" or "none": none); only the
   * lateral axes x and (in 3D) z can be periodic. Throws InputError otherwise.
   */
  PeriodicAxes parse_periodic_axes(const std::string &list, unsigned int dim);
} // namespace weaklink
