// The dominance phase map on a planted study table: the boundary between
// porosity and topology dominance lands where it was planted, inside its
// bootstrap band, the Λ = 1 line where Λ was planted to cross 1, and the
// map does not depend on the number of ranks.
#include <gtest/gtest.h>

#include <weaklink/analysis/dominance_map.h>
#include <weaklink/core/input_error.h>

#include "test_support.h"

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using namespace weaklink;

namespace
{
  double uniform(std::mt19937_64 &random)
  {
    return (static_cast<double>(random() >> 11) + 0.5) * 0x1.0p-53;
  }

  // Planted: median CCD m(x, y) = 0.5 exp(−A (x − x0)² − B y) over porosity x
  // (5 levels 0.02…0.14) and a clustering control y (5 levels 0…1). Per
  // standard deviation of the levels (s_x = 0.03√2, s_y = 0.25√2) the effects
  // are e_x = −2A (x − x0) s_x and e_y = −B s_y, equal at
  // x* = x0 + B s_y/(2 A s_x): topology (y) dominates below x*, porosity
  // above. Λ = exp(3 (y − 0.4)) crosses 1 at y = 0.4.
  constexpr double x0 = 0.02, planted_boundary = 0.065, B = 1.0;
  const double     s_x = 0.03 * std::sqrt(2.0), s_y = 0.25 * std::sqrt(2.0);
  const double     A = B * s_y / (2 * (planted_boundary - x0) * s_x);

  /** 25 classes × 30 samples, Weibull m = 8 about the planted median, censored above 0.6. */
  std::string planted_table(const bool with_lambda)
  {
    std::mt19937_64    random(7);
    std::ostringstream csv;
    csv << "sample,class,Material/Microstructure/Porosity,Material/Microstructure/Cluster "
           "fraction,seed,protocol,shorted,censored,ccd [mA/cm2],failed"
        << (with_lambda ? ",front_speed_ratio" : "") << "\n";
    const double modulus = 8;
    unsigned int index   = 0;
    for (unsigned int i = 0; i < 5; ++i)
      for (unsigned int j = 0; j < 5; ++j, ++index)
        {
          const double x = 0.02 + 0.03 * i, y = 0.25 * j;
          const double median = 0.5 * std::exp(-A * (x - x0) * (x - x0) - B * y);
          const double scale  = median / std::pow(std::log(2.0), 1 / modulus);
          for (unsigned int s = 0; s < 30; ++s)
            {
              double     ccd      = scale * std::pow(-std::log(1 - uniform(random)), 1 / modulus);
              const bool censored = ccd > 0.6;
              ccd                 = std::min(ccd, 0.6);
              csv << "c" << index << "-s" << s << "," << index << "," << x << "," << y << "," << s
                  << ",CCD ramp," << !censored << "," << censored << "," << ccd << ",0";
              if (with_lambda)
                csv << "," << std::exp(3 * (y - 0.4) + 0.1 * (uniform(random) - 0.5));
              csv << "\n";
            }
        }
    return csv.str();
  }

  std::string write(const std::string &text)
  {
    const std::string name = test_support::temporary_directory("dominance") + "/table.csv";
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::ofstream(name) << text;
    MPI_Barrier(MPI_COMM_WORLD);
    return name;
  }
} // namespace

TEST(DominanceMap, BoundaryLandsWherePlantedInsideItsBand)
{
  const EnsembleTable  table(write(planted_table(true)));
  DominanceMapSettings settings;
  settings.bootstrap_samples = 100;
  const DominanceMap map     = compute_dominance_map(table, settings, MPI_COMM_WORLD);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    write_dominance_map_report(map, std::cout);

  EXPECT_EQ(map.x_name, "Material/Microstructure/Porosity");
  EXPECT_EQ(map.y_name, "Material/Microstructure/Cluster fraction");
  EXPECT_EQ(map.bootstrap_used, 100u);
  ASSERT_EQ(map.cells.size(), 25u);

  // Every segment of the boundary is vertical at the planted porosity.
  const auto boundary = map.zero_contour(map.dominance);
  ASSERT_FALSE(boundary.empty());
  for (const auto &segment : boundary)
    {
      EXPECT_NEAR(segment[0], planted_boundary, 0.008); // a quarter of the level spacing
      EXPECT_NEAR(segment[2], planted_boundary, 0.008);
    }
  // Along every row, the band holds the planted boundary, and it is
  // certain well away from it: topology below, porosity above.
  const double lower = (1 - map.confidence) / 2;
  for (unsigned int j = 0; j < map.ny; ++j)
    {
      double band_low = 1, band_high = 0;
      for (unsigned int i = 0; i < map.nx; ++i)
        {
          const double x = map.pixel_x(i), share = map.y_dominant_share[j * map.nx + i];
          if (share > lower && share < 1 - lower)
            {
              band_low  = std::min(band_low, x);
              band_high = std::max(band_high, x);
            }
          if (x < planted_boundary - 0.02)
            {
              EXPECT_GE(share, 1 - lower) << "x = " << x;
            }
          if (x > planted_boundary + 0.02)
            {
              EXPECT_LE(share, lower) << "x = " << x;
            }
        }
      const double pixels = 2 * (map.pixel_x(1) - map.pixel_x(0));
      EXPECT_LE(band_low - pixels, planted_boundary);
      EXPECT_GE(band_high + pixels, planted_boundary);
    }
  // The class medians recover the planted ones (Weibull with censoring).
  for (const auto &cell : map.cells)
    {
      const double planted = 0.5 * std::exp(-A * (cell.x - x0) * (cell.x - x0) - B * cell.y);
      EXPECT_NEAR(std::log(cell.median), std::log(planted), 0.12) << cell.x << ", " << cell.y;
    }
  // Λ = 1 is the horizontal line y = 0.4.
  const auto lambda_line = map.zero_contour(map.log_lambda);
  ASSERT_FALSE(lambda_line.empty());
  for (const auto &segment : lambda_line)
    {
      EXPECT_NEAR(segment[1], 0.4, 0.02);
      EXPECT_NEAR(segment[3], 0.4, 0.02);
    }

  std::ostringstream svg;
  write_dominance_map_svg(map, svg);
  EXPECT_NE(svg.str().find("Dominance map: median ccd [mA/cm2]"), std::string::npos);
  EXPECT_NE(svg.str().find("stroke-dasharray"), std::string::npos);
}

// The same law on 30 classes drawn at random (a sampler, not a grid): the
// surface still finds the planted boundary, and the picture shows the
// fitted surface with the classes as discs.
TEST(DominanceMap, ScatteredClassesFindThePlantedBoundary)
{
  std::mt19937_64    random(3);
  std::ostringstream csv;
  csv << "sample,class,Material/Microstructure/Porosity,Material/Microstructure/Cluster "
         "radius,seed,protocol,shorted,censored,ccd [mA/cm2],failed\n";
  for (unsigned int c = 0; c < 30; ++c)
    {
      // Porosity over 0.02…0.14 as in the grid; y = 0.25 × the grid's cluster fraction scale.
      const double x = 0.02 + 0.12 * uniform(random), y = uniform(random);
      const double median = 0.5 * std::exp(-A * (x - x0) * (x - x0) - B * y);
      for (unsigned int s = 0; s < 30; ++s)
        {
          const double ccd = median / std::pow(std::log(2.0), 1 / 8.0) *
                             std::pow(-std::log(1 - uniform(random)), 1 / 8.0);
          csv << "c" << c << "-s" << s << "," << c << "," << x << "," << y << "," << s
              << ",CCD ramp,1,0," << ccd << ",0\n";
        }
    }
  const EnsembleTable  table(write(csv.str()));
  DominanceMapSettings settings;
  settings.bootstrap_samples = 50;
  const DominanceMap map     = compute_dominance_map(table, settings, MPI_COMM_WORLD);
  // Effects are per standard deviation of the classes' own spread, which a
  // random draw sets: the planted boundary moves to where
  // 2 A (x − x0) sd_x = B sd_y with the drawn sd.
  const double boundary = x0 + B * map.y_sd / (2 * A * map.x_sd);
  const auto   segments = map.zero_contour(map.dominance);
  ASSERT_FALSE(segments.empty());
  for (const auto &segment : segments)
    EXPECT_NEAR(segment[0], boundary, 0.012) << "planted " << boundary;
  std::ostringstream svg;
  write_dominance_map_svg(map, svg);
  EXPECT_NE(svg.str().find("<circle"), std::string::npos);
}

TEST(DominanceMap, DoesNotDependOnTheNumberOfRanks)
{
  const EnsembleTable  table(write(planted_table(false)));
  DominanceMapSettings settings;
  settings.bootstrap_samples    = 30;
  settings.pixels               = 21;
  const DominanceMap everywhere = compute_dominance_map(table, settings, MPI_COMM_WORLD);
  const DominanceMap alone      = compute_dominance_map(table, settings, MPI_COMM_SELF);
  EXPECT_EQ(everywhere.y_dominant_share, alone.y_dominant_share);
  EXPECT_EQ(everywhere.dominance, alone.dominance);
  EXPECT_TRUE(everywhere.log_lambda.empty());
}

TEST(DominanceMap, AxesThatAreNotClassParametersAreOneLineErrors)
{
  const EnsembleTable table(write(planted_table(false)));
  const auto          error_of = [&](const std::string &x, const std::string &y) -> std::string {
    DominanceMapSettings settings;
    settings.x_column = x;
    settings.y_column = y;
    try
      {
        compute_dominance_map(table, settings, MPI_COMM_WORLD);
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "";
  };
  EXPECT_EQ(error_of("Porosity", "seed"),
            "dominance map: 'seed' is not a class parameter of the table "
            "(Material/Microstructure/Porosity, Material/Microstructure/Cluster fraction)");
  EXPECT_EQ(error_of("Porosity", "Porosity"),
            "dominance map: both axes are 'Material/Microstructure/Porosity'");
  EXPECT_EQ(error_of("Porosity", ""), "dominance map: name both axes");
}
