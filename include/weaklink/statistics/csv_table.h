#pragma once

#include <string>
#include <utility>
#include <vector>

namespace weaklink
{
  /**
   * A CSV table with a header line (the statistics and ensemble tables this
   * project writes). Cells are text and may be quoted ("a, b", "" for a
   * quote). Ragged rows and unknown column names are InputErrors that name
   * file, line and column; so is a cell that is not a finite decimal number
   * in a column a tool uses as numbers (column(), number()): the other
   * columns may hold anything (labels, notes).
   *
   * Header cells may carry a unit, "name [unit]". Every tool resolves the
   * column a user names through find(), so "radius [um]", "radius[um]" and
   * "radius" are one and the same column.
   */
  class CsvTable
  {
  public:
    static CsvTable read(const std::string &filename);
    static CsvTable parse(const std::string &text, const std::string &name_for_messages);

    /** The header cells as written. */
    const std::vector<std::string> &names() const { return column_names; }

    /**
     * "radius [um]" -> {"radius", "um"}; a cell without a trailing "[...]"
     * (or with nothing before it) is all name, with an empty unit.
     */
    static std::pair<std::string, std::string> split_header(const std::string &cell);

    /**
     * The index of the column a user means by @p name: a header cell as
     * written, or a column's name with or without its unit (whitespace
     * around the name, the brackets and inside the unit does not matter).
     * Unknown names are answered with the nearest column names; a name two
     * columns share, or a unit other than the column's, is an InputError too.
     */
    std::size_t find(const std::string &name) const;

    /** The name of column @p c without its unit ("radius" for "radius [um]"). */
    std::string column_name(std::size_t c) const;

    /** The unit of column @p c as written between the brackets ("" without brackets). */
    std::string column_unit(std::size_t c) const;

    /** The column called @p name (resolved by find()). */
    std::vector<double> column(const std::string &name) const;

    /** The values of column @p c; InputError (naming file, line and column) for a cell that
     * is not a finite number. The one place where cells become numbers. */
    std::vector<double> column(std::size_t c) const;

    /** The cell of row @p r, column @p c as a number; InputError (naming file, line and column)
     * if it is not one. */
    double number(std::size_t r, std::size_t c) const;

    /** The cells of column @p c as written (quotes removed). */
    std::vector<std::string> text_column(std::size_t c) const;

    /** Whether every cell of column @p c is a finite number. */
    bool is_numeric(std::size_t c) const;

    std::size_t n_rows() const { return rows.size(); }

  private:
    std::string                           source;
    std::vector<std::string>              column_names;
    std::vector<std::vector<std::string>> rows;
    std::vector<unsigned int>             row_lines; ///< line number of each row, for messages
  };
} // namespace weaklink
