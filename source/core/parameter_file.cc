#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace weaklink
{
  namespace
  {
    std::string pattern_from_message(const std::string &what)
    {
      const std::string marker = "does not match the given pattern <";
      const auto        begin  = what.find(marker);
      if (begin == std::string::npos)
        return "";
      const auto  end = what.find(">.", begin + marker.size());
      std::string pattern =
          what.substr(begin + marker.size(),
                      end == std::string::npos ? std::string::npos : end - begin - marker.size());
      std::replace(pattern.begin(), pattern.end(), '\n', ' ');
      return collapse_spaces(pattern);
    }

    /** deal.II writes names with every character outside [A-Za-z0-9] as _XX (hex). */
    std::string demangle(const std::string &name)
    {
      std::string out;
      for (std::size_t i = 0; i < name.size(); ++i)
        if (name[i] == '_' && i + 2 < name.size() && std::isxdigit(name[i + 1]) &&
            std::isxdigit(name[i + 2]))
          {
            out += static_cast<char>(std::stoi(name.substr(i + 1, 2), nullptr, 16));
            i += 2;
          }
        else
          out += name[i];
      return out;
    }

    void write_comment(std::ostream &out, const std::string &indent, const std::string &text)
    {
      std::istringstream words(text);
      std::string        line, word;
      while (words >> word)
        {
          if (!line.empty() && line.size() + word.size() + indent.size() > 76)
            {
              out << indent << "# " << line << '\n';
              line.clear();
            }
          line += (line.empty() ? "" : " ") + word;
        }
      if (!line.empty())
        out << indent << "# " << line << '\n';
    }

    void write_section(std::ostream &out, const boost::property_tree::ptree &section,
                       const std::string &indent)
    {
      for (const auto &[key, node] : section)
        if (node.get_child_optional("value"))
          {
            write_comment(out, indent, node.get<std::string>("documentation", ""));
            write_comment(out, indent,
                          "Default: " + node.get<std::string>("default_value", "") +
                              "   Allowed: " + node.get<std::string>("pattern_description", ""));
            out << indent << "set " << demangle(key) << " = " << node.get<std::string>("value")
                << "\n\n";
          }
      for (const auto &[key, node] : section)
        if (!node.get_child_optional("value"))
          {
            out << indent << "subsection " << demangle(key) << '\n';
            write_section(out, node, indent + "  ");
            out << indent << "end\n\n";
          }
    }
    void collect_entries(const boost::property_tree::ptree &section, const std::string &prefix,
                         std::vector<DeclaredEntry> &entries)
    {
      for (const auto &[key, node] : section)
        if (node.get_child_optional("value"))
          entries.push_back({prefix + demangle(key), node.get<std::string>("default_value", ""),
                             node.get<std::string>("pattern_description", "")});
      for (const auto &[key, node] : section)
        if (!node.get_child_optional("value"))
          collect_entries(node, prefix + demangle(key) + "/", entries);
    }

    boost::property_tree::ptree parameter_tree(const dealii::ParameterHandler &prm)
    {
      std::stringstream json;
      prm.print_parameters(json, dealii::ParameterHandler::JSON);
      boost::property_tree::ptree tree;
      boost::property_tree::read_json(json, tree);
      return tree;
    }
  } // namespace

  std::vector<DeclaredEntry> declared_entries(const dealii::ParameterHandler &prm)
  {
    std::vector<DeclaredEntry> entries;
    collect_entries(parameter_tree(prm), "", entries);
    return entries;
  }

  void write_documented_parameters(const dealii::ParameterHandler &prm, std::ostream &out)
  {
    const boost::property_tree::ptree tree = parameter_tree(prm);
    out << "# weaklink parameters: every entry with its documentation, default and\n"
        << "# allowed values. This file is itself a valid parameter file.\n\n";
    write_section(out, tree, "");
  }

  std::string HandlerValues::get(const std::string &path) const
  {
    std::vector<std::string> subsections = split_list(path, '/');
    const std::string        entry       = subsections.back();
    subsections.pop_back();
    return prm.get(subsections, entry);
  }

  std::vector<std::string> declared_parameter_paths(const dealii::ParameterHandler &prm)
  {
    std::vector<std::string> paths;
    for (const auto &entry : declared_entries(prm))
      paths.push_back(entry.path);
    return paths;
  }

  void apply_parameter_assignments(dealii::ParameterHandler               &prm,
                                   const std::vector<ParameterAssignment> &assignments)
  {
    const std::vector<std::string> declared = declared_parameter_paths(prm);

    for (const auto &assignment : assignments)
      {
        check_parameter_name(assignment, declared);
        const std::vector<std::string> parts = split_list(assignment.path, '/');
        for (std::size_t i = 0; i + 1 < parts.size(); ++i)
          prm.enter_subsection(parts[i]);
        try
          {
            prm.set(parts.back(), assignment.value);
          }
        catch (const std::exception &error)
          {
            for (std::size_t i = 0; i + 1 < parts.size(); ++i)
              prm.leave_subsection();
            throw invalid_value_error(assignment, pattern_from_message(error.what()));
          }
        for (std::size_t i = 0; i + 1 < parts.size(); ++i)
          prm.leave_subsection();
      }
  }
  namespace
  {
    /** Parameters a resumed or repeated run may change: they do not define the case. */
    const std::vector<std::string> free_between_runs = {"Output/",
                                                        "Newton/",
                                                        "Linear solver/",
                                                        "Time stepping/End time",
                                                        "Time stepping/Maximum number of steps",
                                                        "Termination/"};

    bool may_change_between_runs(const std::string &path)
    {
      for (const auto &prefix : free_between_runs)
        if (path.rfind(prefix, 0) == 0)
          return true;
      return false;
    }

    bool same_value(const std::string &a, const std::string &b)
    {
      if (a == b)
        return true;
      try
        {
          std::size_t  used_a = 0, used_b = 0;
          const double x = std::stod(a, &used_a), y = std::stod(b, &used_b);
          return used_a == a.size() && used_b == b.size() && x == y;
        }
      catch (const std::exception &)
        {
          return false;
        }
    }
  } // namespace

  std::string parameters_free_between_runs()
  {
    std::string words;
    for (const auto &prefix : free_between_runs)
      words += (words.empty() ? "" : ", ") +
               (prefix.back() == '/' ? prefix.substr(0, prefix.size() - 1) : prefix);
    return words;
  }

  std::string first_case_difference(const std::string &earlier, const std::string &current,
                                    const std::string &where_earlier)
  {
    std::map<std::string, std::string> earlier_values;
    for (const auto &entry : read_parameter_text(earlier, "earlier parameters", "."))
      earlier_values[entry.path] = entry.value;
    for (const auto &entry : read_parameter_text(current, "parameters", "."))
      {
        const auto found = earlier_values.find(entry.path);
        if (found != earlier_values.end() && !may_change_between_runs(entry.path) &&
            !same_value(found->second, entry.value))
          {
            const auto shown = [](const std::string &value) {
              return value.empty() ? std::string("(empty)") : value;
            };
            return entry.path + " = " + shown(entry.value) + " here, " + shown(found->second) +
                   " " + where_earlier;
          }
      }
    return "";
  }

} // namespace weaklink
