#pragma once

#include <weaklink/core/parameter_values.h>

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace weaklink
{
  /** What a point of the electrolyte is. */
  enum class Phase : unsigned char
  {
    grain          = 0,
    grain_boundary = 1,
    weak_boundary  = 2, ///< a grain boundary facet of the defect network
    pore           = 3
  };

  /** How pores are placed at a fixed porosity. */
  enum class PoreTopology
  {
    poisson,       ///< uniform random centres
    clustered,     ///< Thomas process: Gaussian offspring around Poisson parents
    boundary,      ///< on grain triple junctions
    aligned_chains ///< strings of pores along y
  };

  struct MicrostructureParameters
  {
    std::uint64_t seed;
    double        grain_size;     ///< mean grain diameter d_g [m]
    double        boundary_width; ///< δ_gb [m]
    double        weak_boundary_fraction;
    double        weak_boundary_correlation_length = 0; ///< 0: facets weak independently [m]
    unsigned int  lloyd_iterations = 0; ///< centroidal relaxation of the grain seeds
    double        porosity;             ///< target pore volume fraction
    PoreTopology  topology;
    double        pore_radius;            ///< median of the lognormal radius law [m]
    double        pore_radius_spread;     ///< σ of ln r
    double        cluster_radius;         ///< Thomas: standard deviation of offspring offsets [m]
    double        pores_per_cluster;      ///< Thomas: mean offspring per parent (Poisson)
    double        chain_spacing;          ///< aligned chains: spacing along y in pore radii
    unsigned int  calibration_resolution; ///< sample points per direction for the porosity
    std::string   periodic_directions = "none"; ///< for descriptors: "none", "x", "z" or "x,z"

    static void declare(dealii::ParameterHandler &prm);
    void        parse(const ParameterValues &prm);
  };

  /**
   * A generated polycrystal with pores in the box [0, W] x [0, L] (x [0, D]):
   * Voronoi grains around Poisson seeds, boundary bands of width δ_gb, a
   * random fraction of weak facets, and pores from one of the point
   * processes. Everything is drawn from the seed alone, so every rank builds
   * the same microstructure. Pore radii are scaled once so that the porosity
   * measured on a lattice of sample points matches the target.
   */
  template <int dim> class Microstructure
  {
  public:
    Microstructure(const MicrostructureParameters &parameters, const dealii::Point<dim> &extent);

    Phase phase(const dealii::Point<dim> &point) const;

    /** Pore fraction on the calibration lattice. */
    double measured_porosity() const { return porosity_on_lattice; }

    const std::vector<dealii::Point<dim>> &grain_seeds() const { return seeds; }
    const std::vector<dealii::Point<dim>> &pore_centres() const { return centres; }
    const std::vector<double>             &pore_radii() const { return radii; }

    /** Parent of each pore in the clustered process (its index), else unused. */
    const std::vector<unsigned int> &pore_parents() const { return parents; }

  private:
    bool               in_pore(const dealii::Point<dim> &point, const double scale) const;
    double             lattice_porosity(const double scale) const;
    dealii::Point<dim> lattice_point(unsigned int i, unsigned int j, unsigned int l) const;
    /** The smallest radius scale at which some pore covers x (infinite if none can). */
    double pore_entry_scale(const dealii::Point<dim> &x) const;
    /** The two nearest grain seeds (indices) and their distances. */
    void nearest_seeds(const dealii::Point<dim> &p, unsigned int &a, unsigned int &b, double &da,
                       double &db) const;
    bool weak_facet(const unsigned int a, const unsigned int b) const;
    void relax_seeds(unsigned int iterations);
    void bin_seeds();
    /** A standard Gaussian random field of correlation length ℓ (random Fourier modes). */
    double weakness_field(const dealii::Point<dim> &x) const;

    MicrostructureParameters            parameters;
    dealii::Point<dim>                  extent;
    std::vector<dealii::Point<dim>>     seeds;
    std::vector<dealii::Point<dim>>     centres;
    std::vector<double>                 radii;
    std::vector<unsigned int>           parents;
    std::vector<dealii::Tensor<1, dim>> field_wavevectors;
    std::vector<double>                 field_phases;
    double weak_threshold      = 0; ///< field value below which a facet is weak
    double radius_scale        = 1;
    double porosity_on_lattice = 0;

    // Uniform bins over the box for nearest-seed and pore queries.
    double                                 seed_bin_size, pore_bin_size;
    std::vector<std::vector<unsigned int>> seed_bins, pore_bins;
    std::array<unsigned int, 3>            seed_bin_count{{1, 1, 1}}, pore_bin_count{{1, 1, 1}};
  };
} // namespace weaklink
