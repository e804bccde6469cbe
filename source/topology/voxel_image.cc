#include <weaklink/topology/shifted_union_find.h>
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
                             const bool vertex_connectivity, const PeriodicAxes &periodic)
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

    // Across periodic faces: the offsets after (0, 0, 0) whose target leaves
    // the image through a periodic face and comes back on the other side, so
    // that each such pair is met once. The scan joined neighbours at the
    // same shift; these carry a shift of one period.
    const bool       any_periodic = (periodic[0] || periodic[1] || (dz && periodic[2]));
    ShiftedUnionFind shifted(any_periodic ? parent.size() : 0);
    if (any_periodic)
      {
        for (std::uint32_t p = 1; p < parent.size(); ++p)
          if (find_root(parent, p) != p)
            {
              PeriodShift none{{0, 0, 0}};
              shifted.join(find_root(parent, p), p, none);
            }
        const long n[3] = {nx, ny, nz};
        for (unsigned int k = 0; k < nz; ++k)
          for (unsigned int j = 0; j < ny; ++j)
            for (unsigned int i = 0; i < nx; ++i)
              {
                const std::size_t v = grid.index(i, j, k);
                if (!mask[v])
                  continue;
                const long here[3] = {i, j, k};
                bool       on_face = false;
                for (unsigned int a = 0; a < grid.dim; ++a)
                  on_face = on_face || (periodic[a] && (here[a] == 0 || here[a] == n[a] - 1));
                if (!on_face)
                  continue;
                for (int c = -dz; c <= dz; ++c)
                  for (int b = -1; b <= 1; ++b)
                    for (int a = -1; a <= 1; ++a)
                      {
                        const int o[3] = {a, b, c};
                        if (c < 0 || (c == 0 && (b < 0 || (b == 0 && a <= 0))))
                          continue; // not after (0, 0, 0)
                        if (!vertex_connectivity && (a != 0) + (b != 0) + (c != 0) != 1)
                          continue;
                        long        there[3];
                        PeriodShift shift{{0, 0, 0}};
                        bool        inside = true, wrapped = false;
                        for (unsigned int x = 0; x < 3; ++x)
                          {
                            there[x] = here[x] + o[x];
                            if (there[x] >= 0 && there[x] < n[x])
                              continue;
                            if (x >= grid.dim || !periodic[x])
                              inside = false;
                            // The voxel on the other side lies one period
                            // away: moved by -/+1 period it touches ours.
                            shift[x] = there[x] < 0 ? -1 : 1;
                            there[x] -= shift[x] * n[x];
                            wrapped = true;
                          }
                        if (!inside || !wrapped)
                          continue;
                        const std::uint32_t other =
                            provisional[grid.index(there[0], there[1], there[2])];
                        if (other != 0)
                          shifted.join(provisional[v], other, shift);
                      }
              }
      }
    const auto root_of = [&](const std::uint32_t p, PeriodShift &to_root) -> std::uint32_t {
      if (any_periodic)
        return shifted.find(p, to_root);
      to_root = PeriodShift{{0, 0, 0}};
      return find_root(parent, p);
    };

    // Final labels in order of the roots' creation (= first voxel in scan order).
    VoxelClusters              result;
    std::vector<std::uint32_t> final_label(parent.size(), 0);
    PeriodShift                unused;
    for (std::uint32_t p = 1; p < parent.size(); ++p)
      if (root_of(p, unused) == p)
        {
          final_label[p] = result.clusters.size() + 1;
          result.clusters.emplace_back();
          result.clusters.back().wrapping = any_periodic ? shifted.wraps[p] : 0;
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
            PeriodShift         shift;
            const std::uint32_t l     = final_label[root_of(provisional[v], shift)];
            result.label[v]           = l;
            VoxelCluster      &c      = result.clusters[l - 1];
            const unsigned int idx[3] = {i, j, k};
            for (unsigned int d = 0; d < grid.dim; ++d)
              {
                const int unwrapped = int(idx[d]) + shift[d] * int(grid.n[d]);
                if (c.n_voxels == 0 || unwrapped < c.lower[d])
                  c.lower[d] = unwrapped;
                if (c.n_voxels == 0 || unwrapped > c.upper[d])
                  c.upper[d] = unwrapped;
                c.centroid[d] += unwrapped + 0.5;
                sum_of_squares[l - 1][d] += (unwrapped + 0.5) * (unwrapped + 0.5);
                if (idx[d] == 0)
                  c.boundaries |= 1u << (2 * d);
                if (idx[d] + 1 == grid.n[d])
                  c.boundaries |= 1u << (2 * d + 1);
              }
            ++c.n_voxels;
          }
    for (auto &c : result.clusters)
      for (unsigned int d = 0; d < grid.dim; ++d)
        if (c.wraps(d))
          c.lower[d] = 0, c.upper[d] = int(grid.n[d]) - 1;
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
            if (c.wraps(d))
              {
                // Unbounded when unwrapped: taken as a ring around the whole period,
                // which does not depend on where the image is cut.
                c.centroid[d]      = 0.5 * grid.n[d];
                c.second_moment[d] = double(grid.n[d]) * grid.n[d] / 12;
              }
          }
      }
    return result;
  }

  long euler_characteristic(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask,
                            const PeriodicAxes &periodic)
  {
    const long nx = grid.n[0], ny = grid.n[1], nz = grid.dim == 3 ? grid.n[2] : 1;
    const bool px = periodic[0], py = periodic[1], pz = grid.dim == 3 && periodic[2];
    // Along a periodic axis index -1 is n - 1, and corner n is corner 0.
    const auto wrap = [](long i, long n, bool p) { return p && i < 0 ? i + n : i; };
    const auto set  = [&](long i, long j, long k) {
      i = wrap(i, nx, px), j = wrap(j, ny, py), k = wrap(k, nz, pz);
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
    const long zcells = grid.dim == 3 ? nz + !pz : 1;
    for (long k = 0; k < zcells; ++k)
      for (long j = 0; j < ny + !py; ++j)
        for (long i = 0; i < nx + !px; ++i)
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
