#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_values.h>

#include <cstdlib>

namespace weaklink
{
  // As deal.II reads them (strtod, strtol); a value that reaches here has matched its pattern,
  // so anything left unread is a pattern that does not fit the getter.
  double ParameterValues::get_double(const std::string &path) const
  {
    const std::string text = get(path);
    char             *end  = nullptr;
    const double      x    = std::strtod(text.c_str(), &end);
    if (end == text.c_str())
      throw InputError("parameter '" + path + "' = '" + text + "' is not a number");
    return x;
  }

  long ParameterValues::get_integer(const std::string &path) const
  {
    const std::string text = get(path);
    char             *end  = nullptr;
    const long        n    = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str())
      throw InputError("parameter '" + path + "' = '" + text + "' is not an integer");
    return n;
  }

  bool ParameterValues::get_bool(const std::string &path) const
  {
    const std::string text = get(path);
    return text == "true";
  }
} // namespace weaklink
