#include "test_support.h"

#include <weaklink/app/application.h>
#include <weaklink/core/parameter_file.h>

#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

namespace weaklink::test_support
{
  Case::Case(const std::string &prm_text)
      : CaseParameters(read_parameter_text(prm_text, "<test>", "."))
  {
  }

  template <int dim> std::unique_ptr<Simulator<dim>> Case::make_simulator()
  {
    return std::make_unique<Simulator<dim>>(run, geometry, prm, MPI_COMM_WORLD, log);
  }

  template std::unique_ptr<Simulator<2>> Case::make_simulator<2>();
  template std::unique_ptr<Simulator<3>> Case::make_simulator<3>();

  namespace
  {
    /** The assembled local Jacobian and central differences of the local residual. */
    template <int dim>
    void
    local_jacobians(const Simulator<dim>                                         &simulator,
                    const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                    const dealii::Vector<double> &values, const dealii::Vector<double> &old_values,
                    dealii::FullMatrix<double> &analytic, dealii::FullMatrix<double> &differenced)
    {
      const unsigned int n = values.size();
      LocalSystem        assembled;
      simulator.compute_local_system(cell, values, old_values, 1.0, 1.0, assembled);
      analytic = assembled.matrix;
      differenced.reinit(n, n);
      const double h = 1e-7;
      for (unsigned int k = 0; k < n; ++k)
        {
          LocalSystem plus, minus;
          plus.assemble_matrix = minus.assemble_matrix = false;
          dealii::Vector<double> shifted               = values;
          shifted[k] += h;
          simulator.compute_local_system(cell, shifted, old_values, 1.0, 1.0, plus);
          shifted[k] -= 2 * h;
          simulator.compute_local_system(cell, shifted, old_values, 1.0, 1.0, minus);
          for (unsigned int i = 0; i < n; ++i)
            differenced(i, k) = (plus.residual[i] - minus.residual[i]) / (2 * h);
        }
    }
  } // namespace

  template <int dim>
  double local_jacobian_error(const Simulator<dim> &simulator,
                              const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                              const dealii::Vector<double>                                 &values,
                              const dealii::Vector<double> &old_values)
  {
    dealii::FullMatrix<double> analytic, differenced;
    local_jacobians(simulator, cell, values, old_values, analytic, differenced);
    const double scale = analytic.frobenius_norm();
    differenced.add(-1.0, analytic);
    return differenced.frobenius_norm() / scale;
  }

  template <int dim>
  std::map<std::pair<std::string, std::string>, double>
  local_jacobian_block_errors(const Simulator<dim> &simulator,
                              const typename dealii::DoFHandler<dim>::active_cell_iterator &cell,
                              const dealii::Vector<double>                                 &values,
                              const dealii::Vector<double> &old_values)
  {
    dealii::FullMatrix<double> analytic, differenced;
    local_jacobians(simulator, cell, values, old_values, analytic, differenced);
    const auto        &fe       = cell->get_fe();
    const FieldLayout &fields   = simulator.get_fields();
    const auto         field_of = [&](const unsigned int i) -> const std::string         &{
      return fields.field_of_component(fe.system_to_component_index(i).first).name;
    };
    std::map<std::string, double>                         row_norm;
    std::map<std::pair<std::string, std::string>, double> error;
    for (unsigned int i = 0; i < values.size(); ++i)
      for (unsigned int k = 0; k < values.size(); ++k)
        {
          row_norm[field_of(i)] += analytic(i, k) * analytic(i, k);
          const double difference = differenced(i, k) - analytic(i, k);
          error[{field_of(i), field_of(k)}] += difference * difference;
        }
    for (auto &[block, value] : error)
      value = std::sqrt(value / std::max(row_norm[block.first], 1e-300));
    return error;
  }

  template std::map<std::pair<std::string, std::string>, double>
  local_jacobian_block_errors(const Simulator<2> &,
                              const dealii::DoFHandler<2>::active_cell_iterator &,
                              const dealii::Vector<double> &, const dealii::Vector<double> &);
  template std::map<std::pair<std::string, std::string>, double>
  local_jacobian_block_errors(const Simulator<3> &,
                              const dealii::DoFHandler<3>::active_cell_iterator &,
                              const dealii::Vector<double> &, const dealii::Vector<double> &);

  template double local_jacobian_error(const Simulator<2> &,
                                       const dealii::DoFHandler<2>::active_cell_iterator &,
                                       const dealii::Vector<double> &,
                                       const dealii::Vector<double> &);
  template double local_jacobian_error(const Simulator<3> &,
                                       const dealii::DoFHandler<3>::active_cell_iterator &,
                                       const dealii::Vector<double> &,
                                       const dealii::Vector<double> &);

  namespace
  {
    /// The directories temporary_directory() made, removed after a passing run.
    std::vector<std::string> &made_directories()
    {
      static std::vector<std::string> directories;
      return directories;
    }
  } // namespace

  std::string temporary_directory(const std::string &stem)
  {
    std::string name;
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      {
        const auto base = std::filesystem::temp_directory_path() / ("weaklink-" + stem + "-XXXXXX");
        std::string pattern = base.string();
        name                = mkdtemp(pattern.data());
      }
    name = dealii::Utilities::MPI::broadcast(MPI_COMM_WORLD, name, 0);
    made_directories().push_back(name);
    return name;
  }

  void remove_temporary_directories(const bool keep)
  {
    MPI_Barrier(MPI_COMM_WORLD);
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
      return;
    for (const auto &directory : made_directories())
      if (keep)
        std::cerr << "kept for inspection: " << directory << std::endl;
      else
        {
          std::error_code ignored;
          std::filesystem::remove_all(directory, ignored);
        }
  }
} // namespace weaklink::test_support

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  ::testing::InitGoogleTest(&argc, argv);
  // Only rank 0 reports; every rank still runs every test.
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
    delete ::testing::UnitTest::GetInstance()->listeners().Release(
        ::testing::UnitTest::GetInstance()->listeners().default_result_printer());
  const int failed = dealii::Utilities::MPI::max(RUN_ALL_TESTS(), MPI_COMM_WORLD);
  // A failing run keeps its files for inspection; a passing one leaves /tmp as it found it.
  weaklink::test_support::remove_temporary_directories(failed != 0);
  return failed;
}
