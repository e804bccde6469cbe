// CsvTable: a column is one thing whichever way a user names it, with or
// without the unit of its header cell ("radius [um]", "radius[um]",
// "radius"); unknown names are answered with names a user can type, and names
// two columns share or units other than the column's are errors. Run on 1 and
// 2 ranks as every tool that reads these tables runs under MPI.
#include <weaklink/core/input_error.h>
#include <weaklink/statistics/csv_table.h>

#include <gtest/gtest.h>

#include <string>

using namespace weaklink;

namespace
{
  // As weaklink-descriptors writes it: sample and seed without a unit, descriptors with one.
  const char *descriptor_table = "sample,seed,min_ligament [1],porosity [1],radius [um],ccd\n"
                                 "0,11,0.25,0.1,3.5,4\n"
                                 "1,12,0.5,0.2,4.5,5\n";

  std::string error_of(const CsvTable &table, const std::string &name)
  {
    try
      {
        table.find(name);
      }
    catch (const InputError &error)
      {
        return error.what();
      }
    return "";
  }
} // namespace

TEST(CsvTable, AColumnIsFoundWithOrWithoutItsUnit)
{
  const CsvTable table = CsvTable::parse(descriptor_table, "t.csv");
  for (const std::string name :
       {"min_ligament", "min_ligament [1]", "min_ligament[1]", "  min_ligament [ 1 ] "})
    EXPECT_EQ(table.find(name), 2u) << "'" << name << "'";
  EXPECT_EQ(table.find("radius [um]"), table.find("radius"));
  EXPECT_EQ(table.column("radius [um]"), table.column("radius"));
  EXPECT_EQ(table.column("radius")[1], 4.5);
  EXPECT_EQ(table.find("ccd"), 5u);
  EXPECT_EQ(table.find("sample"), 0u);

  EXPECT_EQ(table.column_name(2), "min_ligament");
  EXPECT_EQ(table.column_unit(2), "1");
  EXPECT_EQ(table.column_name(4), "radius");
  EXPECT_EQ(table.column_unit(4), "um");
  EXPECT_EQ(table.column_name(5), "ccd");
  EXPECT_EQ(table.column_unit(5), "");
  EXPECT_EQ(table.names()[4], "radius [um]");

  EXPECT_EQ(CsvTable::split_header(" current [mA/cm^2] "),
            std::make_pair(std::string("current"), std::string("mA/cm^2")));
  EXPECT_EQ(CsvTable::split_header("plain"), std::make_pair(std::string("plain"), std::string()));
  EXPECT_EQ(CsvTable::split_header("[m]"), std::make_pair(std::string("[m]"), std::string()));
}

TEST(CsvTable, UnknownNamesAreAnsweredWithNamesThatWork)
{
  const CsvTable    table   = CsvTable::parse(descriptor_table, "t.csv");
  const std::string unknown = error_of(table, "porosty [1]");
  EXPECT_NE(unknown.find("t.csv: no column 'porosty [1]'; nearest: 'porosity'"), std::string::npos)
      << unknown;
  EXPECT_EQ(unknown.find("porosity ["), std::string::npos) << unknown;
  EXPECT_NE(error_of(table, "porosty").find("nearest: 'porosity'"), std::string::npos);

  // The right name with another unit is not the column; the message shows the header's unit.
  const std::string wrong_unit = error_of(table, "radius [m]");
  EXPECT_NE(wrong_unit.find("no column 'radius [m]'; the header has 'radius [um]'"),
            std::string::npos)
      << wrong_unit;
  EXPECT_NE(error_of(table, "ccd [h]").find("the header has 'ccd'"), std::string::npos);
}

TEST(CsvTable, NamesTwoColumnsShareAreErrors)
{
  const CsvTable table = CsvTable::parse("x [m],x [s],y\n1,2,3\n", "t.csv");
  EXPECT_NE(error_of(table, "x").find("'x' is ambiguous, the header has 'x [m]', 'x [s]'"),
            std::string::npos)
      << error_of(table, "x");
  EXPECT_EQ(table.find("x [s]"), 1u);
  EXPECT_EQ(table.find("x[m]"), 0u);
  EXPECT_EQ(table.find("y"), 2u);
  // Where a name is shared, the suggestion is the whole header cell.
  EXPECT_NE(error_of(table, "xx").find("nearest: 'y', 'x [m]', 'x [s]'"), std::string::npos)
      << error_of(table, "xx");

  const CsvTable twice = CsvTable::parse("a,a\n1,2\n", "t.csv");
  EXPECT_NE(error_of(twice, "a").find("ambiguous"), std::string::npos);
}

TEST(CsvTable, AByteOrderMarkIsNotPartOfTheFirstName)
{
  const CsvTable table = CsvTable::parse("\xEF\xBB\xBFsample,ccd\n0,4\n", "t.csv");
  EXPECT_EQ(table.find("sample"), 0u);
  EXPECT_EQ(table.number(0, 0), 0.0);
}

TEST(CsvTable, OnlyDecimalNumbersAreNumbers)
{
  const auto error = [](const std::string &text) {
    try
      {
        CsvTable::parse(text, "t.csv").column("b");
      }
    catch (const InputError &e)
      {
        return std::string(e.what());
      }
    return std::string();
  };
  // std::stod would read 0x10 as 16 and 0x1p4 as 16.
  EXPECT_EQ(error("a,b\n1,0x10\n"), "t.csv:2: column 'b' holds '0x10', not a number");
  EXPECT_EQ(error("a,b\n1,0x1p4\n"), "t.csv:2: column 'b' holds '0x1p4', not a number");
  EXPECT_EQ(error("a,b\n1,1e400\n"), "t.csv:2: column 'b' holds 1e400");
  EXPECT_EQ(error("a,b\n1,nan\n"), "t.csv:2: column 'b' holds nan");
  // Underflow is a number (0 or a denormal), and quoted commas stay in their cell.
  const CsvTable table = CsvTable::parse("a,\"b, c\"\n1e-320,-2.5E3\n", "t.csv");
  EXPECT_GE(table.number(0, 0), 0.0);
  EXPECT_LT(table.number(0, 0), 1e-300);
  EXPECT_EQ(table.number(0, table.find("b, c")), -2500.0);
}

TEST(CsvTable, OnlyTheColumnsUsedAsNumbersMustBeNumbers)
{
  const CsvTable table =
      CsvTable::parse("label,ccd,note\n\"cell 1, left\",0.5,ok\nB,x,\"\"\n", "t.csv");
  EXPECT_EQ(table.n_rows(), 2u);
  EXPECT_EQ(table.text_column(0)[0], "cell 1, left");
  EXPECT_EQ(table.number(0, 1), 0.5);
  EXPECT_FALSE(table.is_numeric(0));
  try
    {
      table.column("ccd");
      FAIL() << "text in a column used as numbers was accepted";
    }
  catch (const InputError &error)
    {
      EXPECT_EQ(std::string(error.what()), "t.csv:3: column 'ccd' holds 'x', not a number");
    }
}
