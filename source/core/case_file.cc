#include <weaklink/core/case_file.h>
#include <weaklink/core/input_error.h>

namespace weaklink
{
  CaseFile::CaseFile(const std::vector<ParameterAssignment> &assignments)
  {
    std::vector<std::string>                declared;
    std::map<std::string, ParameterPattern> pattern_of;
    for (const auto &parameter : declared_parameters())
      {
        declared.push_back(parameter.path);
        value_of[parameter.path] = parameter.default_value;
        pattern_of.emplace(parameter.path, ParameterPattern(parameter.pattern));
      }
    for (const auto &assignment : assignments)
      {
        check_parameter_name(assignment, declared);
        const auto &pattern = pattern_of.at(assignment.path);
        if (!pattern.match(assignment.value))
          throw invalid_value_error(assignment, pattern.description());
        value_of[assignment.path] = assignment.value;
      }
  }

  std::string CaseFile::Values::get(const std::string &path) const
  {
    const auto found = file.value_of.find(prefix + path);
    if (found == file.value_of.end())
      throw std::logic_error("weaklink declares no parameter '" + prefix + path + "'");
    return found->second;
  }
} // namespace weaklink
