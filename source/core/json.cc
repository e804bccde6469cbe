#include <weaklink/core/input_error.h>
#include <weaklink/core/json.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace weaklink
{
  std::string json_string(const std::string &text)
  {
    std::string quoted = "\"";
    for (const char c : text)
      {
        if (c == '"' || c == '\\')
          quoted += std::string("\\") + c;
        else if (c == '\n')
          quoted += "\\n";
        else if (c == '\t')
          quoted += "\\t";
        else if (static_cast<unsigned char>(c) < 0x20)
          {
            char code[8];
            std::snprintf(code, sizeof(code), "\\u%04x", static_cast<unsigned int>(c));
            quoted += code;
          }
        else
          quoted += c;
      }
    return quoted + "\"";
  }

  void JsonRecord::set(const std::string &key, const Value &value)
  {
    for (auto &entry : values)
      if (entry.first == key)
        {
          entry.second = value;
          return;
        }
    values.emplace_back(key, value);
  }

  bool JsonRecord::has(const std::string &key) const
  {
    for (const auto &entry : values)
      if (entry.first == key)
        return true;
    return false;
  }

  const JsonRecord::Value &JsonRecord::at(const std::string &key) const
  {
    for (const auto &entry : values)
      if (entry.first == key)
        return entry.second;
    throw std::logic_error("JsonRecord: no key '" + key + "'");
  }

  double JsonRecord::number(const std::string &key) const
  {
    const auto *value = std::get_if<double>(&at(key));
    if (!value)
      throw std::logic_error("JsonRecord: '" + key + "' is not a number");
    return *value;
  }

  std::string JsonRecord::string(const std::string &key) const
  {
    const auto *value = std::get_if<std::string>(&at(key));
    if (!value)
      throw std::logic_error("JsonRecord: '" + key + "' is not a string");
    return *value;
  }

  bool JsonRecord::boolean(const std::string &key) const
  {
    const auto *value = std::get_if<bool>(&at(key));
    if (!value)
      throw std::logic_error("JsonRecord: '" + key + "' is not a boolean");
    return *value;
  }

  std::string JsonRecord::text() const
  {
    std::ostringstream out;
    out.precision(12);
    out << "{";
    for (std::size_t k = 0; k < values.size(); ++k)
      {
        out << (k == 0 ? "\n  " : ",\n  ") << json_string(values[k].first) << ": ";
        const Value &value = values[k].second;
        if (const auto *number = std::get_if<double>(&value))
          {
            if (std::isfinite(*number))
              out << *number;
            else
              out << "null";
          }
        else if (const auto *text = std::get_if<std::string>(&value))
          out << json_string(*text);
        else
          out << (std::get<bool>(value) ? "true" : "false");
      }
    out << "\n}\n";
    return out.str();
  }

  void JsonRecord::write_atomically(const std::string &path) const
  {
    const std::string temporary = path + ".tmp";
    {
      std::ofstream out(temporary);
      out << text();
      out.flush();
      if (!out)
        throw std::runtime_error("cannot write '" + temporary + "'");
    }
    std::filesystem::rename(temporary, path);
  }

  namespace
  {
    /** A recursive-descent reader of one flat object. */
    class FlatObjectReader
    {
    public:
      FlatObjectReader(const std::string &text, const std::string &source)
          : text(text)
          , source(source)
      {
      }

      JsonRecord read()
      {
        JsonRecord record;
        expect('{');
        skip_space();
        if (peek() == '}')
          ++position;
        else
          for (;;)
            {
              const std::string key = read_string();
              expect(':');
              record.set(key, read_value(key));
              skip_space();
              if (peek() == ',')
                {
                  ++position;
                  continue;
                }
              expect('}');
              break;
            }
        skip_space();
        if (position != text.size())
          fail("text after the closing brace");
        return record;
      }

    private:
      [[noreturn]] void fail(const std::string &what) const
      {
        throw InputError(source + ": malformed JSON at character " + std::to_string(position) +
                         ": " + what);
      }
      void skip_space()
      {
        while (position < text.size() && std::isspace(static_cast<unsigned char>(text[position])))
          ++position;
      }
      char peek() const { return position < text.size() ? text[position] : '\0'; }
      void expect(const char c)
      {
        skip_space();
        if (peek() != c)
          fail(std::string("expected '") + c + "'");
        ++position;
      }
      std::string read_string()
      {
        expect('"');
        std::string value;
        while (position < text.size() && text[position] != '"')
          {
            char c = text[position++];
            if (c == '\\')
              {
                if (position >= text.size())
                  break;
                const char escaped = text[position++];
                if (escaped == 'n')
                  c = '\n';
                else if (escaped == 't')
                  c = '\t';
                else if (escaped == 'u' && position + 4 <= text.size())
                  {
                    c = static_cast<char>(std::stoi(text.substr(position, 4), nullptr, 16));
                    position += 4;
                  }
                else
                  c = escaped;
              }
            value += c;
          }
        if (peek() != '"')
          fail("unterminated string");
        ++position;
        return value;
      }
      JsonRecord::Value read_value(const std::string &key)
      {
        skip_space();
        if (peek() == '"')
          return read_string();
        for (const auto &[word, value] : {std::pair<const char *, JsonRecord::Value>{"true", true},
                                          {"false", false},
                                          {"null", std::numeric_limits<double>::quiet_NaN()}})
          if (text.compare(position, std::string(word).size(), word) == 0)
            {
              position += std::string(word).size();
              return value;
            }
        const char  *start  = text.c_str() + position;
        char        *end    = nullptr;
        const double number = std::strtod(start, &end);
        if (end == start)
          fail("the value of '" + key + "' is not a number, string, boolean or null");
        if (!std::isfinite(number))
          fail("the value of '" + key + "' is not finite");
        position += end - start;
        return number;
      }

      const std::string &text;
      const std::string &source;
      std::size_t        position = 0;
    };
  } // namespace

  JsonRecord JsonRecord::parse(const std::string &text, const std::string &source)
  {
    return FlatObjectReader(text, source).read();
  }

  JsonRecord JsonRecord::read(const std::string &path)
  {
    std::ifstream in(path);
    if (!in)
      throw InputError("cannot read '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
  }
} // namespace weaklink
