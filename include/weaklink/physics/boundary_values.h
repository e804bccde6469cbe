#pragma once

#include <deal.II/base/function.h>
#include <deal.II/base/function_parser.h>
#include <deal.II/base/types.h>

#include <string>

namespace weaklink
{
  /**
   * The boundary id of a name used in parameter files: bottom/plating,
   * top/counter, left, right, front, back, lateral; throws InputError naming
   * @p parameter otherwise.
   */
  dealii::types::boundary_id boundary_from_name(const std::string &name,
                                                const std::string &parameter);

  /** One component given by an expression, as a Function of all FE components (boundary values). */
  template <int dim> class ComponentValue : public dealii::Function<dim>
  {
  public:
    ComponentValue(const unsigned int n_components, const unsigned int component,
                   dealii::FunctionParser<dim> &value)
        : dealii::Function<dim>(n_components)
        , component(component)
        , expression(value)
    {
    }

    double value(const dealii::Point<dim> &p, const unsigned int c) const override
    {
      return c == component ? expression.value(p) : 0.0;
    }

  private:
    const unsigned int           component;
    dealii::FunctionParser<dim> &expression;
  };
} // namespace weaklink
