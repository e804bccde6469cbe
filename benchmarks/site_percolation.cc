// Site percolation through the distributed cluster labelling on uniform
// square and simple-cubic meshes: the spanning probability R_L(p) (a face-
// connected cluster touching y = 0 and y = L) for several sizes L, and the
// crossings of R_L for consecutive sizes, which estimate p_c (square
// 0.592746, simple cubic 0.311608) without knowing R at p_c. The wrap mode
// labels the square lattice on an L x L torus (periodic faces of the mesh) at
// p_c and counts clusters that wrap around: horizontally R_h = 0.521058,
// both ways R_b = 0.351642, either way R_e = 0.690473 (exact, L -> infinity),
// and checks every sample against the periodic voxel labelling.
//
//   mpirun -np 2 benchmarks/site_percolation <dim> <samples> <L1,L2,...> <p1,p2,...>
//   mpirun -np 2 benchmarks/site_percolation wrap <samples> <L1,L2,...>
#include <weaklink/topology/cluster_labelling.h>
#include <weaklink/topology/lattice_random.h>
#include <weaklink/topology/voxel_image.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace dealii;

namespace
{
  template <int dim>
  std::vector<double> spanning_probabilities(const unsigned int size, const unsigned int samples,
                                             const std::vector<double> &occupations)
  {
    parallel::distributed::Triangulation<dim> tria(MPI_COMM_WORLD);
    std::vector<unsigned int>                 cells(dim, size);
    Point<dim>                                far;
    for (unsigned int d = 0; d < dim; ++d)
      far[d] = size;
    GridGenerator::subdivided_hyper_rectangle(tria, cells, Point<dim>(), far, true);
    const weaklink::CellGraph<dim>                   graph(tria, weaklink::Connectivity::face);
    std::vector<std::pair<unsigned int, Point<dim>>> owned_centres;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        owned_centres.emplace_back(cell->active_cell_index(), cell->center());
    std::vector<double> probabilities;
    std::vector<char>   marked(tria.n_active_cells(), 0);
    for (const double p : occupations)
      {
        unsigned int spanning = 0;
        for (unsigned int s = 0; s < samples; ++s)
          {
            // The same samples at every p and size: the curves are then
            // correlated and their crossings less noisy.
            for (const auto &[cell, centre] : owned_centres)
              marked[cell] = weaklink::lattice_uniform<dim>(centre, s) < p;
            const weaklink::ClusterLabelling<dim> labelling(graph, marked);
            spanning += std::any_of(labelling.clusters().begin(), labelling.clusters().end(),
                                    [](const auto &c) { return c.touches(2) && c.touches(3); });
          }
        probabilities.push_back(static_cast<double>(spanning) / samples);
      }
    return probabilities;
  }

  /** Wrapping on the L x L torus at p_c: prints one line per size. */
  void wrapping_probabilities(const unsigned int size, const unsigned int samples)
  {
    const double                            p_c = 0.592746;
    parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
    GridGenerator::subdivided_hyper_rectangle(tria, {size, size}, Point<2>(), Point<2>(size, size),
                                              true);
    std::vector<GridTools::PeriodicFacePair<Triangulation<2>::cell_iterator>> pairs;
    GridTools::collect_periodic_faces(tria, 0, 1, 0, pairs);
    GridTools::collect_periodic_faces(tria, 2, 3, 1, pairs);
    tria.add_periodicity(pairs);
    const auto                                     start = std::chrono::steady_clock::now();
    const weaklink::CellGraph<2>                   graph(tria, weaklink::Connectivity::face);
    std::vector<std::pair<unsigned int, Point<2>>> owned_centres;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        owned_centres.emplace_back(cell->active_cell_index(), cell->center());
    std::vector<char>         marked(tria.n_active_cells(), 0);
    weaklink::VoxelGrid       grid;
    std::vector<std::uint8_t> mask;
    grid.n          = {{size, size, 1}};
    const bool root = Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
    if (root)
      mask.resize(grid.size());
    unsigned int horizontal = 0, vertical = 0, both = 0, either = 0, disagreements = 0;
    double       voxel_seconds = 0;
    for (unsigned int s = 0; s < samples; ++s)
      {
        for (const auto &[cell, centre] : owned_centres)
          marked[cell] = weaklink::lattice_uniform<2>(centre, s) < p_c;
        const weaklink::ClusterLabelling<2> labelling(graph, marked);
        bool                                h = false, v = false;
        for (const auto &c : labelling.clusters())
          h = h || c.wraps(0), v = v || c.wraps(1);
        horizontal += h, vertical += v, both += h && v, either += h || v;
        if (root) // the voxel path on the same sample, serial
          {
            const auto t0 = std::chrono::steady_clock::now();
            for (unsigned int j = 0; j < size; ++j)
              for (unsigned int i = 0; i < size; ++i)
                mask[grid.index(i, j)] =
                    weaklink::lattice_uniform<2>(Point<2>(i + 0.5, j + 0.5), s) < p_c;
            const auto voxels = weaklink::label_voxels(grid, mask, false, {{true, true, false}});
            bool       vh = false, vv = false;
            for (const auto &c : voxels.clusters)
              vh = vh || c.wraps(0), vv = vv || c.wraps(1);
            disagreements +=
                vh != h || vv != v || voxels.clusters.size() != labelling.clusters().size();
            voxel_seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          }
      }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!root)
      return;
    const auto show = [&](const char *name, const unsigned int count, const double exact) {
      const double r = double(count) / samples, sigma = std::sqrt(r * (1 - r) / samples);
      std::cout << "  " << name << " = " << std::setprecision(4) << r << " +- " << sigma
                << " (exact " << exact << ")";
    };
    std::cout << "L = " << size << ", " << samples << " samples:";
    show("R_h", horizontal, 0.521058);
    show("R_v", vertical, 0.521058);
    show("R_b", both, 0.351642);
    show("R_e", either, 0.690473);
    std::cout << "; voxel path disagrees in " << disagreements << " samples; "
              << std::setprecision(1) << std::fixed << seconds << " s (voxel path " << voxel_seconds
              << " s)\n"
              << std::defaultfloat;
  }

  std::vector<double> parse_list(const std::string &text)
  {
    std::vector<double> values;
    for (const auto &entry : Utilities::split_string_list(text, ','))
      values.push_back(std::stod(entry));
    return values;
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool                       root = Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  if (argc == 4 && std::string(argv[1]) == "wrap")
    {
      if (root)
        std::cout << "site percolation on the L x L torus at p_c = 0.592746, face connectivity, "
                  << Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) << " ranks\n";
      for (const double size : parse_list(argv[3]))
        wrapping_probabilities(static_cast<unsigned int>(size), std::stoi(argv[2]));
      return 0;
    }
  if (argc != 5)
    {
      if (root)
        std::cerr << "usage: site_percolation <dim> <samples> <L1,L2,...> <p1,p2,...>\n"
                  << "       site_percolation wrap <samples> <L1,L2,...>\n";
      return 1;
    }
  const int                        dim     = std::stoi(argv[1]);
  const unsigned int               samples = std::stoi(argv[2]);
  const auto                       sizes   = parse_list(argv[3]);
  const auto                       p       = parse_list(argv[4]);
  std::vector<std::vector<double>> curves;
  const auto                       start = std::chrono::steady_clock::now();
  for (const double size : sizes)
    curves.push_back(dim == 2 ? spanning_probabilities<2>(size, samples, p)
                              : spanning_probabilities<3>(size, samples, p));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!root)
    return 0;
  std::cout << dim << "D site percolation, " << samples << " samples per point, face connectivity, "
            << Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) << " ranks, " << std::fixed
            << std::setprecision(1) << seconds << " s\n"
            << std::setprecision(4);
  std::cout << "     p";
  for (const double size : sizes)
    std::cout << "   R_" << std::setw(3) << std::left << static_cast<int>(size) << std::right;
  std::cout << "\n";
  for (std::size_t k = 0; k < p.size(); ++k)
    {
      std::cout << std::setw(6) << p[k];
      for (const auto &curve : curves)
        std::cout << "  " << std::setw(6) << curve[k] << " ";
      std::cout << "\n";
    }
  for (std::size_t a = 0; a + 1 < sizes.size(); ++a)
    {
      const auto &small = curves[a], &large = curves[a + 1];
      for (std::size_t k = 1; k < p.size(); ++k)
        {
          const double before = large[k - 1] - small[k - 1], after = large[k] - small[k];
          if (before < 0 && after >= 0)
            std::cout << "R_" << static_cast<int>(sizes[a]) << " and R_"
                      << static_cast<int>(sizes[a + 1]) << " cross at p = "
                      << p[k - 1] + before / (before - after) * (p[k] - p[k - 1]) << "\n";
        }
    }
  std::cout << "p_c: " << (dim == 2 ? "0.592746 (square)" : "0.311608 (simple cubic)") << "\n";
}
