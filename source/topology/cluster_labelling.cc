#include <weaklink/topology/cluster_labelling.h>

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    using Name = std::array<unsigned int, 4>;

    class UnionFind
    {
    public:
      explicit UnionFind(const std::size_t n)
          : parent(n)
      {
        std::iota(parent.begin(), parent.end(), 0);
      }

      std::size_t find(std::size_t i)
      {
        while (parent[i] != i)
          i = parent[i] = parent[parent[i]];
        return i;
      }

      void join(const std::size_t a, const std::size_t b)
      {
        const std::size_t ra = find(a), rb = find(b);
        if (ra != rb)
          parent[std::max(ra, rb)] = std::min(ra, rb);
      }

    private:
      std::vector<std::size_t> parent;
    };

    /** Active non-artificial cells at each vertex, in compressed rows (offsets, cell indices). */
    template <int dim>
    std::pair<std::vector<std::size_t>, std::vector<unsigned int>>
    cells_at_vertices(const Triangulation<dim> &tria)
    {
      std::vector<std::size_t> offsets(tria.n_vertices() + 1, 0);
      for (const auto &cell : tria.active_cell_iterators())
        if (!cell->is_artificial())
          for (const auto v : cell->vertex_indices())
            ++offsets[cell->vertex_index(v) + 1];
      std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
      std::vector<unsigned int> cells(offsets.back());
      std::vector<std::size_t>  fill(offsets.begin(), offsets.end() - 1);
      for (const auto &cell : tria.active_cell_iterators())
        if (!cell->is_artificial())
          for (const auto v : cell->vertex_indices())
            cells[fill[cell->vertex_index(v)]++] = cell->active_cell_index();
      return {offsets, cells};
    }

    /** The active cells that share a face with @p cell. */
    template <int dim>
    void face_neighbours(const typename Triangulation<dim>::active_cell_iterator        &cell,
                         std::vector<typename Triangulation<dim>::active_cell_iterator> &out)
    {
      out.clear();
      for (const auto f : cell->face_indices())
        {
          if (cell->at_boundary(f))
            continue;
          const auto neighbour = cell->neighbor(f);
          if (neighbour->is_active())
            out.push_back(neighbour);
          else // finer neighbours across a face with hanging nodes
            for (unsigned int sf = 0; sf < cell->face(f)->n_children(); ++sf)
              out.push_back(cell->neighbor_child_on_subface(f, sf));
        }
    }
  } // namespace

  template <int dim>
  ClusterLabelling<dim>::ClusterLabelling(
      const parallel::distributed::Triangulation<dim> &triangulation,
      const std::function<bool(const CellIterator &)> &marked, const Connectivity connectivity)
  {
    MPI_Comm          comm    = triangulation.get_communicator();
    const std::size_t n_cells = triangulation.n_active_cells();
    const Name        unmarked{~0u, ~0u, ~0u, ~0u};

    // Ghost cells are marked by their owners, so every rank sees the same marks.
    std::vector<char> is_marked(n_cells, 0);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        is_marked[cell->active_cell_index()] = marked(cell);
    GridTools::exchange_cell_data_to_ghosts<char, Triangulation<dim>>(
        triangulation,
        [&](const CellIterator &cell) { return is_marked[cell->active_cell_index()]; },
        [&](const CellIterator &cell, const char &value) {
          is_marked[cell->active_cell_index()] = value;
        });

    std::vector<Name> name(n_cells, unmarked);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (!cell->is_artificial() && is_marked[cell->active_cell_index()])
        name[cell->active_cell_index()] = cell->id().template to_binary<dim>();

    // Adjacency among marked owned and ghost cells, built once. Vertex
    // connectivity adds the cells at each vertex to the face neighbours (the
    // latter cover a coarse cell whose face holds a hanging vertex).
    std::pair<std::vector<std::size_t>, std::vector<unsigned int>> vertex_cells;
    if (connectivity == Connectivity::vertex)
      vertex_cells = cells_at_vertices(triangulation);
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    std::vector<CellIterator>                        adjacent;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (!cell->is_artificial() && is_marked[cell->active_cell_index()])
        {
          const std::size_t self = cell->active_cell_index();
          face_neighbours<dim>(cell, adjacent);
          for (const auto &other : adjacent)
            if (!other->is_artificial() && is_marked[other->active_cell_index()])
              edges.emplace_back(self, other->active_cell_index());
          if (connectivity == Connectivity::vertex)
            for (const auto v : cell->vertex_indices())
              {
                const auto vertex = cell->vertex_index(v);
                for (std::size_t k = vertex_cells.first[vertex]; k < vertex_cells.first[vertex + 1];
                     ++k)
                  {
                    const unsigned int other = vertex_cells.second[k];
                    if (other > self && is_marked[other])
                      edges.emplace_back(self, other);
                  }
              }
        }

    for (bool changed = true; changed; ++exchange_rounds)
      {
        UnionFind components(n_cells);
        for (const auto &[a, b] : edges)
          components.join(a, b);
        std::vector<Name> smallest(n_cells, unmarked);
        for (std::size_t i = 0; i < n_cells; ++i)
          if (name[i] != unmarked)
            smallest[components.find(i)] = std::min(smallest[components.find(i)], name[i]);
        bool local_change = false;
        for (std::size_t i = 0; i < n_cells; ++i)
          if (name[i] != unmarked && smallest[components.find(i)] != name[i])
            {
              name[i]      = smallest[components.find(i)];
              local_change = true;
            }
        GridTools::exchange_cell_data_to_ghosts<Name, Triangulation<dim>>(
            triangulation,
            [&](const CellIterator &cell) { return name[cell->active_cell_index()]; },
            [&](const CellIterator &cell, const Name &value) {
              local_change = local_change || name[cell->active_cell_index()] != value;
              name[cell->active_cell_index()] = value;
            });
        changed = Utilities::MPI::logical_or(local_change, comm);
      }

    // Partial statistics per name on this rank, then merged on every rank.
    std::map<Name, Cluster<dim>> partial;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned() && is_marked[cell->active_cell_index()])
        {
          Cluster<dim> &c = partial[name[cell->active_cell_index()]];
          if (c.n_cells == 0)
            c.bounding_box = cell->bounding_box();
          else
            c.bounding_box.merge_with(cell->bounding_box());
          ++c.n_cells;
          c.volume += cell->measure();
          for (const auto f : cell->face_indices())
            if (cell->at_boundary(f) && cell->face(f)->boundary_id() < 64)
              c.boundary_ids |= std::uint64_t(1) << cell->face(f)->boundary_id();
        }
    std::vector<unsigned int>  names;
    std::vector<double>        values;
    std::vector<std::uint64_t> counts;
    for (const auto &[key, c] : partial)
      {
        names.insert(names.end(), key.begin(), key.end());
        values.push_back(c.volume);
        for (unsigned int d = 0; d < dim; ++d)
          {
            values.push_back(c.bounding_box.get_boundary_points().first[d]);
            values.push_back(c.bounding_box.get_boundary_points().second[d]);
          }
        counts.push_back(c.n_cells);
        counts.push_back(c.boundary_ids);
      }
    const auto                   all_names  = Utilities::MPI::all_gather(comm, names);
    const auto                   all_values = Utilities::MPI::all_gather(comm, values);
    const auto                   all_counts = Utilities::MPI::all_gather(comm, counts);
    std::map<Name, Cluster<dim>> merged;
    for (std::size_t rank = 0; rank < all_names.size(); ++rank)
      for (std::size_t k = 0; 4 * k < all_names[rank].size(); ++k)
        {
          Name key;
          std::copy_n(all_names[rank].begin() + 4 * k, 4, key.begin());
          const double *v = all_values[rank].data() + (1 + 2 * dim) * k;
          Point<dim>    low, high;
          for (unsigned int d = 0; d < dim; ++d)
            low[d] = v[1 + 2 * d], high[d] = v[2 + 2 * d];
          const BoundingBox<dim> box(std::make_pair(low, high));
          Cluster<dim>          &c = merged[key];
          if (c.n_cells == 0)
            c.bounding_box = box;
          else
            c.bounding_box.merge_with(box);
          c.name = key;
          c.volume += v[0];
          c.n_cells += all_counts[rank][2 * k];
          c.boundary_ids |= all_counts[rank][2 * k + 1];
        }
    std::vector<Name> sorted_names;
    for (const auto &entry : merged)
      {
        all_clusters.push_back(entry.second);
        sorted_names.push_back(entry.first);
      }

    cell_cluster.assign(n_cells, invalid_cluster);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned() && is_marked[cell->active_cell_index()])
        cell_cluster[cell->active_cell_index()] =
            std::lower_bound(sorted_names.begin(), sorted_names.end(),
                             name[cell->active_cell_index()]) -
            sorted_names.begin();
  }

  template <int dim> unsigned int ClusterLabelling<dim>::cluster_of(const CellIterator &cell) const
  {
    return cell_cluster[cell->active_cell_index()];
  }

  template class ClusterLabelling<2>;
  template class ClusterLabelling<3>;
} // namespace weaklink
