#pragma once

#include <deal.II/base/parameter_handler.h>

#include <weaklink/geometry/separator_geometry.h>

#include <optional>
#include <vector>

namespace weaklink
{
  /**
   * The defect-network descriptors (compute_defect_descriptors, in the order
   * of defect_descriptor_definitions) of the material a case runs on: a
   * generated microstructure rasterised on voxels of edge @p voxel_size (0:
   * half the grain-boundary width, as weaklink-descriptors), periodic along
   * its Periodic directions, or a segmented image as read. Nothing for other
   * material types (a function, inclusions, mesh tags).
   */
  std::optional<std::vector<double>> material_defect_descriptors(dealii::ParameterHandler &prm,
                                                                 const SeparatorGeometry  &geometry,
                                                                 const unsigned int        dim,
                                                                 double voxel_size = 0);
} // namespace weaklink
