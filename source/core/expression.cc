#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>

#include <cmath>
#include <iostream>
#include <sstream>

namespace weaklink
{
  using namespace dealii;

  template <int dim>
  std::unique_ptr<FunctionParser<dim>>
  parse_expression(const std::string &variables, const std::string &expression,
                   const std::string &parameter, const bool time_dependent)
  {
    auto function = std::make_unique<FunctionParser<dim>>();
    // deal.II reports muparser errors on std::cerr before throwing; the user
    // gets our one line instead.
    std::ostringstream swallowed;
    std::streambuf    *saved = std::cerr.rdbuf(swallowed.rdbuf());
    try
      {
        function->initialize(variables, expression, {{"pi", M_PI}}, time_dependent);
        function->value(Point<dim>());
        std::cerr.rdbuf(saved);
      }
    catch (...)
      {
        std::cerr.rdbuf(saved);
        throw InputError(parameter + ": cannot parse '" + expression + "' as an expression of " +
                         variables);
      }
    return function;
  }

  template <int dim> std::string coordinate_names(const bool with_time)
  {
    return std::string(dim == 1 ? "x" : dim == 2 ? "x,y" : "x,y,z") + (with_time ? ",t" : "");
  }

  template std::unique_ptr<FunctionParser<1>>
  parse_expression<1>(const std::string &, const std::string &, const std::string &, const bool);
  template std::unique_ptr<FunctionParser<2>>
  parse_expression<2>(const std::string &, const std::string &, const std::string &, const bool);
  template std::unique_ptr<FunctionParser<3>>
  parse_expression<3>(const std::string &, const std::string &, const std::string &, const bool);
  template std::string coordinate_names<2>(const bool);
  template std::string coordinate_names<3>(const bool);
} // namespace weaklink
