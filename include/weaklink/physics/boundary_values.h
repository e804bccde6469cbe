#pragma once

#include <deal.II/base/function.h>
#include <deal.II/base/function_parser.h>
#include <deal.II/base/types.h>

#include <functional>
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
    /** @p transform maps the expression's value to the component's (identity unless given). */
    ComponentValue(const unsigned int n_components, const unsigned int component,
                   dealii::FunctionParser<dim> &value, std::function<double(double)> transform = {})
        : dealii::Function<dim>(n_components)
        , component(component)
        , expression(value)
        , transform(std::move(transform))
    {
    }

    double value(const dealii::Point<dim> &p, const unsigned int c) const override
    {
      if (c != component)
        return 0.0;
      const double v = expression.value(p);
      return transform ? transform(v) : v;
    }

  private:
    const unsigned int            component;
    dealii::FunctionParser<dim>  &expression;
    std::function<double(double)> transform;
  };
} // namespace weaklink
