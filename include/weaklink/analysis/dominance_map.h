#pragma once

#include <weaklink/analysis/ensemble_table.h>

#include <mpi.h>

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace weaklink
{
  struct DominanceMapSettings
  {
    /** Class-parameter columns of the axes (path or its last part); "" chooses. */
    std::string   x_column, y_column;
    double        confidence        = 0.9;
    unsigned int  bootstrap_samples = 200;
    unsigned int  pixels            = 81; ///< per axis, over the classes' range
    std::uint64_t seed              = 20261202;
  };

  /**
   * The dominance phase map of a study over two class parameters (porosity
   * × a topology control). Per class: the median of the analysed quantity
   * (Weibull maximum likelihood with right-censoring). Over the plane: a
   * quadratic surface of ln(median) in the standardized axes
   * u = (x − mean)/sd, v = (y − mean)/sd (sd over the classes), whose
   * gradient gives the standardized effects e_x = ∂ln m/∂u, e_y = ∂ln m/∂v:
   * the change of ln(median) per standard deviation of each factor. Where
   * |e_y| > |e_x| the y factor dominates. The boundary |e_x| = |e_y| comes
   * with a band: the pixels where the share of bootstrap replicates (samples
   * redrawn within each class) in which y dominates lies between
   * (1 − C)/2 and (1 + C)/2. The same surface fitted to ln of the classes'
   * median front-speed ratio Λ gives the line Λ = 1 where it crosses the map.
   */
  struct DominanceMap
  {
    std::string x_name, y_name; ///< column names of the axes
    std::string value_name;     ///< e.g. "ccd [mA/cm2]"
    double      confidence = 0.9;

    struct Cell
    {
      unsigned int class_index = 0;
      double       x = 0, y = 0;
      std::size_t  samples = 0, shorted = 0;
      double       median   = 0; ///< NaN where too few samples shorted to fit
      double       lambda   = 0; ///< median Λ of its shorted samples, NaN if none
      double       effect_x = 0, effect_y = 0;
      double       y_dominant_share = 0; ///< of the bootstrap replicates
    };
    std::vector<Cell> cells;

    std::vector<std::string> surface_terms; ///< "1", "u", "v", "u^2", "v^2", "u v"
    std::vector<double>      surface;       ///< coefficients of ln(median)
    double                   x_mean = 0, x_sd = 1, y_mean = 0, y_sd = 1;

    unsigned int        nx = 0, ny = 0; ///< pixel centres span [x_min, x_max] × [y_min, y_max]
    double              x_min = 0, x_max = 1, y_min = 0, y_max = 1;
    std::vector<double> log_median;       ///< the surface, row-major from y_min
    std::vector<double> dominance;        ///< |e_y| − |e_x| of the surface
    std::vector<double> y_dominant_share; ///< bootstrap share with |e_y| > |e_x|
    std::vector<double> log_lambda;       ///< surface of ln Λ; empty when Λ is not known
    unsigned int        bootstrap_used = 0;

    double pixel_x(const unsigned int i) const;
    double pixel_y(const unsigned int j) const;

    /** Line segments {x0, y0, x1, y1} where the pixel @p field crosses zero (marching squares). */
    std::vector<std::array<double, 4>> zero_contour(const std::vector<double> &field) const;
  };

  /**
   * The table columns of the map's axes: those named in @p settings, else
   * the two numeric class parameters (porosity across). InputError when an
   * axis is not a numeric class parameter, or both are the same.
   */
  std::array<std::size_t, 2> dominance_map_axes(const EnsembleTable        &table,
                                                const DominanceMapSettings &settings);

  /**
   * InputError when an axis is not a numeric class parameter with at least
   * two values, or fewer classes than a plane needs have a median.
   */
  DominanceMap compute_dominance_map(const EnsembleTable        &table,
                                     const DominanceMapSettings &settings, MPI_Comm comm);

  void write_dominance_map_report(const DominanceMap &map, std::ostream &out);

  /** The map with a colour bar, legend and title; PNG made from it by render_svg_as_png. */
  void write_dominance_map_svg(const DominanceMap &map, std::ostream &out);
} // namespace weaklink
