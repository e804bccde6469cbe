// weaklink-sisso: interpretable descriptors (SISSO) of a target among built features.
#include <weaklink/app/tool_mains.h>
#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/learning/sisso.h>
#include <weaklink/learning/sisso_input.h>
#include <weaklink/learning/sisso_reference_output.h>
#include <weaklink/learning/sisso_report.h>
#include <weaklink/statistics/ranks.h>

#include <mpi.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace
{
  const char *usage =
      "usage: weaklink-sisso DATA.csv --target COLUMN [options]\n"
      "       weaklink-sisso --reference-input SISSO.in [--output PREFIX] [--cv-folds K]\n"
      "       weaklink-sisso          (in a directory holding SISSO.in and train.dat)\n"
      "  Finds linear models of COLUMN in features built from the other columns\n"
      "  (header cells 'name [unit]'; a column may be named with or without its\n"
      "  unit), by sure independence screening and an exhaustive L0 search, for\n"
      "  descriptor dimensions 1..D. The second form reads the reference SISSO\n"
      "  code's SISSO.in and the train.dat next to it, and also writes that code's\n"
      "  output beside them: SISSO.out, Models/top<NNNN>_D<nnn> and\n"
      "  Models/top<NNNN>_D<nnn>_coeff. With neither a data file nor --target,\n"
      "  ./SISSO.in is read that way.\n"
      "options:\n"
      "  --features a,b,c      primary features (default: all other columns); columns\n"
      "                        equal to the target up to a linear map are left out\n"
      "  --dimension D         largest descriptor dimension (2)\n"
      "  --rung R              depth of the operator trees, 0 to 3 (2)\n"
      "  --max-complexity C    largest number of operators in a feature (no limit)\n"
      "  --operators LIST      e.g. "
      "'+,-,*,/,exp,log,^-1,^2,^3,^6,sqrt,cbrt,|-|,abs,sin,cos,exp-,scd'\n"
      "                        or '(+)(-)(*)(/)' (default +,-,*,/)\n"
      "  --subspace N[,N...]   features selected by screening per dimension (20)\n"
      "  --models K            models kept per dimension (10)\n"
      "  --metric rmse|maxae   ranking of models (rmse)\n"
      "  --no-intercept        fit without an intercept\n"
      "  --fmax-min X, --fmax-max X   discard built features whose largest magnitude is\n"
      "                        outside [X_min, X_max] (1e-3, 1e5)\n"
      "  --lenient-units       exp/log/sin/cos of dimensioned features allowed (as the\n"
      "                        reference code does); by default they need dimensionless ones\n"
      "  --cv-folds K          K-fold cross-validation chooses the dimension (0: off)\n"
      "  --output PREFIX       writes PREFIX.txt, PREFIX_models.csv, PREFIX_models.json (sisso)\n";

  std::vector<std::string> comma_list(const std::string &text)
  {
    std::vector<std::string> items;
    std::size_t              start = 0;
    while (start <= text.size())
      {
        const auto comma = std::min(text.find(',', start), text.size());
        if (comma > start)
          items.push_back(text.substr(start, comma - start));
        start = comma + 1;
      }
    return items;
  }
} // namespace

int
weaklink::sisso_main(int argc, char **argv)
{
  using namespace weaklink;
  // A lone process needs no MPI (ranks.h); under a launcher the ranks share the work.
  const bool parallel = ranks::launched_by_mpi();
  if (parallel)
    MPI_Init(&argc, &argv);
  const int rank   = ranks::this_rank(MPI_COMM_WORLD);
  int       status = 0;
  try
    {
      std::string              data_file, target, reference_input, prefix = "sisso";
      std::vector<std::string> features;
      SissoSettings            settings;
      settings.features.operators_per_rung = {parse_operators("+,-,*,/")};
      bool         have_cv                 = false;
      unsigned int cv_folds                = 0;
      for (int i = 1; i < argc; ++i)
        {
          const std::string argument = argv[i];
          const auto        value    = [&]() -> std::string {
            if (i + 1 >= argc)
              throw InputError("option " + argument + " needs a value");
            return argv[++i];
          };
          if (argument == "--help" || argument == "-h")
            {
              if (rank == 0)
                std::cout << usage;
              if (parallel)
                MPI_Finalize();
              return 0;
            }
          else if (argument == "--target")
            target = value();
          else if (argument == "--features")
            features = comma_list(value());
          else if (argument == "--reference-input")
            reference_input = value();
          else if (argument == "--dimension")
            settings.max_dimension = count_argument(argument, value(), 1);
          else if (argument == "--rung")
            settings.features.rung = count_argument(argument, value(), 0, 3);
          else if (argument == "--max-complexity")
            settings.features.max_complexity = count_argument(argument, value(), 0);
          else if (argument == "--operators")
            settings.features.operators_per_rung = {parse_operators(value())};
          else if (argument == "--subspace")
            {
              settings.n_selected.clear();
              for (const auto &size : comma_list(value()))
                settings.n_selected.push_back(count_argument(argument, size, 1));
            }
          else if (argument == "--models")
            settings.n_models = count_argument(argument, value(), 1);
          else if (argument == "--metric")
            {
              const std::string metric = value();
              if (metric == "rmse")
                settings.metric = ModelMetric::rmse;
              else if (metric == "maxae")
                settings.metric = ModelMetric::max_absolute_error;
              else
                throw InputError("--metric is 'rmse' or 'maxae', not '" + metric + "'");
            }
          else if (argument == "--no-intercept")
            settings.fit_intercept = false;
          else if (argument == "--fmax-min")
            settings.features.fmax_min = number_argument(argument, value());
          else if (argument == "--fmax-max")
            settings.features.fmax_max = number_argument(argument, value());
          else if (argument == "--lenient-units")
            settings.features.strict_transcendental_units = false;
          else if (argument == "--cv-folds")
            {
              cv_folds = count_argument(argument, value(), 0);
              have_cv  = true;
            }
          else if (argument == "--output")
            prefix = value();
          else if (!argument.empty() && argument[0] == '-')
            throw InputError("unknown option '" + argument + "' (see --help)");
          else if (data_file.empty())
            data_file = argument;
          else
            throw InputError("unexpected argument '" + argument + "' (see --help)");
        }

      // Run where the reference code would be: ./SISSO.in and ./train.dat.
      if (reference_input.empty() && data_file.empty() && target.empty())
        {
          if (!std::filesystem::exists("SISSO.in"))
            throw InputError("no data file given and no SISSO.in in this directory (run where "
                             "SISSO.in and train.dat are, or give DATA.csv --target COLUMN; see "
                             "--help)");
          reference_input = "SISSO.in";
        }

      SissoData                data;
      std::string              source;
      std::vector<std::string> notes;
      if (!reference_input.empty())
        {
          if (!data_file.empty() || !target.empty())
            throw InputError(
                "--reference-input takes its data from train.dat; give no CSV file or --target");
          auto job = read_reference_input(reference_input);
          if (rank == 0)
            for (const auto &note : job.notes)
              std::cerr << "weaklink-sisso: note: " << note << std::endl;
          data     = job.data;
          settings = job.settings;
          source   = reference_input;
          notes    = job.notes;
        }
      else
        {
          if (data_file.empty() || target.empty())
            throw InputError("expected a data file and --target COLUMN (see --help)");
          data   = read_sisso_csv(data_file, target, features);
          source = data_file;
        }
      if (rank == 0 && !data.excluded_features.empty())
        {
          std::cerr << "weaklink-sisso: note: excluded primary feature(s)";
          for (std::size_t j = 0; j < data.excluded_features.size(); ++j)
            std::cerr << (j ? ", '" : " '") << data.excluded_features[j] << "'";
          std::cerr << ": copies of the target '" << data.target_name << "' (|correlation| 1)"
                    << std::endl;
        }
      if (have_cv)
        settings.cv_folds = cv_folds;
      if (!(settings.features.fmax_min >= 0 &&
            settings.features.fmax_max > settings.features.fmax_min))
        throw InputError("fmax_min must be >= 0 and below fmax_max");

      Sisso      sisso(data, settings, MPI_COMM_WORLD);
      const auto result = sisso.run();
      if (rank == 0)
        {
          std::ofstream report(prefix + ".txt"), csv(prefix + "_models.csv"),
              json(prefix + "_models.json");
          if (!report || !csv || !json)
            throw InputError("cannot write the output files '" + prefix + ".*'");
          write_sisso_report(result, data, settings, source, report);
          write_sisso_models_csv(result, data, csv);
          write_sisso_models_json(result, data, settings, json);
          write_sisso_report(result, data, settings, source, std::cout);
          if (!reference_input.empty())
            {
              // The reference code's files, beside SISSO.in, for the scripts written for it.
              const auto slash   = reference_input.find_last_of('/');
              const auto written = write_reference_layout(
                  result, data, settings, source, notes, prefix + ".txt",
                  slash == std::string::npos ? std::string(".")
                                             : reference_input.substr(0, slash + 1));
              std::cout << "\nIn the reference code's layout:";
              for (const auto &path : written)
                std::cout << " " << path;
              std::cout << std::endl;
            }
        }
    }
  catch (const InputError &error)
    {
      if (rank == 0)
        std::cerr << "weaklink-sisso: error: " << error.what() << std::endl;
      status = 2;
    }
  catch (const std::exception &error)
    {
      if (rank == 0)
        std::cerr << "weaklink-sisso: error: " << first_line(error.what()) << std::endl;
      status = 3;
    }
  if (parallel)
    MPI_Finalize();
  return status;
}
