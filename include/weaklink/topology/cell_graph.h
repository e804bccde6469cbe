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

    /** Per neighbouring rank: our owned cells it holds as ghosts, in its order. */
    std::vector<std::pair<unsigned int, std::vector<unsigned int>>> sends;
    /** Per owner rank: our ghost cells it owns, in the order it sends them. */
    std::vector<std::pair<unsigned int, std::vector<unsigned int>>> receives;

    void build_adjacency(const dealii::parallel::distributed::Triangulation<dim> &triangulation);
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
