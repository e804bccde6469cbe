#pragma once

#include <weaklink/core/large_array.h>
#include <weaklink/learning/feature_space.h>

#include <mpi.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace weaklink
{
  struct ScreenedFeature
  {
    FeatureRef    feature;
    std::uint64_t id         = 0;
    unsigned int  complexity = 0;
    double        score      = 0; ///< |correlation| with the screening target
  };

  /** What one screening pass saw, summed over ranks. */
  struct ScreeningCounts
  {
    std::uint64_t candidates   = 0;
    std::uint64_t invalid      = 0;
    std::uint64_t out_of_range = 0;
    std::uint64_t constant     = 0;
    /** Valid candidates left out, unfinished, because their score bound was below the threshold. */
    std::uint64_t bounded = 0;
  };

  /**
   * Sure independence screening: the features of the whole space (the last
   * rung built on the fly) most correlated with a target, one feature per
   * class of linearly equivalent features (x, a*x+b, and the sign twins
   * a-b/b-a are one class; without an intercept x and a*x are). Features
   * selected by earlier passes are excluded with their whole class, so a
   * subspace never repeats what an earlier dimension already holds. The
   * candidates are split over the ranks; the result does not depend on
   * their number: scores are computed identically and ties between equivalent
   * features are broken by (complexity, id).
   *
   * Once n_select candidates are held, a last-rung candidate of a binary
   * operator (+ - * / |-|) is first looked at on the samples where the target
   * is largest only; it is dropped if an upper bound of its score (rounding of
   * the full computation included) is below the threshold it would have to
   * beat, and it is certainly finite, in range and not constant. The selection
   * and the counts are those of computing every candidate in full.
   */
  class FeatureScreening
  {
  public:
    FeatureScreening(const FeatureSpace &space, bool fit_intercept);

    std::vector<ScreenedFeature> select(const std::vector<double> &target, unsigned int n_select,
                                        MPI_Comm communicator, ScreeningCounts &counts) const;

    /** Whether select() may drop candidates on their score bound (the default); for tests. */
    void set_score_bound(const bool enabled) { score_bound = enabled; }

    /** Keeps these (and their equivalents) out of later selections. */
    void exclude(const std::vector<ScreenedFeature> &features);

    /** The standardised values (centred if fitting an intercept, unit norm). */
    void standardise(const double *values, double *z) const;

    /** True if the two standardised vectors are equal up to the sign. */
    bool equivalent(const double *z_a, const double *z_b) const;

    /** A sign-independent scalar summary of standardised values. */
    double fingerprint(const double *z) const;

  private:
    const FeatureSpace &space;
    bool                centre;
    bool                score_bound = true;
    std::vector<double> weights;
    /** Standardised values of the excluded features by fingerprint, in excluded_values. */
    std::multimap<double, const double *>            excluded;
    std::vector<std::unique_ptr<LargeArray<double>>> excluded_values;
  };
} // namespace weaklink
