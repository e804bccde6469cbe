#include <weaklink/core/input_error.h>
#include <weaklink/microstructure/phase_image.h>

#include <cmath>

namespace weaklink
{
  template <int dim>
  VoxelGrid voxel_grid_for(const dealii::Point<dim> &extent, const double voxel_size)
  {
    VoxelGrid grid;
    grid.dim       = dim;
    double n_total = 1;
    for (unsigned int d = 0; d < dim; ++d)
      {
        const double count = std::max(1.0, std::round(extent[d] / voxel_size));
        n_total *= count;
        grid.n[d]       = static_cast<unsigned int>(count);
        grid.spacing[d] = extent[d] / count;
      }
    if (!(voxel_size > 0) || n_total > 2e9)
      throw InputError("voxel size " + std::to_string(voxel_size) + " m gives " +
                       std::to_string(n_total) + " voxels (at most 2e9)");
    return grid;
  }

  template <int dim>
  std::vector<std::uint8_t> rasterize(const Microstructure<dim> &microstructure,
                                      const VoxelGrid           &grid)
  {
    std::vector<std::uint8_t> phases(grid.size());
    dealii::Point<dim>        x;
    for (unsigned int k = 0; k < grid.n[2]; ++k)
      for (unsigned int j = 0; j < grid.n[1]; ++j)
        for (unsigned int i = 0; i < grid.n[0]; ++i)
          {
            const unsigned int index[3] = {i, j, k};
            for (unsigned int d = 0; d < dim; ++d)
              x[d] = (index[d] + 0.5) * grid.spacing[d];
            phases[grid.index(i, j, k)] = static_cast<std::uint8_t>(microstructure.phase(x));
          }
    return phases;
  }

  template VoxelGrid                 voxel_grid_for<2>(const dealii::Point<2> &, double);
  template VoxelGrid                 voxel_grid_for<3>(const dealii::Point<3> &, double);
  template std::vector<std::uint8_t> rasterize<2>(const Microstructure<2> &, const VoxelGrid &);
  template std::vector<std::uint8_t> rasterize<3>(const Microstructure<3> &, const VoxelGrid &);
} // namespace weaklink
