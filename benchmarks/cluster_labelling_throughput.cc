// Throughput of the distributed cluster labelling: uniform meshes of about
// 1e6 cells, each cell marked with probability p (pseudo-random from its
// centre, so the marking does not depend on the partition).
//
// The graph (adjacency, geometry, ghost pattern) is built once per mesh and
// timed apart from the labelling, which is what runs for every indicator.
//
//   mpirun -np 2 benchmarks/cluster_labelling_throughput [p]
#include <weaklink/topology/cluster_labelling.h>

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_generator.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>

using namespace dealii;

namespace
{
  template <int dim> double marked_fraction_hash(const Point<dim> &centre)
  {
    std::uint64_t z = 0x9E3779B97F4A7C15ull;
    for (unsigned int d = 0; d < dim; ++d)
      z = (z ^ static_cast<std::uint64_t>(std::llround(centre[d] * 1e6))) * 0xBF58476D1CE4E5B9ull;
    z ^= z >> 31;
    z *= 0x94D049BB133111EBull;
    z ^= z >> 29;
    return (z >> 11) * 0x1.0p-53;
  }

  template <int dim> void run(const unsigned int refinements, const double p, const bool root)
  {
    parallel::distributed::Triangulation<dim> tria(MPI_COMM_WORLD);
    GridGenerator::hyper_cube(tria, 0, 1, true);
    tria.refine_global(refinements);
    const double       cells         = tria.n_global_active_cells();
    const unsigned int ranks         = Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
    const auto         seconds_since = [](const auto start) {
      return Utilities::MPI::max(
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                  MPI_COMM_WORLD);
    };
    for (const auto connectivity : {weaklink::Connectivity::face, weaklink::Connectivity::vertex})
      {
        MPI_Barrier(MPI_COMM_WORLD);
        auto                           start = std::chrono::steady_clock::now();
        const weaklink::CellGraph<dim> graph(tria, connectivity);
        const double                   graph_seconds = seconds_since(start);

        start = std::chrono::steady_clock::now();
        std::vector<char> marked(tria.n_active_cells(), 0);
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned())
            marked[cell->active_cell_index()] = marked_fraction_hash<dim>(cell->center()) < p;
        const double marking_seconds = seconds_since(start);

        // Best of three: the labelling alone, as it runs for every indicator on a mesh.
        double       label_seconds = 1e300;
        std::size_t  n_clusters    = 0;
        unsigned int rounds        = 0;
        for (unsigned int repeat = 0; repeat < 3; ++repeat)
          {
            MPI_Barrier(MPI_COMM_WORLD);
            start = std::chrono::steady_clock::now();
            const weaklink::ClusterLabelling<dim> labelling(graph, marked);
            label_seconds = std::min(label_seconds, seconds_since(start));
            n_clusters    = labelling.clusters().size();
            rounds        = labelling.rounds();
          }
        if (root)
          std::cout << dim << "D  " << std::setw(9) << static_cast<long>(cells) << " cells  "
                    << (connectivity == weaklink::Connectivity::face ? "face  " : "vertex")
                    << "  p = " << p << "  clusters " << std::setw(7) << n_clusters << "  rounds "
                    << rounds << std::fixed << std::setprecision(3) << "  graph " << graph_seconds
                    << " s  marking " << marking_seconds << " s  labelling " << label_seconds
                    << " s  " << std::scientific << std::setprecision(2)
                    << cells / label_seconds / ranks << " cells/s per rank (with graph "
                    << cells / (label_seconds + graph_seconds) / ranks << ")" << std::defaultfloat
                    << std::endl;
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool                       root = Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  const double                     p    = argc > 1 ? std::atof(argv[1]) : 0.5;
  run<2>(10, p, root); // 1,048,576 cells
  run<3>(7, p, root);  // 2,097,152 cells
}
