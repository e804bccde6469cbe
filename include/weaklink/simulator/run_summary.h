#pragma once

#include <weaklink/core/json.h>
#include <weaklink/simulator/short_circuit.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * What a run ended with (summary.json): why it stopped, the short if there
   * was one, and the protocol's result. A run that did not short by its end
   * is right-censored: `ccd` and `lifetime` then hold the highest current it
   * survived and the time it ran, lower bounds for the Weibull analysis.
   */
  struct RunSummary
  {
    std::string protocol;   ///< CurrentProtocol::name()
    std::string stopped_by; ///< the termination criterion
    std::string reason;     ///< its one-line reason
    /** False when the run stopped to be resumed (wall clock): not a result yet. */
    bool                        completed = true;
    std::optional<ShortCircuit> short_circuit;

    double       time            = 0;
    unsigned int steps           = 0;
    double       charge_passed   = 0; ///< [C/m²] at the short or the end
    double       current_density = 0; ///< [A/m²] at the short or the end
    unsigned int protocol_stage  = 0; ///< ramp step or half cycle at the short or the end
    /** CCD ramp: the stage's current at the short; censored: the highest current held [A/m²]. */
    double ccd = std::numeric_limits<double>::quiet_NaN();
    /** Time to the short; censored: the time run [s]. */
    double lifetime = 0;
    /** The longest dry crack of any step [m] (NaN without the lithium field). */
    double max_dry_crack_length = std::numeric_limits<double>::quiet_NaN();
    /** Λ: the fastest crack front over the fastest lithium front of the run (NaN if Li never
     * moved). */
    double front_speed_ratio = std::numeric_limits<double>::quiet_NaN();
    double wall_seconds      = 0;
    /** What the run warned of (an unresolved length scale, say); empty if nothing. */
    std::vector<std::string> warnings;

    bool censored() const { return !short_circuit.has_value(); }

    /** The summary as written to summary.json (SI units, and mA/cm², mAh/cm² beside them). */
    JsonRecord record() const;
  };
} // namespace weaklink
