#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/statistics/csv_table.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace weaklink
{
  namespace
  {
    std::vector<std::string> split(const std::string &line)
    {
      std::vector<std::string> cells;
      std::stringstream        in(line);
      for (std::string cell; std::getline(in, cell, ',');)
        {
          const auto first = cell.find_first_not_of(" \t\r\"");
          const auto last  = cell.find_last_not_of(" \t\r\"");
          cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
        }
      if (!line.empty() && line.back() == ',')
        cells.push_back("");
      return cells;
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
    std::stringstream in(text);
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
        std::vector<double> row;
        for (std::size_t c = 0; c < cells.size(); ++c)
          {
            std::size_t used  = 0;
            double      value = 0;
            try
              {
                value = std::stod(cells[c], &used);
              }
            catch (const std::exception &)
              {
                used = 0;
              }
            if (used == 0 || used != cells[c].size())
              throw InputError(where + ": column '" + table.column_names[c] + "' holds '" +
                               cells[c] + "', not a number");
            if (!std::isfinite(value))
              throw InputError(where + ": column '" + table.column_names[c] + "' holds " +
                               cells[c]);
            row.push_back(value);
          }
        table.rows.push_back(row);
      }
    if (table.column_names.empty())
      throw InputError(name + ": no header line");
    return table;
  }

  std::vector<double> CsvTable::column(const std::string &name) const
  {
    const auto found = std::find(column_names.begin(), column_names.end(), name);
    if (found == column_names.end())
      {
        std::string suggestions;
        for (const auto &candidate : nearest_names(name, column_names))
          suggestions += (suggestions.empty() ? "'" : ", '") + candidate + "'";
        throw InputError(source + ": no column '" + name + "'; nearest: " + suggestions);
      }
    const std::size_t   c = found - column_names.begin();
    std::vector<double> values;
    for (const auto &row : rows)
      values.push_back(row[c]);
    return values;
  }
} // namespace weaklink
