#pragma once

#include <weaklink/core/parameter_pattern.h>
#include <weaklink/core/parameter_text.h>
#include <weaklink/core/parameter_values.h>

#include <map>
#include <string>
#include <vector>

namespace weaklink
{
  /** One entry weaklink declares: where, its default, deal.II's description of its pattern. */
  struct DeclaredParameter
  {
    const char *path;
    const char *default_value;
    const char *pattern;
  };

  /**
   * Every parameter weaklink declares, generated at build time from the
   * simulator's own declarations (weaklink-parameter-schema), so that tools
   * without deal.II know them too.
   */
  const std::vector<DeclaredParameter> &declared_parameters();

  /**
   * A case's parameter file read without deal.II, for the tools that need a
   * part of it (weaklink-descriptors, weaklink-microstructure). Every
   * assignment is checked against declared_parameters(): an unknown name or a
   * value outside its pattern is the same one-line InputError weaklink gives.
   * Entries the file does not set have their defaults.
   */
  class CaseFile
  {
  public:
    explicit CaseFile(const std::vector<ParameterAssignment> &assignments);

    /** The values from subsection @p prefix on ("" for the top level, "Material/Image"). */
    class Values final : public ParameterValues
    {
    public:
      Values(const CaseFile &file, const std::string &prefix)
          : file(file)
          , prefix(prefix.empty() ? "" : prefix + "/")
      {
      }
      std::string get(const std::string &path) const override;

    private:
      const CaseFile &file;
      std::string     prefix;
    };

    Values values(const std::string &prefix = "") const { return Values(*this, prefix); }

  private:
    std::map<std::string, std::string> value_of; ///< every declared path
  };
} // namespace weaklink
