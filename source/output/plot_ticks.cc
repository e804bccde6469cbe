#include <weaklink/output/plot_ticks.h>

#include <cmath>
#include <initializer_list>
#include <string>

namespace weaklink
{
  std::vector<double> round_ticks(const double low, const double high)
  {
    const double magnitude = std::pow(10.0, std::floor(std::log10((high - low) / 4)));
    double       step      = 10 * magnitude;
    for (const double factor : {1.0, 2.0, 5.0})
      if ((high - low) / (factor * magnitude) <= 8)
        {
          step = factor * magnitude;
          break;
        }
    std::vector<double> ticks;
    for (double tick = std::ceil(low / step) * step; tick <= high + 1e-9 * step; tick += step)
      ticks.push_back(std::abs(tick) < 1e-12 * step ? 0.0 : tick);
    return ticks;
  }

  std::vector<double> logarithmic_ticks(const double low, const double high)
  {
    const auto ticks_with = [&](const std::initializer_list<double> mantissas) {
      std::vector<double> ticks;
      for (int decade = static_cast<int>(std::floor(std::log10(low)));
           decade <= static_cast<int>(std::ceil(std::log10(high))); ++decade)
        for (const double mantissa : mantissas)
          {
            // Rounded so that 0.3 prints as 0.3, not 0.30000000000000004.
            const double value = std::stod(std::to_string(mantissa) + "e" + std::to_string(decade));
            if (value >= low && value <= high)
              ticks.push_back(value);
          }
      return ticks;
    };
    auto ticks = ticks_with({1, 2, 5});
    if (ticks.size() < 3)
      ticks = ticks_with({1, 2, 3, 4, 5, 6, 7, 8, 9});
    if (ticks.size() < 3)
      ticks = round_ticks(low, high);
    return ticks;
  }
} // namespace weaklink
