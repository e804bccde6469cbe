#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <ostream>
#include <string>
#include <vector>

namespace weaklink
{
  /** Declares every parameter of weaklink (all modules, both dimensions). */
  void declare_all_parameters(dealii::ParameterHandler &prm);

  /**
   * The `weaklink` command: `weaklink case.prm`, `--validate case.prm`,
   * `--print-parameters`, `--help`. Returns the process exit code; input
   * errors are reported as one line on @p err before anything is written.
   */
  int run_application(const std::vector<std::string> &arguments,
                      MPI_Comm                        mpi_communicator,
                      std::ostream                   &out,
                      std::ostream                   &err);
} // namespace weaklink
