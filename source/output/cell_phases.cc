#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/output/cell_phases.h>
#include <weaklink/topology/cluster_labelling.h>

#include <algorithm>

namespace weaklink
{
  using namespace dealii;

  template <int dim>
  CellPhases<dim> label_cell_phases(const parallel::distributed::Triangulation<dim> &mesh,
                                    const MaterialField<dim>                        &material)
  {
    CellPhases<dim> result;
    result.phase.reinit(mesh.n_active_cells());
    result.defect_cluster.reinit(mesh.n_active_cells());
    result.defect_cluster = -1.0f;
    std::vector<char> defect(mesh.n_active_cells(), 0);
    MaterialPointData data;
    bool              any_defect = false;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          material.evaluate_in_cell({cell->center()}, cell->material_id(), data);
          const unsigned int i = cell->active_cell_index();
          result.phase[i]      = data.phase[0];
          defect[i]            = data.phase[0] >= 2; // weak boundary or pore
          any_defect           = any_defect || defect[i];
        }
    // The graph costs more than the labelling: skip it for defect-free materials.
    if (!Utilities::MPI::logical_or(any_defect, mesh.get_communicator()))
      return result;

    const ClusterLabelling<dim> labelling(CellGraph<dim>(mesh, Connectivity::face), defect);
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned() && defect[cell->active_cell_index()])
        result.defect_cluster[cell->active_cell_index()] =
            labelling.cluster_of(cell->active_cell_index());
    result.n_defect_clusters = labelling.clusters().size();
    result.defects_span =
        std::any_of(labelling.clusters().begin(), labelling.clusters().end(), [](const auto &c) {
          return c.touches(boundary_ids::plating_electrode) &&
                 c.touches(boundary_ids::counter_electrode);
        });
    return result;
  }

  template CellPhases<2> label_cell_phases(const parallel::distributed::Triangulation<2> &,
                                           const MaterialField<2> &);
  template CellPhases<3> label_cell_phases(const parallel::distributed::Triangulation<3> &,
                                           const MaterialField<3> &);
} // namespace weaklink
