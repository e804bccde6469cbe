// Throughput of voxel labelling and of the Euler characteristic (cells per second on one
// core): random images with occupation 0.5, 2D 2048^2 and 3D 160^3, face and vertex connectivity.
#include <weaklink/topology/voxel_image.h>

#include <chrono>
#include <cstdio>
#include <random>

using namespace weaklink;

int
main()
{
  using clock = std::chrono::steady_clock;
  std::mt19937_64 random(1);
  for (const unsigned int dim : {2u, 3u})
    {
      VoxelGrid grid;
      grid.dim = dim;
      grid.n   = dim == 2 ? std::array<unsigned int, 3>{{2048, 2048, 1}}
                          : std::array<unsigned int, 3>{{160, 160, 160}};
      std::vector<std::uint8_t>   mask(grid.size());
      std::bernoulli_distribution occupied(0.5);
      for (auto &m : mask)
        m = occupied(random);
      for (const bool vertex : {false, true})
        {
          double      best       = 1e300;
          std::size_t n_clusters = 0;
          for (int repetition = 0; repetition < 3; ++repetition)
            {
              const auto start    = clock::now();
              const auto clusters = label_voxels(grid, mask, vertex);
              best = std::min(best, std::chrono::duration<double>(clock::now() - start).count());
              n_clusters = clusters.clusters.size();
            }
          std::printf("%uD %zu cells, %s connectivity: %zu clusters, %.3f s, %.2e cells/s\n", dim,
                      grid.size(), vertex ? "vertex" : "face", n_clusters, best,
                      grid.size() / best);
        }
      const auto   start = clock::now();
      const long   chi   = euler_characteristic(grid, mask);
      const double t     = std::chrono::duration<double>(clock::now() - start).count();
      std::printf("%uD Euler characteristic %ld: %.3f s, %.2e cells/s\n", dim, chi, t,
                  grid.size() / t);
    }
  return 0;
}
