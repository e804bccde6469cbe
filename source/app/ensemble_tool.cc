// weaklink-ensemble: runs the samples of a study on MPI sub-communicators.
#include <weaklink/app/tool_mains.h>
#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/ensemble/ensemble.h>
#include <weaklink/ensemble/study.h>

#include <deal.II/base/mpi.h>

#include <iostream>
#include <string>

namespace
{
  const char *usage =
      "usage: mpirun -np P weaklink-ensemble study.prm [--ranks-per-sample R] [--output DIR]\n"
      "       weaklink-ensemble --print-parameters\n"
      "  Runs every sample of the study (classes x samples per class, see\n"
      "  Study/Classes) that has no result yet, P/R samples at a time on R ranks each\n"
      "  (R divides P; default 1), each taking the next sample when it is free. One\n"
      "  line per finished sample; results/NAME.json per sample; at the end\n"
      "  table.csv and table.json in Study/Output directory. A failed sample is a\n"
      "  result with its reason; killing the study loses only the samples in\n"
      "  flight: run it again to continue. --output DIR replaces Study/Output\n"
      "  directory.\n";
} // namespace

int
weaklink::ensemble_main(int argc, char **argv)
{
  using namespace weaklink;
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  try
    {
      std::string  study_file, output_directory;
      unsigned int ranks_per_sample = 1;
      for (int i = 1; i < argc; ++i)
        {
          const std::string argument = argv[i];
          if (argument == "--help" || argument == "-h")
            {
              if (root)
                std::cout << usage;
              return 0;
            }
          if (argument == "--print-parameters")
            {
              dealii::ParameterHandler prm;
              Study::declare(prm);
              if (root)
                write_documented_parameters(prm, std::cout);
              return 0;
            }
          if (argument == "--ranks-per-sample")
            {
              if (i + 1 == argc)
                throw InputError("--ranks-per-sample needs a number");
              ranks_per_sample = count_argument(argument, argv[++i], 1);
            }
          else if (argument == "--output")
            {
              if (i + 1 == argc)
                throw InputError("--output needs a directory");
              output_directory = argv[++i];
            }
          else if (!argument.empty() && argument[0] == '-')
            throw InputError("unknown option '" + argument + "' (see --help)");
          else if (study_file.empty())
            study_file = argument;
          else
            throw InputError("more than one study file: '" + study_file + "' and '" + argument +
                             "'");
        }
      if (study_file.empty())
        throw InputError("no study file given (see --help)");
      const Study study(study_file, output_directory);
      run_ensemble(study, ranks_per_sample, MPI_COMM_WORLD, std::cout);
      return 0;
    }
  catch (const InputError &error)
    {
      if (root)
        std::cerr << "weaklink-ensemble: error: " << error.what() << std::endl;
      return 2;
    }
  catch (const std::exception &error)
    {
      if (root)
        std::cerr << "weaklink-ensemble: error: " << first_line(error.what()) << std::endl;
      return 3;
    }
}
