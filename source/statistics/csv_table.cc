#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/nearest_names.h>
#include <weaklink/statistics/csv_table.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace weaklink
{
  namespace
  {
    std::string trim(const std::string &text)
    {
      const auto first = text.find_first_not_of(" \t\r");
      const auto last  = text.find_last_not_of(" \t\r");
      return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    }

    /** The cells of one line: commas inside double quotes belong to the cell, "" is a quote. */
    std::vector<std::string> split(const std::string &line)
    {
      std::vector<std::string> cells;
      std::string              cell;
      bool                     quoted = false;
      for (std::size_t i = 0; i < line.size(); ++i)
        {
          const char c = line[i];
          if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
            {
              cell += '"';
              ++i;
            }
          else if (c == '"')
            quoted = !quoted;
          else if (c == ',' && !quoted)
            {
              cells.push_back(trim(cell));
              cell.clear();
            }
          else
            cell += c;
        }
      cells.push_back(trim(cell));
      return cells;
    }

    bool parse_number(const std::string &cell, double &value)
    {
      return read_decimal(cell, value) == DecimalReading::finite;
    }

    std::string not_a_number(const std::string &where, const std::string &column,
                             const std::string &cell)
    {
      double value = 0;
      if (read_decimal(cell, value) == DecimalReading::not_finite)
        return where + ": column '" + column + "' holds " + cell;
      return where + ": column '" + column + "' holds '" + cell + "', not a number";
    }
  } // namespace

  CsvTable CsvTable::read(const std::string &filename)
  {
    std::ifstream in(filename);
    if (!in)
      throw InputError("cannot open data file '" + filename + "'");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse(buffer.str(), filename);
  }

  CsvTable CsvTable::parse(const std::string &text, const std::string &name)
  {
    CsvTable table;
    table.source = name;
    // A UTF-8 byte-order mark (spreadsheet exports) would become part of the
    // first column's name, which then matches nothing while looking right.
    const std::string byte_order_mark = "\xEF\xBB\xBF";
    std::stringstream in(text.compare(0, 3, byte_order_mark) == 0 ? text.substr(3) : text);
    std::string       line;
    unsigned int      line_number = 0;
    while (std::getline(in, line))
      {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#')
          continue;
        const auto cells = split(line);
        if (table.column_names.empty())
          {
            table.column_names = cells;
            continue;
          }
        const std::string where = name + ":" + std::to_string(line_number);
        if (cells.size() != table.column_names.size())
          throw InputError(where + ": " + std::to_string(cells.size()) + " cells, the header has " +
                           std::to_string(table.column_names.size()));
        // Whether a cell is a number is asked when its column is used (number()), so that
        // labels and notes in the other columns do not matter.
        table.rows.push_back(cells);
        table.row_lines.push_back(line_number);
      }
    if (table.column_names.empty())
      throw InputError(name + ": no header line");
    return table;
  }

  std::pair<std::string, std::string> CsvTable::split_header(const std::string &cell)
  {
    const std::string whole = trim(cell);
    const auto        open  = whole.find('[');
    if (whole.empty() || whole.back() != ']' || open == std::string::npos)
      return {whole, ""};
    const std::string name = trim(whole.substr(0, open));
    if (name.empty())
      return {whole, ""};
    return {name, trim(whole.substr(open + 1, whole.size() - open - 2))};
  }

  std::string CsvTable::column_name(const std::size_t c) const
  {
    return split_header(column_names.at(c)).first;
  }

  std::string CsvTable::column_unit(const std::size_t c) const
  {
    return split_header(column_names.at(c)).second;
  }

  std::size_t CsvTable::find(const std::string &name) const
  {
    const auto without_blanks = [](std::string text) {
      text.erase(std::remove_if(text.begin(), text.end(),
                                [](const unsigned char c) { return std::isspace(c); }),
                 text.end());
      return text;
    };
    const auto quoted = [](const std::vector<std::string> &items) {
      std::string text;
      for (const auto &item : items)
        text += (text.empty() ? "'" : ", '") + item + "'";
      return text;
    };
    const auto [wanted_name, wanted_unit] = split_header(name);
    // "radius" asks for any unit, "radius [um]" (also "radius []") for that one.
    const bool               with_unit = wanted_name != trim(name);
    std::vector<std::size_t> same_name;
    for (std::size_t c = 0; c < column_names.size(); ++c)
      if (column_name(c) == wanted_name)
        same_name.push_back(c);
    if (same_name.empty())
      {
        // Suggest what a user may type: the plain name, or the whole cell where two columns
        // share a name.
        std::vector<std::string> candidates;
        for (std::size_t c = 0; c < column_names.size(); ++c)
          {
            const auto shared =
                std::count_if(column_names.begin(), column_names.end(), [&](const auto &cell) {
                  return split_header(cell).first == column_name(c);
                });
            candidates.push_back(shared > 1 ? column_names[c] : column_name(c));
          }
        throw InputError(source + ": no column '" + name +
                         "'; nearest: " + quoted(nearest_names(wanted_name, candidates)));
      }
    std::vector<std::size_t> matching;
    for (const auto c : same_name)
      if (!with_unit || without_blanks(column_unit(c)) == without_blanks(wanted_unit))
        matching.push_back(c);
    if (matching.size() == 1)
      return matching.front();
    std::vector<std::string> cells;
    for (const auto c : same_name)
      cells.push_back(column_names[c]);
    if (matching.empty())
      throw InputError(source + ": no column '" + name + "'; the header has " + quoted(cells));
    throw InputError(source + ": column name '" + name + "' is ambiguous, the header has " +
                     quoted(cells));
  }

  std::vector<double> CsvTable::column(const std::string &name) const
  {
    return column(find(name));
  }

  std::vector<double> CsvTable::column(const std::size_t c) const
  {
    std::vector<double> values;
    values.reserve(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
      values.push_back(number(r, c));
    return values;
  }

  double CsvTable::number(const std::size_t r, const std::size_t c) const
  {
    double value = 0;
    if (!parse_number(rows.at(r).at(c), value))
      throw InputError(
          not_a_number(source + ":" + std::to_string(row_lines[r]), column_names[c], rows[r][c]));
    return value;
  }

  std::vector<std::string> CsvTable::text_column(const std::size_t c) const
  {
    std::vector<std::string> cells;
    for (const auto &row : rows)
      cells.push_back(row.at(c));
    return cells;
  }

  bool CsvTable::is_numeric(const std::size_t c) const
  {
    double value = 0;
    for (const auto &row : rows)
      if (!parse_number(row.at(c), value))
        return false;
    return true;
  }
} // namespace weaklink
