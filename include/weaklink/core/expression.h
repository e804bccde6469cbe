#pragma once

#include <deal.II/base/function_parser.h>

#include <memory>
#include <string>

namespace weaklink
{
  /**
   * A parsed expression of @p variables (e.g. "x,y,t"; with @p time_dependent
   * the last one is time) with the constant pi. A syntax error becomes an
   * InputError naming @p parameter, with nothing printed on the way.
   */
  template <int dim>
  std::unique_ptr<dealii::FunctionParser<dim>>
  parse_expression(const std::string &variables, const std::string &expression,
                   const std::string &parameter, const bool time_dependent = false);

  /** "x,y" or "x,y,z", followed by ",t" when @p with_time. */
  template <int dim> std::string coordinate_names(const bool with_time);
} // namespace weaklink
