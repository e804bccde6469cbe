#pragma once

#include <deal.II/base/parameter_handler.h>

#include <weaklink/app/application.h>
#include <weaklink/core/input_error.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/simulator/simulator.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>

namespace weaklink::test_support
{
  /** Everything a Simulator is built from, parsed from prm text. */
  struct Case : CaseParameters
  {
    explicit Case(const std::string &prm_text);

    std::ostringstream log;

    template <int dim> std::unique_ptr<Simulator<dim>> make_simulator();
  };

  /**
   * ‖differenced − assembled‖_F / ‖assembled‖_F of the local Jacobian of
   * @p cell at the local DoF values @p values (central differences of the
   * local residual, at t = 1 with Δt = 1).
   */
  template <int dim>
  double local_jacobian_error(const Simulator<dim> &simulator,
                              const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                              const dealii::Vector<double>                                 &values,
                              const dealii::Vector<double> &old_values);

  /**
   * The same per pair of fields (row field, column field): the Frobenius
   * norm of the difference in that block over that of the row field's rows.
   */
  template <int dim>
  std::map<std::pair<std::string, std::string>, double>
  local_jacobian_block_errors(const Simulator<dim> &simulator,
                              const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                              const dealii::Vector<double>                                 &values,
                              const dealii::Vector<double> &old_values);

  /** A fresh directory under the system temporary directory (same name on all ranks). */
  std::string temporary_directory(const std::string &stem);

  /**
   * Removes every directory temporary_directory() made, or with @p keep lists
   * them (a failed run's files are for inspection). Collective.
   */
  void remove_temporary_directories(bool keep);
} // namespace weaklink::test_support
