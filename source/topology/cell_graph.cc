#include <weaklink/topology/cell_graph.h>

#include <deal.II/base/exceptions.h>
#include <deal.II/grid/cell_id.h>
#include <deal.II/grid/tria.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /**
     * Active non-artificial cells at each vertex, in compressed rows (offsets,
     * cell indices, and the periodic image code of the cell's own copy of the
     * vertex). With @p representative, the copies of a vertex on periodic
     * boundaries share the row of their representative.
     */
    struct VertexCells
    {
      std::vector<std::size_t>  offsets;
      std::vector<unsigned int> cells;
      std::vector<std::uint8_t> images;
    };

    template <int dim>
    VertexCells cells_at_vertices(const Triangulation<dim>        &tria,
                                  const std::vector<unsigned int> &representative,
                                  const std::vector<std::uint8_t> &image)
    {
      const bool periodic = !representative.empty();
      const auto row      = [&](const unsigned int vertex) {
        return periodic ? representative[vertex] : vertex;
      };
      VertexCells result;
      result.offsets.assign(tria.n_vertices() + 1, 0);
      for (const auto &cell : tria.active_cell_iterators())
        if (!cell->is_artificial())
          for (const auto v : cell->vertex_indices())
            ++result.offsets[row(cell->vertex_index(v)) + 1];
      std::partial_sum(result.offsets.begin(), result.offsets.end(), result.offsets.begin());
      result.cells.resize(result.offsets.back());
      if (periodic)
        result.images.resize(result.offsets.back());
      std::vector<std::size_t> fill(result.offsets.begin(), result.offsets.end() - 1);
      for (const auto &cell : tria.active_cell_iterators())
        if (!cell->is_artificial())
          for (const auto v : cell->vertex_indices())
            {
              const unsigned int vertex = cell->vertex_index(v);
              const std::size_t  slot   = fill[row(vertex)]++;
              result.cells[slot]        = cell->active_cell_index();
              if (periodic)
                result.images[slot] = image[vertex];
            }
      return result;
    }

    unsigned int find_root(std::vector<unsigned int> &parent, unsigned int i)
    {
      while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
      return i;
    }

    /**
     * The copies of each vertex of non-artificial cells on periodic
     * boundaries: representative[v] is shared by all copies of one point of
     * the periodic domain, and image[v] codes how many periods (0 or 1 per
     * axis) the copy lies above the copy at the lower ends. Copies are found
     * by position, so that a vertex meets its images even where the cells on
     * the two sides have different levels.
     */
    template <int dim>
    void identify_periodic_vertices(const Triangulation<dim> &tria, const unsigned int axes,
                                    const std::array<double, 3> &periods,
                                    const std::array<double, 3> &lower_ends,
                                    std::vector<unsigned int>   &representative,
                                    std::vector<std::uint8_t>   &image)
    {
      const unsigned int n = tria.n_vertices();
      representative.resize(n);
      std::iota(representative.begin(), representative.end(), 0u);
      image.assign(n, 0);
      double largest = 0;
      for (unsigned int d = 0; d < dim; ++d)
        if ((axes >> d) & 1)
          largest = std::max(largest, periods[d]);
      const double tolerance = 1e-9 * largest, bucket = 1e-6 * largest;

      using Key = std::array<long long, dim>;
      std::map<Key, std::vector<unsigned int>> buckets;
      std::vector<Point<dim>>                  wrapped(n);
      std::vector<char>                        seen(n, 0);
      const auto                              &vertices = tria.get_vertices();
      for (const auto &cell : tria.active_cell_iterators())
        if (!cell->is_artificial())
          for (const auto v : cell->vertex_indices())
            {
              const unsigned int vertex = cell->vertex_index(v);
              if (seen[vertex])
                continue;
              seen[vertex]            = 1;
              Point<dim>         p    = vertices[vertex];
              bool               on   = false;
              std::array<int, 3> copy = {{0, 0, 0}};
              for (unsigned int d = 0; d < dim; ++d)
                if ((axes >> d) & 1)
                  {
                    if (std::abs(p[d] - lower_ends[d]) <= tolerance)
                      on = true;
                    else if (std::abs(p[d] - lower_ends[d] - periods[d]) <= tolerance)
                      {
                        on      = true;
                        p[d]    = lower_ends[d];
                        copy[d] = 1;
                      }
                  }
              if (!on)
                continue;
              image[vertex]   = CellGraph<dim>::shift_code(copy);
              wrapped[vertex] = p;
              Key key;
              for (unsigned int d = 0; d < dim; ++d)
                key[d] = static_cast<long long>(std::floor(p[d] / bucket));
              buckets[key].push_back(vertex);
            }
      for (const auto &[key, members] : buckets)
        for (unsigned int near = 0; near < Utilities::pow(3u, dim); ++near)
          {
            Key          other = key;
            unsigned int code  = near;
            for (unsigned int d = 0; d < dim; ++d, code /= 3)
              other[d] += static_cast<int>(code % 3) - 1;
            const auto found = buckets.find(other);
            if (found == buckets.end())
              continue;
            for (const unsigned int a : members)
              for (const unsigned int b : found->second)
                if (a < b && (wrapped[a] - wrapped[b]).norm_square() <= tolerance * tolerance)
                  {
                    const unsigned int ra            = find_root(representative, a),
                                       rb            = find_root(representative, b);
                    representative[std::max(ra, rb)] = std::min(ra, rb);
                  }
          }
      for (unsigned int v = 0; v < n; ++v)
        representative[v] = find_root(representative, v);
    }

    /** Shift code of b - a, per axis. */
    template <int dim> std::uint8_t shift_difference(const std::uint8_t b, const std::uint8_t a)
    {
      std::array<int, 3> shift = {{0, 0, 0}};
      for (unsigned int d = 0; d < dim; ++d)
        shift[d] = CellGraph<dim>::shift_along(b, d) - CellGraph<dim>::shift_along(a, d);
      return CellGraph<dim>::shift_code(shift);
    }

    /** Whether the first non-zero component of a shift is +1 (a self-edge is kept once). */
    template <int dim> bool is_positive(const std::uint8_t code)
    {
      for (unsigned int d = 0; d < dim; ++d)
        if (const int s = CellGraph<dim>::shift_along(code, d); s != 0)
          return s > 0;
      return false;
    }

    constexpr int ghost_values_tag = 22701;
  } // namespace

  template <int dim>
  CellGraph<dim>::CellGraph(const parallel::distributed::Triangulation<dim> &triangulation,
                            const Connectivity                               connectivity)
      : comm(triangulation.get_communicator())
      , touching(connectivity)
  {
    find_periodic_axes(triangulation);
    build_adjacency(triangulation);
    build_ghost_pattern(triangulation);
  }

  template <int dim>
  void CellGraph<dim>::find_periodic_axes(const Triangulation<dim> &triangulation)
  {
    // The coarse face pairs, which every rank holds, give the axis, period
    // and lower end of each periodic direction.
    for (const auto &[face, partner] : triangulation.get_periodic_face_map())
      {
        const auto &cell = face.first, &other = partner.first.first;
        if (cell->level() != 0 || other->level() != 0)
          continue;
        const Point<dim> here     = cell->face(face.second)->center(),
                         there    = other->face(partner.first.second)->center();
        const Tensor<1, dim> t    = there - here;
        unsigned int         axis = 0;
        for (unsigned int d = 1; d < dim; ++d)
          if (std::abs(t[d]) > std::abs(t[axis]))
            axis = d;
        const double length = std::abs(t[axis]);
        for (unsigned int d = 0; d < dim; ++d)
          AssertThrow(d == axis || std::abs(t[d]) <= 1e-10 * length,
                      ExcMessage("CellGraph: periodic faces must be translations along a "
                                 "coordinate axis"));
        const double lower = std::min(here[axis], there[axis]);
        if ((periodic_axes >> axis) & 1)
          AssertThrow(std::abs(periods[axis] - length) <= 1e-10 * length &&
                          std::abs(lower_ends[axis] - lower) <= 1e-10 * length,
                      ExcMessage("CellGraph: periodic faces along one axis must all be one "
                                 "period apart"));
        periodic_axes |= 1u << axis;
        periods[axis]    = length;
        lower_ends[axis] = lower;
      }
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

    const bool                periodic_mesh = periodic_axes != 0;
    std::vector<unsigned int> representative;
    std::vector<std::uint8_t> image;
    if (periodic_mesh)
      {
        shifts.clear();
        shifts.reserve(neighbours.capacity());
        if (touching == Connectivity::vertex)
          identify_periodic_vertices(triangulation, periodic_axes, periods, lower_ends,
                                     representative, image);
      }
    VertexCells vertex_cells;
    if (touching == Connectivity::vertex)
      vertex_cells = cells_at_vertices(triangulation, representative, image);

    std::vector<unsigned int>                          row;
    std::vector<std::pair<unsigned int, std::uint8_t>> shifted_row; // periodic meshes
    std::vector<std::size_t> last_row_of(n, n); // drops repeats without sorting each row
    for (const auto &cell : triangulation.active_cell_iterators())
      {
        const std::size_t i = cell->active_cell_index();
        Assert(neighbours.size() == row_start[i], ExcInternalError());
        if (!cell->is_artificial())
          {
            names[i] = cell->id().template to_binary<dim>();
            row.clear();
            shifted_row.clear();
            // Face neighbours, finer ones across a face with hanging nodes
            // included: for vertex connectivity they cover a coarse cell
            // whose face holds a hanging vertex, which is none of its own.
            for (const auto f : cell->face_indices())
              {
                if (cell->at_boundary(f))
                  {
                    if (periodic_mesh && cell->has_periodic_neighbor(f))
                      add_periodic_face_neighbours(cell, f, shifted_row);
                    continue;
                  }
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
                  const unsigned int vertex = cell->vertex_index(v);
                  const unsigned int slot   = periodic_mesh ? representative[vertex] : vertex;
                  for (std::size_t k = vertex_cells.offsets[slot];
                       k < vertex_cells.offsets[slot + 1]; ++k)
                    if (periodic_mesh)
                      // The neighbour's copy of the point lies that many
                      // periods above or below ours: moved by the
                      // difference, it touches this cell.
                      shifted_row.emplace_back(
                          vertex_cells.cells[k],
                          shift_difference<dim>(image[vertex], vertex_cells.images[k]));
                    else
                      row.push_back(vertex_cells.cells[k]);
                }
            if (!periodic_mesh)
              {
                for (const unsigned int other : row)
                  if (other > i && last_row_of[other] != i)
                    {
                      last_row_of[other] = i;
                      neighbours.push_back(other);
                    }
              }
            else
              {
                // A neighbour can touch twice, directly and through a
                // periodic face (a period of two cells): one edge per shift.
                for (const unsigned int other : row)
                  shifted_row.emplace_back(other, 0);
                std::sort(shifted_row.begin(), shifted_row.end());
                shifted_row.erase(std::unique(shifted_row.begin(), shifted_row.end()),
                                  shifted_row.end());
                for (const auto &[other, code] : shifted_row)
                  if (other > i || (other == i && is_positive<dim>(code)))
                    {
                      neighbours.push_back(other);
                      shifts.push_back(code);
                    }
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
  void CellGraph<dim>::add_periodic_face_neighbours(
      const typename Triangulation<dim>::active_cell_iterator &cell, const unsigned int face,
      std::vector<std::pair<unsigned int, std::uint8_t>> &row) const
  {
    const auto         neighbour = cell->periodic_neighbor(face);
    const unsigned int other     = cell->periodic_neighbor_face_no(face);
    // The translation between the faces, from our ancestor on the
    // neighbour's level: the neighbour touches us moved back by it.
    typename Triangulation<dim>::cell_iterator ancestor = cell;
    while (ancestor->level() > neighbour->level())
      ancestor = ancestor->parent();
    const Tensor<1, dim> t     = neighbour->face(other)->center() - ancestor->face(face)->center();
    std::array<int, 3>   shift = {{0, 0, 0}};
    for (unsigned int d = 0; d < dim; ++d)
      if ((periodic_axes >> d) & 1)
        shift[d] = -static_cast<int>(std::lround(t[d] / periods[d]));
    const std::uint8_t code = shift_code(shift);
    if (neighbour->is_active())
      {
        if (!neighbour->is_artificial())
          row.emplace_back(neighbour->active_cell_index(), code);
      }
    else
      // Finer across the periodic face. Children that are refined further
      // are artificial here (real cells are 2:1 balanced across periodic
      // faces too), so none of their descendants touches a real cell.
      for (unsigned int sf = 0; sf < neighbour->face(other)->n_children(); ++sf)
        {
          const auto child = cell->periodic_neighbor_child_on_subface(face, sf);
          if (child->is_active() && !child->is_artificial())
            row.emplace_back(child->active_cell_index(), code);
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
