// weaklink-weibull: Weibull analysis (ASTM C1239) of one column of a CSV table.
#include <weaklink/app/tool_mains.h>
#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/png_image.h>
#include <weaklink/core/progress_line.h>
#include <weaklink/statistics/competing_distributions.h>
#include <weaklink/statistics/csv_table.h>
#include <weaklink/statistics/weibull.h>
#include <weaklink/statistics/weibull_report.h>

#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

namespace
{
  const char *usage =
      "usage: weaklink-weibull DATA.csv COLUMN [--censored COLUMN] [--confidence C]\n"
      "                        [--output PREFIX] [--progress SECONDS]\n"
      "  Fits a two-parameter Weibull law by maximum likelihood to COLUMN of DATA.csv\n"
      "  (rows whose --censored column is non-zero are runs that did not fail), with\n"
      "  the ASTM C1239 unbiased modulus and C-confidence bounds (default 0.9), an\n"
      "  Anderson-Darling statistic and an AIC comparison with lognormal and Gumbel.\n"
      "  Writes PREFIX.txt (report), PREFIX.svg and PREFIX.png (probability plot;\n"
      "  the PNG through rsvg-convert) and PREFIX_plot.csv (plot data); PREFIX\n"
      "  defaults to 'weibull'. Columns are named with or without the unit of their\n"
      "  header cell ('ccd [mA/cm^2]' or 'ccd'); only COLUMN and the --censored column\n"
      "  must hold numbers. The Monte Carlo bounds take about a minute for 20 000 values;\n"
      "  a progress line goes to stderr every SECONDS (default 5; 0: none).\n";
} // namespace

int
weaklink::weibull_main(int argc, char **argv)
{
  using namespace weaklink;
  try
    {
      std::vector<std::string> positional;
      std::string              censored_column, prefix = "weibull";
      double                   confidence = 0.9, progress_seconds = 5;
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
              std::cout << usage;
              return 0;
            }
          else if (argument == "--censored")
            censored_column = value();
          else if (argument == "--output")
            prefix = value();
          else if (argument == "--confidence")
            confidence = number_argument(argument, value(), "a number strictly between 0 and 1",
                                         [](const double c) { return c > 0 && c < 1; });
          else if (argument == "--progress")
            progress_seconds = number_argument(argument, value(), "a number of seconds >= 0",
                                               [](const double s) { return s >= 0; });
          else if (!argument.empty() && argument[0] == '-')
            throw InputError("unknown option '" + argument + "' (see --help)");
          else
            positional.push_back(argument);
        }
      if (positional.size() != 2)
        throw InputError("expected a data file and a column name (see --help)");

      // Columns are named with or without their unit ("ccd [mA/cm^2]" or "ccd").
      const CsvTable    table  = CsvTable::read(positional[0]);
      const std::size_t column = table.find(positional[1]);
      const std::string label  = table.names()[column];
      FailureData       data;
      data.values = table.column(column);
      if (!censored_column.empty())
        {
          const std::size_t censored = table.find(censored_column);
          if (censored == column)
            throw InputError("--censored names the analysed column '" + label + "' itself");
          for (const double flag : table.column(censored))
            data.censored.push_back(flag != 0);
        }
      data.check();

      // A line every progress_seconds while the Monte Carlo pivots run, with the time left.
      ProgressLine progress_line("weaklink-weibull", progress_seconds);
      const auto   progress = [&](const std::size_t done, const std::size_t total) {
        progress_line.report("Monte Carlo pivots", done, total);
      };
      const WeibullReport report = analyse_weibull(data, confidence, progress);
      for (const auto &fit : report.ranking)
        if (!fit.finite())
          std::cerr << "weaklink-weibull: warning: the " << fit.name
                    << " fit found no finite maximum-likelihood parameters; it is left out of the "
                       "model comparison"
                    << std::endl;
      std::ofstream text(prefix + ".txt"), svg(prefix + ".svg"), plot(prefix + "_plot.csv");
      if (!text || !svg || !plot)
        throw InputError("cannot write the output files '" + prefix + ".*'");
      write_report(report, positional[0] + ", column '" + label + "'", text);
      write_probability_plot_svg(report, label, svg);
      write_probability_plot_csv(report, plot);
      svg.close();
      if (!render_svg_as_png(prefix + ".svg", prefix + ".png"))
        std::cerr << "weaklink-weibull: warning: rsvg-convert (package librsvg2-bin) did not "
                     "write "
                  << prefix << ".png" << std::endl;
      write_report(report, positional[0] + ", column '" + label + "'", std::cout);
      return 0;
    }
  catch (const InputError &error)
    {
      std::cerr << "weaklink-weibull: error: " << error.what() << std::endl;
      return 2;
    }
  catch (const std::exception &error)
    {
      std::cerr << "weaklink-weibull: error: " << first_line(error.what()) << std::endl;
      return 3;
    }
}
