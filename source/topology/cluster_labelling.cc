#include <weaklink/topology/cluster_labelling.h>
#include <weaklink/topology/shifted_union_find.h>

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    using Name = std::array<unsigned int, 4>;

    constexpr Name unmarked{{~0u, ~0u, ~0u, ~0u}};

    class UnionFind
    {
    public:
      explicit UnionFind(const std::size_t n)
          : parent(n)
      {
        std::iota(parent.begin(), parent.end(), 0u);
      }

      unsigned int find(unsigned int i)
      {
        while (parent[i] != i)
          i = parent[i] = parent[parent[i]];
        return i;
      }

      void join(const unsigned int a, const unsigned int b)
      {
        const unsigned int ra = find(a), rb = find(b);
        if (ra != rb)
          parent[std::max(ra, rb)] = std::min(ra, rb);
      }

    private:
      std::vector<unsigned int> parent;
    };

    using Shift = PeriodShift;

    /** A component's name and the shift of the sending cell relative to the named cell. */
    struct NameAndShift
    {
      Name  name;
      Shift shift;
    };

    /** Statistics of one cluster, or of the part of it a rank owns, as plain numbers. */
    template <int dim> struct PartialCluster
    {
      Name          name;
      double        volume;
      double        lower[dim];
      double        upper[dim];
      std::uint64_t n_cells;
      std::uint64_t boundary_ids;
      std::uint64_t wrapping;

      void add(const PartialCluster &other)
      {
        volume += other.volume;
        for (unsigned int d = 0; d < dim; ++d)
          {
            lower[d] = std::min(lower[d], other.lower[d]);
            upper[d] = std::max(upper[d], other.upper[d]);
          }
        n_cells += other.n_cells;
        boundary_ids |= other.boundary_ids;
        wrapping |= other.wrapping;
      }
    };
  } // namespace

  template <int dim>
  ClusterLabelling<dim>::ClusterLabelling(const CellGraph<dim>    &graph,
                                          const std::vector<char> &marked)
  {
    label(graph, marked);
  }

  template <int dim>
  ClusterLabelling<dim>::ClusterLabelling(
      const parallel::distributed::Triangulation<dim> &triangulation,
      const std::function<bool(const CellIterator &)> &marked, const Connectivity connectivity)
  {
    const CellGraph<dim> graph(triangulation, connectivity);
    std::vector<char>    is_marked(triangulation.n_active_cells(), 0);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        is_marked[cell->active_cell_index()] = marked(cell);
    label(graph, is_marked);
  }

  template <int dim>
  void ClusterLabelling<dim>::label(const CellGraph<dim> &graph, const std::vector<char> &marked)
  {
    if (graph.periodic())
      label_with<true>(graph, marked);
    else
      label_with<false>(graph, marked);
  }

  template <int dim>
  template <bool periodic>
  void ClusterLabelling<dim>::label_with(const CellGraph<dim>    &graph,
                                         const std::vector<char> &marked)
  {
    const std::size_t n = graph.n_cells();
    AssertThrow(marked.size() == n, ExcDimensionMismatch(marked.size(), n));

    // Ghost cells are marked by their owners, so every rank sees the same marks.
    std::vector<char> is_marked(n, 0);
    for (const unsigned int cell : graph.owned_cells())
      is_marked[cell] = marked[cell] != 0;
    graph.update_ghosts(is_marked);

    std::vector<unsigned int> root(n, 0);
    std::vector<Shift>        to_root;         // periodic: shift(cell) - shift(root)
    std::vector<std::uint8_t> component_wraps; // periodic: by root
    if constexpr (periodic)
      {
        ShiftedUnionFind components(n);
        for (std::size_t i = 0; i < n; ++i)
          if (is_marked[i])
            {
              const std::uint8_t *code = graph.shifts_begin(i);
              for (const unsigned int *j = graph.neighbours_begin(i); j != graph.neighbours_end(i);
                   ++j, ++code)
                if (is_marked[*j])
                  {
                    Shift delta;
                    for (unsigned int d = 0; d < 3; ++d)
                      delta[d] = CellGraph<dim>::shift_along(*code, d);
                    components.join(i, *j, delta);
                  }
            }
        to_root.assign(n, Shift{{0, 0, 0}});
        for (std::size_t i = 0; i < n; ++i)
          if (is_marked[i])
            root[i] = components.find(i, to_root[i]);
        component_wraps = std::move(components.wraps);
      }
    else
      {
        UnionFind components(n);
        for (std::size_t i = 0; i < n; ++i)
          if (is_marked[i])
            for (const unsigned int *j = graph.neighbours_begin(i); j != graph.neighbours_end(i);
                 ++j)
              if (is_marked[*j])
                components.join(i, *j);
        for (std::size_t i = 0; i < n; ++i)
          if (is_marked[i])
            root[i] = components.find(i);
      }

    std::vector<Name>  component_name(n, unmarked); // indexed by root
    std::vector<Shift> component_shift;             // periodic: shift(root) - shift(named cell)
    if constexpr (periodic)
      component_shift.assign(n, Shift{{0, 0, 0}});
    for (std::size_t i = 0; i < n; ++i)
      if (is_marked[i] && graph.name(i) < component_name[root[i]])
        {
          component_name[root[i]] = graph.name(i);
          if constexpr (periodic)
            component_shift[root[i]] = Shift{{0, 0, 0}} - to_root[i];
        }

    // Names only decrease, so the exchange stops once no ghost lowers the
    // name of its local component on any rank. With periodic faces the
    // sending cell's shift relative to the named cell comes along; a ghost
    // that disagrees with the shift its component already has (same name)
    // closes a loop around the domain.
    for (bool changed = true; changed; ++exchange_rounds)
      {
        bool lowered = false;
        if constexpr (periodic)
          graph.template exchange_ghost_values<NameAndShift>(
              [&](const unsigned int cell) {
                return is_marked[cell] ? NameAndShift{component_name[root[cell]],
                                                      component_shift[root[cell]] + to_root[cell]}
                                       : NameAndShift{unmarked, Shift{{0, 0, 0}}};
              },
              [&](const unsigned int cell, const NameAndShift &value) {
                if (!is_marked[cell])
                  return;
                const unsigned int r     = root[cell];
                const Shift        shift = value.shift - to_root[cell];
                if (value.name < component_name[r])
                  {
                    component_name[r]  = value.name;
                    component_shift[r] = shift;
                    lowered            = true;
                  }
                else if (value.name == component_name[r])
                  component_wraps[r] |= nonzero_axes(shift - component_shift[r]);
              });
        else
          graph.template exchange_ghost_values<Name>(
              [&](const unsigned int cell) {
                return is_marked[cell] ? component_name[root[cell]] : unmarked;
              },
              [&](const unsigned int cell, const Name &value) {
                if (is_marked[cell] && value < component_name[root[cell]])
                  {
                    component_name[root[cell]] = value;
                    lowered                    = true;
                  }
              });
        changed = Utilities::MPI::logical_or(lowered, graph.communicator());
      }

    // Statistics of the owned part of each local component, then merged on
    // every rank; boxes of the unwrapped cells.
    std::vector<unsigned int>        slot_of_root(n, ~0u);
    std::vector<PartialCluster<dim>> local;
    for (const unsigned int cell : graph.owned_cells())
      if (is_marked[cell])
        {
          double lower[dim], upper[dim];
          for (unsigned int d = 0; d < dim; ++d)
            {
              lower[d] = graph.lower_corner(cell)[d];
              upper[d] = graph.upper_corner(cell)[d];
            }
          if constexpr (periodic)
            {
              const Shift shift = component_shift[root[cell]] + to_root[cell];
              for (unsigned int d = 0; d < dim; ++d)
                {
                  lower[d] += shift[d] * graph.period(d);
                  upper[d] += shift[d] * graph.period(d);
                }
            }
          unsigned int &slot = slot_of_root[root[cell]];
          if (slot == ~0u)
            {
              slot = local.size();
              PartialCluster<dim> fresh{component_name[root[cell]], 0, {}, {}, 0, 0, 0};
              for (unsigned int d = 0; d < dim; ++d)
                {
                  fresh.lower[d] = lower[d];
                  fresh.upper[d] = upper[d];
                }
              if constexpr (periodic)
                fresh.wrapping = component_wraps[root[cell]];
              local.push_back(fresh);
            }
          PartialCluster<dim> &c = local[slot];
          c.volume += graph.measure(cell);
          for (unsigned int d = 0; d < dim; ++d)
            {
              c.lower[d] = std::min(c.lower[d], lower[d]);
              c.upper[d] = std::max(c.upper[d], upper[d]);
            }
          ++c.n_cells;
          c.boundary_ids |= graph.boundary_ids(cell);
        }
    // A loop found on a rank through a ghost cell whose component owns no
    // cell there still counts: such components report only their wrapping.
    if constexpr (periodic)
      for (std::size_t i = 0; i < n; ++i)
        if (is_marked[i] && component_wraps[root[i]] != 0 && slot_of_root[root[i]] == ~0u)
          {
            slot_of_root[root[i]] = local.size();
            PartialCluster<dim> wraps_only{component_name[root[i]], 0, {}, {}, 0, 0, 0};
            for (unsigned int d = 0; d < dim; ++d)
              {
                wraps_only.lower[d] = std::numeric_limits<double>::max();
                wraps_only.upper[d] = std::numeric_limits<double>::lowest();
              }
            wraps_only.wrapping = component_wraps[root[i]];
            local.push_back(wraps_only);
          }

    // Several local components can carry one name (joined through other ranks).
    std::vector<PartialCluster<dim>> gathered;
    if (Utilities::MPI::n_mpi_processes(graph.communicator()) == 1)
      gathered = local;
    else
      {
        // Plain MPI on bytes: deal.II's all_gather compresses through Boost,
        // which cost more than the labelling itself.
        const MPI_Comm   comm  = graph.communicator();
        const int        bytes = static_cast<int>(local.size() * sizeof(PartialCluster<dim>));
        std::vector<int> sizes(Utilities::MPI::n_mpi_processes(comm)), offsets(sizes.size() + 1, 0);
        MPI_Allgather(&bytes, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm);
        std::partial_sum(sizes.begin(), sizes.end(), offsets.begin() + 1);
        gathered.resize(offsets.back() / sizeof(PartialCluster<dim>));
        MPI_Allgatherv(local.data(), bytes, MPI_BYTE, gathered.data(), sizes.data(), offsets.data(),
                       MPI_BYTE, comm);
      }
    std::sort(gathered.begin(), gathered.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    std::vector<Name> sorted_names;
    for (std::size_t k = 0; k < gathered.size();)
      {
        PartialCluster<dim> merged = gathered[k];
        for (++k; k < gathered.size() && gathered[k].name == merged.name; ++k)
          merged.add(gathered[k]);
        Cluster<dim> cluster;
        cluster.name         = merged.name;
        cluster.n_cells      = merged.n_cells;
        cluster.volume       = merged.volume;
        cluster.boundary_ids = merged.boundary_ids;
        cluster.wrapping     = merged.wrapping;
        Point<dim> lower, upper;
        for (unsigned int d = 0; d < dim; ++d)
          if (cluster.wraps(d))
            {
              lower[d] = graph.periodic_lower_end(d);
              upper[d] = lower[d] + graph.period(d);
            }
          else
            lower[d] = merged.lower[d], upper[d] = merged.upper[d];
        cluster.bounding_box = BoundingBox<dim>(std::make_pair(lower, upper));
        all_clusters.push_back(cluster);
        sorted_names.push_back(merged.name);
      }

    std::vector<unsigned int> cluster_of_slot(local.size());
    for (std::size_t s = 0; s < local.size(); ++s)
      cluster_of_slot[s] =
          std::lower_bound(sorted_names.begin(), sorted_names.end(), local[s].name) -
          sorted_names.begin();
    cell_cluster.assign(n, invalid_cluster);
    for (const unsigned int cell : graph.owned_cells())
      if (is_marked[cell])
        cell_cluster[cell] = cluster_of_slot[slot_of_root[root[cell]]];
  }

  template <int dim> unsigned int ClusterLabelling<dim>::cluster_of(const CellIterator &cell) const
  {
    return cell_cluster[cell->active_cell_index()];
  }

  template class ClusterLabelling<2>;
  template class ClusterLabelling<3>;
} // namespace weaklink
