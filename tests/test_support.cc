#include "test_support.h"

#include <weaklink/app/application.h>
#include <weaklink/core/parameter_file.h>

#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

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

  std::string temporary_directory(const std::string &stem)
  {
    std::string name;
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      {
        const auto base = std::filesystem::temp_directory_path() / ("weaklink-" + stem + "-XXXXXX");
        std::string pattern = base.string();
        name                = mkdtemp(pattern.data());
      }
    return dealii::Utilities::MPI::broadcast(MPI_COMM_WORLD, name, 0);
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
  const int failed = RUN_ALL_TESTS();
  return dealii::Utilities::MPI::max(failed, MPI_COMM_WORLD);
}
