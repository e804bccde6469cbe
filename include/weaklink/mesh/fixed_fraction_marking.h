#pragma once

#include <deal.II/distributed/tria.h>
#include <deal.II/lac/vector.h>

namespace weaklink
{
  /**
   * Flags the cells carrying the largest @p refine_fraction of the summed
   * indicator for refinement and those carrying the smallest
   * @p coarsen_fraction for coarsening, like deal.II's fixed-fraction
   * strategy, but with the same result on any number of ranks.
   *
   * The indicators are quantized to 2^20 levels of the global maximum and
   * the thresholds found by bisection over integer levels with integer
   * sums, so neither summation order nor bisection tolerance depends on the
   * partition, and cells tied in value are always treated alike.
   */
  template <int dim>
  void mark_fixed_fraction(dealii::parallel::distributed::Triangulation<dim> &triangulation,
                           const dealii::Vector<float> &indicator, const double refine_fraction,
                           const double coarsen_fraction);
} // namespace weaklink
