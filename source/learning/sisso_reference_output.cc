#include <weaklink/core/input_error.h>
#include <weaklink/learning/sisso_reference_output.h>
#include <weaklink/learning/sisso_report.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

namespace weaklink
{
  namespace
  {
    /**
     * A number as Fortran's Ew.d edit descriptor writes it (0.dddE+xx, right-justified in
     * @p width; exponents beyond 99 without the E, as Fortran does). A number wider than
     * the field is written whole, where Fortran would write asterisks.
     */
    std::string fortran_e(const double value, const int width = 20, const int digits = 10)
    {
      std::string text;
      if (std::isnan(value))
        text = "NaN";
      else if (std::isinf(value))
        text = value < 0 ? "-Infinity" : "Infinity";
      else
        {
          std::string mantissa(digits, '0');
          int         exponent = 0;
          if (value != 0)
            {
              char scientific[64];
              std::snprintf(scientific, sizeof(scientific), "%.*e", digits - 1, std::abs(value));
              // d.ddddde+xx -> the digits d ddddd, exponent xx + 1
              mantissa = std::string(1, scientific[0]) + std::string(scientific + 2, digits - 1);
              exponent = std::atoi(std::strchr(scientific, 'e') + 1) + 1;
            }
          char tail[16];
          if (std::abs(exponent) <= 99)
            std::snprintf(tail, sizeof(tail), "E%c%02d", exponent < 0 ? '-' : '+',
                          std::abs(exponent));
          else
            std::snprintf(tail, sizeof(tail), "%c%03d", exponent < 0 ? '-' : '+',
                          std::abs(exponent));
          text = std::string(std::signbit(value) && value != 0 ? "-" : "") + "0." + mantissa + tail;
        }
      return text.size() >= static_cast<std::size_t>(width)
                 ? text
                 : std::string(width - text.size(), ' ') + text;
    }

    /** Fortran's Fw.d (printf's %w.df; a number wider than the field is written whole). */
    std::string fortran_f(const double value, const int width, const int digits)
    {
      if (!std::isfinite(value))
        return fortran_e(value, width);
      char text[64];
      std::snprintf(text, sizeof(text), "%*.*f", width, digits, value);
      return text;
    }

    std::string fixed_width(const std::size_t value, const int width, const bool zero_padded)
    {
      char text[32];
      std::snprintf(text, sizeof(text), zero_padded ? "%0*zu" : "%*zu", width, value);
      return text;
    }
  } // namespace

  std::string reference_models_name(const SissoDimension &step)
  {
    return "top" + fixed_width(step.models.size(), 4, true) + "_D" +
           fixed_width(step.dimension, 3, true);
  }

  void write_reference_sisso_out(const SissoResult &result, const SissoData &data,
                                 const SissoSettings &settings, const std::string &source,
                                 const std::vector<std::string> &notes,
                                 const std::string &report_name, std::ostream &out)
  {
    const std::string rule(80, '='), thin_rule(80, '-');
    double            mean = 0, variance = 0;
    for (const double y : data.target)
      mean += y / data.target.size();
    for (const double y : data.target)
      variance += (y - mean) * (y - mean) / data.target.size();

    out << rule << "\n"
        << " weaklink-sisso: SISSO regression (Ouyang et al., Phys. Rev. Materials 2, 083802,\n"
        << " 2018), written in the layout of the reference SISSO code (v3.x).\n"
        << " The full report of this run: " << report_name << "\n"
        << rule << "\n\n"
        << "Input: " << source << " and the train.dat beside it\n"
        << "Property: " << data.target_name << ", samples: " << data.target.size()
        << ", primary features: " << data.features.size() << "\n"
        << "Primary features:";
    for (const auto &name : data.feature_names)
      out << " " << name;
    out << "\n";
    if (!data.excluded_features.empty())
      {
        out << "Left out as copies of the property (|correlation| 1):";
        for (const auto &name : data.excluded_features)
          out << " " << name;
        out << "\n";
      }
    out << "Standard deviation of the property, sqrt(sum (y - mean)^2 / n): "
        << fortran_f(std::sqrt(variance), 0, 6) << "\n"
        << "Largest descriptor dimension: " << settings.max_dimension << "\n"
        << "Rung: " << settings.features.rung
        << ", largest feature complexity: " << settings.features.max_complexity << "\n"
        << "Operators per rung:";
    for (const auto &rung : settings.features.operators_per_rung)
      {
        out << " ";
        for (const auto op : rung)
          out << "(" << operator_token(op) << ")";
      }
    out << "\n"
        << "Features kept if their largest magnitude lies in ["
        << sisso_number(settings.features.fmax_min) << ", "
        << sisso_number(settings.features.fmax_max) << "]\n"
        << "SIS subspace size per dimension:";
    for (unsigned int d = 1; d <= settings.max_dimension; ++d)
      out << " " << settings.selected_for(d);
    out << "\n"
        << "Sparsifying operator: L0, intercept: "
        << (settings.fit_intercept ? ".true." : ".false.")
        << ", metric: " << (settings.metric == ModelMetric::rmse ? "RMSE" : "MaxAE")
        << ", models kept per dimension: " << settings.n_models << "\n";
    for (const auto &note : notes)
      out << "Note: " << note << "\n";
    out << thin_rule << "\n"
        << "Feature space: " << result.n_stored << " stored features, "
        << result.last_rung_candidates << " more built during each screening pass ("
        << fortran_f(result.construction_seconds, 0, 2) << " s to build)\n";

    for (const auto &step : result.dimensions)
      {
        out << "\nDimension: " << fixed_width(step.dimension, 3, false) << "\n"
            << "-------------------\n"
            << "Candidates screened: " << step.screening.candidates << " (invalid "
            << step.screening.invalid << ", out of range " << step.screening.out_of_range
            << ", constant " << step.screening.constant << ")\n"
            << "SIS-selected features of this dimension: " << step.subspace_size
            << ", in the L0 search (dimensions 1.." << step.dimension << "): " << step.pool_size
            << "\n"
            << "Models scored: " << step.models_scored << "\n\n";
        const SissoModel &best = step.models.front();
        out << fixed_width(step.dimension, 3, false) << "D descriptor/model(y=sum(ci*di)+c0) : \n"
            << rule << "\n";
        for (std::size_t j = 0; j < best.formulas.size(); ++j)
          out << "     d" << fixed_width(j + 1, 3, true) << " = " << best.formulas[j]
              << "    feature_ID:" << fixed_width(best.subspace_ids[j], 6, true) << "\n";
        out << "\n        coeff.(ci): ";
        for (const double c : best.fit.coefficients)
          out << fortran_e(c);
        out << "\n                c0: " << fortran_e(best.fit.intercept) << "\n"
            << "    RMSE and MaxAE: " << fortran_e(best.fit.rmse)
            << fortran_e(best.fit.max_absolute_error) << "\n"
            << rule << "\n";
        if (std::isfinite(step.cv_rmse))
          out << "Cross-validated RMSE (" << settings.cv_folds
              << " folds): " << fortran_e(step.cv_rmse, 0) << "\n";
        out << "Time (second) for this dimension: screening "
            << fortran_f(step.screening_seconds, 0, 2) << ", L0 "
            << fortran_f(step.search_seconds, 0, 2) << ", refit "
            << fortran_f(step.refit_seconds, 0, 2) << "\n";
      }
    if (result.dimensions.size() < settings.max_dimension)
      out << "\nNo model beyond dimension " << result.dimensions.size()
          << ": the feature space is exhausted or every larger set is collinear.\n";
    if (settings.cv_folds > 1 && result.chosen_dimension > 0)
      out << "\nChosen dimension (smallest cross-validated RMSE): " << result.chosen_dimension
          << "\n";
    out << "\nModels of every dimension: Models/top<NNNN>_D<nnn> and its _coeff file\n";
  }

  void write_reference_top_models(const SissoDimension &step, std::ostream &out)
  {
    out << "        Rank        RMSE       MaxAE  Feature_ID\n";
    for (std::size_t rank = 0; rank < step.models.size(); ++rank)
      {
        const auto &model = step.models[rank];
        out << fixed_width(rank + 1, 12, false) << fortran_f(model.fit.rmse, 12, 6)
            << fortran_f(model.fit.max_absolute_error, 12, 6) << "  (";
        for (const auto id : model.subspace_ids)
          out << fixed_width(id, 8, false);
        out << ")\n";
      }
  }

  void write_reference_top_coefficients(const SissoDimension &step, std::ostream &out)
  {
    out << "Model_ID, [(c_i,i=0,n)_j,j=1,ntask]\n";
    for (std::size_t rank = 0; rank < step.models.size(); ++rank)
      {
        const auto &model = step.models[rank];
        out << fixed_width(rank + 1, 12, false) << fortran_e(model.fit.intercept);
        for (const double c : model.fit.coefficients)
          out << fortran_e(c);
        out << "\n";
      }
  }

  std::vector<std::string> write_reference_layout(const SissoResult &result, const SissoData &data,
                                                  const SissoSettings            &settings,
                                                  const std::string              &source,
                                                  const std::vector<std::string> &notes,
                                                  const std::string              &report_name,
                                                  const std::string              &directory)
  {
    namespace fs           = std::filesystem;
    const fs::path  base   = directory.empty() ? fs::path(".") : fs::path(directory);
    const fs::path  models = base / "Models";
    std::error_code error;
    fs::create_directories(models, error);
    if (error || !fs::is_directory(models))
      throw InputError("cannot create the directory '" + models.string() + "'");
    // Model files of an earlier run (another nmodel or desc_dim) would be read as this one's.
    static const std::regex ours("top[0-9]{4,}_D[0-9]{3,}(_coeff)?");
    for (const auto &entry : fs::directory_iterator(models, error))
      if (entry.is_regular_file(error) && std::regex_match(entry.path().filename().string(), ours))
        fs::remove(entry.path(), error);

    std::vector<std::string> written;
    const auto               write = [&](const fs::path &path, const auto &content) {
      std::ofstream out(path);
      if (!out)
        throw InputError("cannot write '" + path.string() + "'");
      content(out);
      out.close();
      if (!out)
        throw InputError("cannot write '" + path.string() + "'");
      written.push_back(path.string());
    };
    write(base / "SISSO.out", [&](std::ostream &out) {
      write_reference_sisso_out(result, data, settings, source, notes, report_name, out);
    });
    for (const auto &step : result.dimensions)
      {
        const std::string name = reference_models_name(step);
        write(models / name, [&](std::ostream &out) { write_reference_top_models(step, out); });
        write(models / (name + "_coeff"),
              [&](std::ostream &out) { write_reference_top_coefficients(step, out); });
      }
    return written;
  }
} // namespace weaklink
