#pragma once

#include <string>

namespace weaklink
{
  /** @p text as a JSON string literal (quotes and backslashes escaped). */
  std::string json_string(const std::string &text);
} // namespace weaklink
