#pragma once

#include <map>
#include <string>

namespace weaklink
{
  /**
   * The unit of a feature as a product of independent base symbols with
   * rational exponents, e.g. "mA/cm^2" = mA^1 cm^-2. Symbols are not
   * converted into each other (mA and A are different bases): SISSO only
   * needs to know which features may be added and what unit a product has.
   */
  class PhysicalUnit
  {
  public:
    PhysicalUnit() = default;

    /**
     * Parses "1", "-" or "" (dimensionless), or factors "symbol^exponent"
     * joined by '*', '.' or ' '; a '/' puts the next factor in the
     * denominator ("J/m^2/s"). Anything else is an InputError.
     */
    static PhysicalUnit parse(const std::string &text);

    /** One independent base per unit group (the funit groups of SISSO.in). */
    static PhysicalUnit base(const std::string &symbol);

    bool is_dimensionless() const { return exponents.empty(); }

    PhysicalUnit operator*(const PhysicalUnit &other) const;
    PhysicalUnit operator/(const PhysicalUnit &other) const;
    PhysicalUnit power(double exponent) const;

    bool operator==(const PhysicalUnit &other) const;
    bool operator!=(const PhysicalUnit &other) const { return !(*this == other); }

    /** "1" for dimensionless, otherwise e.g. "mA cm^-2". */
    std::string to_string() const;

  private:
    void set(const std::string &symbol, double exponent);

    std::map<std::string, double> exponents;
  };
} // namespace weaklink
