#include <weaklink/material/material_cache.h>

#include <algorithm>
#include <array>

namespace weaklink
{
  namespace
  {
    /** The cached properties, in storage order. */
    template <typename Data> auto property_vectors(Data &data)
    {
      return std::array{&data.ionic_conductivity,      &data.electronic_conductivity,
                        &data.deposition_area_density, &data.nucleation_site_density,
                        &data.youngs_modulus,          &data.poisson_ratio,
                        &data.fracture_energy};
    }
  } // namespace

  void MaterialCache::clear()
  {
    points_per_cell = 0;
    properties.clear();
    phases.clear();
    ready.clear();
  }

  void MaterialCache::reset(const unsigned int n_cells, const unsigned int n_points)
  {
    points_per_cell = n_points;
    properties.assign(static_cast<std::size_t>(n_cells) * n_properties * n_points, 0.0);
    phases.assign(static_cast<std::size_t>(n_cells) * n_points, 0);
    ready.assign(n_cells, false);
  }

  bool MaterialCache::store(const unsigned int cell_index, const MaterialPointData &data)
  {
    const auto vectors = property_vectors(data);
    static_assert(vectors.size() == n_properties);
    if (data.phase.size() != points_per_cell ||
        std::any_of(vectors.begin(), vectors.end(),
                    [this](const auto *values) { return values->size() != points_per_cell; }))
      return false;
    double *target = properties.data() + std::size_t(cell_index) * n_properties * points_per_cell;
    for (const auto *values : vectors)
      {
        std::copy_n(values->begin(), points_per_cell, target);
        target += points_per_cell;
      }
    std::copy_n(data.phase.begin(), points_per_cell,
                phases.begin() + std::size_t(cell_index) * points_per_cell);
    return true;
  }

  void MaterialCache::load(const unsigned int cell_index, MaterialPointData &data) const
  {
    data.resize(points_per_cell);
    const double *source =
        properties.data() + std::size_t(cell_index) * n_properties * points_per_cell;
    for (auto *values : property_vectors(data))
      {
        std::copy_n(source, points_per_cell, values->begin());
        source += points_per_cell;
      }
    std::copy_n(phases.begin() + std::size_t(cell_index) * points_per_cell, points_per_cell,
                data.phase.begin());
    data.crack_band     = false;
    data.crack_aperture = 0;
  }
} // namespace weaklink
