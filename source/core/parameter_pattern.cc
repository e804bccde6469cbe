#include <weaklink/core/parameter_pattern.h>

#include <cctype>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace weaklink
{
  namespace
  {
    // deal.II reads numbers with operator>> and then accepts nothing but whitespace; so do we,
    // so that both take the same strings.
    bool only_whitespace_left(std::istream &in)
    {
      char c;
      return !(in >> c);
    }

    std::vector<std::string> split_choices(const std::string &list)
    {
      std::vector<std::string> choices;
      std::size_t              start = 0;
      for (std::size_t bar = list.find('|'); bar != std::string::npos; bar = list.find('|', start))
        {
          choices.push_back(list.substr(start, bar - start));
          start = bar + 1;
        }
      choices.push_back(list.substr(start));
      return choices;
    }

    double bound(const std::string &text)
    {
      if (text == "MAX_DOUBLE")
        return std::numeric_limits<double>::max();
      if (text == "-MAX_DOUBLE")
        return -std::numeric_limits<double>::max();
      std::istringstream in(text);
      double             x;
      if (!(in >> x) || !only_whitespace_left(in))
        throw std::invalid_argument("pattern bound '" + text + "'");
      return x;
    }

    bool starts_with(const std::string &text, const std::string &prefix)
    {
      return text.compare(0, prefix.size(), prefix) == 0;
    }

    std::string trimmed(std::string s)
    {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.erase(0, 1);
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
      return s;
    }
  } // namespace

  ParameterPattern::ParameterPattern(const std::string &description)
      : text(description)
  {
    const auto range = [&](const std::string &prefix) {
      // "<prefix>L...U (inclusive)]"
      const auto dots  = description.find("...", prefix.size());
      const auto close = description.find(" (inclusive)]", prefix.size());
      if (dots == std::string::npos || close == std::string::npos || close < dots)
        throw std::invalid_argument("pattern '" + description + "'");
      lower = bound(description.substr(prefix.size(), dots - prefix.size()));
      upper = bound(description.substr(dots + 3, close - dots - 3));
    };
    if (description == "[Anything]" || starts_with(description, "[FileName"))
      kind = Kind::anything;
    else if (description == "[Bool]")
      {
        kind    = Kind::selection;
        choices = {"true", "false"};
      }
    else if (description == "[Integer]")
      kind = Kind::integer;
    else if (starts_with(description, "[Integer range "))
      {
        kind = Kind::integer;
        range("[Integer range ");
      }
    else if (description == "[Double]")
      kind = Kind::real;
    else if (starts_with(description, "[Double "))
      {
        kind = Kind::real;
        range("[Double ");
      }
    else if (starts_with(description, "[Selection ") && description.size() > 13 &&
             description.compare(description.size() - 2, 2, " ]") == 0)
      {
        kind    = Kind::selection;
        choices = split_choices(description.substr(11, description.size() - 13));
      }
    else if (starts_with(description, "[MultipleSelection ") && description.size() > 21 &&
             description.compare(description.size() - 2, 2, " ]") == 0)
      {
        kind    = Kind::multiple_selection;
        choices = split_choices(description.substr(19, description.size() - 21));
      }
    else
      throw std::invalid_argument("unknown kind of parameter pattern '" + description + "'");
  }

  bool ParameterPattern::match(const std::string &value) const
  {
    const auto is_choice = [&](const std::string &word) {
      for (const auto &choice : choices)
        if (word == choice)
          return true;
      return false;
    };
    switch (kind)
      {
      case Kind::anything:
        return true;
      case Kind::integer:
        {
          std::istringstream in(value);
          int                n;
          if (!(in >> n) || !only_whitespace_left(in))
            return false;
          return lower > upper || (lower <= n && n <= upper);
        }
      case Kind::real:
        {
          std::istringstream in(value);
          double             x;
          in >> x;
          if (in.fail() || !only_whitespace_left(in))
            return false;
          return lower > upper || (lower <= x && x <= upper);
        }
      case Kind::selection:
        return is_choice(value);
      case Kind::multiple_selection:
        {
          // Comma-separated words, each a choice once trimmed; "" is the empty list.
          std::size_t start = 0;
          while (start < value.size())
            {
              const auto comma = value.find(',', start);
              const auto end   = comma == std::string::npos ? value.size() : comma;
              if (!is_choice(trimmed(value.substr(start, end - start))))
                return false;
              start = end + 1;
            }
          return true;
        }
      }
    return false;
  }
} // namespace weaklink
