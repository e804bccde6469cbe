#pragma once

#include <weaklink/learning/sisso.h>

#include <ostream>
#include <string>

namespace weaklink
{
  /** A number in every SISSO output: 10 significant digits, "nan" if not finite. */
  std::string sisso_number(double value);

  /** A readable report: settings, feature-space sizes, timings, the top models per dimension. */
  void write_sisso_report(const SissoResult &result, const SissoData &data,
                          const SissoSettings &settings, const std::string &source,
                          std::ostream &out);

  /** One row per model term (term 0 is the intercept). */
  void write_sisso_models_csv(const SissoResult &result, const SissoData &data, std::ostream &out);

  void write_sisso_models_json(const SissoResult &result, const SissoData &data,
                               const SissoSettings &settings, std::ostream &out);
} // namespace weaklink
