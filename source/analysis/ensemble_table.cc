#include <weaklink/analysis/ensemble_table.h>
#include <weaklink/core/input_error.h>
#include <weaklink/descriptors/defect_descriptors.h>
#include <weaklink/learning/sisso_input.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace weaklink
{
  namespace
  {
    bool has_column(const CsvTable &table, const std::string &name)
    {
      for (std::size_t c = 0; c < table.names().size(); ++c)
        if (table.names()[c] == name || table.column_name(c) == name)
          return true;
      return false;
    }
  } // namespace

  EnsembleTable::EnsembleTable(const std::string &filename, const std::string &value)
      : csv(CsvTable::read(filename))
  {
    const std::size_t class_column  = csv.find("class");
    const std::size_t failed_column = csv.find("failed");
    censored_column                 = csv.find("censored");
    if (value.empty())
      {
        // The CCD where the study ramped the current, else the lifetime.
        bool ramp = !has_column(csv, "protocol") && has_column(csv, "ccd [mA/cm2]");
        if (has_column(csv, "protocol"))
          for (const auto &protocol : csv.text_column(csv.find("protocol")))
            ramp = ramp || protocol == "CCD ramp";
        value_column = csv.find(ramp ? "ccd [mA/cm2]" : "lifetime [s]");
      }
    else
      value_column = csv.find(value);
    for (std::size_t c = 0; c < csv.names().size(); ++c)
      if (csv.column_name(c).find('/') != std::string::npos)
        parameter_columns.push_back(c);

    std::map<unsigned int, SampleClass> by_index;
    std::size_t                         shorted = 0, usable = 0;
    for (std::size_t r = 0; r < csv.n_rows(); ++r)
      {
        const double class_number = csv.number(r, class_column);
        if (!(class_number >= 0) || class_number != std::floor(class_number))
          throw InputError(filename + ": row " + std::to_string(r + 1) + ": class '" +
                           csv.text_column(class_column)[r] + "' is not a class number");
        SampleClass &sample_class = by_index[static_cast<unsigned int>(class_number)];
        if (sample_class.rows.empty() && sample_class.failed == 0)
          {
            sample_class.index = static_cast<unsigned int>(class_number);
            for (const auto c : parameter_columns)
              {
                const std::string path = csv.column_name(c);
                sample_class.label += (sample_class.label.empty() ? "" : ", ") +
                                      path.substr(path.rfind('/') + 1) + " " +
                                      csv.text_column(c)[r];
              }
            if (sample_class.label.empty())
              sample_class.label = "class " + std::to_string(sample_class.index);
          }
        if (csv.number(r, failed_column) != 0)
          {
            ++sample_class.failed;
            continue;
          }
        const double x = csv.number(r, value_column);
        if (!(x > 0))
          throw InputError(filename + ": row " + std::to_string(r + 1) + ": '" +
                           csv.names()[value_column] + "' is " + csv.text_column(value_column)[r] +
                           ", not a positive number");
        sample_class.rows.push_back(r);
        ++usable;
        if (csv.number(r, censored_column) == 0)
          ++shorted;
      }
    if (shorted == 0)
      throw InputError(filename + ": no sample shorted (" + std::to_string(usable) + " censored, " +
                       std::to_string(csv.n_rows() - usable) + " failed): there is nothing to fit");
    for (auto &[index, sample_class] : by_index)
      sample_classes.push_back(sample_class);
  }

  FailureData EnsembleTable::failure_data(const SampleClass &sample_class) const
  {
    FailureData data;
    for (const auto r : sample_class.rows)
      {
        data.values.push_back(csv.number(r, value_column));
        data.censored.push_back(csv.number(r, censored_column) != 0);
      }
    return data;
  }

  std::size_t EnsembleTable::n_failed() const
  {
    std::size_t failed = 0;
    for (const auto &sample_class : sample_classes)
      failed += sample_class.failed;
    return failed;
  }

  std::vector<std::size_t> EnsembleTable::shorted_rows() const
  {
    std::vector<std::size_t> rows;
    for (const auto &sample_class : sample_classes)
      for (const auto r : sample_class.rows)
        if (csv.number(r, censored_column) == 0)
          rows.push_back(r);
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  std::vector<double> EnsembleTable::log_values(const std::vector<std::size_t> &rows) const
  {
    std::vector<double> values;
    for (const auto r : rows)
      values.push_back(std::log(csv.number(r, value_column)));
    return values;
  }

  SissoData EnsembleTable::descriptor_data() const
  {
    std::set<std::string> descriptor_names;
    for (const unsigned int dim : {2u, 3u})
      for (const auto &definition : defect_descriptor_definitions(dim))
        descriptor_names.insert(definition.name);
    const std::vector<std::size_t> rows = shorted_rows();

    SissoData data;
    data.target_name = "ln_" + csv.column_name(value_column);
    data.target      = log_values(rows);
    for (std::size_t c = 0; c < csv.names().size(); ++c)
      {
        if (descriptor_names.count(csv.column_name(c)) == 0)
          continue;
        // A descriptor undefined for some sample (nan) or equal for all says nothing here.
        std::vector<double> values;
        try
          {
            for (const auto r : rows)
              values.push_back(csv.number(r, c));
          }
        catch (const InputError &)
          {
            continue;
          }
        const auto [low, high] = std::minmax_element(values.begin(), values.end());
        if (values.empty() || *low == *high)
          continue;
        data.features.push_back(values);
        data.feature_names.push_back(csv.column_name(c));
        data.feature_units.push_back(header_unit(csv.names()[c]));
      }
    if (data.features.empty())
      throw InputError("the table has no defect-network descriptors that vary among the samples "
                       "that shorted");
    data.check();
    data.drop_copies_of_target();
    return data;
  }
} // namespace weaklink
