#pragma once

#include <weaklink/learning/feature_operator.h>
#include <weaklink/learning/physical_unit.h>

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weaklink
{
  struct FeatureSpaceSettings
  {
    /** Depth of the operator trees; rungs below it are stored, the last one is built on the fly. */
    unsigned int rung = 2;
    /** Largest number of operators in one feature. */
    unsigned int max_complexity = 1000;
    /** Operators for each rung (one entry: the same operators for every rung). */
    std::vector<std::vector<FeatureOperator>> operators_per_rung;
    /** A built feature whose largest magnitude is below fmax_min or above fmax_max is discarded. */
    double fmax_min                    = 1e-3;
    double fmax_max                    = 1e5;
    bool   strict_transcendental_units = true;
  };

  /**
   * A feature of the space: a stored one (op == primary, first = its index
   * among the stored features) or a last-rung feature, op applied to the
   * stored features first (and second).
   */
  struct FeatureRef
  {
    FeatureOperator op     = FeatureOperator::primary;
    std::uint32_t   first  = 0;
    std::uint32_t   second = 0;
  };

  /** Counts of what feature construction produced and threw away. */
  struct FeatureCounts
  {
    std::uint64_t built        = 0;
    std::uint64_t kept         = 0;
    std::uint64_t invalid      = 0; ///< NaN or inf somewhere
    std::uint64_t out_of_range = 0; ///< largest magnitude outside [fmax_min, fmax_max]
    std::uint64_t constant     = 0;
    std::uint64_t duplicate    = 0; ///< equal to a kept feature up to the sign
  };

  /**
   * The SISSO feature space over the primary features: rungs 0..R-1 built,
   * pruned and stored (every rank holds them all; building them is split
   * over the ranks of the communicator), rung R
   * enumerated on the fly and never stored. Candidates are identified by a
   * 64-bit id that does not depend on the number of ranks and is used to
   * break ties deterministically.
   */
  class FeatureSpace
  {
  public:
    FeatureSpace(const std::vector<std::vector<double>> &primary_columns,
                 const std::vector<std::string>         &primary_names,
                 const std::vector<PhysicalUnit>        &primary_units,
                 const FeatureSpaceSettings &settings, MPI_Comm communicator = MPI_COMM_SELF);

    std::size_t  n_samples() const { return samples; }
    std::size_t  n_stored() const { return nodes.size(); }
    unsigned int n_rungs() const { return settings.rung; }

    /** Number of stored features whose values are kept (the others are recomputed when needed). */
    std::size_t n_kept_values() const { return stored.size() / samples; }

    /** What building (and pruning) each stored rung gave. */
    const std::vector<FeatureCounts> &stored_rung_counts() const { return rung_counts; }

    /**
     * Calls visit(ref, id, complexity, first, second) for every candidate of
     * the whole space assigned to @p rank out of @p n_ranks: the stored
     * features and the last rung built on the fly. first and second are the
     * values of the operands (for a stored feature, its own values, twice),
     * valid during the call only; the visitor computes a last-rung candidate
     * with compute() if it needs all of its values, so that a screening can
     * look at part of them first. Pruning of last-rung candidates is left to
     * the visitor.
     */
    template <typename Visitor>
    void for_each_candidate(unsigned int rank, unsigned int n_ranks, Visitor &&visit) const;

    /** op applied to the values @p a (and @p b) of every sample. */
    void compute(FeatureOperator op, const double *a, const double *b, double *output) const;

    /** The values of a stored feature if they are kept in memory, else nullptr. */
    const double *kept_values(const std::uint32_t node) const
    {
      return nodes[node].offset >= 0 ? stored.data() + nodes[node].offset : nullptr;
    }

    /** True if a built feature with this largest magnitude is kept. */
    bool in_range(double largest_magnitude) const
    {
      return largest_magnitude >= settings.fmax_min && largest_magnitude <= settings.fmax_max;
    }

    /** The range in_range() accepts. */
    double range_minimum() const { return settings.fmax_min; }
    double range_maximum() const { return settings.fmax_max; }

    /** Number of last-rung candidates (before pruning) over all ranks. */
    std::uint64_t n_last_rung_candidates() const;

    std::uint64_t id(const FeatureRef &feature) const;
    unsigned int  complexity(const FeatureRef &feature) const;
    PhysicalUnit  unit(const FeatureRef &feature) const;
    std::string   formula(const FeatureRef &feature) const;

    /** The values of a feature on the samples of this space. */
    void values(const FeatureRef &feature, double *output) const;

    /** The values of a feature on other samples, given as primary columns. */
    std::vector<double> evaluate(const FeatureRef                       &feature,
                                 const std::vector<std::vector<double>> &primary_columns) const;

  private:
    struct Node
    {
      FeatureOperator op;
      std::uint32_t   first, second; ///< primary column (op == primary) or stored operands
      std::uint8_t    rung, complexity;
      std::uint32_t   unit_id;
      std::int64_t    offset = -1; ///< of its values in the store; -1: recomputed from its operands
    };

    /** Values of a stored feature: kept ones in place, others computed into @p scratch. */
    const double *node_values(std::uint32_t node, std::vector<double> &scratch) const;

    std::uint32_t                       intern_unit(const PhysicalUnit &unit);
    void                                reserve_store(std::size_t n_values);
    const std::vector<FeatureOperator> &operators_of_rung(unsigned int rung) const;

    /**
     * Enumerates the features of @p rung from the stored ones: unary
     * operators on the previous rung, binary ones on unordered pairs with at
     * least one operand from the previous rung. Calls
     * generate(op, first, second, slot) for this rank's share.
     */
    template <typename Generate>
    void enumerate_rung(unsigned int rung, unsigned int rank, unsigned int n_ranks,
                        Generate &&generate) const;

    std::vector<double>
                evaluate_node(std::uint32_t                           node,
                              const std::vector<std::vector<double>> &primary_columns) const;
    std::string node_formula(std::uint32_t node) const;
    void        build_stored_rung(unsigned int rung, MPI_Comm communicator);

    FeatureSpaceSettings      settings;
    std::size_t               samples;
    std::vector<std::string>  primary_names;
    std::vector<PhysicalUnit> units;
    std::uint32_t             dimensionless_unit;
    std::vector<Node>         nodes;
    /**
     * Values of the stored features that can be an operand's partner in the last rung (all
     * of them without a complexity limit). A last-rung feature's first operand is computed
     * once per operand instead: with a complexity limit this keeps most of the previous rung
     * out of memory.
     */
    std::vector<double>                     stored;
    std::vector<std::size_t>                rung_begin; ///< stored index where each rung starts
    std::vector<std::vector<std::uint32_t>> by_complexity;
    std::vector<FeatureCounts>              rung_counts;
  };
} // namespace weaklink

#include <weaklink/learning/feature_space.templates.h>
