#include <weaklink/topology/sphere_clusters.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace weaklink
{
  SphereClusters cluster_spheres(const unsigned int                        dim,
                                 const std::vector<std::array<double, 3>> &centres,
                                 const std::vector<double>                &radii)
  {
    const std::size_t n = centres.size();
    SphereClusters    result;
    if (n == 0)
      return result;
    const double cell = 2 * *std::max_element(radii.begin(), radii.end());
    // Cell list keyed by integer coordinates.
    const auto key = [&](const std::array<long, 3> &c) {
      return (std::uint64_t(c[0] + (1 << 20)) << 42) ^ (std::uint64_t(c[1] + (1 << 20)) << 21) ^
             std::uint64_t(c[2] + (1 << 20));
    };
    const auto cell_of = [&](const std::array<double, 3> &x) {
      std::array<long, 3> c{{0, 0, 0}};
      for (unsigned int d = 0; d < dim; ++d)
        c[d] = static_cast<long>(std::floor(x[d] / cell));
      return c;
    };
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> cells;
    for (std::uint32_t i = 0; i < n; ++i)
      cells[key(cell_of(centres[i]))].push_back(i);

    std::vector<std::uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    const auto find = [&](std::uint32_t i) {
      while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
      return i;
    };
    const int reach_z = dim == 3 ? 1 : 0;
    for (std::uint32_t i = 0; i < n; ++i)
      {
        const auto c = cell_of(centres[i]);
        for (int dz = -reach_z; dz <= reach_z; ++dz)
          for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx)
              {
                const auto found = cells.find(key({{c[0] + dx, c[1] + dy, c[2] + dz}}));
                if (found == cells.end())
                  continue;
                for (const std::uint32_t j : found->second)
                  {
                    if (j <= i)
                      continue;
                    double r2 = 0;
                    for (unsigned int d = 0; d < dim; ++d)
                      r2 += (centres[i][d] - centres[j][d]) * (centres[i][d] - centres[j][d]);
                    const double reach = radii[i] + radii[j];
                    if (r2 < reach * reach)
                      {
                        const std::uint32_t a = find(i), b = find(j);
                        if (a != b)
                          parent[std::max(a, b)] = std::min(a, b);
                      }
                  }
              }
      }
    std::vector<std::uint32_t> index(n, ~0u);
    result.label.resize(n);
    for (std::uint32_t i = 0; i < n; ++i)
      {
        const std::uint32_t root = find(i);
        if (index[root] == ~0u)
          {
            index[root] = result.clusters.size();
            result.clusters.push_back(
                SphereCluster{0, centres[i][1] - radii[i], centres[i][1] + radii[i]});
          }
        SphereCluster &c = result.clusters[index[root]];
        result.label[i]  = index[root];
        ++c.n_spheres;
        c.y_min = std::min(c.y_min, centres[i][1] - radii[i]);
        c.y_max = std::max(c.y_max, centres[i][1] + radii[i]);
      }
    return result;
  }
} // namespace weaklink
