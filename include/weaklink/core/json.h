#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace weaklink
{
  /** @p text as a JSON string literal (quotes, backslashes and control characters escaped). */
  std::string json_string(const std::string &text);

  /**
   * A flat JSON object whose values are numbers, strings or booleans, keys
   * in the order they were set: the one-record files of a run (summary.json)
   * and of an ensemble sample. A non-finite number is written as null and
   * read back as NaN.
   */
  class JsonRecord
  {
  public:
    using Value = std::variant<double, std::string, bool>;

    /** Sets @p key (replacing its value, keeping its place). */
    void set(const std::string &key, const Value &value);
    void set(const std::string &key, const char *value) { set(key, std::string(value)); }

    bool         has(const std::string &key) const;
    const Value &at(const std::string &key) const;
    /** The number under @p key; std::logic_error if absent or not a number. */
    double      number(const std::string &key) const;
    std::string string(const std::string &key) const;
    bool        boolean(const std::string &key) const;

    const std::vector<std::pair<std::string, Value>> &entries() const { return values; }

    /** Pretty-printed, one key per line, numbers to 12 digits. */
    std::string text() const;
    /** Writes text() to @p path through a temporary file and a rename. */
    void write_atomically(const std::string &path) const;

    /** InputError naming @p source and the position when @p text is not such an object. */
    static JsonRecord parse(const std::string &text, const std::string &source);
    static JsonRecord read(const std::string &path);

  private:
    std::vector<std::pair<std::string, Value>> values;
  };
} // namespace weaklink
