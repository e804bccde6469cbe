// weaklink-analyze: the statistics of a study's table (weaklink-ensemble).
#include <weaklink/analysis/dominance_map.h>
#include <weaklink/analysis/ensemble_table.h>
#include <weaklink/app/tool_mains.h>
#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/png_image.h>
#include <weaklink/core/progress_line.h>
#include <weaklink/learning/feature_operator.h>
#include <weaklink/learning/sisso.h>
#include <weaklink/learning/sisso_report.h>
#include <weaklink/statistics/sensitivity.h>
#include <weaklink/statistics/weibull_report.h>

#include <deal.II/base/mpi.h>

#include <chrono>
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
      "          [--dimension D] [--no-sisso] [--bootstrap B] [--no-sensitivity]\n"
      "          [--sensitivity-inputs A,B,...] [--no-map] [--map-axes X,Y] [--output PREFIX]\n"
      "          [--progress SECONDS]\n"
      "  Analyses the table of a study (weaklink-ensemble): per class, the Weibull law\n"
      "  of the CCD (CCD-ramp studies) or the lifetime, or of --value COLUMN, with\n"
      "  right-censoring of the samples that did not short (ASTM C1239: unbiased\n"
      "  modulus, C-confidence bounds, default 0.9; AIC against lognormal and Gumbel)\n"
      "  and a probability plot; then SISSO of ln(value) of the samples that shorted\n"
      "  against the defect-network descriptors, dimensions 1..D (default 2).\n"
      "  Sensitivity of ln(value) of the samples that shorted: standardized\n"
      "  regression effects and Sobol indices (first, second, total; polynomial chaos\n"
      "  surrogate) with C bootstrap intervals from B replicates (default 200), over\n"
      "  the numeric class parameters and over porosity and the three descriptors\n"
      "  most correlated with ln(value) (or the columns of --sensitivity-inputs).\n"
      "  The dominance map over two numeric class parameters (porosity across;\n"
      "  --map-axes names them): median per class, which factor dominates, the\n"
      "  boundary of equal standardized effects with its bootstrap band, and Λ = 1.\n"
      "  Writes PREFIX.txt (report), PREFIX_classes.csv (one row per class),\n"
      "  PREFIX_weibull_cNN.svg/.png and PREFIX_dominance_map.svg/.png; PREFIX\n"
      "  defaults to 'analysis' beside the table. Failed samples are left out.\n"
      "  A progress line (the step under way, time spent) goes to stderr every\n"
      "  SECONDS (default 5; 0: none).\n";

  std::vector<std::string> split_list(const std::string &text)
  {
    std::vector<std::string> items;
    std::stringstream        stream(text);
    for (std::string item; std::getline(stream, item, ',');)
      {
        const auto first = item.find_first_not_of(' '), last = item.find_last_not_of(' ');
        if (first != std::string::npos)
          items.push_back(item.substr(first, last - first + 1));
      }
    return items;
  }

  double correlation(const std::vector<double> &a, const std::vector<double> &b)
  {
    const double n  = a.size();
    double       ma = 0, mb = 0, ab = 0, aa = 0, bb = 0;
    for (std::size_t k = 0; k < a.size(); ++k)
      ma += a[k] / n, mb += b[k] / n;
    for (std::size_t k = 0; k < a.size(); ++k)
      {
        ab += (a[k] - ma) * (b[k] - mb);
        aa += (a[k] - ma) * (a[k] - ma);
        bb += (b[k] - mb) * (b[k] - mb);
      }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
  }

  std::string csv_text(const std::string &text)
  {
    return text.find_first_of(",\"") == std::string::npos ? text : "\"" + text + "\"";
  }
} // namespace

int
weaklink::analyze_main(int argc, char **argv)
{
  using namespace weaklink;
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  try
    {
      std::string              table_file, value, prefix;
      double                   confidence = 0.9, progress_seconds = 5;
      unsigned int             dimension = 2, bootstrap = 200;
      bool                     with_sisso = true, with_sensitivity = true, with_map = true;
      std::vector<std::string> sensitivity_inputs, map_axes;
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
          else if (argument == "--no-sensitivity")
            with_sensitivity = false;
          else if (argument == "--no-map")
            with_map = false;
          else if (argument == "--sensitivity-inputs")
            {
              sensitivity_inputs = split_list(next());
              if (sensitivity_inputs.empty())
                throw InputError("--sensitivity-inputs needs at least one column");
            }
          else if (argument == "--map-axes")
            {
              map_axes = split_list(next());
              if (map_axes.size() != 2)
                throw InputError("--map-axes needs two class parameters, 'X,Y'");
            }
          else if (argument == "--progress")
            progress_seconds = number_argument(argument, next(), "a number of seconds >= 0",
                                               [](const double x) { return x >= 0; });
          else if (argument == "--confidence" || argument == "--dimension" ||
                   argument == "--bootstrap")
            {
              const std::string text = next();
              if (argument == "--confidence")
                confidence = number_argument(argument, text, "a number strictly between 0 and 1",
                                             [](const double x) { return x > 0 && x < 1; });
              else if (argument == "--bootstrap")
                bootstrap = count_argument(argument, text, 20, 100000);
              else
                dimension = count_argument(argument, text, 1, 4);
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

      // A line on stderr every progress_seconds: what is under way and the time spent.
      ProgressLine progress_line("weaklink-analyze", root ? progress_seconds : 0.0);

      const EnsembleTable table(table_file, value);
      // Columns named on the command line are checked before anything is written.
      for (const auto &name : sensitivity_inputs)
        table.table().find(name);
      DominanceMapSettings map_settings;
      map_settings.confidence        = confidence;
      map_settings.bootstrap_samples = bootstrap;
      if (!map_axes.empty())
        {
          map_settings.x_column = map_axes[0];
          map_settings.y_column = map_axes[1];
          dominance_map_axes(table, map_settings);
        }
      std::ostringstream report;
      std::ostringstream classes_csv;
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
      unsigned int                                       classes_begun = 0;
      for (const auto &sample_class : table.classes())
        {
          const FailureData            data     = table.failure_data(sample_class);
          const std::size_t            failures = data.n_failures();
          std::optional<WeibullReport> fit;
          std::string                  note;
          try
            {
              data.check();
              const std::string of_class = "Weibull fit " + std::to_string(++classes_begun) +
                                           " of " + std::to_string(table.classes().size()) + " (" +
                                           sample_class.label + ")";
              fit = analyse_weibull(
                  data, confidence, [&](const std::size_t done, const std::size_t total) {
                    progress_line.report(of_class + ": Monte Carlo pivots", done, total);
                  });
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
          progress_line.report("SISSO of ln(" + table.value_name() + "), dimensions 1 to " +
                               std::to_string(dimension));
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

      if (with_sensitivity)
        {
          progress_line.report("sensitivity of ln(" + table.value_name() + "), " +
                               std::to_string(bootstrap) + " bootstrap replicates");
          SensitivitySettings settings;
          settings.confidence        = confidence;
          settings.bootstrap_samples = bootstrap;
          const auto rows            = table.shorted_rows();
          const auto response        = table.log_values(rows);
          const auto analyse         = [&](const std::vector<std::string>         &names,
                                   const std::vector<std::vector<double>> &inputs,
                                   const std::string                      &title) {
            report << "\n";
            try
              {
                write_report(analyse_sensitivity(names, inputs, response, settings, MPI_COMM_WORLD),
                                     title, confidence, report);
              }
            catch (const InputError &error)
              {
                report << title << ": not run: " << error.what() << "\n";
              }
          };
          const CsvTable &csv       = table.table();
          const auto      values_at = [&](const std::size_t c) {
            std::vector<double> values;
            for (const auto r : rows)
              values.push_back(csv.number(r, c));
            return values;
          };
          const std::string subject =
              "Sensitivity of ln '" + table.value_name() + "' (samples that shorted) ";

          std::vector<std::string>         names;
          std::vector<std::vector<double>> inputs;
          for (const auto c : table.class_parameter_columns())
            if (csv.is_numeric(c))
              {
                const auto values = values_at(c);
                if (*std::min_element(values.begin(), values.end()) <
                    *std::max_element(values.begin(), values.end()))
                  {
                    names.push_back(csv.column_name(c));
                    inputs.push_back(values);
                  }
              }
          if (!names.empty())
            analyse(names, inputs, subject + "to the class parameters");

          names.clear();
          inputs.clear();
          if (!sensitivity_inputs.empty())
            for (const auto &name : sensitivity_inputs)
              {
                const std::size_t c = csv.find(name);
                names.push_back(csv.column_name(c));
                inputs.push_back(values_at(c));
              }
          else
            try
              {
                // Porosity against the descriptors that go most with ln(value) and are not
                // porosity in disguise.
                const SissoData     data          = table.descriptor_data();
                const auto         &porosity_name = "porosity";
                std::vector<double> porosity;
                for (std::size_t f = 0; f < data.features.size(); ++f)
                  if (data.feature_names[f] == porosity_name)
                    {
                      porosity = data.features[f];
                      names.push_back(porosity_name);
                      inputs.push_back(porosity);
                    }
                std::vector<std::pair<double, std::size_t>> ranked;
                for (std::size_t f = 0; f < data.features.size(); ++f)
                  if (data.feature_names[f] != porosity_name &&
                      (porosity.empty() || std::abs(correlation(porosity, data.features[f])) < 0.9))
                    ranked.emplace_back(-std::abs(correlation(data.features[f], data.target)), f);
                std::sort(ranked.begin(), ranked.end());
                for (std::size_t k = 0; k < std::min<std::size_t>(3, ranked.size()); ++k)
                  {
                    names.push_back(data.feature_names[ranked[k].second]);
                    inputs.push_back(data.features[ranked[k].second]);
                  }
              }
            catch (const InputError &error)
              {
                report << "\n"
                       << subject << "to the descriptors: not run: " << error.what() << "\n";
              }
          if (!names.empty())
            analyse(names, inputs,
                    subject + "to " +
                        (sensitivity_inputs.empty()
                             ? "porosity and the descriptors most correlated with ln(value)"
                             : "the columns asked for") +
                        " (Sobol indices as if the inputs were independent)");
        }

      std::string map_files;
      if (with_map)
        {
          progress_line.report("dominance map, " + std::to_string(bootstrap) +
                               " bootstrap replicates");
          report << "\n";
          try
            {
              const DominanceMap map = compute_dominance_map(table, map_settings, MPI_COMM_WORLD);
              write_dominance_map_report(map, report);
              if (root)
                {
                  {
                    std::ofstream svg(prefix + "_dominance_map.svg");
                    if (!svg)
                      throw InputError("cannot write '" + prefix + "_dominance_map.svg'");
                    write_dominance_map_svg(map, svg);
                  }
                  if (!render_svg_as_png(prefix + "_dominance_map.svg",
                                         prefix + "_dominance_map.png"))
                    std::cerr << "weaklink-analyze: warning: rsvg-convert (package "
                                 "librsvg2-bin) did not write "
                              << prefix << "_dominance_map.png" << std::endl;
                }
              map_files = ", " + prefix + "_dominance_map.svg/.png";
            }
          catch (const InputError &error)
            {
              report << "Not drawn: " << error.what() << "\n";
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
                    << "_classes.csv, " << fits.size() << " probability plots " << prefix
                    << "_weibull_cNN.svg/.png" << map_files << std::endl;
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
      return 3;
    }
}
