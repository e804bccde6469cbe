#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Variance decomposition of a response over independent inputs.
   * first[i] = Var(E[y|x_i])/Var(y), total[i] = E[Var(y|x_~i)]/Var(y),
   * second[i][j] (i < j) the share of the pair's interaction alone.
   */
  struct SobolIndices
  {
    std::vector<double>              first, total;
    std::vector<std::vector<double>> second;
  };

  /**
   * A polynomial chaos surrogate y(x) = sum_a c_a prod_i psi_{a_i}(x_i) fitted
   * by least squares to scattered data (a study's table, not a designed
   * sample). Each psi_k is orthonormal for the empirical distribution of its
   * input (Stieltjes recurrence on the observed values: arbitrary polynomial
   * chaos), so the product basis is orthonormal for the product of the
   * marginals and the Sobol indices follow from the squared coefficients.
   * That product is the inputs' distribution when they are independent, as
   * the parameters of a grid or of independent sampling are; for correlated
   * inputs (descriptors) the indices are those of the surrogate under
   * independent marginals. An input with k distinct values gets degree at
   * most k - 1; the total degree is at most @p degree.
   */
  class PolynomialChaos
  {
  public:
    /** @p inputs[i][r]: input i of sample r. */
    PolynomialChaos(const std::vector<std::vector<double>> &inputs, const unsigned int degree);

    unsigned int degree() const { return total_degree; }
    std::size_t  n_terms() const { return multi_indices.size(); }

    /**
     * Least squares on the samples @p rows (repeats allowed: bootstrap) of
     * the inputs given to the constructor; false when the fit is not
     * determined (fewer distinct samples than terms, a singular design).
     */
    bool fit(const std::vector<std::size_t> &rows, const std::vector<double> &response);

    /** Mean squared error of k-fold cross-validation over all samples, over Var(y). */
    double cross_validation_error(const std::vector<double> &response, const unsigned int folds);

    double       evaluate(const std::vector<double> &x) const;
    SobolIndices sobol_indices() const;
    /** Variance of the surrogate under the product of the marginals. */
    double variance() const;

  private:
    struct Recurrence
    {
      double              centre = 0, scale = 1; ///< t = (x - centre)/scale
      std::vector<double> alpha, beta;           ///< monic three-term recurrence
      std::vector<double> norm;                  ///< of the monic polynomials
      std::vector<double> values(const double x, const unsigned int max_degree) const;
    };
    std::vector<std::vector<double>>       columns;
    std::vector<Recurrence>                bases;
    std::vector<std::vector<unsigned int>> multi_indices;
    std::vector<std::vector<double>>       design; ///< design[a][r], term a at sample r
    std::vector<double>                    coefficients;
    unsigned int                           total_degree;
  };

  struct SensitivitySettings
  {
    /** The degree is chosen by cross-validation up to this, with at most half as many terms
     * as samples (a bootstrap replicate holds about 63 % of them). */
    unsigned int  max_degree             = 6;
    unsigned int  bootstrap_samples      = 200;
    double        confidence             = 0.9;
    unsigned int  cross_validation_folds = 10;
    std::uint64_t seed                   = 20261202;
  };

  /** An estimate with its bootstrap percentile interval. */
  struct Estimate
  {
    double value = 0, lower = 0, upper = 0;
  };

  struct SensitivityReport
  {
    std::vector<std::string> inputs;
    std::size_t              samples = 0;
    /** Linear regression on standardized inputs and response: beta_i sd(x_i)/sd(y). */
    std::vector<Estimate>              standardized_regression;
    double                             linear_r_squared = 0;
    unsigned int                       degree    = 0; ///< of the surrogate, by cross-validation
    std::size_t                        terms     = 0;
    double                             q_squared = 0; ///< 1 - cross-validated MSE/Var(y)
    std::vector<Estimate>              first, total;
    std::vector<std::vector<Estimate>> second;             ///< i < j
    unsigned int                       bootstrap_used = 0; ///< replicates whose fit was determined
  };

  /**
   * Standardized regression coefficients and Sobol indices (first, second,
   * total) of @p response over @p inputs (inputs[i][r]), from a polynomial
   * chaos surrogate whose degree minimises the cross-validated error, with
   * bootstrap percentile intervals (samples drawn with replacement; the
   * replicates are spread over the ranks of @p comm, each from its own seed,
   * so the result does not depend on the number of ranks). InputError for
   * fewer samples than the linear model needs or a constant input.
   */
  SensitivityReport analyse_sensitivity(const std::vector<std::string>         &names,
                                        const std::vector<std::vector<double>> &inputs,
                                        const std::vector<double>              &response,
                                        const SensitivitySettings &settings, MPI_Comm comm);

  void write_report(const SensitivityReport &report, const std::string &title,
                    const double confidence, std::ostream &out);
} // namespace weaklink
