#pragma once

#include <deal.II/base/parameter_handler.h>

#include <weaklink/core/run_parameters.h>
#include <weaklink/physics/current_protocol.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weaklink
{
  /** What a termination criterion looks at after each accepted step. */
  struct RunProgress
  {
    double       time         = 0;
    unsigned int step         = 0;
    double       wall_minutes = 0; ///< since this process started the run (or resumed it)
    bool         shorted      = false;
    /** The crack front of the short-circuit monitor (distance from Γp) [m]; NaN without one. */
    double crack_front = std::numeric_limits<double>::quiet_NaN();
  };

  /**
   * One reason for a run to stop (subsection Termination). The time loop
   * asks every chosen criterion after each accepted step and stops at the
   * first that answers; criteria with a stop time are landed on exactly.
   */
  class TerminationCriterion
  {
  public:
    virtual ~TerminationCriterion() = default;
    /** The name used in Termination/Criteria. */
    virtual std::string name() const = 0;
    /** Why the run stops after the step described by @p progress, or nothing. */
    virtual std::optional<std::string> reason(const RunProgress &progress) const = 0;
    /** A time the run has to land on to stop there; +infinity if none. */
    virtual double stop_time() const;
    /** Whether the run stops to be continued later (a checkpoint is written, nothing is over). */
    virtual bool interrupts() const { return false; }
  };

  /** The criteria Termination/Criteria lists, in its order. */
  class TerminationCriteria
  {
  public:
    static void declare(dealii::ParameterHandler &prm);
    /** InputError for a criterion without what it needs (a wall-clock limit). */
    TerminationCriteria(dealii::ParameterHandler &prm, const TimeParameters &time,
                        const CurrentProtocol &protocol);

    /** The first criterion that stops the run after @p progress, and its reason. */
    std::optional<std::pair<const TerminationCriterion *, std::string>>
    stopping(const RunProgress &progress) const;
    /** The earliest stop time after @p time of any criterion (+infinity if none). */
    double next_stop_time(const double time) const;
    bool   has(const std::string &name) const;

  private:
    std::vector<std::unique_ptr<TerminationCriterion>> criteria;
  };

  /** Whether @p time has reached @p target up to rounding. */
  bool reached(const double time, const double target);
} // namespace weaklink
