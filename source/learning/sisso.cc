#include <weaklink/core/input_error.h>
#include <weaklink/learning/l0_search.h>
#include <weaklink/learning/sisso.h>
#include <weaklink/statistics/ranks.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <set>

namespace weaklink
{
  void SissoData::check() const
  {
    const std::size_t n = target.size();
    if (features.empty())
      throw InputError("SISSO needs at least one primary feature");
    if (feature_names.size() != features.size() || feature_units.size() != features.size())
      throw InputError("SISSO: feature names, units and columns differ in number");
    std::set<std::string> names{target_name};
    for (std::size_t j = 0; j < features.size(); ++j)
      {
        if (!names.insert(feature_names[j]).second)
          throw InputError("SISSO: the name '" + feature_names[j] + "' is used twice");
        if (features[j].size() != n)
          throw InputError("SISSO: feature '" + feature_names[j] + "' has " +
                           std::to_string(features[j].size()) + " values, the target " +
                           std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
          if (!std::isfinite(features[j][i]))
            throw InputError("SISSO: feature '" + feature_names[j] + "' of sample " +
                             std::to_string(i + 1) + " is " + std::to_string(features[j][i]));
      }
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(target[i]))
        throw InputError("SISSO: target '" + target_name + "' of sample " + std::to_string(i + 1) +
                         " is " + std::to_string(target[i]));
    if (n < 3)
      throw InputError("SISSO: " + std::to_string(n) + " samples; at least 3 are needed");
  }

  std::vector<std::size_t> SissoData::copies_of_target() const
  {
    const std::size_t n = target.size();
    if (n == 0)
      return {};
    const double y_mean = std::accumulate(target.begin(), target.end(), 0.0) / n;
    double       syy    = 0;
    for (const double y : target)
      syy += (y - y_mean) * (y - y_mean);
    if (!(syy > 0))
      return {};
    std::vector<std::size_t> copies;
    for (std::size_t j = 0; j < features.size(); ++j)
      {
        const auto  &f      = features[j];
        const double f_mean = std::accumulate(f.begin(), f.end(), 0.0) / n;
        double       sff = 0, sfy = 0;
        for (std::size_t i = 0; i < n; ++i)
          {
            sff += (f[i] - f_mean) * (f[i] - f_mean);
            sfy += (f[i] - f_mean) * (target[i] - y_mean);
          }
        if (!(sff > 0))
          continue; // constant: dropped by the feature space
        // The residual itself, not 1 - r^2, so that round-off does not hide an exact copy.
        const double slope = sfy / sff;
        double       rss   = 0;
        for (std::size_t i = 0; i < n; ++i)
          {
            const double residual = (target[i] - y_mean) - slope * (f[i] - f_mean);
            rss += residual * residual;
          }
        if (std::sqrt(rss / syy) <= copy_tolerance)
          copies.push_back(j);
      }
    return copies;
  }

  std::vector<std::string> SissoData::drop_copies_of_target()
  {
    const auto               copies = copies_of_target();
    std::vector<std::string> dropped;
    for (auto j = copies.rbegin(); j != copies.rend(); ++j)
      {
        dropped.insert(dropped.begin(), feature_names[*j]);
        features.erase(features.begin() + *j);
        feature_names.erase(feature_names.begin() + *j);
        feature_units.erase(feature_units.begin() + *j);
      }
    excluded_features.insert(excluded_features.end(), dropped.begin(), dropped.end());
    return dropped;
  }

  SissoData SissoData::rows(const std::vector<std::size_t> &indices) const
  {
    SissoData subset = *this;
    subset.target.clear();
    for (auto &column : subset.features)
      column.clear();
    for (const auto i : indices)
      {
        subset.target.push_back(target[i]);
        for (std::size_t j = 0; j < features.size(); ++j)
          subset.features[j].push_back(features[j][i]);
      }
    return subset;
  }

  Sisso::Sisso(const SissoData &data, const SissoSettings &settings, MPI_Comm communicator)
      : Sisso(data, settings, communicator, true)
  {
  }

  Sisso::Sisso(const SissoData &data, const SissoSettings &settings, MPI_Comm communicator,
               const bool refuse_copies_of_target)
      : data(data)
      , settings(settings)
      , communicator(communicator)
  {
    data.check();
    if (const auto copies =
            refuse_copies_of_target ? data.copies_of_target() : std::vector<std::size_t>();
        !copies.empty())
      {
        std::string names;
        for (const auto j : copies)
          names += (names.empty() ? "'" : ", '") + data.feature_names[j] + "'";
        throw InputError("SISSO: primary feature" + std::string(copies.size() > 1 ? "s " : " ") +
                         names + (copies.size() > 1 ? " are" : " is") + " the target '" +
                         data.target_name + "' up to a linear map (|correlation| 1); leave " +
                         (copies.size() > 1 ? "them" : "it") + " out");
      }
    if (settings.max_dimension == 0)
      throw InputError("SISSO: the descriptor dimension must be at least 1");
    if (settings.n_selected.size() != 1 && settings.n_selected.size() < settings.max_dimension)
      throw InputError("SISSO: " + std::to_string(settings.n_selected.size()) +
                       " subspace sizes for " + std::to_string(settings.max_dimension) +
                       " dimensions");
    for (const auto size : settings.n_selected)
      if (size == 0)
        throw InputError("SISSO: a SIS subspace size is 0");
    if (settings.n_models == 0)
      throw InputError("SISSO: the number of models to keep is 0");
    if (data.target.size() < settings.max_dimension + 2)
      throw InputError("SISSO: " + std::to_string(data.target.size()) +
                       " samples are too few for dimension " +
                       std::to_string(settings.max_dimension));
    // The ℓ0 search of the last dimension tries every D-subset of the pooled
    // subspaces: refuse a search that could not end within a working day.
    {
      double pool = 0;
      for (unsigned int dimension = 1; dimension <= settings.max_dimension; ++dimension)
        pool += settings.selected_for(dimension);
      const double dimension    = settings.max_dimension;
      const double log10_models = pool < dimension
                                      ? 0.0
                                      : (std::lgamma(pool + 1) - std::lgamma(dimension + 1) -
                                         std::lgamma(pool - dimension + 1)) /
                                            std::log(10.0);
      if (log10_models > 12)
        {
          char models[32];
          std::snprintf(models, sizeof(models), "%.1e", std::pow(10.0, log10_models));
          throw InputError("SISSO: the ℓ0 search of dimension " +
                           std::to_string(settings.max_dimension) + " over " +
                           std::to_string(static_cast<long>(pool)) + " features would try " +
                           models + " models (at most 1e12): lower the dimension or the subspaces");
        }
    }
    if (settings.cv_folds == 1 || settings.cv_folds > data.target.size())
      throw InputError("SISSO: " + std::to_string(settings.cv_folds) +
                       " cross-validation folds for " + std::to_string(data.target.size()) +
                       " samples");
  }

  SissoResult Sisso::run()
  {
    SissoResult result;
    result.n_ranks     = ranks::count(communicator);
    const double start = ranks::wall_seconds();
    space = std::make_unique<FeatureSpace>(data.features, data.feature_names, data.feature_units,
                                           settings.features, communicator);
    result.construction_seconds = ranks::wall_seconds() - start;
    result.stored_rung_counts   = space->stored_rung_counts();
    result.n_stored             = space->n_stored();
    result.n_kept_values        = space->n_kept_values();
    fit_dimensions(result);
    result.chosen_dimension = result.dimensions.empty() ? 0 : result.dimensions.back().dimension;
    if (settings.cv_folds > 1)
      cross_validate(result);
    return result;
  }

  void Sisso::fit_dimensions(SissoResult &result)
  {
    FeatureScreening                 screening(*space, settings.fit_intercept);
    std::vector<FeatureRef>          pool_features;
    std::vector<unsigned int>        pool_complexity;
    std::vector<std::vector<double>> pool_values;
    std::vector<double>              screening_target = data.target;
    const std::size_t                n                = data.target.size();
    bool                             counted          = false;

    for (unsigned int dimension = 1; dimension <= settings.max_dimension; ++dimension)
      {
        SissoDimension step;
        step.dimension      = dimension;
        double     clock    = ranks::wall_seconds();
        const auto selected = screening.select(screening_target, settings.selected_for(dimension),
                                               communicator, step.screening);
        if (dimension < settings.max_dimension) // only a later dimension reads them
          screening.exclude(selected);
        step.screening_seconds = ranks::wall_seconds() - clock;
        step.subspace_size     = selected.size();
        if (!counted)
          {
            result.last_rung_candidates = step.screening.candidates - space->n_stored();
            counted                     = true;
          }
        for (const auto &feature : selected)
          {
            pool_features.push_back(feature.feature);
            pool_complexity.push_back(feature.complexity);
            pool_values.emplace_back(n);
            space->values(feature.feature, pool_values.back().data());
          }
        step.pool_size = pool_values.size();
        if (pool_values.size() < dimension)
          break; // the feature space is exhausted

        clock                   = ranks::wall_seconds();
        const bool by_max_error = settings.metric == ModelMetric::max_absolute_error;
        const auto n_candidates =
            by_max_error ? std::max(10 * settings.n_models, 100u) : settings.n_models;
        const auto search   = search_l0(pool_values, data.target, dimension, n_candidates,
                                        settings.fit_intercept, communicator);
        step.models_scored  = search.models_scored;
        step.search_seconds = ranks::wall_seconds() - clock;

        clock = ranks::wall_seconds();
        for (const auto &candidate : search.best)
          {
            SissoModel                       model;
            std::vector<std::vector<double>> columns;
            for (const auto index : candidate.features)
              {
                model.features.push_back(pool_features[index]);
                model.formulas.push_back(space->formula(pool_features[index]));
                model.units.push_back(space->unit(pool_features[index]));
                model.complexities.push_back(pool_complexity[index]);
                model.subspace_ids.push_back(index + 1);
                columns.push_back(pool_values[index]);
              }
            model.fit = fit_least_squares(columns, data.target, settings.fit_intercept);
            step.models.push_back(model);
          }
        if (by_max_error)
          std::stable_sort(step.models.begin(), step.models.end(),
                           [](const auto &a, const auto &b) {
                             return a.fit.max_absolute_error < b.fit.max_absolute_error;
                           });
        if (step.models.size() > settings.n_models)
          step.models.resize(settings.n_models);
        step.refit_seconds = ranks::wall_seconds() - clock;
        if (step.models.empty())
          break; // every set was collinear
        screening_target = step.models.front().fit.residuals;
        result.dimensions.push_back(step);
      }
  }

  std::vector<double> Sisso::predict(const SissoModel                       &model,
                                     const std::vector<std::vector<double>> &columns) const
  {
    std::vector<double> prediction(columns.at(0).size(), model.fit.intercept);
    for (std::size_t j = 0; j < model.features.size(); ++j)
      {
        const auto values = space->evaluate(model.features[j], columns);
        for (std::size_t i = 0; i < prediction.size(); ++i)
          prediction[i] += model.fit.coefficients[j] * values[i];
      }
    return prediction;
  }

  void Sisso::cross_validate(SissoResult &result) const
  {
    const std::size_t        n = data.target.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 generator(settings.cv_seed);
    for (std::size_t i = n - 1; i > 0; --i)
      std::swap(order[i], order[std::uniform_int_distribution<std::size_t>(0, i)(generator)]);

    std::vector<double>      squared_error(result.dimensions.size(), 0.0);
    std::vector<std::size_t> predicted(result.dimensions.size(), 0);
    for (unsigned int fold = 0; fold < settings.cv_folds; ++fold)
      {
        std::vector<std::size_t> training, testing;
        for (std::size_t k = 0; k < n; ++k)
          (k % settings.cv_folds == fold ? testing : training).push_back(order[k]);
        SissoSettings fold_settings = settings;
        fold_settings.cv_folds      = 0;
        fold_settings.n_models      = 1;
        fold_settings.max_dimension =
            std::min<unsigned int>(settings.max_dimension, training.size() - 2);
        Sisso      fold_run(data.rows(training), fold_settings, communicator, false);
        const auto fold_result = fold_run.run();
        const auto held_out    = data.rows(testing);
        for (std::size_t d = 0; d < fold_result.dimensions.size() && d < squared_error.size(); ++d)
          {
            const auto prediction =
                fold_run.predict(fold_result.dimensions[d].models.front(), held_out.features);
            for (std::size_t i = 0; i < prediction.size(); ++i)
              {
                const double error = prediction[i] - held_out.target[i];
                squared_error[d] +=
                    std::isfinite(error) ? error * error : std::numeric_limits<double>::infinity();
              }
            predicted[d] += prediction.size();
          }
      }
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t d = 0; d < result.dimensions.size(); ++d)
      {
        if (predicted[d] < n)
          continue;
        result.dimensions[d].cv_rmse = std::sqrt(squared_error[d] / n);
        if (result.dimensions[d].cv_rmse < best)
          {
            best                    = result.dimensions[d].cv_rmse;
            result.chosen_dimension = result.dimensions[d].dimension;
          }
      }
  }
} // namespace weaklink
