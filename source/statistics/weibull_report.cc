#include <weaklink/output/plot_ticks.h>
#include <weaklink/statistics/weibull_report.h>

#include <algorithm>
#include <cmath>
#include <iomanip>

namespace weaklink
{
  WeibullReport analyse_weibull(const FailureData &data, const double confidence,
                                const Progress &progress)
  {
    WeibullReport report;
    report.data                = data;
    report.fit                 = fit_weibull(data);
    report.pivots              = weibull_pivots(data.values.size(), data.n_failures(), confidence,
                                                pivot_replications, pivot_seed, progress);
    report.interval            = weibull_interval(report.fit, report.pivots);
    report.anderson_darling_a2 = anderson_darling(data, report.fit);
    report.plot                = probability_plot(data);
    report.ranking             = compare_distributions(data);
    return report;
  }

  void write_report(const WeibullReport &r, const std::string &title, std::ostream &out)
  {
    const auto percent = static_cast<int>(std::lround(100 * r.pivots.confidence));
    out << std::setprecision(6) << "Weibull analysis (ASTM C1239) of " << title << "\n"
        << "  observations " << r.data.values.size() << ", failures " << r.data.n_failures()
        << ", censored " << r.data.values.size() - r.data.n_failures() << "\n"
        << "  maximum-likelihood modulus m        " << r.fit.modulus << "\n"
        << "  unbiasing factor UF                 " << r.pivots.unbiasing_factor << "\n"
        << "  unbiased modulus UF*m               " << r.interval.unbiased_modulus << "\n"
        << "  " << percent << "% bounds on m                  [" << r.interval.modulus_lower << ", "
        << r.interval.modulus_upper << "]\n"
        << "  characteristic value x0             " << r.fit.characteristic << "\n"
        << "  " << percent << "% bounds on x0                 [" << r.interval.characteristic_lower
        << ", " << r.interval.characteristic_upper << "]\n"
        << "  Anderson-Darling A2                 "
        << (std::isnan(r.anderson_darling_a2) ? std::string("(complete samples only)")
                                              : std::to_string(r.anderson_darling_a2))
        << "\n"
        << "  unbiasing factor and bounds from " << r.pivots.replications
        << " Monte Carlo samples of the pivotal quantities (type II censoring)\n"
        << "  model comparison (lower AIC is better):\n";
    for (const auto &fit : r.ranking)
      if (fit.finite())
        out << "    " << std::setw(10) << fit.name << "  AIC " << std::setw(12) << fit.aic
            << "  ln L " << std::setw(12) << fit.log_likelihood << "  parameters " << fit.first
            << ", " << fit.second << "\n";
      else
        out << "    " << std::setw(10) << fit.name
            << "  failed: no finite maximum-likelihood fit (not ranked)\n";
  }

  void write_probability_plot_csv(const WeibullReport &r, std::ostream &out)
  {
    out << "value,failure_probability,ln_value,ln_ln_one_over_survival\n" << std::setprecision(12);
    for (const auto &p : r.plot)
      out << p.value << ',' << p.probability << ',' << std::log(p.value) << ','
          << std::log(-std::log1p(-p.probability)) << '\n';
  }

  void write_probability_plot_svg(const WeibullReport &r, const std::string &quantity,
                                  std::ostream &out)
  {
    const double width = 640, height = 480, left = 80, right = 20, top = 30, bottom = 60;
    double       x_low = 1e300, x_high = -1e300;
    for (const double v : r.data.values)
      x_low = std::min(x_low, std::log(v)), x_high = std::max(x_high, std::log(v));
    const double pad = 0.1 * std::max(x_high - x_low, 1e-3);
    x_low -= pad, x_high += pad;
    const double y_low = std::log(-std::log1p(-0.005)), y_high = std::log(-std::log1p(-0.995));
    const auto   sx = [&](double x) {
      return left + (x - x_low) / (x_high - x_low) * (width - left - right);
    };
    const auto sy = [&](double y) {
      return height - bottom - (y - y_low) / (y_high - y_low) * (height - top - bottom);
    };

    out << std::setprecision(6) << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
        << "\" height=\"" << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << width - left - right
        << "\" height=\"" << height - top - bottom << "\" fill=\"none\" stroke=\"black\"/>\n";
    for (const double p : {0.01, 0.05, 0.1, 0.2, 0.5, 0.632, 0.9, 0.99})
      {
        const double y = sy(std::log(-std::log1p(-p)));
        out << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y << "\" y2=\""
            << y << "\" stroke=\"#ddd\"/>\n<text x=\"" << left - 6 << "\" y=\"" << y + 4
            << "\" text-anchor=\"end\">" << p << "</text>\n";
      }
    const std::vector<double> ticks = logarithmic_ticks(std::exp(x_low), std::exp(x_high));
    for (const double value : ticks)
      {
        const double x = sx(std::log(value));
        out << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << top << "\" y2=\""
            << height - bottom << "\" stroke=\"#ddd\"/>\n<text x=\"" << x << "\" y=\""
            << height - bottom + 18 << "\" text-anchor=\"middle\">" << value << "</text>\n";
      }
    // The fitted law is a straight line: ln ln 1/(1-F) = m (ln x - ln x0).
    const auto line_y = [&](double lx) {
      return r.fit.modulus * (lx - std::log(r.fit.characteristic));
    };
    out << "<clipPath id=\"frame\"><rect x=\"" << left << "\" y=\"" << top << "\" width=\""
        << width - left - right << "\" height=\"" << height - top - bottom << "\"/></clipPath>\n";
    // The confidence band of the line: the bounds on x_p at each probability, as one polygon.
    const auto band = weibull_quantile_band(r.fit, r.pivots);
    if (!band.empty())
      {
        out << "<polygon clip-path=\"url(#frame)\" fill=\"#c33\" fill-opacity=\"0.15\" "
               "stroke=\"none\" points=\"";
        for (const auto &b : band)
          out << sx(std::log(b.lower)) << "," << sy(std::log(-std::log1p(-b.probability))) << " ";
        for (auto b = band.rbegin(); b != band.rend(); ++b)
          out << sx(std::log(b->upper)) << "," << sy(std::log(-std::log1p(-b->probability))) << " ";
        out << "\"/>\n";
      }
    out << "<line clip-path=\"url(#frame)\" x1=\"" << sx(x_low) << "\" y1=\"" << sy(line_y(x_low))
        << "\" x2=\"" << sx(x_high) << "\" y2=\"" << sy(line_y(x_high))
        << "\" stroke=\"#c33\" stroke-width=\"1.5\"/>\n";
    for (const auto &p : r.plot)
      out << "<circle cx=\"" << sx(std::log(p.value)) << "\" cy=\""
          << sy(std::log(-std::log1p(-p.probability))) << "\" r=\"3.5\" fill=\"#236\"/>\n";
    out << "<text x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 15
        << "\" text-anchor=\"middle\">" << quantity << " (log scale)</text>\n"
        << "<text transform=\"translate(18," << (top + height - bottom) / 2
        << ") rotate(-90)\" text-anchor=\"middle\">failure probability</text>\n"
        << "<text x=\"" << left << "\" y=\"" << top - 10 << "\">Weibull m = " << r.fit.modulus
        << " (unbiased " << r.interval.unbiased_modulus << "), x0 = " << r.fit.characteristic
        << "; shaded: " << std::lround(100 * r.pivots.confidence) << " % band</text>\n</svg>\n";
  }
} // namespace weaklink
