#include <weaklink/topology/voxel_image.h>

#include <algorithm>
#include <numeric>

namespace weaklink
{
  namespace
  {
    std::uint32_t find_root(std::vector<std::uint32_t> &parent, std::uint32_t i)
    {
      while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
      return i;
    }
  } // namespace

  VoxelClusters label_voxels(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask,
                             const bool vertex_connectivity)
  {
    const auto [nx, ny, nz] = grid.n;
    const int dz            = grid.dim == 3 ? 1 : 0;
    // Already-scanned neighbours: offsets with (k, j, i) lexicographically before (0, 0, 0).
    std::vector<std::array<int, 3>> before;
    for (int k = -dz; k <= 0; ++k)
      for (int j = -1; j <= 1; ++j)
        for (int i = -1; i <= 1; ++i)
          {
            if (k == 0 && (j > 0 || (j == 0 && i >= 0)))
              continue;
            const int n_nonzero = (i != 0) + (j != 0) + (k != 0);
            if (vertex_connectivity || n_nonzero == 1)
              before.push_back({{i, j, k}});
          }

    std::vector<std::uint32_t> provisional(grid.size(), 0);
    std::vector<std::uint32_t> parent{0};
    for (unsigned int k = 0; k < nz; ++k)
      for (unsigned int j = 0; j < ny; ++j)
        for (unsigned int i = 0; i < nx; ++i)
          {
            const std::size_t v = grid.index(i, j, k);
            if (!mask[v])
              continue;
            std::uint32_t mine = 0;
            for (const auto &o : before)
              {
                const long a = long(i) + o[0], b = long(j) + o[1], c = long(k) + o[2];
                if (a < 0 || b < 0 || c < 0 || a >= long(nx) || b >= long(ny))
                  continue;
                const std::uint32_t other = provisional[grid.index(a, b, c)];
                if (other == 0)
                  continue;
                if (mine == 0)
                  mine = find_root(parent, other);
                else
                  {
                    const std::uint32_t r1 = find_root(parent, mine), r2 = find_root(parent, other);
                    if (r1 != r2)
                      parent[std::max(r1, r2)] = std::min(r1, r2);
                    mine = std::min(r1, r2);
                  }
              }
            if (mine == 0)
              {
                mine = parent.size();
                parent.push_back(mine);
              }
            provisional[v] = mine;
          }

    // Final labels in order of the roots' creation (= first voxel in scan order).
    VoxelClusters              result;
    std::vector<std::uint32_t> final_label(parent.size(), 0);
    for (std::uint32_t p = 1; p < parent.size(); ++p)
      if (find_root(parent, p) == p)
        {
          final_label[p] = result.clusters.size() + 1;
          result.clusters.emplace_back();
        }
    result.label.assign(grid.size(), 0);
    std::vector<std::array<double, 3>> sum_of_squares(result.clusters.size(), {{0, 0, 0}});
    for (unsigned int k = 0; k < nz; ++k)
      for (unsigned int j = 0; j < ny; ++j)
        for (unsigned int i = 0; i < nx; ++i)
          {
            const std::size_t v = grid.index(i, j, k);
            if (provisional[v] == 0)
              continue;
            const std::uint32_t l = final_label[find_root(parent, provisional[v])];
            result.label[v]       = l;
            VoxelCluster &c       = result.clusters[l - 1];
            ++c.n_voxels;
            const unsigned int idx[3] = {i, j, k};
            for (unsigned int d = 0; d < grid.dim; ++d)
              {
                c.lower[d] = std::min(c.lower[d], idx[d]);
                c.upper[d] = std::max(c.upper[d], idx[d]);
                c.centroid[d] += idx[d] + 0.5;
                sum_of_squares[l - 1][d] += (idx[d] + 0.5) * (idx[d] + 0.5);
                if (idx[d] == 0)
                  c.boundaries |= 1u << (2 * d);
                if (idx[d] + 1 == grid.n[d])
                  c.boundaries |= 1u << (2 * d + 1);
              }
          }
    for (std::size_t l = 0; l < result.clusters.size(); ++l)
      {
        VoxelCluster &c = result.clusters[l];
        for (unsigned int d = 0; d < grid.dim; ++d)
          {
            c.centroid[d] /= c.n_voxels;
            // Of the union of the voxels as squares/cubes: each adds its own 1/12.
            c.second_moment[d] =
                std::max(0.0, sum_of_squares[l][d] / c.n_voxels - c.centroid[d] * c.centroid[d]) +
                1.0 / 12;
          }
      }
    return result;
  }

  long euler_characteristic(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask)
  {
    const long nx = grid.n[0], ny = grid.n[1], nz = grid.dim == 3 ? grid.n[2] : 1;
    const auto set = [&](long i, long j, long k) {
      return i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz &&
             mask[grid.index(i, j, k)] != 0;
    };
    // A cell of the complex at corner (i, j, k) spanning the axes in 'span' belongs to the
    // union if any voxel containing it is set: voxels (i - a, j - b, k - c) with a, b, c in
    // {0, 1} for the axes it does not span, 0 for those it spans.
    const auto in_union = [&](long i, long j, long k, int span_x, int span_y, int span_z) {
      const int dz_max = grid.dim == 3 ? 1 - span_z : 0;
      for (int c = 0; c <= dz_max; ++c)
        for (int b = 0; b <= 1 - span_y; ++b)
          for (int a = 0; a <= 1 - span_x; ++a)
            if (set(i - a, j - b, k - c))
              return true;
      return false;
    };
    long       chi    = 0;
    const long zcells = grid.dim == 3 ? nz + 1 : 1;
    for (long k = 0; k < zcells; ++k)
      for (long j = 0; j <= ny; ++j)
        for (long i = 0; i <= nx; ++i)
          for (int sx = 0; sx <= 1; ++sx)
            for (int sy = 0; sy <= 1; ++sy)
              for (int sz = 0; sz <= (grid.dim == 3 ? 1 : 0); ++sz)
                {
                  if ((sx && i == nx) || (sy && j == ny) || (sz && k == nz))
                    continue;
                  if (in_union(i, j, k, sx, sy, sz))
                    chi += ((sx + sy + sz) % 2 == 0) ? 1 : -1;
                }
    return chi;
  }
} // namespace weaklink
