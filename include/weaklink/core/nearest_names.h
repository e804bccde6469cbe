#pragma once

#include <string>
#include <vector>

namespace weaklink
{
  /** The closest names to @p unknown among @p candidates (case-blind edit distance). */
  std::vector<std::string> nearest_names(const std::string              &unknown,
                                         const std::vector<std::string> &candidates,
                                         const unsigned int              how_many = 3);
} // namespace weaklink
