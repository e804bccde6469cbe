#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_text.h>
#include <weaklink/microstructure/segmented_image.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace weaklink
{
  namespace
  {
    std::string trim(const std::string &text)
    {
      const auto first = text.find_first_not_of(" \t\r");
      const auto last  = text.find_last_not_of(" \t\r");
      return first == std::string::npos ? "" : text.substr(first, last - first + 1);
    }

    std::string upper(std::string text)
    {
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      return text;
    }

    std::vector<unsigned int> read_raw(const std::string &file, const std::size_t count,
                                       const unsigned int bytes)
    {
      std::ifstream in(file, std::ios::binary | std::ios::ate);
      if (!in)
        throw InputError("cannot open image '" + file + "'");
      const std::size_t size = in.tellg();
      if (size != count * bytes)
        throw InputError("image '" + file + "' has " + std::to_string(size) + " bytes; " +
                         std::to_string(count) + " voxels of " + std::to_string(bytes) +
                         " byte(s) need " + std::to_string(count * bytes));
      in.seekg(0);
      std::vector<unsigned char> buffer(size);
      in.read(reinterpret_cast<char *>(buffer.data()), size);
      std::vector<unsigned int> labels(count);
      for (std::size_t v = 0; v < count; ++v)
        labels[v] = bytes == 1 ? buffer[v] : buffer[2 * v] | (unsigned(buffer[2 * v + 1]) << 8);
      return labels;
    }

    // Legacy VTK STRUCTURED_POINTS with one scalar array.
    std::vector<unsigned int> read_vtk(const std::string &file, VoxelGrid &grid,
                                       const unsigned int dim)
    {
      std::ifstream in(file, std::ios::binary);
      if (!in)
        throw InputError("cannot open image '" + file + "'");
      std::string line;
      const auto  fail = [&](const std::string &why) {
        throw InputError("VTK image '" + file + "': " + why);
      };
      std::getline(in, line);
      if (line.rfind("# vtk DataFile", 0) != 0)
        fail("not a legacy VTK file (first line '" + trim(line) + "')");
      std::getline(in, line); // title
      std::getline(in, line);
      const std::string encoding = upper(trim(line));
      if (encoding != "ASCII" && encoding != "BINARY")
        fail("encoding '" + trim(line) + "' is neither ASCII nor BINARY");
      bool        have_dimensions = false, have_spacing = false;
      std::string type;
      std::size_t points = 0;
      while (std::getline(in, line))
        {
          std::istringstream words(line);
          std::string        keyword;
          words >> keyword;
          keyword = upper(keyword);
          if (keyword.empty())
            continue;
          if (keyword == "DATASET")
            {
              std::string dataset;
              words >> dataset;
              if (upper(dataset) != "STRUCTURED_POINTS")
                fail("dataset '" + dataset + "' is not STRUCTURED_POINTS");
            }
          else if (keyword == "DIMENSIONS")
            {
              long n[3] = {0, 0, 0};
              words >> n[0] >> n[1] >> n[2];
              if (!words || n[0] < 1 || n[1] < 1 || n[2] < 1)
                fail("bad DIMENSIONS line '" + trim(line) + "'");
              for (unsigned int d = 0; d < 3; ++d)
                grid.n[d] = n[d];
              have_dimensions = true;
            }
          else if (keyword == "SPACING" || keyword == "ASPECT_RATIO")
            {
              words >> grid.spacing[0] >> grid.spacing[1] >> grid.spacing[2];
              if (!words || !(grid.spacing[0] > 0 && grid.spacing[1] > 0 && grid.spacing[2] > 0))
                fail("bad SPACING line '" + trim(line) + "'");
              have_spacing = true;
            }
          else if (keyword == "ORIGIN")
            ;
          else if (keyword == "POINT_DATA" || keyword == "CELL_DATA")
            words >> points;
          else if (keyword == "SCALARS")
            {
              std::string name;
              words >> name >> type;
              type = upper(type);
              std::getline(in, line); // LOOKUP_TABLE
              if (upper(trim(line)).rfind("LOOKUP_TABLE", 0) != 0)
                fail("SCALARS not followed by LOOKUP_TABLE");
              break;
            }
          else
            fail("unexpected line '" + trim(line) + "'");
        }
      if (!have_dimensions || !have_spacing || type.empty())
        fail("DIMENSIONS, SPACING and SCALARS are all needed");
      if (dim == 2 && grid.n[2] != 1)
        fail("a 2D case needs an image one voxel thick, not " + std::to_string(grid.n[2]));
      grid.dim = dim;
      if (points != grid.size())
        fail(std::to_string(points) + " data values for " + std::to_string(grid.size()) +
             " voxels");
      std::vector<unsigned int> labels(grid.size());
      if (encoding == "ASCII")
        {
          for (auto &label : labels)
            {
              double value;
              if (!(in >> value))
                fail("fewer values than voxels");
              if (value < 0 || value != std::floor(value))
                fail("label " + std::to_string(value) + " is not a non-negative integer");
              label = static_cast<unsigned int>(value);
            }
        }
      else
        {
          const unsigned int bytes = type == "UNSIGNED_CHAR" || type == "CHAR"     ? 1
                                     : type == "UNSIGNED_SHORT" || type == "SHORT" ? 2
                                                                                   : 0;
          if (bytes == 0)
            fail("binary scalars of type '" + type + "' (use unsigned_char or unsigned_short)");
          std::vector<unsigned char> buffer(labels.size() * bytes);
          in.read(reinterpret_cast<char *>(buffer.data()), buffer.size());
          if (std::size_t(in.gcount()) != buffer.size())
            fail("fewer bytes than voxels");
          // Binary legacy VTK is big endian.
          for (std::size_t v = 0; v < labels.size(); ++v)
            labels[v] = bytes == 1 ? buffer[v] : (unsigned(buffer[2 * v]) << 8) | buffer[2 * v + 1];
        }
      return labels;
    }
  } // namespace

  std::map<unsigned int, std::uint8_t> SegmentedImage::parse_label_map(const std::string &text,
                                                                       const std::string &what)
  {
    const std::map<std::string, std::uint8_t> names = {
        {"grain", 0}, {"grain boundary", 1}, {"weak boundary", 2}, {"pore", 3}};
    std::map<unsigned int, std::uint8_t> map;
    std::stringstream                    entries(text);
    for (std::string entry; std::getline(entries, entry, ',');)
      {
        if (trim(entry).empty())
          continue;
        const auto colon = entry.find(':');
        const auto name  = colon == std::string::npos ? "" : trim(entry.substr(colon + 1));
        if (colon == std::string::npos || !names.count(name))
          throw InputError(
              what + " map entry '" + trim(entry) +
              "' is not 'label:phase' with phase grain, grain boundary, weak boundary or pore");
        std::size_t used  = 0;
        long        label = -1;
        try
          {
            label = std::stol(trim(entry.substr(0, colon)), &used);
          }
        catch (const std::exception &)
          {
            used = 0;
          }
        if (used == 0 || label < 0 || label > 65535)
          throw InputError(what + " '" + trim(entry.substr(0, colon)) +
                           "' is not an integer in [0, 65535]");
        map[label] = names.at(name);
      }
    if (map.empty())
      throw InputError("the " + what + " map is empty");
    return map;
  }

  SegmentedImage SegmentedImage::read(const SegmentedImageSource &source, const unsigned int dim)
  {
    std::string format = source.format;
    if (format == "auto")
      {
        const auto dot       = source.file.find_last_of('.');
        const auto extension = dot == std::string::npos ? "" : source.file.substr(dot + 1);
        format               = extension == "vtk" ? "vtk" : extension == "raw" ? "raw8" : "";
        if (format.empty())
          throw InputError("image '" + source.file +
                           "': cannot tell the format from the extension; set Format");
      }
    SegmentedImage            image;
    std::vector<unsigned int> labels;
    if (format == "vtk")
      labels = read_vtk(source.file, image.grid, dim);
    else if (format == "raw8" || format == "raw16")
      {
        image.grid.dim = dim;
        image.grid.n   = source.size;
        if (dim == 2)
          image.grid.n[2] = 1;
        if (image.grid.size() == 0)
          throw InputError("image '" + source.file + "': set its size (voxels per direction)");
        if (!(source.voxel_size > 0))
          throw InputError("image '" + source.file + "': set a positive voxel size");
        image.grid.spacing = {{source.voxel_size, source.voxel_size, source.voxel_size}};
        labels             = read_raw(source.file, image.grid.size(), format == "raw8" ? 1 : 2);
      }
    else
      throw InputError("unknown image format '" + format + "' (auto, raw8, raw16, vtk)");
    // A 2D image has no thickness to give a 3D case: its z spacing is
    // whatever the file says (1 m by VTK's default).
    if (dim == 3 && image.grid.n[2] == 1)
      throw InputError("image '" + source.file +
                       "' is one voxel thick (a 2D image); a 3D case needs a 3D image");
    image.phases.resize(labels.size());
    for (std::size_t v = 0; v < labels.size(); ++v)
      {
        const auto found = source.label_to_phase.find(labels[v]);
        if (found == source.label_to_phase.end())
          throw InputError("image '" + source.file + "': voxel " + std::to_string(v) +
                           " has label " + std::to_string(labels[v]) +
                           ", which the label map does not name");
        image.phases[v] = found->second;
      }
    return image;
  }

  void SegmentedImage::check_covers(const std::array<double, 3> &box, const std::string &file) const
  {
    for (unsigned int d = 0; d < grid.dim; ++d)
      {
        const double covered = grid.n[d] * grid.spacing[d];
        if (std::abs(covered - box[d]) > grid.spacing[d])
          {
            std::ostringstream why;
            why << "image '" << file << "' covers " << covered << " m along axis " << d
                << ", the separator " << box[d] << " m";
            throw InputError(why.str());
          }
      }
  }

  std::uint8_t SegmentedImage::phase_at(const double *x) const
  {
    unsigned int index[3] = {0, 0, 0};
    for (unsigned int d = 0; d < grid.dim; ++d)
      {
        const double i = std::floor(x[d] / grid.spacing[d]);
        index[d]       = static_cast<unsigned int>(std::clamp(i, 0.0, double(grid.n[d] - 1)));
      }
    return phases[grid.index(index[0], index[1], index[2])];
  }

  SegmentedImageSource parse_image_source(const ParameterValues &material)
  {
    SegmentedImageSource source;
    source.file   = material.get("Image/File");
    source.format = material.get("Image/Format");
    if (source.file.empty())
      throw InputError("Material/Type = image needs Material/Image/File");
    const auto sizes = split_list(material.get("Image/Size"), ',');
    for (unsigned int d = 0; d < sizes.size() && d < 3; ++d)
      {
        double n = 0;
        if (read_decimal(sizes[d], n) != DecimalReading::finite || n < 1 || n > 1e6 ||
            n != std::floor(n))
          throw InputError("Material/Image/Size: '" + sizes[d] +
                           "' is not a positive voxel count (counts are separated by commas)");
        source.size[d] = static_cast<unsigned int>(n);
      }
    source.voxel_size     = material.get_double("Image/Voxel size");
    source.label_to_phase = SegmentedImage::parse_label_map(material.get("Image/Labels"));
    return source;
  }
} // namespace weaklink
