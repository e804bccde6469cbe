#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace weaklink
{
  /** Which cells count as touching: sharing a face, or sharing at least a vertex. */
  enum class Connectivity
  {
    face,
    vertex
  };

  /**
   * The owned and ghost cells of a distributed adaptive mesh as flat arrays:
   * adjacency in compressed rows, the geometry cluster statistics need, and a
   * fixed pattern for sending values of owned cells to the ranks that hold them
   * as ghosts. Built once per mesh, so that labelling any number of cell
   * indicators on it touches no deal.II cell iterator.
   *
   * Cells are numbered by their active cell index; artificial cells have empty
   * rows and are never owned.
   *
   * Periodic boundaries of the mesh (Triangulation::add_periodicity) join
   * cells as if the faces were one: face neighbours across a periodic face,
   * coarser or finer ones included, and for vertex connectivity the cells
   * at the periodic images of each vertex. Each edge then carries a shift:
   * the number of periods, per axis, by which the neighbour must be moved to
   * touch the cell (its unwrapped position). Periodic face pairs must be
   * translations along coordinate axes (the separator box).
   */
  template <int dim> class CellGraph
  {
  public:
    using Name = std::array<unsigned int, 4>; ///< binary CellId: the same on every partition

    CellGraph(const dealii::parallel::distributed::Triangulation<dim> &triangulation,
              const Connectivity                                       connectivity);

    std::size_t  n_cells() const { return owned.size(); }
    Connectivity connectivity() const { return touching; }
    MPI_Comm     communicator() const { return comm; }

    /** Neighbours of @p cell with a larger index: every edge appears once. */
    const unsigned int *neighbours_begin(const std::size_t cell) const
    {
      return neighbours.data() + row_start[cell];
    }
    const unsigned int *neighbours_end(const std::size_t cell) const
    {
      return neighbours.data() + row_start[cell + 1];
    }

    bool          is_owned(const std::size_t cell) const { return owned[cell]; }
    const Name   &name(const std::size_t cell) const { return names[cell]; }
    double        measure(const std::size_t cell) const { return measures[cell]; }
    const double *lower_corner(const std::size_t cell) const { return &corners[2 * dim * cell]; }
    const double *upper_corner(const std::size_t cell) const
    {
      return &corners[2 * dim * cell + dim];
    }
    /** Whether any pair of boundaries is periodic; the shifts below exist only then. */
    bool periodic() const { return periodic_axes != 0; }
    /** Bit d set: axis d is periodic. */
    unsigned int periodic_directions() const { return periodic_axes; }
    /** Period along a periodic axis d, and the lower end of the domain along it. */
    double period(const unsigned int d) const { return periods[d]; }
    double periodic_lower_end(const unsigned int d) const { return lower_ends[d]; }

    /**
     * Shifts of the neighbours of @p cell, in the order of neighbours_begin():
     * neighbour j touches the cell when moved by shift_along(code, d) periods
     * along each axis d. Only when periodic().
     */
    const std::uint8_t *shifts_begin(const std::size_t cell) const
    {
      return shifts.data() + row_start[cell];
    }
    /** Component d (-1, 0 or 1) of a shift code. */
    static int shift_along(const std::uint8_t code, const unsigned int d)
    {
      const unsigned int bits = (code >> (2 * d)) & 3u;
      return bits == 1 ? 1 : bits == 2 ? -1 : 0;
    }
    static std::uint8_t shift_code(const std::array<int, 3> &shift)
    {
      std::uint8_t code = 0;
      for (unsigned int d = 0; d < 3; ++d)
        code |= (shift[d] > 0 ? 1u : shift[d] < 0 ? 2u : 0u) << (2 * d);
      return code;
    }

    /** Bit b set: a face of the cell lies on boundary id b (< 64). */
    std::uint64_t boundary_ids(const std::size_t cell) const { return boundaries[cell]; }

    /** Owned cells in index order. */
    const std::vector<unsigned int> &owned_cells() const { return owned_list; }

    /**
     * Overwrite the ghost entries of @p values (indexed by cell) with their
     * owners' entries. Collective; T must be trivially copyable.
     */
    template <typename T> void update_ghosts(std::vector<T> &values) const;

    /**
     * Send owned_value(cell) of every owned cell that another rank holds as a
     * ghost, and call receive(ghost cell, value) for each of ours. Collective.
     */
    template <typename T, typename OwnedValue, typename ReceiveGhostValue>
    void exchange_ghost_values(const OwnedValue        &owned_value,
                               const ReceiveGhostValue &receive) const;

  private:
    MPI_Comm                   comm;
    Connectivity               touching;
    std::vector<std::size_t>   row_start;
    std::vector<unsigned int>  neighbours;
    std::vector<char>          owned;
    std::vector<unsigned int>  owned_list;
    std::vector<Name>          names;
    std::vector<double>        measures;
    std::vector<double>        corners; ///< lower then upper corner of each bounding box
    std::vector<std::uint64_t> boundaries;
    std::vector<std::uint8_t>  shifts; ///< per edge, when periodic
    unsigned int               periodic_axes = 0;
    std::array<double, 3>      periods{{0, 0, 0}}, lower_ends{{0, 0, 0}};

    /** Per neighbouring rank: our owned cells it holds as ghosts, in its order. */
    std::vector<std::pair<unsigned int, std::vector<unsigned int>>> sends;
    /** Per owner rank: our ghost cells it owns, in the order it sends them. */
    std::vector<std::pair<unsigned int, std::vector<unsigned int>>> receives;

    void find_periodic_axes(const dealii::Triangulation<dim> &triangulation);
    void build_adjacency(const dealii::parallel::distributed::Triangulation<dim> &triangulation);
    void add_periodic_face_neighbours(
        const typename dealii::Triangulation<dim>::active_cell_iterator &cell,
        const unsigned int face, std::vector<std::pair<unsigned int, std::uint8_t>> &row) const;
    void
    build_ghost_pattern(const dealii::parallel::distributed::Triangulation<dim> &triangulation);
    void exchange_bytes(const std::vector<std::vector<char>> &outgoing,
                        std::vector<std::vector<char>>       &incoming,
                        const std::size_t                     value_size) const;
  };

  template <int dim>
  template <typename T, typename OwnedValue, typename ReceiveGhostValue>
  void CellGraph<dim>::exchange_ghost_values(const OwnedValue        &owned_value,
                                             const ReceiveGhostValue &receive) const
  {
    static_assert(std::is_trivially_copyable<T>::value, "values travel as bytes");
    std::vector<std::vector<char>> outgoing(sends.size()), incoming(receives.size());
    for (std::size_t s = 0; s < sends.size(); ++s)
      {
        outgoing[s].resize(sends[s].second.size() * sizeof(T));
        char *packed = outgoing[s].data();
        for (const unsigned int cell : sends[s].second)
          {
            const T value = owned_value(cell);
            std::memcpy(packed, &value, sizeof(T));
            packed += sizeof(T);
          }
      }
    exchange_bytes(outgoing, incoming, sizeof(T));
    for (std::size_t r = 0; r < receives.size(); ++r)
      {
        const char *packed = incoming[r].data();
        for (const unsigned int cell : receives[r].second)
          {
            T value;
            std::memcpy(&value, packed, sizeof(T));
            receive(cell, value);
            packed += sizeof(T);
          }
      }
  }

  template <int dim>
  template <typename T>
  void CellGraph<dim>::update_ghosts(std::vector<T> &values) const
  {
    exchange_ghost_values<T>(
        [&](const unsigned int cell) { return values[cell]; },
        [&](const unsigned int cell, const T &value) { values[cell] = value; });
  }
} // namespace weaklink
