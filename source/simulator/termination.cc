#include <weaklink/core/input_error.h>
#include <weaklink/simulator/termination.h>

#include <deal.II/base/utilities.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    std::string seconds(const double value)
    {
      std::ostringstream text;
      text.precision(6);
      text << value << " s";
      return text.str();
    }

    class ShortCircuitCriterion : public TerminationCriterion
    {
    public:
      std::string                name() const override { return "short circuit"; }
      std::optional<std::string> reason(const RunProgress &progress) const override
      {
        if (progress.shorted)
          return std::string("the cell short-circuited");
        return std::nullopt;
      }
    };

    class EndOfProtocol : public TerminationCriterion
    {
    public:
      explicit EndOfProtocol(const CurrentProtocol &protocol)
          : end(protocol.end_time())
          , protocol_name(protocol.name())
      {
      }
      std::string                name() const override { return "end of protocol"; }
      double                     stop_time() const override { return end; }
      std::optional<std::string> reason(const RunProgress &progress) const override
      {
        if (reached(progress.time, end))
          return "the " + protocol_name + " protocol ended at t = " + seconds(end);
        return std::nullopt;
      }

    private:
      double      end;
      std::string protocol_name;
    };

    class EndTime : public TerminationCriterion
    {
    public:
      explicit EndTime(const double end)
          : end(end)
      {
      }
      std::string                name() const override { return "end time"; }
      double                     stop_time() const override { return end; }
      std::optional<std::string> reason(const RunProgress &progress) const override
      {
        if (reached(progress.time, end))
          return "reached Time stepping/End time = " + seconds(end);
        return std::nullopt;
      }

    private:
      double end;
    };

    class StepLimit : public TerminationCriterion
    {
    public:
      explicit StepLimit(const unsigned int limit)
          : limit(limit)
      {
      }
      std::string                name() const override { return "step limit"; }
      std::optional<std::string> reason(const RunProgress &progress) const override
      {
        if (progress.step >= limit)
          return "reached Time stepping/Maximum number of steps = " + std::to_string(limit);
        return std::nullopt;
      }

    private:
      unsigned int limit;
    };

    /**
     * Stops where a crack has got far enough: past a flaw (its onset) or
     * across the separator (a dry crack's crossing), for studies of crack
     * kinetics that need nothing after it.
     */
    class CrackFront : public TerminationCriterion
    {
    public:
      explicit CrackFront(const double distance)
          : distance(distance)
      {
      }
      std::string                name() const override { return "crack front"; }
      std::optional<std::string> reason(const RunProgress &progress) const override
      {
        if (progress.crack_front >= distance)
          {
            std::ostringstream text;
            text << "the crack front reached " << progress.crack_front
                 << " m from the plating electrode (Termination/Crack front distance = " << distance
                 << " m)";
            return text.str();
          }
        return std::nullopt;
      }

    private:
      double distance;
    };

    /** Stops a job before its allocation ends, leaving a checkpoint to resume from. */
    class WallClock : public TerminationCriterion
    {
    public:
      explicit WallClock(const double minutes)
          : limit(minutes)
      {
      }
      std::string                name() const override { return "wall clock"; }
      bool                       interrupts() const override { return true; }
      std::optional<std::string> reason(const RunProgress &progress) const override
      {
        if (progress.wall_minutes >= limit)
          {
            std::ostringstream text;
            text << "ran " << progress.wall_minutes << " min, Termination/Wall clock limit is "
                 << limit << " min; resume from the checkpoint with Output/Resume = true";
            return text.str();
          }
        return std::nullopt;
      }

    private:
      double limit;
    };
  } // namespace

  double TerminationCriterion::stop_time() const
  {
    return std::numeric_limits<double>::infinity();
  }

  bool reached(const double time, const double target)
  {
    return std::isfinite(target) && time >= target - 1e-12 * std::max(1.0, std::abs(target));
  }

  void TerminationCriteria::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Termination");
    prm.declare_entry(
        "Criteria", "short circuit, end of protocol, end time, step limit",
        Patterns::MultipleSelection(
            "short circuit|end of protocol|end time|step limit|wall clock|crack front"),
        "When the run stops, checked after every accepted step in this order; the first that "
        "applies is the run's end in summary.json. short circuit: S1 or S2 (subsection Short "
        "circuit; leave it out to run on through shorts). end of protocol: the Protocol is over. "
        "end time: Time stepping/End time. step limit: Time stepping/Maximum number of steps. "
        "wall clock: Wall clock limit, with a checkpoint to resume from. crack front: the "
        "statistic crack_front (needs the lithium module) reaches Crack front distance. Ends of "
        "protocol and End time are landed on exactly.");
    prm.declare_entry("Wall clock limit", "0", Patterns::Double(0),
                      "Minutes after which the wall clock criterion stops the run (within one "
                      "step), writing a checkpoint.");
    prm.declare_entry("Crack front distance", "0", Patterns::Double(0),
                      "Distance from the plating electrode [m] at which the crack front "
                      "criterion stops the run: the largest distance of a cracked cell "
                      "connected to the electrode (statistic crack_front), e.g. just past a "
                      "flaw for its onset, or the separator's thickness for a crossing.");
    prm.leave_subsection();
  }

  TerminationCriteria::TerminationCriteria(ParameterHandler &prm, const TimeParameters &time,
                                           const CurrentProtocol &protocol)
  {
    prm.enter_subsection("Termination");
    const double wall_clock_limit     = prm.get_double("Wall clock limit");
    const double crack_front_distance = prm.get_double("Crack front distance");
    const std::map<std::string, std::function<std::unique_ptr<TerminationCriterion>()>> makers = {
        {"short circuit", [] { return std::make_unique<ShortCircuitCriterion>(); }},
        {"end of protocol", [&] { return std::make_unique<EndOfProtocol>(protocol); }},
        {"end time", [&] { return std::make_unique<EndTime>(time.end_time); }},
        {"step limit", [&] { return std::make_unique<StepLimit>(time.max_steps); }},
        {"wall clock",
         [&]() -> std::unique_ptr<TerminationCriterion> {
           if (!(wall_clock_limit > 0))
             throw InputError("Termination/Criteria lists 'wall clock' but Termination/Wall clock "
                              "limit is 0: give it in minutes");
           return std::make_unique<WallClock>(wall_clock_limit);
         }},
        {"crack front", [&]() -> std::unique_ptr<TerminationCriterion> {
           if (!(crack_front_distance > 0))
             throw InputError("Termination/Criteria lists 'crack front' but Termination/Crack "
                              "front distance is 0: give it in m");
           return std::make_unique<CrackFront>(crack_front_distance);
         }}};
    for (const auto &name : Utilities::split_string_list(prm.get("Criteria")))
      if (!has(name))
        criteria.push_back(makers.at(name)());
    prm.leave_subsection();
    if (criteria.empty())
      throw InputError("Termination/Criteria is empty: the run would never stop");
  }

  std::optional<std::pair<const TerminationCriterion *, std::string>>
  TerminationCriteria::stopping(const RunProgress &progress) const
  {
    for (const auto &criterion : criteria)
      if (const auto why = criterion->reason(progress))
        return std::make_pair(criterion.get(), *why);
    return std::nullopt;
  }

  double TerminationCriteria::next_stop_time(const double time) const
  {
    double next = std::numeric_limits<double>::infinity();
    for (const auto &criterion : criteria)
      {
        const double stop = criterion->stop_time();
        if (stop > time && !reached(time, stop))
          next = std::min(next, stop);
      }
    return next;
  }

  bool TerminationCriteria::has(const std::string &name) const
  {
    for (const auto &criterion : criteria)
      if (criterion->name() == name)
        return true;
    return false;
  }
} // namespace weaklink
