#pragma once

#include <weaklink/material/material_field.h>

#include <vector>

namespace weaklink
{
  /**
   * The material at the Gauss points of every active cell of one mesh,
   * evaluated once and reused by every assembly until the mesh changes: a
   * generated microstructure finds the nearest grain seeds of each point, a
   * tenth of a residual's cost, for data that does not change.
   */
  class MaterialCache
  {
  public:
    /** Forget everything: a new mesh. */
    void clear();

    /**
     * The material at the @p n_points Gauss points of cell @p cell_index (of
     * @p n_cells) into @p data; @p evaluate(data) computes it the first time
     * the cell is asked for.
     */
    template <typename Evaluate>
    void get(const unsigned int cell_index, const unsigned int n_cells, const unsigned int n_points,
             const Evaluate &evaluate, MaterialPointData &data)
    {
      if (ready.size() != n_cells || points_per_cell != n_points)
        reset(n_cells, n_points);
      if (!ready[cell_index])
        {
          evaluate(data);
          ready[cell_index] = store(cell_index, data);
          return;
        }
      load(cell_index, data);
    }

  private:
    void reset(const unsigned int n_cells, const unsigned int n_points);
    /** False (nothing stored) unless every property has one value per point. */
    bool store(const unsigned int cell_index, const MaterialPointData &data);
    void load(const unsigned int cell_index, MaterialPointData &data) const;

    static constexpr unsigned int n_properties    = 7;
    unsigned int                  points_per_cell = 0;
    std::vector<double>           properties; ///< [cell][property][point]
    std::vector<unsigned char>    phases;     ///< [cell][point]
    std::vector<bool>             ready;      ///< [cell]
  };
} // namespace weaklink
