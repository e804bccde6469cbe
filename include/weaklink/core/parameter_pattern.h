#pragma once

#include <string>
#include <vector>

namespace weaklink
{
  /**
   * The allowed values of a parameter, rebuilt without deal.II from the
   * description deal.II's pattern prints ("[Double 0...MAX_DOUBLE (inclusive)]",
   * "[Integer range 1...3 (inclusive)]", "[Selection a|b ]",
   * "[MultipleSelection a|b ]", "[Bool]", "[Anything]", "[FileName ...]").
   * match() accepts exactly what deal.II's pattern accepts (a test compares
   * the two on every declared parameter); an unknown kind of description is a
   * std::invalid_argument.
   */
  class ParameterPattern
  {
  public:
    explicit ParameterPattern(const std::string &description);

    bool match(const std::string &value) const;

    const std::string &description() const { return text; }

  private:
    enum class Kind
    {
      anything,
      integer,
      real,
      selection,
      multiple_selection
    };
    std::string              text;
    Kind                     kind  = Kind::anything;
    double                   lower = 0, upper = -1; ///< no bounds where lower > upper
    std::vector<std::string> choices;
  };
} // namespace weaklink
