// Linear solvers against conductivity contrast: the φ–ψ system of a generated
// polycrystal (10 µm grains, 0.5 µm boundary bands, 6 % clustered pores) whose
// boundary/grain electronic conductivity ratio is swept, and a case whose
// pores are filled with lithium metal (1.1e7 S/m next to 1e-8 S/m). One
// configuration per process, so that the peak memory is its own:
//
//   mpirun -np N benchmarks/solver_contrast DIM LEVEL CONTRAST METHOD
//
// CONTRAST: a number (σ_e of the boundaries over that of the grains, 1e-8
// S/m) or "metal" (boundaries ×1e3, lithium in the pores). METHOD:
// amg-chebyshev (block AMG with ML's Chebyshev smoother under FGMRES, rebuilt
// every Newton iteration: the solver before 2026-12-02), amg (the same with
// ILU smoothing), amg-reuse (hierarchy kept while it works), direct (MUMPS,
// factorised every Newton iteration), direct-reuse (factors kept while GMRES
// with them converges). Prints one row:
// DoFs, Newton and linear iterations, preconditioner builds, and seconds per
// Newton iteration for the preconditioner setup, the linear solve, the
// assembly of residuals and Jacobian, and the whole iteration, peak memory of the largest rank.
// benchmarks/solver_contrast.sh runs the table.
#include <weaklink/app/application.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace weaklink;

namespace
{
  constexpr double grain_electronic_conductivity = 1e-8;

  std::string benchmark_case(const int dim, const unsigned int level, const std::string &contrast,
                             const std::string &method)
  {
    const bool        metal  = contrast == "metal";
    const double      ratio  = metal ? 1e3 : std::stod(contrast);
    const std::string solver = method.rfind("direct", 0) == 0 ? "direct" : std::string("fgmres");
    const bool        reuse  = method.find("reuse") != std::string::npos;
    const std::string smoother =
        method.find("chebyshev") != std::string::npos ? "Chebyshev" : "ILU";
    std::ostringstream text;
    text.precision(17);
    text << "set Dimension = " << dim << R"(
      subsection Geometry
        set Width = 5e-5
        set Thickness = 5e-5
        set Depth = 2e-5
        set Coarse cells across thickness = 1
      end
      subsection Mesh refinement
        set Initial global refinement = )"
         << level << R"(
      end
      subsection Material
        set Type = microstructure
        subsection Microstructure
          set Seed = 3
          set Porosity = 0.06
          set Pore topology = clustered
          subsection Grain
            set Electronic conductivity = )"
         << grain_electronic_conductivity << R"(
          end
          subsection Grain boundary
            set Electronic conductivity = )"
         << ratio * grain_electronic_conductivity << R"(
          end
          subsection Pore
            set Electronic conductivity = )"
         << (metal ? 1.1e7 : 1e-12) << R"(
          end
        end
      end
      subsection Electrochemistry
        set Applied current density = 10
      end
      subsection Linear solver
        set Method = )"
         << solver << R"(
        set Reuse preconditioner = )"
         << (reuse ? "true" : "false") << R"(
        set AMG smoother = )"
         << smoother << R"(
      end
    )";
    if (dim == 3)
      text << "subsection Geometry\n set Width = 2e-5\n set Thickness = 2e-5\nend\n"
           << "subsection Material\n subsection Microstructure\n  set Grain size = 8e-6\n"
           << "  set Pore radius = 1.5e-6\n end\nend\n";
    return text.str();
  }

  template <int dim>
  void run(const unsigned int level, const std::string &contrast, const std::string &method,
           std::ostream &out)
  {
    CaseParameters parameters(
        read_parameter_text(benchmark_case(dim, level, contrast, method), "benchmark", "."));
    std::ostringstream log;
    Simulator<dim> simulator(parameters.run, parameters.geometry, parameters.prm, MPI_COMM_WORLD,
                             log);
    simulator.setup();
    out << dim << "D " << std::setw(3) << level << std::setw(8) << contrast << std::setw(14)
        << method << std::setw(10) << simulator.get_dof_handler().n_dofs();
    const auto start = std::chrono::steady_clock::now();
    try
      {
        const NewtonReport report = simulator.solve_step(0.0, 1.0);
        const double       wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const auto   sections = simulator.section_seconds();
        const double newton   = std::max(1u, report.iterations);
        const auto   seconds  = [&](const std::string &name) {
          const auto found = sections.find(name);
          return found == sections.end() ? 0.0 : found->second / newton;
        };
        dealii::Utilities::System::MemoryStats memory;
        dealii::Utilities::System::get_memory_stats(memory);
        const double peak_mb = dealii::Utilities::MPI::max(memory.VmHWM / 1024.0, MPI_COMM_WORLD);
        out << std::setw(7) << report.iterations << std::setw(9) << report.linear_iterations
            << std::setw(9) << std::fixed << std::setprecision(1)
            << report.linear_iterations / newton << std::setw(7)
            << simulator.preconditioner_builds() << std::setw(10) << std::setprecision(3)
            << seconds("linear solver setup") << std::setw(10) << seconds("linear solve")
            << std::setw(11) << seconds("assemble Jacobian") + seconds("assemble residual")
            << std::setw(11) << wall / newton << std::setw(9) << std::setprecision(0) << peak_mb
            << std::endl;
      }
    catch (const StepFailure &failure)
      {
        out << "  failed: " << failure.what() << std::endl;
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  if (argc == 2 && std::string(argv[1]) == "--header")
    {
      std::cout << "dim lvl contrast        method      DoFs Newton   linear  lin/Nwt builds "
                   "  setup_s   solve_s assembly_s  s/Newton  peak_MB\n";
      return 0;
    }
  if (argc != 5)
    {
      std::cerr << "usage: solver_contrast DIM LEVEL CONTRAST|metal "
                   "amg-chebyshev|amg|amg-reuse|direct|direct-reuse (or --header)\n";
      return 1;
    }
  const int          dim   = std::atoi(argv[1]);
  const unsigned int level = std::atoi(argv[2]);
  std::ostringstream ignored;
  std::ostream      &out = root ? std::cout : ignored;
  if (dim == 2)
    run<2>(level, argv[3], argv[4], out);
  else
    run<3>(level, argv[3], argv[4], out);
  return 0;
}
