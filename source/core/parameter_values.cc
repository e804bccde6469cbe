#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_values.h>

#include <cerrno>
#include <cstdlib>

namespace weaklink
{
  namespace
  {
    // As deal.II's get_double and get_integer (Utilities::string_to_double, string_to_int):
    // surrounding spaces dropped, the whole text read, no range error. The patterns have
    // already matched, so a failure here is a pattern that does not fit its getter.
    std::string without_spaces(const std::string &text)
    {
      const auto first = text.find_first_not_of(' ');
      if (first == std::string::npos)
        return "";
      return text.substr(first, text.find_last_not_of(' ') - first + 1);
    }

    [[noreturn]] void not_a(const char *kind, const std::string &path, const std::string &text)
    {
      throw InputError("parameter '" + path + "' = '" + text + "' is not " + kind);
    }
  } // namespace

  double ParameterValues::get_double(const std::string &path) const
  {
    const std::string text = without_spaces(get(path));
    char             *end  = nullptr;
    errno                  = 0;
    const double x         = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno != 0)
      not_a("a number", path, text);
    return x;
  }

  long ParameterValues::get_integer(const std::string &path) const
  {
    const std::string text = without_spaces(get(path));
    char             *end  = nullptr;
    errno                  = 0;
    const long n           = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0)
      not_a("an integer", path, text);
    return n;
  }

  bool ParameterValues::get_bool(const std::string &path) const
  {
    const std::string text = without_spaces(get(path));
    if (text != "true" && text != "false")
      not_a("true or false", path, text);
    return text == "true";
  }
} // namespace weaklink
