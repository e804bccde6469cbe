#pragma once

#include <vector>

namespace weaklink
{
  /** Four to eight round numbers (1, 2 or 5 times a power of ten apart) in [low, high]. */
  std::vector<double> round_ticks(const double low, const double high);

  /**
   * Ticks for a logarithmic axis over [low, high] (positive values): 1, 2, 5
   * times powers of ten, or every digit times a power of ten where that gives
   * fewer than three, or round_ticks() over a range too narrow for either.
   */
  std::vector<double> logarithmic_ticks(const double low, const double high);
} // namespace weaklink
