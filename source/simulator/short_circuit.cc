#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/simulator/short_circuit.h>
#include <weaklink/topology/cluster_labelling.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace weaklink
{
  using namespace dealii;

  void ShortCircuitCriteria::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Short circuit");
    prm.declare_entry("Metallic filling", "0.9", Patterns::Double(0, 1),
                      "Lithium filling θ (cell mean) at or above which a cell is metallic. "
                      "S1: a face-connected cluster of metallic cells touches both electrodes.");
    prm.declare_entry("Crack damage", "0.9", Patterns::Double(0, 1),
                      "Damage (cell mean, outside pores) at or above which a cell is cracked, "
                      "for the crack front and the dry-crack length.");
    prm.declare_entry("Electronic current fraction", "0.5", Patterns::Double(0, 1),
                      "S2: the electronic part of the current through the counter electrode "
                      "above this fraction (with electrochemistry, while current flows): the "
                      "larger of the face-gradient measure (electronic_fraction) and "
                      "1 − i_stripping/i_applied (electronic_fraction_balance).");
    prm.leave_subsection();
  }

  void ShortCircuitCriteria::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Short circuit");
    metallic_filling    = prm.get_double("Metallic filling");
    crack_damage        = prm.get_double("Crack damage");
    electronic_fraction = prm.get_double("Electronic current fraction");
    prm.leave_subsection();
  }

  template <int dim>
  ShortCircuitMonitor<dim>::ShortCircuitMonitor(
      ParameterHandler &prm, const parallel::distributed::Triangulation<dim> &triangulation)
      : triangulation(triangulation)
  {
    criteria_used.parse(prm);
    mesh_changed = triangulation.signals.any_change.connect([this]() { graph.reset(); });
  }

  namespace
  {
    double previous_or(const Statistics &table, const std::string &column, const double fallback)
    {
      const double value = table.last(column);
      return std::isfinite(value) ? value : fallback;
    }
  } // namespace

  template <int dim>
  void ShortCircuitMonitor<dim>::evaluate(const DoFHandler<dim> &dof_handler,
                                          const BlockVector &solution, const FieldLayout &fields,
                                          const CouplingLaws<dim>  &coupling,
                                          const MaterialField<dim> &material,
                                          const Statistics &previous, Statistics::Row &row)
  {
    const MPI_Comm comm = triangulation.get_communicator();
    if (!graph)
      {
        graph           = std::make_unique<CellGraph<dim>>(triangulation, Connectivity::face);
        double lowest_y = std::numeric_limits<double>::max();
        for (const unsigned int cell : graph->owned_cells())
          lowest_y = std::min(lowest_y, graph->lower_corner(cell)[1]);
        plating_y = Utilities::MPI::min(lowest_y, comm);
      }
    const double time      = Statistics::value(row, "time [s]", 0);
    const double time_step = Statistics::value(row, "dt [s]", 0);

    // Cell means of the filling and of the damage.
    const unsigned int    n_cells    = triangulation.n_active_cells();
    const bool            has_damage = fields.has("damage");
    const unsigned int    d0         = has_damage ? fields.component("damage") : 0;
    std::vector<char>     metallic(n_cells, 0), cracked(n_cells, 0), filament_cell(n_cells, 0);
    const auto           &fe = dof_handler.get_fe();
    FEValues<dim>         fe_values(fe, QGauss<dim>(fe.degree + 1),
                                    update_values | update_gradients | update_quadrature_points |
                                        update_JxW_values);
    SolutionAtPoints<dim> at_points;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          coupling.evaluate_solution(fe_values, cell, solution, material, time, at_points);
          double volume = 0, filling = 0, damage = 0;
          bool   all_pore = true;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            {
              const double JxW = fe_values.JxW(q);
              volume += JxW;
              filling += at_points.coupled[q].filling.value * JxW;
              if (has_damage)
                damage += at_points.values[q][d0] * JxW;
              all_pore = all_pore && at_points.material.phase[q] == 3 /* pore */;
            }
          const unsigned int index = cell->active_cell_index();
          metallic[index]          = filling >= criteria_used.metallic_filling * volume;
          cracked[index] = has_damage && !all_pore && damage >= criteria_used.crack_damage * volume;
          filament_cell[index] = metallic[index] || cracked[index];
        }

    const ClusterLabelling<dim> metal(*graph, metallic);
    const ClusterLabelling<dim> filament(*graph, filament_cell);
    const auto                 &metal_clusters    = metal.clusters();
    const auto                 &filament_clusters = filament.clusters();

    // Metallic clusters: the spanning one (S1), the isolated ones, the widest.
    std::optional<unsigned int> spanning;
    unsigned int                isolated     = 0;
    double                      largest_span = 0;
    for (unsigned int c = 0; c < metal_clusters.size(); ++c)
      {
        const auto &cluster = metal_clusters[c];
        const bool  plating = cluster.touches(boundary_ids::plating_electrode);
        const bool  counter = cluster.touches(boundary_ids::counter_electrode);
        if (plating && counter && !spanning)
          spanning = c;
        if (!plating && !counter)
          ++isolated;
        largest_span = std::max(largest_span, cluster.extent(1));
      }

    // Fronts per filament: the farthest cracked cell, and the farthest metallic
    // cell whose lithium reaches Γp through metal.
    const unsigned int  n_filaments = filament_clusters.size();
    std::vector<double> crack_reach(n_filaments, -1), lithium_reach(n_filaments, -1);
    double              lithium_front = 0;
    for (const unsigned int cell : graph->owned_cells())
      {
        const unsigned int f = filament.cluster_of(cell);
        if (f == ClusterLabelling<dim>::invalid_cluster)
          continue;
        const double reach = graph->upper_corner(cell)[1] - plating_y;
        if (cracked[cell])
          crack_reach[f] = std::max(crack_reach[f], reach);
        if (metallic[cell] &&
            metal_clusters[metal.cluster_of(cell)].touches(boundary_ids::plating_electrode))
          {
            lithium_reach[f] = std::max(lithium_reach[f], reach);
            lithium_front    = std::max(lithium_front, reach);
          }
      }
    {
      std::vector<double> reach(n_filaments);
      Utilities::MPI::max(crack_reach, comm, reach);
      crack_reach.swap(reach);
      Utilities::MPI::max(lithium_reach, comm, reach);
      lithium_reach.swap(reach);
    }
    lithium_front = Utilities::MPI::max(lithium_front, comm);

    last_filaments.clear();
    double crack_front = 0, dry_crack = 0;
    for (unsigned int f = 0; f < n_filaments; ++f)
      if (filament_clusters[f].touches(boundary_ids::plating_electrode))
        {
          Filament entry;
          entry.id            = f;
          entry.cells         = filament_clusters[f].n_cells;
          entry.crack_front   = std::max(crack_reach[f], 0.0);
          entry.lithium_front = std::max(lithium_reach[f], 0.0);
          last_filaments.push_back(entry);
          crack_front = std::max(crack_front, entry.crack_front);
          dry_crack   = std::max(dry_crack, entry.crack_front - entry.lithium_front);
        }

    const auto speed = [&](const std::string &column, const double front) {
      return time_step > 0 ? (front - previous_or(previous, column, front)) / time_step : 0.0;
    };
    const double crack_speed   = speed("crack_front [m]", crack_front);
    const double lithium_speed = speed("lithium_front [m]", lithium_front);
    const double current       = Statistics::value(row, "i_applied [A/m2]", 0);
    const double charge = previous_or(previous, "charge_passed [C/m2]", 0) + current * time_step;
    // The electron current that the face gradient measures misses a path
    // through a cell whose conductivity jumps inside it (a nearly empty cell
    // next to the filament tip: the face sees the electrolyte's σ_e). The
    // balance with the ionic current through the counter electrode does not.
    const double stripping        = Statistics::value(row, "i_stripping [A/m2]", current);
    const double balance_fraction = current != 0 ? 1 - stripping / current : 0;
    const double electronic_fraction =
        std::max(Statistics::value(row, "electronic_fraction", 0), balance_fraction);

    found.reset();
    if (spanning)
      {
        const auto  &cluster = metal_clusters[*spanning];
        ShortCircuit event;
        event.criterion      = "S1";
        event.cluster_id     = *spanning;
        event.cluster_cells  = cluster.n_cells;
        event.cluster_volume = cluster.volume;
        std::ostringstream text;
        text << "metallic cluster " << *spanning << " (" << cluster.n_cells
             << " cells) connects the plating and the counter electrode";
        event.description = text.str();
        found             = event;
      }
    else if (current != 0 && electronic_fraction > criteria_used.electronic_fraction)
      {
        ShortCircuit event;
        event.criterion = "S2";
        std::ostringstream text;
        text << "electronic fraction " << electronic_fraction
             << " of the current through the counter electrode exceeds "
             << criteria_used.electronic_fraction;
        event.description = text.str();
        found             = event;
      }
    if (found)
      {
        found->time            = time;
        found->step            = static_cast<unsigned int>(Statistics::value(row, "step", 0));
        found->charge_passed   = charge;
        found->current_density = current;
      }

    const double ratio =
        lithium_speed > 0 ? crack_speed / lithium_speed : std::numeric_limits<double>::quiet_NaN();
    row.insert(row.end(),
               {{"charge_passed [C/m2]", charge},
                {"crack_front [m]", crack_front},
                {"lithium_front [m]", lithium_front},
                {"dry_crack_length [m]", dry_crack},
                {"crack_front_speed [m/s]", crack_speed},
                {"lithium_front_speed [m/s]", lithium_speed},
                {"front_speed_ratio", ratio},
                {"filaments", static_cast<double>(last_filaments.size())},
                {"metallic_clusters", static_cast<double>(metal_clusters.size())},
                {"isolated_lithium_clusters", static_cast<double>(isolated)},
                {"largest_metallic_span [m]", largest_span},
                {"electronic_fraction_balance", balance_fraction},
                {"short_circuit", found ? (found->criterion == "S1" ? 1.0 : 2.0) : 0.0}});
  }

  template class ShortCircuitMonitor<2>;
  template class ShortCircuitMonitor<3>;
} // namespace weaklink
