#include <weaklink/simulator/run_summary.h>

namespace weaklink
{
  namespace
  {
    // 1 mA/cm² = 10 A/m²; 1 mAh/cm² = 3.6 C / 1e-4 m².
    constexpr double mA_per_cm2_per_A_per_m2  = 0.1;
    constexpr double mAh_per_cm2_per_C_per_m2 = 1.0 / 3.6e4;
  } // namespace

  JsonRecord RunSummary::record() const
  {
    JsonRecord out;
    out.set("protocol", protocol);
    out.set("stopped_by", stopped_by);
    out.set("reason", reason);
    out.set("completed", completed);
    out.set("shorted", short_circuit.has_value());
    out.set("censored", censored());
    out.set("short_criterion", short_circuit ? short_circuit->criterion : std::string());
    out.set("short_description", short_circuit ? short_circuit->description : std::string());
    out.set("time [s]", time);
    out.set("steps", static_cast<double>(steps));
    out.set("protocol_stage", static_cast<double>(protocol_stage));
    out.set("charge_passed [C/m2]", charge_passed);
    out.set("charge_passed [mAh/cm2]", charge_passed * mAh_per_cm2_per_C_per_m2);
    out.set("current_density [A/m2]", current_density);
    out.set("current_density [mA/cm2]", current_density * mA_per_cm2_per_A_per_m2);
    out.set("ccd [A/m2]", ccd);
    out.set("ccd [mA/cm2]", ccd * mA_per_cm2_per_A_per_m2);
    out.set("lifetime [s]", lifetime);
    out.set("max_dry_crack_length [m]", max_dry_crack_length);
    out.set("front_speed_ratio", front_speed_ratio);
    std::string all_warnings;
    for (const auto &warning : warnings)
      all_warnings += (all_warnings.empty() ? "" : "; ") + warning;
    out.set("warnings", all_warnings);
    if (short_circuit && short_circuit->criterion == "S1")
      {
        out.set("cluster", static_cast<double>(short_circuit->cluster_id));
        out.set("cluster_cells", static_cast<double>(short_circuit->cluster_cells));
        out.set("cluster_volume", short_circuit->cluster_volume);
      }
    out.set("wall_time [s]", wall_seconds);
    return out;
  }
} // namespace weaklink
