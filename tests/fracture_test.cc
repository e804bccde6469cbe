// Phase-field fracture: energy splits against finite differences, the
// module's Jacobian (alone and with electrochemistry) against differenced
// residuals, Sneddon's crack volume on a coarse mesh, irreversibility under
// unloading, the energy balance of a loaded bar, and viscous damage (a crack
// speed set by its relaxation time and converging with the time step).
#include <weaklink/physics/elastic_energy.h>

#include <gtest/gtest.h>

#include "test_support.h"

#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/mapping_q1.h>

#include <cmath>
#include <iomanip>
#include <map>
#include <random>
#include <sstream>

using namespace weaklink;

namespace
{
  template <int dim> dealii::SymmetricTensor<2, dim> random_strain(std::mt19937 &random)
  {
    std::uniform_real_distribution<double> value(-1e-3, 1e-3);
    dealii::SymmetricTensor<2, dim>        strain;
    for (unsigned int i = 0; i < dim; ++i)
      for (unsigned int j = i; j < dim; ++j)
        strain[i][j] = value(random);
    return strain;
  }

  /** Largest relative mismatch of stress vs dψ/dε and tangent vs dσ/dε at @p strain. */
  template <int dim>
  double split_derivative_error(const dealii::SymmetricTensor<2, dim> &strain,
                                const EnergySplit                      split)
  {
    const LameConstants lame   = LameConstants::from_youngs_modulus(150e9, 0.26);
    const auto          state  = split_elastic_energy(strain, lame, split, true);
    const double        h      = 1e-9;
    double              worst  = 0;
    const double stress_scale  = state.positive_stress.norm() + state.negative_stress.norm() + 1;
    const double tangent_scale = (state.positive_tangent + state.negative_tangent).norm();
    for (unsigned int k = 0; k < dim; ++k)
      for (unsigned int l = k; l < dim; ++l)
        {
          dealii::SymmetricTensor<2, dim> direction;
          direction[k][l]    = 1; // symmetric: perturbs ε_kl and ε_lk together
          const auto   plus  = split_elastic_energy(strain + h * direction, lame, split, false);
          const auto   minus = split_elastic_energy(strain - h * direction, lame, split, false);
          const double scale = k == l ? 1.0 : 2.0;
          for (const bool positive : {true, false})
            {
              const double energy_plus  = positive ? plus.positive_energy : plus.negative_energy;
              const double energy_minus = positive ? minus.positive_energy : minus.negative_energy;
              const auto  &stress       = positive ? state.positive_stress : state.negative_stress;
              worst                     = std::max(
                                      worst, std::abs((energy_plus - energy_minus) / (2 * h) - scale * stress[k][l]) /
                                                 stress_scale);
              const auto &tangent = positive ? state.positive_tangent : state.negative_tangent;
              const auto  dstress = ((positive ? plus.positive_stress : plus.negative_stress) -
                                    (positive ? minus.positive_stress : minus.negative_stress)) /
                                   (2 * h);
              worst = std::max(worst, (dstress - tangent * direction).norm() / tangent_scale);
            }
        }
    return worst;
  }

  template <int dim> void check_splits()
  {
    std::mt19937                                 random(7);
    std::vector<dealii::SymmetricTensor<2, dim>> strains;
    for (unsigned int n = 0; n < 50; ++n)
      strains.push_back(random_strain<dim>(random));
    // Repeated principal strains, positive and negative, and shear with a
    // little expansion or compression (at tr ε = 0 itself the tangent is one-sided).
    strains.push_back(1e-3 * dealii::unit_symmetric_tensor<dim>());
    strains.push_back(-1e-3 * dealii::unit_symmetric_tensor<dim>());
    dealii::SymmetricTensor<2, dim> shear;
    shear[0][1] = 1e-3;
    strains.push_back(shear + 1e-5 * dealii::unit_symmetric_tensor<dim>());
    strains.push_back(shear - 1e-5 * dealii::unit_symmetric_tensor<dim>());
    const LameConstants lame = LameConstants::from_youngs_modulus(150e9, 0.26);
    for (const auto split :
         {EnergySplit::none, EnergySplit::volumetric_deviatoric, EnergySplit::spectral})
      for (const auto &strain : strains)
        {
          EXPECT_LT(split_derivative_error(strain, split), 1e-6);
          const auto state = split_elastic_energy(strain, lame, split, false);
          const auto whole = split_elastic_energy(strain, lame, EnergySplit::none, false);
          EXPECT_NEAR(state.positive_energy + state.negative_energy, whole.positive_energy,
                      1e-12 * whole.positive_energy);
          EXPECT_GE(state.positive_energy, -1e-20);
          EXPECT_GE(state.negative_energy, -1e-20);
        }
    // Compression alone is not degraded by the splits.
    const auto compressed = split_elastic_energy(-1e-3 * dealii::unit_symmetric_tensor<dim>(), lame,
                                                 EnergySplit::spectral, false);
    EXPECT_EQ(compressed.positive_energy, 0.0);
    // The volumetric–deviatoric split keeps the deviator degraded, which in
    // plane strain is not zero under in-plane isotropic compression.
    if (dim == 3)
      {
        EXPECT_NEAR(split_elastic_energy(-1e-3 * dealii::unit_symmetric_tensor<dim>(), lame,
                                         EnergySplit::volumetric_deviatoric, false)
                        .positive_energy,
                    0.0, 1e-9);
      }
  }

  const std::string unit_material = R"(
    subsection Material
      set Type = uniform
      subsection Matrix
        set Young's modulus = 1
        set Poisson's ratio = 0.2
        set Critical energy release rate = 1e-3
      end
    end
  )";

  /** Assembled against differenced local Jacobians, random states; the largest relative error. */
  template <int dim> double jacobian_error(const std::string &prm_text)
  {
    test_support::Case case_(prm_text);
    auto               simulator = case_.make_simulator<dim>();
    simulator->setup();
    std::mt19937                           random(3);
    std::uniform_real_distribution<double> unit(0, 1), symmetric(-1, 1);
    const auto                            &fe         = simulator->get_dof_handler().get_fe();
    double                                 worst      = 0;
    unsigned int                           cell_count = 0;
    for (const auto &cell : simulator->get_dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int     n = fe.n_dofs_per_cell();
          dealii::Vector<double> values(n), old_values(n);
          const auto            &fields = simulator->get_fields();
          // Every third cell lies past d = 1, where the degradation stays at k.
          const bool beyond_one = ++cell_count % 3 == 0;
          for (unsigned int i = 0; i < n; ++i)
            {
              const std::string &field =
                  fields.field_of_component(fe.system_to_component_index(i).first).name;
              if (field == "damage")
                {
                  values[i]     = beyond_one ? 1.05 + 0.35 * unit(random) : unit(random);
                  old_values[i] = 0.5 * unit(random); // lagged damage reads it
                }
              else if (field == "displacement")
                values[i] = 0.05 * symmetric(random);
              else
                values[i] = 0.03 * symmetric(random);
            }
          worst = std::max(
              worst, test_support::local_jacobian_error(*simulator, cell, values, old_values));
        }
    return dealii::Utilities::MPI::max(worst, MPI_COMM_WORLD);
  }

  std::string fracture_case(const std::string &model, const std::string &split,
                            const std::string &modules                = "fracture",
                            const std::string &damage_in_displacement = "current")
  {
    return R"(
      subsection Physics
        set Modules = )" +
           modules + R"(
      end
      subsection Geometry
        set Width = 1
        set Thickness = 1
        set Depth = 1
        set Coarse cells across thickness = 2
      end
      subsection Mesh refinement
        set Initial global refinement = 1
      end
      subsection Fracture
        set Model = )" +
           model + R"(
        set Energy split = )" +
           split + R"(
        set Length scale = 0.1
        set Damage in the displacement equation = )" +
           damage_in_displacement + R"(
      end
      subsection Coupling
        set Prescribed lithium pressure = 0.01 * (1 + x)
      end
      subsection Fracture
        set Stack pressure = 0.02
      end
    )" + unit_material;
  }

  /** Runs @p prm_text in a fresh output directory and returns the simulator's statistics. */
  template <int dim> Statistics run_case(const std::string &prm_text, const std::string &stem)
  {
    const std::string  directory = test_support::temporary_directory(stem);
    test_support::Case case_(
        prm_text + "\nsubsection Output\n set Directory = " + directory +
        "\n set Field output interval = 0\n set Write fields at end = false\nend\n");
    auto simulator = case_.make_simulator<dim>();
    simulator->run();
    return simulator->statistics();
  }

  /**
   * A plane-strain bar pulled at the top (rollers at bottom and left) and then
   * released: AT2 damages it homogeneously from the first load, below the
   * peak stress, so the path is stable.
   */
  std::string bar_case(const std::string &irreversibility, const std::string &top_displacement,
                       const double end_time, const double max_damage_increment = 0)
  {
    return R"(
      subsection Physics
        set Modules = fracture
      end
      subsection Time stepping
        set End time = )" +
           std::to_string(end_time) + R"(
        set Initial time step = 0.05
        set Maximum time step = 0.05
      end
      subsection Geometry
        set Width = 1
        set Thickness = 1
        set Coarse cells across thickness = 4
      end
      subsection Mesh refinement
        set Initial global refinement = 0
      end
      subsection Newton
        set Relative tolerance = 1e-12
        set Absolute tolerance = 1e-15
      end
      subsection Fracture
        set Model = AT2
        set Energy split = none
        set Length scale = 0.05
        set Irreversibility = )" +
           irreversibility + R"(
        set Refinement threshold = 0
        set Maximum damage increment = )" +
           std::to_string(max_damage_increment) + R"(
        set Displacement boundary conditions = bottom: y = 0; left: x = 0; top: y = )" +
           top_displacement + R"(
      end
    )" + unit_material;
  }
} // namespace

TEST(ElasticEnergy, SplitsSumToTheEnergyAndTheirDerivativesAreExact2D)
{
  check_splits<2>();
}
TEST(ElasticEnergy, SplitsSumToTheEnergyAndTheirDerivativesAreExact3D)
{
  check_splits<3>();
}

TEST(Jacobian, FractureEverySplitAndModel2D)
{
  for (const std::string model : {"AT1", "AT2"})
    for (const std::string split : {"none", "volumetric-deviatoric", "spectral"})
      EXPECT_LT(jacobian_error<2>(fracture_case(model, split)), 1e-6) << model << ", " << split;
}

TEST(Jacobian, FractureWithLaggedDamageInTheDisplacementEquation)
{
  // The equilibrium rows use d_old: no derivative with respect to d, the
  // damage rows keep theirs with respect to u.
  for (const std::string model : {"AT1", "AT2"})
    for (const std::string split : {"none", "spectral"})
      EXPECT_LT(jacobian_error<2>(fracture_case(model, split, "fracture", "lagged")), 1e-6)
          << model << ", " << split;
}

TEST(Jacobian, FractureWithViscousDamage)
{
  // (Gc/ℓ)τ(d − d_old)/Δt in the damage rows, Δt = 1 in the check.
  for (const std::string model : {"AT1", "AT2"})
    for (const std::string damage_in_displacement : {"current", "lagged"})
      EXPECT_LT(
          jacobian_error<2>(fracture_case(model, "spectral", "fracture", damage_in_displacement) +
                            "subsection Fracture\n set Viscous relaxation time = 0.3\nend\n"),
          1e-6)
          << model << ", " << damage_in_displacement;
}

TEST(Jacobian, FractureSpectral3D)
{
  EXPECT_LT(jacobian_error<3>(fracture_case("AT1", "spectral")), 1e-6);
}

TEST(Jacobian, FractureWithElectrochemistryInOneSystem)
{
  // Both modules in one FESystem: phi, psi, u, d.
  std::string text = fracture_case("AT2", "volumetric-deviatoric", "electrochemistry, fracture");
  text += "subsection Material\n set Type = uniform\n subsection Matrix\n"
          " set Ionic conductivity = 0.05\n set Electronic conductivity = 1e-7\n end\nend\n";
  EXPECT_LT(jacobian_error<2>(text), 1e-6);
}

TEST(Fracture, SneddonCrackVolumeOnACoarseMesh)
{
  // Level 5 (h = 1/32, ℓ = 2h): 4 % from the exact infinite-domain value
  // (of which about 1.7 % is the finite domain, benchmarks/README.md).
  const std::string text       = "include " WEAKLINK_SOURCE_DIR "/prm/sneddon_2d.prm\n";
  const Statistics  statistics = run_case<2>(text, "sneddon");
  const double      exact      = 2 * M_PI * 1e-3 * (1 - 0.04);
  const double      volume     = statistics.last("crack_volume [m^2]");
  EXPECT_LT(std::abs(volume - exact) / exact, 0.06) << volume;
  // Far below Griffith's pressure: the crack does not grow.
  EXPECT_LT(statistics.last("crack_tip_x [m]"), 11 + 2.0 / 32);
}

TEST(Fracture, AnUnresolvedLengthScaleIsReported)
{
  // Sneddon's case with ℓ = 1e-4 at Maximum level 3 (h = 0.125): ℓ ≪ 2h.
  const auto log_of = [](const std::string &extra) {
    test_support::Case case_(
        "include " WEAKLINK_SOURCE_DIR "/prm/sneddon_2d.prm\n" + extra +
        "\nsubsection Output\n set Directory = " + test_support::temporary_directory("resolution") +
        "\n set Field output interval = 0\n set Write fields at end = "
        "false\nend\n");
    case_.make_simulator<2>()->run();
    return case_.log.str();
  };
  const std::string coarse = log_of("subsection Mesh refinement\n set Maximum level = 3\nend\n"
                                    "subsection Fracture\n set Length scale = 1e-4\nend\n");
  const bool        root   = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  if (root)
    {
      EXPECT_NE(coarse.find("weaklink: warning: Fracture/Length scale 0.0001 m is below two cells "
                            "of the finest mesh (h = 0.125 m at level 3)"),
                std::string::npos)
          << coarse;
    }
  // ℓ = 2h at level 5: nothing to report.
  const std::string resolved = log_of("");
  EXPECT_EQ(resolved.find("warning"), std::string::npos) << resolved;
}

TEST(Fracture, DamageNeverDecreasesUnderUnloading)
{
  // Pulled to 7 % strain (d ≈ 0.2, below the peak stress) until t = 0.5, then released to zero at t
  // = 1.
  const std::string load = "0.07 * (t < 0.5 ? 2 * t : 2 * (1 - t))";
  for (const bool irreversible : {true, false})
    {
      const Statistics statistics =
          run_case<2>(bar_case(irreversible ? "active set" : "none", load, 1.0), "unloading");
      const auto damage = statistics.column("max_damage");
      const auto energy = statistics.column("fracture_energy [J/m]");
      ASSERT_GE(damage.size(), 20u);
      const double peak = *std::max_element(damage.begin(), damage.end());
      EXPECT_GT(peak, 0.15);
      if (irreversible)
        for (std::size_t k = 1; k < damage.size(); ++k)
          {
            EXPECT_GE(damage[k], damage[k - 1] - 1e-12) << "step " << k;
            EXPECT_GE(energy[k], energy[k - 1] - 1e-12) << "step " << k;
          }
      else // the test can tell: reversible damage heals on unloading
        EXPECT_LT(damage.back(), 0.01 * peak);
    }
}

TEST(Fracture, EnergyBalanceOfALoadedBar)
{
  // External work ∫ F du equals elastic plus fracture energy on a stable path.
  const Statistics statistics   = run_case<2>(bar_case("active set", "0.07 * t", 1.0), "balance");
  const auto       force        = statistics.column("reaction_force_y [N/m]");
  const auto       displacement = statistics.column("boundary_displacement_y [m]");
  double           work         = 0;
  for (std::size_t k = 1; k < force.size(); ++k)
    work += 0.5 * (force[k] + force[k - 1]) * (displacement[k] - displacement[k - 1]);
  const double stored =
      statistics.last("elastic_energy [J/m]") + statistics.last("fracture_energy [J/m]");
  EXPECT_GT(statistics.last("max_damage"), 0.15);
  EXPECT_NEAR(work, stored, 2e-3 * stored) << "work " << work << ", stored " << stored;
}

TEST(Fracture, DamageIncrementLimitsTheTimeStep)
{
  // The bar is pulled to 7 % strain in 20 steps, d rising by about 0.01 a
  // step; a limit of 0.004 per step takes smaller ones.
  const double     limit   = 0.004;
  const Statistics free    = run_case<2>(bar_case("active set", "0.07 * t", 1.0), "free");
  const Statistics limited = run_case<2>(bar_case("active set", "0.07 * t", 1.0, limit), "limited");
  const auto       damage  = limited.column("max_damage");
  ASSERT_GT(damage.size(), free.column("max_damage").size());
  for (std::size_t k = 1; k < damage.size(); ++k)
    EXPECT_LE(damage[k] - damage[k - 1], limit * (1 + 1e-6)) << "step " << k;
  // The same end state, within the time discretisation of the load path.
  EXPECT_NEAR(limited.last("max_damage"), free.last("max_damage"), 1e-6);
}

namespace
{
  /**
   * A pressurised crack (a = 1, ℓ = 0.5, h = 0.25) in the middle of a clamped
   * 8 × 8 square, with lagged degradation and a damage-increment bound.
   */
  std::string pressurised_crack_case(const std::string &pressure, const std::string &end_time,
                                     const std::string &phase = "")
  {
    // A phase expression turns the uniform matrix into a function material.
    const std::string material = phase.empty() ? "set Type = uniform\n subsection Matrix"
                                               : "set Type = function\n subsection Function\n"
                                                 " set Phase = " +
                                                     phase;
    return R"(
      subsection Physics
        set Modules = fracture
      end
      subsection Time stepping
        set End time = )" +
           end_time + R"(
        set Initial time step = 0.1
        set Maximum time step = 0.1
        set Minimum time step = 0.005
      end
      subsection Geometry
        set Width = 8
        set Thickness = 8
        set Coarse cells across thickness = 8
      end
      subsection Mesh refinement
        set Initial global refinement = 0
        set Maximum level = 2
      end
      subsection Newton
        set Relative tolerance = 1e-10
        set Absolute tolerance = 1e-14
      end
      subsection Material
        )" +
           material + R"(
          set Young's modulus = 1
          set Poisson's ratio = 0.2
          set Critical energy release rate = 1
        end
      end
      subsection Fracture
        set Model = AT1
        set Energy split = none
        set Length scale = 0.5
        set Residual stiffness = 1e-8
      end
      subsection Coupling
        set Prescribed lithium pressure = )" +
           pressure + R"(
      end
      subsection Fracture
        set Displacement boundary conditions = bottom: all = 0; top: all = 0; left: all = 0; right: all = 0
        set Initial damage = (abs(x - 4) <= 1 && abs(y - 4) <= 0.125) ? 1 : 0
        set Refinement threshold = 0.01
        set Damage in the displacement equation = lagged
        set Maximum damage increment = 0.25
      end
    )";
  }
} // namespace

TEST(Fracture, LaggedDamageFollowsAnUnstableCrackThroughEveryStep)
{
  // A pressurised crack (a = 1, ℓ = 0.5) beyond its critical pressure runs
  // towards the clamped edges. With the lagged degradation every step
  // converges; the damage-increment limit holds the load while it runs.
  const std::string text       = pressurised_crack_case("0.6 + 2 * t", "0.6");
  const Statistics  statistics = run_case<2>(text, "unstable");
  const auto        tip        = statistics.column("crack_tip_x [m]");
  const auto        dt         = statistics.column("dt [s]");
  ASSERT_GE(tip.size(), 3u);
  EXPECT_DOUBLE_EQ(statistics.last("time [s]"), 0.6);
  EXPECT_GT(tip.back() - tip.front(), 1.5) << "the crack did not run";
  unsigned int held_steps = 0;
  for (std::size_t k = 1; k < tip.size(); ++k)
    {
      EXPECT_GE(tip[k], tip[k - 1]);
      if (dt[k] < 0.006)
        ++held_steps;
    }
  EXPECT_GE(held_steps, 2u) << "the crack never ran at the minimum load step";
}

TEST(Fracture, ACrackHeldBelowItsCriticalPressureSettlesAndAboveItKeepsGrowing)
{
  // Griffith: below p_c the crack finds an equilibrium; above it there is
  // none, and with the lagged coupling the crack grows in every step while
  // the pressure is held.
  const Statistics below  = run_case<2>(pressurised_crack_case("0.5", "0.6"), "held_below");
  const Statistics above  = run_case<2>(pressurised_crack_case("0.9", "0.6"), "held_above");
  const auto       length = below.column("crack_length [m]");
  const auto       tip    = below.column("crack_tip_x [m]");
  ASSERT_GE(length.size(), 6u);
  EXPECT_LT(length.back() - length[length.size() - 2], 2e-3) << "still growing below p_c";
  EXPECT_DOUBLE_EQ(tip.back(), tip[2]);
  const auto grown = above.column("crack_length [m]");
  ASSERT_GE(grown.size(), 6u);
  for (std::size_t k = grown.size() - 3; k < grown.size(); ++k)
    EXPECT_GT(grown[k] - grown[k - 1], 0.2) << "step " << k << " above p_c";
  EXPECT_GT(above.last("crack_tip_x [m]") - above.column("crack_tip_x [m]")[1], 0.4);
}

namespace
{
  /** The crack above held at 0.9 > p_c with viscous damage of relaxation time @p tau. */
  std::string viscous_crack_case(const double tau, const double time_step, const double end_time)
  {
    const auto exact = [](const double value) {
      std::ostringstream text;
      text << std::setprecision(17) << value;
      return text.str();
    };
    return pressurised_crack_case("0.9", exact(end_time)) +
           "subsection Fracture\n set Viscous relaxation time = " + exact(tau) +
           "\nend\nsubsection Time stepping\n set Initial time step = " + exact(time_step) +
           "\n set Maximum time step = " + exact(time_step) +
           "\n set Minimum time step = " + exact(time_step / 20) + "\nend\n";
  }
} // namespace

TEST(Fracture, ViscousDamageDependsOnTimeOnlyThroughTheRelaxationTime)
{
  // (Gc/ℓ)τḋ is the only rate in the model: doubling τ, the time steps and the
  // end time gives the same crack, step by step, so the crack runs at half the speed.
  const Statistics fast        = run_case<2>(viscous_crack_case(0.5, 0.1, 0.6), "viscous_fast");
  const Statistics slow        = run_case<2>(viscous_crack_case(1.0, 0.2, 1.2), "viscous_slow");
  const auto       fast_length = fast.column("crack_length [m]");
  const auto       slow_length = slow.column("crack_length [m]");
  const auto       slow_time   = slow.column("time [s]");
  ASSERT_EQ(fast_length.size(), slow_length.size());
  ASSERT_GE(fast_length.size(), 7u);
  for (std::size_t k = 0; k < fast_length.size(); ++k)
    {
      EXPECT_NEAR(slow_time[k], 2 * fast.column("time [s]")[k], 1e-12) << "step " << k;
      EXPECT_NEAR(slow_length[k], fast_length[k], 1e-6 * fast_length[k]) << "step " << k;
    }
  EXPECT_GT(fast_length.back() - fast_length.front(), 0.3) << "the crack did not grow";
}

TEST(Fracture, ViscousDamageGivesACrackSpeedThatConvergesWithTheTimeStep)
{
  // Held above p_c, the rate-independent crack (with the lagged coupling)
  // advances by about a cell per step, however short the step: its length at
  // t = 0.6 is 7.8, 11.1 and 14.1 for Δt = 0.05, 0.025 and 0.0125. With
  // τ = 1 the length converges as Δt shrinks (3.336, 3.413, 3.460).
  std::vector<double> viscous, rate_independent;
  for (const double time_step : {0.05, 0.025, 0.0125})
    {
      viscous.push_back(run_case<2>(viscous_crack_case(1.0, time_step, 0.6), "viscous_dt")
                            .last("crack_length [m]"));
      rate_independent.push_back(
          run_case<2>(viscous_crack_case(0.0, time_step, 0.6), "rate_independent_dt")
              .last("crack_length [m]"));
    }
  const double first_change  = viscous[1] - viscous[0];
  const double second_change = viscous[2] - viscous[1];
  EXPECT_GT(first_change, 0);
  EXPECT_LT(second_change, 0.7 * first_change) << "the viscous crack does not converge in Δt";
  EXPECT_LT(second_change, 0.02 * viscous[2]);
  EXPECT_GT(rate_independent[2] - rate_independent[1], 2.0)
      << "the rate-independent crack no longer depends on Δt: the test lost its contrast";
  // A vanishing τ is the rate-independent model.
  EXPECT_NEAR(run_case<2>(viscous_crack_case(1e-9, 0.05, 0.6), "viscous_vanishing")
                  .last("crack_length [m]"),
              rate_independent[0], 1e-6 * rate_independent[0]);
}

TEST(Fracture, APoreIsAFreeSurfaceForTheCrackThatOpensFromIt)
{
  // A pore of radius 1 under a rising pressure cracks from its wall. The
  // pore is already void, so its damage costs (almost) no crack energy and
  // follows the broken wall. Charged the full crack energy, the pore's
  // damage lagged (0.45 at its centre) and the wall's nodes overshot d = 1
  // further (1.06 against 1.03).
  std::string text =
      pressurised_crack_case("0.6 + 2 * t", "0.6", "(x - 4)^2 + (y - 4)^2 < 1 ? 3 : 0");
  text += "subsection Fracture\n set Initial damage = 0\nend\n";
  const std::string  directory = test_support::temporary_directory("pressurised_pore");
  test_support::Case case_(
      text + "\nsubsection Output\n set Directory = " + directory +
      "\n set Field output interval = 0\n set Write fields at end = false\nend\n");
  auto simulator = case_.make_simulator<2>();
  simulator->run();
  const Statistics &statistics = simulator->statistics();
  EXPECT_DOUBLE_EQ(statistics.last("time [s]"), 0.6);
  EXPECT_GT(statistics.last("crack_length [m]"), 1.0) << "no crack left the pore";
  // The damage inside the pore follows the broken wall, so the crack pays
  // nothing for the pore it opens from (or a crack would for one it crosses).
  const auto &dof_handler = simulator->get_dof_handler();
  std::map<dealii::types::global_dof_index, dealii::Point<2>> support_points;
  dealii::DoFTools::map_dofs_to_support_points(dealii::MappingQ1<2>(), dof_handler, support_points,
                                               simulator->get_fields().mask("damage"));
  const auto &solution = simulator->get_solution();
  const auto  owned    = dof_handler.locally_owned_dofs();
  double      inside = 0, anywhere = 0;
  for (const auto &[dof, point] : support_points)
    if (owned.is_element(dof))
      {
        anywhere = std::max(anywhere, solution(dof));
        if (point.distance(dealii::Point<2>(4, 4)) < 0.75)
          inside = std::max(inside, solution(dof));
      }
  inside   = dealii::Utilities::MPI::max(inside, MPI_COMM_WORLD);
  anywhere = dealii::Utilities::MPI::max(anywhere, MPI_COMM_WORLD);
  EXPECT_GT(inside, 0.5) << "the pore's damage does not follow its broken wall";
  // A linear element at the crack's centre overshoots a little, nodes at the wall no more.
  EXPECT_LT(anywhere, 1.05);
}
