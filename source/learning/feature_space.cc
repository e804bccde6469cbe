#include <weaklink/core/input_error.h>
#include <weaklink/learning/feature_space.h>
#include <weaklink/statistics/ranks.h>

#include <sys/mman.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>

namespace weaklink
{
  namespace
  {
    // Fixed weights in [0.5, 1.5): equal features (up to the sign) have equal weighted sums.
    double fingerprint_weight(const std::size_t i)
    {
      const double golden = 0.6180339887498949;
      return 0.5 + std::fmod(double(i + 1) * golden, 1.0);
    }

    bool same_up_to_sign(const double *a, const double *b, const std::size_t n)
    {
      std::size_t largest = 0;
      double      scale   = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (std::abs(a[i]) > scale)
          {
            scale   = std::abs(a[i]);
            largest = i;
          }
      const double sign = (a[largest] >= 0) == (b[largest] >= 0) ? 1. : -1.;
      for (std::size_t i = 0; i < n; ++i)
        if (std::abs(a[i] - sign * b[i]) > 1e-10 * scale)
          return false;
      return true;
    }
  } // namespace

  FeatureSpace::FeatureSpace(const std::vector<std::vector<double>> &primary_columns,
                             const std::vector<std::string>         &names,
                             const std::vector<PhysicalUnit>        &primary_units,
                             const FeatureSpaceSettings &settings_, MPI_Comm communicator)
      : settings(settings_)
      , samples(primary_columns.empty() ? 0 : primary_columns[0].size())
      , primary_names(names)
  {
    if (primary_columns.empty() || samples < 2)
      throw InputError("SISSO needs at least one primary feature and two samples");
    if (names.size() != primary_columns.size() || primary_units.size() != primary_columns.size())
      throw InputError("SISSO: feature names, units and columns differ in number");
    if (settings.rung > 0 && settings.operators_per_rung.empty())
      throw InputError("SISSO: no operators given for a feature space of rung " +
                       std::to_string(settings.rung));
    if (settings.operators_per_rung.size() > 1 &&
        settings.operators_per_rung.size() < settings.rung)
      throw InputError("SISSO: " + std::to_string(settings.operators_per_rung.size()) +
                       " operator lists for " + std::to_string(settings.rung) + " rungs");
    dimensionless_unit = intern_unit(PhysicalUnit());

    FeatureCounts primaries;
    rung_begin.push_back(0);
    for (std::size_t p = 0; p < primary_columns.size(); ++p)
      {
        const auto &column = primary_columns[p];
        if (column.size() != samples)
          throw InputError("SISSO: primary feature '" + names[p] + "' has " +
                           std::to_string(column.size()) + " values, not " +
                           std::to_string(samples));
        ++primaries.built;
        double sum = 0, sum_of_squares = 0;
        for (const double value : column)
          {
            if (!std::isfinite(value))
              throw InputError("SISSO: primary feature '" + names[p] + "' holds " +
                               std::to_string(value));
            sum += value;
            sum_of_squares += value * value;
          }
        if (sum_of_squares - sum * sum / samples <= 1e-12 * sum_of_squares)
          {
            ++primaries.constant;
            continue;
          }
        ++primaries.kept;
        nodes.push_back(Node{FeatureOperator::primary, std::uint32_t(p), 0, 0, 0,
                             intern_unit(primary_units[p])});
        nodes.back().offset = stored.size();
        stored.insert(stored.end(), column.begin(), column.end());
      }
    rung_counts.push_back(primaries);
    by_complexity.assign(1, {});
    for (std::uint32_t i = 0; i < nodes.size(); ++i)
      by_complexity[0].push_back(i);
    rung_begin.push_back(nodes.size());
    for (unsigned int rung = 1; rung < settings.rung; ++rung)
      {
        build_stored_rung(rung, communicator);
        rung_begin.push_back(nodes.size());
      }
  }

  void FeatureSpace::reserve_store(const std::size_t n_values)
  {
    stored.reserve(n_values);
    // The store is large and filled once: huge pages save most of the page faults (and TLB misses
    // of the screening loops). Only a hint; nothing depends on it being honoured.
    const std::uintptr_t page = 2u << 20;
    const std::uintptr_t begin =
        (reinterpret_cast<std::uintptr_t>(stored.data()) + page - 1) / page * page;
    const std::uintptr_t end =
        reinterpret_cast<std::uintptr_t>(stored.data() + stored.capacity()) / page * page;
    if (end > begin)
      madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
  }

  std::uint32_t FeatureSpace::intern_unit(const PhysicalUnit &unit)
  {
    for (std::uint32_t i = 0; i < units.size(); ++i)
      if (units[i] == unit)
        return i;
    units.push_back(unit);
    return units.size() - 1;
  }

  const std::vector<FeatureOperator> &FeatureSpace::operators_of_rung(const unsigned int rung) const
  {
    return settings.operators_per_rung.size() == 1 ? settings.operators_per_rung[0]
                                                   : settings.operators_per_rung[rung - 1];
  }

  // Runs for every candidate of every screening pass; AVX2 where the processor has it.
  __attribute__((target_clones("avx2", "default"))) void
  FeatureSpace::compute(const FeatureOperator op, const double *a, const double *b,
                        double *output) const
  {
    const std::size_t n = samples;
    switch (op)
      {
      case FeatureOperator::add:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = a[i] + b[i];
        break;
      case FeatureOperator::subtract:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = a[i] - b[i];
        break;
      case FeatureOperator::multiply:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = a[i] * b[i];
        break;
      case FeatureOperator::divide:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = a[i] / b[i];
        break;
      case FeatureOperator::absolute_difference:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = std::abs(a[i] - b[i]);
        break;
      case FeatureOperator::square:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = a[i] * a[i];
        break;
      case FeatureOperator::inverse:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = 1 / a[i];
        break;
      default:
        for (std::size_t i = 0; i < n; ++i)
          output[i] = apply_operator(op, a[i]);
      }
  }

  const double *FeatureSpace::node_values(const std::uint32_t  node,
                                          std::vector<double> &scratch) const
  {
    const Node &n = nodes[node];
    if (n.offset >= 0)
      return stored.data() + n.offset;
    // Operands of stored features always have kept values.
    compute(n.op, stored.data() + nodes[n.first].offset, stored.data() + nodes[n.second].offset,
            scratch.data());
    return scratch.data();
  }

  void FeatureSpace::build_stored_rung(const unsigned int rung, MPI_Comm communicator)
  {
    const int           rank = ranks::this_rank(communicator), n_ranks = ranks::count(communicator);
    const std::size_t   old_size = nodes.size();
    std::vector<double> weights(samples), buffer(samples), other(samples);
    for (std::size_t i = 0; i < samples; ++i)
      weights[i] = fingerprint_weight(i);

    // A built feature that survived pruning, as exchanged between ranks.
    struct Survivor
    {
      std::uint64_t id;
      double        fingerprint, tolerance;
      std::uint32_t first, second;
      std::uint8_t  op, complexity;
    };
    const auto fingerprint = [&](const double *values, double &tolerance) {
      double sum = 0, scale = 0;
      for (std::size_t i = 0; i < samples; ++i)
        {
          sum += values[i] * weights[i];
          scale += std::abs(values[i]) * weights[i];
        }
      tolerance = 1e-9 * scale;
      return std::abs(sum);
    };

    // Build and prune this rank's share (by outer operand).
    std::uint64_t         local[4] = {0, 0, 0, 0}; // built, invalid, out of range, constant
    std::vector<Survivor> mine;
    enumerate_rung(
        rung, rank, n_ranks,
        [&](const FeatureRef &feature, const std::uint64_t id, const unsigned int complexity) {
          ++local[0];
          compute(feature.op, stored.data() + nodes[feature.first].offset,
                  stored.data() + nodes[feature.second].offset, buffer.data());
          double sum = 0, sum_of_squares = 0, largest = 0;
          for (std::size_t i = 0; i < samples; ++i)
            {
              sum += buffer[i];
              sum_of_squares += buffer[i] * buffer[i];
              largest = std::max(largest, std::abs(buffer[i]));
            }
          if (!std::isfinite(sum_of_squares))
            ++local[1];
          else if (largest < settings.fmax_min || largest > settings.fmax_max)
            ++local[2];
          else if (sum_of_squares - sum * sum / samples <= 1e-12 * sum_of_squares)
            ++local[3];
          else
            {
              double       tolerance = 0;
              const double key       = fingerprint(buffer.data(), tolerance);
              mine.push_back(Survivor{id, key, tolerance, feature.first, feature.second,
                                      static_cast<std::uint8_t>(feature.op),
                                      static_cast<std::uint8_t>(complexity)});
            }
        });
    std::uint64_t total[4] = {local[0], local[1], local[2], local[3]};
    ranks::sum(total, 4, communicator);
    auto all = ranks::gather(std::move(mine), communicator);
    // Same order on every rank, whatever the split: by construction id.
    std::sort(all.begin(), all.end(),
              [](const Survivor &a, const Survivor &b) { return a.id < b.id; });

    // Deduplicate: equal fingerprints first (sorted), then the values themselves. Earlier
    // rungs win; within the rung a class is represented by its simplest member (then the
    // smallest id) and placed at its smallest id.
    const std::size_t   n_old = old_size, n_all = n_old + all.size();
    std::vector<double> keys(n_all), tolerances(n_all);
    for (std::size_t i = 0; i < n_old; ++i)
      keys[i] = fingerprint(stored.data() + nodes[i].offset, tolerances[i]);
    for (std::size_t k = 0; k < all.size(); ++k)
      {
        keys[n_old + k]       = all[k].fingerprint;
        tolerances[n_old + k] = all[k].tolerance;
      }
    const auto values_of = [&](const std::size_t i, std::vector<double> &out) -> const double * {
      if (i < n_old)
        return stored.data() + nodes[i].offset;
      const Survivor &s = all[i - n_old];
      compute(static_cast<FeatureOperator>(s.op), stored.data() + nodes[s.first].offset,
              stored.data() + nodes[s.second].offset, out.data());
      return out.data();
    };
    std::vector<std::size_t> by_key(n_all);
    std::iota(by_key.begin(), by_key.end(), 0);
    std::sort(by_key.begin(), by_key.end(), [&](std::size_t a, std::size_t b) {
      return keys[a] != keys[b] ? keys[a] < keys[b] : a < b;
    });
    // representative[i]: the smallest index of i's class (old features come first).
    std::vector<std::size_t> representative(n_all);
    std::iota(representative.begin(), representative.end(), 0);
    const auto find = [&](std::size_t i) {
      while (representative[i] != i)
        i = representative[i] = representative[representative[i]];
      return i;
    };
    for (std::size_t a = 0; a < n_all; ++a)
      for (std::size_t b = a + 1;
           b < n_all && keys[by_key[b]] <= keys[by_key[a]] + std::max(tolerances[by_key[a]],
                                                                      tolerances[by_key[b]]);
           ++b)
        {
          const std::size_t i = by_key[a], j = by_key[b];
          if (find(i) == find(j))
            continue;
          if (!same_up_to_sign(values_of(i, buffer), values_of(j, other), samples))
            continue;
          const std::size_t ri = find(i), rj = find(j);
          representative[std::max(ri, rj)] = std::min(ri, rj);
        }
    // Members of each new class: the simplest (then smallest id) one is kept at the class's place.
    std::vector<std::int64_t> chosen(n_all, -1);
    std::uint64_t             duplicates = 0;
    for (std::size_t k = 0; k < all.size(); ++k)
      {
        const std::size_t root = find(n_old + k);
        if (root != n_old + k)
          ++duplicates;
        if (root < n_old)
          continue;
        if (chosen[root] < 0 || all[k].complexity < all[chosen[root] - n_old].complexity)
          chosen[root] = n_old + k;
      }
    std::vector<Node> new_nodes;
    for (std::size_t k = 0; k < all.size(); ++k)
      if (find(n_old + k) == n_old + k)
        {
          const Survivor &s  = all[chosen[n_old + k] - n_old];
          const auto      op = static_cast<FeatureOperator>(s.op);
          const auto      unit =
              operator_unit(op, units[nodes[s.first].unit_id], units[nodes[s.second].unit_id],
                            settings.strict_transcendental_units);
          new_nodes.push_back(
              Node{op, s.first, s.second, std::uint8_t(rung), s.complexity, intern_unit(*unit)});
        }

    // Keep the values of features that can be a partner in the last rung: all of the rungs
    // below the previous one, and those of the previous one simple enough (its features have
    // at least R-1 operators, so a partner of complexity c needs c + R <= max complexity).
    std::size_t n_kept = 0;
    const auto  keeps  = [&](const Node &node) {
      return rung + 1 < settings.rung || node.complexity + settings.rung <= settings.max_complexity;
    };
    for (const auto &node : new_nodes)
      n_kept += keeps(node);
    reserve_store(stored.size() + n_kept * samples);
    for (std::size_t k = 0; k < new_nodes.size(); ++k)
      {
        Node &node = new_nodes[k];
        if (keeps(node))
          {
            node.offset = stored.size();
            stored.resize(stored.size() + samples);
            compute(node.op, stored.data() + nodes[node.first].offset,
                    stored.data() + nodes[node.second].offset, stored.data() + node.offset);
          }
        const auto c = node.complexity;
        if (by_complexity.size() <= c)
          by_complexity.resize(c + 1);
        by_complexity[c].push_back(old_size + k);
      }
    nodes.insert(nodes.end(), new_nodes.begin(), new_nodes.end());
    FeatureCounts counts;
    counts.built        = total[0];
    counts.invalid      = total[1];
    counts.out_of_range = total[2];
    counts.constant     = total[3];
    counts.duplicate    = duplicates;
    counts.kept         = new_nodes.size();
    rung_counts.push_back(counts);
  }

  std::uint64_t FeatureSpace::n_last_rung_candidates() const
  {
    if (settings.rung == 0)
      return 0;
    std::uint64_t count = 0;
    enumerate_rung(settings.rung, 0, 1,
                   [&](const FeatureRef &, std::uint64_t, unsigned int) { ++count; });
    return count;
  }

  std::uint64_t FeatureSpace::id(const FeatureRef &feature) const
  {
    if (feature.op == FeatureOperator::primary)
      return feature.first;
    const std::uint64_t n = nodes.size();
    if (!is_binary(feature.op))
      return n + (feature.first * n + feature.first) * 32 + static_cast<unsigned>(feature.op);
    const bool reversed   = feature.op == FeatureOperator::divide && feature.first < feature.second;
    const std::uint64_t a = std::max(feature.first, feature.second);
    const std::uint64_t b = std::min(feature.first, feature.second);
    return n + (a * n + b) * 32 + (reversed ? 31u : static_cast<unsigned>(feature.op));
  }

  unsigned int FeatureSpace::complexity(const FeatureRef &feature) const
  {
    if (feature.op == FeatureOperator::primary)
      return nodes[feature.first].complexity;
    if (!is_binary(feature.op))
      return nodes[feature.first].complexity + 1;
    return nodes[feature.first].complexity + nodes[feature.second].complexity + 1;
  }

  PhysicalUnit FeatureSpace::unit(const FeatureRef &feature) const
  {
    const PhysicalUnit &a = units[nodes[feature.first].unit_id];
    if (feature.op == FeatureOperator::primary)
      return a;
    const PhysicalUnit &b = units[nodes[feature.second].unit_id];
    return operator_unit(feature.op, a, b, settings.strict_transcendental_units)
        .value_or(PhysicalUnit());
  }

  std::string FeatureSpace::node_formula(const std::uint32_t node) const
  {
    const Node &n = nodes[node];
    if (n.op == FeatureOperator::primary)
      return primary_names[n.first];
    return operator_formula(n.op, node_formula(n.first),
                            is_binary(n.op) ? node_formula(n.second) : "");
  }

  std::string FeatureSpace::formula(const FeatureRef &feature) const
  {
    if (feature.op == FeatureOperator::primary)
      return node_formula(feature.first);
    return operator_formula(feature.op, node_formula(feature.first),
                            is_binary(feature.op) ? node_formula(feature.second) : "");
  }

  void FeatureSpace::values(const FeatureRef &feature, double *output) const
  {
    // Scratch for operands computed on the fly, kept between calls (screening asks for
    // thousands of features; an allocation each cost page faults as well as time).
    thread_local std::vector<double> first, second;
    first.resize(samples);
    second.resize(samples);
    if (feature.op == FeatureOperator::primary)
      {
        const double *values = node_values(feature.first, first);
        std::copy(values, values + samples, output);
      }
    else
      compute(feature.op, node_values(feature.first, first), node_values(feature.second, second),
              output);
  }

  std::vector<double>
  FeatureSpace::evaluate_node(const std::uint32_t                     node,
                              const std::vector<std::vector<double>> &columns) const
  {
    const Node &n = nodes[node];
    if (n.op == FeatureOperator::primary)
      return columns.at(n.first);
    std::vector<double>       a = evaluate_node(n.first, columns);
    const std::vector<double> b = is_binary(n.op) ? evaluate_node(n.second, columns) : a;
    for (std::size_t i = 0; i < a.size(); ++i)
      a[i] = apply_operator(n.op, a[i], b[i]);
    return a;
  }

  std::vector<double> FeatureSpace::evaluate(const FeatureRef                       &feature,
                                             const std::vector<std::vector<double>> &columns) const
  {
    std::vector<double> a = evaluate_node(feature.first, columns);
    if (feature.op == FeatureOperator::primary)
      return a;
    const std::vector<double> b =
        is_binary(feature.op) ? evaluate_node(feature.second, columns) : a;
    for (std::size_t i = 0; i < a.size(); ++i)
      a[i] = apply_operator(feature.op, a[i], b[i]);
    return a;
  }
} // namespace weaklink
