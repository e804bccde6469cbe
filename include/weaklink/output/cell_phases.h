#pragma once

#include <weaklink/material/material_field.h>

#include <deal.II/distributed/tria.h>
#include <deal.II/lac/vector.h>

namespace weaklink
{
  /**
   * Cell data for the field output: the phase of every owned cell (at its
   * centre) and the cluster of the defect network (weak boundaries and pores,
   * face-connected) it belongs to, numbered alike on any number of ranks.
   */
  template <int dim> struct CellPhases
  {
    dealii::Vector<float> phase;          ///< weaklink::Phase value, by active cell index
    dealii::Vector<float> defect_cluster; ///< cluster number, -1 outside the defect network
    unsigned int          n_defect_clusters = 0;
    /** Some defect cluster touches both electrodes (boundary ids 1 and 2). */
    bool defects_span = false;
  };

  template <int dim>
  CellPhases<dim> label_cell_phases(const dealii::parallel::distributed::Triangulation<dim> &mesh,
                                    const MaterialField<dim> &material);
} // namespace weaklink
