#pragma once

#include <weaklink/core/parameter_values.h>
#include <weaklink/topology/voxel_image.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Where a segmented image comes from. Raw files are the voxels' labels as
   * unsigned 8- or 16-bit integers (little endian), x fastest, then y, then z;
   * their size and voxel edge come from here. Legacy VTK STRUCTURED_POINTS files
   * (ASCII or BINARY, scalars of one component) carry their own.
   */
  struct SegmentedImageSource
  {
    std::string file;
    std::string format = "auto"; ///< auto (by extension: .raw = raw8, .vtk), raw8, raw16, vtk
    std::array<unsigned int, 3>          size{{0, 0, 1}}; ///< raw only
    double                               voxel_size = 0;  ///< raw only [m]
    std::map<unsigned int, std::uint8_t> label_to_phase;  ///< image label -> Phase value
  };

  /**
   * Phases on voxels read from a file, mapped from image labels to weaklink
   * phases (grain 0, grain boundary 1, weak boundary 2, pore 3). Every error
   * (missing file, a file size that does not match the given dimensions, a
   * malformed VTK header, a label without a phase, an image one voxel thick
   * in 3D or thicker in 2D) is an InputError naming it.
   */
  struct SegmentedImage
  {
    VoxelGrid                 grid;
    std::vector<std::uint8_t> phases;

    static SegmentedImage read(const SegmentedImageSource &source, unsigned int dim);

    /**
     * "0:grain, 1:grain boundary, 2:weak boundary, 3:pore" -> map (any labels,
     * these names); @p what names the labels in error messages.
     */
    static std::map<unsigned int, std::uint8_t>
    parse_label_map(const std::string &text, const std::string &what = "image label");

    /**
     * Throws InputError unless the image covers the box of sizes @p box
     * (x, y, z) to within one voxel along each of its axes; @p file names it.
     */
    void check_covers(const std::array<double, 3> &box, const std::string &file) const;

    /** Phase of the voxel containing x (clamped to the image). */
    std::uint8_t phase_at(const double *x) const;
  };

  /** The image named in subsection Image of @p material (the values of subsection Material). */
  SegmentedImageSource parse_image_source(const ParameterValues &material);
} // namespace weaklink
