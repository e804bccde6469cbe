#pragma once

#include <weaklink/learning/feature_screening.h>
#include <weaklink/learning/feature_space.h>
#include <weaklink/learning/least_squares.h>
#include <weaklink/learning/physical_unit.h>

#include <mpi.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace weaklink
{
  enum class ModelMetric
  {
    rmse,
    max_absolute_error
  };

  struct SissoSettings
  {
    FeatureSpaceSettings features;
    unsigned int         max_dimension = 2;
    /** SIS subspace size for each dimension (one entry: the same for all). */
    std::vector<unsigned int> n_selected    = {20};
    bool                      fit_intercept = true;
    /**
     * Ranking of models: RMSE exactly over all models; MaxAE among the
     * 10 x n_models (at least 100) models of smallest RMSE, refitted exactly.
     */
    ModelMetric  metric   = ModelMetric::rmse;
    unsigned int n_models = 10;
    /** k-fold cross-validation to choose the dimension (0: none). */
    unsigned int  cv_folds = 0;
    std::uint64_t cv_seed  = 20181;

    unsigned int selected_for(unsigned int dimension) const
    {
      return n_selected.size() == 1 ? n_selected[0] : n_selected.at(dimension - 1);
    }
  };

  /** Target and primary features with names and units; columns of equal length. */
  struct SissoData
  {
    std::string                      target_name;
    PhysicalUnit                     target_unit;
    std::vector<double>              target;
    std::vector<std::string>         feature_names;
    std::vector<PhysicalUnit>        feature_units;
    std::vector<std::vector<double>> features;
    /** Primary features dropped by drop_copies_of_target() (for notes and reports). */
    std::vector<std::string> excluded_features;

    /**
     * A primary feature is a copy of the target if the target is a linear
     * function of it, a f + b, to within this relative residual
     * |y - a f - b| / |y - mean(y)| = sqrt(1 - r^2) (r: their correlation):
     * the target itself under another name, or in other units. No model of
     * such a feature says anything about the target.
     */
    static constexpr double copy_tolerance = 1e-6;

    /** InputError for NaN/inf, unequal lengths, too few samples or repeated names. */
    void check() const;
    /** The primary features that are copies of the target (none if the target is constant). */
    std::vector<std::size_t> copies_of_target() const;
    /** Removes the copies of the target from the primary features; returns their names. */
    std::vector<std::string> drop_copies_of_target();
    SissoData                rows(const std::vector<std::size_t> &indices) const;
  };

  struct SissoModel
  {
    std::vector<FeatureRef>   features;
    std::vector<std::string>  formulas;
    std::vector<PhysicalUnit> units;
    std::vector<unsigned int> complexities;
    /**
     * 1-based positions of the features in the union of the SIS subspaces of
     * dimensions 1..D, in order of selection (the reference code's feature_ID).
     */
    std::vector<std::size_t> subspace_ids;
    LeastSquaresFit          fit;
  };

  struct SissoDimension
  {
    unsigned int            dimension     = 0;
    std::size_t             subspace_size = 0;
    std::size_t             pool_size     = 0;
    ScreeningCounts         screening;
    std::uint64_t           models_scored     = 0;
    double                  screening_seconds = 0;
    double                  search_seconds    = 0;
    double                  refit_seconds     = 0;
    std::vector<SissoModel> models;
    double                  cv_rmse = std::numeric_limits<double>::quiet_NaN();
  };

  struct SissoResult
  {
    std::vector<FeatureCounts>  stored_rung_counts;
    std::size_t                 n_stored             = 0;
    std::size_t                 n_kept_values        = 0;
    std::uint64_t               last_rung_candidates = 0;
    double                      construction_seconds = 0;
    std::vector<SissoDimension> dimensions;
    unsigned int                chosen_dimension = 0;
    unsigned int                n_ranks          = 1;
  };

  /**
   * SISSO (Ouyang et al., Phys. Rev. Materials 2, 083802, 2018) for
   * regression: feature construction, sure independence screening against
   * the target and then the residual of the best model, and an exhaustive L0
   * search over the union of the screened subspaces for each dimension.
   */
  class Sisso
  {
  public:
    /**
     * InputError for invalid data or settings, and for a primary feature that
     * is a copy of the target (SissoData::copies_of_target(); drop those with
     * SissoData::drop_copies_of_target()), so that no such model is reported.
     */
    Sisso(const SissoData &data, const SissoSettings &settings, MPI_Comm communicator);

    /** Runs dimensions 1..max_dimension; with cv_folds > 0, also cross-validates. */
    SissoResult run();

    /** Prediction of a model on other samples given as primary feature columns. */
    std::vector<double> predict(const SissoModel                       &model,
                                const std::vector<std::vector<double>> &columns) const;

  private:
    /** Runs on cross-validation folds do not refuse features that copy the target on a fold. */
    Sisso(const SissoData &data, const SissoSettings &settings, MPI_Comm communicator,
          bool refuse_copies_of_target);

    void fit_dimensions(SissoResult &result);
    void cross_validate(SissoResult &result) const;

    SissoData                     data;
    SissoSettings                 settings;
    MPI_Comm                      communicator;
    std::unique_ptr<FeatureSpace> space;
  };
} // namespace weaklink
