// The declarations of Material/Microstructure, which need deal.II's ParameterHandler; the
// generator and MicrostructureParameters::parse (microstructure.cc) do without deal.II.
#include <weaklink/microstructure/microstructure.h>

#include <deal.II/base/parameter_handler.h>

namespace weaklink
{
  using namespace dealii;

  void MicrostructureParameters::declare(ParameterHandler &prm)
  {
    prm.declare_entry("Seed", "1", Patterns::Integer(0),
                      "Random seed: the same seed gives the same "
                      "microstructure on any number of ranks.");
    prm.declare_entry("Grain size", "1e-5", Patterns::Double(0), "Mean grain diameter d_g [m].");
    prm.declare_entry("Grain boundary width", "5e-7", Patterns::Double(0),
                      "Width δ_gb of the boundary band [m].");
    prm.declare_entry("Weak boundary fraction", "0.1", Patterns::Double(0, 1),
                      "Fraction of grain-boundary facets that are weak (defect network).");
    prm.declare_entry("Weak boundary correlation length", "0", Patterns::Double(0),
                      "0: each facet is weak independently; > 0: facets are weak where a "
                      "Gaussian random field of this correlation length (evaluated at the facet "
                      "midpoint) is below the quantile of the weak fraction, so weak facets "
                      "gather in patches of about this size [m].");
    prm.declare_entry("Lloyd iterations", "0", Patterns::Integer(0, 1000),
                      "Centroidal Voronoi relaxation steps of the grain seeds: 0 gives a "
                      "Poisson-Voronoi polycrystal, a few make the grains more equiaxed and "
                      "uniform in size.");
    prm.declare_entry("Porosity", "0.05", Patterns::Double(0, 0.6), "Target pore volume fraction.");
    prm.declare_entry("Pore topology", "poisson",
                      Patterns::Selection("poisson|clustered|boundary|aligned chains"),
                      "Pore centres: poisson (uniform), clustered (Thomas process), boundary "
                      "(grain triple junctions), aligned chains (strings along y).");
    prm.declare_entry("Pore radius", "2e-6", Patterns::Double(0), "Median pore radius [m].");
    prm.declare_entry("Pore radius spread", "0.3", Patterns::Double(0, 2),
                      "Standard deviation of ln(radius) (lognormal radii).");
    prm.declare_entry("Cluster radius", "5e-6", Patterns::Double(0),
                      "Clustered: standard deviation of pore offsets from their parent [m].");
    prm.declare_entry("Pores per cluster", "6", Patterns::Double(1),
                      "Clustered: mean pores per parent; aligned chains: pores per chain.");
    prm.declare_entry("Chain spacing", "2.2", Patterns::Double(0),
                      "Aligned chains: distance between pore centres along y, in median radii.");
    prm.declare_entry("Calibration resolution", "200", Patterns::Integer(10, 2000),
                      "Sample points per direction used to hit the target porosity.");
    prm.declare_entry("Periodic directions", "none", Patterns::Selection("none|x|z|x,z"),
                      "Lateral directions in which weaklink-descriptors treats the sample as "
                      "periodic (clusters join across the faces, as on a mesh with periodic "
                      "lateral boundaries); z only in 3D. The generator itself does not wrap "
                      "grains or pores around.");
  }
} // namespace weaklink
