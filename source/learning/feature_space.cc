#include <weaklink/core/input_error.h>
#include <weaklink/learning/feature_space.h>

#include <sys/mman.h>

#include <cmath>
#include <cstdint>
#include <map>

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
                             const FeatureSpaceSettings             &settings_)
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
        stored.insert(stored.end(), column.begin(), column.end());
      }
    rung_counts.push_back(primaries);
    by_complexity.assign(1, {});
    for (std::uint32_t i = 0; i < nodes.size(); ++i)
      by_complexity[0].push_back(i);
    rung_begin.push_back(nodes.size());
    for (unsigned int rung = 1; rung < settings.rung; ++rung)
      {
        build_stored_rung(rung);
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

  void FeatureSpace::build_stored_rung(const unsigned int rung)
  {
    FeatureCounts                        counts;
    const std::size_t                    old_size = nodes.size();
    std::vector<Node>                    new_nodes;
    std::multimap<double, std::uint32_t> fingerprints;
    std::vector<double>                  buffer(samples);

    // Values go straight into the store; reserving (untouched pages cost no memory) keeps pointers
    // valid.
    std::uint64_t n_built = 0;
    enumerate_rung(rung, 0, 1, [&](const FeatureRef &, std::uint64_t, unsigned int) { ++n_built; });
    reserve_store(stored.size() + n_built * samples);
    std::vector<double> weights(samples);
    for (std::size_t i = 0; i < samples; ++i)
      weights[i] = fingerprint_weight(i);
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
    const auto find_duplicate = [&](const double *values) -> std::int64_t {
      double       tolerance = 0;
      const double key       = fingerprint(values, tolerance);
      for (auto it = fingerprints.lower_bound(key - tolerance);
           it != fingerprints.end() && it->first <= key + tolerance; ++it)
        if (same_up_to_sign(values, stored_values(it->second), samples))
          return it->second;
      return -1;
    };
    for (std::uint32_t i = 0; i < old_size; ++i)
      {
        double tolerance = 0;
        fingerprints.emplace(fingerprint(stored_values(i), tolerance), i);
      }

    enumerate_rung(
        rung, 0, 1, [&](const FeatureRef &feature, std::uint64_t, const unsigned int complexity) {
          ++counts.built;
          compute(feature.op, stored_values(feature.first), stored_values(feature.second),
                  buffer.data());
          double sum = 0, sum_of_squares = 0, largest = 0;
          for (std::size_t i = 0; i < samples; ++i)
            {
              sum += buffer[i];
              sum_of_squares += buffer[i] * buffer[i];
              largest = std::max(largest, std::abs(buffer[i]));
            }
          if (!std::isfinite(sum_of_squares))
            {
              ++counts.invalid;
              return;
            }
          if (largest < settings.fmax_min || largest > settings.fmax_max)
            {
              ++counts.out_of_range;
              return;
            }
          if (sum_of_squares - sum * sum / samples <= 1e-12 * sum_of_squares)
            {
              ++counts.constant;
              return;
            }
          const auto         unit = operator_unit(feature.op, units[nodes[feature.first].unit_id],
                                                  units[nodes[feature.second].unit_id],
                                                  settings.strict_transcendental_units);
          const Node         node{feature.op,
                          feature.first,
                          feature.second,
                          std::uint8_t(rung),
                          std::uint8_t(complexity),
                          intern_unit(*unit)};
          const std::int64_t duplicate = find_duplicate(buffer.data());
          if (duplicate >= 0)
            {
              ++counts.duplicate;
              // Within this rung, keep the simplest of equal features.
              if (std::size_t(duplicate) >= old_size &&
                  new_nodes[duplicate - old_size].complexity > complexity)
                {
                  new_nodes[duplicate - old_size] = node;
                  std::copy(buffer.begin(), buffer.end(), stored.begin() + duplicate * samples);
                }
              return;
            }
          ++counts.kept;
          double tolerance = 0;
          fingerprints.emplace(fingerprint(buffer.data(), tolerance),
                               std::uint32_t(old_size + new_nodes.size()));
          new_nodes.push_back(node);
          stored.insert(stored.end(), buffer.begin(), buffer.end());
        });

    for (std::size_t k = 0; k < new_nodes.size(); ++k)
      {
        const auto c = new_nodes[k].complexity;
        if (by_complexity.size() <= c)
          by_complexity.resize(c + 1);
        by_complexity[c].push_back(old_size + k);
      }
    nodes.insert(nodes.end(), new_nodes.begin(), new_nodes.end());
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
    if (feature.op == FeatureOperator::primary)
      std::copy(stored_values(feature.first), stored_values(feature.first) + samples, output);
    else
      compute(feature.op, stored_values(feature.first), stored_values(feature.second), output);
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
