#pragma once

#include <chrono>
#include <string>

namespace weaklink
{
  /**
   * Progress of a long analysis on stderr: `tool: what, 12.3 s[, about 4.5 s
   * left]`, at most one line every @p interval_seconds (0: never), counted
   * from construction.
   */
  class ProgressLine
  {
  public:
    ProgressLine(std::string tool, const double interval_seconds);

    /** Prints @p what with the time spent if a line is due. */
    void report(const std::string &what);

    /** The same, with the time left estimated from @p done of @p total. */
    void report(const std::string &what, const std::size_t done, const std::size_t total);

  private:
    /** Seconds since construction if a line is due, else a negative number. */
    double due();

    std::string                           tool;
    double                                interval, next;
    std::chrono::steady_clock::time_point start;
  };
} // namespace weaklink
