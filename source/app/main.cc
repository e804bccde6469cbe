#include <weaklink/app/application.h>

#include <deal.II/base/mpi.h>

#include <iostream>

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::vector<std::string>           arguments(argv + 1, argv + argc);
  return weaklink::run_application(arguments, MPI_COMM_WORLD, std::cout, std::cerr);
}
