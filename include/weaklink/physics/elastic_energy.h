#pragma once

#include <deal.II/base/symmetric_tensor.h>

#include <string>

namespace weaklink
{
  /**
   * How the elastic energy is split into a part that damage degrades and a
   * part it does not, so that compression does not open cracks:
   * none (all degraded), volumetric–deviatoric (Amor et al. 2009) or
   * spectral (Miehe et al. 2010). Plane strain in 2D: the out-of-plane
   * strain is zero and the bulk modulus is the three-dimensional one.
   */
  enum class EnergySplit
  {
    none,
    volumetric_deviatoric,
    spectral
  };

  /** "none", "volumetric-deviatoric" or "spectral"; throws InputError otherwise. */
  EnergySplit parse_energy_split(const std::string &name);

  /** Lamé constants of an isotropic phase. */
  struct LameConstants
  {
    double lambda = 0;
    double mu     = 0;

    static LameConstants from_youngs_modulus(const double youngs_modulus,
                                             const double poisson_ratio);
  };

  /** Energy densities, stresses and (when asked) tangents of both parts at one strain. */
  template <int dim> struct SplitElasticState
  {
    double                          positive_energy = 0, negative_energy = 0;
    dealii::SymmetricTensor<2, dim> positive_stress, negative_stress;
    dealii::SymmetricTensor<4, dim> positive_tangent, negative_tangent;
  };

  /**
   * ψ⁺(ε), ψ⁻(ε) and their first (and, with @p with_tangent, second)
   * derivatives. The tangents are exact, also where principal strains
   * coincide or cross zero (one-sided limits).
   */
  template <int dim>
  SplitElasticState<dim> split_elastic_energy(const dealii::SymmetricTensor<2, dim> &strain,
                                              const LameConstants &lame, const EnergySplit split,
                                              const bool with_tangent);
} // namespace weaklink
