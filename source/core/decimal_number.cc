#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace weaklink
{
  DecimalReading read_decimal(const std::string &text, double &value)
  {
    if (text.empty() || text.find_first_of("xXpP \t\r\n\v\f") != std::string::npos)
      return DecimalReading::not_a_number;
    std::size_t used = 0;
    try
      {
        value = std::stod(text, &used);
      }
    catch (const std::out_of_range &)
      {
        // Overflow (inf) or underflow (a denormal or 0, a number all the same).
        char *end = nullptr;
        value     = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size())
          return DecimalReading::not_a_number;
        return std::isfinite(value) ? DecimalReading::finite : DecimalReading::not_finite;
      }
    catch (const std::exception &)
      {
        return DecimalReading::not_a_number;
      }
    if (used != text.size())
      return DecimalReading::not_a_number;
    return std::isfinite(value) ? DecimalReading::finite : DecimalReading::not_finite;
  }

  double number_argument(const std::string &option, const std::string &text,
                         const std::string &needs, const std::function<bool(double)> &acceptable)
  {
    double value = 0;
    if (read_decimal(text, value) != DecimalReading::finite || (acceptable && !acceptable(value)))
      throw InputError("option " + option + " needs " + needs + ", not '" + text + "'");
    return value;
  }

  unsigned int count_argument(const std::string &option, const std::string &text,
                              const unsigned int minimum, const unsigned int maximum)
  {
    const std::string needs =
        maximum == std::numeric_limits<unsigned int>::max()
            ? "an integer >= " + std::to_string(minimum)
            : "an integer from " + std::to_string(minimum) + " to " + std::to_string(maximum);
    const double value = number_argument(option, text, needs, [&](const double x) {
      return x >= minimum && x <= maximum && x == std::floor(x);
    });
    return static_cast<unsigned int>(value);
  }
} // namespace weaklink
