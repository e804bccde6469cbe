#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>

#include <weaklink/physics/coupled_quantities.h>
#include <weaklink/physics/field_layout.h>
#include <weaklink/physics/physics_module.h>
#include <weaklink/simulator/statistics.h>
#include <weaklink/topology/cell_graph.h>

#include <boost/signals2/connection.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weaklink
{
  /** When a run counts as short-circuited (subsection Short circuit). */
  struct ShortCircuitCriteria
  {
    double metallic_filling;    ///< θ at or above which a cell is metallic (S1)
    double crack_damage;        ///< cell-mean d at or above which a cell is cracked
    double electronic_fraction; ///< S2: electronic share of the current through Γs

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };

  /** The short that ended a run. */
  struct ShortCircuit
  {
    std::string  criterion; ///< "S1" or "S2"
    std::string  description;
    double       time            = 0;
    unsigned int step            = 0;
    double       charge_passed   = 0; ///< C/m² through the separator since t = 0
    double       current_density = 0; ///< A/m² at the short
    /** The spanning metallic cluster (S1): number in name order, cells and volume. */
    unsigned int  cluster_id     = 0;
    std::uint64_t cluster_cells  = 0;
    double        cluster_volume = 0;
  };

  /**
   * Short-circuit detection and the topology of cracks and lithium, once per
   * accepted step (MODEL.md §5), from the lithium filling θ and the damage d
   * averaged over each cell:
   * - S1: a cluster of metallic cells (θ ≥ θ_short, joined through faces)
   *   touches both electrodes, Γp and Γs;
   * - S2: the electronic part of the current through Γs (the electrochemistry
   *   module's electronic_fraction) exceeds its threshold while current flows.
   * Whether the run stops at the first short is the business of the
   * termination criterion "short circuit".
   * Statistics: the crack front and the lithium front (largest distance from
   * Γp of a cracked, resp. metallic, cell connected to Γp; a crack connects
   * through cracked and metallic cells, lithium through metallic ones), the
   * dry-crack length (crack front minus lithium front, per filament, i.e.
   * per cluster of cracked or metallic cells touching Γp; the largest is
   * reported), front speeds and their ratio Λ = v_crack/v_Li, isolated
   * lithium clusters (touching no electrode), the largest extent of a
   * metallic cluster across the separator, and the charge passed.
   *
   * The cell graph is cached and rebuilt only after the mesh changes. Nothing
   * here is state beyond the statistics table, so a resumed run continues
   * exactly.
   */
  template <int dim> class ShortCircuitMonitor
  {
  public:
    ShortCircuitMonitor(dealii::ParameterHandler                                &prm,
                        const dealii::parallel::distributed::Triangulation<dim> &triangulation);

    /** Whether there is anything to watch: the lithium field exists. */
    static bool applies_to(const FieldLayout &fields) { return fields.has("lithium"); }

    /**
     * Evaluates the step just recorded in @p row (which holds time, dt and
     * the modules' statistics) and appends its entries to it; @p previous is
     * the table before this row. Collective.
     */
    void evaluate(const dealii::DoFHandler<dim> &dof_handler, const BlockVector &solution,
                  const FieldLayout &fields, const CouplingLaws<dim> &coupling,
                  const MaterialField<dim> &material, const Statistics &previous,
                  Statistics::Row &row);

    /** The short found by the last evaluate(), if any. */
    const std::optional<ShortCircuit> &short_circuit() const { return found; }

    const ShortCircuitCriteria &criteria() const { return criteria_used; }

    /** One filament (cluster of cracked or metallic cells touching Γp) of the last evaluate(). */
    struct Filament
    {
      unsigned int  id          = 0;
      std::uint64_t cells       = 0;
      double        crack_front = 0, lithium_front = 0; ///< distance from Γp [m]
    };
    const std::vector<Filament> &filaments() const { return last_filaments; }

  private:
    const dealii::parallel::distributed::Triangulation<dim> &triangulation;
    ShortCircuitCriteria                                     criteria_used;
    std::unique_ptr<CellGraph<dim>>                          graph;
    boost::signals2::scoped_connection                       mesh_changed;
    double                      plating_y = 0; ///< lowest y of the mesh
    std::optional<ShortCircuit> found;
    std::vector<Filament>       last_filaments;
  };
} // namespace weaklink
