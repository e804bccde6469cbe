#include <weaklink/core/json.h>
#include <weaklink/learning/sisso_report.h>

#include <cmath>
#include <cstdio>

namespace weaklink
{
  std::string sisso_number(const double value)
  {
    if (!std::isfinite(value))
      return "nan";
    char text[32];
    std::snprintf(text, sizeof(text), "%.10g", value);
    return text;
  }

  namespace
  {
    std::string json_number(const double value)
    {
      return std::isfinite(value) ? sisso_number(value) : "null";
    }

    std::string csv_cell(const std::string &text)
    {
      if (text.find_first_of(",\"") == std::string::npos)
        return text;
      std::string quoted = "\"";
      for (const char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted + "\"";
    }

    std::string model_formula(const SissoModel &model, const SissoData &data)
    {
      std::string text = data.target_name + " = " + sisso_number(model.fit.intercept);
      for (std::size_t j = 0; j < model.formulas.size(); ++j)
        {
          const double c = model.fit.coefficients[j];
          text += (c < 0 ? " - " : " + ") + sisso_number(std::abs(c)) + " * " + model.formulas[j];
        }
      return text;
    }
  } // namespace

  void write_sisso_report(const SissoResult &result, const SissoData &data,
                          const SissoSettings &settings, const std::string &source,
                          std::ostream &out)
  {
    out << "SISSO regression of '" << data.target_name << "' [" << data.target_unit.to_string()
        << "] from " << source << "\n"
        << "samples " << data.target.size() << ", primary features " << data.features.size()
        << ", ranks " << result.n_ranks << "\n";
    if (!data.excluded_features.empty())
      {
        out << "excluded as copies of the target (|correlation| 1):";
        for (const auto &name : data.excluded_features)
          out << " '" << name << "'";
        out << "\n";
      }
    out << "rung " << settings.features.rung << ", max complexity "
        << settings.features.max_complexity << ", operators";
    for (const auto &rung : settings.features.operators_per_rung)
      {
        out << " ";
        for (const auto op : rung)
          out << "(" << operator_token(op) << ")";
      }
    out << "\nintercept " << (settings.fit_intercept ? "yes" : "no") << ", metric "
        << (settings.metric == ModelMetric::rmse ? "RMSE" : "MaxAE") << ", kept models "
        << settings.n_models << "\n\nFeature space\n";
    for (std::size_t rung = 0; rung < result.stored_rung_counts.size(); ++rung)
      {
        const auto &c = result.stored_rung_counts[rung];
        out << "  rung " << rung << " (stored): built " << c.built << ", kept " << c.kept
            << ", invalid " << c.invalid << ", out of range " << c.out_of_range << ", constant "
            << c.constant << ", duplicate " << c.duplicate << "\n";
      }
    out << "  stored features " << result.n_stored << " (values kept for " << result.n_kept_values
        << ", the others recomputed when needed)"
        << "; last rung built on the fly: " << result.last_rung_candidates
        << " candidates per screening pass\n"
        << "  construction " << sisso_number(result.construction_seconds) << " s\n";
    for (const auto &step : result.dimensions)
      {
        out << "\nDimension " << step.dimension << ": screened " << step.screening.candidates
            << " (invalid " << step.screening.invalid << ", out of range "
            << step.screening.out_of_range << ", constant " << step.screening.constant
            << "), subspace " << step.subspace_size << ", pool " << step.pool_size
            << ", models scored " << step.models_scored << "\n"
            << "  time: screening " << sisso_number(step.screening_seconds) << " s, L0 "
            << sisso_number(step.search_seconds) << " s, refit " << sisso_number(step.refit_seconds)
            << " s\n";
        if (std::isfinite(step.cv_rmse))
          out << "  cross-validated RMSE " << sisso_number(step.cv_rmse) << "\n";
        for (std::size_t rank = 0; rank < step.models.size(); ++rank)
          {
            const auto &model = step.models[rank];
            out << "  #" << rank + 1 << " RMSE " << sisso_number(model.fit.rmse) << ", MaxAE "
                << sisso_number(model.fit.max_absolute_error) << ", R2 "
                << sisso_number(model.fit.r_squared) << "\n"
                << "     " << model_formula(model, data) << "\n";
            if (rank == 0)
              for (std::size_t j = 0; j < model.formulas.size(); ++j)
                out << "     " << model.formulas[j] << " [" << model.units[j].to_string()
                    << "], coefficient [" << (data.target_unit / model.units[j]).to_string()
                    << "]\n";
          }
      }
    if (result.chosen_dimension > 0)
      out << "\nChosen dimension " << result.chosen_dimension
          << (settings.cv_folds > 1 ? " (smallest " + std::to_string(settings.cv_folds) +
                                          "-fold cross-validated RMSE)"
                                    : " (the largest; no cross-validation asked)")
          << "\n";
  }

  void write_sisso_models_csv(const SissoResult &result, const SissoData &data, std::ostream &out)
  {
    out << "dimension,rank,rmse,max_absolute_error,r_squared,cv_rmse,term,coefficient,coefficient_"
           "unit,feature,"
           "feature_unit,complexity\n";
    for (const auto &step : result.dimensions)
      for (std::size_t rank = 0; rank < step.models.size(); ++rank)
        {
          const auto       &model = step.models[rank];
          const std::string prefix =
              std::to_string(step.dimension) + "," + std::to_string(rank + 1) + "," +
              sisso_number(model.fit.rmse) + "," + sisso_number(model.fit.max_absolute_error) +
              "," + sisso_number(model.fit.r_squared) + "," + sisso_number(step.cv_rmse) + ",";
          out << prefix << "0," << sisso_number(model.fit.intercept) << ","
              << csv_cell(data.target_unit.to_string()) << ",1,1,0\n";
          for (std::size_t j = 0; j < model.formulas.size(); ++j)
            out << prefix << j + 1 << "," << sisso_number(model.fit.coefficients[j]) << ","
                << csv_cell((data.target_unit / model.units[j]).to_string()) << ","
                << csv_cell(model.formulas[j]) << "," << csv_cell(model.units[j].to_string()) << ","
                << model.complexities[j] << "\n";
        }
  }

  void write_sisso_models_json(const SissoResult &result, const SissoData &data,
                               const SissoSettings &settings, std::ostream &out)
  {
    out << "{\n  \"target\": {\"name\": " << json_string(data.target_name)
        << ", \"unit\": " << json_string(data.target_unit.to_string()) << "},\n"
        << "  \"excluded_features\": [";
    for (std::size_t j = 0; j < data.excluded_features.size(); ++j)
      out << (j ? ", " : "") << json_string(data.excluded_features[j]);
    out << "],\n"
        << "  \"n_samples\": " << data.target.size()
        << ",\n  \"fit_intercept\": " << (settings.fit_intercept ? "true" : "false")
        << ",\n  \"chosen_dimension\": " << result.chosen_dimension << ",\n  \"dimensions\": [";
    for (std::size_t d = 0; d < result.dimensions.size(); ++d)
      {
        const auto &step = result.dimensions[d];
        out << (d ? "," : "") << "\n    {\"dimension\": " << step.dimension
            << ", \"cv_rmse\": " << json_number(step.cv_rmse) << ", \"models\": [";
        for (std::size_t m = 0; m < step.models.size(); ++m)
          {
            const auto &model = step.models[m];
            out << (m ? "," : "") << "\n      {\"rmse\": " << json_number(model.fit.rmse)
                << ", \"max_absolute_error\": " << json_number(model.fit.max_absolute_error)
                << ", \"r_squared\": " << json_number(model.fit.r_squared)
                << ", \"intercept\": " << json_number(model.fit.intercept) << ", \"terms\": [";
            for (std::size_t j = 0; j < model.formulas.size(); ++j)
              out << (j ? ", " : "")
                  << "{\"coefficient\": " << json_number(model.fit.coefficients[j])
                  << ", \"coefficient_unit\": "
                  << json_string((data.target_unit / model.units[j]).to_string())
                  << ", \"feature\": " << json_string(model.formulas[j])
                  << ", \"unit\": " << json_string(model.units[j].to_string())
                  << ", \"complexity\": " << model.complexities[j] << "}";
            out << "]}";
          }
        out << "\n    ]}";
      }
    out << "\n  ]\n}\n";
  }
} // namespace weaklink
