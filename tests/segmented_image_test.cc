// Segmented images as microstructures: raw 8/16-bit and legacy VTK (ASCII and
// binary) give the same phases; label maps; every malformed file is an
// InputError that names the problem.
#include <weaklink/core/input_error.h>
#include <weaklink/microstructure/segmented_image.h>

#include <gtest/gtest.h>
#include <test_support.h>

#include <fstream>

using namespace weaklink;

namespace
{
  // A 5 x 4 x 3 image with labels 10 (grain), 20 (boundary), 30 (weak), 40 (pore).
  std::vector<unsigned int> labels()
  {
    std::vector<unsigned int> l(60);
    for (std::size_t v = 0; v < l.size(); ++v)
      l[v] = 10 * (1 + (v * 7 + v / 5) % 4);
    return l;
  }

  const std::string label_map = "10:grain, 20:grain boundary, 30:weak boundary, 40:pore";

  std::string message(const SegmentedImageSource &source, unsigned int dim = 3)
  {
    try
      {
        SegmentedImage::read(source, dim);
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "no error";
  }
} // namespace

TEST(SegmentedImage, RawAndVtkFilesGiveTheSamePhases)
{
  const std::string directory = test_support::temporary_directory("segmented_image");
  const auto        l         = labels();
  {
    std::ofstream raw8(directory + "/image.raw", std::ios::binary),
        raw16(directory + "/image16.raw", std::ios::binary);
    for (const auto v : l)
      {
        raw8.put(char(v));
        const unsigned int wide = v + 1000; // labels above 255 need 16 bits
        raw16.put(char(wide & 0xff));
        raw16.put(char(wide >> 8));
      }
    std::ofstream ascii(directory + "/image.vtk"),
        binary(directory + "/binary.vtk", std::ios::binary);
    for (std::ostream *out :
         {static_cast<std::ostream *>(&ascii), static_cast<std::ostream *>(&binary)})
      *out
          << "# vtk DataFile Version 3.0\ntest\n"
          << (out == &ascii ? "ASCII" : "BINARY")
          << "\nDATASET STRUCTURED_POINTS\nDIMENSIONS 5 4 3\nORIGIN 0 0 0\nSPACING 2e-6 2e-6 2e-6\n"
             "POINT_DATA 60\nSCALARS label unsigned_short 1\nLOOKUP_TABLE default\n";
    for (const auto v : l)
      {
        ascii << v << "\n";
        binary.put(0); // big endian
        binary.put(char(v));
      }
  }
  SegmentedImageSource source;
  source.label_to_phase = SegmentedImage::parse_label_map(label_map);
  source.file           = directory + "/image.raw";
  source.size           = {{5, 4, 3}};
  source.voxel_size     = 2e-6;
  const auto raw        = SegmentedImage::read(source, 3);
  ASSERT_EQ(raw.phases.size(), 60u);
  for (std::size_t v = 0; v < l.size(); ++v)
    EXPECT_EQ(raw.phases[v], l[v] / 10 - 1);
  const double inside[3] = {2 * 2e-6 + 1e-7, 3 * 2e-6 + 1e-7, 1 * 2e-6 + 1e-7};
  EXPECT_EQ(raw.phase_at(inside), l[2 + 5 * (3 + 4 * 1)] / 10 - 1);

  SegmentedImageSource wide = source;
  wide.file                 = directory + "/image16.raw";
  wide.format               = "raw16";
  wide.label_to_phase       = SegmentedImage::parse_label_map(
            "1010:grain, 1020:grain boundary, 1030:weak boundary, 1040:pore");
  EXPECT_EQ(SegmentedImage::read(wide, 3).phases, raw.phases);

  for (const char *name : {"/image.vtk", "/binary.vtk"})
    {
      SegmentedImageSource vtk;
      vtk.file           = directory + name;
      vtk.label_to_phase = source.label_to_phase;
      const auto image   = SegmentedImage::read(vtk, 3);
      EXPECT_EQ(image.phases, raw.phases) << name;
      EXPECT_DOUBLE_EQ(image.grid.spacing[1], 2e-6);
      EXPECT_EQ(image.grid.n[2], 3u);
    }

  // Bad files and inconsistent sizes.
  SegmentedImageSource bad = source;
  bad.size                 = {{5, 4, 4}};
  EXPECT_NE(message(bad).find("has 60 bytes; 80 voxels of 1 byte(s) need 80"), std::string::npos)
      << message(bad);
  bad      = source;
  bad.file = directory + "/missing.raw";
  EXPECT_NE(message(bad).find("cannot open image"), std::string::npos);
  bad                = source;
  bad.label_to_phase = SegmentedImage::parse_label_map("10:grain, 20:grain boundary, 30:pore");
  EXPECT_NE(message(bad).find("has label 40, which the label map does not name"), std::string::npos)
      << message(bad);
  bad        = source;
  bad.file   = directory + "/image.vtk";
  bad.format = "auto";
  EXPECT_NE(message(bad, 2).find("a 2D case needs an image one voxel thick"), std::string::npos)
      << message(bad, 2);
  {
    // A 2D image (one voxel thick, VTK's default z spacing of 1) in a 3D case.
    std::ofstream flat(directory + "/flat.vtk");
    flat << "# vtk DataFile Version 3.0\nflat\nASCII\nDATASET STRUCTURED_POINTS\nDIMENSIONS 5 4 "
            "1\nSPACING 2e-6 2e-6 1\nPOINT_DATA 20\nSCALARS label int 1\nLOOKUP_TABLE default\n";
    for (unsigned int v = 0; v < 20; ++v)
      flat << l[v] << "\n";
  }
  bad.file = directory + "/flat.vtk";
  EXPECT_EQ(SegmentedImage::read(bad, 2).phases.size(), 20u);
  EXPECT_NE(message(bad, 3).find("is one voxel thick (a 2D image); a 3D case needs a 3D image"),
            std::string::npos)
      << message(bad, 3);
  SegmentedImageSource flat_raw = source;
  flat_raw.size                 = {{5, 4, 1}};
  {
    std::ofstream raw(directory + "/flat.raw", std::ios::binary);
    for (unsigned int v = 0; v < 20; ++v)
      raw.put(char(l[v]));
  }
  flat_raw.file = directory + "/flat.raw";
  EXPECT_NE(message(flat_raw, 3).find("one voxel thick"), std::string::npos)
      << message(flat_raw, 3);
  {
    std::ofstream broken(directory + "/broken.vtk");
    broken
        << "# vtk DataFile Version 3.0\nbroken\nASCII\nDATASET STRUCTURED_POINTS\nDIMENSIONS 5 4\n";
  }
  bad.file = directory + "/broken.vtk";
  EXPECT_NE(message(bad).find("bad DIMENSIONS line"), std::string::npos) << message(bad);
  {
    std::ofstream short_file(directory + "/short.vtk");
    short_file
        << "# vtk DataFile Version 3.0\nshort\nASCII\nDATASET STRUCTURED_POINTS\nDIMENSIONS 5 4 3\n"
           "SPACING 1 1 1\nPOINT_DATA 60\nSCALARS label int 1\nLOOKUP_TABLE default\n10 20 30\n";
  }
  bad.file = directory + "/short.vtk";
  EXPECT_NE(message(bad).find("fewer values than voxels"), std::string::npos) << message(bad);
  EXPECT_THROW(SegmentedImage::parse_label_map("10:granite"), InputError);
  EXPECT_THROW(SegmentedImage::parse_label_map("x:pore"), InputError);
}
