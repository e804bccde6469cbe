// The lithium field and the coupling layer: the five-field Jacobian per block
// on every branch of the coupled laws, Faradaic growth, the stall pressure of
// a sealed pore, power-law slit flow, the lithium state and its pressure
// unit, a creep operator that moves lithium only down the pressure, the
// Newton update of a draining compressed node stopped at the corner, and
// fields found by name whatever the order of the modules.
#include <gtest/gtest.h>

#include "test_support.h"

#include <weaklink/core/input_error.h>
#include <weaklink/physics/butler_volmer.h>

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/numerics/vector_tools.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <sstream>

using namespace weaklink;

namespace
{
  /** Units chosen so that every coupling is of order one in the Jacobian. */
  std::string five_field_case(const std::string &modules, const double creep_exponent)
  {
    return R"(
      subsection Physics
        set Modules = )" +
           modules + R"(
      end
      subsection Geometry
        set Width = 1
        set Thickness = 1
        set Coarse cells across thickness = 2
      end
      subsection Mesh refinement
        set Initial global refinement = 1
      end
      subsection Material
        set Type = function
        subsection Function
          set Phase = x < 0.5 ? 3 : (y < 0.5 ? 1 : 0)
          set Ionic conductivity = 1 + 0.5 * x
          set Electronic conductivity = 0.5 + y
          set Deposition area density = 2 + x
          set Nucleation site density = 3 * (1 + y)
          set Young's modulus = 1 + x
          set Poisson's ratio = 0.2
          set Critical energy release rate = 1e-2
        end
      end
      subsection Electrochemistry
        set Exchange current density = 1
        set Anodic transfer coefficient = 0.3
        set Cathodic transfer coefficient = 0.6
        set Nucleation overpotential = 0.01
        set Lithium molar volume = 500
      end
      subsection Fracture
        set Length scale = 0.2
        set Displacement boundary conditions = bottom: all = 0
      end
      subsection Coupling
        set Grain-boundary free volume = 0.05
      end
      subsection Lithium
        set Bulk modulus = 2
        set Pressure smoothing = 0.01
        set Pressure unit = 0.2
        set Electronic conductivity = 20
        set Crack interface area density = 1.5
        subsection Creep
          set Prefactor = 300
          set Activation energy = 0
          set Resistance = 1
          set Exponent = )" +
           std::to_string(creep_exponent) + R"(
          set Regularisation gradient = 0.1
          set Pore aperture = 1.5
          set Crack band width = 3
        end
      end
    )";
  }

  /**
   * The largest per-block error of the local Jacobian over random states.
   * The lithium filling of a cell is drawn from one regime per cell: none
   * (below zero, clipped), partly filled, compressed beyond the void, at the
   * rounded onset of pressure, or a front where each node takes one of the
   * first three.
   */
  double five_field_block_error(const std::string &prm_text)
  {
    test_support::Case case_(prm_text);
    auto               simulator = case_.make_simulator<2>();
    simulator->setup();
    // Cells in a crack band (aperture 0.7) and outside one (−1), alternately.
    dealii::Vector<float> apertures(simulator->get_triangulation().n_active_cells());
    for (unsigned int c = 0; c < apertures.size(); ++c)
      apertures[c] = c % 2 == 0 ? 0.7 : -1;
    simulator->get_coupling().set_crack_apertures(apertures);
    std::mt19937                           random(11);
    std::uniform_real_distribution<double> unit(0, 1), symmetric(-1, 1);
    const auto                            &fe     = simulator->get_dof_handler().get_fe();
    const FieldLayout                     &fields = simulator->get_fields();
    double                                 worst  = 0;
    std::string                            worst_block;
    unsigned int                           regime = 0, cell_count = 0;
    dealii::FEValues<2>                    fe_values(fe, dealii::QGauss<2>(2),
                                                     dealii::update_values | dealii::update_gradients);
    for (const auto &cell : simulator->get_dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int     n = fe.n_dofs_per_cell();
          dealii::Vector<double> values(n), old_values(n);
          regime                = (regime + 1) % 6;
          const bool beyond_one = ++cell_count % 7 == 0;
          for (unsigned int i = 0; i < n; ++i)
            {
              const std::string &field =
                  fields.field_of_component(fe.system_to_component_index(i).first).name;
              if (field == "damage")
                {
                  // Every seventh cell lies past d = 1, where χ stays at 1.
                  values[i]     = beyond_one ? 1.05 + 0.35 * unit(random) : 0.9 * unit(random);
                  old_values[i] = 0.5 * values[i];
                }
              else if (field == "displacement")
                values[i] = 0.05 * symmetric(random);
              else if (field == "lithium")
                {
                  // A front cell mixes the regimes node by node.
                  const unsigned int node_regime =
                      regime == 3 ? static_cast<unsigned int>(3 * unit(random)) % 3 : regime;
                  // Regime 4: within a few p_s/p_u = 0.05 of the onset of pressure;
                  // regime 5: around the onset of metal, θ_s = 1e-3.
                  values[i]     = node_regime == 0   ? -0.01 - 0.01 * unit(random)
                                  : node_regime == 1 ? 0.3 * unit(random) + 0.01
                                  : node_regime == 4 ? 1.0 + 0.1 * symmetric(random)
                                  : node_regime == 5 ? 1e-3 + 1e-3 * symmetric(random)
                                                     : 1.2 + 0.3 * unit(random);
                  old_values[i] = 0.5 * std::abs(values[i]);
                }
              else
                values[i] = 0.03 * symmetric(random);
            }
          for (const auto &[block, error] :
               test_support::local_jacobian_block_errors(*simulator, cell, values, old_values))
            if (error > worst)
              {
                worst       = error;
                worst_block = block.first + "/" + block.second;
              }
        }
    const double global = dealii::Utilities::MPI::max(worst, MPI_COMM_WORLD);
    if (worst == global)
      std::cout << "largest block error " << worst << " in " << worst_block << std::endl;
    return global;
  }

  /** Runs @p prm_text in a fresh output directory and returns the simulator. */
  template <int dim> std::unique_ptr<Simulator<dim>> run_case(test_support::Case &case_)
  {
    auto simulator = case_.make_simulator<dim>();
    simulator->run();
    return simulator;
  }

  std::string output_section(const std::string &stem)
  {
    return "\nsubsection Output\n set Directory = " + test_support::temporary_directory(stem) +
           "\n set Field output interval = 0\n set Write fields at end = false\nend\n";
  }
} // namespace

TEST(CoupledJacobian, AllFiveFieldsPerBlockOnEveryBranch)
{
  // Pores and grain boundaries, c absent / at the onset of metal / partly filling / compressed,
  // η on both sides of the nucleation barrier, opening and closing strain,
  // Newtonian and power-law creep.
  EXPECT_LT(five_field_block_error(five_field_case("electrochemistry, fracture, lithium", 1.0)),
            1e-5);
  EXPECT_LT(five_field_block_error(five_field_case("electrochemistry, fracture, lithium", 6.67)),
            1e-5);
}

TEST(CoupledJacobian, LithiumWithoutFractureAndElectrochemistryWithoutLithium)
{
  EXPECT_LT(five_field_block_error(five_field_case("electrochemistry, lithium", 6.67)), 1e-5);
  EXPECT_LT(five_field_block_error(five_field_case("lithium, fracture", 6.67)), 1e-5);
}

TEST(Lithium, CreepMovesLithiumOnlyFromHigherToLowerPressure)
{
  // The creep operator of a cell, over random states from empty to 1.5 with
  // n = 6.67, on cells cut by a pore wall (x = 0.35), where the mobility of
  // the pore's points is orders of magnitude above that of the boundary's:
  // with no change of the content the residual of a lithium node is the
  // creep alone, and it must never draw lithium out of the node of the
  // lowest state of the cell, nor push it into the highest, and sum to zero.
  // Galerkin's operator drains the lowest node of such cells.
  test_support::Case case_(five_field_case("lithium", 6.67) + R"(
    subsection Material
      subsection Function
        set Phase = x < 0.35 ? 3 : 1
      end
    end
  )");
  auto               simulator = case_.make_simulator<2>();
  simulator->setup();
  const auto                            &fe = simulator->get_dof_handler().get_fe();
  std::mt19937                           random(5);
  std::uniform_real_distribution<double> unit(0, 1);
  unsigned int                           cells_with_flow = 0;
  for (unsigned int trial = 0; trial < 20; ++trial)
    for (const auto &cell : simulator->get_dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int     n = fe.n_dofs_per_cell();
          dealii::Vector<double> values(n);
          for (unsigned int i = 0; i < n; ++i)
            values[i] = unit(random) < 0.3 ? 0.0 : 1.5 * unit(random);
          LocalSystem local;
          local.assemble_matrix = false;
          simulator->compute_local_system(cell, values, values, 1.0, 1.0, local);
          const auto lowest  = std::min_element(values.begin(), values.end()) - values.begin();
          const auto highest = std::max_element(values.begin(), values.end()) - values.begin();
          double     largest = 0, sum = 0;
          for (unsigned int i = 0; i < n; ++i)
            {
              largest = std::max(largest, std::abs(local.residual[i]));
              sum += local.residual[i];
            }
          if (largest == 0)
            continue;
          ++cells_with_flow;
          // The residual is storage + outflow: negative where lithium arrives.
          EXPECT_LE(local.residual[lowest], 1e-12 * largest) << "the emptiest node loses lithium";
          EXPECT_GE(local.residual[highest], -1e-12 * largest) << "the fullest node gains lithium";
          EXPECT_NEAR(sum, 0, 1e-12 * largest);
        }
  EXPECT_GT(dealii::Utilities::MPI::sum(cells_with_flow, MPI_COMM_WORLD), 20u);
}

TEST(Coupling, FieldsAreFoundByNameWhateverTheOrderOfTheModules)
{
  const std::string       base = five_field_case("%MODULES%", 6.67) + R"(
    subsection Lithium
      set Initial filling = x < 0.5 ? 0.9 : 0
    end
    subsection Electrochemistry
      set Applied current density = 0.05
    end
    subsection Time stepping
      set End time = 2
      set Initial time step = 1
    end
  )";
  std::vector<Statistics> runs;
  for (const std::string modules :
       {"electrochemistry, fracture, lithium", "lithium, fracture, electrochemistry"})
    {
      std::string text = base;
      text.replace(text.find("%MODULES%"), 9, modules);
      test_support::Case case_(text + output_section("order"));
      runs.push_back(run_case<2>(case_)->statistics());
    }
  for (const std::string column :
       {"V [V]", "lithium_volume [m^2]", "max_lithium_pressure [Pa]", "crack_void_volume [m^2]"})
    {
      const auto a = runs[0].column(column), b = runs[1].column(column);
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t k = 0; k < a.size(); ++k)
        EXPECT_NEAR(a[k], b[k], 1e-6 * (std::abs(a[k]) + 1e-12)) << column << " row " << k;
    }
}

namespace
{
  /**
   * A Li-filled pore layer (10 µm, half full) at the plating electrode of a
   * 40 µm LLZO separator under 1 mA/cm².
   */
  std::string faradaic_case(const double current)
  {
    return R"(
      subsection Physics
        set Modules = electrochemistry, lithium
      end
      subsection Geometry
        set Width = 1e-5
        set Thickness = 4e-5
        set Coarse cells across thickness = 8
      end
      subsection Mesh refinement
        set Initial global refinement = 1
      end
      subsection Material
        set Type = function
        subsection Function
          set Phase = y < 1e-5 ? 3 : 0
          set Ionic conductivity = 0.05
          set Electronic conductivity = 1e-6
          set Deposition area density = y < 1e-5 ? 1e7 : 0
          set Reference electronic conductivity = 1e-6
        end
      end
      subsection Electrochemistry
        set Applied current density = )" +
           std::to_string(current) + R"(
      end
      subsection Lithium
        set Initial filling = y < 1e-5 ? 0.5 : 0
        set Electronic conductivity = 100
      end
      subsection Time stepping
        set End time = 100
        set Initial time step = 10
        set Maximum time step = 10
      end
    )";
  }
} // namespace

TEST(Lithium, FaradaicGrowthOfAFlatLayer)
{
  // All charge that passes plates lithium: in the layer (c) or on the
  // electrode face. Together they grow at Ω i/F = 1.35 nm/s per mA/cm².
  const double       current = 10; // A/m² = 1 mA/cm²
  test_support::Case case_(faradaic_case(current) + output_section("faradaic"));
  const auto         simulator    = run_case<2>(case_);
  const Statistics  &statistics   = simulator->statistics();
  const auto         volume       = statistics.column("lithium_volume [m^2]");
  const auto         time         = statistics.column("time [s]");
  const auto         surface      = statistics.column("i_plating [A/m2]");
  const double       width        = 1e-5;
  const double       omega_over_f = 1.30e-5 / constants::faraday;
  ASSERT_GE(volume.size(), 5u);
  EXPECT_NEAR(time.back(), 100, 1e-9);
  double surface_growth = 0;
  for (std::size_t k = 1; k < time.size(); ++k)
    surface_growth += omega_over_f * surface[k] * (time[k] - time[k - 1]);
  const double layer_growth = (volume.back() - volume.front()) / width;
  const double growth_rate  = (layer_growth + surface_growth) / (time.back() - time.front());
  std::cout << "layer " << layer_growth << " m, electrode face " << surface_growth << " m; growth "
            << growth_rate * 1e9 << " nm/s" << std::endl;
  EXPECT_GT(layer_growth, 0.9 * (layer_growth + surface_growth)) << "the layer should take most";
  EXPECT_NEAR(growth_rate, 1.3474e-9, 0.01 * 1.3474e-9);
  // Nothing leaves through the electrodes: Li only plates.
  EXPECT_NEAR(statistics.last("lithium_outflow_counter [m^2/s]"), 0, 1e-20);
}

TEST(Lithium, InjectedLithiumIsAddedExactly)
{
  // A sealed pore holding lithium at half filling, injected at 1e-3 /s in its
  // lower half for 100 s (in steps of 10 s), no electrochemistry: the
  // lithium volume grows by exactly the reported injection rate times the time.
  const std::string  text = R"(
    subsection Physics
      set Modules = lithium
    end
    subsection Geometry
      set Width = 1e-5
      set Thickness = 1e-5
      set Coarse cells across thickness = 4
    end
    subsection Mesh refinement
      set Initial global refinement = 1
    end
    subsection Material
      set Type = function
      subsection Function
        set Phase = 3
      end
    end
    subsection Lithium
      set Initial filling = 0.5
      set Injection = y < 5.1e-6 ? 1e-3 : 0
    end
    subsection Time stepping
      set End time = 100
      set Initial time step = 10
      set Maximum time step = 10
    end
  )";
  test_support::Case case_(text + output_section("injection"));
  const auto         simulator  = run_case<2>(case_);
  const Statistics  &statistics = simulator->statistics();
  const auto         volume     = statistics.column("lithium_volume [m^2]");
  const double       rate       = statistics.last("lithium_injection_rate [m^2/s]");
  // The nodal rule gives the nodes up to y = 5 µm their whole share: 5.625 µm of the 10 µm.
  EXPECT_NEAR(rate, 1e-3 * 1e-5 * 5.625e-6, 1e-9 * rate);
  EXPECT_NEAR(volume.back() - volume.front(), 100 * rate, 1e-9 * 100 * rate);
  EXPECT_NEAR(statistics.last("lithium_plating_rate [m^2/s]"), 0, 1e-30);
}

TEST(Lithium, DepositionIntoASealedPoreStallsAtTheOverpotentialPressure)
{
  // A filled pore at the plating electrode (its lithium is the electrode's
  // metal, at one potential), sealed: no lithium leaves it. Under a fixed
  // cell voltage lithium plates into it until the pressure term cancels the
  // overpotential, p = F|ψ − φ|/Ω. (A pore inside the electrolyte would be
  // a bipolar electrode, plating on one side and stripping on the other.)
  const std::string  text = R"(
    subsection Physics
      set Modules = electrochemistry, lithium
    end
    subsection Geometry
      set Width = 2e-5
      set Thickness = 2e-5
      set Coarse cells across thickness = 8
    end
    subsection Mesh refinement
      set Initial global refinement = 0
    end
    subsection Material
      set Type = function
      subsection Function
        set Phase = (abs(x - 1e-5) < 2.6e-6 && y < 5.2e-6) ? 3 : 0
        set Ionic conductivity = 0.05
        set Electronic conductivity = 0.05
        set Deposition area density = (abs(x - 1e-5) < 2.6e-6 && y < 5.2e-6) ? 1e6 : 0
        set Reference electronic conductivity = 0.05
      end
    end
    subsection Electrochemistry
      set Control = potentiostatic
      set Applied voltage = 0.004
    end
    subsection Lithium
      set Initial filling = (abs(x - 1e-5) < 2.6e-6 && y < 5.2e-6) ? 1 : 0
      set Electronic conductivity = 100
    end
    subsection Termination
      set Criteria = end time, step limit # the pore's electrons are a shunt by construction (S2)
    end
    subsection Time stepping
      set End time = 3000
      set Initial time step = 1
      set Maximum time step = 300
    end
  )";
  test_support::Case case_(text + output_section("stall"));
  const auto         simulator = run_case<2>(case_);
  ASSERT_GT(simulator->statistics().last("max_lithium_pressure [Pa]"), 1e6);

  // At the quadrature point of largest pressure: p against F(φ − ψ)/Ω.
  const auto             &dof_handler = simulator->get_dof_handler();
  const FieldLayout      &fields      = simulator->get_fields();
  const dealii::QGauss<2> quadrature(2);
  dealii::FEValues<2>     fe_values(dof_handler.get_fe(), quadrature,
                                    dealii::update_values | dealii::update_gradients |
                                        dealii::update_quadrature_points);
  SolutionAtPoints<2>     at_points;
  double                  largest = 0, stall = 0;
  for (const auto &cell : dof_handler.active_cell_iterators())
    if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        simulator->get_coupling().evaluate_solution(fe_values, cell, simulator->get_solution(),
                                                    simulator->get_material(), 0, at_points);
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          if (at_points.coupled[q].pressure.value > largest)
            {
              largest = at_points.coupled[q].pressure.value;
              stall   = constants::faraday / 1.30e-5 *
                      (at_points.values[q][fields.component("phi")] -
                       at_points.values[q][fields.component("psi")]);
            }
      }
  // The rank holding the largest pressure reports.
  const double global_largest = dealii::Utilities::MPI::max(largest, MPI_COMM_WORLD);
  const double reported =
      dealii::Utilities::MPI::max(largest == global_largest ? stall : -1e300, MPI_COMM_WORLD);
  std::cout << "pressure " << global_largest << " Pa, F|ψ − φ|/Ω = " << reported << " Pa"
            << std::endl;
  EXPECT_GT(reported, 1e6);
  EXPECT_NEAR(global_largest, reported, 0.01 * reported);
}

namespace
{
  std::string number(const double value)
  {
    std::ostringstream out;
    out.precision(17);
    out << value;
    return out.str();
  }

  /** 4 × 10 µm, cells of 0.5 µm: a channel or crack along x = 2 µm through a 10 µm separator. */
  const std::string slit_mesh = R"(
      subsection Geometry
        set Width = 4e-6
        set Thickness = 1e-5
        set Coarse cells across thickness = 20
      end
      subsection Mesh refinement
        set Initial global refinement = 0
      end
    )";

  /** A pore channel 1 µm wide along x = 2 µm (the aperture is Pore aperture). */
  const std::string pore_channel = R"(
      subsection Physics
        set Modules = lithium
      end
      subsection Material
        set Type = function
        subsection Function
          set Phase = abs(x - 2e-6) < 0.5e-6 ? 3 : 0
        end
      end
      subsection Lithium
        subsection Creep
          set Pore aperture = 1e-6
        end
      end
    )";

  /**
   * A channel (@p channel) along y through a 10 µm separator, lithium
   * pressure p_in at the bottom and p_out at the top (filling 1 + p/K_Li), no
   * electrochemistry: the steady creep flux through the channel, reached
   * from a perturbed profile over 20 relaxation times L²/D.
   */
  double slit_outflow(const std::string &channel, const double exponent, const std::string &creep,
                      const double relaxation_time)
  {
    // The outlet is held at 1 MPa so that the lithium at the outlet face is compressed.
    const double      length = 1e-5, gradient = 1e12, bulk_modulus = 1.09e10, outlet_pressure = 1e6;
    const double      outlet = 1 + outlet_pressure / bulk_modulus;
    const double      inlet  = 1 + (outlet_pressure + gradient * length) / bulk_modulus;
    const std::string text   = slit_mesh + R"(
      subsection Lithium
        set Initial filling = abs(x - 2e-6) < 0.5e-6 ? )" +
                             number(outlet) + " + " + number(inlet - outlet) +
                             R"( * (1 - y / 1e-5) * (1 + 0.3 * sin(3.14159 * y / 1e-5)) : 0
        set Prescribed filling = bottom: )" +
                             number(inlet) + "; top: " + number(outlet) + R"(
        subsection Creep
          set Exponent = )" + std::to_string(exponent) +
                             R"(
          )" + creep + R"(
        end
      end
      subsection Termination
        set Criteria = end time, step limit # the channel spans the domain by construction (S1)
      end
      subsection Time stepping
        set End time = )" + number(20 * relaxation_time) +
                             R"(
        set Initial time step = )" +
                             number(0.1 * relaxation_time) + R"(
        set Maximum time step = )" +
                             number(2 * relaxation_time) + R"(
      end
    )";
    test_support::Case case_(text + channel + output_section("slit"));
    const auto         simulator = run_case<2>(case_);
    return simulator->statistics().last("lithium_outflow_counter [m^2/s]");
  }
} // namespace

TEST(Lithium, TheStateIsTheFillingBelowOneAndCountsThePressureInUnitsAbove)
{
  // Defaults: K_Li = 1.09e10 Pa, p_u = 1e7 Pa, p_s = 1e5 Pa (corner 1e-2 wide in x).
  test_support::Case case_(slit_mesh + pore_channel + output_section("state"));
  auto               simulator = case_.make_simulator<2>();
  const auto        &laws      = simulator->get_coupling();
  const double       unit = laws.lithium_pressure_unit(), modulus = laws.lithium_bulk_modulus();
  ASSERT_EQ(unit, 1e7);
  // Below the corner the state is the filling; above it each unit of the
  // state is p_u of pressure, compressing the lithium by p_u/K_Li.
  EXPECT_NEAR(laws.filling_of_state(0.4), 0.4, 1e-12);
  EXPECT_NEAR(laws.filling_of_state(0.6), 0.6, 1e-12);
  EXPECT_NEAR(laws.filling_of_state(3.5), 1 + 2.5 * unit / modulus, 1e-12);
  // The rounded corner: p = 0.69 p_s and the uncompressed part 1 − 0.69 p_s/p_u.
  EXPECT_NEAR(laws.filling_of_state(1.0), 1 - std::log(2.0) * 1e5 * (1 / unit - 1 / modulus),
              1e-12);
  // A prescribed filling maps to its state by the unrounded law: exact away
  // from the corner, and s = 1 (just filled) at the corner itself.
  for (const double filling : {0.0, 0.3, 0.6, 1.001, 1.05, 1.3})
    EXPECT_NEAR(laws.filling_of_state(laws.state_of_filling(filling)), filling, 1e-13)
        << "filling " << filling;
  EXPECT_EQ(laws.state_of_filling(1.0), 1.0);
  // A reservoir at 1 GPa (filling 1 + p/K_Li) is the state 1 + p/p_u.
  EXPECT_NEAR(laws.state_of_filling(1 + 1e9 / modulus), 101.0, 1e-9);
}

TEST(Lithium, ANewtonUpdateThatDrainsACompressedNodeStopsBelowTheCorner)
{
  // Linearised on the pressure branch a node stores p_u/K_Li of filling per
  // unit of state, so an update that removes the lithium it must lose goes
  // far past the corner. The module stops such a node just below the corner
  // (1 − p_s/p_u) and leaves every other update alone: a compressed node that
  // stays compressed or rises, and a node below the corner that falls.
  test_support::Case case_(slit_mesh + pore_channel + output_section("update_limit"));
  auto               simulator = case_.make_simulator<2>();
  simulator->setup();
  const PhysicsModule<2> *lithium = nullptr;
  for (const auto &module : simulator->get_modules())
    if (module->name() == "lithium")
      lithium = module.get();
  ASSERT_NE(lithium, nullptr);
  const unsigned int block  = simulator->get_fields()["lithium"].block;
  const double       corner = 1 - simulator->get_coupling().pressure_onset_width();
  // Owned entries only, as the Newton solve holds its iterate and update.
  std::vector<dealii::IndexSet> blocks;
  for (unsigned int b = 0; b < simulator->get_solution().n_blocks(); ++b)
    blocks.push_back(simulator->get_solution().block(b).locally_owned_elements());
  BlockVector iterate(blocks, MPI_COMM_WORLD), update(blocks, MPI_COMM_WORLD);
  // Four kinds of node, in turn: (state, new state).
  const std::array<std::pair<double, double>, 4> kinds = {
      {{6.0, -5.0}, {6.0, 3.0}, {2.0, 9.0}, {0.5, -1.0}}};
  const auto &owned = iterate.block(block).locally_owned_elements();
  for (const auto i : owned)
    {
      const auto &[state, next] = kinds[i % kinds.size()];
      iterate.block(block)(i)   = state;
      update.block(block)(i)    = state - next; // the new iterate is state − update
    }
  iterate.compress(dealii::VectorOperation::insert);
  update.compress(dealii::VectorOperation::insert);
  const BlockVector newton_update(update);
  EXPECT_TRUE(lithium->limit_newton_update(iterate, update));
  unsigned int drained = 0;
  for (const auto i : owned)
    {
      const double next = iterate.block(block)(i) - update.block(block)(i);
      if (i % kinds.size() == 0)
        {
          EXPECT_NEAR(next, corner, 1e-12) << "a drained node at DoF " << i;
          ++drained;
        }
      else
        EXPECT_EQ(update.block(block)(i), newton_update.block(block)(i)) << "DoF " << i;
    }
  EXPECT_GT(dealii::Utilities::MPI::sum(drained, MPI_COMM_WORLD), 0u);
  // Every node rising: nothing to stop, and every rank says so.
  BlockVector rising(newton_update);
  for (const auto i : owned)
    rising.block(block)(i) = -std::abs(newton_update.block(block)(i));
  rising.compress(dealii::VectorOperation::insert);
  const BlockVector unchanged(rising);
  EXPECT_FALSE(lithium->limit_newton_update(iterate, rising));
  rising -= unchanged;
  EXPECT_EQ(rising.linfty_norm(), 0.0);
}

TEST(Lithium, APressureUnitAboveTheBulkModulusIsRefused)
{
  test_support::Case case_(slit_mesh + pore_channel + output_section("state_unit") + R"(
      subsection Lithium
        set Pressure unit = 2e10
      end
    )");
  EXPECT_THROW(case_.make_simulator<2>(), InputError);
}

TEST(Lithium, PressureIsContinuousWhereACrackLeavesAFilledPore)
{
  // A pore channel filled with lithium at p0 = 100 MPa and a crack (d = 1)
  // leaving its end, opened by that pressure. The pressure depends on the
  // filling alone, so the crack cells next to the pore wall see the pore's
  // pressure; a law of the content over each cell's void fraction read
  // 1e12 Pa and more there.
  const double      p0 = 1e8, bulk_modulus = 1.09e10;
  const std::string text = R"(
    subsection Physics
      set Modules = fracture, lithium
    end
    subsection Geometry
      set Width = 2e-5
      set Thickness = 1e-5
      set Coarse cells across thickness = 4
    end
    subsection Mesh refinement
      set Initial global refinement = 2
    end
    subsection Material
      set Type = function
      subsection Function
        set Phase = (x < 5e-6 && abs(y - 5e-6) < 1.25e-6) ? 3 : 0
      end
    end
    subsection Fracture
      set Length scale = 1.25e-6
      set Refinement threshold = 0
      set Displacement boundary conditions = bottom: all = 0; top: all = 0
      set Initial damage = (x > 4.9e-6 && x < 1e-5 && abs(y - 5e-6) < 0.3e-6) ? 1 : 0
    end
    subsection Lithium
      set Initial filling = (x < 5.01e-6 && abs(y - 5e-6) < 1.26e-6) ? )" +
                           number(1 + p0 / bulk_modulus) + R"( : 0
    end
    subsection Termination
      set Criteria = end time, step limit
    end
    subsection Time stepping
      set End time = 0
    end
  )";
  test_support::Case case_(text + output_section("pore-crack"));
  const auto         simulator  = run_case<2>(case_);
  const Statistics  &statistics = simulator->statistics();
  ASSERT_GT(statistics.last("crack_void_volume [m^2]"), 0) << "the crack must open";
  const double pressure = statistics.last("max_lithium_pressure [Pa]");
  const double mean     = statistics.last("mean_lithium_pressure [Pa]");
  std::cout << "largest pressure " << pressure << " Pa, mean " << mean << " Pa, pore " << p0
            << " Pa" << std::endl;
  EXPECT_NEAR(pressure, p0, 0.01 * p0);
  EXPECT_NEAR(mean, p0, 0.01 * p0);
}

TEST(Lithium, NewtonianSlitFlowIsPoiseuille)
{
  // n = 1, B = 1/(3μ): Q = G w³/(12 μ) per unit depth.
  const double viscosity = 1e10, gradient = 1e12, aperture = 1e-6;
  const double flux = slit_outflow(
      pore_channel, 1,
      "set Prefactor = " + number(1 / (3 * viscosity)) +
          "\n set Activation energy = 0\n set Resistance = 1\n set Regularisation gradient = 0",
      1000);
  const double expected = gradient * std::pow(aperture, 3) / (12 * viscosity);
  std::cout << "Q = " << flux << " m^2/s, Poiseuille " << expected << std::endl;
  EXPECT_NEAR(flux, expected, 0.03 * expected);
}

TEST(Lithium, PowerLawSlitFlowOfLithium)
{
  // n = 6.67 with the creep law of Anand et al.; MODEL.md gives the mean
  // velocity v̄ = 7.494e-10 m/s at G = 1e12 Pa/m and w = 1 µm, so Q = v̄ w.
  const double flux     = slit_outflow(pore_channel, 6.67, "", 2);
  const double expected = 7.494e-10 * 1e-6;
  std::cout << "Q = " << flux << " m^2/s, closed form " << expected << std::endl;
  EXPECT_NEAR(flux, expected, 0.03 * expected);
}

namespace
{
  /** @p state interpolated onto the simulator's DoFs, ghosted as the solution is. */
  BlockVector interpolated_state(const Simulator<2> &simulator, const dealii::Function<2> &state)
  {
    std::vector<dealii::IndexSet> blocks;
    for (unsigned int b = 0; b < simulator.get_solution().n_blocks(); ++b)
      blocks.push_back(simulator.get_solution().block(b).locally_owned_elements());
    BlockVector owned;
    owned.reinit(blocks, MPI_COMM_WORLD);
    dealii::VectorTools::interpolate(simulator.get_dof_handler(), state, owned);
    BlockVector ghosted(simulator.get_solution());
    ghosted = owned;
    return ghosted;
  }

  /**
   * The creep flux through a horizontal line across a phase-field crack
   * along x = 2 µm (d = 1 in [1.5, 2.5] µm) whose opening @p opening the mesh
   * puts into the cells of [1.5, 1.5 µm + @p opened_width] (u_x rises
   * linearly across them: one cell of 0.5 µm or two), with lithium at
   * pressure p(y) = 1 MPa + G (L − y), G = 1e12 Pa/m, in the band: ∫ q_y dA / L
   * from the coupled laws, with the apertures integrated across the band.
   */
  double flux_across_crack_band(const double opening, const double opened_width,
                                const double exponent, const std::string &creep)
  {
    const double       length = 1e-5, gradient = 1e12;
    test_support::Case case_(slit_mesh + R"(
      subsection Physics
        set Modules = lithium, fracture
      end
      subsection Mesh refinement
        set Maximum level = 0
      end
      subsection Fracture
        set Length scale = 1e-6
      end
      subsection Lithium
        subsection Creep
          set Exponent = )" + std::to_string(exponent) +
                             R"(
          set Crack band width = 3e-6
          )" + creep + R"(
        end
      end
    )" + output_section("crack_band"));
    auto               simulator = case_.make_simulator<2>();
    simulator->setup();
    const FieldLayout &fields = simulator->get_fields();

    // u_x rises by the opening across [1.5, 2.5] µm; d = 1 there, falling
    // to 0 over 1 µm on either side; the band filled at p(y).
    class CrackState : public dealii::Function<2>
    {
    public:
      CrackState(const FieldLayout &fields, const CouplingLaws<2> &laws, const double opening,
                 const double opened_width, const double length, const double gradient)
          : dealii::Function<2>(fields.n_components)
          , fields(fields)
          , laws(laws)
          , opening(opening)
          , opened_width(opened_width)
          , length(length)
          , gradient(gradient)
      {
      }
      double value(const dealii::Point<2> &point, const unsigned int component) const override
      {
        const double distance = std::abs(point[0] - 2e-6);
        if (component == fields.component("displacement"))
          return opening * std::clamp((point[0] - 1.5e-6) / opened_width, 0.0, 1.0);
        if (component == fields.component("damage"))
          return std::clamp(1 - (distance - 0.5e-6) / 1e-6, 0.0, 1.0);
        if (component == fields.component("lithium"))
          return distance <= 0.5e-6
                     ? laws.state_of_filling(1 + (1e6 + gradient * (length - point[1])) /
                                                     laws.lithium_bulk_modulus())
                     : 0.0;
        return 0;
      }

    private:
      const FieldLayout     &fields;
      const CouplingLaws<2> &laws;
      const double           opening, opened_width, length, gradient;
    };
    const auto       &dof_handler = simulator->get_dof_handler();
    const BlockVector state =
        interpolated_state(*simulator, CrackState(fields, simulator->get_coupling(), opening,
                                                  opened_width, length, gradient));
    auto &laws = simulator->get_coupling();
    laws.update_crack_apertures(dof_handler, state, simulator->get_material());

    dealii::FEValues<2> fe_values(dof_handler.get_fe(), dealii::QGauss<2>(3),
                                  dealii::update_values | dealii::update_gradients |
                                      dealii::update_quadrature_points | dealii::update_JxW_values);
    SolutionAtPoints<2> points;
    double              integral = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          laws.evaluate_solution(fe_values, cell, state, simulator->get_material(), 0.0, points);
          for (const unsigned int q : fe_values.quadrature_point_indices())
            integral += points.coupled[q].lithium_flux[1].value * fe_values.JxW(q);
        }
    return dealii::Utilities::MPI::sum(integral, MPI_COMM_WORLD) / length;
  }
} // namespace

TEST(Lithium, NewtonianFlowAcrossACrackBandIsTheSlitOfItsOpening)
{
  // Poiseuille for the opening, Q = G w³/(12 μ) with μ = 1/(3B), whether one
  // cell or two across the band hold the opening.
  const double      viscosity = 1e10, gradient = 1e12, opening = 0.5e-6;
  const std::string creep = "set Prefactor = " + number(1 / (3 * viscosity)) +
                            "\n set Activation energy = 0\n set Resistance = 1";
  const double expected = gradient * std::pow(opening, 3) / (12 * viscosity);
  for (const double opened_width : {0.5e-6, 1e-6})
    {
      const double flux = flux_across_crack_band(opening, opened_width, 1, creep);
      std::cout << "opened over " << opened_width << " m: Q = " << flux << " m^2/s, Poiseuille "
                << expected << std::endl;
      EXPECT_NEAR(flux, expected, 0.03 * expected);
    }
}

TEST(Lithium, PowerLawFlowAcrossACrackBandIsTheSlitOfItsOpening)
{
  // v̄ ∝ w^(n+1): 7.494e-10 m/s at w = 1 µm and G = 1e12 Pa/m (MODEL.md). A
  // local aperture would differ by 2^(n+1) ≈ 200 between the two cases.
  const double opening = 0.5e-6, exponent = 6.67;
  const double expected = 7.494e-10 * std::pow(opening / 1e-6, exponent + 1) * opening;
  for (const double opened_width : {0.5e-6, 1e-6})
    {
      const double flux = flux_across_crack_band(opening, opened_width, exponent, "");
      std::cout << "opened over " << opened_width << " m: Q = " << flux << " m^2/s, closed form "
                << expected << std::endl;
      EXPECT_NEAR(flux, expected, 0.03 * expected);
    }
}

TEST(Lithium, TheCrackApertureDoesNotJumpWhereTwoPrincipalStrainsCross)
{
  // A damage band along y, x ∈ [1.5, 2.5] µm, strained uniformly by ε_x and
  // ε_y: integrated over 3 µm, the band's cells see 1 µm of opening along x
  // and 3 µm along y. As ε_x − ε_y changes sign the largest principal
  // direction turns by 90°, which alone would triple the aperture.
  test_support::Case case_(slit_mesh + R"(
      subsection Physics
        set Modules = lithium, fracture
      end
      subsection Lithium
        subsection Creep
          set Crack band width = 3e-6
        end
      end
    )" + output_section("aperture_crossing"));
  auto               simulator = case_.make_simulator<2>();
  simulator->setup();
  const FieldLayout     &fields      = simulator->get_fields();
  const auto            &dof_handler = simulator->get_dof_handler();
  auto                  &laws        = simulator->get_coupling();
  const dealii::Point<2> probe(1.75e-6, 4.75e-6); // a band cell, away from the ends

  const auto aperture_at_probe = [&](const double strain_x, const double strain_y) {
    const unsigned int displacement = fields.component("displacement");
    const unsigned int damage       = fields.component("damage");
    class StrainedBand : public dealii::Function<2>
    {
    public:
      StrainedBand(const unsigned int n_components, const unsigned int displacement,
                   const unsigned int damage, const double strain_x, const double strain_y)
          : dealii::Function<2>(n_components)
          , displacement(displacement)
          , damage(damage)
          , strain_x(strain_x)
          , strain_y(strain_y)
      {
      }
      double value(const dealii::Point<2> &point, const unsigned int component) const override
      {
        if (component == displacement)
          return strain_x * (point[0] - 2e-6);
        if (component == displacement + 1)
          return strain_y * point[1];
        if (component == damage)
          return std::abs(point[0] - 2e-6) < 0.25e-6 ? 1.0 : 0.0;
        return 0;
      }

    private:
      const unsigned int displacement, damage;
      const double       strain_x, strain_y;
    };
    laws.update_crack_apertures(
        dof_handler,
        interpolated_state(*simulator, StrainedBand(fields.n_components, displacement, damage,
                                                    strain_x, strain_y)),
        simulator->get_material());
    double found = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned() && cell->point_inside(probe))
        {
          MaterialPointData material;
          laws.attach_crack_aperture(cell, material);
          EXPECT_TRUE(material.crack_band);
          found = material.crack_aperture;
        }
    return dealii::Utilities::MPI::sum(found, MPI_COMM_WORLD);
  };

  const double mean = 1e-3, floor = 1e-5;
  for (const double split : {-1e-6, 1e-6, -2e-4, 2e-4})
    {
      const double strain_x = mean + split, strain_y = mean - split, trace = 2 * mean;
      const double expected =
          trace * (1e-6 * (strain_x + floor) + 3e-6 * (strain_y + floor)) / (trace + 2 * floor);
      const double aperture = aperture_at_probe(strain_x, strain_y);
      std::cout << "ε_x − ε_y = " << 2 * split << ": aperture " << aperture << " m, expected "
                << expected << std::endl;
      EXPECT_NEAR(aperture, expected, 1e-4 * expected);
    }
  // Across the crossing (a change of 2e-6 in ε_x − ε_y) by 0.2 %, not 3×.
  EXPECT_NEAR(aperture_at_probe(mean + 1e-6, mean - 1e-6),
              aperture_at_probe(mean - 1e-6, mean + 1e-6), 0.005 * 4e-9);
}
