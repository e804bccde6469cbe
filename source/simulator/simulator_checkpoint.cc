#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/distributed/solution_transfer.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

namespace weaklink
{
  using namespace dealii;
  namespace fs = std::filesystem;

  namespace
  {
    /**
     * The files the case reads (a Gmsh mesh, a segmented image) by the
     * parameter that names them, each with a digest of its contents (64-bit
     * FNV-1a and the size): a checkpoint holds the mesh it was run on, so a
     * file changed since then would go unnoticed by the parameters alone.
     */
    std::vector<std::pair<std::string, std::string>>
    digests_of_input_files(const std::string &parameters_text)
    {
      std::map<std::string, std::string> value;
      for (const auto &assignment : read_parameter_text(parameters_text, "the case", "."))
        value[assignment.path] = assignment.value;
      std::vector<std::pair<std::string, std::string>> named;
      if (value["Geometry/Type"] == "gmsh")
        named.emplace_back("Geometry/Mesh file", value["Geometry/Mesh file"]);
      if (value["Material/Type"] == "image")
        named.emplace_back("Material/Image/File", value["Material/Image/File"]);
      std::vector<std::pair<std::string, std::string>> digests;
      for (const auto &[parameter, file] : named)
        {
          std::ifstream in(file, std::ios::binary);
          if (!in)
            {
              digests.emplace_back(parameter, "missing");
              continue;
            }
          std::uint64_t hash = 14695981039346656037ull;
          std::uint64_t size = 0;
          char          buffer[1 << 16];
          while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0)
            for (std::streamsize i = 0; i < in.gcount(); ++i, ++size)
              hash = (hash ^ static_cast<unsigned char>(buffer[i])) * 1099511628211ull;
          std::ostringstream digest;
          digest << std::hex << std::setw(16) << std::setfill('0') << hash << std::dec << ' '
                 << size << " bytes";
          digests.emplace_back(parameter, digest.str());
        }
      return digests;
    }
  } // namespace

  // A checkpoint is a directory: the distributed mesh with the solution
  // vectors attached, and a text file with the time-loop state, the
  // statistics table and the .pvd series. It is written under a temporary
  // name and renamed into place, so a run killed while writing leaves the
  // previous checkpoint intact.

  template <int dim> void Simulator<dim>::record_input_files()
  {
    input_file_digests = digests_of_input_files(parameters_text);
  }

  template <int dim> void Simulator<dim>::write_checkpoint()
  {
    TimerOutput::Scope scope(timer, "checkpoint");
    // A run resumed from here builds its factors or hierarchy afresh; so does this one, and both
    // take the same Newton iterations and steps.
    jacobian_solver.forget_preconditioner();
    const bool     root    = Utilities::MPI::this_mpi_process(mpi_communicator) == 0;
    const fs::path current = output_file("checkpoint");
    const fs::path staging = output_file("checkpoint.tmp");
    const fs::path retired = output_file("checkpoint.old");
    if (root)
      {
        fs::remove_all(staging);
        fs::create_directory(staging);
      }
    MPI_Barrier(mpi_communicator);

    parallel::distributed::SolutionTransfer<dim, BlockVector> transfer(dof_handler);
    std::vector<const BlockVector *>                          vectors{&solution, &old_solution};
    transfer.prepare_for_serialization(vectors);
    triangulation.save((staging / "mesh").string());

    if (root)
      {
        // The case it belongs to: a resume with other parameters, or with
        // other contents of the files they name, is refused.
        std::ofstream(staging / "case.prm") << parameters_text;
        std::ofstream inputs(staging / "input_files.txt");
        for (const auto &[parameter, digest] : input_file_digests)
          inputs << parameter << '\n' << digest << '\n';
        std::ofstream state(staging / "state.txt");
        state << std::setprecision(17) << "weaklink-checkpoint 5\n"
              << dim << ' ' << time << ' ' << time_step << ' ' << step << ' ' << output_index
              << '\n'
              << pvd_records.size() << '\n';
        for (const auto &[t, name] : pvd_records)
          state << t << '\n' << name << '\n';
        statistics_table.save(state);
        // Each module's own state (e.g. crack-tip history), by name.
        state << "modules " << modules.size() << '\n';
        for (const auto &module : modules)
          {
            state << module->name() << '\n';
            module->save_state(state);
          }
        state << "filaments\n";
        filament_table.save(state);
        state.close();
        if (fs::exists(current))
          fs::rename(current, retired);
        fs::rename(staging, current);
        fs::remove_all(retired);
      }
    MPI_Barrier(mpi_communicator);
    last_checkpoint_time = std::chrono::steady_clock::now();
    pcout << "checkpoint written at step " << step << " (t = " << time << " s) to "
          << current.string() << std::endl;
  }

  template <int dim> std::string Simulator<dim>::find_checkpoint() const
  {
    // A crash between the two renames leaves only checkpoint.old.
    fs::path directory = output_file("checkpoint");
    if (!fs::exists(directory / "state.txt"))
      directory = output_file("checkpoint.old");
    if (!fs::exists(directory / "state.txt"))
      throw InputError("Output/Resume is true but there is no checkpoint in '" +
                       parameters.output.directory + "'");
    std::ifstream state(directory / "state.txt");
    std::string   magic;
    int           version = 0, saved_dim = 0;
    state >> magic >> version >> saved_dim;
    if (magic != "weaklink-checkpoint" || !state)
      throw InputError("checkpoint '" + directory.string() + "/state.txt' is unreadable");
    if (saved_dim != dim)
      throw InputError("checkpoint was written by a " + std::to_string(saved_dim) + "D run");
    // Format 5 stores the lithium state x (1 + p/p_u when compressed), not the filling s.
    if (version < 5 && fields.has("lithium"))
      throw InputError("checkpoint '" + directory.string() + "' (format " +
                       std::to_string(version) +
                       ") holds the lithium filling of an earlier weaklink, not the lithium "
                       "state of this one: run the case again without Output/Resume");
    if (version >= 4)
      {
        std::ifstream      saved_case(directory / "case.prm");
        std::ostringstream saved_text;
        saved_text << saved_case.rdbuf();
        if (!saved_case)
          throw InputError("checkpoint '" + directory.string() + "' has no case.prm");
        const std::string difference =
            first_case_difference(saved_text.str(), parameters_text, "in the checkpoint");
        if (!difference.empty())
          throw InputError("Output/Resume: the checkpoint in '" + parameters.output.directory +
                           "' belongs to another case: " + difference + " (only " +
                           parameters_free_between_runs() + " may change)");
      }
    // Checkpoints since 2026-12-03 also know the contents of the case's files.
    std::ifstream saved_inputs(directory / "input_files.txt");
    std::string   parameter, saved_digest;
    while (std::getline(saved_inputs, parameter) && std::getline(saved_inputs, saved_digest))
      for (const auto &[name, digest] : input_file_digests)
        if (name == parameter && digest != saved_digest)
          throw InputError("Output/Resume: the file of " + parameter +
                           (digest == "missing"
                                ? " is missing"
                                : " has changed since the checkpoint was written (" + digest +
                                      ", was " + saved_digest + ")"));
    return directory.string();
  }

  template <int dim> void Simulator<dim>::resume_from_checkpoint()
  {
    const fs::path directory = find_checkpoint();
    std::ifstream  state(directory / "state.txt");
    std::string    magic;
    int            version = 0, saved_dim = 0;
    state >> magic >> version >> saved_dim >> time >> time_step >> step >> output_index;
    std::size_t n_records = 0;
    state >> n_records;
    state.ignore();
    pvd_records.clear();
    for (std::size_t i = 0; i < n_records; ++i)
      {
        std::string t, name;
        std::getline(state, t);
        std::getline(state, name);
        pvd_records.emplace_back(std::stod(t), name);
      }
    statistics_table.load(state);
    if (version >= 2)
      {
        std::string keyword;
        std::size_t n_modules = 0;
        state >> keyword >> n_modules;
        if (keyword != "modules" || n_modules != modules.size())
          throw InputError("checkpoint '" + directory.string() +
                           "' was written with other physics modules");
        for (const auto &module : modules)
          {
            std::string name;
            state >> name;
            if (name != module->name())
              throw InputError("checkpoint '" + directory.string() + "' holds module '" + name +
                               "' where this run has '" + module->name() + "'");
            module->load_state(state);
          }
      }
    filament_table = Statistics();
    if (version >= 3)
      {
        std::string keyword;
        state >> keyword;
        if (keyword != "filaments")
          throw InputError("checkpoint '" + directory.string() + "/state.txt' is truncated");
        filament_table.load(state);
      }

    geometry.create_coarse_mesh(triangulation);
    material->check_mesh(triangulation);
    triangulation.load((directory / "mesh").string());
    initialize_modules();
    setup_dofs();
    parallel::distributed::SolutionTransfer<dim, BlockVector> transfer(dof_handler);
    BlockVector                new_solution(owned_partitioning, mpi_communicator);
    BlockVector                new_old_solution(owned_partitioning, mpi_communicator);
    std::vector<BlockVector *> vectors{&new_solution, &new_old_solution};
    transfer.deserialize(vectors);
    solution     = new_solution;
    old_solution = new_old_solution;
    write_statistics();
    pcout << "weaklink: resumed from " << directory.string() << " at step " << step
          << ", t = " << time << " s, " << dof_handler.n_dofs() << " DoFs" << std::endl;
  }

  template class Simulator<2>;
  template class Simulator<3>;
} // namespace weaklink
