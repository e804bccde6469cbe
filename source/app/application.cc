#include <weaklink/app/application.h>
#include <weaklink/app/tool_mains.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/core/run_parameters.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/physics/coupled_quantities.h>
#include <weaklink/physics/current_protocol.h>
#include <weaklink/simulator/short_circuit.h>
#include <weaklink/simulator/simulator.h>
#include <weaklink/simulator/termination.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    const char *usage =
        "usage: weaklink [options] case.prm\n"
        "  case.prm              run the case described by the parameter file\n"
        "  --validate case.prm   check the case (names, ranges, files, mesh, output directory,\n"
        "                        checkpoint) as the run would, write nothing, and exit\n"
        "  --force               let the run replace the results of another case in its\n"
        "                        output directory (Output/Overwrite = true)\n"
        "  --print-parameters    write every parameter with default, range and\n"
        "                        documentation as a valid parameter file, and exit\n"
        "  --help                this text\n"
        "Run in parallel with: mpirun -np N weaklink case.prm\n";

    /**
     * Whether a directory can be made in @p parent, by making one and removing
     * it: access(W_OK) says yes to root on file systems that refuse anything
     * (/proc, /sys) and to anyone on a read-only mount.
     */
    bool can_create_in(const std::filesystem::path &parent)
    {
      std::string probe = (parent / ".weaklink-probe-XXXXXX").string();
      if (mkdtemp(probe.data()) == nullptr)
        return false;
      std::filesystem::remove(probe);
      return true;
    }

    /** Fails when neither the directory nor a parent we could create it in is writable. */
    void check_output_directory_can_be_created(const std::string &directory)
    {
      namespace fs  = std::filesystem;
      fs::path path = fs::absolute(directory);
      if (fs::exists(path))
        {
          if (!fs::is_directory(path))
            throw InputError("output directory '" + directory + "' exists and is not a directory");
          if (!can_create_in(path))
            throw InputError("output directory '" + directory + "' is not writable");
          return;
        }
      fs::path ancestor = path.parent_path();
      while (!ancestor.empty() && !fs::exists(ancestor))
        ancestor = ancestor.parent_path();
      if (!fs::is_directory(ancestor) || !can_create_in(ancestor))
        throw InputError("cannot create the output directory '" + directory + "'");
    }

    template <int dim>
    RunSummary run_case(CaseParameters &case_parameters, MPI_Comm mpi_communicator,
                        std::ostream &out, const bool validate_only)
    {
      // Constructing the simulator parses materials and modules; it writes nothing.
      // The simulator is destroyed before a failure is rethrown, so that its
      // timers finish normally instead of warning about an exception in flight.
      std::exception_ptr failure;
      RunSummary         summary;
      {
        Simulator<dim> simulator(case_parameters.run, case_parameters.geometry, case_parameters.prm,
                                 mpi_communicator, out);
        try
          {
            if (validate_only)
              simulator.validate();
            else
              summary = simulator.run();
          }
        catch (...)
          {
            failure = std::current_exception();
          }
      }
      if (failure)
        std::rethrow_exception(failure);
      return summary;
    }
  } // namespace

  CaseParameters::CaseParameters(const std::vector<ParameterAssignment> &assignments)
  {
    declare_all_parameters(prm);
    apply_parameter_assignments(prm, assignments);
    run.parse(prm);
    geometry.parse(HandlerValues(prm));
  }

  RunSummary run_simulation(CaseParameters &case_parameters, MPI_Comm mpi_communicator,
                            std::ostream &out, const bool validate_only)
  {
    return case_parameters.run.dimension == 2
               ? run_case<2>(case_parameters, mpi_communicator, out, validate_only)
               : run_case<3>(case_parameters, mpi_communicator, out, validate_only);
  }

  void declare_all_parameters(ParameterHandler &prm)
  {
    RunParameters::declare(prm);
    SeparatorGeometry::declare(prm);
    MaterialField<2>::declare_parameters(prm);
    CouplingLaws<2>::declare_parameters(prm);
    ShortCircuitCriteria::declare(prm);
    CurrentProtocol::declare(prm);
    TerminationCriteria::declare(prm);
    PhysicsModuleRegistry<2>::declare_parameters(prm);
  }

  int run_application(const std::vector<std::string> &arguments, MPI_Comm mpi_communicator,
                      std::ostream &out, std::ostream &err)
  {
    const bool root = Utilities::MPI::this_mpi_process(mpi_communicator) == 0;
    try
      {
        bool        validate_only = false, print_parameters = false, force = false;
        std::string filename;
        for (const auto &argument : arguments)
          {
            if (argument == "--help" || argument == "-h")
              {
                if (root)
                  out << usage;
                return 0;
              }
            else if (argument == "--validate")
              validate_only = true;
            else if (argument == "--print-parameters")
              print_parameters = true;
            else if (argument == "--force")
              force = true;
            else if (!argument.empty() && argument[0] == '-')
              throw InputError("unknown option '" + argument + "' (see weaklink --help)");
            else if (filename.empty())
              filename = argument;
            else
              throw InputError("more than one parameter file given: '" + filename + "' and '" +
                               argument + "'");
          }

        if (print_parameters)
          {
            ParameterHandler prm;
            declare_all_parameters(prm);
            if (root)
              write_documented_parameters(prm, out);
            return 0;
          }
        if (filename.empty())
          throw InputError("no parameter file given (see weaklink --help)");

        CaseParameters case_parameters(read_parameter_file(filename));
        if (force)
          {
            // Also in parameters_used.prm, which then says what the run did.
            case_parameters.prm.enter_subsection("Output");
            case_parameters.prm.set("Overwrite", true);
            case_parameters.prm.leave_subsection();
            case_parameters.run.output.overwrite = true;
          }
        case_parameters.geometry.check_files();
        if (!case_parameters.run.output.resume)
          check_output_directory_can_be_created(case_parameters.run.output.directory);

        run_simulation(case_parameters, mpi_communicator, out, validate_only);
        if (validate_only && root)
          out << filename << ": valid" << std::endl;
        return 0;
      }
    catch (const InputError &error)
      {
        if (root)
          err << "weaklink: error: " << error.what() << std::endl;
        return 2;
      }
    catch (const StepFailure &error)
      {
        if (root)
          err << "weaklink: error: the run stopped: " << error.what() << std::endl;
        return 3;
      }
    catch (const std::exception &error)
      {
        if (root)
          err << "weaklink: error: " << first_line(error.what()) << std::endl;
        return 3;
      }
  }

  int weaklink_main(int argc, char **argv)
  {
    Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
    const std::vector<std::string>   arguments(argv + 1, argv + argc);
    return run_application(arguments, MPI_COMM_WORLD, std::cout, std::cerr);
  }
} // namespace weaklink
