#include <weaklink/core/input_error.h>
#include <weaklink/learning/least_squares.h>
#include <weaklink/statistics/ranks.h>
#include <weaklink/statistics/sensitivity.h>

extern "C" void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k,
                       const double *alpha, const double *a, const int *lda, const double *beta,
                       double *c, const int *ldc);

#include <algorithm>
#include <cmath>
#include <functional>
#include <iomanip>
#include <limits>
#include <map>
#include <numeric>
#include <ostream>
#include <random>
#include <sstream>

namespace weaklink
{
  std::vector<double> PolynomialChaos::Recurrence::values(const double       x,
                                                          const unsigned int max_degree) const
  {
    const double        t = (x - centre) / scale;
    std::vector<double> monic(max_degree + 1, 0.0);
    monic[0] = 1;
    for (unsigned int k = 0; k < max_degree; ++k)
      monic[k + 1] = (t - alpha[k]) * monic[k] - (k > 0 ? beta[k] * monic[k - 1] : 0.0);
    for (unsigned int k = 0; k <= max_degree; ++k)
      monic[k] /= std::sqrt(norm[k]);
    return monic;
  }

  PolynomialChaos::PolynomialChaos(const std::vector<std::vector<double>> &inputs,
                                   const unsigned int                      degree)
      : columns(inputs)
      , total_degree(degree)
  {
    const std::size_t         n = inputs.empty() ? 0 : inputs[0].size();
    std::vector<unsigned int> max_degree;
    for (const auto &column : inputs)
      {
        // The empirical distribution: distinct values and their frequencies.
        std::map<double, double> weight;
        for (const double x : column)
          weight[x] += 1.0 / n;
        Recurrence basis;
        for (const auto &[x, w] : weight)
          basis.centre += w * x;
        double spread = 0;
        for (const auto &[x, w] : weight)
          spread += w * (x - basis.centre) * (x - basis.centre);
        basis.scale = spread > 0 ? std::sqrt(spread) : 1;
        const unsigned int k_max =
            std::min<unsigned int>(degree, static_cast<unsigned int>(weight.size()) - 1);
        // Stieltjes: the monic orthogonal polynomials of the discrete measure.
        std::vector<double> previous(weight.size(), 0.0), current(weight.size(), 1.0);
        for (unsigned int k = 0;; ++k)
          {
            double      norm = 0, moment = 0;
            std::size_t j = 0;
            for (const auto &[x, w] : weight)
              {
                const double t = (x - basis.centre) / basis.scale;
                norm += w * current[j] * current[j];
                moment += w * t * current[j] * current[j];
                ++j;
              }
            basis.norm.push_back(norm);
            if (k == k_max)
              break;
            basis.alpha.push_back(moment / norm);
            basis.beta.push_back(k > 0 ? norm / basis.norm[k - 1] : 0.0);
            j = 0;
            for (const auto &[x, w] : weight)
              {
                const double t    = (x - basis.centre) / basis.scale;
                const double next = (t - basis.alpha[k]) * current[j] - basis.beta[k] * previous[j];
                previous[j]       = current[j];
                current[j]        = next;
                ++j;
              }
          }
        bases.push_back(basis);
        max_degree.push_back(k_max);
      }

    // Multi-indices of total degree <= degree, graded (the constant first).
    std::vector<unsigned int>                      index(inputs.size(), 0);
    std::function<void(std::size_t, unsigned int)> place = [&](const std::size_t  i,
                                                               const unsigned int left) {
      if (i == index.size())
        {
          if (left == 0)
            multi_indices.push_back(index);
          return;
        }
      for (unsigned int k = 0; k <= std::min(left, max_degree[i]); ++k)
        {
          index[i] = k;
          place(i + 1, left - k);
        }
      index[i] = 0;
    };
    for (unsigned int total = 0; total <= degree; ++total)
      place(0, total);

    std::vector<std::vector<std::vector<double>>> psi(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
      for (const double x : inputs[i])
        psi[i].push_back(bases[i].values(x, max_degree[i]));
    for (const auto &alpha : multi_indices)
      {
        std::vector<double> term(n, 1.0);
        for (std::size_t r = 0; r < n; ++r)
          for (std::size_t i = 0; i < alpha.size(); ++i)
            term[r] *= psi[i][r][alpha[i]];
        design.push_back(term);
      }
  }

  bool PolynomialChaos::fit(const std::vector<std::size_t> &rows,
                            const std::vector<double>      &response)
  {
    const int n = static_cast<int>(rows.size()), p = static_cast<int>(multi_indices.size());
    if (n < p)
      return false;
    // Normal equations: the basis is orthonormal for the data's marginals, so the Gram
    // matrix is close to n times the identity. Its n p² product is the cost; BLAS does it.
    std::vector<double> a(std::size_t(n) * p), gram(std::size_t(p) * p, 0.0), rhs(p, 0.0);
    for (int k = 0; k < p; ++k)
      for (int i = 0; i < n; ++i)
        {
          a[std::size_t(k) * n + i] = design[k][rows[i]];
          rhs[k] += design[k][rows[i]] * response[rows[i]];
        }
    const char   upper = 'U', transposed = 'T';
    const double one = 1, zero = 0;
    dsyrk_(&upper, &transposed, &p, &n, &one, a.data(), &n, &zero, gram.data(), &p);
    // Cholesky G = Rᵀ R (upper triangle, column-major), then two triangular solves.
    double largest = 0, smallest = std::numeric_limits<double>::infinity();
    for (int j = 0; j < p; ++j)
      {
        for (int i = 0; i <= j; ++i)
          {
            double sum = gram[std::size_t(j) * p + i];
            for (int k = 0; k < i; ++k)
              sum -= gram[std::size_t(i) * p + k] * gram[std::size_t(j) * p + k];
            if (i < j)
              gram[std::size_t(j) * p + i] = sum / gram[std::size_t(i) * p + i];
            else
              {
                if (!(sum > 0))
                  return false; // not positive definite: the samples do not determine a term
                gram[std::size_t(j) * p + j] = std::sqrt(sum);
                largest                      = std::max(largest, sum);
                smallest                     = std::min(smallest, sum);
              }
          }
      }
    if (!(smallest > 1e-12 * largest))
      return false;
    for (int i = 0; i < p; ++i) // Rᵀ z = b
      {
        for (int k = 0; k < i; ++k)
          rhs[i] -= gram[std::size_t(i) * p + k] * rhs[k];
        rhs[i] /= gram[std::size_t(i) * p + i];
      }
    for (int i = p - 1; i >= 0; --i) // R c = z
      {
        for (int k = i + 1; k < p; ++k)
          rhs[i] -= gram[std::size_t(k) * p + i] * rhs[k];
        rhs[i] /= gram[std::size_t(i) * p + i];
      }
    coefficients = rhs;
    for (const double c : coefficients)
      if (!std::isfinite(c))
        return false;
    return true;
  }

  double PolynomialChaos::cross_validation_error(const std::vector<double> &response,
                                                 const unsigned int         folds)
  {
    const std::size_t n        = response.size();
    const double      mean     = std::accumulate(response.begin(), response.end(), 0.0) / n;
    double            variance = 0, squared_error = 0;
    for (const double y : response)
      variance += (y - mean) * (y - mean) / n;
    for (unsigned int fold = 0; fold < folds; ++fold)
      {
        std::vector<std::size_t> training;
        for (std::size_t r = 0; r < n; ++r)
          if (r % folds != fold)
            training.push_back(r);
        if (!fit(training, response))
          return std::numeric_limits<double>::infinity();
        for (std::size_t r = fold; r < n; r += folds)
          {
            double prediction = 0;
            for (std::size_t a = 0; a < design.size(); ++a)
              prediction += coefficients[a] * design[a][r];
            squared_error += (response[r] - prediction) * (response[r] - prediction) / n;
          }
      }
    coefficients.clear();
    return variance > 0 ? squared_error / variance : 0;
  }

  double PolynomialChaos::evaluate(const std::vector<double> &x) const
  {
    std::vector<std::vector<double>> psi;
    for (std::size_t i = 0; i < x.size(); ++i)
      psi.push_back(bases[i].values(x[i], static_cast<unsigned int>(bases[i].norm.size() - 1)));
    double y = 0;
    for (std::size_t a = 0; a < multi_indices.size(); ++a)
      {
        double term = coefficients[a];
        for (std::size_t i = 0; i < x.size(); ++i)
          term *= psi[i][multi_indices[a][i]];
        y += term;
      }
    return y;
  }

  double PolynomialChaos::variance() const
  {
    double variance = 0;
    for (std::size_t a = 0; a < multi_indices.size(); ++a)
      if (std::any_of(multi_indices[a].begin(), multi_indices[a].end(),
                      [](const unsigned int k) { return k > 0; }))
        variance += coefficients[a] * coefficients[a];
    return variance;
  }

  SobolIndices PolynomialChaos::sobol_indices() const
  {
    const std::size_t d = columns.size();
    SobolIndices      indices;
    indices.first.assign(d, 0.0);
    indices.total.assign(d, 0.0);
    indices.second.assign(d, std::vector<double>(d, 0.0));
    const double variance = this->variance();
    if (!(variance > 0))
      return indices;
    for (std::size_t a = 0; a < multi_indices.size(); ++a)
      {
        std::vector<std::size_t> active;
        for (std::size_t i = 0; i < d; ++i)
          if (multi_indices[a][i] > 0)
            active.push_back(i);
        const double share = coefficients[a] * coefficients[a] / variance;
        for (const auto i : active)
          indices.total[i] += share;
        if (active.size() == 1)
          indices.first[active[0]] += share;
        else if (active.size() == 2)
          indices.second[active[0]][active[1]] += share;
      }
    return indices;
  }

  namespace
  {
    struct PointEstimates
    {
      std::vector<double> regression;
      SobolIndices        sobol;
      double              r_squared = 0;
    };

    std::vector<double> standardized(const std::vector<double> &values)
    {
      const double mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
      double       sd   = 0;
      for (const double v : values)
        sd += (v - mean) * (v - mean) / values.size();
      sd = std::sqrt(sd);
      std::vector<double> z;
      for (const double v : values)
        z.push_back(sd > 0 ? (v - mean) / sd : 0.0);
      return z;
    }

    /**
     * The regression and Sobol estimates on the samples @p rows (repeats
     * allowed), with a surrogate of @p degree whose basis is built for the
     * marginals of those samples, so that a bootstrap replicate also varies
     * the measure the variance is taken over; false if undetermined.
     */
    bool estimate(const std::vector<std::vector<double>> &inputs,
                  const std::vector<double> &response, const std::vector<std::size_t> &rows,
                  const unsigned int degree, PointEstimates &out)
    {
      std::vector<std::vector<double>> x(inputs.size()), z(inputs.size());
      std::vector<double>              y;
      for (const auto r : rows)
        y.push_back(response[r]);
      for (std::size_t i = 0; i < inputs.size(); ++i)
        {
          for (const auto r : rows)
            x[i].push_back(inputs[i][r]);
          z[i] = standardized(x[i]);
        }
      const LeastSquaresFit    linear = fit_least_squares(z, standardized(y), true);
      PolynomialChaos          surrogate(x, degree);
      std::vector<std::size_t> all(rows.size());
      std::iota(all.begin(), all.end(), 0);
      if (!linear.full_rank || !surrogate.fit(all, y))
        return false;
      out.regression = linear.coefficients;
      out.r_squared  = linear.r_squared;
      out.sobol      = surrogate.sobol_indices();
      return true;
    }

    std::vector<double> flatten(const PointEstimates &estimates)
    {
      std::vector<double> flat = estimates.regression;
      const std::size_t   d    = flat.size();
      flat.insert(flat.end(), estimates.sobol.first.begin(), estimates.sobol.first.end());
      flat.insert(flat.end(), estimates.sobol.total.begin(), estimates.sobol.total.end());
      for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = i + 1; j < d; ++j)
          flat.push_back(estimates.sobol.second[i][j]);
      return flat;
    }

    double quantile(std::vector<double> sorted, const double q)
    {
      std::sort(sorted.begin(), sorted.end());
      const double position = q * (sorted.size() - 1);
      const auto   below    = static_cast<std::size_t>(std::floor(position));
      const auto   above    = std::min(below + 1, sorted.size() - 1);
      return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
  } // namespace

  SensitivityReport analyse_sensitivity(const std::vector<std::string>         &names,
                                        const std::vector<std::vector<double>> &inputs,
                                        const std::vector<double>              &response,
                                        const SensitivitySettings &settings, MPI_Comm comm)
  {
    const std::size_t d = inputs.size(), n = response.size();
    if (d == 0 || names.size() != d)
      throw InputError("sensitivity analysis needs at least one named input");
    if (n < d + 3)
      throw InputError("sensitivity analysis of " + std::to_string(d) + " inputs needs at least " +
                       std::to_string(d + 3) + " samples, not " + std::to_string(n));
    for (const double y : response)
      if (!std::isfinite(y))
        throw InputError("sensitivity analysis: the response is not finite for every sample");
    for (std::size_t i = 0; i < d; ++i)
      {
        if (inputs[i].size() != n)
          throw InputError("sensitivity analysis: input '" + names[i] + "' has " +
                           std::to_string(inputs[i].size()) + " values for " + std::to_string(n) +
                           " samples");
        for (const double x : inputs[i])
          if (!std::isfinite(x))
            throw InputError("sensitivity analysis: input '" + names[i] +
                             "' is not finite for every sample");
        if (*std::min_element(inputs[i].begin(), inputs[i].end()) ==
            *std::max_element(inputs[i].begin(), inputs[i].end()))
          throw InputError("sensitivity analysis: input '" + names[i] + "' does not vary");
      }
    if (!(settings.confidence > 0 && settings.confidence < 1) || settings.max_degree == 0 ||
        settings.cross_validation_folds < 2)
      throw InputError("sensitivity analysis: confidence in (0, 1), degree >= 1 and at least 2 "
                       "cross-validation folds");

    SensitivityReport report;
    report.inputs  = names;
    report.samples = n;

    // The degree with the smallest cross-validated error.
    double      best_error     = std::numeric_limits<double>::infinity();
    std::size_t previous_terms = 0;
    for (unsigned int degree = 1; degree <= settings.max_degree; ++degree)
      {
        PolynomialChaos candidate(inputs, degree);
        // A bootstrap replicate holds about 63 % of the samples once: keep it determined.
        if (candidate.n_terms() == previous_terms || 2 * candidate.n_terms() > n)
          break;
        previous_terms = candidate.n_terms();
        const double error =
            candidate.cross_validation_error(response, settings.cross_validation_folds);
        if (error < best_error)
          {
            best_error    = error;
            report.degree = degree;
          }
        else if (degree >= report.degree + 2)
          break; // worse twice in a row: overfitting from here on
      }
    if (report.degree == 0)
      throw InputError("sensitivity analysis: " + std::to_string(n) +
                       " samples do not determine even a linear surrogate of " + std::to_string(d) +
                       " inputs");
    report.terms     = PolynomialChaos(inputs, report.degree).n_terms();
    report.q_squared = 1 - best_error;

    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    PointEstimates point;
    if (!estimate(inputs, response, all, report.degree, point))
      throw InputError("sensitivity analysis: the inputs are linearly dependent");
    report.linear_r_squared              = point.r_squared;
    const std::vector<double> point_flat = flatten(point);

    // Bootstrap replicates, each drawn from its own seed on rank b % size.
    const int           rank = ranks::this_rank(comm), size = ranks::count(comm);
    const std::size_t   k   = point_flat.size();
    const unsigned int  b_n = settings.bootstrap_samples;
    std::vector<double> replicates(b_n * (k + 1), 0.0);
    for (unsigned int b = static_cast<unsigned int>(rank); b < b_n;
         b += static_cast<unsigned int>(size))
      {
        std::mt19937_64          random(settings.seed + 7919ULL * (b + 1));
        std::vector<std::size_t> rows(n);
        for (auto &r : rows)
          r = random() % n;
        std::sort(rows.begin(), rows.end());
        PointEstimates replicate;
        if (!estimate(inputs, response, rows, report.degree, replicate))
          continue;
        const auto flat         = flatten(replicate);
        replicates[b * (k + 1)] = 1;
        std::copy(flat.begin(), flat.end(), replicates.begin() + b * (k + 1) + 1);
      }
    ranks::sum(replicates.data(), static_cast<int>(replicates.size()), comm);

    std::vector<std::vector<double>> samples(k);
    for (unsigned int b = 0; b < b_n; ++b)
      if (replicates[b * (k + 1)] == 1)
        {
          ++report.bootstrap_used;
          for (std::size_t q = 0; q < k; ++q)
            samples[q].push_back(replicates[b * (k + 1) + 1 + q]);
        }
    const double          tail = (1 - settings.confidence) / 2;
    std::vector<Estimate> estimates(k);
    for (std::size_t q = 0; q < k; ++q)
      {
        estimates[q].value = point_flat[q];
        estimates[q].lower = estimates[q].upper = std::numeric_limits<double>::quiet_NaN();
        if (report.bootstrap_used >= 2)
          {
            estimates[q].lower = quantile(samples[q], tail);
            estimates[q].upper = quantile(samples[q], 1 - tail);
          }
      }
    std::size_t q = 0;
    for (std::size_t i = 0; i < d; ++i)
      report.standardized_regression.push_back(estimates[q++]);
    for (std::size_t i = 0; i < d; ++i)
      report.first.push_back(estimates[q++]);
    for (std::size_t i = 0; i < d; ++i)
      report.total.push_back(estimates[q++]);
    report.second.assign(d, std::vector<Estimate>(d));
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = i + 1; j < d; ++j)
        report.second[i][j] = estimates[q++];
    return report;
  }

  void write_report(const SensitivityReport &report, const std::string &title,
                    const double confidence, std::ostream &out)
  {
    const auto interval = [](const Estimate &e) {
      std::ostringstream text;
      text << std::fixed << std::setprecision(3) << e.value << " [" << e.lower << ", " << e.upper
           << "]";
      return text.str();
    };
    std::size_t width = 6;
    for (const auto &name : report.inputs)
      width = std::max(width, name.size() + 2);
    out << title << ": " << report.samples << " samples; " << std::lround(100 * confidence)
        << " % bootstrap intervals from " << report.bootstrap_used << " replicates\n"
        << "  linear model on standardized values: R^2 = " << std::setprecision(3)
        << report.linear_r_squared << "\n"
        << "  polynomial chaos of degree " << report.degree << " (" << report.terms
        << " terms, chosen by cross-validation): Q^2 = " << report.q_squared << "\n"
        << "  " << std::left << std::setw(static_cast<int>(width)) << "input" << std::setw(27)
        << "standardized effect" << std::setw(27) << "Sobol first"
        << "Sobol total\n";
    for (std::size_t i = 0; i < report.inputs.size(); ++i)
      out << "  " << std::setw(static_cast<int>(width)) << report.inputs[i] << std::setw(27)
          << interval(report.standardized_regression[i]) << std::setw(27)
          << interval(report.first[i]) << interval(report.total[i]) << "\n";
    bool header = false;
    for (std::size_t i = 0; i < report.inputs.size(); ++i)
      for (std::size_t j = i + 1; j < report.inputs.size(); ++j)
        {
          if (!header)
            out << "  second order (interaction alone):\n";
          header = true;
          out << "    " << report.inputs[i] << " x " << report.inputs[j] << ": "
              << interval(report.second[i][j]) << "\n";
        }
    out << std::right;
  }
} // namespace weaklink
