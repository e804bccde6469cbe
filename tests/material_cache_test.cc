// MaterialCache: the material of a cell is evaluated once per mesh and read
// back unchanged; a new mesh (clear, or another cell count) evaluates again,
// and data it cannot hold whole is never served from the cache.
#include <weaklink/material/material_cache.h>

#include <gtest/gtest.h>

using namespace weaklink;

namespace
{
  /** A material whose every property tells the cell and point it was made for. */
  struct CountingMaterial
  {
    unsigned int calls = 0;

    void operator()(const unsigned int cell, MaterialPointData &data)
    {
      ++calls;
      data.resize(4);
      for (unsigned int q = 0; q < 4; ++q)
        {
          const double tag                = 10.0 * cell + q;
          data.ionic_conductivity[q]      = tag + 0.1;
          data.electronic_conductivity[q] = tag + 0.2;
          data.deposition_area_density[q] = tag + 0.3;
          data.nucleation_site_density[q] = tag + 0.4;
          data.youngs_modulus[q]          = tag + 0.5;
          data.poisson_ratio[q]           = tag + 0.6;
          data.fracture_energy[q]         = tag + 0.7;
          data.phase[q]                   = static_cast<unsigned char>(cell + q);
        }
    }
  };

  void expect_cell(const unsigned int cell, const MaterialPointData &data)
  {
    ASSERT_EQ(data.phase.size(), 4u);
    for (unsigned int q = 0; q < 4; ++q)
      {
        const double tag = 10.0 * cell + q;
        EXPECT_EQ(data.ionic_conductivity[q], tag + 0.1);
        EXPECT_EQ(data.electronic_conductivity[q], tag + 0.2);
        EXPECT_EQ(data.deposition_area_density[q], tag + 0.3);
        EXPECT_EQ(data.nucleation_site_density[q], tag + 0.4);
        EXPECT_EQ(data.youngs_modulus[q], tag + 0.5);
        EXPECT_EQ(data.poisson_ratio[q], tag + 0.6);
        EXPECT_EQ(data.fracture_energy[q], tag + 0.7);
        EXPECT_EQ(data.phase[q], cell + q);
      }
  }
} // namespace

TEST(MaterialCache, EvaluatesEachCellOnceAndReadsItBackUnchanged)
{
  MaterialCache     cache;
  CountingMaterial  material;
  MaterialPointData data;
  for (unsigned int pass = 0; pass < 3; ++pass)
    for (unsigned int cell = 0; cell < 5; ++cell)
      {
        // Left over from the last cell's crack band: a cached read clears it.
        data.crack_band = true;
        cache.get(
            cell, 5, 4, [&](MaterialPointData &d) { material(cell, d); }, data);
        expect_cell(cell, data);
        if (pass > 0)
          EXPECT_FALSE(data.crack_band);
      }
  EXPECT_EQ(material.calls, 5u);
}

TEST(MaterialCache, ANewMeshEvaluatesAgain)
{
  MaterialCache     cache;
  CountingMaterial  material;
  MaterialPointData data;
  cache.get(
      2, 5, 4, [&](MaterialPointData &d) { material(2, d); }, data);
  cache.clear();
  cache.get(
      2, 5, 4, [&](MaterialPointData &d) { material(2, d); }, data);
  EXPECT_EQ(material.calls, 2u);
  // Another number of cells is another mesh too.
  cache.get(
      2, 6, 4, [&](MaterialPointData &d) { material(2, d); }, data);
  EXPECT_EQ(material.calls, 3u);
  expect_cell(2, data);
}

TEST(MaterialCache, DataWithAPropertyOfTheWrongSizeIsNeverServedFromTheCache)
{
  MaterialCache     cache;
  unsigned int      calls = 0;
  MaterialPointData data;
  const auto        partial = [&](MaterialPointData &d) {
    ++calls;
    d.resize(4);
    d.fracture_energy.clear();
  };
  cache.get(0, 1, 4, partial, data);
  cache.get(0, 1, 4, partial, data);
  EXPECT_EQ(calls, 2u);
  EXPECT_TRUE(data.fracture_energy.empty());
}
