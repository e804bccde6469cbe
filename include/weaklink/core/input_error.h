#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace weaklink
{
  /**
   * Raised for anything wrong with what the user gave us (parameter file,
   * mesh, data file). The message is a single line that names the problem;
   * the application prints it and exits with a non-zero code before any
   * output is written.
   */
  class InputError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /**
   * Raised when a time step cannot be completed (Newton failure, NaN); the
   * time loop catches it, cuts the step and logs the reason.
   */
  class StepFailure : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /**
   * The first line of @p text that says something (library exceptions open
   * with rules of dashes and blank lines): what a one-line error reports.
   */
  inline std::string first_line(const std::string &text)
  {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      {
        const auto start = line.find_first_not_of(" \t");
        if (start != std::string::npos && line.find("----") == std::string::npos)
          return line.substr(start, line.find_last_not_of(" \t") - start + 1);
      }
    return text;
  }

  /** @p value to three significant digits, for the numbers in a failure's message. */
  inline std::string three_digits(const double value)
  {
    std::ostringstream out;
    out.precision(3);
    out << value;
    return out.str();
  }
} // namespace weaklink
