#pragma once

#include <weaklink/learning/sisso.h>

#include <cstdint>

namespace weaklink
{
  /**
   * The synthetic benchmark of SISSO: y = 3 x1 x2 / x3 + N(0, sigma^2) among ten
   * dimensionless features x ~ U(1, 5), @p n samples from @p seed.
   */
  SissoData planted_quotient_data(std::size_t n, std::uint64_t seed, double sigma = 0.05);
} // namespace weaklink
