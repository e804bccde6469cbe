#include <weaklink/core/input_error.h>
#include <weaklink/learning/physical_unit.h>

#include <cctype>
#include <cmath>
#include <sstream>

namespace weaklink
{
  namespace
  {
    constexpr double exponent_tolerance = 1e-9;

    std::string format_exponent(const double exponent)
    {
      std::ostringstream out;
      out << exponent;
      return out.str();
    }
  } // namespace

  void PhysicalUnit::set(const std::string &symbol, const double exponent)
  {
    if (std::abs(exponent) < exponent_tolerance)
      exponents.erase(symbol);
    else
      exponents[symbol] = exponent;
  }

  PhysicalUnit PhysicalUnit::base(const std::string &symbol)
  {
    PhysicalUnit unit;
    unit.set(symbol, 1.0);
    return unit;
  }

  PhysicalUnit PhysicalUnit::parse(const std::string &text)
  {
    PhysicalUnit unit;
    std::size_t  position    = 0;
    bool         denominator = false;
    const auto   fail        = [&](const std::string &why) {
      throw InputError("unit '" + text + "': " + why);
    };
    const auto skip_separators = [&]() {
      while (position < text.size() &&
             (text[position] == ' ' || text[position] == '*' || text[position] == '.'))
        ++position;
    };
    skip_separators();
    if (position == text.size() || text.substr(position) == "1" || text.substr(position) == "-")
      return unit;
    while (position < text.size())
      {
        if (text[position] == '/')
          {
            if (denominator)
              fail("two '/' in a row");
            denominator = true;
            ++position;
            skip_separators();
            continue;
          }
        const std::size_t start = position;
        while (position < text.size() &&
               (std::isalpha(static_cast<unsigned char>(text[position])) || text[position] == '_' ||
                text[position] == '%'))
          ++position;
        std::string symbol = text.substr(start, position - start);
        if (symbol.empty())
          {
            // "1/s": a leading 1 only marks the numerator as empty.
            if (text[position] == '1' && position + 1 < text.size() && text[position + 1] == '/')
              {
                ++position;
                continue;
              }
            fail("expected a unit symbol at '" + text.substr(position) + "'");
          }
        double exponent = 1;
        if (position < text.size() && text[position] == '^')
          {
            ++position;
            std::size_t used = 0;
            try
              {
                exponent = std::stod(text.substr(position), &used);
              }
            catch (const std::exception &)
              {
                fail("exponent of '" + symbol + "' is not a number");
              }
            position += used;
          }
        if (!std::isfinite(exponent))
          fail("exponent of '" + symbol + "' is not finite");
        const double signed_exponent = denominator ? -exponent : exponent;
        const auto   existing        = unit.exponents.find(symbol);
        unit.set(symbol,
                 signed_exponent + (existing == unit.exponents.end() ? 0. : existing->second));
        denominator = false;
        skip_separators();
      }
    if (denominator)
      fail("nothing after '/'");
    return unit;
  }

  PhysicalUnit PhysicalUnit::operator*(const PhysicalUnit &other) const
  {
    PhysicalUnit product = *this;
    for (const auto &[symbol, exponent] : other.exponents)
      {
        const auto existing = product.exponents.find(symbol);
        product.set(symbol,
                    exponent + (existing == product.exponents.end() ? 0. : existing->second));
      }
    return product;
  }

  PhysicalUnit PhysicalUnit::operator/(const PhysicalUnit &other) const
  {
    return *this * other.power(-1);
  }

  PhysicalUnit PhysicalUnit::power(const double exponent) const
  {
    PhysicalUnit result;
    for (const auto &[symbol, own] : exponents)
      result.set(symbol, own * exponent);
    return result;
  }

  bool PhysicalUnit::operator==(const PhysicalUnit &other) const
  {
    if (exponents.size() != other.exponents.size())
      return false;
    for (auto a = exponents.begin(), b = other.exponents.begin(); a != exponents.end(); ++a, ++b)
      if (a->first != b->first || std::abs(a->second - b->second) > exponent_tolerance)
        return false;
    return true;
  }

  std::string PhysicalUnit::to_string() const
  {
    if (exponents.empty())
      return "1";
    std::string text;
    for (const auto &[symbol, exponent] : exponents)
      {
        if (!text.empty())
          text += ' ';
        text += symbol;
        if (std::abs(exponent - 1) > exponent_tolerance)
          text += '^' + format_exponent(exponent);
      }
    return text;
  }
} // namespace weaklink
