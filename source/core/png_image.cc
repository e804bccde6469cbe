#include <weaklink/core/input_error.h>
#include <weaklink/core/png_image.h>

#include <cstdlib>

#include <zlib.h>

#include <fstream>

namespace weaklink
{
  namespace
  {
    void put_u32(std::vector<std::uint8_t> &out, const std::uint32_t v)
    {
      for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
    }

    /** A PNG chunk: length, type, data, CRC of type and data. */
    void put_chunk(std::vector<std::uint8_t> &file, const char *type,
                   const std::vector<std::uint8_t> &data)
    {
      std::vector<std::uint8_t> chunk;
      put_u32(chunk, data.size());
      chunk.insert(chunk.end(), type, type + 4);
      chunk.insert(chunk.end(), data.begin(), data.end());
      const auto crc = crc32(crc32(0L, Z_NULL, 0), chunk.data() + 4, chunk.size() - 4);
      put_u32(chunk, crc);
      file.insert(file.end(), chunk.begin(), chunk.end());
    }

    std::vector<std::uint8_t> png_bytes(const unsigned int width, const unsigned int height,
                                        const std::vector<std::uint8_t> &rgb)
    {
      if (rgb.size() != static_cast<std::size_t>(width) * height * 3)
        throw InputError("write_png: image data does not match " + std::to_string(width) + " x " +
                         std::to_string(height));
      // Each row starts with filter type 0 (none).
      std::vector<std::uint8_t> raw;
      raw.reserve((3 * width + 1) * height);
      for (unsigned int row = 0; row < height; ++row)
        {
          raw.push_back(0);
          raw.insert(raw.end(), rgb.begin() + 3ull * width * row,
                     rgb.begin() + 3ull * width * (row + 1));
        }
      uLongf                    compressed_size = compressBound(raw.size());
      std::vector<std::uint8_t> compressed(compressed_size);
      if (compress2(compressed.data(), &compressed_size, raw.data(), raw.size(), 9) != Z_OK)
        throw InputError("write_png: compression failed");
      compressed.resize(compressed_size);

      std::vector<std::uint8_t> file = {137, 80, 78, 71, 13, 10, 26, 10};
      std::vector<std::uint8_t> header;
      put_u32(header, width);
      put_u32(header, height);
      header.insert(header.end(), {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
      put_chunk(file, "IHDR", header);
      put_chunk(file, "IDAT", compressed);
      put_chunk(file, "IEND", {});
      return file;
    }
  } // namespace

  void write_png(const std::string &filename, const unsigned int width, const unsigned int height,
                 const std::vector<std::uint8_t> &rgb)
  {
    const auto    bytes = png_bytes(width, height, rgb);
    std::ofstream file(filename, std::ios::binary);
    file.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    if (!file)
      throw InputError("cannot write '" + filename + "'");
  }

  std::string png_data_uri(const unsigned int width, const unsigned int height,
                           const std::vector<std::uint8_t> &rgb)
  {
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto        bytes    = png_bytes(width, height, rgb);
    std::string       uri      = "data:image/png;base64,";
    uri.reserve(uri.size() + 4 * (bytes.size() + 2) / 3);
    for (std::size_t i = 0; i < bytes.size(); i += 3)
      {
        const std::size_t   left  = bytes.size() - i;
        const std::uint32_t group = (std::uint32_t(bytes[i]) << 16) |
                                    (left > 1 ? std::uint32_t(bytes[i + 1]) << 8 : 0u) |
                                    (left > 2 ? std::uint32_t(bytes[i + 2]) : 0u);
        uri += digits[(group >> 18) & 63];
        uri += digits[(group >> 12) & 63];
        uri += left > 1 ? digits[(group >> 6) & 63] : '=';
        uri += left > 2 ? digits[group & 63] : '=';
      }
    return uri;
  }

  bool render_svg_as_png(const std::string &svg_file, const std::string &png_file)
  {
    const std::string command = "rsvg-convert -o '" + png_file + "' '" + svg_file + "'";
    return std::system(command.c_str()) == 0;
  }
} // namespace weaklink
