#pragma once

// Parameter files as text, without deal.II: reading them, and the one-line
// errors for a name nobody declared and a value outside its pattern. Shared by
// the simulator (apply_parameter_assignments) and the tools that read a case
// without deal.II (CaseFile), so both say the same thing.

#include <weaklink/core/input_error.h>

#include <string>
#include <vector>

namespace weaklink
{
  /** One `set` line of a parameter file, after `include` expansion. */
  struct ParameterAssignment
  {
    std::string  path; ///< subsections and entry joined by '/'
    std::string  value;
    std::string  file;
    unsigned int line = 0;
  };

  /**
   * Reads a deal.II-style parameter file, expanding `include other.prm`
   * (relative to the including file) and keeping where each assignment came
   * from. Throws InputError on a missing file, a directory, an include
   * cycle, a malformed line, or a file that sets no parameter at all (it
   * would run the built-in defaults).
   */
  std::vector<ParameterAssignment> read_parameter_file(const std::string &filename);

  /** Same as read_parameter_file, from text held in memory. */
  std::vector<ParameterAssignment> read_parameter_text(const std::string &text,
                                                       const std::string &name_for_messages,
                                                       const std::string &include_directory);

  /**
   * Throws InputError unless @p assignment names one of the @p declared
   * paths: a parameter that moved names its new place, any other unknown
   * name the nearest declared ones.
   */
  void check_parameter_name(const ParameterAssignment      &assignment,
                            const std::vector<std::string> &declared);

  /** The error for a value that does not match its @p pattern (deal.II's description). */
  InputError invalid_value_error(const ParameterAssignment &assignment, const std::string &pattern);

  /**
   * The items of a @p delimiter-separated list, spaces trimmed, as deal.II's
   * Utilities::split_string_list: "a, b," is {"a", "b"}, "" is none.
   */
  std::vector<std::string> split_list(const std::string &text, char delimiter);

  /** Runs of spaces and tabs as one space. */
  std::string collapse_spaces(const std::string &s);
} // namespace weaklink
