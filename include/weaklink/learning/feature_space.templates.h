#pragma once

// Hot loops of feature_space.h, inlined into their callers.

#include <algorithm>

namespace weaklink
{
  template <typename Generate>
  void FeatureSpace::enumerate_rung(const unsigned int rung, const unsigned int rank,
                                    const unsigned int n_ranks, Generate &&generate) const
  {
    const auto         &operators = operators_of_rung(rung);
    const std::size_t   begin     = rung_begin[rung - 1];
    const std::size_t   end       = rung_begin[rung];
    const std::uint64_t n         = nodes.size();
    const auto          pair_id   = [&](std::uint64_t a, std::uint64_t b, std::uint64_t slot) {
      return n + (a * n + b) * 32 + slot;
    };
    for (std::size_t f = begin; f < end; ++f)
      {
        if ((f - begin) % n_ranks != rank)
          continue;
        const Node &feature = nodes[f];
        for (const FeatureOperator op : operators)
          if (!is_binary(op) && feature.complexity + 1u <= settings.max_complexity)
            {
              const bool transcendental =
                  op == FeatureOperator::exp || op == FeatureOperator::exp_negative ||
                  op == FeatureOperator::log || op == FeatureOperator::sin ||
                  op == FeatureOperator::cos || op == FeatureOperator::cauchy;
              if (transcendental && settings.strict_transcendental_units &&
                  feature.unit_id != dimensionless_unit)
                continue;
              generate(FeatureRef{op, std::uint32_t(f), std::uint32_t(f)},
                       pair_id(f, f, static_cast<unsigned>(op)), feature.complexity + 1u);
            }
        if (feature.complexity + 1u > settings.max_complexity)
          continue;
        const unsigned int budget = settings.max_complexity - 1 - feature.complexity;
        for (unsigned int c = 0; c <= budget && c < by_complexity.size(); ++c)
          {
            const auto        &partners   = by_complexity[c];
            const auto         last       = std::lower_bound(partners.begin(), partners.end(), f);
            const unsigned int complexity = feature.complexity + c + 1;
            for (auto partner = partners.begin(); partner != last; ++partner)
              {
                const std::uint32_t g         = *partner;
                const bool          same_unit = nodes[g].unit_id == feature.unit_id;
                for (const FeatureOperator op : operators)
                  switch (op)
                    {
                    case FeatureOperator::add:
                    case FeatureOperator::subtract:
                    case FeatureOperator::absolute_difference:
                      if (same_unit)
                        generate(FeatureRef{op, std::uint32_t(f), g},
                                 pair_id(f, g, static_cast<unsigned>(op)), complexity);
                      break;
                    case FeatureOperator::multiply:
                      generate(FeatureRef{op, std::uint32_t(f), g},
                               pair_id(f, g, static_cast<unsigned>(op)), complexity);
                      break;
                    case FeatureOperator::divide:
                      generate(FeatureRef{op, std::uint32_t(f), g},
                               pair_id(f, g, static_cast<unsigned>(op)), complexity);
                      generate(FeatureRef{op, g, std::uint32_t(f)}, pair_id(f, g, 31), complexity);
                      break;
                    default:
                      break;
                    }
              }
          }
      }
  }

  template <typename Visitor>
  void FeatureSpace::for_each_candidate(const unsigned int rank, const unsigned int n_ranks,
                                        Visitor &&visit) const
  {
    std::vector<double> buffer(samples), outer_values(samples);
    for (std::size_t i = rank; i < nodes.size(); i += n_ranks)
      {
        const double *values = node_values(i, buffer);
        visit(FeatureRef{FeatureOperator::primary, std::uint32_t(i), 0}, std::uint64_t(i),
              nodes[i].complexity, values, values);
      }
    if (settings.rung == 0)
      return;
    // Partners always have kept values; only the outer operand (which changes slowly) may
    // need computing, once while it lasts.
    std::int64_t cached    = -1;
    const auto   values_of = [&](const std::uint32_t node) -> const double   *{
      if (nodes[node].offset >= 0)
        return stored.data() + nodes[node].offset;
      if (cached != std::int64_t(node))
        {
          node_values(node, outer_values);
          cached = node;
        }
      return outer_values.data();
    };
    enumerate_rung(
        settings.rung, rank, n_ranks,
        [&](const FeatureRef &feature, const std::uint64_t id, const unsigned int complexity) {
          visit(feature, id, complexity, values_of(feature.first), values_of(feature.second));
        });
  }
} // namespace weaklink
