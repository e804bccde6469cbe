#include <weaklink/learning/planted_data.h>

#include <random>

namespace weaklink
{
  SissoData planted_quotient_data(const std::size_t n, const std::uint64_t seed, const double sigma)
  {
    std::mt19937_64                        random(seed);
    std::uniform_real_distribution<double> uniform(1, 5);
    std::normal_distribution<double>       noise(0, sigma);
    SissoData                              data;
    data.target_name = "y";
    data.features.assign(10, std::vector<double>(n));
    for (unsigned int j = 0; j < 10; ++j)
      {
        data.feature_names.push_back("x" + std::to_string(j + 1));
        data.feature_units.emplace_back();
      }
    for (std::size_t i = 0; i < n; ++i)
      {
        for (auto &column : data.features)
          column[i] = uniform(random);
        data.target.push_back(3 * data.features[0][i] * data.features[1][i] / data.features[2][i] +
                              noise(random));
      }
    return data;
  }
} // namespace weaklink
