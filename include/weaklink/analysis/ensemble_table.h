#pragma once

#include <weaklink/learning/sisso.h>
#include <weaklink/statistics/csv_table.h>
#include <weaklink/statistics/weibull.h>

#include <string>
#include <vector>

namespace weaklink
{
  /**
   * A study's table (weaklink-ensemble's table.csv) read for analysis: its
   * classes, the quantity analysed (the CCD of a CCD ramp, else the
   * lifetime, or any column named), right-censoring, and the descriptor
   * columns. Failed samples are counted and left out. InputError, naming
   * the file, for a table without the columns of an ensemble table, a value
   * that is not a positive number, or a table in which no sample shorted.
   */
  class EnsembleTable
  {
  public:
    /** @p value: a column name, or "" for the CCD of CCD-ramp studies and the lifetime otherwise.
     */
    EnsembleTable(const std::string &filename, const std::string &value = "");

    struct SampleClass
    {
      unsigned int             index = 0;
      std::string              label; ///< "Porosity 0.03, Pore topology poisson"
      std::vector<std::size_t> rows;  ///< samples that did not fail
      std::size_t              failed = 0;
    };

    const CsvTable                 &table() const { return csv; }
    const std::vector<SampleClass> &classes() const { return sample_classes; }
    /** The header cell of the analysed quantity, e.g. "ccd [mA/cm2]". */
    const std::string &value_name() const { return csv.names()[value_column]; }
    /** The class parameter columns (the grid's parameter paths), in table order. */
    const std::vector<std::size_t> &class_parameter_columns() const { return parameter_columns; }

    /** Rows of the samples that shorted, in table order. */
    std::vector<std::size_t> shorted_rows() const;

    /** ln(value) of the samples that shorted, in table order. */
    std::vector<double> log_values(const std::vector<std::size_t> &rows) const;

    /** Values and censoring flags of the samples of @p sample_class. */
    FailureData failure_data(const SampleClass &sample_class) const;

    /**
     * ln(value) of every sample that shorted against the defect-network
     * descriptors that vary among them (units from the header).
     */
    SissoData descriptor_data() const;

    std::size_t n_failed() const;

  private:
    CsvTable                 csv;
    std::size_t              value_column = 0, censored_column = 0;
    std::vector<std::size_t> parameter_columns;
    std::vector<SampleClass> sample_classes;
  };
} // namespace weaklink
