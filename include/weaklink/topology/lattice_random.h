#pragma once

#include <deal.II/base/point.h>

#include <cmath>
#include <cstdint>

namespace weaklink
{
  /**
   * A uniform number in [0, 1) for the lattice site of unit cell @p centre
   * (its integer part) and a sample number: a hash, so every rank and every
   * partition draws the same occupation, as site-percolation checks of the
   * distributed labelling need.
   */
  template <int dim>
  double lattice_uniform(const dealii::Point<dim> &centre, const std::uint64_t sample)
  {
    std::uint64_t z = 0x9E3779B97F4A7C15ull ^ (sample * 0x94D049BB133111EBull);
    for (unsigned int d = 0; d < dim; ++d)
      z = (z ^ static_cast<std::uint64_t>(std::floor(centre[d]))) * 0xBF58476D1CE4E5B9ull +
          0x632BE59BD9B4E019ull;
    z ^= z >> 31;
    z *= 0xBF58476D1CE4E5B9ull;
    z ^= z >> 29;
    z *= 0x94D049BB133111EBull;
    z ^= z >> 32;
    return (z >> 11) * 0x1.0p-53;
  }
} // namespace weaklink
