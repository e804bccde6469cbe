// Electrochemistry solver scaling: a galvanostatic cell with insulating pores,
// solved from a zero initial guess on uniformly refined meshes. Prints per
// level: DoFs, Newton and linear iterations, time per Newton step, time per
// DoF and Newton step, setup time, peak memory (largest rank).
//
//   mpirun -np 2 benchmarks/electrochemistry_scaling [2|3] [levels...]
#include <weaklink/app/application.h>
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
  std::string benchmark_case(const int dim, const unsigned int level, const std::string &method)
  {
    const std::string centers = dim == 2 ? "3e-5,4e-5; 7e-5,6e-5; 5e-5,8e-5"
                                         : "3e-5,4e-5,5e-5; 7e-5,6e-5,4e-5; 5e-5,8e-5,6e-5";
    return "set Dimension = " + std::to_string(dim) + R"(
      subsection Geometry
        set Width = 1e-4
        set Thickness = 1e-4
        set Depth = 1e-4
        set Coarse cells across thickness = 1
      end
      subsection Mesh refinement
        set Initial global refinement = )" +
           std::to_string(level) + R"(
      end
      subsection Material
        set Type = inclusions
        subsection Inclusions
          set Centers = )" +
           centers + R"(
          set Radius = 1.2e-5
          set Ionic conductivity = 1e-6
          set Electronic conductivity = 1e-9
        end
      end
      subsection Electrochemistry
        set Applied current density = 10
      end
      subsection Linear solver
        set Method = )" +
           method + R"(
      end
    )";
  }

  template <int dim>
  void run_level(const unsigned int level, const std::string &method, std::ostream &out)
  {
    CaseParameters parameters(
        read_parameter_text(benchmark_case(dim, level, method), "benchmark", "."));
    std::ostringstream log;
    Simulator<dim> simulator(parameters.run, parameters.geometry, parameters.prm, MPI_COMM_WORLD,
                             log);
    const auto     start = std::chrono::steady_clock::now();
    simulator.setup();
    const auto   setup_done = std::chrono::steady_clock::now();
    NewtonReport report     = simulator.solve_step(0.0, 1.0);
    const auto   solve_done = std::chrono::steady_clock::now();

    const double setup_seconds = std::chrono::duration<double>(setup_done - start).count();
    const double solve_seconds = std::chrono::duration<double>(solve_done - setup_done).count();
    const double dofs          = simulator.get_dof_handler().n_dofs();
    const double per_newton    = solve_seconds / std::max(1u, report.iterations);
    dealii::Utilities::System::MemoryStats memory;
    dealii::Utilities::System::get_memory_stats(memory);
    const double peak_mb = dealii::Utilities::MPI::max(memory.VmHWM / 1024.0, MPI_COMM_WORLD);
    out << std::setw(7) << method << std::setw(6) << level << std::setw(11)
        << static_cast<long>(dofs) << std::setw(8) << report.iterations << std::setw(9)
        << report.linear_iterations << std::setw(10) << std::fixed << std::setprecision(1)
        << static_cast<double>(report.linear_iterations) / std::max(1u, report.iterations)
        << std::setw(12) << std::setprecision(3) << per_newton << std::setw(14)
        << std::setprecision(2) << per_newton / dofs * 1e6 << std::setw(10) << setup_seconds
        << std::setw(11) << std::setprecision(0) << peak_mb << std::endl;
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool                root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  const int                 dim  = argc > 1 ? std::atoi(argv[1]) : 2;
  std::vector<unsigned int> levels;
  for (int i = 2; i < argc; ++i)
    levels.push_back(std::atoi(argv[i]));
  if (levels.empty())
    levels = dim == 2 ? std::vector<unsigned int>{6, 7, 8, 9, 10}
                      : std::vector<unsigned int>{3, 4, 5, 6};

  std::ostringstream table;
  std::ostream      &out = root ? std::cout : table;
  out << "electrochemistry_scaling: " << dim << "D, Q1, "
      << dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) << " MPI ranks\n"
      << " method level       DoFs  Newton   linear  lin/Newt  s/Newton  us/DoF/Newt   setup_s  "
         "peak_MB\n";
  // The block-AMG FGMRES and the direct solve (MUMPS) on the same problems;
  // the direct one only up to the automatic choice's default limit of 2e5 DoFs.
  for (const auto level : levels)
    for (const std::string method : {"fgmres", "direct"})
      {
        if (method == "direct" && (dim == 2 ? level > 8 : level > 5))
          continue;
        if (dim == 2)
          run_level<2>(level, method, out);
        else
          run_level<3>(level, method, out);
      }
  return 0;
}
