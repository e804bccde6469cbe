#pragma once

#include <weaklink/topology/cell_graph.h>

#include <deal.II/base/bounding_box.h>
#include <deal.II/distributed/tria.h>

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace weaklink
{
  /** One connected cluster of marked cells; identical on every rank. */
  template <int dim> struct Cluster
  {
    std::array<unsigned int, 4> name; ///< binary CellId of its smallest cell: partition independent
    std::uint64_t               n_cells = 0;
    double                      volume  = 0; ///< area in 2D
    /**
     * Bounding box of the cluster unwrapped across periodic faces, in the
     * frame in which its smallest cell lies where it is; along a periodic axis
     * it can reach outside the domain. Along an axis the cluster wraps
     * around, the unwrapped cluster is unbounded and the box is one period,
     * the domain's extent.
     */
    dealii::BoundingBox<dim> bounding_box;
    std::uint64_t            boundary_ids = 0; ///< bit b set: touches boundary id b (< 64)
    /**
     * Bit d set: the cluster wraps around periodic axis d, i.e. it holds a
     * closed path that winds around the domain along d (a cycle winding
     * along several axes sets all of their bits).
     */
    std::uint8_t wrapping = 0;

    bool touches(const unsigned int boundary_id) const { return (boundary_ids >> boundary_id) & 1; }

    bool wraps(const unsigned int direction) const { return (wrapping >> direction) & 1; }

    /** Extent of the unwrapped cluster along an axis (the period if it wraps along it). */
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
   * Each rank joins its marked owned and ghost cells with union–find over
   * the flat adjacency of a CellGraph; every local component carries the
   * smallest name among its cells, owned cells send their component's name to
   * the ranks that hold them as ghosts, and this repeats until no component
   * name drops anywhere. A cluster is named by the binary CellId of its
   * smallest cell and the clusters are numbered in that order, so the result
   * is the same on any number of ranks.
   *
   * Periodic boundaries of the mesh join clusters (see CellGraph). Each cell
   * of a cluster then also carries its shift, the number of periods by which
   * it is moved in the unwrapped cluster, relative to the cluster's smallest
   * cell: union-find keeps the shift of each cell relative to its root, and
   * names travel with the shift of the sending cell. Two paths that give a
   * cell different shifts close a loop around the domain: the cluster wraps
   * along the axes where they differ.
   */
  template <int dim> class ClusterLabelling
  {
  public:
    using CellIterator = typename dealii::Triangulation<dim>::active_cell_iterator;

    /**
     * Label the cells with marked[active cell index] != 0; only the entries
     * of owned cells are read. Build the graph once per mesh and label any
     * number of indicators on it.
     */
    ClusterLabelling(const CellGraph<dim> &graph, const std::vector<char> &marked);

    /** Build the graph for this one labelling and mark the owned cells with @p marked. */
    ClusterLabelling(const dealii::parallel::distributed::Triangulation<dim> &triangulation,
                     const std::function<bool(const CellIterator &)>         &marked,
                     const Connectivity                                       connectivity);

    /** All clusters, sorted by name; the same on every rank. */
    const std::vector<Cluster<dim>> &clusters() const { return all_clusters; }

    /** Cluster number of a locally owned cell, or invalid_cluster when not marked. */
    unsigned int cluster_of(const CellIterator &cell) const;
    unsigned int cluster_of(const std::size_t active_cell_index) const
    {
      return cell_cluster[active_cell_index];
    }

    /** Number of rounds of ghost exchange the names needed. */
    unsigned int rounds() const { return exchange_rounds; }

    static constexpr unsigned int invalid_cluster = static_cast<unsigned int>(-1);

  private:
    void label(const CellGraph<dim> &graph, const std::vector<char> &marked);
    template <bool periodic>
    void label_with(const CellGraph<dim> &graph, const std::vector<char> &marked);

    std::vector<Cluster<dim>> all_clusters;
    std::vector<unsigned int> cell_cluster; ///< by active cell index
    unsigned int              exchange_rounds = 0;
  };
} // namespace weaklink
