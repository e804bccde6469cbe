#include <weaklink/physics/field_layout.h>

#include <stdexcept>

namespace weaklink
{
  bool FieldLayout::has(const std::string &name) const
  {
    for (const auto &field : fields)
      if (field.name == name)
        return true;
    return false;
  }

  const FieldLayout::Field &FieldLayout::operator[](const std::string &name) const
  {
    for (const auto &field : fields)
      if (field.name == name)
        return field;
    std::string known;
    for (const auto &field : fields)
      known += (known.empty() ? "" : ", ") + field.name;
    throw std::logic_error("no field '" + name + "' among the active fields (" + known + ")");
  }

  const FieldLayout::Field &FieldLayout::field_of_component(const unsigned int component) const
  {
    for (const auto &field : fields)
      if (component >= field.first_component &&
          component < field.first_component + field.n_components)
        return field;
    throw std::logic_error("component " + std::to_string(component) + " belongs to no field");
  }

  dealii::FEValuesExtractors::Scalar FieldLayout::scalar(const std::string &name) const
  {
    const Field &field = (*this)[name];
    if (field.n_components != 1)
      throw std::logic_error("field '" + name + "' is not a scalar");
    return dealii::FEValuesExtractors::Scalar(field.first_component);
  }

  dealii::FEValuesExtractors::Vector FieldLayout::vector(const std::string &name) const
  {
    const Field &field = (*this)[name];
    if (field.n_components == 1)
      throw std::logic_error("field '" + name + "' is not a vector");
    return dealii::FEValuesExtractors::Vector(field.first_component);
  }

  dealii::ComponentMask FieldLayout::mask(const std::string &name) const
  {
    const Field          &field = (*this)[name];
    dealii::ComponentMask result(n_components, false);
    for (unsigned int c = 0; c < field.n_components; ++c)
      result.set(field.first_component + c, true);
    return result;
  }
} // namespace weaklink
