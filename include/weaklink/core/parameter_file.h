#pragma once

#include <weaklink/core/nearest_names.h>

#include <deal.II/base/parameter_handler.h>

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

  /** Every entry declared in @p prm, as '/'-joined paths. */
  std::vector<std::string> declared_parameter_paths(const dealii::ParameterHandler &prm);

  /**
   * Applies @p assignments to @p prm. An unknown name is answered with the
   * nearest declared names, a value outside its pattern with the pattern;
   * both as InputError with a one-line message.
   */
  void apply_parameter_assignments(dealii::ParameterHandler               &prm,
                                   const std::vector<ParameterAssignment> &assignments);

  /**
   * Writes every parameter of @p prm as a valid parameter file whose
   * comments give each entry's documentation, default and allowed values.
   */
  void write_documented_parameters(const dealii::ParameterHandler &prm, std::ostream &out);

  /**
   * The first parameter that defines a case whose value in @p current (both
   * texts as printed by ParameterHandler) differs from @p earlier, as
   * "path = value here, value <where_earlier>"; empty when both are the same
   * case. Not part of the case, so free to change on resume or on a repeated
   * run: Output, Newton, Linear solver, Time stepping/End time and Maximum
   * number of steps, Short circuit/Stop at short. Numbers compare by value.
   */
  std::string first_case_difference(const std::string &earlier, const std::string &current,
                                    const std::string &where_earlier);

  /** The parameters first_case_difference ignores, in words for messages. */
  std::string parameters_free_between_runs();
} // namespace weaklink
