#include <weaklink/core/input_error.h>
#include <weaklink/simulator/statistics.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace weaklink
{
  double Statistics::value(const Row &row, const std::string &name, const double fallback)
  {
    for (const auto &[key, entry] : row)
      if (key == name)
        return entry;
    return fallback;
  }

  void Statistics::add_row(const Row &row)
  {
    all_rows.push_back(row);
  }

  void Statistics::truncate_after_step(const double step)
  {
    all_rows.erase(std::remove_if(all_rows.begin(), all_rows.end(),
                                  [step](const Row &row) { return value(row, "step") > step; }),
                   all_rows.end());
  }

  double Statistics::last(const std::string &name) const
  {
    return all_rows.empty() ? std::numeric_limits<double>::quiet_NaN()
                            : value(all_rows.back(), name);
  }

  std::vector<double> Statistics::column(const std::string &name) const
  {
    std::vector<double> values;
    for (const auto &row : all_rows)
      values.push_back(value(row, name));
    return values;
  }

  std::vector<std::string> Statistics::column_names() const
  {
    std::vector<std::string> names;
    for (const auto &row : all_rows)
      for (const auto &entry : row)
        if (std::find(names.begin(), names.end(), entry.first) == names.end())
          names.push_back(entry.first);
    return names;
  }

  void Statistics::write_text(std::ostream &out) const
  {
    const auto               names = column_names();
    std::vector<std::size_t> widths;
    for (const auto &name : names)
      widths.push_back(std::max<std::size_t>(name.size(), 14));
    out << "#";
    for (std::size_t c = 0; c < names.size(); ++c)
      out << ' ' << std::setw(widths[c]) << names[c];
    out << '\n';
    for (const auto &row : all_rows)
      {
        out << ' ';
        for (std::size_t c = 0; c < names.size(); ++c)
          {
            std::ostringstream text;
            text << std::setprecision(8) << value(row, names[c]);
            out << ' ' << std::setw(widths[c]) << text.str();
          }
        out << '\n';
      }
  }

  void Statistics::write_csv(std::ostream &out) const
  {
    const auto names = column_names();
    for (std::size_t c = 0; c < names.size(); ++c)
      out << (c ? "," : "") << names[c];
    out << '\n';
    out << std::setprecision(12);
    for (const auto &row : all_rows)
      {
        for (std::size_t c = 0; c < names.size(); ++c)
          out << (c ? "," : "") << value(row, names[c]);
        out << '\n';
      }
  }

  void Statistics::save(std::ostream &out) const
  {
    out << all_rows.size() << '\n' << std::setprecision(17);
    for (const auto &row : all_rows)
      {
        out << row.size() << '\n';
        for (const auto &[name, value] : row)
          out << name << '\n' << value << '\n';
      }
  }

  void Statistics::load(std::istream &in)
  {
    all_rows.clear();
    std::size_t n_rows = 0;
    if (!(in >> n_rows))
      throw InputError("checkpoint statistics are unreadable");
    for (std::size_t r = 0; r < n_rows; ++r)
      {
        std::size_t n_entries = 0;
        in >> n_entries;
        in.ignore();
        Row row;
        for (std::size_t e = 0; e < n_entries; ++e)
          {
            std::string name, value;
            std::getline(in, name);
            std::getline(in, value);
            row.emplace_back(name, std::stod(value));
          }
        if (!in)
          throw InputError("checkpoint statistics are truncated");
        all_rows.push_back(row);
      }
  }
} // namespace weaklink
