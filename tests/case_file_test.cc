// Cases read without deal.II (CaseFile, ParameterPattern): the generated list of declared
// parameters is the simulator's, every pattern accepts exactly what deal.II's accepts, and
// errors read the same as weaklink's.
#include <weaklink/app/application.h>
#include <weaklink/core/case_file.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/core/parameter_pattern.h>

#include <gtest/gtest.h>

#include "test_support.h"

#include <functional>
#include <sstream>

using namespace weaklink;

namespace
{
  /** Whether deal.II's ParameterHandler takes @p value for the entry at @p path. */
  bool deal_ii_accepts(dealii::ParameterHandler &prm, const std::string &path,
                       const std::string &value)
  {
    const std::vector<std::string> parts = split_list(path, '/');
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
      prm.enter_subsection(parts[i]);
    bool accepted = true;
    try
      {
        prm.set(parts.back(), value);
      }
    catch (const std::exception &)
      {
        accepted = false;
      }
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
      prm.leave_subsection();
    return accepted;
  }

  std::string error_of(const std::function<void()> &read)
  {
    try
      {
        read();
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "";
  }
} // namespace

TEST(CaseFile, DeclaredParametersAreTheSimulators)
{
  dealii::ParameterHandler prm;
  declare_all_parameters(prm);
  const auto  entries = declared_entries(prm);
  const auto &listed  = declared_parameters();
  ASSERT_EQ(listed.size(), entries.size());
  ASSERT_GT(listed.size(), 150u);
  for (std::size_t k = 0; k < entries.size(); ++k)
    {
      EXPECT_EQ(listed[k].path, entries[k].path);
      EXPECT_EQ(listed[k].default_value, entries[k].default_value) << entries[k].path;
      EXPECT_EQ(listed[k].pattern, entries[k].pattern) << entries[k].path;
    }
}

TEST(CaseFile, EveryPatternAcceptsWhatDealIIAccepts)
{
  dealii::ParameterHandler prm;
  declare_all_parameters(prm);
  const std::vector<std::string> common = {
      "",     " ",     "0",     "1",          "-1",         "2",           "3",    "0.5",  "0.6",
      "0.61", "1e308", "1e400", "-1e308",     "nan",        "inf",         "-inf", "abc",  " 5",
      "5 ",   "0x10",  "1,5",   "1e",         "+1",         "1.",          ".5",   "true", "false",
      "yes",  "no",    "TRUE",  "2147483647", "2147483648", "-2147483649", "none", "x",    "z",
      "x,z",  "x, z",  "x,",    ",x",         "x,,z",       "10",          "2000", "2001", "1e-320",
      "5e-7"};
  unsigned int checked = 0;
  for (const auto &entry : declared_entries(prm))
    {
      const ParameterPattern   pattern(entry.pattern);
      std::vector<std::string> probes = common;
      probes.push_back(entry.default_value);
      // The choices of a selection, alone, padded and in pairs.
      const auto open = entry.pattern.find("Selection ");
      if (open != std::string::npos)
        {
          std::vector<std::string> choices;
          std::stringstream list(entry.pattern.substr(open + 10, entry.pattern.size() - open - 12));
          for (std::string choice; std::getline(list, choice, '|');)
            choices.push_back(choice);
          for (const auto &a : choices)
            {
              probes.insert(probes.end(), {a, a + " ", " " + a, a + "x"});
              for (const auto &b : choices)
                probes.insert(probes.end(), {a + "," + b, a + ", " + b, a + " ," + b});
            }
        }
      for (const auto &probe : probes)
        {
          EXPECT_EQ(pattern.match(probe), deal_ii_accepts(prm, entry.path, probe))
              << entry.path << " " << entry.pattern << " '" << probe << "'";
          ++checked;
        }
    }
  EXPECT_GT(checked, 10000u);
}

TEST(CaseFile, ErrorsReadAsWeaklinks)
{
  for (const std::string text :
       {"subsection Geometry\n  set Widht = 1e-4\nend\n",
        "subsection Fracture\n  set Pressure = 1\nend\n",
        "subsection Material\n  subsection Microstructure\n    set Porosity = 0.7\n  end\nend\n",
        "subsection Material\n  set Type = voronoi\nend\n", "set Dimension = 4\n"})
    {
      const auto               assignments = read_parameter_text(text, "case.prm", ".");
      dealii::ParameterHandler prm;
      declare_all_parameters(prm);
      const std::string by_deal_ii =
          error_of([&] { apply_parameter_assignments(prm, assignments); });
      const std::string by_case_file = error_of([&] { CaseFile case_file(assignments); });
      EXPECT_FALSE(by_deal_ii.empty()) << text;
      EXPECT_EQ(by_case_file, by_deal_ii) << text;
    }
}

TEST(CaseFile, UnsetEntriesHaveTheirDefaults)
{
  const CaseFile case_file(read_parameter_text(
      "set Dimension = 3\nsubsection Material\n  subsection Microstructure\n    set Porosity = "
      "0.1\n  end\nend\n",
      "case.prm", "."));
  EXPECT_EQ(case_file.values().get_integer("Dimension"), 3);
  const auto micro = case_file.values("Material/Microstructure");
  EXPECT_EQ(micro.get_double("Porosity"), 0.1);
  EXPECT_EQ(micro.get("Pore topology"), "poisson");
  EXPECT_EQ(case_file.values().get_double("Geometry/Width"), 1e-4);
  EXPECT_THROW(micro.get("Porosty"), std::logic_error);
}
