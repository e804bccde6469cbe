#pragma once

#include <weaklink/learning/sisso.h>

#include <ostream>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * The output layout of the reference SISSO code (Ouyang, github rouyang2017/SISSO; v3.5
   * names), written beside SISSO.in so that scripts written for that code keep working.
   * The name of the Models/ files of one dimension: "top<NNNN>_D<nnn>" (NNNN: the number of
   * models kept, nnn: the dimension).
   */
  std::string reference_models_name(const SissoDimension &step);

  /**
   * SISSO.out: the job, then per dimension the reference code's descriptor block
   * ("  2D descriptor/model(y=sum(ci*di)+c0) : ", lines "     d001 = FORMULA
   * feature_ID:000012", coeff.(ci), c0, RMSE and MaxAE in Fortran E20.10), which its
   * SISSO_predict utility reads. @p notes: remarks on the input, @p report_name: the
   * project's own report.
   */
  void write_reference_sisso_out(const SissoResult &result, const SissoData &data,
                                 const SissoSettings &settings, const std::string &source,
                                 const std::vector<std::string> &notes,
                                 const std::string &report_name, std::ostream &out);

  /** Models/top<NNNN>_D<nnn>: rank, RMSE, MaxAE and the feature IDs of each kept model. */
  void write_reference_top_models(const SissoDimension &step, std::ostream &out);

  /** Models/top<NNNN>_D<nnn>_coeff: rank, then c0 (the intercept), c1..cD in Fortran E20.10. */
  void write_reference_top_coefficients(const SissoDimension &step, std::ostream &out);

  /**
   * Writes SISSO.out and Models/top<NNNN>_D<nnn>[_coeff] of every dimension into
   * @p directory (Models/ created if missing). Models/ files of that naming left by an
   * earlier run are removed first (the reference code empties Models/; another nmodel or
   * desc_dim would leave them behind); nothing else there is touched. Returns the paths
   * written; InputError if one cannot be written.
   */
  std::vector<std::string> write_reference_layout(const SissoResult &result, const SissoData &data,
                                                  const SissoSettings            &settings,
                                                  const std::string              &source,
                                                  const std::vector<std::string> &notes,
                                                  const std::string              &report_name,
                                                  const std::string              &directory);
} // namespace weaklink
