#pragma once

#include <weaklink/core/parameter_text.h>
#include <weaklink/core/parameter_values.h>

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace weaklink
{
  /** The values of @p prm from its current subsection on, for the parsers of parameter groups. */
  class HandlerValues final : public ParameterValues
  {
  public:
    explicit HandlerValues(const dealii::ParameterHandler &prm)
        : prm(prm)
    {
    }
    std::string get(const std::string &path) const override;

  private:
    const dealii::ParameterHandler &prm;
  };

  /** A declared entry: its '/'-joined path, default and deal.II's description of its pattern. */
  struct DeclaredEntry
  {
    std::string path, default_value, pattern;
  };

  /** Every entry declared in @p prm, in the order of the documented parameter file. */
  std::vector<DeclaredEntry> declared_entries(const dealii::ParameterHandler &prm);

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
