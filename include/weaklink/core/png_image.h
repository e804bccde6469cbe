#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Writes an 8-bit RGB image as PNG (rows top to bottom, 3 bytes a pixel),
   * compressed with zlib. Throws InputError when the file cannot be written.
   */
  void write_png(const std::string &filename, const unsigned int width, const unsigned int height,
                 const std::vector<std::uint8_t> &rgb);

  /** The same image as a data URI (`data:image/png;base64,...`), to embed in an SVG. */
  std::string png_data_uri(const unsigned int width, const unsigned int height,
                           const std::vector<std::uint8_t> &rgb);

  /**
   * Renders the SVG file @p svg_file as @p png_file with Debian's
   * rsvg-convert (package librsvg2-bin); false if that did not work.
   */
  bool render_svg_as_png(const std::string &svg_file, const std::string &png_file);
} // namespace weaklink
