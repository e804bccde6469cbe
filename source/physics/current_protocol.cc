#include <weaklink/core/input_error.h>
#include <weaklink/physics/current_protocol.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /** Breakpoints closer than this (relative) to a time count as reached. */
    constexpr double       time_rounding = 1e-12;
    constexpr unsigned int most_stages   = 100000;
  } // namespace

  void CurrentProtocol::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Protocol");
    prm.declare_entry(
        "Type", "expression", Patterns::Selection("expression|constant current|CCD ramp|cycling"),
        "What the galvanostatic cell is put through (positive current plates lithium at the "
        "plating electrode). expression: Electrochemistry/Applied current density as a "
        "function of t. constant current: Current density until the run stops (lifetime). "
        "CCD ramp: stages at Initial current density + k Current increment up to Final "
        "current density, each holding Charge per step; the critical current density is the "
        "stage's current at the short. cycling: half cycles of Charge per half cycle at "
        "+Current density (plating) and -Current density (stripping), Number of cycles times. "
        "Every change of current is a time the run lands on exactly; a stage ending at t "
        "includes t. After the protocol's end (if the run goes on) its last current holds. "
        "1 mA/cm^2 = 10 A/m^2, 1 mAh/cm^2 = 3.6e4 C/m^2.");
    prm.declare_entry("Current density", "10", Patterns::Double(0),
                      "i [A/m^2] of constant current and cycling.");
    prm.declare_entry("Initial current density", "1", Patterns::Double(0),
                      "i_0 [A/m^2] of the CCD ramp (1 A/m^2 = 0.1 mA/cm^2).");
    prm.declare_entry("Current increment", "1", Patterns::Double(0),
                      "Delta i [A/m^2] between stages of the CCD ramp.");
    prm.declare_entry("Final current density", "18", Patterns::Double(0),
                      "The current [A/m^2] of the last stage of the CCD ramp (the stages go up "
                      "to it and include it when it is a whole number of increments away).");
    prm.declare_entry("Charge per step", "1.08e4", Patterns::Double(0),
                      "Q_step [C/m^2] each stage of the CCD ramp holds (1.08e4 C/m^2 = 0.3 "
                      "mAh/cm^2).");
    prm.declare_entry("Charge per half cycle", "1.08e4", Patterns::Double(0),
                      "Q [C/m^2] plated, then stripped, in each cycle.");
    prm.declare_entry("Number of cycles", "10", Patterns::Integer(1),
                      "Full cycles (plating and stripping) of the cycling protocol.");
    prm.leave_subsection();
  }

  CurrentProtocol::CurrentProtocol(ParameterHandler &prm)
  {
    prm.enter_subsection("Protocol");
    const std::string type     = prm.get("Type");
    const auto        positive = [&](const std::string &name) {
      const double value = prm.get_double(name);
      if (!(value > 0))
        throw InputError("Protocol/" + name + " must be positive for Protocol/Type = " + type);
      return value;
    };
    if (type == "expression")
      protocol_kind = Kind::expression;
    else if (type == "constant current")
      {
        protocol_kind = Kind::constant_current;
        stage_currents.push_back(positive("Current density"));
      }
    else if (type == "CCD ramp")
      {
        protocol_kind          = Kind::ccd_ramp;
        const double initial   = positive("Initial current density");
        const double increment = positive("Current increment");
        const double final     = prm.get_double("Final current density");
        const double charge    = positive("Charge per step");
        if (final < initial)
          throw InputError("Protocol/Final current density " + three_digits(final) +
                           " A/m^2 is below Protocol/Initial current density " +
                           three_digits(initial) + " A/m^2");
        const double n_increments = std::floor((final - initial) / increment * (1 + 1e-9) + 1e-9);
        if (n_increments >= most_stages)
          throw InputError("Protocol: the CCD ramp has more than " + std::to_string(most_stages) +
                           " stages; raise Protocol/Current increment");
        double end = 0;
        for (unsigned int k = 0; k <= n_increments; ++k)
          {
            stage_currents.push_back(initial + k * increment);
            end += charge / stage_currents.back();
            stage_ends.push_back(end);
          }
      }
    else
      {
        protocol_kind        = Kind::cycling;
        const double current = positive("Current density");
        const double charge  = positive("Charge per half cycle");
        const auto   cycles  = prm.get_integer("Number of cycles");
        if (2 * cycles > most_stages)
          throw InputError("Protocol/Number of cycles is above " + std::to_string(most_stages / 2));
        for (long k = 0; k < 2 * cycles; ++k)
          {
            stage_currents.push_back(k % 2 == 0 ? current : -current);
            stage_ends.push_back((k + 1) * (charge / current));
          }
      }
    prm.leave_subsection();
  }

  std::string CurrentProtocol::name() const
  {
    switch (protocol_kind)
      {
      case Kind::expression:
        return "expression";
      case Kind::constant_current:
        return "constant current";
      case Kind::ccd_ramp:
        return "CCD ramp";
      case Kind::cycling:
        return "cycling";
      }
    return "";
  }

  unsigned int CurrentProtocol::stage(const double time) const
  {
    // Stage k ends at stage_ends[k] inclusive.
    const auto later = std::find_if(stage_ends.begin(), stage_ends.end(), [&](const double end) {
      return time <= end * (1 + time_rounding);
    });
    if (later == stage_ends.end())
      return stage_ends.empty() ? 0 : stage_ends.size() - 1;
    return later - stage_ends.begin();
  }

  double CurrentProtocol::current_density(const double time) const
  {
    if (!sets_current())
      throw std::logic_error("CurrentProtocol::current_density: the expression sets the current");
    return stage_currents[stage(time)];
  }

  double CurrentProtocol::next_breakpoint(const double time) const
  {
    for (const double end : stage_ends)
      if (end > time * (1 + time_rounding) + time_rounding * end)
        return end;
    return std::numeric_limits<double>::infinity();
  }

  double CurrentProtocol::end_time() const
  {
    return stage_ends.empty() ? std::numeric_limits<double>::infinity() : stage_ends.back();
  }

  double CurrentProtocol::charge_passed(const double time) const
  {
    if (!sets_current())
      throw std::logic_error("CurrentProtocol::charge_passed: the expression sets the current");
    double charge = 0, start = 0;
    for (std::size_t k = 0; k < stage_ends.size() && start < time; ++k)
      {
        charge += stage_currents[k] * (std::min(time, stage_ends[k]) - start);
        start = stage_ends[k];
      }
    if (time > start)
      charge += stage_currents.back() * (time - start);
    return charge;
  }
} // namespace weaklink
