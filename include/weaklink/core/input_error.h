#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

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
   * The line of @p text that says what went wrong, for a one-line error:
   * the first that says something (library exceptions open with rules of
   * dashes and blank lines), or, in a deal.II exception, whose first line
   * only names the source file, the first line of its "Additional
   * information".
   */
  inline std::string first_line(const std::string &text)
  {
    const auto trimmed_lines = [](const std::string &block) {
      std::vector<std::string> out;
      std::istringstream       lines(block);
      for (std::string line; std::getline(lines, line);)
        {
          const auto start = line.find_first_not_of(" \t");
          if (start != std::string::npos && line.find("----") == std::string::npos)
            out.push_back(line.substr(start, line.find_last_not_of(" \t") - start + 1));
        }
      return out;
    };
    const std::string marker = "Additional information:";
    if (const auto at = text.find(marker); at != std::string::npos)
      {
        const auto details = trimmed_lines(text.substr(at + marker.size()));
        if (!details.empty())
          return details.front();
      }
    const auto lines = trimmed_lines(text);
    return lines.empty() ? text : lines.front();
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
