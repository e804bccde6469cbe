#pragma once

#include <string>
#include <vector>

namespace weaklink
{
  /**
   * A numeric CSV table with a header line (the statistics and ensemble
   * tables this project writes). Ragged rows, non-numeric or non-finite
   * cells and unknown column names are InputErrors that name file, row and
   * column.
   */
  class CsvTable
  {
  public:
    static CsvTable read(const std::string &filename);
    static CsvTable parse(const std::string &text, const std::string &name_for_messages);

    const std::vector<std::string> &names() const { return column_names; }

    /** The column called @p name; unknown names are answered with the nearest ones. */
    std::vector<double> column(const std::string &name) const;

    std::size_t n_rows() const { return rows.size(); }

  private:
    std::string                      source;
    std::vector<std::string>         column_names;
    std::vector<std::vector<double>> rows;
  };
} // namespace weaklink
