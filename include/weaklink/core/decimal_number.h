#pragma once

#include <functional>
#include <limits>
#include <string>

namespace weaklink
{
  /** What a text is when read as a decimal number. */
  enum class DecimalReading
  {
    finite,
    not_finite, ///< "inf", "nan", or a decimal that overflows ("1e400")
    not_a_number
  };

  /**
   * @p text as a decimal number, all of it: no blanks around it, no
   * hexadecimal (std::stod reads "0x10" as 16 and skips leading blanks,
   * neither of which a table or a command line means). An underflow is a
   * number (0 or a denormal). @p value is set unless not_a_number. The one
   * reading of numbers for table cells (CsvTable) and command-line values.
   */
  DecimalReading read_decimal(const std::string &text, double &value);

  /**
   * The value @p text of command-line option @p option: a finite decimal
   * number for which @p acceptable (if given) holds. Otherwise InputError
   * "option OPTION needs NEEDS, not 'TEXT'".
   */
  double number_argument(const std::string &option, const std::string &text,
                         const std::string                 &needs      = "a number",
                         const std::function<bool(double)> &acceptable = nullptr);

  /** A whole-number argument from @p minimum to @p maximum (number_argument). */
  unsigned int
  count_argument(const std::string &option, const std::string &text, const unsigned int minimum,
                 const unsigned int maximum = std::numeric_limits<unsigned int>::max());
} // namespace weaklink
