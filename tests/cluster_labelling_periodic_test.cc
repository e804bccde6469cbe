// Periodic boundaries in the distributed cluster labelling: bands of marked
// cells across a periodic face on uniform and adaptive meshes (levels differing
// across the face), every cell's cluster, wrapping and unwrapped extent
// against a reference built from all pairs of cells that touch modulo the
// periods, and site percolation on the L x L torus, whose probability of a
// cluster wrapping horizontally at p_c is R_h = 0.521058 (exact, L -> infinity),
// through the mesh and through the voxel labelling alike.
#include <weaklink/topology/cluster_labelling.h>
#include <weaklink/topology/lattice_random.h>
#include <weaklink/topology/voxel_image.h>

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_tools.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <queue>
#include <set>

using namespace weaklink;
using namespace dealii;

namespace
{
  /** n^dim unit cells on [0, n]^dim, periodic along the axes with bit d set in @p axes. */
  template <int dim>
  void make_periodic_box(parallel::distributed::Triangulation<dim> &tria, const unsigned int n,
                         const unsigned int axes)
  {
    std::vector<unsigned int> repetitions(dim, n);
    Point<dim>                far;
    for (unsigned int d = 0; d < dim; ++d)
      far[d] = n;
    GridGenerator::subdivided_hyper_rectangle(tria, repetitions, Point<dim>(), far, true);
    std::vector<GridTools::PeriodicFacePair<
        typename parallel::distributed::Triangulation<dim>::cell_iterator>>
        pairs;
    for (unsigned int d = 0; d < dim; ++d)
      if ((axes >> d) & 1)
        GridTools::collect_periodic_faces(tria, 2 * d, 2 * d + 1, d, pairs);
    tria.add_periodicity(pairs);
  }

  template <int dim>
  bool centre_in(const typename Triangulation<dim>::active_cell_iterator &cell,
                 const Point<dim> &low, const Point<dim> &high)
  {
    for (unsigned int d = 0; d < dim; ++d)
      if (cell->center()[d] < low[d] || cell->center()[d] > high[d])
        return false;
    return true;
  }

  /** Owned cells, over all ranks, with a coarser neighbour across a periodic face. */
  template <int dim>
  unsigned int
  cells_with_coarser_periodic_neighbour(const parallel::distributed::Triangulation<dim> &tria)
  {
    unsigned int count = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto f : cell->face_indices())
          if (cell->has_periodic_neighbor(f) && cell->periodic_neighbor_is_coarser(f))
            {
              ++count;
              break;
            }
    return Utilities::MPI::sum(count, tria.get_communicator());
  }
} // namespace

TEST(PeriodicClusterLabelling, BandsAcrossThePeriodicFaceOnUniformAndAdaptiveMeshes)
{
  using Cell = Triangulation<2>::active_cell_iterator;
  for (const bool adaptive : {false, true})
    {
      // 8 x 8 unit cells, periodic along x; adaptive: the cells along x = 0
      // with y < 4 refined twice, those along x = 8 once (2:1 balance), so
      // levels differ across the periodic face.
      parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
      make_periodic_box(tria, 8, 0b01);
      if (adaptive)
        {
          for (unsigned int k = 0; k < 2; ++k)
            {
              for (const auto &cell : tria.active_cell_iterators())
                if (cell->is_locally_owned() && cell->center()[0] < 1 && cell->center()[1] < 4)
                  cell->set_refine_flag();
              tria.execute_coarsening_and_refinement();
            }
          ASSERT_GT(cells_with_coarser_periodic_neighbour(tria), 0u);
        }
      const std::string mesh = adaptive ? "adaptive mesh" : "uniform mesh";
      const auto box = [](const double x0, const double x1, const double y0, const double y1) {
        return [=](const Cell &cell) {
          return centre_in<2>(cell, Point<2>(x0, y0), Point<2>(x1, y1));
        };
      };

      for (const double y : {1.0, 4.0}) // through the refined cells, and through coarse ones
        {
          // Leaves through x = 8 and comes back at x = 0: one cluster, 4 wide unwrapped.
          const auto band = [&](const Cell &cell) {
            return box(0, 2, y, y + 2)(cell) || box(6, 8, y, y + 2)(cell);
          };
          const ClusterLabelling<2> labelling(tria, band, Connectivity::face);
          ASSERT_EQ(labelling.clusters().size(), 1u) << mesh << ", band at y = " << y;
          const auto &c = labelling.clusters()[0];
          EXPECT_NEAR(c.extent(0), 4.0, 1e-12) << mesh;
          EXPECT_NEAR(c.extent(1), 2.0, 1e-12) << mesh;
          EXPECT_NEAR(c.volume, 8.0, 1e-12) << mesh;
          EXPECT_EQ(c.wrapping, 0u) << mesh;
          EXPECT_TRUE(c.touches(0) && c.touches(1)) << "the band has faces on x = 0 and x = 8";
          const bool from_right = c.bounding_box.lower_bound(0) > 5.9;
          EXPECT_NEAR(c.bounding_box.lower_bound(0), from_right ? 6.0 : -2.0, 1e-12) << mesh;
          for (const auto &cell : tria.active_cell_iterators())
            if (cell->is_locally_owned())
              {
                EXPECT_EQ(labelling.cluster_of(cell) == 0, band(cell)) << mesh;
              }

          // Around the whole period: it wraps, and its x-extent is the period.
          const ClusterLabelling<2> ring(tria, box(0, 8, y, y + 2), Connectivity::face);
          ASSERT_EQ(ring.clusters().size(), 1u) << mesh;
          EXPECT_EQ(ring.clusters()[0].wrapping, 0b01u) << mesh;
          EXPECT_NEAR(ring.clusters()[0].extent(0), 8.0, 1e-12) << mesh;
          EXPECT_NEAR(ring.clusters()[0].extent(1), 2.0, 1e-12) << mesh;

          // One column short of the period: a single cluster that does not wrap.
          const ClusterLabelling<2> open(tria, box(1, 8, y, y + 2), Connectivity::face);
          ASSERT_EQ(open.clusters().size(), 1u) << mesh;
          EXPECT_EQ(open.clusters()[0].wrapping, 0u) << mesh;
          EXPECT_NEAR(open.clusters()[0].extent(0), 7.0, 1e-12) << mesh;
        }

      // Two blocks that touch only at the point (8, 3) = (0, 3): joined by
      // vertex connectivity, not by face connectivity.
      const auto corners = [&](const Cell &cell) {
        return box(7, 8, 2, 3)(cell) || box(0, 1, 3, 4)(cell);
      };
      EXPECT_EQ(ClusterLabelling<2>(tria, corners, Connectivity::face).clusters().size(), 2u)
          << mesh;
      const ClusterLabelling<2> joined(tria, corners, Connectivity::vertex);
      ASSERT_EQ(joined.clusters().size(), 1u) << mesh;
      EXPECT_NEAR(joined.clusters()[0].extent(0), 2.0, 1e-12) << mesh;
      EXPECT_NEAR(joined.clusters()[0].extent(1), 2.0, 1e-12) << mesh;
    }
}

TEST(PeriodicClusterLabelling, PeriodicInTwoDirectionsWrapsAlongEachAndAlongTheDiagonal)
{
  using Cell = Triangulation<2>::active_cell_iterator;
  parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
  make_periodic_box(tria, 6, 0b11);
  const auto                column = [](const Cell &cell) { return cell->center()[0] < 1; };
  const ClusterLabelling<2> vertical(tria, column, Connectivity::face);
  ASSERT_EQ(vertical.clusters().size(), 1u);
  EXPECT_EQ(vertical.clusters()[0].wrapping, 0b10u);
  // A staircase along the diagonal closes on itself after 6 steps in x and y.
  const auto staircase = [](const Cell &cell) {
    const int i = cell->center()[0], j = cell->center()[1];
    return i == j || i == (j + 1) % 6;
  };
  const ClusterLabelling<2> diagonal(tria, staircase, Connectivity::face);
  ASSERT_EQ(diagonal.clusters().size(), 1u);
  EXPECT_EQ(diagonal.clusters()[0].wrapping, 0b11u);
  EXPECT_NEAR(diagonal.clusters()[0].extent(0), 6.0, 1e-12);
  // The cells of the diagonal alone touch only at corners.
  const auto corners_only = [](const Cell &cell) {
    return int(cell->center()[0]) == int(cell->center()[1]);
  };
  EXPECT_EQ(ClusterLabelling<2>(tria, corners_only, Connectivity::face).clusters().size(), 6u);
  const ClusterLabelling<2> chain(tria, corners_only, Connectivity::vertex);
  ASSERT_EQ(chain.clusters().size(), 1u);
  EXPECT_EQ(chain.clusters()[0].wrapping, 0b11u);
}

TEST(PeriodicClusterLabelling, OneCoarseCellPeriodicWithItself)
{
  // The separator box can have a single coarse cell across its width, whose
  // faces x = 0 and x = W are then periodic with each other.
  using Cell = Triangulation<2>::active_cell_iterator;
  parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(tria, 0, 8, true);
  std::vector<GridTools::PeriodicFacePair<Triangulation<2>::cell_iterator>> pairs;
  GridTools::collect_periodic_faces(tria, 0, 1, 0, pairs);
  tria.add_periodicity(pairs);
  {
    // The coarse cell alone touches itself across the period: a loop.
    const ClusterLabelling<2> whole(
        tria, [](const Cell &) { return true; }, Connectivity::face);
    ASSERT_EQ(whole.clusters().size(), 1u);
    EXPECT_EQ(whole.clusters()[0].wrapping, 0b01u);
    EXPECT_NEAR(whole.clusters()[0].extent(0), 8.0, 1e-12);
  }
  tria.refine_global(3);
  const auto band = [](const Cell &cell) {
    const double x = cell->center()[0], y = cell->center()[1];
    return y > 3 && y < 5 && (x < 2 || x > 6);
  };
  const ClusterLabelling<2> labelling(tria, band, Connectivity::face);
  ASSERT_EQ(labelling.clusters().size(), 1u);
  EXPECT_EQ(labelling.clusters()[0].wrapping, 0u);
  EXPECT_NEAR(labelling.clusters()[0].extent(0), 4.0, 1e-12);
  const ClusterLabelling<2> ring(
      tria, [](const Cell &cell) { return std::abs(cell->center()[1] - 4) < 1; },
      Connectivity::vertex);
  ASSERT_EQ(ring.clusters().size(), 1u);
  EXPECT_EQ(ring.clusters()[0].wrapping, 0b01u);
}

namespace
{
  template <int dim> struct Reference
  {
    using Name = typename CellGraph<dim>::Name;
    std::map<Name, Name>         cluster_of;        ///< cell name -> smallest name in its cluster
    std::map<Name, std::uint8_t> wrapping;          ///< by cluster name
    std::map<Name, std::array<double, dim>> extent; ///< of the unwrapped cluster, by cluster name
  };

  /**
   * Clusters from all pairs of marked cells whose boxes touch when one of
   * them is moved by -1, 0 or +1 periods along each periodic axis, gathered
   * to every rank; unwrapped by a breadth-first search from the smallest cell
   * of each cluster. It knows nothing of faces, vertices, hanging nodes,
   * periodic face maps or ghost cells.
   */
  template <int dim>
  Reference<dim> brute_force_clusters(const parallel::distributed::Triangulation<dim> &tria,
                                      const std::vector<char>                         &marked,
                                      const Connectivity connectivity, const unsigned int axes,
                                      const double period)
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
    std::sort(all.begin(), all.end(), [](const Box &a, const Box &b) { return a.name < b.name; });

    std::vector<std::array<int, dim>> shifts;
    for (unsigned int code = 0; code < static_cast<unsigned int>(Utilities::pow(3, dim)); ++code)
      {
        std::array<int, dim> s;
        bool                 allowed = true;
        for (unsigned int d = 0, c = code; d < dim; ++d, c /= 3)
          {
            s[d]    = int(c % 3) - 1;
            allowed = allowed && (s[d] == 0 || ((axes >> d) & 1));
          }
        if (allowed)
          shifts.push_back(s);
      }
    // b moved by s periods touches a
    const auto touching = [&](const Box &a, const Box &b, const std::array<int, dim> &s) {
      unsigned int overlapping = 0;
      for (unsigned int d = 0; d < dim; ++d)
        {
          const double overlap = std::min(a.high[d], b.high[d] + s[d] * period) -
                                 std::max(a.low[d], b.low[d] + s[d] * period);
          if (overlap < -1e-12)
            return false;
          overlapping += overlap > 1e-12;
        }
      return connectivity == Connectivity::vertex || overlapping == dim - 1;
    };
    std::vector<std::vector<std::pair<unsigned int, std::array<int, dim>>>> edges(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
      for (std::size_t j = 0; j < all.size(); ++j)
        for (const auto &s : shifts)
          if ((i != j || s != std::array<int, dim>{}) && touching(all[i], all[j], s))
            edges[i].emplace_back(j, s);

    Reference<dim>                    result;
    std::vector<char>                 seen(all.size(), 0);
    std::vector<std::array<int, dim>> shift(all.size());
    for (std::size_t start = 0; start < all.size(); ++start) // in name order: start is smallest
      if (!seen[start])
        {
          const Name              name  = all[start].name;
          std::uint8_t            wraps = 0;
          std::array<double, dim> low, high;
          std::fill(low.begin(), low.end(), 1e300);
          std::fill(high.begin(), high.end(), -1e300);
          std::queue<unsigned int> queue;
          queue.push(start);
          seen[start]  = 1;
          shift[start] = std::array<int, dim>{};
          while (!queue.empty())
            {
              const unsigned int i = queue.front();
              queue.pop();
              result.cluster_of[all[i].name] = name;
              for (unsigned int d = 0; d < dim; ++d)
                {
                  low[d]  = std::min(low[d], all[i].low[d] + shift[i][d] * period);
                  high[d] = std::max(high[d], all[i].high[d] + shift[i][d] * period);
                }
              for (const auto &[j, s] : edges[i])
                {
                  std::array<int, dim> sj;
                  for (unsigned int d = 0; d < dim; ++d)
                    sj[d] = shift[i][d] + s[d];
                  if (!seen[j])
                    {
                      seen[j]  = 1;
                      shift[j] = sj;
                      queue.push(j);
                    }
                  else
                    for (unsigned int d = 0; d < dim; ++d)
                      if (sj[d] != shift[j][d])
                        wraps |= 1u << d;
                }
            }
          result.wrapping[name] = wraps;
          for (unsigned int d = 0; d < dim; ++d)
            result.extent[name][d] = (wraps >> d) & 1 ? period : high[d] - low[d];
        }
    return result;
  }

  /** Periodic unit box, coarse cells 3 per axis, refined at random places to different levels. */
  template <int dim>
  void make_adaptive_periodic(parallel::distributed::Triangulation<dim> &tria,
                              const unsigned int axes, const unsigned int seed)
  {
    make_periodic_box(tria, 3, axes);
    tria.refine_global(dim == 2 ? 2 : 1);
    for (unsigned int round = 0; round < 3; ++round)
      {
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned() &&
              lattice_uniform<dim>(cell->center() * 64.0, seed + round) < 0.25)
            cell->set_refine_flag();
        tria.execute_coarsening_and_refinement();
      }
  }

  template <int dim>
  void check_against_brute_force(const unsigned int axes, const std::vector<unsigned int> &seeds)
  {
    for (const unsigned int seed : seeds)
      {
        parallel::distributed::Triangulation<dim> tria(MPI_COMM_WORLD);
        make_adaptive_periodic(tria, axes, 100 * seed);
        ASSERT_GT(cells_with_coarser_periodic_neighbour(tria), 0u);
        for (const auto connectivity : {Connectivity::face, Connectivity::vertex})
          {
            const CellGraph<dim> graph(tria, connectivity);
            ASSERT_EQ(graph.periodic_directions(), axes);
            for (const double p : {0.2, 0.35, 0.6})
              {
                std::vector<char> marked(tria.n_active_cells(), 0);
                for (const auto &cell : tria.active_cell_iterators())
                  if (cell->is_locally_owned())
                    marked[cell->active_cell_index()] =
                        lattice_uniform<dim>(cell->center() * 256.0, seed) < p;
                const ClusterLabelling<dim> labelling(graph, marked);
                const auto reference = brute_force_clusters(tria, marked, connectivity, axes, 3.0);
                const std::string what =
                    std::to_string(dim) + "D, " + std::to_string(tria.n_global_active_cells()) +
                    " cells, p = " + std::to_string(p) +
                    (connectivity == Connectivity::face ? ", face" : ", vertex");
                ASSERT_EQ(labelling.clusters().size(), reference.wrapping.size()) << what;
                unsigned int wrapping = 0;
                for (const auto &c : labelling.clusters())
                  {
                    ASSERT_EQ(reference.wrapping.count(c.name), 1u) << what;
                    EXPECT_EQ(c.wrapping, reference.wrapping.at(c.name)) << what;
                    for (unsigned int d = 0; d < dim; ++d)
                      EXPECT_NEAR(c.extent(d), reference.extent.at(c.name)[d], 1e-12) << what;
                    wrapping += c.wrapping != 0;
                  }
                for (const auto &cell : tria.active_cell_iterators())
                  if (cell->is_locally_owned() && marked[cell->active_cell_index()])
                    {
                      const auto id = cell->id().template to_binary<dim>();
                      ASSERT_NE(labelling.cluster_of(cell), labelling.invalid_cluster);
                      EXPECT_EQ(labelling.clusters()[labelling.cluster_of(cell)].name,
                                reference.cluster_of.at(id))
                          << what;
                    }
                if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
                  std::cout << what << ": " << labelling.clusters().size() << " clusters, "
                            << wrapping << " wrapping\n";
              }
          }
      }
  }
} // namespace

TEST(PeriodicClusterLabelling, AgreesWithAllPairsOfCellsTouchingModuloThePeriods2D)
{
  check_against_brute_force<2>(0b11, {1, 2});
}

TEST(PeriodicClusterLabelling, AgreesWithAllPairsOfCellsTouchingModuloThePeriods3D)
{
  check_against_brute_force<3>(0b101, {1}); // the lateral faces x and z of the separator
}

TEST(PeriodicClusterLabelling, WrappingProbabilityOnTheSquareLatticeTorus)
{
  // Site percolation at p_c on the L x L torus: the probability that a
  // cluster wraps horizontally is R_h = 0.521058 for L -> infinity (Pinson
  // 1994; finite-size corrections are far below the sampling error here).
  // The voxel labelling must find the same clusters and wrapping in every sample.
  const unsigned int                      L = 64, samples = 5000;
  const double                            p_c = 0.592746;
  parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
  make_periodic_box(tria, L, 0b11);
  const CellGraph<2>                             graph(tria, Connectivity::face);
  std::vector<std::pair<unsigned int, Point<2>>> owned;
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->is_locally_owned())
      owned.emplace_back(cell->active_cell_index(), cell->center());
  VoxelGrid grid;
  grid.n = {{L, L, 1}};
  std::vector<char>         marked(tria.n_active_cells(), 0);
  std::vector<std::uint8_t> mask(grid.size());
  unsigned int              mesh_wraps = 0, voxel_wraps = 0, both_ways = 0, disagreements = 0;
  for (unsigned int s = 0; s < samples; ++s)
    {
      for (const auto &[cell, centre] : owned)
        marked[cell] = lattice_uniform<2>(centre, 7000 + s) < p_c;
      const ClusterLabelling<2> labelling(graph, marked);
      bool                      horizontal = false, vertical = false;
      for (const auto &c : labelling.clusters())
        horizontal = horizontal || c.wraps(0), vertical = vertical || c.wraps(1);
      mesh_wraps += horizontal;
      both_ways += horizontal && vertical;

      for (unsigned int j = 0; j < L; ++j)
        for (unsigned int i = 0; i < L; ++i)
          mask[grid.index(i, j)] = lattice_uniform<2>(Point<2>(i + 0.5, j + 0.5), 7000 + s) < p_c;
      const auto voxels           = label_voxels(grid, mask, false, {{true, true, false}});
      const bool voxel_horizontal = std::any_of(voxels.clusters.begin(), voxels.clusters.end(),
                                                [](const auto &c) { return c.wraps(0); });
      voxel_wraps += voxel_horizontal;
      disagreements +=
          voxel_horizontal != horizontal || voxels.clusters.size() != labelling.clusters().size();
    }
  const double R_h = double(mesh_wraps) / samples, sigma = std::sqrt(R_h * (1 - R_h) / samples);
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::cout << "L = " << L << ", " << samples << " samples at p_c: R_h = " << R_h << " +- "
              << sigma << " (exact 0.521058), both ways " << double(both_ways) / samples
              << " (exact 0.351642); voxel path R_h = " << double(voxel_wraps) / samples << "\n";
  EXPECT_NEAR(R_h, 0.521058, 0.02);
  EXPECT_NEAR(double(both_ways) / samples, 0.351642, 0.025);
  EXPECT_EQ(voxel_wraps, mesh_wraps);
  EXPECT_EQ(disagreements, 0u);
}
