#include <weaklink/core/input_error.h>
#include <weaklink/output/cell_phases.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/base/data_out_base.h>
#include <deal.II/numerics/data_out.h>

#include <filesystem>
#include <fstream>

namespace weaklink
{
  using namespace dealii;

  template <int dim> std::string Simulator<dim>::output_file(const std::string &name) const
  {
    return (std::filesystem::path(parameters.output.directory) / name).string();
  }

  template <int dim> void Simulator<dim>::prepare_output_directory() const
  {
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

  template <int dim> void Simulator<dim>::write_statistics() const
  {
    if (Utilities::MPI::this_mpi_process(mpi_communicator) != 0)
      return;
    // Written whole each step through a temporary, so a killed run never
    // leaves a half-written table.
    for (const auto &[name, csv] : {std::make_pair(std::string("statistics.txt"), false),
                                    std::make_pair(std::string("statistics.csv"), true)})
      {
        const std::string target = output_file(name);
        {
          std::ofstream out(target + ".tmp");
          if (csv)
            statistics_table.write_csv(out);
          else
            statistics_table.write_text(out);
        }
        std::filesystem::rename(target + ".tmp", target);
      }
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
