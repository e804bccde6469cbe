// weaklink-analyze: the statistics of a study's table (weaklink-ensemble).
#include <weaklink/analysis/ensemble_table.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/png_image.h>
#include <weaklink/learning/feature_operator.h>
#include <weaklink/learning/sisso.h>
#include <weaklink/learning/sisso_report.h>
#include <weaklink/statistics/weibull_report.h>

#include <deal.II/base/mpi.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

namespace
{
  const char *usage =
      "usage: [mpirun -np P] weaklink-analyze table.csv [--value COLUMN] [--confidence C]\n"
      "                        [--dimension D] [--no-sisso] [--output PREFIX]\n"
      "  Analyses the table of a study (weaklink-ensemble): per class, the Weibull law\n"
      "  of the CCD (CCD-ramp studies) or the lifetime, or of --value COLUMN, with\n"
      "  right-censoring of the samples that did not short (ASTM C1239: unbiased\n"
      "  modulus, C-confidence bounds, default 0.9; AIC against lognormal and Gumbel)\n"
      "  and a probability plot; then SISSO of ln(value) of the samples that shorted\n"
      "  against the defect-network descriptors, dimensions 1..D (default 2).\n"
      "  Writes PREFIX.txt (report), PREFIX_classes.csv (one row per class) and\n"
      "  PREFIX_weibull_cNN.svg/.png; PREFIX defaults to 'analysis' beside the table.\n"
      "  Failed samples are counted and left out.\n";

  std::string csv_text(const std::string &text)
  {
    return text.find_first_of(",\"") == std::string::npos ? text : "\"" + text + "\"";
  }
} // namespace

int
main(int argc, char **argv)
{
  using namespace weaklink;
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  try
    {
      std::string  table_file, value, prefix;
      double       confidence = 0.9;
      unsigned int dimension  = 2;
      bool         with_sisso = true;
      for (int i = 1; i < argc; ++i)
        {
          const std::string argument = argv[i];
          const auto        next     = [&]() -> std::string {
            if (i + 1 >= argc)
              throw InputError("option " + argument + " needs a value");
            return argv[++i];
          };
          if (argument == "--help" || argument == "-h")
            {
              if (root)
                std::cout << usage;
              return 0;
            }
          else if (argument == "--value")
            value = next();
          else if (argument == "--output")
            prefix = next();
          else if (argument == "--no-sisso")
            with_sisso = false;
          else if (argument == "--confidence" || argument == "--dimension")
            {
              const std::string text = next();
              std::size_t       used = 0;
              double            x    = -1;
              try
                {
                  x = std::stod(text, &used);
                }
              catch (const std::exception &)
                {
                }
              if (used != text.size())
                x = -1;
              if (argument == "--confidence")
                {
                  if (!(x > 0 && x < 1))
                    throw InputError("--confidence must lie strictly between 0 and 1, not '" +
                                     text + "'");
                  confidence = x;
                }
              else
                {
                  if (!(x >= 1 && x <= 4 && x == std::floor(x)))
                    throw InputError("--dimension is 1, 2, 3 or 4, not '" + text + "'");
                  dimension = static_cast<unsigned int>(x);
                }
            }
          else if (!argument.empty() && argument[0] == '-')
            throw InputError("unknown option '" + argument + "' (see --help)");
          else if (table_file.empty())
            table_file = argument;
          else
            throw InputError("more than one table: '" + table_file + "' and '" + argument + "'");
        }
      if (table_file.empty())
        throw InputError("no table given (see --help)");
      if (prefix.empty())
        prefix = (std::filesystem::path(table_file).parent_path() / "analysis").string();

      const EnsembleTable table(table_file, value);
      std::ostringstream  report;
      std::ostringstream  classes_csv;
      report << "weaklink-analyze: " << table_file << ", " << table.table().n_rows()
             << " samples in " << table.classes().size() << " classes (" << table.n_failed()
             << " failed, left out); quantity '" << table.value_name()
             << "', right-censored where the sample did not short; confidence " << confidence
             << "\n\n";
      classes_csv << "class,label,samples,shorted,censored,failed,modulus,modulus_lower,"
                     "modulus_upper,characteristic,characteristic_lower,characteristic_upper,"
                     "median,best_fit\n";
      report << std::left << std::setw(6) << "class" << std::setw(44) << "parameters" << std::right
             << std::setw(5) << "n" << std::setw(8) << "shorted" << std::setw(7) << "failed"
             << std::setw(26) << "m unbiased [bounds]" << std::setw(30) << "x0 [bounds]"
             << std::setw(10) << "median"
             << "  best (AIC)\n";
      std::vector<std::pair<std::string, WeibullReport>> fits;
      for (const auto &sample_class : table.classes())
        {
          const FailureData            data     = table.failure_data(sample_class);
          const std::size_t            failures = data.n_failures();
          std::optional<WeibullReport> fit;
          std::string                  note;
          try
            {
              data.check();
              fit = analyse_weibull(data, confidence);
            }
          catch (const InputError &error)
            {
              note = error.what();
            }
          std::ostringstream row;
          row.precision(4);
          row << std::left << std::setw(6) << sample_class.index << std::setw(44)
              << sample_class.label.substr(0, 43) << std::right << std::setw(5)
              << data.values.size() << std::setw(8) << failures << std::setw(7)
              << sample_class.failed;
          classes_csv << sample_class.index << "," << csv_text(sample_class.label) << ","
                      << data.values.size() << "," << failures << ","
                      << data.values.size() - failures << "," << sample_class.failed;
          if (fit)
            {
              const auto  &interval = fit->interval;
              const double median =
                  fit->fit.characteristic * std::pow(std::log(2.0), 1 / fit->fit.modulus);
              std::ostringstream m, x0;
              m.precision(3);
              x0.precision(3);
              m << interval.unbiased_modulus << " [" << interval.modulus_lower << ", "
                << interval.modulus_upper << "]";
              x0 << fit->fit.characteristic << " [" << interval.characteristic_lower << ", "
                 << interval.characteristic_upper << "]";
              row << std::setw(26) << m.str() << std::setw(30) << x0.str() << std::setw(10)
                  << median << "  " << fit->ranking.front().name;
              classes_csv << std::setprecision(8) << "," << interval.unbiased_modulus << ","
                          << interval.modulus_lower << "," << interval.modulus_upper << ","
                          << fit->fit.characteristic << "," << interval.characteristic_lower << ","
                          << interval.characteristic_upper << "," << median << ","
                          << fit->ranking.front().name << "\n";
              fits.emplace_back("class " + std::to_string(sample_class.index) + " (" +
                                    sample_class.label + ")",
                                *fit);
              char name[32];
              std::snprintf(name, sizeof(name), "_weibull_c%02u", sample_class.index);
              if (root)
                {
                  {
                    std::ofstream svg(prefix + name + ".svg");
                    if (!svg)
                      throw InputError("cannot write '" + prefix + name + ".svg'");
                    write_probability_plot_svg(*fit, table.value_name(), svg);
                  }
                  if (!render_svg_as_png(prefix + name + ".svg", prefix + name + ".png"))
                    std::cerr << "weaklink-analyze: warning: rsvg-convert (package "
                                 "librsvg2-bin) did not write "
                              << prefix + name << ".png" << std::endl;
                }
            }
          else
            {
              row << "  not fitted: " << note;
              classes_csv << ",nan,nan,nan,nan,nan,nan,nan,\n";
            }
          report << row.str() << "\n";
        }
      for (const auto &[title, fit] : fits)
        {
          report << "\n";
          write_report(fit, title + ", '" + table.value_name() + "'", report);
        }

      if (with_sisso)
        {
          report << "\nSISSO: ln of '" << table.value_name()
                 << "' of the samples that shorted against the defect-network descriptors\n";
          try
            {
              const SissoData data = table.descriptor_data();
              SissoSettings   settings;
              settings.max_dimension               = dimension;
              settings.features.operators_per_rung = {parse_operators("+,-,*,/")};
              Sisso      sisso(data, settings, MPI_COMM_WORLD);
              const auto result = sisso.run();
              write_sisso_report(result, data, settings, table_file, report);
            }
          catch (const InputError &error)
            {
              report << "not run: " << error.what() << "\n";
            }
        }

      if (root)
        {
          std::ofstream text(prefix + ".txt"), csv(prefix + "_classes.csv");
          if (!text || !csv)
            throw InputError("cannot write '" + prefix + ".txt'");
          text << report.str();
          csv << classes_csv.str();
          std::cout << report.str() << "\nweaklink-analyze: " << prefix << ".txt, " << prefix
                    << "_classes.csv and " << fits.size() << " probability plots " << prefix
                    << "_weibull_cNN.svg/.png" << std::endl;
        }
      return 0;
    }
  catch (const InputError &error)
    {
      if (root)
        std::cerr << "weaklink-analyze: error: " << error.what() << std::endl;
      return 2;
    }
  catch (const std::exception &error)
    {
      if (root)
        std::cerr << "weaklink-analyze: error: " << first_line(error.what()) << std::endl;
      return 1;
    }
}
