#pragma once

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace weaklink
{
  /**
   * The applied current density of a galvanostatic cell over time
   * (subsection Protocol), positive when lithium plates at the plating
   * electrode Γp:
   * - expression: Electrochemistry/Applied current density as a function
   *   of t, no breakpoints (the cell as before protocols existed);
   * - constant current: i for ever, the lifetime protocol;
   * - CCD ramp: stages k = 0, 1, … at i_k = i_0 + k Δi up to the final
   *   current, each holding the charge Q_step, so it lasts Q_step / i_k;
   *   the critical current density is the i_k at which the cell shorts;
   * - cycling: half cycles of charge Q at +i (plating) and −i (stripping),
   *   starting with plating, for a number of full cycles.
   * Stage k covers the half-open interval (t_k, t_{k+1}]: implicit Euler
   * evaluates the current at the end of a step, so a step that ends on a
   * breakpoint still belongs to the stage it completes and the charge of
   * every stage is exact.
   */
  class CurrentProtocol
  {
  public:
    enum class Kind
    {
      expression,
      constant_current,
      ccd_ramp,
      cycling
    };

    static void declare(dealii::ParameterHandler &prm);
    /** Reads subsection Protocol; InputError on inconsistent values. */
    explicit CurrentProtocol(dealii::ParameterHandler &prm);

    Kind kind() const { return protocol_kind; }
    /** The name used in the parameter file ("CCD ramp", ...). */
    std::string name() const;
    /** Whether the protocol, not Electrochemistry/Applied current density, sets the current. */
    bool sets_current() const { return protocol_kind != Kind::expression; }

    /** i(t) [A/m²]; only when sets_current(). */
    double current_density(const double time) const;
    /** The stage (ramp step or half cycle) that @p time belongs to; 0 without stages. */
    unsigned int stage(const double time) const;
    /** Times at which the current changes and the protocol ends, ascending; empty without. */
    const std::vector<double> &breakpoints() const { return stage_ends; }
    /** The first breakpoint after @p time (beyond rounding), or +infinity. */
    double next_breakpoint(const double time) const;
    /** When the protocol is over: the last breakpoint, or +infinity. */
    double end_time() const;
    /** Charge per unit area [C/m²] passed from 0 to @p time, counting stripping negatively. */
    double charge_passed(const double time) const;

  private:
    Kind                protocol_kind;
    std::vector<double> stage_currents; ///< [A/m²] of each stage
    std::vector<double> stage_ends;     ///< [s], the end of each stage
  };
} // namespace weaklink
