#include <weaklink/core/input_error.h>
#include <weaklink/core/json.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/output/cell_phases.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/base/data_out_base.h>
#include <deal.II/numerics/data_out.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace weaklink
{
  using namespace dealii;

  template <int dim> std::string Simulator<dim>::output_file(const std::string &name) const
  {
    return (std::filesystem::path(parameters.output.directory) / name).string();
  }

  template <int dim> void Simulator<dim>::prepare_output_directory() const
  {
    if (!parameters.output.resume)
      remove_earlier_results();
    int failed = 0;
    if (Utilities::MPI::this_mpi_process(mpi_communicator) == 0)
      {
        std::error_code error;
        std::filesystem::create_directories(parameters.output.directory, error);
        failed = (error || !std::filesystem::is_directory(parameters.output.directory)) ? 1 : 0;
        if (!failed)
          {
            std::ofstream out(output_file("parameters_used.prm"));
            out << "# Every parameter of this run, defaults included.\n" << parameters_text;
            failed = out ? 0 : 1;
          }
      }
    if (Utilities::MPI::max(failed, mpi_communicator))
      throw InputError("cannot create the output directory '" + parameters.output.directory + "'");
  }

  template <int dim> std::vector<std::string> Simulator<dim>::earlier_results() const
  {
    namespace fs = std::filesystem;
    // What a run writes: a directory holding any of it holds an earlier run.
    const auto written_by_a_run = [](const std::string &name) {
      for (const std::string prefix : {"solution", "statistics.", "filaments.csv", "summary.json",
                                       "parameters_used.prm", "checkpoint"})
        if (name.rfind(prefix, 0) == 0)
          return true;
      return false;
    };
    std::vector<std::string> earlier;
    std::string              refusal;
    if (Utilities::MPI::this_mpi_process(mpi_communicator) == 0 &&
        fs::is_directory(parameters.output.directory))
      {
        for (const auto &entry : fs::directory_iterator(parameters.output.directory))
          if (written_by_a_run(entry.path().filename().string()))
            earlier.push_back(entry.path().string());
        if (!earlier.empty() && !parameters.output.overwrite)
          {
            std::ifstream      file(output_file("parameters_used.prm"));
            std::ostringstream text;
            text << file.rdbuf();
            const std::string difference =
                file ? first_case_difference(text.str(), parameters_text, "in the earlier run")
                     : std::string("no parameters_used.prm beside its results");
            if (!difference.empty())
              refusal = "Output/Directory '" + parameters.output.directory +
                        "' holds the results of another case (" + difference +
                        "): choose another directory or set Output/Overwrite = true";
          }
      }
    refusal = Utilities::MPI::broadcast(mpi_communicator, refusal, 0);
    if (!refusal.empty())
      throw InputError(refusal);
    return earlier;
  }

  template <int dim> void Simulator<dim>::remove_earlier_results() const
  {
    for (const auto &path : earlier_results())
      std::filesystem::remove_all(path);
  }

  template <int dim> void Simulator<dim>::write_statistics() const
  {
    if (Utilities::MPI::this_mpi_process(mpi_communicator) != 0)
      return;
    // Written whole each step through a temporary, so a killed run never
    // leaves a half-written table.
    const auto write_atomically = [&](const std::string &name, const auto &write) {
      const std::string target = output_file(name);
      {
        std::ofstream out(target + ".tmp");
        write(out);
      }
      std::filesystem::rename(target + ".tmp", target);
    };
    write_atomically("statistics.txt",
                     [&](std::ostream &out) { statistics_table.write_text(out); });
    write_atomically("statistics.csv", [&](std::ostream &out) { statistics_table.write_csv(out); });
    if (short_circuit_monitor)
      write_atomically("filaments.csv", [&](std::ostream &out) { filament_table.write_csv(out); });
  }

  template <int dim> std::optional<ShortCircuit> Simulator<dim>::first_short() const
  {
    if (!short_circuit_monitor)
      return std::nullopt;
    if (termination.has("short circuit"))
      return short_circuit();
    // The run went on through shorts: the first one recorded.
    for (const auto &row : statistics_table.rows())
      {
        const double criterion = Statistics::value(row, "short_circuit", 0);
        if (criterion == 0)
          continue;
        ShortCircuit event;
        event.criterion       = criterion == 1 ? "S1" : "S2";
        event.description     = "first recorded; the run went on (Termination/Criteria)";
        event.time            = Statistics::value(row, "time [s]", 0);
        event.step            = static_cast<unsigned int>(Statistics::value(row, "step", 0));
        event.charge_passed   = Statistics::value(row, "charge_passed [C/m2]", 0);
        event.current_density = Statistics::value(row, "i_applied [A/m2]", 0);
        return event;
      }
    return std::nullopt;
  }

  template <int dim> RunSummary Simulator<dim>::finish_run(const Stop &stop) const
  {
    const double nan        = std::numeric_limits<double>::quiet_NaN();
    const auto   largest_of = [&](const std::string &column) {
      double largest = nan;
      for (const double value : statistics_table.column(column))
        if (std::isfinite(value) && !(value <= largest))
          largest = value;
      return largest;
    };
    const auto last_or = [&](const std::string &column, const double otherwise) {
      const double value = statistics_table.last(column);
      return std::isnan(value) ? otherwise : value;
    };

    RunSummary summary;
    summary.protocol      = protocol.name();
    summary.stopped_by    = stop.first->name();
    summary.reason        = stop.second;
    summary.completed     = !stop.first->interrupts();
    summary.short_circuit = first_short();
    summary.steps         = step;
    summary.warnings      = warnings_issued;
    if (const auto &event = summary.short_circuit)
      {
        summary.time            = event->time;
        summary.charge_passed   = event->charge_passed;
        summary.current_density = event->current_density;
      }
    else
      {
        summary.time          = time;
        summary.charge_passed = last_or(
            "charge_passed [C/m2]", protocol.sets_current() ? protocol.charge_passed(time) : nan);
        summary.current_density = last_or("i_applied [A/m2]", nan);
      }
    summary.lifetime       = summary.time;
    summary.protocol_stage = protocol.stage(summary.time);
    // Stage k's current: at the short, the CCD; without one, the highest
    // current the cell survived (right-censored).
    if (protocol.kind() == CurrentProtocol::Kind::ccd_ramp)
      summary.ccd = protocol.current_density(summary.time);
    summary.max_dry_crack_length = largest_of("dry_crack_length [m]");
    const double fastest_lithium = largest_of("lithium_front_speed [m/s]");
    if (fastest_lithium > 0)
      summary.front_speed_ratio = largest_of("crack_front_speed [m/s]") / fastest_lithium;
    summary.wall_seconds = Utilities::MPI::max(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count(),
        mpi_communicator);

    // 1 mAh/cm² = 3.6 C / 1e-4 m²; 1 mA/cm² = 10 A/m².
    const double mAh_per_cm2 = 1.0 / 3.6e4;
    if (const auto &event = summary.short_circuit)
      pcout << "weaklink: SHORT CIRCUIT (" << event->criterion << ") at t = " << event->time
            << " s, step " << event->step << ", after " << event->charge_passed * mAh_per_cm2
            << " mAh/cm^2 at " << event->current_density << " A/m^2: " << event->description
            << std::endl;
    else if (short_circuit_monitor)
      pcout << "weaklink: no short circuit up to t = " << time << " s" << std::endl;
    if (protocol.kind() == CurrentProtocol::Kind::ccd_ramp)
      pcout << "weaklink: "
            << (summary.censored() ? "no short up to " : "critical current density ")
            << summary.ccd / 10 << " mA/cm^2 (CCD ramp stage " << summary.protocol_stage + 1
            << " of " << protocol.breakpoints().size() << ")"
            << (summary.censored() ? ", right-censored" : "") << std::endl;
    if (!summary.completed)
      pcout << "weaklink: interrupted: " << summary.reason << std::endl;
    if (Utilities::MPI::this_mpi_process(mpi_communicator) == 0)
      summary.record().write_atomically(output_file("summary.json"));
    return summary;
  }

  template <int dim> void Simulator<dim>::write_fields()
  {
    TimerOutput::Scope scope(timer, "output");
    DataOut<dim>       data_out;
    data_out.attach_dof_handler(dof_handler);
    std::vector<DataComponentInterpretation::DataComponentInterpretation> interpretation;
    std::vector<std::string>                                              component_names;
    for (const auto &field : fields.fields)
      {
        component_names.insert(component_names.end(), field.n_components, field.name);
        interpretation.insert(interpretation.end(), field.n_components,
                              field.n_components == 1
                                  ? DataComponentInterpretation::component_is_scalar
                                  : DataComponentInterpretation::component_is_part_of_vector);
      }
    data_out.add_data_vector(solution, component_names, DataOut<dim>::type_dof_data,
                             interpretation);

    std::vector<std::unique_ptr<DataPostprocessor<dim>>> postprocessors;
    for (const auto &module : modules)
      if (auto postprocessor = module->output_postprocessor())
        {
          postprocessors.push_back(std::move(postprocessor));
          data_out.add_data_vector(solution, *postprocessors.back());
        }
    Vector<float> subdomain(triangulation.n_active_cells());
    subdomain = static_cast<float>(triangulation.locally_owned_subdomain());
    data_out.add_data_vector(subdomain, "subdomain");
    const CellPhases<dim> cell_phases = label_cell_phases(triangulation, *material);
    data_out.add_data_vector(cell_phases.phase, "phase");
    data_out.add_data_vector(cell_phases.defect_cluster, "defect_cluster");
    data_out.build_patches(fe->degree);
    // zlib at deal.II's default level (best compression) took an eighth of the
    // wall time of prm/microstructure.prm (2.2 of 21 s); the fastest level took 0.5 s.
    DataOutBase::VtkFlags vtk_flags;
    vtk_flags.compression_level = DataOutBase::VtkFlags::best_speed;
    data_out.set_flags(vtk_flags);

    const std::string pvtu = data_out.write_vtu_with_pvtu_record(
        parameters.output.directory + "/", "solution", output_index, mpi_communicator, 5);
    const std::string stem =
        output_file("solution_" + Utilities::int_to_string(output_index, 5) + "_");
    for (const auto &module : modules)
      module->write_output(solution, time, stem);
    ++output_index;
    pvd_records.emplace_back(time, pvtu);
    if (Utilities::MPI::this_mpi_process(mpi_communicator) == 0)
      {
        std::ofstream pvd(output_file("solution.pvd.tmp"));
        DataOutBase::write_pvd_record(pvd, pvd_records);
        pvd.close();
        std::filesystem::rename(output_file("solution.pvd.tmp"), output_file("solution.pvd"));
      }
  }

  template class Simulator<2>;
  template class Simulator<3>;
} // namespace weaklink
