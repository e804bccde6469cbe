#include <weaklink/core/input_error.h>
#include <weaklink/physics/elastic_energy.h>

#include <cmath>

namespace weaklink
{
  using namespace dealii;

  EnergySplit parse_energy_split(const std::string &name)
  {
    if (name == "none")
      return EnergySplit::none;
    if (name == "volumetric-deviatoric")
      return EnergySplit::volumetric_deviatoric;
    if (name == "spectral")
      return EnergySplit::spectral;
    throw InputError("unknown energy split '" + name +
                     "' (choose none, volumetric-deviatoric or spectral)");
  }

  LameConstants LameConstants::from_youngs_modulus(const double youngs_modulus,
                                                   const double poisson_ratio)
  {
    LameConstants lame;
    lame.lambda = youngs_modulus * poisson_ratio / ((1 + poisson_ratio) * (1 - 2 * poisson_ratio));
    lame.mu     = youngs_modulus / (2 * (1 + poisson_ratio));
    return lame;
  }

  namespace
  {
    double positive_part(const double x)
    {
      return x > 0 ? x : 0.0;
    }
    double negative_part(const double x)
    {
      return x < 0 ? x : 0.0;
    }
    /** Derivative of the positive part; at zero the compressive side wins. */
    double positive_step(const double x)
    {
      return x > 0 ? 1.0 : 0.0;
    }

    /**
     * ε⁺ = Σ⟨ε_a⟩₊ n_a⊗n_a and its derivative, P⁺ = Σ_ab D_ab M_ab⊗M_ab with
     * M_ab = sym(n_a⊗n_b) and D the divided differences of the positive
     * part (Daleckii–Krein), which stay exact for repeated eigenvalues.
     */
    template <int dim>
    void positive_principal_part(const SymmetricTensor<2, dim> &strain,
                                 SymmetricTensor<2, dim>       &positive,
                                 SymmetricTensor<4, dim>       *derivative)
    {
      const auto eigen = eigenvectors(strain);
      positive         = SymmetricTensor<2, dim>();
      for (unsigned int a = 0; a < dim; ++a)
        positive += positive_part(eigen[a].first) *
                    symmetrize(outer_product(eigen[a].second, eigen[a].second));
      if (derivative == nullptr)
        return;
      *derivative        = SymmetricTensor<4, dim>();
      const double scale = std::max(std::abs(eigen[0].first), std::abs(eigen[dim - 1].first));
      for (unsigned int a = 0; a < dim; ++a)
        for (unsigned int b = 0; b < dim; ++b)
          {
            const double la = eigen[a].first, lb = eigen[b].first;
            double       divided;
            if (a == b || std::abs(la - lb) <= 1e-12 * scale)
              divided = positive_step(0.5 * (la + lb));
            else
              divided = (positive_part(la) - positive_part(lb)) / (la - lb);
            if (divided == 0)
              continue;
            const SymmetricTensor<2, dim> m =
                symmetrize(outer_product(eigen[a].second, eigen[b].second));
            *derivative += divided * outer_product(m, m);
          }
    }
  } // namespace

  template <int dim>
  SplitElasticState<dim> split_elastic_energy(const SymmetricTensor<2, dim> &strain,
                                              const LameConstants &lame, const EnergySplit split,
                                              const bool with_tangent)
  {
    SplitElasticState<dim>        state;
    const double                  trace    = dealii::trace(strain);
    const SymmetricTensor<2, dim> identity = unit_symmetric_tensor<dim>();
    const double                  lambda = lame.lambda, mu = lame.mu;

    switch (split)
      {
      case EnergySplit::none:
        state.positive_energy = 0.5 * lambda * trace * trace + mu * (strain * strain);
        state.positive_stress = lambda * trace * identity + 2 * mu * strain;
        if (with_tangent)
          state.positive_tangent =
              lambda * outer_product(identity, identity) + 2 * mu * identity_tensor<dim>();
        break;

      case EnergySplit::volumetric_deviatoric:
        {
          // Deviator of the three-dimensional strain (ε_zz = 0 in plane strain).
          const double bulk = lambda + 2.0 * mu / 3.0;
          const double tp = positive_part(trace), tn = negative_part(trace);
          state.positive_energy =
              0.5 * bulk * tp * tp + mu * (strain * strain - trace * trace / 3.0);
          state.negative_energy = 0.5 * bulk * tn * tn;
          state.positive_stress = bulk * tp * identity + 2 * mu * (strain - trace / 3.0 * identity);
          state.negative_stress = bulk * tn * identity;
          if (with_tangent)
            {
              const SymmetricTensor<4, dim> ii = outer_product(identity, identity);
              const double                  h  = positive_step(trace);
              state.positive_tangent = bulk * h * ii + 2 * mu * (identity_tensor<dim>() - ii / 3.0);
              state.negative_tangent = bulk * (1 - h) * ii;
            }
          break;
        }

      case EnergySplit::spectral:
        {
          SymmetricTensor<2, dim> strain_positive;
          SymmetricTensor<4, dim> derivative;
          positive_principal_part(strain, strain_positive, with_tangent ? &derivative : nullptr);
          const SymmetricTensor<2, dim> strain_negative = strain - strain_positive;
          const double                  tp = positive_part(trace), tn = negative_part(trace);
          state.positive_energy = 0.5 * lambda * tp * tp + mu * (strain_positive * strain_positive);
          state.negative_energy = 0.5 * lambda * tn * tn + mu * (strain_negative * strain_negative);
          state.positive_stress = lambda * tp * identity + 2 * mu * strain_positive;
          state.negative_stress = lambda * tn * identity + 2 * mu * strain_negative;
          if (with_tangent)
            {
              const SymmetricTensor<4, dim> ii = outer_product(identity, identity);
              const double                  h  = positive_step(trace);
              state.positive_tangent           = lambda * h * ii + 2 * mu * derivative;
              state.negative_tangent =
                  lambda * (1 - h) * ii + 2 * mu * (identity_tensor<dim>() - derivative);
            }
          break;
        }
      }
    return state;
  }

  template SplitElasticState<2> split_elastic_energy(const SymmetricTensor<2, 2> &,
                                                     const LameConstants &, const EnergySplit,
                                                     const bool);
  template SplitElasticState<3> split_elastic_energy(const SymmetricTensor<2, 3> &,
                                                     const LameConstants &, const EnergySplit,
                                                     const bool);
} // namespace weaklink
