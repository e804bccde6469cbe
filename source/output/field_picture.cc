#include <weaklink/core/png_image.h>
#include <weaklink/output/field_picture.h>

#include <deal.II/base/mpi.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace weaklink
{
  using namespace dealii;

  template <int dim>
  void write_field_picture(const DoFHandler<dim> &dof_handler, const BlockVector &solution,
                           const unsigned int component, const MaterialField<dim> &material,
                           const unsigned int width_pixels, const std::string &filename,
                           MPI_Comm mpi_communicator)
  {
    const auto   box   = GridTools::compute_bounding_box(dof_handler.get_triangulation());
    const auto  &low   = box.get_boundary_points().first;
    const auto  &high  = box.get_boundary_points().second;
    const double pixel = (high[0] - low[0]) / width_pixels;
    const auto   height =
        static_cast<unsigned int>(std::max(1.0, std::round((high[1] - low[1]) / pixel)));
    const double plane = dim == 3 ? 0.5 * (low[dim - 1] + high[dim - 1]) : 0.0;

    // Per pixel: the field value and the phase, −1 where this rank has no cell.
    std::vector<float> value(width_pixels * height, -1.f), phase(width_pixels * height, -1.f);
    const FiniteElement<dim> &fe = dof_handler.get_fe();
    const MappingQ1<dim>      mapping;
    Vector<double>            cell_values(fe.n_dofs_per_cell());
    std::vector<Point<dim>>   points;
    std::vector<unsigned int> pixels;
    std::vector<double>       field;
    MaterialPointData         data;
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        const auto cell_box               = cell->bounding_box();
        const auto &[cell_low, cell_high] = cell_box.get_boundary_points();
        if (dim == 3 && (plane < cell_low[dim - 1] || plane > cell_high[dim - 1]))
          continue;
        cell->get_dof_values(solution, cell_values);
        const auto first_column = static_cast<int>(std::ceil((cell_low[0] - low[0]) / pixel - 0.5));
        const auto last_column =
            static_cast<int>(std::floor((cell_high[0] - low[0]) / pixel - 0.5));
        const auto first_row = static_cast<int>(std::ceil((cell_low[1] - low[1]) / pixel - 0.5));
        const auto last_row  = static_cast<int>(std::floor((cell_high[1] - low[1]) / pixel - 0.5));
        points.clear();
        pixels.clear();
        field.clear();
        for (int row = std::max(first_row, 0); row <= std::min(last_row, int(height) - 1); ++row)
          for (int column = std::max(first_column, 0);
               column <= std::min(last_column, int(width_pixels) - 1); ++column)
            {
              Point<dim> x;
              x[0] = low[0] + (column + 0.5) * pixel;
              x[1] = low[1] + (row + 0.5) * pixel;
              if (dim == 3)
                x[dim - 1] = plane;
              Point<dim> unit;
              try
                {
                  unit = mapping.transform_real_to_unit_cell(cell, x);
                }
              catch (const typename Mapping<dim>::ExcTransformationFailed &)
                {
                  continue;
                }
              if (!GeometryInfo<dim>::is_inside_unit_cell(unit, 1e-10))
                continue;
              double sum = 0;
              for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
                if (fe.system_to_component_index(i).first == component)
                  sum += cell_values[i] * fe.shape_value(i, unit);
              points.push_back(x);
              // Rows of the image run top to bottom, y up.
              pixels.push_back((height - 1 - row) * width_pixels + column);
              field.push_back(sum);
            }
        if (points.empty())
          continue;
        material.evaluate_in_cell(points, cell->material_id(), data);
        for (unsigned int k = 0; k < points.size(); ++k)
          {
            value[pixels[k]] = static_cast<float>(std::clamp(field[k], 0.0, 1.0));
            phase[pixels[k]] = data.phase[k];
          }
      }
    Utilities::MPI::max(value, mpi_communicator, value);
    Utilities::MPI::max(phase, mpi_communicator, phase);
    if (Utilities::MPI::this_mpi_process(mpi_communicator) != 0)
      return;

    const double phase_colours[4][3] = {
        {225, 225, 225}, {150, 150, 150}, {235, 150, 40}, {0, 0, 0}};
    const double              field_colour[3] = {25, 80, 220};
    std::vector<std::uint8_t> rgb;
    rgb.reserve(3 * value.size());
    for (std::size_t p = 0; p < value.size(); ++p)
      {
        if (phase[p] < 0) // outside the mesh
          {
            rgb.insert(rgb.end(), {255, 255, 255});
            continue;
          }
        const auto  &base  = phase_colours[std::min(3, static_cast<int>(phase[p]))];
        const double alpha = value[p];
        for (unsigned int c = 0; c < 3; ++c)
          rgb.push_back(static_cast<std::uint8_t>((1 - alpha) * base[c] + alpha * field_colour[c]));
      }
    write_png(filename, width_pixels, height, rgb);
  }

  template void write_field_picture(const DoFHandler<2> &, const BlockVector &, const unsigned int,
                                    const MaterialField<2> &, const unsigned int,
                                    const std::string &, MPI_Comm);
  template void write_field_picture(const DoFHandler<3> &, const BlockVector &, const unsigned int,
                                    const MaterialField<3> &, const unsigned int,
                                    const std::string &, MPI_Comm);
} // namespace weaklink
