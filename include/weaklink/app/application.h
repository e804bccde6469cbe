#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <weaklink/core/parameter_file.h>
#include <weaklink/core/run_parameters.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/simulator/run_summary.h>

#include <ostream>
#include <string>
#include <vector>

namespace weaklink
{
  /** Declares every parameter of weaklink (all modules, both dimensions). */
  void declare_all_parameters(dealii::ParameterHandler &prm);

  /**
   * A case: every parameter declared, the assignments applied and the run
   * and geometry parameters parsed. Materials and physics modules are parsed
   * when a Simulator is built from `prm`.
   */
  struct CaseParameters
  {
    explicit CaseParameters(const std::vector<ParameterAssignment> &assignments);

    dealii::ParameterHandler prm;
    RunParameters            run;
    SeparatorGeometry        geometry;
  };

  /**
   * Builds the simulator of @p case_parameters on @p mpi_communicator and
   * runs it (or only validates the case), logging to @p out on its rank 0.
   * Throws InputError and StepFailure.
   */
  RunSummary run_simulation(CaseParameters &case_parameters, MPI_Comm mpi_communicator,
                            std::ostream &out, const bool validate_only = false);

  /**
   * The `weaklink` command: `weaklink case.prm`, `--validate case.prm`,
   * `--print-parameters`, `--help`. Returns the process exit code; input
   * errors are reported as one line on @p err before anything is written.
   */
  int run_application(const std::vector<std::string> &arguments, MPI_Comm mpi_communicator,
                      std::ostream &out, std::ostream &err);
} // namespace weaklink
