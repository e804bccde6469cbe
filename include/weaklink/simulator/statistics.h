#pragma once

#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace weaklink
{
  /**
   * The per-step statistics table: named columns in first-seen order, one
   * row per accepted step. Written as an aligned text table and as CSV;
   * kept in checkpoints so that a restarted run continues it.
   */
  class Statistics
  {
  public:
    using Row = std::vector<std::pair<std::string, double>>;

    /** The value of @p name in @p row, or @p fallback when the row lacks it. */
    static double value(const Row &row, const std::string &name,
                        const double fallback = std::numeric_limits<double>::quiet_NaN());

    void add_row(const Row &row);

    /** Drops the rows whose "step" is larger than @p step (after a restart). */
    void truncate_after_step(const double step);

    const std::vector<Row> &rows() const { return all_rows; }

    /** The value of @p column in the last row; NaN when absent. */
    double last(const std::string &column) const;

    /** All values of @p column, in row order (NaN where a row lacks it). */
    std::vector<double> column(const std::string &column) const;

    void write_text(std::ostream &out) const;
    void write_csv(std::ostream &out) const;

    /** Plain-text form for checkpoints. */
    void save(std::ostream &out) const;
    void load(std::istream &in);

  private:
    std::vector<std::string> column_names() const;
    std::vector<Row>         all_rows;
  };
} // namespace weaklink
