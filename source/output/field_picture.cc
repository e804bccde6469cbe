#include <weaklink/core/png_image.h>
#include <weaklink/output/field_picture.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    struct Colour
    {
      double red, green, blue;
    };
    // Grain, grain boundary, weak boundary, pore (weaklink::Phase order).
    const Colour phase_colours[4] = {{225, 225, 225}, {150, 150, 150}, {235, 150, 40}, {0, 0, 0}};
    const char  *phase_names[4]   = {"grain", "grain boundary", "weak boundary", "pore (empty)"};
    const Colour damage_colour    = {25, 80, 220};
    const Colour lithium_colour   = {200, 20, 60};

    std::string svg_colour(const Colour &c)
    {
      char text[32];
      std::snprintf(text, sizeof(text), "rgb(%d,%d,%d)", int(c.red), int(c.green), int(c.blue));
      return text;
    }

    Colour blend(const Colour &below, const Colour &above, const double alpha)
    {
      const auto mix = [alpha](const double a, const double b) {
        return (1 - alpha) * a + alpha * b;
      };
      return {mix(below.red, above.red), mix(below.green, above.green),
              mix(below.blue, above.blue)};
    }

    /** A number in at most @p digits significant digits, without trailing zeros. */
    std::string short_number(const double value, const int digits = 4)
    {
      char text[32];
      std::snprintf(text, sizeof(text), "%.*g", digits, value);
      return text;
    }

    /** The longest 1, 2 or 5 × 10^k not above @p limit. */
    double round_length_below(const double limit)
    {
      const double decade = std::pow(10.0, std::floor(std::log10(limit)));
      for (const double mantissa : {5.0, 2.0, 1.0})
        if (mantissa * decade <= limit)
          return mantissa * decade;
      return decade;
    }

    /** A horizontal colour bar from the grain colour to @p colour, with ticks 0, 0.5, 1. */
    void colour_bar(std::ostream &svg, const std::string &id, const std::string &label,
                    const Colour &colour, const double x, const double y)
    {
      const double width = 140, height = 12;
      svg << "<defs><linearGradient id='" << id << "'><stop offset='0' stop-color='"
          << svg_colour(phase_colours[0]) << "'/><stop offset='1' stop-color='"
          << svg_colour(colour) << "'/></linearGradient></defs>\n"
          << "<text x='" << x << "' y='" << y - 5 << "'>" << label << "</text>\n"
          << "<rect x='" << x << "' y='" << y << "' width='" << width << "' height='" << height
          << "' fill='url(#" << id << ")' stroke='black' stroke-width='0.5'/>\n";
      for (const double tick : {0.0, 0.5, 1.0})
        svg << "<line x1='" << x + tick * width << "' y1='" << y + height << "' x2='"
            << x + tick * width << "' y2='" << y + height + 4 << "' stroke='black'/>"
            << "<text x='" << x + tick * width << "' y='" << y + height + 16
            << "' text-anchor='middle'>" << short_number(tick) << "</text>\n";
    }
  } // namespace

  template <int dim>
  void write_field_picture(const DoFHandler<dim> &dof_handler, const BlockVector &solution,
                           const CrackPictureFields<dim> &components,
                           const MaterialField<dim> &material, const unsigned int width_pixels,
                           const std::optional<BoundingBox<2>> &region, const double time,
                           const std::string &stem, MPI_Comm mpi_communicator)
  {
    const auto box = GridTools::compute_bounding_box(dof_handler.get_triangulation());
    auto       low = box.get_boundary_points().first, high = box.get_boundary_points().second;
    if (region)
      for (unsigned int d = 0; d < 2; ++d)
        {
          low[d]  = region->get_boundary_points().first[d];
          high[d] = region->get_boundary_points().second[d];
        }
    const double pixel = (high[0] - low[0]) / width_pixels;
    const auto   height =
        static_cast<unsigned int>(std::max(1.0, std::round((high[1] - low[1]) / pixel)));
    const double plane = dim == 3 ? 0.5 * (low[dim - 1] + high[dim - 1]) : 0.0;

    // Per pixel: damage, lithium filling and phase, −1 where this rank has no cell.
    std::vector<float> damage(width_pixels * height, -1.f), lithium(width_pixels * height, -1.f),
        phase(width_pixels * height, -1.f);
    const FiniteElement<dim> &fe = dof_handler.get_fe();
    const MappingQ1<dim>      mapping;
    std::vector<Point<dim>>   points;
    std::vector<unsigned int> pixels;
    std::vector<Point<dim>>   unit_points;
    MaterialPointData         data;
    CoupledPoint<dim>         coupled;
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        const auto cell_box               = cell->bounding_box();
        const auto &[cell_low, cell_high] = cell_box.get_boundary_points();
        if (dim == 3 && (plane < cell_low[dim - 1] || plane > cell_high[dim - 1]))
          continue;
        const auto first_column = static_cast<int>(std::ceil((cell_low[0] - low[0]) / pixel - 0.5));
        const auto last_column =
            static_cast<int>(std::floor((cell_high[0] - low[0]) / pixel - 0.5));
        const auto first_row = static_cast<int>(std::ceil((cell_low[1] - low[1]) / pixel - 0.5));
        const auto last_row  = static_cast<int>(std::floor((cell_high[1] - low[1]) / pixel - 0.5));
        points.clear();
        pixels.clear();
        unit_points.clear();
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
              points.push_back(x);
              unit_points.push_back(unit);
              // Rows of the image run top to bottom, y up.
              pixels.push_back((height - 1 - row) * width_pixels + column);
            }
        if (points.empty())
          continue;
        material.evaluate_in_cell(points, cell->material_id(), data);
        // Every field at the pixels; gradients for the metal θ, by the same law
        // as the field output's `filling`.
        const bool    with_metal = components.lithium_metal != nullptr;
        FEValues<dim> at_pixels(mapping, fe, Quadrature<dim>(unit_points),
                                with_metal ? update_values | update_gradients : update_values);
        at_pixels.reinit(cell);
        std::vector<Vector<double>> values(points.size(), Vector<double>(fe.n_components()));
        std::vector<std::vector<Tensor<1, dim>>> gradients;
        at_pixels.get_function_values(solution, values);
        if (with_metal)
          {
            gradients.assign(points.size(), std::vector<Tensor<1, dim>>(fe.n_components()));
            at_pixels.get_function_gradients(solution, gradients);
            components.lithium_metal->attach_crack_aperture(cell, data);
          }
        for (unsigned int k = 0; k < points.size(); ++k)
          {
            const bool pore = data.phase[k] == 3 /* Phase::pore */;
            damage[pixels[k]] =
                static_cast<float>(pore ? 0.0 : std::clamp(values[k][components.damage], 0.0, 1.0));
            phase[pixels[k]] = data.phase[k];
            if (!with_metal)
              continue;
            FieldPoint<dim> at_point;
            at_point.values    = &values[k];
            at_point.gradients = &gradients[k];
            components.lithium_metal->evaluate(points[k], data, k, at_point, time, false, coupled);
            lithium[pixels[k]] = static_cast<float>(std::clamp(coupled.filling.value, 0.0, 1.0));
          }
      }
    Utilities::MPI::max(damage, mpi_communicator, damage);
    Utilities::MPI::max(lithium, mpi_communicator, lithium);
    Utilities::MPI::max(phase, mpi_communicator, phase);
    if (Utilities::MPI::this_mpi_process(mpi_communicator) != 0)
      return;

    std::vector<std::uint8_t> rgb;
    rgb.reserve(3 * damage.size());
    for (std::size_t p = 0; p < damage.size(); ++p)
      {
        Colour colour = {255, 255, 255}; // outside the mesh
        if (phase[p] >= 0)
          colour = blend(blend(phase_colours[std::min(3, static_cast<int>(phase[p]))],
                               damage_colour, damage[p]),
                         lithium_colour, lithium[p]);
        for (const double c : {colour.red, colour.green, colour.blue})
          rgb.push_back(static_cast<std::uint8_t>(std::lround(c)));
      }

    // The annotated picture: raster left, legend right, scale bar below.
    const double margin = 14, title_height = 30, legend_width = 190;
    const double image_x = margin, image_y = margin + title_height;
    const double total_width   = image_x + width_pixels + 20 + legend_width;
    const double legend_x      = image_x + width_pixels + 20;
    const double legend_height = 4 * 20 + (components.lithium_metal ? 140 : 60);
    const double total_height  = std::max(image_y + height + 46, image_y + legend_height) + margin;
    const double bar_length    = round_length_below(0.3 * (high[0] - low[0]));
    const double bar_pixels    = bar_length / pixel;
    std::string  title         = components.lithium_metal ? "Damage and lithium metal" : "Damage";
    title += " at t = " + short_number(time) + " s";
    if (dim == 3)
      title += ", mid-plane z = " + short_number(plane * 1e6) + " µm";
    if (region)
      title += ", x " + short_number(low[0] * 1e6) + "–" + short_number(high[0] * 1e6) + " µm, y " +
               short_number(low[1] * 1e6) + "–" + short_number(high[1] * 1e6) + " µm";
    std::ofstream svg(stem + ".svg");
    svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << total_width << "' height='"
        << total_height << "' font-family='DejaVu Sans, sans-serif' font-size='12'>\n"
        << "<rect width='100%' height='100%' fill='white'/>\n"
        << "<text x='" << margin << "' y='" << margin + 14 << "' font-size='15'>" << title
        << "</text>\n"
        << "<image x='" << image_x << "' y='" << image_y << "' width='" << width_pixels
        << "' height='" << height << "' href='" << png_data_uri(width_pixels, height, rgb)
        << "'/>\n"
        << "<rect x='" << image_x << "' y='" << image_y << "' width='" << width_pixels
        << "' height='" << height << "' fill='none' stroke='black' stroke-width='0.5'/>\n";
    const double bar_y = image_y + height + 18;
    svg << "<line x1='" << image_x << "' y1='" << bar_y << "' x2='" << image_x + bar_pixels
        << "' y2='" << bar_y << "' stroke='black' stroke-width='3'/>\n"
        << "<text x='" << image_x + 0.5 * bar_pixels << "' y='" << bar_y + 16
        << "' text-anchor='middle'>" << short_number(bar_length * 1e6) << " µm</text>\n";
    for (unsigned int k = 0; k < 4; ++k)
      {
        const double y = image_y + 20 * k;
        svg << "<rect x='" << legend_x << "' y='" << y << "' width='14' height='14' fill='"
            << svg_colour(phase_colours[k]) << "' stroke='black' stroke-width='0.5'/>"
            << "<text x='" << legend_x + 20 << "' y='" << y + 11 << "'>" << phase_names[k]
            << "</text>\n";
      }
    colour_bar(svg, "damage", "damage d", damage_colour, legend_x, image_y + 4 * 20 + 22);
    if (components.lithium_metal)
      colour_bar(svg, "lithium", "lithium metal (filling)", lithium_colour, legend_x,
                 image_y + 4 * 20 + 72);
    // Lithium runs are separators: name the electrodes the picture reaches.
    if (components.lithium_metal)
      {
        const auto  &mesh_low  = box.get_boundary_points().first;
        const auto  &mesh_high = box.get_boundary_points().second;
        const double tolerance = 1e-9 * (mesh_high[1] - mesh_low[1]);
        double       note_y    = image_y + 4 * 20 + 122;
        if (high[1] >= mesh_high[1] - tolerance)
          {
            svg << "<text x='" << legend_x << "' y='" << note_y
                << "'>top: counter electrode</text>\n";
            note_y += 16;
          }
        if (low[1] <= mesh_low[1] + tolerance)
          svg << "<text x='" << legend_x << "' y='" << note_y
              << "'>bottom: lithium electrode</text>\n";
      }
    svg << "</svg>\n";
    svg.close();
    if (!svg || !render_svg_as_png(stem + ".svg", stem + ".png"))
      {
        std::cerr << "weaklink: could not render " << stem << ".svg; " << stem
                  << ".png is the picture without its legend" << std::endl;
        write_png(stem + ".png", width_pixels, height, rgb);
      }
  }

  template void write_field_picture(const DoFHandler<2> &, const BlockVector &,
                                    const CrackPictureFields<2> &, const MaterialField<2> &,
                                    const unsigned int, const std::optional<BoundingBox<2>> &,
                                    const double, const std::string &, MPI_Comm);
  template void write_field_picture(const DoFHandler<3> &, const BlockVector &,
                                    const CrackPictureFields<3> &, const MaterialField<3> &,
                                    const unsigned int, const std::optional<BoundingBox<2>> &,
                                    const double, const std::string &, MPI_Comm);
} // namespace weaklink
