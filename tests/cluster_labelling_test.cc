// Distributed connected-component labelling against an independent serial
// flood fill on a structured grid, on meshes with hanging nodes, and site
// percolation on the square lattice (spanning probability 1/2 at p_c = 0.5927)
// and on the simple-cubic lattice (curves of two sizes cross near p_c = 0.3116).
#include <weaklink/topology/cluster_labelling.h>
#include <weaklink/topology/lattice_random.h>

#include <deal.II/grid/grid_generator.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <queue>
#include <set>

using namespace weaklink;
using namespace dealii;

namespace
{
  /** n x n unit cells on [0, n]^2; boundary ids 2 (y = 0) and 3 (y = n). */
  void make_square(parallel::distributed::Triangulation<2> &tria, const unsigned int n)
  {
    GridGenerator::subdivided_hyper_rectangle(tria, {n, n}, Point<2>(), Point<2>(n, n), true);
  }

  /** Cluster sizes by a serial flood fill on the (i, j) grid: the reference. */
  std::vector<std::size_t> flood_fill_sizes(const std::vector<std::vector<bool>> &site,
                                            const bool                            diagonals)
  {
    const int                     n = site.size();
    std::vector<std::vector<int>> seen(n, std::vector<int>(n, 0));
    std::vector<std::size_t>      sizes;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (site[i][j] && !seen[i][j])
          {
            std::size_t                     size = 0;
            std::queue<std::pair<int, int>> queue;
            queue.push({i, j});
            seen[i][j] = 1;
            while (!queue.empty())
              {
                const auto [a, b] = queue.front();
                queue.pop();
                ++size;
                for (int da = -1; da <= 1; ++da)
                  for (int db = -1; db <= 1; ++db)
                    {
                      if ((da == 0 && db == 0) || (!diagonals && da != 0 && db != 0))
                        continue;
                      const int x = a + da, y = b + db;
                      if (x >= 0 && y >= 0 && x < n && y < n && site[x][y] && !seen[x][y])
                        seen[x][y] = 1, queue.push({x, y});
                    }
              }
            sizes.push_back(size);
          }
    std::sort(sizes.begin(), sizes.end());
    return sizes;
  }

  /** Owned cells occupied with probability p, by the lattice hash of sample s. */
  template <int dim>
  std::vector<char> lattice_marks(const parallel::distributed::Triangulation<dim> &tria,
                                  const double p, const std::uint64_t s)
  {
    std::vector<char> marked(tria.n_active_cells(), 0);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        marked[cell->active_cell_index()] = lattice_uniform<dim>(cell->center(), s) < p;
    return marked;
  }

  std::vector<std::size_t> labelled_sizes(const ClusterLabelling<2> &labelling)
  {
    std::vector<std::size_t> sizes;
    for (const auto &c : labelling.clusters())
      sizes.push_back(c.n_cells);
    std::sort(sizes.begin(), sizes.end());
    return sizes;
  }
} // namespace

TEST(ClusterLabelling, AgreesWithASerialFloodFill)
{
  const unsigned int                      n = 48;
  parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
  make_square(tria, n);
  for (const double p : {0.45, 0.6, 0.75})
    for (const bool diagonals : {false, true})
      {
        std::vector<std::vector<bool>> site(n, std::vector<bool>(n));
        for (unsigned int i = 0; i < n; ++i)
          for (unsigned int j = 0; j < n; ++j)
            site[i][j] = lattice_uniform<2>(Point<2>(i + 0.5, j + 0.5), 1) < p;
        const ClusterLabelling<2> labelling(
            tria,
            [&](const auto &cell) {
              return site[static_cast<int>(cell->center()[0])][static_cast<int>(cell->center()[1])];
            },
            diagonals ? Connectivity::vertex : Connectivity::face);
        EXPECT_EQ(labelled_sizes(labelling), flood_fill_sizes(site, diagonals))
            << "p = " << p << (diagonals ? ", vertex" : ", face") << " connectivity";
        double volume = 0;
        for (const auto &c : labelling.clusters())
          volume += c.volume;
        std::size_t occupied = 0;
        for (const auto &row : site)
          occupied += std::count(row.begin(), row.end(), true);
        EXPECT_DOUBLE_EQ(volume, occupied);
      }
}

TEST(ClusterLabelling, HangingNodesConnectAcrossLevels)
{
  // A staircase band through a mesh refined in one corner: one face-connected cluster.
  parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
  make_square(tria, 8);
  for (unsigned int k = 0; k < 2; ++k)
    {
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->is_locally_owned() && cell->center()[0] < 4 && cell->center()[1] < 4)
          cell->set_refine_flag();
      tria.execute_coarsening_and_refinement();
    }
  // A diagonal one coarse cell wide touches itself only at corners outside
  // the refined corner: several face clusters, one vertex cluster.
  const auto on_diagonal = [](const auto &cell) {
    return std::abs(cell->center()[0] - cell->center()[1]) < 0.9;
  };
  EXPECT_GT(ClusterLabelling<2>(tria, on_diagonal, Connectivity::face).clusters().size(), 1u);
  EXPECT_EQ(ClusterLabelling<2>(tria, on_diagonal, Connectivity::vertex).clusters().size(), 1u);

  const auto in_band = [](const auto &cell) {
    return std::abs(cell->center()[0] - cell->center()[1]) < 1.2;
  };
  const ClusterLabelling<2> labelling(tria, in_band, Connectivity::face);
  ASSERT_EQ(labelling.clusters().size(), 1u);
  const auto &band = labelling.clusters()[0];
  EXPECT_NEAR(band.extent(1), 8.0, 1e-12);
  EXPECT_TRUE(band.touches(2) && band.touches(3)) << "the band spans y = 0 to y = 8";
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->is_locally_owned())
      {
        EXPECT_EQ(labelling.cluster_of(cell) == 0, in_band(cell));
      }
}

namespace
{
  /**
   * For every cell of an axis-aligned mesh, the smallest name in its cluster,
   * found by comparing every pair of cells' boxes on all cells gathered to
   * every rank: an independent reference that knows nothing of faces,
   * vertices or hanging nodes.
   */
  template <int dim>
  std::map<typename CellGraph<dim>::Name, typename CellGraph<dim>::Name>
  brute_force_cluster_names(const parallel::distributed::Triangulation<dim> &tria,
                            const std::vector<char> &marked, const Connectivity connectivity)
  {
    using Name = typename CellGraph<dim>::Name;
    struct Box
    {
      Name   name;
      double low[dim], high[dim];
    };
    std::vector<Box> owned;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && marked[cell->active_cell_index()])
        {
          Box        box;
          const auto corners = cell->bounding_box().get_boundary_points();
          box.name           = cell->id().template to_binary<dim>();
          for (unsigned int d = 0; d < dim; ++d)
            box.low[d] = corners.first[d], box.high[d] = corners.second[d];
          owned.push_back(box);
        }
    std::vector<char> bytes(owned.size() * sizeof(Box));
    std::memcpy(bytes.data(), owned.data(), bytes.size());
    std::vector<Box> all;
    for (const auto &part : Utilities::MPI::all_gather(MPI_COMM_WORLD, bytes))
      {
        const std::size_t start = all.size();
        all.resize(start + part.size() / sizeof(Box));
        std::memcpy(all.data() + start, part.data(), part.size());
      }
    const auto touching = [&](const Box &a, const Box &b) {
      unsigned int overlapping = 0;
      for (unsigned int d = 0; d < dim; ++d)
        {
          const double overlap = std::min(a.high[d], b.high[d]) - std::max(a.low[d], b.low[d]);
          if (overlap < -1e-12)
            return false;
          overlapping += overlap > 1e-12;
        }
      return connectivity == Connectivity::vertex || overlapping == dim - 1;
    };
    std::vector<unsigned int> component(all.size());
    std::iota(component.begin(), component.end(), 0u);
    const std::function<unsigned int(unsigned int)> find = [&](unsigned int i) {
      return component[i] == i ? i : component[i] = find(component[i]);
    };
    for (std::size_t i = 0; i < all.size(); ++i)
      for (std::size_t j = i + 1; j < all.size(); ++j)
        if (touching(all[i], all[j]))
          component[find(i)] = find(j);
    std::map<unsigned int, Name> smallest;
    for (std::size_t i = 0; i < all.size(); ++i)
      {
        const auto entry = smallest.emplace(find(i), all[i].name).first;
        entry->second    = std::min(entry->second, all[i].name);
      }
    std::map<Name, Name> result;
    for (std::size_t i = 0; i < all.size(); ++i)
      result[all[i].name] = smallest[find(i)];
    return result;
  }

  /** A mesh refined at random places to different levels: hanging nodes of every kind. */
  template <int dim>
  void make_adaptive(parallel::distributed::Triangulation<dim> &tria, const unsigned int seed)
  {
    GridGenerator::hyper_cube(tria, 0, 1, true);
    tria.refine_global(dim == 2 ? 3 : 2);
    for (unsigned int round = 0; round < 3; ++round)
      {
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned() &&
              lattice_uniform<dim>(cell->center() * 64.0, seed + round) < 0.25)
            cell->set_refine_flag();
        tria.execute_coarsening_and_refinement();
      }
  }

  template <int dim> void check_against_brute_force()
  {
    for (const unsigned int seed : {1u, 2u})
      {
        parallel::distributed::Triangulation<dim> tria(MPI_COMM_WORLD);
        make_adaptive(tria, 100 * seed);
        for (const auto connectivity : {Connectivity::face, Connectivity::vertex})
          {
            const CellGraph<dim> graph(tria, connectivity); // one graph, several indicators
            for (const double p : {0.15, 0.3, 0.5})
              {
                std::vector<char> marked(tria.n_active_cells(), 0);
                for (const auto &cell : tria.active_cell_iterators())
                  if (cell->is_locally_owned())
                    marked[cell->active_cell_index()] =
                        lattice_uniform<dim>(cell->center() * 256.0, seed) < p;
                const ClusterLabelling<dim> labelling(graph, marked);
                const auto reference = brute_force_cluster_names(tria, marked, connectivity);
                std::set<typename CellGraph<dim>::Name> reference_names;
                for (const auto &entry : reference)
                  reference_names.insert(entry.second);
                EXPECT_EQ(labelling.clusters().size(), reference_names.size())
                    << dim << "D, p = " << p;
                for (const auto &cell : tria.active_cell_iterators())
                  if (cell->is_locally_owned() && marked[cell->active_cell_index()])
                    {
                      const auto id = cell->id().template to_binary<dim>();
                      ASSERT_NE(labelling.cluster_of(cell), labelling.invalid_cluster);
                      EXPECT_EQ(labelling.clusters()[labelling.cluster_of(cell)].name,
                                reference.at(id))
                          << dim << "D, " << tria.n_global_active_cells() << " cells, p = " << p
                          << (connectivity == Connectivity::face ? ", face" : ", vertex");
                    }
              }
          }
      }
  }
} // namespace

TEST(ClusterLabelling, AgreesWithAllPairsOfTouchingCellsOnAdaptiveMeshes2D)
{
  check_against_brute_force<2>();
}

TEST(ClusterLabelling, AgreesWithAllPairsOfTouchingCellsOnAdaptiveMeshes3D)
{
  check_against_brute_force<3>();
}

TEST(ClusterLabelling, SitePercolationThresholdOnTheSquareLattice)
{
  // Spanning probability (y = 0 to y = L, face connectivity) over 300
  // samples per p; its crossing of 1/2 estimates p_c = 0.592746.
  const unsigned int                      n = 64, samples = 300;
  parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
  make_square(tria, n);
  const CellGraph<2>                     graph(tria, Connectivity::face);
  std::vector<std::pair<double, double>> curve;
  for (const double p : {0.56, 0.58, 0.60, 0.62})
    {
      unsigned int spanning = 0;
      for (unsigned int s = 0; s < samples; ++s)
        {
          const ClusterLabelling<2> labelling(graph, lattice_marks(tria, p, 1000 + s));
          spanning += std::any_of(labelling.clusters().begin(), labelling.clusters().end(),
                                  [](const auto &c) { return c.touches(2) && c.touches(3); });
        }
      curve.emplace_back(p, static_cast<double>(spanning) / samples);
    }
  double crossing = std::nan("");
  for (std::size_t k = 1; k < curve.size(); ++k)
    if (curve[k - 1].second < 0.5 && curve[k].second >= 0.5)
      crossing = curve[k - 1].first + (0.5 - curve[k - 1].second) /
                                          (curve[k].second - curve[k - 1].second) *
                                          (curve[k].first - curve[k - 1].first);
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      for (const auto &[p, r] : curve)
        std::cout << "p = " << p << "  spanning probability " << r << "\n";
      std::cout << "crossing of 1/2 at p = " << crossing << " (p_c = 0.592746)\n";
    }
  EXPECT_NEAR(crossing, 0.592746, 0.01);
}

TEST(ClusterLabelling, SitePercolationThresholdOnTheSimpleCubicLattice)
{
  // In 3D the spanning probability at p_c is not 1/2, but R_L(p) curves of
  // different sizes cross near p_c. 12³ and 24³ unit cells, 400 samples a
  // point, the same samples for both sizes; larger sizes in benchmarks/README.md.
  const std::vector<double>        occupations{0.305, 0.310, 0.315, 0.320, 0.325};
  std::vector<std::vector<double>> curves;
  for (const unsigned int n : {12u, 24u})
    {
      parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
      GridGenerator::subdivided_hyper_rectangle(tria, {n, n, n}, Point<3>(), Point<3>(n, n, n),
                                                true);
      const CellGraph<3>  graph(tria, Connectivity::face);
      std::vector<double> curve;
      for (const double p : occupations)
        {
          unsigned int spanning = 0;
          for (unsigned int s = 0; s < 400; ++s)
            {
              const ClusterLabelling<3> labelling(graph, lattice_marks(tria, p, s));
              spanning += std::any_of(labelling.clusters().begin(), labelling.clusters().end(),
                                      [](const auto &c) { return c.touches(2) && c.touches(3); });
            }
          curve.push_back(spanning / 400.0);
        }
      curves.push_back(curve);
    }
  double crossing = std::nan("");
  for (std::size_t k = 1; k < occupations.size(); ++k)
    {
      const double before = curves[1][k - 1] - curves[0][k - 1],
                   after  = curves[1][k] - curves[0][k];
      if (before < 0 && after >= 0)
        crossing =
            occupations[k - 1] + before / (before - after) * (occupations[k] - occupations[k - 1]);
    }
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::cout << "R_12 and R_24 cross at p = " << crossing << " (p_c = 0.311608)\n";
  EXPECT_NEAR(crossing, 0.311608, 0.01);
}
