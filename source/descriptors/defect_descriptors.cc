#include <weaklink/core/input_error.h>
#include <weaklink/descriptors/defect_descriptors.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace weaklink
{
  namespace
  {
    /** A statistic of nothing (the nearest neighbour of a lone pore): NaN, not a number it is not.
     */
    const double undefined = std::numeric_limits<double>::quiet_NaN();

    constexpr std::uint8_t grain = 0, boundary = 1, weak = 2, pore = 3;

    std::vector<std::uint8_t> mask_of(const std::vector<std::uint8_t>    &phases,
                                      std::initializer_list<std::uint8_t> wanted)
    {
      std::vector<std::uint8_t> mask(phases.size());
      for (std::size_t v = 0; v < phases.size(); ++v)
        mask[v] = std::find(wanted.begin(), wanted.end(), phases[v]) != wanted.end();
      return mask;
    }

    bool spans_y(const VoxelCluster &c)
    {
      return (c.boundaries & 0b1100) == 0b1100;
    }

    // Lag (in voxels, interpolated) where the normalised two-point correlation of the mask
    // along an axis first drops below 1/e; half the extent if it never does. Along a
    // periodic axis pairs wrap around.
    double correlation_length(const VoxelGrid &grid, const std::vector<std::uint8_t> &mask,
                              const unsigned int axis, const double fraction, const bool periodic)
    {
      if (fraction <= 0 || fraction >= 1)
        return undefined;
      const unsigned int max_lag  = grid.n[axis] / 2;
      double             previous = 1;
      for (unsigned int lag = 1; lag <= max_lag; ++lag)
        {
          std::uint64_t pairs = 0, both = 0;
          for (unsigned int k = 0; k < grid.n[2]; ++k)
            for (unsigned int j = 0; j < grid.n[1]; ++j)
              for (unsigned int i = 0; i < grid.n[0]; ++i)
                {
                  unsigned int other[3] = {i, j, k};
                  other[axis] += lag;
                  if (other[axis] >= grid.n[axis])
                    {
                      if (!periodic)
                        continue;
                      other[axis] -= grid.n[axis];
                    }
                  ++pairs;
                  both +=
                      mask[grid.index(i, j, k)] & mask[grid.index(other[0], other[1], other[2])];
                }
          const double s2 = double(both) / pairs;
          const double c  = (s2 - fraction * fraction) / (fraction - fraction * fraction);
          if (c < std::exp(-1.0))
            return lag - 1 + (previous - std::exp(-1.0)) / (previous - c);
          previous = c;
        }
      return max_lag;
    }
  } // namespace

  std::vector<DescriptorDefinition> defect_descriptor_definitions(const unsigned int dim)
  {
    const std::string volume  = dim == 3 ? "m^3" : "m^2";
    const std::string density = dim == 3 ? "m^-3" : "m^-2";
    const std::string measure = dim == 3 ? "volume" : "area";
    return {
        {"porosity", "1", "pore " + measure + " fraction"},
        {"boundary_fraction", "1", measure + " fraction of grain boundaries, weak ones included"},
        {"weak_boundary_fraction", "1", "share of the grain-boundary " + measure + " that is weak"},
        {"defect_fraction", "1",
         measure + " fraction of the defect network (pores and weak boundaries)"},
        {"pore_count", "1", "number of pores (face-connected clusters of pore voxels)"},
        {"pore_number_density", density, "pores per sample " + measure},
        {"mean_pore_size", volume, "mean " + measure + " of a pore"},
        {"pore_size_cv", "1", "coefficient of variation of the pore " + measure + "s"},
        {"largest_pore_size", volume, measure + " of the largest pore"},
        {"largest_pore_share", "1", "largest pore's share of the pore " + measure},
        {"mean_pore_diameter", "m",
         "mean equivalent diameter of the pores (" + std::string(dim == 3 ? "sphere" : "disk") +
             " of equal " + measure + ")"},
        {"defect_cluster_count", "1", "number of face-connected clusters of the defect network"},
        {"largest_defect_cluster_size", volume, measure + " of the largest defect cluster"},
        {"largest_defect_cluster_share", "1",
         "largest defect cluster's share of the defect " + measure},
        {"largest_defect_cluster_fraction", "1",
         "largest defect cluster's share of the sample " + measure},
        {"largest_defect_cluster_y_extent", "1",
         "extent along y of the largest defect cluster over the thickness L"},
        {"max_defect_y_extent", "1", "largest extent along y of any defect cluster over L"},
        {"defect_spanning", "1",
         "1 if a face-connected defect cluster touches both y = 0 and y = L, else 0"},
        {"defect_spanning_vertex", "1", "as defect_spanning with vertex (corner) connectivity"},
        {"pore_spanning", "1",
         "1 if a face-connected pore cluster touches both y = 0 and y = L, else 0"},
        {"max_pore_y_extent", "1", "largest extent along y of a pore over L"},
        {"weak_cluster_count", "1", "number of face-connected clusters of weak boundaries"},
        {"largest_weak_cluster_size", volume, measure + " of the largest weak-boundary cluster"},
        {"largest_weak_cluster_y_extent", "1",
         "extent along y of the largest weak-boundary cluster over L"},
        {"pore_euler_characteristic", "1",
         dim == 3 ? "Euler characteristic of the pores, (26,6) connectivity: components - tunnels "
                    "+ cavities"
                  : "Euler characteristic of the pores, (8,4) connectivity: objects - holes"},
        {"defect_euler_characteristic", "1",
         "Euler characteristic of the defect network, same convention"},
        {"defect_euler_density", density, "defect_euler_characteristic per sample " + measure},
        {"mean_coordination_number", "1",
         "mean number of other pores a pore is linked to through a weak-boundary cluster they both "
         "touch"},
        {"isolated_pore_fraction", "1", "fraction of pores linked to no other pore"},
        {"min_ligament", "1",
         "smallest defect-free length along a straight line in y, over all lines, divided by L"},
        {"mean_ligament", "1",
         "mean over the lines along y of the defect-free length, divided by L"},
        {"pore_nn_distance_mean", "m",
         "mean distance from a pore centroid to the nearest other pore centroid"},
        {"pore_nn_distance_cv", "1",
         "coefficient of variation of those nearest-neighbour distances"},
        {"clark_evans_ratio", "1",
         "mean nearest-neighbour distance over its value for a Poisson process of the same density "
         "(below 1: clustered, above 1: ordered)"},
        {"pore_correlation_length_x", "m",
         "lag along x where the normalised two-point correlation of the pore indicator falls to "
         "1/e"},
        {"pore_correlation_length_y", "m", "the same along y"},
        {"pore_correlation_anisotropy", "1",
         "pore_correlation_length_y / pore_correlation_length_x"},
        {"pore_shape_anisotropy", "1",
         "sum over pores of the second moment along y over the same along x (volume weighted)"},
        {"pore_specific_surface", "m^-1", "pore-solid interface per sample " + measure},
        {"grain_count", "1", "number of grains (face-connected clusters of grain-interior voxels)"},
        {"mean_grain_size", "m",
         "(solid " + measure + " / grain_count)^(1/" + std::to_string(dim) + ")"},
        {"defect_wrapping", "1",
         "1 if a face-connected defect cluster wraps around a periodic lateral direction (closes "
         "a loop around the sample), else 0; always 0 without periodic directions"},
    };
  }

  PeriodicAxes parse_periodic_axes(const std::string &list, const unsigned int dim)
  {
    PeriodicAxes axes{{false, false, false}};
    if (list.empty() || list == "none")
      return axes;
    std::size_t start = 0;
    while (start <= list.size())
      {
        const std::size_t end  = std::min(list.find(',', start), list.size());
        std::string       item = list.substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item == "x")
          axes[0] = true;
        else if (item == "z" && dim == 3)
          axes[2] = true;
        else
          throw InputError("periodic directions: '" + item + "' is not a lateral direction (x" +
                           std::string(dim == 3 ? " or z" : "") + ")");
        start = end + 1;
      }
    return axes;
  }

  std::vector<double> compute_defect_descriptors(const VoxelGrid                 &grid,
                                                 const std::vector<std::uint8_t> &phases,
                                                 const PeriodicAxes              &periodic_axes)
  {
    const unsigned int dim      = grid.dim;
    const double       voxel    = grid.voxel_volume();
    const double       total    = grid.size() * voxel;
    PeriodicAxes       periodic = periodic_axes;
    for (unsigned int a = dim; a < 3; ++a)
      periodic[a] = false;
    const auto    pores     = mask_of(phases, {pore});
    const auto    weaks     = mask_of(phases, {weak});
    const auto    defects   = mask_of(phases, {pore, weak});
    const auto    grains    = mask_of(phases, {grain});
    std::uint64_t counts[4] = {0, 0, 0, 0};
    for (const auto p : phases)
      ++counts[p];
    const double n = grid.size();

    const auto pore_clusters   = label_voxels(grid, pores, false, periodic);
    const auto weak_clusters   = label_voxels(grid, weaks, false, periodic);
    const auto defect_clusters = label_voxels(grid, defects, false, periodic);
    const auto defect_vertex   = label_voxels(grid, defects, true, periodic);
    const auto grain_clusters  = label_voxels(grid, grains, false, periodic);
    const auto y_extent        = [&](const VoxelCluster &c) {
      return double(c.upper[1] - c.lower[1] + 1) / grid.n[1];
    };
    const auto largest = [](const VoxelClusters &clusters) -> const VoxelCluster * {
      const VoxelCluster *best = nullptr;
      for (const auto &c : clusters.clusters)
        if (!best || c.n_voxels > best->n_voxels)
          best = &c;
      return best;
    };

    std::vector<double> d;
    d.push_back(counts[pore] / n);
    d.push_back((counts[boundary] + counts[weak]) / n);
    d.push_back(counts[boundary] + counts[weak] > 0
                    ? double(counts[weak]) / (counts[boundary] + counts[weak])
                    : 0);
    d.push_back((counts[pore] + counts[weak]) / n);

    // Pores.
    const std::size_t n_pores = pore_clusters.clusters.size();
    double            mean = 0, square = 0, diameter = 0;
    for (const auto &c : pore_clusters.clusters)
      {
        const double size = c.n_voxels * voxel;
        mean += size / n_pores;
        square += size * size / n_pores;
        diameter += (dim == 3 ? std::cbrt(6 * size / M_PI) : std::sqrt(4 * size / M_PI)) / n_pores;
      }
    const VoxelCluster *largest_pore = largest(pore_clusters);
    d.push_back(n_pores);
    d.push_back(n_pores / total);
    d.push_back(mean);
    d.push_back(n_pores > 0 && mean > 0 ? std::sqrt(std::max(0.0, square - mean * mean)) / mean
                                        : 0);
    d.push_back(largest_pore ? largest_pore->n_voxels * voxel : 0);
    d.push_back(largest_pore ? double(largest_pore->n_voxels) / counts[pore] : 0);
    d.push_back(diameter);

    // Defect network.
    const VoxelCluster *largest_defect = largest(defect_clusters);
    double              max_extent     = 0;
    bool                spanning = false, spanning_vertex = false, pore_spanning = false;
    for (const auto &c : defect_clusters.clusters)
      {
        max_extent = std::max(max_extent, y_extent(c));
        spanning   = spanning || spans_y(c);
      }
    for (const auto &c : defect_vertex.clusters)
      spanning_vertex = spanning_vertex || spans_y(c);
    double max_pore_extent = 0;
    for (const auto &c : pore_clusters.clusters)
      {
        pore_spanning   = pore_spanning || spans_y(c);
        max_pore_extent = std::max(max_pore_extent, y_extent(c));
      }
    const double defect_voxels = counts[pore] + counts[weak];
    d.push_back(defect_clusters.clusters.size());
    d.push_back(largest_defect ? largest_defect->n_voxels * voxel : 0);
    d.push_back(largest_defect ? largest_defect->n_voxels / defect_voxels : undefined);
    d.push_back(largest_defect ? largest_defect->n_voxels / n : 0);
    d.push_back(largest_defect ? y_extent(*largest_defect) : 0);
    d.push_back(max_extent);
    d.push_back(spanning);
    d.push_back(spanning_vertex);
    d.push_back(pore_spanning);
    d.push_back(max_pore_extent);

    // Weak boundaries.
    const VoxelCluster *largest_weak = largest(weak_clusters);
    d.push_back(weak_clusters.clusters.size());
    d.push_back(largest_weak ? largest_weak->n_voxels * voxel : 0);
    d.push_back(largest_weak ? y_extent(*largest_weak) : 0);

    // Topology.
    const long chi_defects = euler_characteristic(grid, defects, periodic);
    d.push_back(euler_characteristic(grid, pores, periodic));
    d.push_back(chi_defects);
    d.push_back(chi_defects / total);

    // Pores linked through weak-boundary clusters they touch (face neighbours).
    std::vector<std::set<std::uint32_t>> pores_of_weak(weak_clusters.clusters.size());
    const int offsets[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    for (unsigned int k = 0; k < grid.n[2]; ++k)
      for (unsigned int j = 0; j < grid.n[1]; ++j)
        for (unsigned int i = 0; i < grid.n[0]; ++i)
          {
            const std::uint32_t w = weak_clusters.label[grid.index(i, j, k)];
            if (w == 0)
              continue;
            for (unsigned int o = 0; o < 2 * dim; ++o)
              {
                long at[3]  = {long(i) + offsets[o][0], long(j) + offsets[o][1],
                               long(k) + offsets[o][2]};
                bool inside = true;
                for (unsigned int x = 0; x < 3; ++x)
                  if (at[x] < 0 || at[x] >= long(grid.n[x]))
                    {
                      if (periodic[x])
                        at[x] = (at[x] + long(grid.n[x])) % long(grid.n[x]);
                      else
                        inside = false;
                    }
                if (!inside)
                  continue;
                const std::uint32_t p = pore_clusters.label[grid.index(at[0], at[1], at[2])];
                if (p != 0)
                  pores_of_weak[w - 1].insert(p);
              }
          }
    std::vector<std::set<std::uint32_t>> neighbours(n_pores);
    for (const auto &linked : pores_of_weak)
      for (const auto a : linked)
        for (const auto b : linked)
          if (a != b)
            neighbours[a - 1].insert(b);
    double degree = 0, isolated = 0;
    for (const auto &set : neighbours)
      {
        degree += double(set.size()) / n_pores;
        isolated += set.empty() ? 1.0 / n_pores : 0.0;
      }
    d.push_back(n_pores > 0 ? degree : undefined);
    d.push_back(n_pores > 0 ? isolated : undefined);

    // Ligaments: defect-free length along each line in y.
    double min_ligament = std::numeric_limits<double>::infinity(), mean_ligament = 0;
    for (unsigned int k = 0; k < grid.n[2]; ++k)
      for (unsigned int i = 0; i < grid.n[0]; ++i)
        {
          unsigned int free_voxels = 0;
          for (unsigned int j = 0; j < grid.n[1]; ++j)
            free_voxels += !defects[grid.index(i, j, k)];
          const double ligament = double(free_voxels) / grid.n[1];
          min_ligament          = std::min(min_ligament, ligament);
          mean_ligament += ligament / (double(grid.n[0]) * grid.n[2]);
        }
    d.push_back(min_ligament);
    d.push_back(mean_ligament);

    // Nearest-neighbour distances between pore centroids.
    std::vector<double> nearest(n_pores, std::numeric_limits<double>::infinity());
    for (std::size_t a = 0; a < n_pores; ++a)
      for (std::size_t b = a + 1; b < n_pores; ++b)
        {
          double r2 = 0;
          for (unsigned int x = 0; x < dim; ++x)
            {
              double delta =
                  (pore_clusters.clusters[a].centroid[x] - pore_clusters.clusters[b].centroid[x]);
              if (periodic[x]) // minimum image
                delta -= grid.n[x] * std::round(delta / grid.n[x]);
              // A pore that wraps around x is a ring along it, as near to any
              // other in x as can be.
              if (pore_clusters.clusters[a].wraps(x) || pore_clusters.clusters[b].wraps(x))
                delta = 0;
              delta *= grid.spacing[x];
              r2 += delta * delta;
            }
          nearest[a] = std::min(nearest[a], r2);
          nearest[b] = std::min(nearest[b], r2);
        }
    double nn_mean = undefined, nn_square = 0;
    if (n_pores > 1)
      {
        nn_mean = 0;
        for (const double r2 : nearest)
          {
            nn_mean += std::sqrt(r2) / n_pores;
            nn_square += r2 / n_pores;
          }
      }
    const double density = n_pores / total;
    const double poisson = dim == 3 ? 0.55396 / std::cbrt(density) : 0.5 / std::sqrt(density);
    d.push_back(nn_mean);
    d.push_back(std::sqrt(std::max(0.0, nn_square - nn_mean * nn_mean)) / nn_mean);
    d.push_back(nn_mean / poisson);

    // Two-point correlation lengths and shape anisotropy.
    const double porosity = counts[pore] / n;
    const double xi_x = correlation_length(grid, pores, 0, porosity, periodic[0]) * grid.spacing[0];
    const double xi_y = correlation_length(grid, pores, 1, porosity, periodic[1]) * grid.spacing[1];
    d.push_back(xi_x);
    d.push_back(xi_y);
    d.push_back(xi_x > 0 ? xi_y / xi_x : undefined);
    double moment_x = 0, moment_y = 0;
    for (const auto &c : pore_clusters.clusters)
      {
        moment_x += c.n_voxels * c.second_moment[0] * grid.spacing[0] * grid.spacing[0];
        moment_y += c.n_voxels * c.second_moment[1] * grid.spacing[1] * grid.spacing[1];
      }
    d.push_back(moment_x > 0 ? moment_y / moment_x : undefined);

    // Pore-solid interface: faces between a pore and a non-pore voxel.
    double interface = 0;
    for (unsigned int k = 0; k < grid.n[2]; ++k)
      for (unsigned int j = 0; j < grid.n[1]; ++j)
        for (unsigned int i = 0; i < grid.n[0]; ++i)
          {
            const bool here = pores[grid.index(i, j, k)];
            for (unsigned int axis = 0; axis < dim; ++axis)
              {
                unsigned int next[3] = {i, j, k};
                if (++next[axis] >= grid.n[axis])
                  {
                    if (!periodic[axis] || grid.n[axis] < 2)
                      continue;
                    next[axis] = 0;
                  }
                if (here != bool(pores[grid.index(next[0], next[1], next[2])]))
                  interface += voxel / grid.spacing[axis];
              }
          }
    d.push_back(interface / total);

    const std::size_t n_grains = grain_clusters.clusters.size();
    d.push_back(n_grains);
    d.push_back(n_grains > 0 ? std::pow((n - counts[pore]) * voxel / n_grains, 1.0 / dim)
                             : undefined);

    d.push_back(std::any_of(defect_clusters.clusters.begin(), defect_clusters.clusters.end(),
                            [](const VoxelCluster &c) { return c.wrapping != 0; }));
    return d;
  }
} // namespace weaklink
