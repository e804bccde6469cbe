#pragma once

#include <deal.II/base/bounding_box.h>
#include <deal.II/distributed/tria.h>

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace weaklink
{
  /** Which cells count as touching: sharing a face, or sharing at least a vertex. */
  enum class Connectivity
  {
    face,
    vertex
  };

  /** One connected cluster of marked cells; identical on every rank. */
  template <int dim> struct Cluster
  {
    std::array<unsigned int, 4> name; ///< binary CellId of its smallest cell: partition independent
    std::uint64_t               n_cells = 0;
    double                      volume  = 0; ///< area in 2D
    dealii::BoundingBox<dim>    bounding_box;
    std::uint64_t               boundary_ids = 0; ///< bit b set: touches boundary id b (< 64)

    bool touches(const unsigned int boundary_id) const { return (boundary_ids >> boundary_id) & 1; }

    /** y-extent of the bounding box. */
    double extent(const unsigned int direction) const
    {
      return bounding_box.side_length(direction);
    }
  };

  /**
   * Connected components of the cells for which an indicator holds (pores,
   * weak grain boundary, crack, metallic lithium) on a distributed adaptive
   * mesh, hanging nodes included.
   *
   * Each rank joins its owned and ghost cells with union–find, owned cells
   * take the smallest name in their local component, names are exchanged
   * with the ghost layer, and this repeats until no name changes anywhere.
   * A cluster is named by the binary CellId of its smallest cell and the
   * clusters are numbered in that order, so the result is the same on any
   * number of ranks. Periodic boundaries do not connect clusters.
   */
  template <int dim> class ClusterLabelling
  {
  public:
    using CellIterator = typename dealii::Triangulation<dim>::active_cell_iterator;

    ClusterLabelling(const dealii::parallel::distributed::Triangulation<dim> &triangulation,
                     const std::function<bool(const CellIterator &)>         &marked,
                     const Connectivity                                       connectivity);

    /** All clusters, sorted by name; the same on every rank. */
    const std::vector<Cluster<dim>> &clusters() const { return all_clusters; }

    /** Cluster number of a locally owned cell, or invalid_cluster when not marked. */
    unsigned int cluster_of(const CellIterator &cell) const;

    /** Number of rounds of ghost exchange the names needed. */
    unsigned int rounds() const { return exchange_rounds; }

    static constexpr unsigned int invalid_cluster = static_cast<unsigned int>(-1);

  private:
    std::vector<Cluster<dim>> all_clusters;
    std::vector<unsigned int> cell_cluster; ///< by active cell index
    unsigned int              exchange_rounds = 0;
  };
} // namespace weaklink
