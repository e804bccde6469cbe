#pragma once

#include <string>

namespace weaklink
{
  /**
   * The values of a parameter file's entries, from one subsection on, whoever
   * read the file: deal.II's ParameterHandler in the simulator (HandlerValues),
   * a CaseFile in the tools that do without deal.II. The parsers of parameter
   * groups (geometry, microstructure, images) read through this, so each is
   * written once. Values have been checked against their patterns already.
   */
  class ParameterValues
  {
  public:
    virtual ~ParameterValues() = default;

    /** The value of the entry at @p path ("Width", "Image/File"), relative to this view. */
    virtual std::string get(const std::string &path) const = 0;

    double get_double(const std::string &path) const;
    long   get_integer(const std::string &path) const;
    bool   get_bool(const std::string &path) const;
  };
} // namespace weaklink
