#pragma once

#include <weaklink/learning/sisso.h>

#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Reads a numeric CSV table whose header cells are "name [unit]" (no
   * brackets: dimensionless), as the ensemble tables of this project are
   * written. @p target and @p features name columns with or without their
   * unit ("radius [um]" or "radius", see CsvTable::find()); the target is
   * never a feature. @p features empty: every column except the target.
   * Primary features that are copies of the target (SissoData::copies_of_target())
   * are dropped and named in SissoData::excluded_features.
   */
  SissoData read_sisso_csv(const std::string &filename, const std::string &target,
                           const std::vector<std::string> &features);

  /** The unit of a header cell "name [unit]" (no brackets: dimensionless); InputError if malformed.
   */
  PhysicalUnit header_unit(const std::string &cell);

  struct ReferenceJob
  {
    SissoData     data;
    SissoSettings settings;
    /** One line per keyword accepted without effect that a user might expect to act. */
    std::vector<std::string> notes;
  };

  /**
   * Reads the reference code's regression input: SISSO.in (keywords desc_dim,
   * nsample, nsf, ops, fcomplexity, funit, fmax_min, fmax_max, nf_sis,
   * method_so, fit_intercept, metric, nmodel(s) and the job-type keywords
   * ptype, ntask, restart) and train.dat from the same directory. Its rung
   * follows from fcomplexity as in the reference code; each funit group is
   * one independent unit; transcendental operators accept dimensioned
   * arguments as there. Keywords of features we do not have (classification,
   * multi-task, L1L0, vector features) are an InputError, as are unknown ones.
   * Features that are copies of the property are dropped as in read_sisso_csv().
   */
  ReferenceJob read_reference_input(const std::string &sisso_in);
} // namespace weaklink
