#include <weaklink/core/json.h>

namespace weaklink
{
  std::string json_string(const std::string &text)
  {
    std::string quoted = "\"";
    for (const char c : text)
      {
        if (c == '"' || c == '\\')
          quoted += '\\';
        quoted += c;
      }
    return quoted + "\"";
  }
} // namespace weaklink
