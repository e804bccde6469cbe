#include <weaklink/core/large_array.h>
#include <weaklink/learning/feature_screening.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace weaklink
{
  namespace
  {
    constexpr double score_tolerance       = 1e-9;
    constexpr double equivalence_tolerance = 1e-8;

    struct Moments
    {
      double sum = 0, sum_of_squares = 0, cross = 0, largest = 0;
    };

    // The screening hot loop; AVX2 doubles its width where the processor has it.
    __attribute__((target_clones("avx2", "default"))) Moments
    candidate_moments(const double *values, const double *r, const std::size_t n)
    {
      double sum = 0, sum_of_squares = 0, cross = 0, largest = 0;
#pragma omp simd reduction(+ : sum, sum_of_squares, cross) reduction(max : largest)
      for (std::size_t i = 0; i < n; ++i)
        {
          const double v = values[i];
          sum += v;
          sum_of_squares += v * v;
          cross += v * r[i];
          largest = std::max(largest, std::abs(v));
        }
      return Moments{sum, sum_of_squares, cross, largest};
    }

    bool simpler(const ScreenedFeature &a, const ScreenedFeature &b)
    {
      return a.complexity != b.complexity ? a.complexity < b.complexity : a.id < b.id;
    }

    // The best n features seen so far, one per equivalence class.
    class BestFeatures
    {
    public:
      BestFeatures(const FeatureScreening &screening, unsigned int capacity,
                   const std::size_t n_samples)
          : screening(screening)
          , capacity(capacity)
          , n_samples(n_samples)
          , z_of_slots((std::size_t(capacity) + 1) * n_samples)
      {
      }

      double threshold() const
      {
        return by_score.size() < capacity ? -1. : by_score.begin()->first;
      }

      // z: standardised values; target: standardised target.
      void offer(const ScreenedFeature &candidate, const std::vector<double> &z)
      {
        const double fingerprint = screening.fingerprint(z.data());
        for (auto it = by_score.lower_bound(candidate.score - score_tolerance);
             it != by_score.end() && it->first <= candidate.score + score_tolerance; ++it)
          {
            Entry &entry = entries[it->second];
            if (std::abs(entry.fingerprint - fingerprint) <= score_tolerance &&
                screening.equivalent(z_of(it->second), z.data()))
              {
                if (simpler(candidate, entry.feature))
                  {
                    const double score  = entry.feature.score;
                    entry.feature       = candidate;
                    entry.feature.score = score;
                  }
                return;
              }
          }
        if (by_score.size() == capacity && candidate.score <= by_score.begin()->first)
          return;
        std::size_t slot;
        if (!free_slots.empty())
          {
            slot = free_slots.back();
            free_slots.pop_back();
          }
        else
          {
            slot = entries.size();
            entries.emplace_back();
          }
        entries[slot] = Entry{candidate, fingerprint};
        std::copy(z.begin(), z.end(), z_of(slot));
        by_score.emplace(candidate.score, slot);
        if (by_score.size() > capacity)
          {
            free_slots.push_back(by_score.begin()->second);
            by_score.erase(by_score.begin());
          }
      }

      std::vector<ScreenedFeature> sorted() const
      {
        std::vector<ScreenedFeature> features;
        for (const auto &[score, slot] : by_score)
          features.push_back(entries[slot].feature);
        std::sort(features.begin(), features.end(), [](const auto &a, const auto &b) {
          return a.score != b.score ? a.score > b.score : simpler(a, b);
        });
        return features;
      }

    private:
      struct Entry
      {
        ScreenedFeature feature;
        double          fingerprint = 0;
      };
      // At most capacity + 1 slots are in use. Their standardised values live in one large
      // array: a vector per accepted candidate cost an allocation, a free and, as the heap
      // shrank and grew, page faults again and again (a third of case (d)'s run).
      double *z_of(const std::size_t slot) { return z_of_slots.data() + slot * n_samples; }
      const FeatureScreening            &screening;
      unsigned int                       capacity;
      std::size_t                        n_samples;
      LargeArray<double>                 z_of_slots;
      std::vector<Entry>                 entries;
      std::vector<std::size_t>           free_slots;
      std::multimap<double, std::size_t> by_score;
    };

    // Flat record exchanged between ranks.
    struct PackedFeature
    {
      std::uint64_t id;
      std::uint32_t first, second, complexity;
      std::uint8_t  op;
      double        score;
    };
  } // namespace

  FeatureScreening::FeatureScreening(const FeatureSpace &space, const bool fit_intercept)
      : space(space)
      , centre(fit_intercept)
  {
    for (std::size_t i = 0; i < space.n_samples(); ++i)
      weights.push_back(0.5 + std::fmod(double(i + 1) * 0.7548776662466927, 1.0));
  }

  void FeatureScreening::standardise(const double *values, double *z) const
  {
    const std::size_t n    = space.n_samples();
    const double      mean = centre ? std::accumulate(values, values + n, 0.0) / n : 0.0;
    double            norm = 0;
    for (std::size_t i = 0; i < n; ++i)
      {
        z[i] = values[i] - mean;
        norm += z[i] * z[i];
      }
    norm = std::sqrt(norm);
    for (std::size_t i = 0; i < n; ++i)
      z[i] /= norm;
  }

  bool FeatureScreening::equivalent(const double *a, const double *b) const
  {
    const std::size_t n    = space.n_samples();
    double            same = 0, opposite = 0;
    for (std::size_t i = 0; i < n; ++i)
      {
        same     = std::max(same, std::abs(a[i] - b[i]));
        opposite = std::max(opposite, std::abs(a[i] + b[i]));
      }
    return std::min(same, opposite) <= equivalence_tolerance;
  }

  double FeatureScreening::fingerprint(const double *z) const
  {
    double sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i)
      sum += z[i] * weights[i];
    return std::abs(sum);
  }

  void FeatureScreening::exclude(const std::vector<ScreenedFeature> &features)
  {
    std::vector<double> values(space.n_samples()), z(space.n_samples());
    for (const auto &feature : features)
      {
        space.values(feature.feature, values.data());
        standardise(values.data(), z.data());
        excluded.emplace(fingerprint(z.data()), z);
      }
  }

  std::vector<ScreenedFeature> FeatureScreening::select(const std::vector<double> &target,
                                                        const unsigned int         n_select,
                                                        MPI_Comm                   communicator,
                                                        ScreeningCounts           &counts) const
  {
    int rank = 0, n_ranks = 1;
    MPI_Comm_rank(communicator, &rank);
    MPI_Comm_size(communicator, &n_ranks);
    const std::size_t   n = space.n_samples();
    std::vector<double> r(n), z(n);
    standardise(target.data(), r.data());

    const auto is_excluded = [&](const std::vector<double> &z_candidate) {
      const double key = fingerprint(z_candidate.data());
      for (auto it = excluded.lower_bound(key - score_tolerance);
           it != excluded.end() && it->first <= key + score_tolerance; ++it)
        if (equivalent(it->second.data(), z_candidate.data()))
          return true;
      return false;
    };
    const auto exact_score = [&](const std::vector<double> &z_candidate) {
      double dot = 0;
      for (std::size_t i = 0; i < n; ++i)
        dot += z_candidate[i] * r[i];
      return std::abs(dot);
    };

    BestFeatures    local(*this, n_select, n);
    ScreeningCounts local_counts;
    space.for_each_candidate(
        rank, n_ranks,
        [&](const FeatureRef &feature, const std::uint64_t id, const unsigned int complexity,
            const double *values) {
          ++local_counts.candidates;
          const auto [sum, sum_of_squares, cross, largest] = candidate_moments(values, r.data(), n);
          if (!std::isfinite(sum_of_squares) || !std::isfinite(cross))
            {
              ++local_counts.invalid;
              return;
            }
          if (feature.op != FeatureOperator::primary && !space.in_range(largest))
            {
              ++local_counts.out_of_range;
              return;
            }
          const double variance = centre ? sum_of_squares - sum * sum / n : sum_of_squares;
          if (variance <= 1e-12 * sum_of_squares)
            {
              ++local_counts.constant;
              return;
            }
          const double score = std::abs(cross) / std::sqrt(variance);
          if (score <= local.threshold() - score_tolerance)
            return;
          standardise(values, z.data());
          if (is_excluded(z))
            return;
          local.offer(ScreenedFeature{feature, id, complexity, exact_score(z)}, z);
        });

    // Every rank merges the union of the local selections in the same order.
    std::vector<PackedFeature> packed;
    for (const auto &feature : local.sorted())
      packed.push_back(PackedFeature{feature.id, feature.feature.first, feature.feature.second,
                                     feature.complexity,
                                     static_cast<std::uint8_t>(feature.feature.op), feature.score});
    const int        bytes = packed.size() * sizeof(PackedFeature);
    std::vector<int> all_bytes(n_ranks), offsets(n_ranks, 0);
    MPI_Allgather(&bytes, 1, MPI_INT, all_bytes.data(), 1, MPI_INT, communicator);
    for (int p = 1; p < n_ranks; ++p)
      offsets[p] = offsets[p - 1] + all_bytes[p - 1];
    std::vector<PackedFeature> gathered((offsets.back() + all_bytes.back()) /
                                        sizeof(PackedFeature));
    MPI_Allgatherv(packed.data(), bytes, MPI_BYTE, gathered.data(), all_bytes.data(),
                   offsets.data(), MPI_BYTE, communicator);
    std::sort(gathered.begin(), gathered.end(),
              [](const auto &a, const auto &b) { return a.id < b.id; });
    BestFeatures        merged(*this, n_select, n);
    std::vector<double> values(n);
    for (const auto &p : gathered)
      {
        const FeatureRef feature{static_cast<FeatureOperator>(p.op), p.first, p.second};
        space.values(feature, values.data());
        standardise(values.data(), z.data());
        merged.offer(ScreenedFeature{feature, p.id, p.complexity, exact_score(z)}, z);
      }

    std::uint64_t mine[4] = {local_counts.candidates, local_counts.invalid,
                             local_counts.out_of_range, local_counts.constant},
                  total[4];
    MPI_Allreduce(mine, total, 4, MPI_UINT64_T, MPI_SUM, communicator);
    counts = ScreeningCounts{total[0], total[1], total[2], total[3]};
    return merged.sorted();
  }
} // namespace weaklink
