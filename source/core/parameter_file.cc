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
    /**
     * @p filename, a @p kind of file ("parameter file", "included file"),
     * opened for reading, or a one-line error that starts with @p where: a
     * directory opens as a stream on Linux and reads as empty, which would
     * run the default case without a word.
     */
    std::ifstream open_parameter_file(const std::string &filename, const std::string &kind,
                                      const std::string &where)
    {
      std::error_code error;
      if (std::filesystem::is_directory(filename, error))
        throw InputError(where + kind + " '" + filename + "' is a directory, not a parameter file");
      std::ifstream in(filename);
      if (!in)
        throw InputError(where + "cannot open " + kind + " '" + filename + "'");
      return in;
    }

    std::string trim(const std::string &s)
    {
      const auto first = s.find_first_not_of(" \t\r");
      if (first == std::string::npos)
        return "";
      const auto last = s.find_last_not_of(" \t\r");
      return s.substr(first, last - first + 1);
    }

    std::string strip_comment(const std::string &line)
    {
      // deal.II allows '\#' as a literal hash; everything after an unescaped
      // '#' is a comment.
      std::string out;
      for (std::size_t i = 0; i < line.size(); ++i)
        {
          if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '#')
            {
              out += '#';
              ++i;
            }
          else if (line[i] == '#')
            break;
          else
            out += line[i];
        }
      return out;
    }

    std::string collapse_spaces(const std::string &s)
    {
      std::string out;
      bool        previous_space = false;
      for (const char c : s)
        {
          const bool space = (c == ' ' || c == '\t');
          if (space && previous_space)
            continue;
          out += space ? ' ' : c;
          previous_space = space;
        }
      return out;
    }

    std::string join(const std::vector<std::string> &parts, const std::string &separator)
    {
      std::string out;
      for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i ? separator : "") + parts[i];
      return out;
    }

    void read_lines(std::istream &in, const std::string &name, const std::string &include_directory,
                    std::vector<std::string> &section_path, std::vector<ParameterAssignment> &out,
                    std::set<std::string> &open_files)
    {
      std::string  raw;
      unsigned int line_number = 0;
      std::string  continued;
      while (std::getline(in, raw))
        {
          ++line_number;
          std::string line = strip_comment(raw);
          // A trailing backslash joins the next line, as in deal.II.
          const std::string trimmed_raw = trim(line);
          if (!trimmed_raw.empty() && trimmed_raw.back() == '\\')
            {
              continued += trimmed_raw.substr(0, trimmed_raw.size() - 1) + " ";
              continue;
            }
          line      = trim(continued + line);
          continued = "";
          if (line.empty())
            continue;

          const std::string  where = name + ":" + std::to_string(line_number);
          std::istringstream words(line);
          std::string        keyword;
          words >> keyword;
          if (keyword == "subsection")
            {
              const std::string section = collapse_spaces(trim(line.substr(10)));
              if (section.empty())
                throw InputError(where + ": 'subsection' without a name");
              section_path.push_back(section);
            }
          else if (keyword == "end")
            {
              if (section_path.empty())
                throw InputError(where + ": 'end' without an open subsection");
              section_path.pop_back();
            }
          else if (keyword == "set")
            {
              const auto equals = line.find('=');
              if (equals == std::string::npos)
                throw InputError(where + ": 'set' line without '=': " + line);
              const std::string entry = collapse_spaces(trim(line.substr(3, equals - 3)));
              if (entry.empty())
                throw InputError(where + ": 'set' line without a name");
              std::vector<std::string> full = section_path;
              full.push_back(entry);
              out.push_back({join(full, "/"), trim(line.substr(equals + 1)), name, line_number});
            }
          else if (keyword == "include")
            {
              std::filesystem::path target = trim(line.substr(7));
              if (target.is_relative())
                target = std::filesystem::path(include_directory) / target;
              const std::string target_name = target.lexically_normal().string();
              if (open_files.count(target_name))
                throw InputError(where + ": include cycle through " + target_name);
              std::ifstream included =
                  open_parameter_file(target_name, "included file", where + ": ");
              open_files.insert(target_name);
              const std::size_t depth = section_path.size();
              read_lines(included, target_name, target.parent_path().string(), section_path, out,
                         open_files);
              if (section_path.size() != depth)
                throw InputError(target_name + ": unbalanced 'subsection'/'end' statements");
              open_files.erase(target_name);
            }
          else
            throw InputError(where + ": cannot understand the line '" + line +
                             "' (expected set, subsection, end or include)");
        }
    }

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
  } // namespace

  void write_documented_parameters(const dealii::ParameterHandler &prm, std::ostream &out)
  {
    std::stringstream json;
    prm.print_parameters(json, dealii::ParameterHandler::JSON);
    boost::property_tree::ptree tree;
    boost::property_tree::read_json(json, tree);
    out << "# weaklink parameters: every entry with its documentation, default and\n"
        << "# allowed values. This file is itself a valid parameter file.\n\n";
    write_section(out, tree, "");
  }

  std::vector<ParameterAssignment> read_parameter_text(const std::string &text,
                                                       const std::string &name_for_messages,
                                                       const std::string &include_directory)
  {
    std::istringstream               in(text);
    std::vector<std::string>         section_path;
    std::vector<ParameterAssignment> out;
    std::set<std::string>            open_files{name_for_messages};
    read_lines(in, name_for_messages, include_directory, section_path, out, open_files);
    if (!section_path.empty())
      throw InputError(name_for_messages + ": subsection '" + section_path.back() +
                       "' is never closed with 'end'");
    return out;
  }

  std::vector<ParameterAssignment> read_parameter_file(const std::string &filename)
  {
    std::ifstream     in = open_parameter_file(filename, "parameter file", "");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::filesystem::path path(filename);
    auto assignments = read_parameter_text(buffer.str(), path.lexically_normal().string(),
                                           path.parent_path().string());
    // An empty or truncated file would silently run the built-in defaults.
    if (assignments.empty())
      throw InputError("parameter file '" + filename + "' sets no parameter");
    return assignments;
  }

  std::vector<std::string> declared_parameter_paths(const dealii::ParameterHandler &prm)
  {
    std::ostringstream text;
    prm.print_parameters(text, dealii::ParameterHandler::ShortPRM);
    std::vector<std::string> paths;
    for (const auto &assignment : read_parameter_text(text.str(), "<declared>", "."))
      paths.push_back(assignment.path);
    return paths;
  }

  void apply_parameter_assignments(dealii::ParameterHandler               &prm,
                                   const std::vector<ParameterAssignment> &assignments)
  {
    const std::vector<std::string> declared = declared_parameter_paths(prm);
    const std::set<std::string>    known(declared.begin(), declared.end());

    for (const auto &assignment : assignments)
      {
        const std::string where = assignment.file + ":" + std::to_string(assignment.line);
        if (known.count(assignment.path) == 0)
          {
            // Parameters that moved: name the new place instead of guessing.
            const std::pair<const char *, const char *> renamed[] = {
                {"Fracture/Pressure", "Coupling/Prescribed lithium pressure"},
                {"Electrochemistry/Prescribed lithium pressure",
                 "Coupling/Prescribed lithium pressure"},
                {"Lithium/Initial content", "Lithium/Initial filling"},
                {"Lithium/Prescribed content", "Lithium/Prescribed filling"},
                {"Lithium/Maximum content increment", "Lithium/Maximum filling increment"},
                {"Short circuit/Stop at short", "Termination/Criteria"}};
            for (const auto &[old_path, new_path] : renamed)
              if (assignment.path == old_path)
                throw InputError(
                    where + ": parameter '" + assignment.path + "' was replaced by '" + new_path +
                    (std::string(new_path).rfind("Lithium/", 0) == 0
                         ? "' (the lithium field is the filling s, lithium volume per void volume)"
                     : std::string(new_path).rfind("Termination/", 0) == 0
                         ? "' (leave 'short circuit' out of the list to run on through shorts)"
                         : "' (one lithium pressure shared by all modules)"));
            std::string suggestions;
            for (const auto &name : nearest_names(assignment.path, declared))
              suggestions += (suggestions.empty() ? "'" : ", '") + name + "'";
            throw InputError(where + ": unknown parameter '" + assignment.path +
                             "'; nearest valid names: " + suggestions);
          }
        std::vector<std::string> parts;
        std::stringstream        split(assignment.path);
        for (std::string part; std::getline(split, part, '/');)
          parts.push_back(part);
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
            throw InputError(where + ": value '" + assignment.value + "' of '" + assignment.path +
                             "' is not valid; expected " + pattern_from_message(error.what()));
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
