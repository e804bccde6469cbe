// weaklink-microstructure: the phases of the microstructure a parameter file
// generates, as a PNG picture (3D: the mid-plane z = D/2) and a summary.
#include <weaklink/app/tool_mains.h>
#include <weaklink/core/case_file.h>
#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/png_image.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/microstructure/microstructure.h>

#include <mpi.h>

#include <iostream>

namespace
{
  const char *usage = "usage: weaklink-microstructure case.prm picture.png [pixels]\n"
                      "  Draws the phases of the microstructure that case.prm generates\n"
                      "  (Material/Type = microstructure): grains light grey, grain boundaries\n"
                      "  dark grey, weak boundaries red, pores black; 3D cases at z = D/2.\n"
                      "  pixels: picture width (default 600).\n";

  template <int dim>
  void draw(const weaklink::SeparatorGeometry &g, const weaklink::MicrostructureParameters &micro,
            const std::string &filename, const unsigned int width_pixels)
  {
    using namespace weaklink;
    dealii::Point<dim> extent;
    const double       sizes[3] = {g.width, g.thickness, g.depth};
    for (unsigned int d = 0; d < dim; ++d)
      extent[d] = sizes[d];
    const Microstructure<dim> m(micro, extent);
    const double              height = width_pixels * g.thickness / g.width;
    if (!(height <= 16384))
      throw InputError("a picture " + std::to_string(width_pixels) + " pixels wide of this " +
                       "separator would be " + std::to_string(height) +
                       " pixels high; at most 16384: choose fewer pixels");
    const unsigned int        height_pixels = std::max(1u, static_cast<unsigned int>(height));
    std::vector<std::uint8_t> rgb;
    const std::uint8_t colours[4][3] = {{215, 215, 215}, {90, 90, 90}, {200, 30, 30}, {0, 0, 0}};
    unsigned int       counts[4]     = {0, 0, 0, 0};
    for (unsigned int row = 0; row < height_pixels; ++row)
      for (unsigned int column = 0; column < width_pixels; ++column)
        {
          dealii::Point<dim> x;
          x[0] = (column + 0.5) / width_pixels * g.width;
          x[1] = (height_pixels - row - 0.5) / height_pixels * g.thickness; // y up
          if (dim == 3)
            x[dim - 1] = 0.5 * g.depth;
          const auto phase = static_cast<unsigned int>(m.phase(x));
          ++counts[phase];
          rgb.insert(rgb.end(), colours[phase], colours[phase] + 3);
        }
    write_png(filename, width_pixels, height_pixels, rgb);
    const double total = static_cast<double>(width_pixels) * height_pixels;
    std::cout << filename << ": " << m.grain_seeds().size() << " grains, "
              << m.pore_centres().size() << " pores; area fractions: grain " << counts[0] / total
              << ", boundary " << counts[1] / total << ", weak boundary " << counts[2] / total
              << ", pore " << counts[3] / total << " (target porosity " << micro.porosity << ")"
              << std::endl;
  }

  int draw_case(int argc, char **argv)
  {
    using namespace weaklink;
    try
      {
        if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h"))
          {
            std::cout << usage;
            return 0;
          }
        if (argc < 3 || argc > 4)
          throw InputError("expected a parameter file and a picture name (see --help)");
        const std::string picture = argv[2];
        if (picture.size() < 5 || picture.compare(picture.size() - 4, 4, ".png") != 0)
          throw InputError("the picture '" + picture + "' must be a .png file");
        unsigned int pixels = 600;
        if (argc == 4)
          {
            pixels = count_argument("pixels", argv[3], 16, 8192);
          }
        const CaseFile    case_file(read_parameter_file(argv[1]));
        SeparatorGeometry geometry;
        geometry.parse(case_file.values());
        if (case_file.values().get("Material/Type") != "microstructure")
          throw InputError(std::string(argv[1]) + ": Material/Type is not microstructure");
        MicrostructureParameters micro;
        micro.parse(case_file.values("Material/Microstructure"));
        if (geometry.type != "box")
          throw InputError("a generated microstructure needs Geometry/Type = box");
        if (case_file.values().get_integer("Dimension") == 2)
          draw<2>(geometry, micro, argv[2], pixels);
        else
          draw<3>(geometry, micro, argv[2], pixels);
        return 0;
      }
    catch (const InputError &error)
      {
        std::cerr << "weaklink-microstructure: error: " << error.what() << std::endl;
        return 2;
      }
    catch (const std::exception &error)
      {
        std::cerr << "weaklink-microstructure: error: " << first_line(error.what()) << std::endl;
        return 3;
      }
  }
} // namespace

int
weaklink::microstructure_main(int argc, char **argv)
{
  start_singletons_quickly();
  MPI_Init(&argc, &argv);
  const int status = draw_case(argc, argv);
  MPI_Finalize();
  return status;
}
