#include <weaklink/core/input_error.h>
#include <weaklink/learning/sisso_input.h>
#include <weaklink/statistics/csv_table.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace weaklink
{
  namespace
  {
    std::string trim(const std::string &text, const char *characters = " \t\r")
    {
      const auto first = text.find_first_not_of(characters);
      const auto last  = text.find_last_not_of(characters);
      return first == std::string::npos ? "" : text.substr(first, last - first + 1);
    }

    std::string lower(std::string text)
    {
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      return text;
    }

    // "radius [um]" -> ("radius", um)
    std::pair<std::string, PhysicalUnit> split_name_and_unit(const std::string &cell)
    {
      const auto open = cell.find('[');
      if (open == std::string::npos)
        return {trim(cell), PhysicalUnit()};
      const auto close = cell.find(']', open);
      if (close == std::string::npos || trim(cell.substr(close + 1)) != "")
        throw InputError("header cell '" + cell + "' is not 'name [unit]'");
      return {trim(cell.substr(0, open)),
              PhysicalUnit::parse(cell.substr(open + 1, close - open - 1))};
    }

    double parse_number(const std::string &raw, const std::string &what)
    {
      std::string text = trim(raw, " \t\r'\"");
      // Fortran writes 1d-3 for 1e-3.
      for (char &c : text)
        if (c == 'd' || c == 'D')
          c = 'e';
      std::size_t used  = 0;
      double      value = 0;
      try
        {
          value = std::stod(text, &used);
        }
      catch (const std::exception &)
        {
          used = 0;
        }
      if (used == 0 || used != text.size())
        throw InputError(what + " is '" + raw + "', not a number");
      if (!std::isfinite(value))
        throw InputError(what + " is " + raw);
      return value;
    }

    unsigned int parse_count(const std::string &raw, const std::string &what)
    {
      const double value = parse_number(raw, what);
      if (value < 0 || value != std::floor(value) || value > 1e9)
        throw InputError(what + " is '" + raw + "', not a non-negative integer");
      return static_cast<unsigned int>(value);
    }

    bool parse_logical(const std::string &raw, const std::string &what)
    {
      const std::string text = lower(trim(raw));
      if (text == ".true." || text == "t" || text == ".t." || text == "true")
        return true;
      if (text == ".false." || text == "f" || text == ".f." || text == "false")
        return false;
      throw InputError(what + " is '" + raw + "', not .true. or .false.");
    }

    std::vector<std::string> split_list(const std::string &text)
    {
      std::vector<std::string> items;
      std::string              current;
      int                      depth = 0;
      for (const char c : text)
        {
          if (c == '(')
            ++depth;
          if (c == ')')
            --depth;
          if (c == ',' && depth == 0)
            {
              items.push_back(trim(current, " \t\r'\""));
              current.clear();
            }
          else
            current += c;
        }
      items.push_back(trim(current, " \t\r'\""));
      return items;
    }

    // Copies of the target leave the primary features; if nothing is left, say why.
    void drop_copies_of_target(SissoData &data)
    {
      const auto dropped = data.drop_copies_of_target();
      if (data.features.empty() && !dropped.empty())
        {
          std::string names;
          for (const auto &name : dropped)
            names += (names.empty() ? "'" : ", '") + name + "'";
          throw InputError("SISSO: every primary feature (" + names +
                           ") is a copy of the target '" + data.target_name + "'");
        }
    }
  } // namespace

  PhysicalUnit header_unit(const std::string &cell)
  {
    return split_name_and_unit(cell).second;
  }

  SissoData read_sisso_csv(const std::string &filename, const std::string &target,
                           const std::vector<std::string> &features)
  {
    const CsvTable                     table = CsvTable::read(filename);
    std::vector<PhysicalUnit>          units;
    std::map<std::string, std::size_t> seen;
    for (std::size_t c = 0; c < table.names().size(); ++c)
      {
        units.push_back(split_name_and_unit(table.names()[c]).second);
        if (!seen.emplace(table.column_name(c), c).second)
          throw InputError(filename + ": column '" + table.column_name(c) + "' appears twice");
      }
    // Columns are compared by index, whichever way (with or without the unit) they are named.
    const std::size_t        target_column = table.find(target);
    std::vector<std::size_t> chosen;
    if (features.empty())
      {
        for (std::size_t c = 0; c < table.names().size(); ++c)
          if (c != target_column)
            chosen.push_back(c);
      }
    else
      for (const auto &name : features)
        {
          const std::size_t c = table.find(name);
          if (c == target_column)
            throw InputError("the target '" + table.names()[c] +
                             "' is also listed as a feature ('" + name + "')");
          if (std::find(chosen.begin(), chosen.end(), c) != chosen.end())
            throw InputError("column '" + table.names()[c] + "' is listed twice in the features");
          chosen.push_back(c);
        }
    SissoData data;
    data.target_name = table.column_name(target_column);
    data.target      = table.column(target_column);
    data.target_unit = units[target_column];
    for (const auto c : chosen)
      {
        data.features.push_back(table.column(c));
        data.feature_names.push_back(table.column_name(c));
        data.feature_units.push_back(units[c]);
      }
    if (table.n_rows() == 0)
      throw InputError(filename + ": no data rows");
    data.check();
    drop_copies_of_target(data);
    return data;
  }

  ReferenceJob read_reference_input(const std::string &sisso_in)
  {
    std::ifstream in(sisso_in);
    if (!in)
      throw InputError("cannot open '" + sisso_in + "'");
    std::map<std::string, std::string> values;
    std::string                        line;
    unsigned int                       line_number = 0;
    while (std::getline(in, line))
      {
        ++line_number;
        line = trim(line.substr(0, line.find('!')));
        if (line.empty())
          continue;
        const auto equals = line.find('=');
        if (equals == std::string::npos)
          throw InputError(sisso_in + ":" + std::to_string(line_number) +
                           ": expected 'keyword=value', found '" + line + "'");
        // The keywords of v3.0-3.1 under the names v3.2 gave them.
        static const std::map<std::string, std::string> renamed = {
            {"opset", "ops"},           {"dimclass", "funit"},
            {"maxfval_lb", "fmax_min"}, {"maxfval_ub", "fmax_max"},
            {"subs_sis", "nf_sis"},     {"method", "method_so"},
            {"l1l0_size4l0", "nl1l0"},  {"width", "bwidth"},
            {"nm_output", "nmodels"},   {"maxcomplexity", "fcomplexity"},
            {"nprop", "ntask"},         {"calc", "task"}};
        std::string key = lower(trim(line.substr(0, equals)));
        if (renamed.count(key))
          key = renamed.at(key);
        values[key] = trim(line.substr(equals + 1));
      }

    const auto   where = [&](const std::string &key) { return sisso_in + ": " + key; };
    ReferenceJob job;
    auto        &settings                         = job.settings;
    settings.features.strict_transcendental_units = false;
    unsigned int             n_samples = 0, n_features = 0, complexity = 3;
    std::string              ops        = "(+)(-)(*)(/)", funit;
    std::vector<std::string> n_selected = {"20"};
    settings.n_models                   = 100;
    for (const auto &[key, value] : values)
      {
        const std::string text = lower(trim(value, " \t\r'\""));
        if (key == "ptype" && parse_count(value, where(key)) != 1)
          throw InputError(where(key) + " = " + value + ": only regression (ptype=1) is supported");
        else if (key == "ntask" && parse_count(value, where(key)) != 1)
          throw InputError(where(key) + " = " + value + ": multi-task learning is not supported");
        else if (key == "restart" && parse_count(value, where(key)) != 0)
          throw InputError(where(key) + " = " + value +
                           ": restarts are not supported (runs are fast)");
        else if ((key == "nvf" || key == "nreaction") && parse_count(value, where(key)) != 0)
          throw InputError(where(key) + " = " + value +
                           ": vector features and reactions are not supported");
        else if (key == "ffdecorr" && parse_logical(value, where(key)))
          throw InputError(where(key) + ": feature decorrelation is not supported");
        else if (key == "scmt" && parse_logical(value, where(key)))
          throw InputError(where(key) + ": sign-constrained multi-task learning is not supported");
        else if (key == "desc_dim")
          settings.max_dimension = parse_count(value, where(key));
        else if (key == "nsample")
          n_samples = parse_count(value, where(key));
        else if (key == "nsf")
          n_features = parse_count(value, where(key));
        else if (key == "ops")
          ops = value;
        else if (key == "fcomplexity")
          complexity = parse_count(value, where(key));
        else if (key == "funit")
          funit = value;
        else if (key == "fmax_min")
          settings.features.fmax_min = parse_number(value, where(key));
        else if (key == "fmax_max")
          settings.features.fmax_max = parse_number(value, where(key));
        else if (key == "task" && text != "fcdi")
          throw InputError(where(key) + " = " + value +
                           ": only the whole job (FCDI) is supported, not FC or DI alone");
        else if (key == "npf_must" && parse_count(value, where(key)) != 0)
          throw InputError(where(key) + " = " + value +
                           ": features that must appear in every model are not supported");
        else if (key == "fstore")
          job.notes.push_back(where(key) + ": features are always held as data here; no effect");
        else if (key == "rung")
          job.notes.push_back(where(key) +
                              ": the rung follows from fcomplexity (as from v3.1 "
                              "of the reference code); " +
                              key + " is ignored");
        else if (key == "fs_size_di" || key == "fs_size_l0")
          job.notes.push_back(where(key) + ": L0 searches every SIS-selected feature; no effect");
        else if (key == "cv_fold" || key == "cv_repeat")
          job.notes.push_back(where(key) + ": ignored (the reference code dropped it in v2.2); "
                                           "weaklink-sisso --cv K cross-validates");
        else if (key == "ndimtype")
          job.notes.push_back(where(key) + ": the unit groups come from funit; no effect");
        else if (key == "nf_sis")
          n_selected = split_list(value);
        else if (key == "method_so")
          {
            if (text != "l0")
              throw InputError(where(key) + " = " + value + ": only 'L0' is supported");
          }
        else if (key == "fit_intercept")
          settings.fit_intercept = parse_logical(value, where(key));
        else if (key == "metric")
          {
            if (text == "rmse")
              settings.metric = ModelMetric::rmse;
            else if (text == "maxae")
              settings.metric = ModelMetric::max_absolute_error;
            else
              throw InputError(where(key) + " = " + value + ": expected 'RMSE' or 'MaxAE'");
          }
        else if (key == "nmodel" || key == "nmodels")
          settings.n_models = parse_count(value, where(key));
        else if (key == "task_weighting" || key == "isconvex" || key == "bwidth" ||
                 key == "nl1l0" || key == "ptype" || key == "ntask" || key == "restart" ||
                 key == "nvf" || key == "nreaction" || key == "ffdecorr" || key == "scmt" ||
                 key == "vfsize" || key == "vf2sf" || key.rfind("l1", 0) == 0 ||
                 key.rfind("decorr", 0) == 0 || key == "npoints" || key == "task" ||
                 key == "npf_must")
          ; // meaningless for single-task L0 regression
        else
          throw InputError(where(key) + ": unknown keyword");
      }
    if (complexity > 7)
      throw InputError(where("fcomplexity") + " = " + std::to_string(complexity) + ": at most 7");
    settings.features.max_complexity = complexity;
    settings.features.rung = complexity == 0 ? 0 : complexity == 1 ? 1 : complexity <= 3 ? 2 : 3;
    settings.n_selected.clear();
    for (const auto &size : n_selected)
      settings.n_selected.push_back(parse_count(size, where("nf_sis")));
    for (const auto &list : split_list(ops))
      settings.features.operators_per_rung.push_back(parse_operators(list));
    if (settings.features.operators_per_rung.size() > 1 &&
        settings.features.operators_per_rung.size() < settings.features.rung)
      throw InputError(where("ops") + ": " +
                       std::to_string(settings.features.operators_per_rung.size()) +
                       " operator lists for " + std::to_string(settings.features.rung) + " rungs");
    if (n_features == 0)
      throw InputError(where("nsf") + " is missing or 0");

    // funit: each (first:last) bracket is one independent unit for features first..last.
    std::vector<PhysicalUnit> units(n_features);
    std::vector<bool>         has_unit(n_features, false);
    unsigned int              group = 0;
    for (std::size_t position = funit.find('('); position != std::string::npos;
         position             = funit.find('(', position + 1))
      {
                    const auto close = funit.find(')', position);
                    const auto colon = funit.find(':', position);
                    if (close == std::string::npos || colon == std::string::npos || colon > close)
          throw InputError(where("funit") + " = " + funit + ": expected brackets '(first:last)'");
        const unsigned int first =
                        parse_count(funit.substr(position + 1, colon - position - 1), where("funit"));
                    const unsigned int last =
                        parse_count(funit.substr(colon + 1, close - colon - 1), where("funit"));
                    if (first < 1 || last < first || last > n_features)
          throw InputError(where("funit") + ": group (" + std::to_string(first) + ":" +
                                       std::to_string(last) + ") is outside features 1.." +
                                       std::to_string(n_features));
        ++group;
                    for (unsigned int f = first; f <= last; ++f)
          {
                        if (has_unit[f - 1])
              throw InputError(where("funit") + ": unit clash, feature " + std::to_string(f) +
                                           " is in two unit groups");
            has_unit[f - 1] = true;
                        units[f - 1]    = PhysicalUnit::base("u" + std::to_string(group));
          }
      }

    // train.dat: a header line, then sample name, property and nsf features per row.
    const auto        slash = sisso_in.find_last_of('/');
    const std::string train =
        (slash == std::string::npos ? std::string() : sisso_in.substr(0, slash + 1)) + "train.dat";
    std::ifstream data_file(train);
    if (!data_file)
      throw InputError("cannot open '" + train + "' (it must sit next to " + sisso_in + ")");
    const auto tokens = [](std::string text) {
      for (char &c : text)
        if (c == ',' || c == '\t' || c == '\r')
          c = ' ';
      std::istringstream       stream(text);
      std::vector<std::string> cells;
      for (std::string cell; stream >> cell;)
        cells.push_back(cell);
      return cells;
    };
    SissoData &data  = job.data;
    line_number      = 0;
    bool have_header = false;
    data.features.assign(n_features, {});
    while (std::getline(data_file, line))
      {
        ++line_number;
        const auto cells = tokens(line);
        if (cells.empty())
          continue;
        const std::string at = train + ":" + std::to_string(line_number);
        if (cells.size() != n_features + 2)
          throw InputError(at + ": " + std::to_string(cells.size()) + " columns, expected " +
                           std::to_string(n_features + 2) +
                           " (name, property, nsf=" + std::to_string(n_features) + " features)");
        if (!have_header)
          {
            have_header      = true;
            data.target_name = cells[1];
            data.feature_names.assign(cells.begin() + 2, cells.end());
            data.feature_units = units;
            continue;
          }
        data.target.push_back(parse_number(cells[1], at + ": property"));
        for (unsigned int f = 0; f < n_features; ++f)
          data.features[f].push_back(
              parse_number(cells[f + 2], at + ": feature '" + data.feature_names[f] + "'"));
      }
    if (!have_header)
      throw InputError(train + ": empty");
    if (n_samples != 0 && n_samples != data.target.size())
      throw InputError(where("nsample") + " = " + std::to_string(n_samples) + " but " + train +
                       " has " + std::to_string(data.target.size()) + " samples");
    data.check();
    drop_copies_of_target(data);
    return job;
  }
} // namespace weaklink
