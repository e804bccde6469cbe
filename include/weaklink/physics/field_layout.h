#pragma once

#include <deal.II/fe/component_mask.h>
#include <deal.II/fe/fe_values_extractors.h>

#include <string>
#include <vector>

namespace weaklink
{
  /**
   * A lower bound a field's DoFs keep at the end of every Newton solve,
   * enforced exactly by the simulator's primal–dual active set:
   * nondecreasing (d ≥ d_old, damage) or nonnegative (c ≥ 0, lithium).
   */
  enum class LowerBound
  {
    none,
    nondecreasing,
    nonnegative
  };

  /**
   * Where each named field of the one FESystem lives: its components, its
   * block, its bound and the scale the framework multiplies its residual rows
   * with. Modules and tests find fields here by name ("phi", "damage", ...),
   * never by position, so the order of Physics/Modules does not matter.
   */
  struct FieldLayout
  {
    struct Field
    {
      std::string  name;
      std::string  module; ///< the module that owns the field
      unsigned int first_component = 0;
      unsigned int n_components    = 1;
      unsigned int block           = 0;
      unsigned int degree          = 1;
      LowerBound   bound           = LowerBound::none;
      /**
       * Modules assemble residuals in physical units; the framework
       * multiplies the rows of this field by this factor so that all blocks
       * are of order one (and rows of a bounded field of order of their
       * lumped mass, which the active-set constant assumes).
       */
      double residual_scale = 1;
    };

    std::vector<Field> fields;
    unsigned int       n_components = 0;

    bool has(const std::string &name) const;

    /** The field called @p name; throws with the list of fields if there is none. */
    const Field &operator[](const std::string &name) const;

    /** First component of field @p name. */
    unsigned int component(const std::string &name) const { return (*this)[name].first_component; }

    /** The field a component belongs to. */
    const Field &field_of_component(const unsigned int component) const;

    dealii::FEValuesExtractors::Scalar scalar(const std::string &name) const;
    dealii::FEValuesExtractors::Vector vector(const std::string &name) const;
    dealii::ComponentMask              mask(const std::string &name) const;
  };
} // namespace weaklink
