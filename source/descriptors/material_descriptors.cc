#include <weaklink/core/parameter_file.h>
#include <weaklink/descriptors/defect_descriptors.h>
#include <weaklink/descriptors/material_descriptors.h>
#include <weaklink/material/material_field.h>
#include <weaklink/microstructure/phase_image.h>
#include <weaklink/microstructure/segmented_image.h>

namespace weaklink
{
  namespace
  {
    template <int dim>
    std::vector<double> generated_descriptors(const MicrostructureParameters &micro,
                                              const SeparatorGeometry &geometry, double voxel_size)
    {
      const double       sizes[3] = {geometry.width, geometry.thickness, geometry.depth};
      dealii::Point<dim> extent;
      for (unsigned int d = 0; d < dim; ++d)
        extent[d] = sizes[d];
      const Microstructure<dim> microstructure(micro, extent);
      const VoxelGrid           grid = voxel_grid_for<dim>(extent, voxel_size);
      return compute_defect_descriptors(grid, rasterize(microstructure, grid),
                                        parse_periodic_axes(micro.periodic_directions, dim));
    }
  } // namespace

  std::optional<std::vector<double>> material_defect_descriptors(dealii::ParameterHandler &prm,
                                                                 const SeparatorGeometry  &geometry,
                                                                 const unsigned int        dim,
                                                                 double voxel_size)
  {
    prm.enter_subsection("Material");
    const std::string                  type = prm.get("Type");
    std::optional<std::vector<double>> values;
    try
      {
        if (type == "image")
          {
            const SegmentedImageSource source = parse_image_source(HandlerValues(prm));
            const auto                 image  = SegmentedImage::read(source, dim);
            if (geometry.type == "box")
              image.check_covers({{geometry.width, geometry.thickness, geometry.depth}},
                                 source.file);
            values =
                compute_defect_descriptors(image.grid, image.phases, parse_periodic_axes("", dim));
          }
        else if (type == "microstructure" && geometry.type == "box")
          {
            prm.enter_subsection("Microstructure");
            MicrostructureParameters micro;
            micro.parse(HandlerValues(prm));
            prm.leave_subsection();
            if (voxel_size == 0)
              voxel_size = 0.5 * micro.boundary_width;
            values = dim == 2 ? generated_descriptors<2>(micro, geometry, voxel_size)
                              : generated_descriptors<3>(micro, geometry, voxel_size);
          }
      }
    catch (...)
      {
        prm.leave_subsection();
        throw;
      }
    prm.leave_subsection();
    return values;
  }
} // namespace weaklink
