// The parameter-file front end: includes, unknown names with suggestions,
// values outside their range, malformed lines; one-line errors from library exceptions.
#include <weaklink/app/application.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/nearest_names.h>
#include <weaklink/core/parameter_file.h>

#include <deal.II/base/exceptions.h>

#include <gtest/gtest.h>

#include "test_support.h"

#include <filesystem>
#include <fstream>

using namespace weaklink;

namespace
{
  std::string error_of(const std::string &text)
  {
    dealii::ParameterHandler prm;
    declare_all_parameters(prm);
    try
      {
        apply_parameter_assignments(prm, read_parameter_text(text, "case.prm", "."));
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "";
  }
} // namespace

TEST(ParameterFile, UnknownNameIsAnsweredWithTheNearestNames)
{
  const std::string message = error_of("subsection Time stepping\n  set End tme = 10\nend\n");
  EXPECT_NE(message.find("case.prm:2"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown parameter 'Time stepping/End tme'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("'Time stepping/End time'"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "one line";
}

TEST(ParameterFile, UnknownSubsectionIsAnsweredWithTheNearestNames)
{
  const std::string message = error_of("subsection Electrochemstry\n set Temperature = 300\nend\n");
  EXPECT_NE(message.find("'Electrochemistry/Temperature'"), std::string::npos) << message;
}

TEST(ParameterFile, ValueOutOfRangeNamesThePattern)
{
  const std::string message = error_of("set Dimension = 4\n");
  EXPECT_NE(message.find("value '4' of 'Dimension' is not valid"), std::string::npos) << message;
  EXPECT_NE(message.find("Integer range 2...3"), std::string::npos) << message;
  EXPECT_NE(
      error_of("subsection Electrochemistry\nset Temperature = -3\nend\n").find("Temperature"),
      std::string::npos);
  EXPECT_NE(error_of("subsection Electrochemistry\nset Control = galvano\nend\n").find("Selection"),
            std::string::npos);
}

TEST(ParameterFile, MalformedLinesAreRejected)
{
  EXPECT_NE(error_of("set Dimension 2\n").find("without '='"), std::string::npos);
  EXPECT_NE(error_of("sett Dimension = 2\n").find("cannot understand"), std::string::npos);
  EXPECT_NE(error_of("subsection Output\n").find("never closed"), std::string::npos);
  EXPECT_NE(error_of("end\n").find("without an open subsection"), std::string::npos);
}

TEST(ParameterFile, IncludesAreExpandedRelativeToTheIncludingFile)
{
  const std::string directory = weaklink::test_support::temporary_directory("include");
  std::ofstream(directory + "/base.prm") << "subsection Time stepping\n  set End time = 42\nend\n";
  std::ofstream(directory + "/case.prm") << "include base.prm\nset Dimension = 3 # comment\n";
  const auto assignments = read_parameter_file(directory + "/case.prm");
  ASSERT_EQ(assignments.size(), 2u);
  EXPECT_EQ(assignments[0].path, "Time stepping/End time");
  EXPECT_EQ(assignments[0].value, "42");
  EXPECT_EQ(assignments[1].value, "3");

  std::ofstream(directory + "/loop.prm") << "include loop.prm\n";
  EXPECT_THROW(read_parameter_file(directory + "/loop.prm"), InputError);
  EXPECT_THROW(read_parameter_file(directory + "/missing.prm"), InputError);
  std::filesystem::remove_all(directory);
}

TEST(ParameterFile, PrintedParametersAreAValidParameterFile)
{
  dealii::ParameterHandler prm;
  declare_all_parameters(prm);
  std::ostringstream printed;
  write_documented_parameters(prm, printed);
  EXPECT_NE(printed.str().find("Default: 298.15"), std::string::npos);
  dealii::ParameterHandler again;
  declare_all_parameters(again);
  EXPECT_NO_THROW(apply_parameter_assignments(again, read_parameter_text(printed.str(), "p", ".")));
  EXPECT_EQ(declared_parameter_paths(prm).size(),
            read_parameter_text(printed.str(), "p", ".").size());
}

TEST(ParameterFile, NearestNamesRankByEditDistance)
{
  const auto names = nearest_names("Widht", {"Depth", "Width", "Thickness"}, 2);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "Width");
}

TEST(OneLineErrors, ADealIIExceptionIsReportedByItsReasonNotItsSourceFile)
{
  // deal.II's message opens with rules, the source file and the violated
  // condition; a one-line error needs the "Additional information".
  try
    {
      AssertThrow(false, dealii::ExcMessage("Can't convert <200 300> to an integer."));
      FAIL() << "no exception";
    }
  catch (const std::exception &error)
    {
      EXPECT_EQ(weaklink::first_line(error.what()), "Can't convert <200 300> to an integer.");
    }
  EXPECT_EQ(weaklink::first_line("\n----\n  mesh file missing  \nmore"), "mesh file missing");
  EXPECT_EQ(weaklink::first_line("plain"), "plain");
}
