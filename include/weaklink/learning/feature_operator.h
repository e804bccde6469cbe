#pragma once

#include <weaklink/learning/physical_unit.h>

#include <optional>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * The operators SISSO builds features with. Binary operators act on a pair
   * of features; division is generated in both orders, subtraction in one
   * only (a-b and b-a are sign twins).
   */
  enum class FeatureOperator : unsigned char
  {
    primary,
    add,
    subtract,
    multiply,
    divide,
    absolute_difference,
    exp,
    exp_negative,
    log,
    sqrt,
    cbrt,
    inverse,
    square,
    cube,
    sixth_power,
    absolute,
    sin,
    cos,
    cauchy
  };

  bool is_binary(FeatureOperator op);

  /** The token of the reference code's ops keyword, e.g. "exp-" or "^-1" (without brackets). */
  std::string operator_token(FeatureOperator op);

  /**
   * Parses an operator list written as in SISSO.in, "(+)(-)(*)(/)(exp)", or as
   * a comma-separated list "+,-,*,/,exp"; unknown tokens are an InputError.
   */
  std::vector<FeatureOperator> parse_operators(const std::string &text);

  /** The formula of op applied to the formulas a (and b). */
  std::string operator_formula(FeatureOperator op, const std::string &a, const std::string &b = "");

  /**
   * The unit of op applied to features of units a (and b), or nothing if
   * the operation is not allowed: + - |a-b| need equal units; with
   * @p strict_transcendental, exp, log, sin, cos and the Cauchy density need a
   * dimensionless argument (the reference code instead declares the result
   * dimensionless whatever the argument).
   */
  std::optional<PhysicalUnit> operator_unit(FeatureOperator op, const PhysicalUnit &a,
                                            const PhysicalUnit &b, bool strict_transcendental);

  /** op applied to one value (or pair); NaN or inf outside the domain. */
  double apply_operator(FeatureOperator op, double a, double b = 0);
} // namespace weaklink
