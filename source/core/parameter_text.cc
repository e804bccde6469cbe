#include <weaklink/core/input_error.h>
#include <weaklink/core/nearest_names.h>
#include <weaklink/core/parameter_text.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
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

  } // namespace

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

  void check_parameter_name(const ParameterAssignment      &assignment,
                            const std::vector<std::string> &declared)
  {
    if (std::find(declared.begin(), declared.end(), assignment.path) != declared.end())
      return;
    const std::string where = assignment.file + ":" + std::to_string(assignment.line);
    // Parameters that moved: name the new place instead of guessing.
    const std::pair<const char *, const char *> renamed[] = {
        {"Fracture/Pressure", "Coupling/Prescribed lithium pressure"},
        {"Electrochemistry/Prescribed lithium pressure", "Coupling/Prescribed lithium pressure"},
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

  InputError invalid_value_error(const ParameterAssignment &assignment, const std::string &pattern)
  {
    return InputError(assignment.file + ":" + std::to_string(assignment.line) + ": value '" +
                      assignment.value + "' of '" + assignment.path + "' is not valid; expected " +
                      pattern);
  }

  std::vector<std::string> split_list(const std::string &text, const char delimiter)
  {
    const auto trim_spaces = [](std::string word) {
      while (!word.empty() && word.front() == ' ')
        word.erase(0, 1);
      while (!word.empty() && word.back() == ' ')
        word.pop_back();
      return word;
    };
    std::string rest = text;
    while (!rest.empty() && rest.back() == ' ')
      rest.pop_back();
    std::vector<std::string> words;
    while (!rest.empty())
      {
        const auto at = rest.find(delimiter);
        words.push_back(trim_spaces(rest.substr(0, at)));
        rest = at == std::string::npos ? "" : rest.substr(at + 1);
      }
    return words;
  }
} // namespace weaklink
