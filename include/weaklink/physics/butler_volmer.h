#pragma once

#include <cmath>

namespace weaklink
{
  namespace constants
  {
    constexpr double faraday      = 96485.33212; ///< C/mol
    constexpr double gas_constant = 8.314462618; ///< J/(mol K)
  }                                              // namespace constants

  /**
   * Butler–Volmer deposition kinetics. The current density is positive when
   * lithium plates (Li+ + e- -> Li), i.e. for a negative overpotential
   *   eta = psi - phi + Omega p / F.
   */
  struct ButlerVolmer
  {
    double exchange_current_density; ///< i0 [A/m^2]
    double anodic_transfer;          ///< alpha_a
    double cathodic_transfer;        ///< alpha_c
    double temperature;              ///< T [K]
    double molar_volume;             ///< Omega of Li metal [m^3/mol]

    double f() const { return constants::faraday / (constants::gas_constant * temperature); }

    double overpotential(const double psi, const double phi, const double pressure) const
    {
      return psi - phi + molar_volume * pressure / constants::faraday;
    }

    double current(const double eta) const
    {
      return exchange_current_density *
             (std::exp(-cathodic_transfer * f() * eta) - std::exp(anodic_transfer * f() * eta));
    }

    /**
     * Plating current density at a nucleation site without lithium: nothing
     * until eta falls below -eta_nuc, then the cathodic branch counted from
     * there (no stripping, there is no metal to strip).
     */
    double nucleation_current(const double eta, const double eta_nuc) const
    {
      const double excess = eta + eta_nuc;
      return excess < 0
                 ? exchange_current_density * (std::exp(-cathodic_transfer * f() * excess) - 1.0)
                 : 0.0;
    }

    double nucleation_derivative(const double eta, const double eta_nuc) const
    {
      const double excess = eta + eta_nuc;
      return excess < 0 ? -exchange_current_density * f() * cathodic_transfer *
                              std::exp(-cathodic_transfer * f() * excess)
                        : 0.0;
    }

    double derivative(const double eta) const
    {
      return -exchange_current_density * f() *
             (cathodic_transfer * std::exp(-cathodic_transfer * f() * eta) +
              anodic_transfer * std::exp(anodic_transfer * f() * eta));
    }
  };
} // namespace weaklink
