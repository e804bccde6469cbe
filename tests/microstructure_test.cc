// Microstructure generator: porosity against the target (measured at random
// points, independently of the calibration lattice), Thomas-process cluster
// sizes against theory, pores on true triple junctions, aligned chains, and
// the same microstructure on every rank.
#include <weaklink/microstructure/microstructure.h>
#include <weaklink/microstructure/phase_image.h>
#include <weaklink/topology/voxel_image.h>

#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

using namespace weaklink;
using namespace dealii;

namespace
{
  MicrostructureParameters base_parameters(const PoreTopology topology)
  {
    MicrostructureParameters p;
    p.seed                   = 7;
    p.grain_size             = 1e-5;
    p.boundary_width         = 5e-7;
    p.weak_boundary_fraction = 0.2;
    p.porosity               = 0.06;
    p.topology               = topology;
    p.pore_radius            = 2e-6;
    p.pore_radius_spread     = 0.3;
    p.cluster_radius         = 5e-6;
    p.pores_per_cluster      = 6;
    p.chain_spacing          = 2.2;
    p.calibration_resolution = 400;
    return p;
  }

  template <int dim>
  double random_point_porosity(const Microstructure<dim> &m, const Point<dim> &extent,
                               const unsigned int n)
  {
    std::mt19937_64                        random(123);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    unsigned int                           in = 0;
    for (unsigned int k = 0; k < n; ++k)
      {
        Point<dim> x;
        for (unsigned int d = 0; d < dim; ++d)
          x[d] = uniform(random) * extent[d];
        in += m.phase(x) == Phase::pore;
      }
    return static_cast<double>(in) / n;
  }
} // namespace

TEST(Microstructure, PorosityMatchesTheTargetForEveryTopology)
{
  const Point<2> extent(4e-4, 4e-4);
  for (const auto topology : {PoreTopology::poisson, PoreTopology::clustered,
                              PoreTopology::boundary, PoreTopology::aligned_chains})
    {
      const Microstructure<2> m(base_parameters(topology), extent);
      const double            measured = random_point_porosity(m, extent, 400000);
      EXPECT_NEAR(measured / 0.06, 1.0, 0.02) << "topology " << static_cast<int>(topology);
    }
  MicrostructureParameters three = base_parameters(PoreTopology::clustered);
  three.calibration_resolution   = 80;
  const Point<3>          box(1e-4, 1e-4, 1e-4);
  const Microstructure<3> m(three, box);
  EXPECT_NEAR(random_point_porosity(m, box, 400000) / 0.06, 1.0, 0.03);
}

TEST(Microstructure, ThomasClustersHoldTheExpectedNumberOfPores)
{
  // Parents with at least one pore: zero-truncated Poisson mean mu / (1 - e^-mu).
  MicrostructureParameters p = base_parameters(PoreTopology::clustered);
  p.porosity                 = 0.02;
  p.pore_radius              = 5e-7;
  p.cluster_radius           = 2e-6;
  const Microstructure<2>              m(p, Point<2>(2e-3, 2e-3));
  std::map<unsigned int, unsigned int> children;
  for (const auto parent : m.pore_parents())
    ++children[parent];
  const double mean     = static_cast<double>(m.pore_parents().size()) / children.size();
  const double expected = 6.0 / (1 - std::exp(-6.0));
  EXPECT_GT(children.size(), 1000u);
  EXPECT_NEAR(mean / expected, 1.0, 0.03) << mean << " pores per cluster, expected " << expected;
}

TEST(Microstructure, BoundaryPoresSitOnTripleJunctions)
{
  const Microstructure<2> m(base_parameters(PoreTopology::boundary), Point<2>(1e-4, 1e-4));
  ASSERT_FALSE(m.pore_centres().empty());
  for (const auto &c : m.pore_centres())
    {
      std::vector<double> distances;
      for (const auto &s : m.grain_seeds())
        distances.push_back(c.distance(s));
      std::sort(distances.begin(), distances.end());
      EXPECT_NEAR(distances[1], distances[0], 1e-9 * distances[0]);
      EXPECT_NEAR(distances[2], distances[0], 1e-9 * distances[0]);
    }
}

TEST(Microstructure, ChainsAreAlignedAlongY)
{
  const auto              p = base_parameters(PoreTopology::aligned_chains);
  const Microstructure<2> m(p, Point<2>(2e-4, 2e-4));
  const auto             &c       = m.pore_centres();
  unsigned int            aligned = 0;
  for (std::size_t k = 1; k < c.size(); ++k)
    aligned += c[k][0] == c[k - 1][0] &&
               std::abs(c[k][1] - c[k - 1][1] - p.chain_spacing * p.pore_radius) < 1e-15;
  EXPECT_GT(aligned, 0.7 * c.size());
}

TEST(Microstructure, SameOnEveryRank)
{
  const Point<2>          extent(1e-4, 1e-4);
  const Microstructure<2> m(base_parameters(PoreTopology::clustered), extent);
  std::uint64_t           hash     = 1469598103934665603ull;
  unsigned int            count[4] = {0, 0, 0, 0};
  for (unsigned int i = 0; i < 300; ++i)
    for (unsigned int j = 0; j < 300; ++j)
      {
        const auto phase = m.phase(Point<2>((i + 0.5) / 300 * 1e-4, (j + 0.5) / 300 * 1e-4));
        hash             = (hash ^ static_cast<unsigned int>(phase)) * 1099511628211ull;
        ++count[static_cast<unsigned int>(phase)];
      }
  EXPECT_EQ(Utilities::MPI::min(hash, MPI_COMM_WORLD), Utilities::MPI::max(hash, MPI_COMM_WORLD));
  for (const auto n : count)
    EXPECT_GT(n, 0u) << "every phase occurs";
}

TEST(Microstructure, LloydRelaxationEvensOutGrainSizes)
{
  // Cell areas by nearest seed on a lattice; Poisson-Voronoi cells in 2D have an area
  // coefficient of variation of about 0.53, centroidal ones far less.
  const Point<2> extent(2e-4, 2e-4);
  const auto     area_cv = [&](const unsigned int iterations) {
    MicrostructureParameters p = base_parameters(PoreTopology::poisson);
    p.porosity                 = 0;
    p.lloyd_iterations         = iterations;
    const Microstructure<2> m(p, extent);
    const auto             &seeds = m.grain_seeds();
    std::vector<double>     area(seeds.size(), 0);
    for (unsigned int j = 0; j < 400; ++j)
      for (unsigned int i = 0; i < 400; ++i)
        {
          const Point<2> x((i + 0.5) / 400 * extent[0], (j + 0.5) / 400 * extent[1]);
          unsigned int   nearest = 0;
          for (unsigned int k = 1; k < seeds.size(); ++k)
            if (x.distance_square(seeds[k]) < x.distance_square(seeds[nearest]))
              nearest = k;
          area[nearest] += 1;
        }
    double mean = 0, square = 0;
    for (const double a : area)
      {
        mean += a / area.size();
        square += a * a / area.size();
      }
    return std::sqrt(square - mean * mean) / mean;
  };
  const double poisson = area_cv(0), relaxed = area_cv(20);
  std::printf("grain area CV: Poisson-Voronoi %.3f, after 20 Lloyd steps %.3f\n", poisson, relaxed);
  EXPECT_NEAR(poisson, 0.53, 0.12); // boundary cells are cut by the box
  EXPECT_LT(relaxed, 0.5 * poisson);
}

TEST(Microstructure, CorrelatedWeakFacetsKeepTheFractionAndGather)
{
  const Point<2> extent(3e-4, 3e-4);
  const auto     measure = [&](const double correlation_length, double &weak_share) {
    MicrostructureParameters p         = base_parameters(PoreTopology::poisson);
    p.porosity                         = 0;
    p.weak_boundary_correlation_length = correlation_length;
    const Microstructure<2>   m(p, extent);
    const VoxelGrid           grid   = voxel_grid_for<2>(extent, 2.5e-7);
    const auto                phases = rasterize(m, grid);
    std::vector<std::uint8_t> weak(phases.size());
    std::size_t               boundary = 0, weak_count = 0;
    for (std::size_t v = 0; v < phases.size(); ++v)
      {
        weak[v] = phases[v] == static_cast<std::uint8_t>(Phase::weak_boundary);
        boundary += phases[v] == static_cast<std::uint8_t>(Phase::grain_boundary) || weak[v];
        weak_count += weak[v];
      }
    weak_share            = double(weak_count) / boundary;
    std::uint64_t largest = 0;
    for (const auto &c : label_voxels(grid, weak, true).clusters)
      largest = std::max(largest, c.n_voxels);
    return double(largest);
  };
  double       independent_share = 0, correlated_share = 0;
  const double independent = measure(0, independent_share);
  const double correlated  = measure(2e-5, correlated_share);
  std::printf("weak share %.3f / %.3f, largest weak cluster %.0f / %.0f voxels (independent / "
              "correlated over 20 um)\n",
              independent_share, correlated_share, independent, correlated);
  EXPECT_NEAR(independent_share, 0.2, 0.03);
  EXPECT_NEAR(correlated_share, 0.2, 0.08);
  EXPECT_GT(correlated, 3 * independent);
}
