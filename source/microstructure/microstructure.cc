#include <weaklink/core/input_error.h>
#include <weaklink/microstructure/microstructure.h>

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>

namespace weaklink
{
  using namespace dealii;

  void MicrostructureParameters::parse(const ParameterValues &prm)
  {
    seed                             = prm.get_integer("Seed");
    grain_size                       = prm.get_double("Grain size");
    boundary_width                   = prm.get_double("Grain boundary width");
    weak_boundary_fraction           = prm.get_double("Weak boundary fraction");
    weak_boundary_correlation_length = prm.get_double("Weak boundary correlation length");
    lloyd_iterations                 = prm.get_integer("Lloyd iterations");
    porosity                         = prm.get_double("Porosity");
    const std::string t              = prm.get("Pore topology");
    topology                         = t == "poisson"     ? PoreTopology::poisson
                                       : t == "clustered" ? PoreTopology::clustered
                                       : t == "boundary"  ? PoreTopology::boundary
                                                          : PoreTopology::aligned_chains;
    pore_radius                      = prm.get_double("Pore radius");
    pore_radius_spread               = prm.get_double("Pore radius spread");
    cluster_radius                   = prm.get_double("Cluster radius");
    pores_per_cluster                = prm.get_double("Pores per cluster");
    chain_spacing                    = prm.get_double("Chain spacing");
    calibration_resolution           = prm.get_integer("Calibration resolution");
    periodic_directions              = prm.get("Periodic directions");
    if (grain_size <= 0 || pore_radius <= 0)
      throw InputError("Material/Microstructure: Grain size and Pore radius must be positive");
  }

  namespace
  {
    /** Bin index of a point (clamped to the grid). */
    template <int dim>
    std::array<int, 3> bin_of(const Point<dim> &p, const double size,
                              const std::array<unsigned int, 3> &count)
    {
      std::array<int, 3> b{{0, 0, 0}};
      for (unsigned int d = 0; d < dim; ++d)
        b[d] = std::clamp(static_cast<int>(std::floor(p[d] / size)), 0,
                          static_cast<int>(count[d]) - 1);
      return b;
    }

    std::size_t flat(const std::array<int, 3> &b, const std::array<unsigned int, 3> &count)
    {
      return (static_cast<std::size_t>(b[2]) * count[1] + b[1]) * count[0] + b[0];
    }

    double volume_factor(const int dim)
    {
      return dim == 2 ? M_PI : 4.0 * M_PI / 3.0;
    }

    /** The point nearest to p equidistant from three seeds (a grain triple junction line or point).
     */
    template <int dim>
    Point<dim> project_to_junction(const Point<dim> &p, const Point<dim> &a, const Point<dim> &b,
                                   const Point<dim> &c)
    {
      // Two linear constraints n_k · x = h_k; least-norm correction of p.
      const Tensor<1, dim> n1 = b - a, n2 = c - a;
      const double         h1  = 0.5 * (b.norm_square() - a.norm_square());
      const double         h2  = 0.5 * (c.norm_square() - a.norm_square());
      const double         g11 = n1 * n1, g12 = n1 * n2, g22 = n2 * n2, det = g11 * g22 - g12 * g12;
      if (std::abs(det) < 1e-30 * g11 * g22)
        return p;
      const double r1 = h1 - n1 * p, r2 = h2 - n2 * p;
      const double l1 = (g22 * r1 - g12 * r2) / det, l2 = (g11 * r2 - g12 * r1) / det;
      return p + l1 * n1 + l2 * n2;
    }
  } // namespace

  namespace
  {
    /** Beyond this many grains or pores a box would take minutes and gigabytes to generate. */
    constexpr double largest_count = 5e7;

    void check_count(const char *what, const double count)
    {
      if (!(count <= largest_count))
        throw InputError("Material/Microstructure: the box would hold " + three_digits(count) +
                         " " + what + " (at most 5e7; check Geometry " +
                         "and the grain and pore sizes)");
    }
  } // namespace

  template <int dim>
  Microstructure<dim>::Microstructure(const MicrostructureParameters &p, const Point<dim> &extent)
      : parameters(p)
      , extent(extent)
  {
    std::mt19937_64                        random(p.seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const auto                             random_point = [&]() {
      Point<dim> x;
      for (unsigned int d = 0; d < dim; ++d)
        x[d] = uniform(random) * extent[d];
      return x;
    };
    double volume = 1;
    for (unsigned int d = 0; d < dim; ++d)
      volume *= extent[d];

    // Grains: as many Poisson seeds as grains of mean diameter d_g fill the box.
    const double grain_volume = volume_factor(dim) * std::pow(0.5 * p.grain_size, dim);
    check_count("grains", volume / grain_volume);
    const auto n_grains = std::max<std::size_t>(2, std::llround(volume / grain_volume));
    for (std::size_t k = 0; k < n_grains; ++k)
      seeds.push_back(random_point());
    bin_seeds();
    relax_seeds(p.lloyd_iterations);

    // Correlated weak facets: random Fourier modes of a squared-exponential covariance.
    if (p.weak_boundary_correlation_length > 0)
      {
        std::normal_distribution<double> wavenumber(0.0, 1.0 / p.weak_boundary_correlation_length);
        for (unsigned int m = 0; m < 128; ++m)
          {
            Tensor<1, dim> k;
            for (unsigned int d = 0; d < dim; ++d)
              k[d] = wavenumber(random);
            field_wavevectors.push_back(k);
            field_phases.push_back(2 * M_PI * uniform(random));
          }
        const double f = p.weak_boundary_fraction;
        weak_threshold = f <= 0   ? -std::numeric_limits<double>::infinity()
                         : f >= 1 ? std::numeric_limits<double>::infinity()
                                  : boost::math::quantile(boost::math::normal(), f);
      }

    // Pores: enough overlapping spheres for the target porosity, radii scaled below.
    std::lognormal_distribution<double> radius(std::log(p.pore_radius), p.pore_radius_spread);
    const double                        mean_volume =
        volume_factor(dim) * std::pow(p.pore_radius, dim) *
        std::exp(0.5 * dim * dim * p.pore_radius_spread * p.pore_radius_spread);
    if (p.porosity > 0)
      check_count("pores", -std::log(1 - p.porosity) * volume / mean_volume);
    const auto n_pores =
        p.porosity > 0 ? std::max<std::size_t>(
                             1, std::llround(-std::log(1 - p.porosity) * volume / mean_volume))
                       : std::size_t(0);
    const auto inside = [&](const Point<dim> &x) {
      for (unsigned int d = 0; d < dim; ++d)
        if (x[d] < 0 || x[d] > extent[d])
          return false;
      return true;
    };
    if (p.topology == PoreTopology::poisson)
      for (std::size_t k = 0; k < n_pores; ++k)
        centres.push_back(random_point());
    else if (p.topology == PoreTopology::clustered)
      {
        std::normal_distribution<double> offset(0.0, p.cluster_radius);
        std::poisson_distribution<int>   offspring(p.pores_per_cluster);
        for (unsigned int parent = 0; centres.size() < n_pores; ++parent)
          {
            const Point<dim> mother   = random_point();
            const int        children = offspring(random);
            for (int c = 0; c < children; ++c)
              {
                Point<dim> x = mother;
                for (unsigned int d = 0; d < dim; ++d)
                  x[d] += offset(random);
                if (inside(x))
                  {
                    centres.push_back(x);
                    parents.push_back(parent);
                  }
              }
          }
      }
    else if (p.topology == PoreTopology::boundary)
      while (centres.size() < n_pores)
        {
          const Point<dim> x = random_point();
          // The three nearest seeds, by a full scan of the seeds.
          std::vector<std::pair<double, unsigned int>> nearest;
          for (unsigned int k = 0; k < seeds.size(); ++k)
            nearest.emplace_back(x.distance_square(seeds[k]), k);
          std::partial_sort(nearest.begin(),
                            nearest.begin() + std::min<std::size_t>(3, nearest.size()),
                            nearest.end());
          if (nearest.size() < 3)
            break;
          const Point<dim> junction = project_to_junction(
              x, seeds[nearest[0].second], seeds[nearest[1].second], seeds[nearest[2].second]);
          // Accept only true junctions: no fourth seed closer than the three.
          const double r2    = junction.distance_square(seeds[nearest[0].second]);
          bool         valid = inside(junction);
          for (unsigned int k = 0; valid && k < seeds.size(); ++k)
            if (k != nearest[0].second && k != nearest[1].second && k != nearest[2].second &&
                junction.distance_square(seeds[k]) < r2 * (1 - 1e-9))
              valid = false;
          if (valid)
            centres.push_back(junction);
        }
    else // aligned chains along y
      while (centres.size() < n_pores)
        {
          Point<dim>   x      = random_point();
          const auto   length = std::max(1L, std::lround(p.pores_per_cluster));
          const double step   = p.chain_spacing * p.pore_radius;
          for (long k = 0; k < length && centres.size() < n_pores; ++k, x[1] += step)
            if (inside(x))
              centres.push_back(x);
        }
    for (std::size_t k = 0; k < centres.size(); ++k)
      radii.push_back(radius(random));

    // Bins holding every pore that can reach them at the largest scale tried.
    const double largest_scale = 3.0;
    const double largest =
        radii.empty() ? p.pore_radius : *std::max_element(radii.begin(), radii.end());
    pore_bin_size = std::max(2 * largest_scale * p.pore_radius, 1e-12);
    for (unsigned int d = 0; d < dim; ++d)
      pore_bin_count[d] =
          std::max(1u, static_cast<unsigned int>(std::ceil(extent[d] / pore_bin_size)));
    pore_bins.resize(pore_bin_count[0] * pore_bin_count[1] * pore_bin_count[2]);
    for (unsigned int k = 0; k < centres.size(); ++k)
      {
        const double       reach = largest_scale * radii[k];
        std::array<int, 3> low{{0, 0, 0}}, high{{0, 0, 0}};
        Point<dim>         a = centres[k], b = centres[k];
        for (unsigned int d = 0; d < dim; ++d)
          a[d] -= reach, b[d] += reach;
        low  = bin_of(a, pore_bin_size, pore_bin_count);
        high = bin_of(b, pore_bin_size, pore_bin_count);
        for (int i = low[0]; i <= high[0]; ++i)
          for (int j = low[1]; j <= high[1]; ++j)
            for (int l = low[2]; l <= high[2]; ++l)
              pore_bins[flat({{i, j, l}}, pore_bin_count)].push_back(k);
      }
    (void)largest;

    // One scale of all radii brings the porosity on the lattice to the target. A lattice point
    // lies in a pore for every scale above min_k |x - c_k| / r_k, so the scale is a quantile of
    // that value over the lattice: one pass instead of a bisection of passes.
    if (!centres.empty())
      {
        const unsigned int  n  = parameters.calibration_resolution;
        const unsigned int  nz = dim == 3 ? n : 1;
        std::vector<double> entry_scale;
        entry_scale.reserve(std::size_t(n) * n * nz);
        for (unsigned int i = 0; i < n; ++i)
          for (unsigned int j = 0; j < n; ++j)
            for (unsigned int l = 0; l < nz; ++l)
              entry_scale.push_back(pore_entry_scale(lattice_point(i, j, l)));
        const std::size_t needed =
            static_cast<std::size_t>(std::ceil(p.porosity * entry_scale.size()));
        if (needed > 0)
          {
            std::nth_element(entry_scale.begin(), entry_scale.begin() + (needed - 1),
                             entry_scale.end());
            const double quantile = entry_scale[needed - 1];
            if (!(quantile < largest_scale))
              throw InputError("Material/Microstructure: the pores cannot reach porosity " +
                               std::to_string(p.porosity) +
                               " (raise Pore radius or lower Porosity)");
            radius_scale = std::nextafter(quantile, std::numeric_limits<double>::infinity());
          }
        else
          radius_scale = 0;
      }
    porosity_on_lattice = lattice_porosity(radius_scale);
  }

  template <int dim>
  Point<dim> Microstructure<dim>::lattice_point(const unsigned int i, const unsigned int j,
                                                const unsigned int l) const
  {
    const unsigned int n = parameters.calibration_resolution;
    Point<dim>         x;
    x[0] = (i + 0.5) / n * extent[0];
    x[1] = (j + 0.5) / n * extent[1];
    if (dim == 3)
      x[dim - 1] = (l + 0.5) / n * extent[dim - 1];
    return x;
  }

  template <int dim> double Microstructure<dim>::pore_entry_scale(const Point<dim> &x) const
  {
    double scale2 = std::numeric_limits<double>::infinity();
    for (const unsigned int k :
         pore_bins[flat(bin_of(x, pore_bin_size, pore_bin_count), pore_bin_count)])
      scale2 = std::min(scale2, x.distance_square(centres[k]) / (radii[k] * radii[k]));
    return std::sqrt(scale2);
  }

  template <int dim>
  bool Microstructure<dim>::in_pore(const Point<dim> &x, const double scale) const
  {
    if (centres.empty())
      return false;
    for (const unsigned int k :
         pore_bins[flat(bin_of(x, pore_bin_size, pore_bin_count), pore_bin_count)])
      if (x.distance_square(centres[k]) < scale * scale * radii[k] * radii[k])
        return true;
    return false;
  }

  template <int dim> double Microstructure<dim>::lattice_porosity(const double scale) const
  {
    const unsigned int n     = parameters.calibration_resolution;
    std::size_t        total = 0, in = 0;
    const unsigned int nz = dim == 3 ? n : 1;
    for (unsigned int i = 0; i < n; ++i)
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int l = 0; l < nz; ++l)
          {
            in += in_pore(lattice_point(i, j, l), scale);
            ++total;
          }
    return static_cast<double>(in) / total;
  }

  template <int dim>
  void Microstructure<dim>::nearest_seeds(const Point<dim> &p, unsigned int &a, unsigned int &b,
                                          double &da, double &db) const
  {
    const auto centre = bin_of(p, seed_bin_size, seed_bin_count);
    da = db = std::numeric_limits<double>::max();
    a = b = 0;
    for (int ring = 0;; ++ring)
      {
        for (int i = centre[0] - ring; i <= centre[0] + ring; ++i)
          for (int j = centre[1] - ring; j <= centre[1] + ring; ++j)
            for (int l = (dim == 3 ? centre[2] - ring : 0); l <= (dim == 3 ? centre[2] + ring : 0);
                 ++l)
              {
                const bool on_ring = std::max({std::abs(i - centre[0]), std::abs(j - centre[1]),
                                               std::abs(l - centre[2])}) == ring;
                if (!on_ring || i < 0 || j < 0 || l < 0 ||
                    i >= static_cast<int>(seed_bin_count[0]) ||
                    j >= static_cast<int>(seed_bin_count[1]) ||
                    l >= static_cast<int>(seed_bin_count[2]))
                  continue;
                for (const unsigned int k : seed_bins[flat({{i, j, l}}, seed_bin_count)])
                  {
                    const double d = p.distance(seeds[k]);
                    if (d < da)
                      b = a, db = da, a = k, da = d;
                    else if (d < db)
                      b = k, db = d;
                  }
              }
        // Seeds outside the scanned cube of bins are farther than ring bin sizes.
        if (db <= ring * seed_bin_size ||
            ring > static_cast<int>(seed_bin_count[0] + seed_bin_count[1] + seed_bin_count[2]))
          return;
      }
  }

  template <int dim> void Microstructure<dim>::bin_seeds()
  {
    seed_bin_size = parameters.grain_size;
    for (unsigned int d = 0; d < dim; ++d)
      seed_bin_count[d] =
          std::max(1u, static_cast<unsigned int>(std::ceil(extent[d] / seed_bin_size)));
    seed_bins.assign(seed_bin_count[0] * seed_bin_count[1] * seed_bin_count[2], {});
    for (unsigned int k = 0; k < seeds.size(); ++k)
      seed_bins[flat(bin_of(seeds[k], seed_bin_size, seed_bin_count), seed_bin_count)].push_back(k);
  }

  template <int dim> void Microstructure<dim>::relax_seeds(const unsigned int iterations)
  {
    // Lloyd: each seed moves to the centroid of its Voronoi cell, measured on a lattice of
    // eight points per grain diameter.
    const double                h = parameters.grain_size / 8;
    std::array<unsigned int, 3> n{{1, 1, 1}};
    for (unsigned int d = 0; d < dim; ++d)
      n[d] = std::max(1u, static_cast<unsigned int>(std::ceil(extent[d] / h)));
    for (unsigned int iteration = 0; iteration < iterations; ++iteration)
      {
        std::vector<Point<dim>>  sums(seeds.size());
        std::vector<std::size_t> counts(seeds.size(), 0);
        for (unsigned int k = 0; k < n[2]; ++k)
          for (unsigned int j = 0; j < n[1]; ++j)
            for (unsigned int i = 0; i < n[0]; ++i)
              {
                const unsigned int index[3] = {i, j, k};
                Point<dim>         x;
                for (unsigned int d = 0; d < dim; ++d)
                  x[d] = (index[d] + 0.5) / n[d] * extent[d];
                unsigned int a, b;
                double       da, db;
                nearest_seeds(x, a, b, da, db);
                sums[a] += x;
                ++counts[a];
              }
        for (unsigned int s = 0; s < seeds.size(); ++s)
          if (counts[s] > 0)
            seeds[s] = sums[s] / static_cast<double>(counts[s]);
        bin_seeds();
      }
  }

  template <int dim> double Microstructure<dim>::weakness_field(const Point<dim> &x) const
  {
    double sum = 0;
    for (unsigned int m = 0; m < field_wavevectors.size(); ++m)
      sum += std::cos(field_wavevectors[m] * x + field_phases[m]);
    return std::sqrt(2.0 / field_wavevectors.size()) * sum;
  }

  template <int dim>
  bool Microstructure<dim>::weak_facet(const unsigned int a, const unsigned int b) const
  {
    if (!field_wavevectors.empty())
      return weakness_field(Point<dim>(0.5 * (seeds[a] + seeds[b]))) < weak_threshold;
    std::uint64_t z = (static_cast<std::uint64_t>(std::min(a, b)) << 32 | std::max(a, b)) ^
                      (parameters.seed * 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (z >> 11) * 0x1.0p-53 < parameters.weak_boundary_fraction;
  }

  template <int dim> Phase Microstructure<dim>::phase(const Point<dim> &x) const
  {
    if (in_pore(x, radius_scale))
      return Phase::pore;
    unsigned int a, b;
    double       da, db;
    nearest_seeds(x, a, b, da, db);
    // Distance to the bisector of the two nearest seeds.
    const double to_facet = (db * db - da * da) / (2 * seeds[a].distance(seeds[b]));
    if (to_facet < 0.5 * parameters.boundary_width)
      return weak_facet(a, b) ? Phase::weak_boundary : Phase::grain_boundary;
    return Phase::grain;
  }

  template class Microstructure<2>;
  template class Microstructure<3>;
} // namespace weaklink
