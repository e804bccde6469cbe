#include <weaklink/core/nearest_names.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace weaklink
{
  namespace
  {
    std::size_t edit_distance(const std::string &a, const std::string &b)
    {
      std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
      for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = j;
      for (std::size_t i = 1; i <= a.size(); ++i)
        {
          current[0] = i;
          for (std::size_t j = 1; j <= b.size(); ++j)
            {
              const bool same = std::tolower(a[i - 1]) == std::tolower(b[j - 1]);
              current[j] =
                  std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
            }
          std::swap(previous, current);
        }
      return previous[b.size()];
    }
  } // namespace

  std::vector<std::string> nearest_names(const std::string              &unknown,
                                         const std::vector<std::string> &candidates,
                                         const unsigned int              how_many)
  {
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto &candidate : candidates)
      scored.emplace_back(edit_distance(unknown, candidate), candidate);
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<std::string> names;
    for (std::size_t i = 0; i < scored.size() && i < how_many; ++i)
      names.push_back(scored[i].second);
    return names;
  }
} // namespace weaklink
