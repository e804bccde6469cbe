#include <weaklink/topology/cell_graph.h>

#include <deal.II/base/exceptions.h>
#include <deal.II/grid/cell_id.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
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

    constexpr int ghost_values_tag = 22701;
  } // namespace

  template <int dim>
  CellGraph<dim>::CellGraph(const parallel::distributed::Triangulation<dim> &triangulation,
                            const Connectivity                               connectivity)
      : comm(triangulation.get_communicator())
      , touching(connectivity)
  {
    build_adjacency(triangulation);
    build_ghost_pattern(triangulation);
  }

  template <int dim>
  void
  CellGraph<dim>::build_adjacency(const parallel::distributed::Triangulation<dim> &triangulation)
  {
    const std::size_t n = triangulation.n_active_cells();
    owned.assign(n, 0);
    names.assign(n, Name{{~0u, ~0u, ~0u, ~0u}});
    measures.assign(n, 0.0);
    corners.assign(2 * dim * n, 0.0);
    boundaries.assign(n, 0);
    row_start.assign(n + 1, 0);
    neighbours.clear();
    neighbours.reserve(
        n * (touching == Connectivity::face ? dim : (dealii::Utilities::pow(3, dim) - 1) / 2));

    std::pair<std::vector<std::size_t>, std::vector<unsigned int>> vertex_cells;
    if (touching == Connectivity::vertex)
      vertex_cells = cells_at_vertices(triangulation);

    std::vector<unsigned int> row;
    std::vector<std::size_t>  last_row_of(n, n); // drops repeats without sorting each row
    for (const auto &cell : triangulation.active_cell_iterators())
      {
        const std::size_t i = cell->active_cell_index();
        Assert(neighbours.size() == row_start[i], ExcInternalError());
        if (!cell->is_artificial())
          {
            names[i] = cell->id().template to_binary<dim>();
            row.clear();
            // Face neighbours, finer ones across a face with hanging nodes
            // included: for vertex connectivity they cover a coarse cell
            // whose face holds a hanging vertex, which is none of its own.
            for (const auto f : cell->face_indices())
              {
                if (cell->at_boundary(f))
                  continue;
                const auto neighbour = cell->neighbor(f);
                if (neighbour->is_active())
                  {
                    if (!neighbour->is_artificial())
                      row.push_back(neighbour->active_cell_index());
                  }
                else
                  for (unsigned int sf = 0; sf < cell->face(f)->n_children(); ++sf)
                    {
                      const auto child = cell->neighbor_child_on_subface(f, sf);
                      if (!child->is_artificial())
                        row.push_back(child->active_cell_index());
                    }
              }
            if (touching == Connectivity::vertex)
              for (const auto v : cell->vertex_indices())
                {
                  const auto vertex = cell->vertex_index(v);
                  row.insert(row.end(), vertex_cells.second.begin() + vertex_cells.first[vertex],
                             vertex_cells.second.begin() + vertex_cells.first[vertex + 1]);
                }
            for (const unsigned int other : row)
              if (other > i && last_row_of[other] != i)
                {
                  last_row_of[other] = i;
                  neighbours.push_back(other);
                }

            if (cell->is_locally_owned())
              {
                owned[i] = 1;
                owned_list.push_back(i);
                measures[i]    = cell->measure();
                const auto box = cell->bounding_box().get_boundary_points();
                for (unsigned int d = 0; d < dim; ++d)
                  {
                    corners[2 * dim * i + d]       = box.first[d];
                    corners[2 * dim * i + dim + d] = box.second[d];
                  }
                for (const auto f : cell->face_indices())
                  if (cell->at_boundary(f) && cell->face(f)->boundary_id() < 64)
                    boundaries[i] |= std::uint64_t(1) << cell->face(f)->boundary_id();
              }
          }
        row_start[i + 1] = neighbours.size();
      }
  }

  template <int dim>
  void CellGraph<dim>::build_ghost_pattern(
      const parallel::distributed::Triangulation<dim> &triangulation)
  {
    // Each rank asks the owners of its ghost cells for their values by CellId;
    // the owners translate the ids to their own cell numbers once.
    std::map<unsigned int, std::vector<unsigned int>> requested_names, ghosts_by_owner;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_ghost())
        {
          const unsigned int owner = cell->subdomain_id();
          const Name        &id    = names[cell->active_cell_index()];
          requested_names[owner].insert(requested_names[owner].end(), id.begin(), id.end());
          ghosts_by_owner[owner].push_back(cell->active_cell_index());
        }
    const auto requests = Utilities::MPI::some_to_some(comm, requested_names);

    receives.assign(ghosts_by_owner.begin(), ghosts_by_owner.end());
    sends.clear();
    for (const auto &[rank, flat_names] : requests)
      {
        std::vector<unsigned int> cells;
        for (std::size_t k = 0; k + 4 <= flat_names.size(); k += 4)
          {
            Name id;
            std::copy_n(flat_names.begin() + k, 4, id.begin());
            const auto cell = triangulation.create_cell_iterator(CellId(id));
            AssertThrow(cell->is_locally_owned(),
                        ExcMessage("a rank asked for a cell this rank does not own"));
            cells.push_back(cell->active_cell_index());
          }
        sends.emplace_back(rank, std::move(cells));
      }
  }

  template <int dim>
  void CellGraph<dim>::exchange_bytes(const std::vector<std::vector<char>> &outgoing,
                                      std::vector<std::vector<char>>       &incoming,
                                      const std::size_t                     value_size) const
  {
    std::vector<MPI_Request> requests;
    requests.reserve(sends.size() + receives.size());
    for (std::size_t r = 0; r < receives.size(); ++r)
      {
        incoming[r].resize(receives[r].second.size() * value_size);
        requests.emplace_back();
        MPI_Irecv(incoming[r].data(), static_cast<int>(incoming[r].size()), MPI_BYTE,
                  receives[r].first, ghost_values_tag, comm, &requests.back());
      }
    for (std::size_t s = 0; s < sends.size(); ++s)
      {
        requests.emplace_back();
        MPI_Isend(outgoing[s].data(), static_cast<int>(outgoing[s].size()), MPI_BYTE,
                  sends[s].first, ghost_values_tag, comm, &requests.back());
      }
    MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
  }

  template class CellGraph<2>;
  template class CellGraph<3>;
} // namespace weaklink
