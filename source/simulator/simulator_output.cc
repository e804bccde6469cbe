#include <weaklink/core/input_error.h>
#include <weaklink/core/json.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/output/cell_phases.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/base/data_out_base.h>
#include <deal.II/numerics/data_out.h>

#include <filesystem>
#include <fstream>
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
      for (const std::string prefix : {"solution", "statistics.", "filaments.csv",
                                       "short_circuit.json", "parameters_used.prm", "checkpoint"})
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

  template <int dim> void Simulator<dim>::report_short_circuit() const
  {
    if (!short_circuit_monitor)
      return;
    std::optional<ShortCircuit> event = short_circuit();
    if (!stops_at_short())
      {
        // The run went on through shorts: report the first one recorded.
        event.reset();
        for (const auto &row : statistics_table.rows())
          {
            const double criterion = Statistics::value(row, "short_circuit", 0);
            if (criterion == 0)
              continue;
            event                  = ShortCircuit();
            event->criterion       = criterion == 1 ? "S1" : "S2";
            event->description     = "first recorded; the run went on (Stop at short = false)";
            event->time            = Statistics::value(row, "time [s]", 0);
            event->step            = static_cast<unsigned int>(Statistics::value(row, "step", 0));
            event->charge_passed   = Statistics::value(row, "charge_passed [C/m2]", 0);
            event->current_density = Statistics::value(row, "i_applied [A/m2]", 0);
            break;
          }
      }
    // 1 mAh/cm² = 3.6 C / 1e-4 m².
    const double mAh_per_cm2 = 1.0 / 3.6e4;
    if (event)
      pcout << "weaklink: SHORT CIRCUIT (" << event->criterion << ") at t = " << event->time
            << " s, step " << event->step << ", after " << event->charge_passed * mAh_per_cm2
            << " mAh/cm^2 at " << event->current_density << " A/m^2: " << event->description
            << std::endl;
    else
      pcout << "weaklink: no short circuit up to t = " << time << " s" << std::endl;
    if (Utilities::MPI::this_mpi_process(mpi_communicator) != 0)
      return;
    const std::string target = output_file("short_circuit.json");
    {
      std::ofstream out(target + ".tmp");
      out << std::setprecision(12) << "{\n  \"shorted\": " << (event ? "true" : "false");
      if (event)
        out << ",\n  \"criterion\": " << json_string(event->criterion)
            << ",\n  \"description\": " << json_string(event->description)
            << ",\n  \"time [s]\": " << event->time << ",\n  \"step\": " << event->step
            << ",\n  \"charge_passed [C/m2]\": " << event->charge_passed
            << ",\n  \"charge_passed [mAh/cm2]\": " << event->charge_passed * mAh_per_cm2
            << ",\n  \"current_density [A/m2]\": " << event->current_density
            << ",\n  \"cluster\": " << event->cluster_id
            << ",\n  \"cluster_cells\": " << event->cluster_cells
            << ",\n  \"cluster_volume\": " << event->cluster_volume;
      else
        out << ",\n  \"end_time [s]\": " << time
            << ",\n  \"charge_passed [C/m2]\": " << statistics_table.last("charge_passed [C/m2]");
      out << "\n}\n";
    }
    std::filesystem::rename(target + ".tmp", target);
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
