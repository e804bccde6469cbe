#include <weaklink/core/large_array.h>
#include <weaklink/learning/feature_screening.h>
#include <weaklink/statistics/ranks.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>

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

    // The first samples (in the order of ScoreBound) of a last-rung candidate v = a op b: sums of
    // w = v - shift, w^2, w * r, and the largest |v|.
    struct HeadSums
    {
      double sum = 0, sum_of_squares = 0, cross = 0, largest = 0, shift = 0;
    };

    // shifted: w = v - (v of the first sample), which keeps cancellation out of the head's
    // variance (any shift gives the same variance in exact arithmetic).
    template <typename Operation>
    __attribute__((always_inline)) inline void
    accumulate(const Operation operation, const double *a, const double *b, const double *r,
               const std::size_t begin, const std::size_t end, const bool shifted, HeadSums &sums)
    {
      if (begin == 0 && shifted)
        sums.shift = operation(a[0], b[0]);
      const double shift = sums.shift;
      double       sum = sums.sum, sum_of_squares = sums.sum_of_squares, cross = sums.cross,
             largest = sums.largest;
#pragma omp simd simdlen(16) reduction(+ : sum, sum_of_squares, cross) reduction(max : largest)
      for (std::size_t i = begin; i < end; ++i)
        {
          const double v = operation(a[i], b[i]);
          const double w = v - shift;
          sum += w;
          sum_of_squares += w * w;
          cross += w * r[i];
          largest = std::max(largest, std::abs(v));
        }
      sums = HeadSums{sum, sum_of_squares, cross, largest, shift};
    }

    bool has_score_bound(const FeatureOperator op)
    {
      return op == FeatureOperator::add || op == FeatureOperator::subtract ||
             op == FeatureOperator::multiply || op == FeatureOperator::divide ||
             op == FeatureOperator::absolute_difference;
    }

    // Element by element the same operations as FeatureSpace::compute, so the values are the same.
    __attribute__((target_clones("avx2", "default"))) void
    accumulate_head(const FeatureOperator op, const double *a, const double *b, const double *r,
                    const std::size_t begin, const std::size_t end, const bool shifted,
                    HeadSums &sums)
    {
      switch (op)
        {
        case FeatureOperator::add:
          accumulate([](double x, double y) { return x + y; }, a, b, r, begin, end, shifted, sums);
          break;
        case FeatureOperator::subtract:
          accumulate([](double x, double y) { return x - y; }, a, b, r, begin, end, shifted, sums);
          break;
        case FeatureOperator::multiply:
          accumulate([](double x, double y) { return x * y; }, a, b, r, begin, end, shifted, sums);
          break;
        case FeatureOperator::divide:
          accumulate([](double x, double y) { return x / y; }, a, b, r, begin, end, shifted, sums);
          break;
        default: // absolute_difference
          accumulate([](double x, double y) { return std::abs(x - y); }, a, b, r, begin, end,
                     shifted, sums);
        }
    }

    // Sums over the head (from_row <= j < k) with an outer operand f and partners g = slots [begin,
    // end): group 0: f g, f^2 g^2, f r g; group 1: f / g, f^2 / g^2, f r / g; group 2: g / f, g^2 /
    // f^2, g r / f. outer holds f, f^2, f r, 1 / f, 1 / f^2, r / f per sample; columns g, g^2, 1 /
    // g, 1 / g^2 per sample, each over stride >= end rounded up to 8 slots.
    __attribute__((target_clones("avx2", "default"))) void
    batch_products(const int group, const double *outer, const std::size_t from_row,
                   const std::size_t k, const std::size_t stride, const std::size_t begin,
                   const std::size_t end, const double *columns, const double *const *start,
                   double *const *products)
    {
      const std::size_t plain      = group == 1 ? 2 : 0; // g or 1 / g
      const std::size_t outer_term = group == 2 ? 3 : 0;
      // Eight partners at a time, their sums in registers over the head.
      for (std::size_t block = begin; block < end; block += 8)
        {
          // From the sums over the first from_row samples if given (start), else from zero.
          double first[8] = {}, second[8] = {}, third[8] = {};
          for (std::size_t q = 0; q < 8 && start != nullptr && block + q < end; ++q)
            {
              first[q]  = start[0][block + q];
              second[q] = start[1][block + q];
              third[q]  = start[2][block + q];
            }
          for (std::size_t j = from_row; j < k; ++j)
            {
              const double *f = outer + 6 * j + outer_term;
              const double *g = columns + (4 * j + plain) * stride + block;
              const double *h = g + stride; // g^2 or 1 / g^2
#pragma omp simd
              for (std::size_t q = 0; q < 8; ++q)
                {
                  first[q] += f[0] * g[q];
                  second[q] += f[1] * h[q];
                  third[q] += f[2] * g[q];
                }
            }
          for (std::size_t q = 0; q < 8 && block + q < end; ++q)
            {
              products[0][block + q] = first[q];
              products[1][block + q] = second[q];
              products[2][block + q] = third[q];
            }
        }
    }

    // What the checks of ScoreBound need at one checkpoint, for batch_decisions.
    struct BatchCheck
    {
      bool   centre;
      double n, inverse_end, head_sum, cross_rounding;
      double room;            // head_limit^2 - tail term
      double spread_rounding; // 4 head_rounding
      double largest_ratio, range_minimum, range_maximum;
    };

    // decision[p] = 1 if the candidate with head sums sum[p], squares[p], cross[p] (rounding
    // relative to magnitude[p]) and |v| <= largest[p] passes every check of
    // ScoreBound::head_below (see there), written without branches so that it vectorises.
    __attribute__((target_clones("avx2", "default"))) void
    batch_decisions(const BatchCheck &check, const std::size_t begin, const std::size_t end,
                    const double *sum, const double *squares, const double *cross,
                    const double *magnitude, const double *largest, std::uint32_t *decision)
    {
      // Locals, so that the loop reads no member inside and vectorises.
      const double c = check.cross_rounding, centred = check.centre ? 1. : 0.,
                   inverse_end = check.inverse_end, head_sum = check.head_sum, room = check.room,
                   spread_rounding = check.spread_rounding, minimum = check.range_minimum,
                   maximum     = check.range_maximum,
                   ratio_limit = check.centre ? check.largest_ratio : 1e300, n = check.n;
#pragma omp simd
      for (std::size_t p = begin; p < end; ++p)
        {
          const double mean      = sum[p] * inverse_end * centred;
          const double spread    = squares[p] - sum[p] * mean - spread_rounding * magnitude[p];
          const double x         = cross[p] - mean * head_sum;
          const double largest_p = largest[p];
          // Comparisons written so that NaN fails each of them.
          const int below =
              (spread > 0) &
              ((x * x * (1 + c) + magnitude[p] * (c + c * c)) * (1 + 1e-12) <= room * spread);
          // The largest |v| is between the root mean square of the head and largest_p.
          const int in_range = (largest_p <= 1e150) & (largest_p >= minimum) &
                               (largest_p <= maximum) &
                               ((squares[p] - spread_rounding * magnitude[p]) * inverse_end >=
                                minimum * minimum * (1 + 1e-11));
          // Without an intercept the ratio does not matter (ratio_limit is huge; spread > 0).
          const int ratio = n * largest_p * largest_p * (1 + 1e-12) <= ratio_limit * spread;
          decision[p]     = below & in_range & ratio;
        }
    }

    /**
     * An upper bound of a last-rung candidate's score from its first k samples, taken in the
     * order of decreasing |r| (r: the standardised target), valid whatever the other n - k
     * values are. With an intercept, A = sum over the k of (v - mean of the k)^2 and
     * X = sum over the k of (v - mean of the k) r; rt = r minus its mean, T the other samples:
     *   score^2 <= X^2 / A + |rt on T|^2 + (sum of rt over T)^2 / k
     * (Cauchy-Schwarz on the three parts of the centred candidate: within the k, within T,
     * and between the two means). Without an intercept, score^2 <= X^2 / A + |r on T|^2 with
     * the sums of v^2 and v r. Taking the samples with the largest |r| first makes the tail
     * terms small early.
     *
     * The bound is of the score as select() computes it in floating point, so that dropping a
     * candidate never changes the selection: the rounding of the head sums and of the full
     * computation (sums of n terms, the variance as sum of squares minus square of sum over n)
     * is added, using |v| <= M from the operands' largest and smallest magnitudes, M^2 n >= the
     * sum of squares. The same M and the head's largest |v| prove the candidate finite and in
     * range and its variance above the "constant" cut, so its counts are those of a full pass.
     */
    class ScoreBound
    {
    public:
      ScoreBound(const FeatureSpace &space, const std::vector<double> &r, const bool centre)
          : space(space)
          , centre(centre)
          , n(space.n_samples())
      {
        // Relative rounding of sums of at most n terms (with a few roundings per term), with
        // room to spare: of the head's sums, and of select()'s full computation.
        const double unit_roundoff = std::numeric_limits<double>::epsilon() / 2;
        head_rounding              = 2. * (n + 8) * unit_roundoff;
        const double full_rounding = 8. * (n + 2) * unit_roundoff;
        const bool   finite =
            std::all_of(r.begin(), r.end(), [](const double x) { return std::isfinite(x); });
        // With no checkpoints nothing is dropped: a target with NaN (a perfect fit leaves no
        // residual to standardise), too few samples to gain anything, or so many that the
        // rounding allowed for below is no longer small.
        if (!finite || n < 32 || full_rounding * largest_ratio > 0.01)
          return;
        order.resize(n);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](const std::size_t i, const std::size_t j) {
          return std::abs(r[i]) != std::abs(r[j]) ? std::abs(r[i]) > std::abs(r[j]) : i < j;
        });
        for (const std::size_t i : order)
          r_in_order.push_back(r[i]);

        // The target's sums in long double, rounded up by far more than their error.
        long double sum = 0, squares = 0;
        for (const double x : r_in_order)
          {
            sum += x;
            squares += static_cast<long double>(x) * x;
          }
        const long double mean        = centre ? sum / n : 0;
        const double      target_sum  = centre ? double(std::abs(sum)) + 1e-12 : 0;
        const double      target_norm = std::sqrt(double(squares)) * (1 + 1e-12);
        // The score select() computes, from the exact one s of a candidate with
        // sum of squares / variance <= largest_ratio (with an intercept; 1 without):
        //   computed <= (s + |sum r| sqrt(ratio / n) + eps |r| sqrt(ratio))
        //               / sqrt((1 - eps) (1 - eps ratio)),   eps = full_rounding,
        // the sums' rounding (at most eps times the sum of magnitudes) and the computed
        // score's own (a few units in the last place, in the 1e-12).
        const double ratio = centre ? largest_ratio : 1;
        full_rounding_term =
            target_sum * std::sqrt(ratio / n) + full_rounding * target_norm * std::sqrt(ratio);
        full_rounding_factor =
            std::sqrt((1 - full_rounding) * (1 - full_rounding * ratio)) / (1 + 1e-12);
        // Checkpoints every 16 samples or more; the last takes every sample: no tail, the bound
        // is the score itself (with the rounding), in one pass instead of building the
        // candidate and then its sums.
        std::vector<std::size_t> ends;
        for (std::size_t k = 16; k < n; k += std::max<std::size_t>(16, k / 2))
          ends.push_back(k);
        ends.push_back(n);
        for (const std::size_t k : ends)
          {
            long double head_sum = 0, head_squares = 0, tail_squares = 0, tail_sum = 0;
            for (std::size_t j = 0; j < k; ++j)
              {
                head_sum += r_in_order[j];
                head_squares += static_cast<long double>(r_in_order[j]) * r_in_order[j];
              }
            for (std::size_t j = k; j < n; ++j)
              {
                const long double centred = r_in_order[j] - mean;
                tail_sum += centred;
                tail_squares += centred * centred;
              }
            const double tail_mean_term =
                centre ? std::pow(double(std::abs(tail_sum)) + 1e-12, 2) / k : 0;
            // Rounding of the head's X: of its sums (at most head_rounding times the sums of
            // magnitudes, bounded by Cauchy-Schwarz) and of the head's sum of r; times the root
            // of the head's sum of squares.
            const double head_norm = std::sqrt(double(head_squares)) * (1 + 1e-12);
            const double cross_rounding =
                2 * head_rounding * (head_norm + std::abs(double(head_sum)) / std::sqrt(k)) +
                (centre ? 1e-12 / std::sqrt(k) : 0);
            checkpoints.push_back(
                Checkpoint{k, 1. / k, double(head_sum), cross_rounding,
                           (double(tail_squares) + tail_mean_term) * (1 + 1e-12) + 1e-15});
          }

        // The kept stored features, in the same sample order, with their extreme magnitudes.
        // Slots go by complexity: the partners of an operand under a complexity limit come first.
        std::vector<std::uint32_t> kept_nodes;
        for (std::uint32_t node = 0; node < space.n_stored(); ++node)
          if (space.kept_values(node) != nullptr)
            kept_nodes.push_back(node);
        std::stable_sort(kept_nodes.begin(), kept_nodes.end(),
                         [&](const std::uint32_t i, const std::uint32_t j) {
                           return space.complexity(FeatureRef{FeatureOperator::primary, i, 0}) <
                                  space.complexity(FeatureRef{FeatureOperator::primary, j, 0});
                         });
        slot_of_node.assign(space.n_stored(), -1);
        for (const std::uint32_t node : kept_nodes)
          {
            slot_of_node[node] = kept.size();
            kept.push_back(in_order(space.kept_values(node)));
          }
        const std::size_t n_kept = kept.size();
        for (const Checkpoint &checkpoint : checkpoints)
          {
            if (checkpoint.end > largest_batch)
              break;
            PartnerSums sums{std::vector<double>(n_kept), std::vector<double>(n_kept),
                             std::vector<double>(n_kept)};
            for (std::size_t p = 0; p < n_kept; ++p)
              for (std::size_t j = 0; j < checkpoint.end; ++j)
                {
                  const double g = kept[p].values[j];
                  sums.sum[p] += g;
                  sums.squares[p] += g * g;
                  sums.cross[p] += g * r_in_order[j];
                }
            partner_sums.push_back(std::move(sums));
          }
        if (partner_sums.empty())
          return;
        const std::size_t rows = checkpoints[partner_sums.size() - 1].end;
        column_stride          = (n_kept + 7) / 8 * 8;
        partner_columns.assign(4 * rows * column_stride, 1.); // padding: harmless ones
        for (std::size_t j = 0; j < rows; ++j)
          for (std::size_t p = 0; p < n_kept; ++p)
            {
              const double g                                   = kept[p].values[j];
              partner_columns[(4 * j + 0) * column_stride + p] = g;
              partner_columns[(4 * j + 1) * column_stride + p] = g * g;
              partner_columns[(4 * j + 2) * column_stride + p] = 1 / g;
              partner_columns[(4 * j + 3) * column_stride + p] = 1 / (g * g);
            }
        for (BatchLevel &level : batch.levels)
          {
            for (int i = 0; i < 9; ++i)
              {
                level.products[i].resize(n_kept);
                level.product_pointers[i] = level.products[i].data();
              }
            for (auto &decisions : level.decisions)
              decisions.resize(n_kept);
          }
        for (auto &sums : batch.sum_of)
          sums.resize(n_kept);
        for (const Operand &operand : kept)
          {
            kept_largest.push_back(operand.largest);
            kept_smallest.push_back(operand.smallest);
          }
        range_minimum = space.range_minimum();
        range_maximum = space.range_maximum();
      }

      /**
       * True if @p feature (values of its operands given) is certainly valid and its score as
       * select() computes it is at most @p limit; false if that cannot be shown cheaply.
       */
      bool at_most(const FeatureRef &feature, const double *first_values,
                   const double *second_values, const double limit)
      {
        // Most candidates end here, on a decision of their outer operand's batch: it is made
        // for a limit no higher than today's, as the limit only rises during a pass.
        const std::uint32_t outer_operand = std::max(feature.first, feature.second);
        if (outer_operand == batch.outer)
          {
            const int          variant = batch_variant(feature.op, feature.first == outer_operand);
            const std::int64_t slot    = slot_of_node[std::min(feature.first, feature.second)];
            if (variant >= 0 && slot >= 0)
              for (const BatchLevel &level : batch.levels)
                {
                  const int group = variant <= 2 ? 0 : variant - 2;
                  if (level.checkpoint < 0 || std::size_t(slot) >= level.computed[group])
                    break;
                  if (level.decisions[variant][slot] != 0)
                    return true;
                }
          }
        return at_most_slowly(feature, first_values, second_values, limit);
      }

    private:
      bool at_most_slowly(const FeatureRef &feature, const double *first_values,
                          const double *second_values, const double limit)
      {
        if (checkpoints.empty() || !has_score_bound(feature.op))
          return false;
        // The head's bound must stay below this, so that the bound with the rounding of the
        // full computation is below the limit; compared squared, without a root or a division.
        const double head_limit = limit * full_rounding_factor - full_rounding_term;
        if (!(head_limit > 0))
          return false;

        // First the decisions of this outer operand's batch, made for all partners at once.
        // They stay right as the limit only rises during a pass.
        const std::uint32_t outer_operand = std::max(feature.first, feature.second);
        const std::uint32_t partner       = std::min(feature.first, feature.second);
        const bool          forward       = feature.first == outer_operand;
        if (batch.outer != outer_operand)
          start_batch(outer_operand, operand(outer_operand, forward ? first_values : second_values),
                      head_limit);
        const int variant = batch_variant(feature.op, forward);
        if (variant >= 0 && slot_of_node[partner] >= 0)
          for (BatchLevel &level : batch.levels)
            if (level.checkpoint >= 0 && decided(level, variant, slot_of_node[partner]))
              return true;

        const Operand &a       = operand(feature.first, first_values);
        const Operand &b       = operand(feature.second, second_values);
        const double   largest = largest_magnitude(feature.op, a, b);
        if (!(largest <= 1e150) || !space.in_range(largest))
          return false;
        const double head_limit_squared = std::pow(head_limit * (1 - 1e-12), 2);
        const double squares            = n * largest * largest; // >= the sum of squares

        // Then candidate by candidate, from more samples.
        HeadSums    sums;
        std::size_t done = 0;
        for (const Checkpoint &checkpoint : checkpoints)
          {
            if (checkpoint.tail_term >= head_limit_squared)
              continue; // the tail alone could reach the limit: take more samples first
            accumulate_head(feature.op, a.values.data(), b.values.data(), r_in_order.data(), done,
                            checkpoint.end, centre, sums);
            done = checkpoint.end;
            if (head_below(
                    checkpoint, sums.sum, sums.sum_of_squares, sums.cross, sums.sum_of_squares,
                    [&] { return sums.largest; }, head_limit_squared, squares))
              return true;
          }
        return false;
      }

      struct Operand
      {
        std::vector<double> values; // in the order of r_in_order
        double              largest = 0, smallest = 0;
      };

      struct Checkpoint
      {
        std::size_t end;            // k
        double      inverse_end;    // 1 / k
        double      head_sum;       // sum of r over the first k
        double      cross_rounding; // times the root of the head's sum of squares
        double      tail_term;      // |rt on T|^2 + (sum of rt over T)^2 / k, rounded up
      };

      // The sums and decisions of a batch at one checkpoint.
      struct BatchLevel
      {
        int                                       checkpoint = -1;
        double                                    sum = 0, squares = 0, cross = 0; // of f
        BatchCheck                                check;
        std::array<std::vector<double>, 9>        products;
        std::array<double *, 9>                   product_pointers;
        std::array<std::vector<std::uint32_t>, 5> decisions;
        std::array<std::size_t, 3>                computed; // slots done per group of products
      };
      /**
       * The check at one checkpoint, from the head's sums of v (after any shift), v^2 and v r,
       * whose rounding is at most head_rounding times sums of magnitudes bounded by
       * @p magnitude (the sum of squares, or more when the sums were expanded), and
       * head_largest() a lower bound of the head's largest |v|. @p squares: an upper bound of the
       * sum of squares of all samples.
       */
      template <typename HeadLargest>
      bool head_below(const Checkpoint &at, const double sum, const double sum_of_squares,
                      const double cross, const double magnitude, const HeadLargest &head_largest,
                      const double head_limit_squared, const double squares) const
      {
        // spread: a lower bound of the exact A; x: X as computed, whose rounding is at most
        // c = at.cross_rounding times the root of the magnitude.
        double spread = 0, x = 0;
        if (centre)
          {
            const double mean = sum * at.inverse_end;
            spread            = sum_of_squares - sum * mean - 4 * head_rounding * magnitude;
            x                 = cross - mean * at.head_sum;
          }
        else
          {
            spread = sum_of_squares - 4 * head_rounding * magnitude;
            x      = cross;
          }
        // (|X| + c root(m))^2 <= X^2 (1 + c) + m (c + c^2) (as 2 |X| root(m) <= X^2 + m), so
        // the head's bound is below the limit if, with far more than the products' rounding,
        // X^2 (1 + c) + m (c + c^2) <= (head_limit^2 - tail) spread. Written so that NaN fails.
        const double c = at.cross_rounding;
        if (!(spread > 0 && (x * x * (1 + c) + magnitude * (c + c * c)) * (1 + 1e-12) <=
                                (head_limit_squared - at.tail_term) * spread))
          return false;
        // The head's largest |v| and M both in range: so is the candidate's largest.
        if (!space.in_range(head_largest()))
          return false;
        // With an intercept: the variance computed as sum of squares minus square of sum over
        // n loses at most full_rounding * squares to cancellation. squares / spread <=
        // largest_ratio keeps that within the rounding allowed for in head_limit, and far
        // above the cut at which select() calls a candidate constant.
        return !centre || squares * (1 + 1e-12) <= largest_ratio * spread;
      }

      /**
       * Starts the batch of the outer operand @p f at the first checkpoint the limit allows
       * and the next one: the head sums of f with every partner g (by blocks of slots, as
       * needed) and, from them, whether each candidate f + g, f - g, f g, f / g, g / f can be
       * dropped.
       */
      void start_batch(const std::uint32_t outer_operand, const Operand &f, const double head_limit)
      {
        const double head_limit_squared = std::pow(head_limit * (1 - 1e-12), 2);
        batch.outer                     = outer_operand;
        batch.largest                   = f.largest;
        batch.smallest                  = f.smallest;
        int first                       = -1;
        for (std::size_t c = 0; c < partner_sums.size(); ++c)
          if (checkpoints[c].tail_term < head_limit_squared)
            {
              first = c;
              break;
            }
        std::size_t rows = 0;
        for (std::size_t l = 0; l < batch.levels.size(); ++l)
          {
            BatchLevel &level = batch.levels[l];
            level.checkpoint  = first >= 0 && first + l < partner_sums.size() ? first + l : -1;
            if (level.checkpoint >= 0)
              rows = checkpoints[level.checkpoint].end;
          }
        batch.outer_terms.resize(6 * rows);
        for (std::size_t j = 0; j < rows; ++j)
          {
            const double fj = f.values[j], rj = r_in_order[j];
            double      *terms = batch.outer_terms.data() + 6 * j;
            terms[0]           = fj;
            terms[1]           = fj * fj;
            terms[2]           = fj * rj;
            terms[3]           = 1 / fj;
            terms[4]           = 1 / (fj * fj);
            terms[5]           = rj / fj;
          }
        for (BatchLevel &level : batch.levels)
          {
            if (level.checkpoint < 0)
              continue;
            const Checkpoint &at = checkpoints[level.checkpoint];
            level.sum = level.squares = level.cross = 0;
            for (std::size_t j = 0; j < at.end; ++j)
              {
                level.sum += f.values[j];
                level.squares += f.values[j] * f.values[j];
                level.cross += f.values[j] * r_in_order[j];
              }
            level.check = BatchCheck{centre,
                                     double(n),
                                     at.inverse_end,
                                     at.head_sum,
                                     at.cross_rounding,
                                     head_limit_squared - at.tail_term,
                                     4 * head_rounding,
                                     largest_ratio,
                                     range_minimum,
                                     range_maximum};
            level.computed.fill(0);
          }
      }

      // Which decision table a candidate uses: f + g, f - g (or g - f), f g, f / g, g / f.
      static int batch_variant(const FeatureOperator op, const bool forward)
      {
        switch (op)
          {
          case FeatureOperator::add:
            return 0;
          case FeatureOperator::subtract:
            return 1; // g - f has the score and bounds of f - g
          case FeatureOperator::multiply:
            return 2;
          case FeatureOperator::divide:
            return forward ? 3 : 4;
          default:
            return -1;
          }
      }

      // Whether the batch level drops partner slot p of @p variant; computes the block of p if
      // new.
      bool decided(BatchLevel &level, const int variant, const std::size_t p)
      {
        const int group = variant <= 2 ? 0 : variant - 2; // the products a variant needs
        if (p >= level.computed[group])
          {
            const std::size_t begin    = level.computed[group];
            const std::size_t end      = std::min(kept.size(), (p / 16 + 1) * 16);
            double *const    *products = level.product_pointers.data() + 3 * group;
            // A later level goes on from the sums of the level before it.
            const BatchLevel    *before = &level == &batch.levels[0] ? nullptr : &level - 1;
            const double *const *start =
                before != nullptr ? before->product_pointers.data() + 3 * group : nullptr;
            batch_products(group, batch.outer_terms.data(),
                           before != nullptr ? checkpoints[before->checkpoint].end : 0,
                           checkpoints[level.checkpoint].end, column_stride, begin, end,
                           partner_columns.data(), start, products);
            const PartnerSums &g    = partner_sums[level.checkpoint];
            const double       grow = 1 + 1e-14; // |a op b| rounded up
            double            *sum = batch.sum_of[0].data(), *squares = batch.sum_of[1].data(),
                   *cross = batch.sum_of[2].data(), *magnitude = batch.sum_of[3].data(),
                   *largest = batch.sum_of[4].data();
            if (group == 0)
              {
                for (const double sign : {1., -1.})
                  {
                    // Expanded, (f +- g)^2 = f^2 +- 2 f g + g^2: rounded relative to f^2 + g^2.
#pragma omp simd
                    for (std::size_t q = begin; q < end; ++q)
                      {
                        sum[q]       = level.sum + sign * g.sum[q];
                        squares[q]   = level.squares + 2 * sign * products[0][q] + g.squares[q];
                        cross[q]     = level.cross + sign * g.cross[q];
                        magnitude[q] = 2 * (level.squares + g.squares[q]);
                        largest[q]   = (batch.largest + kept_largest[q]) * grow;
                      }
                    batch_decisions(level.check, begin, end, sum, squares, cross, magnitude,
                                    largest, level.decisions[sign > 0 ? 0 : 1].data());
                  }
#pragma omp simd
                for (std::size_t q = begin; q < end; ++q)
                  largest[q] = batch.largest * kept_largest[q] * grow;
                batch_decisions(level.check, begin, end, products[0], products[1], products[2],
                                products[1], largest, level.decisions[2].data());
              }
            else
              {
#pragma omp simd
                for (std::size_t q = begin; q < end; ++q)
                  largest[q] = group == 1 ? batch.largest / kept_smallest[q] * grow
                                          : kept_largest[q] / batch.smallest * grow;
                batch_decisions(level.check, begin, end, products[0], products[1], products[2],
                                products[1], largest, level.decisions[2 + group].data());
              }
            level.computed[group] = end;
          }
        return level.decisions[variant][p] != 0;
      }

      Operand in_order(const double *values) const
      {
        Operand operand;
        operand.values.resize(n);
        double largest = 0, smallest = std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < n; ++j)
          {
            operand.values[j] = values[order[j]];
            largest           = std::max(largest, std::abs(values[j]));
            smallest          = std::min(smallest, std::abs(values[j]));
          }
        operand.largest  = largest;
        operand.smallest = smallest;
        return operand;
      }

      const Operand &operand(const std::uint32_t node, const double *values)
      {
        if (slot_of_node[node] >= 0)
          return kept[slot_of_node[node]];
        // A last-rung feature's outer operand, recomputed: it changes slowly.
        if (node != outer_node)
          {
            outer      = in_order(values);
            outer_node = node;
          }
        return outer;
      }

      // An upper bound of |a op b| over the samples (operands finite, as stored features are).
      static double largest_magnitude(const FeatureOperator op, const Operand &a, const Operand &b)
      {
        const double rounding = 1 + 1e-14;
        switch (op)
          {
          case FeatureOperator::multiply:
            return a.largest * b.largest * rounding;
          case FeatureOperator::divide:
            return b.smallest > 0 ? a.largest / b.smallest * rounding
                                  : std::numeric_limits<double>::infinity();
          default: // sums and differences
            return (a.largest + b.largest) * rounding;
          }
      }

      const FeatureSpace &space;
      bool                centre;
      std::size_t         n;

      // A candidate whose sum of squares exceeds its variance by more is not dropped.
      static constexpr double largest_ratio = 1e6;
      // Batches take at most this many samples (beyond, candidate by candidate).
      static constexpr std::size_t largest_batch      = 256;
      double                       head_rounding      = 0;
      double                       full_rounding_term = 0, full_rounding_factor = 1;
      std::vector<std::size_t>     order;
      std::vector<double>          r_in_order;
      std::vector<Checkpoint>      checkpoints;
      std::vector<std::int64_t>    slot_of_node;
      // Per checkpoint usable by a batch, per kept feature: sums of g, g^2 and g r over the head.
      struct PartnerSums
      {
        std::vector<double> sum, squares, cross;
      };
      std::vector<PartnerSums> partner_sums;
      // Head samples of the kept features, sample by sample: g, g^2, 1 / g, 1 / g^2.
      std::vector<double> partner_columns;
      std::size_t         column_stride = 0;
      struct Batch
      {
        std::uint32_t       outer   = std::numeric_limits<std::uint32_t>::max();
        double              largest = 0, smallest = 0; // of |f| over all samples
        std::vector<double> outer_terms;           // f, f^2, f r, 1 / f, 1 / f^2, r / f per sample
        std::array<std::vector<double>, 5> sum_of; // scratch: sums of one variant
        std::array<BatchLevel, 2>          levels;
      } batch;
      std::vector<double>  kept_largest, kept_smallest; // per slot
      double               range_minimum = 0, range_maximum = 0;
      std::vector<Operand> kept;
      std::uint32_t        outer_node = std::numeric_limits<std::uint32_t>::max();
      Operand              outer;
    };

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
    // The standardised values of all of them in one block: a vector each cost an allocation
    // and fresh pages per feature (1000 features of 1000 samples: 8 MB in 1000 pieces).
    const std::size_t n = space.n_samples();
    excluded_values.push_back(std::make_unique<LargeArray<double>>(features.size() * n));
    double             *block = excluded_values.back()->data();
    std::vector<double> values(n);
    for (std::size_t i = 0; i < features.size(); ++i)
      {
        double *z = block + i * n;
        space.values(features[i].feature, values.data());
        standardise(values.data(), z);
        excluded.emplace(fingerprint(z), z);
      }
  }

  std::vector<ScreenedFeature> FeatureScreening::select(const std::vector<double> &target,
                                                        const unsigned int         n_select,
                                                        MPI_Comm                   communicator,
                                                        ScreeningCounts           &counts) const
  {
    const int           rank = ranks::this_rank(communicator), n_ranks = ranks::count(communicator);
    const std::size_t   n = space.n_samples();
    std::vector<double> r(n), z(n);
    standardise(target.data(), r.data());

    const auto is_excluded = [&](const std::vector<double> &z_candidate) {
      const double key = fingerprint(z_candidate.data());
      for (auto it = excluded.lower_bound(key - score_tolerance);
           it != excluded.end() && it->first <= key + score_tolerance; ++it)
        if (equivalent(it->second, z_candidate.data()))
          return true;
      return false;
    };
    const auto exact_score = [&](const std::vector<double> &z_candidate) {
      double dot = 0;
      for (std::size_t i = 0; i < n; ++i)
        dot += z_candidate[i] * r[i];
      return std::abs(dot);
    };

    BestFeatures              local(*this, n_select, n);
    ScreeningCounts           local_counts;
    std::optional<ScoreBound> bound;
    if (score_bound)
      bound.emplace(space, r, centre);
    std::vector<double> buffer(n);
    space.for_each_candidate(
        rank, n_ranks,
        [&](const FeatureRef &feature, const std::uint64_t id, const unsigned int complexity,
            const double *first, const double *second) {
          ++local_counts.candidates;
          const double limit = local.threshold() - score_tolerance;
          if (bound && limit > 0 && feature.op != FeatureOperator::primary &&
              bound->at_most(feature, first, second, limit))
            {
              ++local_counts.bounded;
              return;
            }
          const double *values = first;
          if (feature.op != FeatureOperator::primary)
            {
              space.compute(feature.op, first, second, buffer.data());
              values = buffer.data();
            }
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
          if (score <= limit)
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
    auto gathered = ranks::gather(std::move(packed), communicator);
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

    std::uint64_t total[5] = {local_counts.candidates, local_counts.invalid,
                              local_counts.out_of_range, local_counts.constant,
                              local_counts.bounded};
    ranks::sum(total, 5, communicator);
    counts = ScreeningCounts{total[0], total[1], total[2], total[3], total[4]};

    return merged.sorted();
  }
} // namespace weaklink
