#include <weaklink/analysis/dominance_map.h>
#include <weaklink/core/input_error.h>
#include <weaklink/learning/least_squares.h>
#include <weaklink/output/plot_ticks.h>
#include <weaklink/statistics/weibull.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <random>
#include <set>
#include <sstream>

namespace weaklink
{
  double DominanceMap::pixel_x(const unsigned int i) const
  {
    return x_min + (x_max - x_min) * i / (nx - 1);
  }

  double DominanceMap::pixel_y(const unsigned int j) const
  {
    return y_min + (y_max - y_min) * j / (ny - 1);
  }

  std::vector<std::array<double, 4>>
  DominanceMap::zero_contour(const std::vector<double> &field) const
  {
    std::vector<std::array<double, 4>> segments;
    if (field.size() != std::size_t(nx) * ny)
      return segments;
    const auto value = [&](unsigned int i, unsigned int j) { return field[j * nx + i]; };
    // Where a square's edge changes sign, the crossing by linear interpolation.
    const auto crossing = [&](unsigned int i0, unsigned int j0, unsigned int i1,
                              unsigned int j1) -> std::array<double, 2> {
      const double a = value(i0, j0), b = value(i1, j1), s = a / (a - b);
      return {{pixel_x(i0) + s * (pixel_x(i1) - pixel_x(i0)),
               pixel_y(j0) + s * (pixel_y(j1) - pixel_y(j0))}};
    };
    for (unsigned int j = 0; j + 1 < ny; ++j)
      for (unsigned int i = 0; i + 1 < nx; ++i)
        {
          // Corners counter-clockwise, edges between consecutive corners.
          const unsigned int ci[4] = {i, i + 1, i + 1, i}, cj[4] = {j, j, j + 1, j + 1};
          std::vector<std::array<double, 2>> points;
          for (unsigned int e = 0; e < 4; ++e)
            {
              const unsigned int f = (e + 1) % 4;
              if ((value(ci[e], cj[e]) > 0) != (value(ci[f], cj[f]) > 0))
                points.push_back(crossing(ci[e], cj[e], ci[f], cj[f]));
            }
          if (points.size() == 2)
            segments.push_back({{points[0][0], points[0][1], points[1][0], points[1][1]}});
          else if (points.size() == 4)
            {
              // A saddle: pair the crossings by the sign at the square's centre.
              const double centre =
                  (value(i, j) + value(i + 1, j) + value(i + 1, j + 1) + value(i, j + 1)) / 4;
              const bool         first_corner_side = (value(i, j) > 0) == (centre > 0);
              const unsigned int a                 = first_corner_side ? 0 : 1;
              segments.push_back(
                  {{points[a][0], points[a][1], points[a + 1][0], points[a + 1][1]}});
              const unsigned int b = (a + 2) % 4, c = (a + 3) % 4;
              segments.push_back({{points[b][0], points[b][1], points[c][0], points[c][1]}});
            }
        }
    return segments;
  }

  namespace
  {
    /** The quadratic surface in standardized coordinates that the classes determine. */
    struct Surface
    {
      bool                     u_squared = false, v_squared = false, mixed = false;
      std::vector<std::string> terms() const
      {
        std::vector<std::string> names = {"1", "u", "v"};
        if (u_squared)
          names.push_back("u^2");
        if (v_squared)
          names.push_back("v^2");
        if (mixed)
          names.push_back("u v");
        return names;
      }
      std::vector<double> columns(const double u, const double v) const
      {
        std::vector<double> row = {u, v};
        if (u_squared)
          row.push_back(u * u);
        if (v_squared)
          row.push_back(v * v);
        if (mixed)
          row.push_back(u * v);
        return row;
      }
      /** {∂f/∂u, ∂f/∂v} of the coefficients @p c (intercept first). */
      std::array<double, 2> gradient(const std::vector<double> &c, const double u,
                                     const double v) const
      {
        std::array<double, 2> g = {{c[1], c[2]}};
        std::size_t           k = 3;
        if (u_squared)
          g[0] += 2 * c[k++] * u;
        if (v_squared)
          g[1] += 2 * c[k++] * v;
        if (mixed)
          {
            g[0] += c[k] * v;
            g[1] += c[k] * u;
          }
        return g;
      }
      double value(const std::vector<double> &c, const double u, const double v) const
      {
        const auto row = columns(u, v);
        double     f   = c[0];
        for (std::size_t k = 0; k < row.size(); ++k)
          f += c[k + 1] * row[k];
        return f;
      }
    };

    /** Least squares of @p target at the points (u, v); empty if not determined. */
    std::vector<double> fit_surface(const Surface &surface, const std::vector<double> &u,
                                    const std::vector<double> &v, const std::vector<double> &target)
    {
      std::vector<std::vector<double>> columns(surface.terms().size() - 1);
      std::vector<double>              y;
      for (std::size_t p = 0; p < u.size(); ++p)
        if (std::isfinite(target[p]))
          {
            const auto row = surface.columns(u[p], v[p]);
            for (std::size_t k = 0; k < row.size(); ++k)
              columns[k].push_back(row[k]);
            y.push_back(target[p]);
          }
      if (y.size() < columns.size() + 1)
        return {};
      const LeastSquaresFit fit = fit_least_squares(columns, y, true);
      if (!fit.full_rank)
        return {};
      std::vector<double> c = {fit.intercept};
      c.insert(c.end(), fit.coefficients.begin(), fit.coefficients.end());
      return c;
    }

    /** Weibull median (ML, censoring) of @p data; NaN with fewer than three failures. */
    double weibull_median(const FailureData &data)
    {
      try
        {
          data.check();
          const WeibullFit fit = fit_weibull(data);
          return fit.characteristic * std::pow(std::log(2.0), 1 / fit.modulus);
        }
      catch (const std::exception &)
        {
          return std::numeric_limits<double>::quiet_NaN();
        }
    }

    std::size_t axis_column(const EnsembleTable &table, const std::string &name,
                            const std::string &role)
    {
      const CsvTable &csv = table.table();
      for (const auto c : table.class_parameter_columns())
        {
          const std::string path = csv.column_name(c);
          if (name == path || name == path.substr(path.rfind('/') + 1))
            {
              if (!csv.is_numeric(c))
                throw InputError("dominance map: the " + role + " axis '" + path +
                                 "' is not a number in every row");
              return c;
            }
        }
      std::string known;
      for (const auto c : table.class_parameter_columns())
        known += (known.empty() ? "" : ", ") + csv.column_name(c);
      throw InputError("dominance map: '" + name + "' is not a class parameter of the table (" +
                       (known.empty() ? "it has none" : known) + ")");
    }

    /** The standardized value of each class coordinate. */
    void standardize(const std::vector<double> &values, double &mean, double &sd)
    {
      mean = 0;
      for (const double x : values)
        mean += x / values.size();
      sd = 0;
      for (const double x : values)
        sd += (x - mean) * (x - mean) / values.size();
      sd = std::sqrt(sd);
    }
  } // namespace

  std::array<std::size_t, 2> dominance_map_axes(const EnsembleTable        &table,
                                                const DominanceMapSettings &settings)
  {
    const CsvTable &csv      = table.table();
    std::size_t     x_column = 0, y_column = 0;
    if (!settings.x_column.empty() || !settings.y_column.empty())
      {
        if (settings.x_column.empty() || settings.y_column.empty())
          throw InputError("dominance map: name both axes");
        x_column = axis_column(table, settings.x_column, "first");
        y_column = axis_column(table, settings.y_column, "second");
      }
    else
      {
        std::vector<std::size_t> numeric;
        for (const auto c : table.class_parameter_columns())
          if (csv.is_numeric(c))
            numeric.push_back(c);
        if (numeric.size() != 2)
          throw InputError("dominance map: the table has " + std::to_string(numeric.size()) +
                           " numeric class parameters, not 2; name the axes");
        // Porosity across, the other (topology) control up.
        const auto is_porosity = [&](const std::size_t c) {
          std::string name = csv.column_name(c);
          std::transform(name.begin(), name.end(), name.begin(), ::tolower);
          return name.find("porosity") != std::string::npos;
        };
        const bool swap = is_porosity(numeric[1]) && !is_porosity(numeric[0]);
        x_column        = numeric[swap ? 1 : 0];
        y_column        = numeric[swap ? 0 : 1];
      }
    if (x_column == y_column)
      throw InputError("dominance map: both axes are '" + csv.column_name(x_column) + "'");
    return {{x_column, y_column}};
  }

  DominanceMap compute_dominance_map(const EnsembleTable        &table,
                                     const DominanceMapSettings &settings, MPI_Comm comm)
  {
    const CsvTable &csv             = table.table();
    const auto [x_column, y_column] = dominance_map_axes(table, settings);

    DominanceMap map;
    map.x_name     = csv.column_name(x_column);
    map.y_name     = csv.column_name(y_column);
    map.value_name = table.value_name();
    map.confidence = settings.confidence;

    // Λ is optional: a table without the column, or a class none of whose shorted samples had a
    // crack front, has no line.
    std::size_t lambda_column = csv.names().size();
    for (std::size_t c = 0; c < csv.names().size(); ++c)
      if (csv.column_name(c) == "front_speed_ratio")
        lambda_column = c;
    const auto lambda_of = [&](const std::size_t r) {
      if (lambda_column == csv.names().size())
        return std::numeric_limits<double>::quiet_NaN();
      const std::string text = csv.text_column(lambda_column)[r];
      char             *end  = nullptr;
      const double      x    = std::strtod(text.c_str(), &end);
      return end != text.c_str() && *end == '\0' && std::isfinite(x) && x > 0
                 ? x
                 : std::numeric_limits<double>::quiet_NaN();
    };

    std::set<double>         x_levels, y_levels;
    std::vector<FailureData> class_data;
    for (const auto &sample_class : table.classes())
      {
        if (sample_class.rows.empty())
          continue;
        DominanceMap::Cell cell;
        cell.class_index       = sample_class.index;
        cell.x                 = csv.number(sample_class.rows.front(), x_column);
        cell.y                 = csv.number(sample_class.rows.front(), y_column);
        const FailureData data = table.failure_data(sample_class);
        cell.samples           = data.values.size();
        cell.shorted           = data.n_failures();
        cell.median            = weibull_median(data);
        std::vector<double> lambdas;
        for (std::size_t k = 0; k < sample_class.rows.size(); ++k)
          if (!data.censored[k] && std::isfinite(lambda_of(sample_class.rows[k])))
            lambdas.push_back(lambda_of(sample_class.rows[k]));
        std::sort(lambdas.begin(), lambdas.end());
        cell.lambda = lambdas.empty()
                          ? std::numeric_limits<double>::quiet_NaN()
                          : (lambdas[(lambdas.size() - 1) / 2] + lambdas[lambdas.size() / 2]) / 2;
        x_levels.insert(cell.x);
        y_levels.insert(cell.y);
        map.cells.push_back(cell);
        class_data.push_back(data);
      }
    if (x_levels.size() < 2 || y_levels.size() < 2)
      throw InputError("dominance map: '" + map.x_name + "' and '" + map.y_name +
                       "' need at least two values each among the classes, not " +
                       std::to_string(x_levels.size()) + " and " + std::to_string(y_levels.size()));

    std::vector<double> u, v, xs, ys, log_median, log_lambda;
    for (const auto &cell : map.cells)
      {
        xs.push_back(cell.x);
        ys.push_back(cell.y);
        log_median.push_back(std::log(cell.median));
        log_lambda.push_back(std::log(cell.lambda));
      }
    standardize(xs, map.x_mean, map.x_sd);
    standardize(ys, map.y_mean, map.y_sd);
    for (const auto &cell : map.cells)
      {
        u.push_back((cell.x - map.x_mean) / map.x_sd);
        v.push_back((cell.y - map.y_mean) / map.y_sd);
      }

    // The richest surface the fitted classes determine: curvature along an
    // axis needs three levels, and every term needs a class more.
    std::size_t fitted = 0;
    for (const double f : log_median)
      fitted += std::isfinite(f);
    Surface surface;
    surface.u_squared = x_levels.size() >= 3;
    surface.v_squared = y_levels.size() >= 3;
    surface.mixed     = true;
    while (surface.terms().size() > fitted)
      {
        if (surface.mixed)
          surface.mixed = false;
        else if (surface.v_squared)
          surface.v_squared = false;
        else if (surface.u_squared)
          surface.u_squared = false;
        else
          throw InputError("dominance map: only " + std::to_string(fitted) +
                           " classes have enough shorted samples for a median; a plane needs 3");
      }
    map.surface_terms = surface.terms();
    map.surface       = fit_surface(surface, u, v, log_median);
    if (map.surface.empty())
      throw InputError("dominance map: the fitted classes do not determine a surface over '" +
                       map.x_name + "' and '" + map.y_name + "'");
    const std::vector<double> lambda_surface = fit_surface(surface, u, v, log_lambda);

    map.nx = map.ny         = std::max(settings.pixels, 2u);
    map.x_min               = *x_levels.begin();
    map.x_max               = *x_levels.rbegin();
    map.y_min               = *y_levels.begin();
    map.y_max               = *y_levels.rbegin();
    const auto dominance_at = [&](const std::vector<double> &c, const double x, const double y) {
      const auto g = surface.gradient(c, (x - map.x_mean) / map.x_sd, (y - map.y_mean) / map.y_sd);
      return std::abs(g[1]) - std::abs(g[0]);
    };
    for (unsigned int j = 0; j < map.ny; ++j)
      for (unsigned int i = 0; i < map.nx; ++i)
        {
          const double x = map.pixel_x(i), y = map.pixel_y(j);
          map.dominance.push_back(dominance_at(map.surface, x, y));
          map.log_median.push_back(
              surface.value(map.surface, (x - map.x_mean) / map.x_sd, (y - map.y_mean) / map.y_sd));
          if (!lambda_surface.empty())
            map.log_lambda.push_back(surface.value(lambda_surface, (x - map.x_mean) / map.x_sd,
                                                   (y - map.y_mean) / map.y_sd));
        }
    for (std::size_t k = 0; k < map.cells.size(); ++k)
      {
        const auto g          = surface.gradient(map.surface, u[k], v[k]);
        map.cells[k].effect_x = g[0];
        map.cells[k].effect_y = g[1];
      }

    // Bootstrap: samples redrawn within each class, replicate b on rank b % size from its own
    // seed; counts of "y dominates" per pixel and per class summed over the ranks.
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const std::size_t   n_pixels = map.dominance.size(), n_cells = map.cells.size();
    std::vector<double> counts(n_pixels + n_cells + 1, 0.0);
    for (unsigned int b = static_cast<unsigned int>(rank); b < settings.bootstrap_samples;
         b += static_cast<unsigned int>(size))
      {
        std::mt19937_64     random(settings.seed + 104729ULL * (b + 1));
        std::vector<double> replicate_median;
        for (const auto &data : class_data)
          {
            FailureData redrawn;
            for (std::size_t k = 0; k < data.values.size(); ++k)
              {
                const std::size_t pick = random() % data.values.size();
                redrawn.values.push_back(data.values[pick]);
                redrawn.censored.push_back(data.censored[pick]);
              }
            replicate_median.push_back(std::log(weibull_median(redrawn)));
          }
        const std::vector<double> c = fit_surface(surface, u, v, replicate_median);
        if (c.empty())
          continue;
        counts[n_pixels + n_cells] += 1;
        for (std::size_t p = 0; p < n_pixels; ++p)
          counts[p] += dominance_at(c, map.pixel_x(p % map.nx), map.pixel_y(p / map.nx)) > 0;
        for (std::size_t k = 0; k < n_cells; ++k)
          counts[n_pixels + k] += dominance_at(c, map.cells[k].x, map.cells[k].y) > 0;
      }
    MPI_Allreduce(MPI_IN_PLACE, counts.data(), static_cast<int>(counts.size()), MPI_DOUBLE, MPI_SUM,
                  comm);
    map.bootstrap_used = static_cast<unsigned int>(counts.back());
    const double used  = std::max(1.0, counts.back());
    for (std::size_t p = 0; p < n_pixels; ++p)
      map.y_dominant_share.push_back(counts[p] / used);
    for (std::size_t k = 0; k < n_cells; ++k)
      map.cells[k].y_dominant_share = counts[n_pixels + k] / used;
    return map;
  }

  namespace
  {
    std::string short_name(const std::string &path)
    {
      return path.substr(path.rfind('/') + 1);
    }

    /** Where @p field changes sign along each row (or column) of pixels, as text. */
    std::string crossings(const DominanceMap &map, const std::vector<double> &field,
                          const bool along_x)
    {
      std::ostringstream text;
      text << std::setprecision(4);
      const unsigned int lines = along_x ? map.ny : map.nx, steps = along_x ? map.nx : map.ny;
      const unsigned int stride = std::max(1u, (lines - 1) / 4);
      for (unsigned int line = 0; line < lines; line += stride)
        {
          text << "    at " << (along_x ? short_name(map.y_name) : short_name(map.x_name)) << " = "
               << (along_x ? map.pixel_y(line) : map.pixel_x(line)) << ":";
          bool any = false;
          for (unsigned int s = 0; s + 1 < steps; ++s)
            {
              const std::size_t p = along_x ? line * map.nx + s : s * map.nx + line;
              const std::size_t q = along_x ? p + 1 : p + map.nx;
              if ((field[p] > 0) != (field[q] > 0))
                {
                  const double t = field[p] / (field[p] - field[q]);
                  const double position =
                      along_x ? map.pixel_x(s) + t * (map.pixel_x(s + 1) - map.pixel_x(s))
                              : map.pixel_y(s) + t * (map.pixel_y(s + 1) - map.pixel_y(s));
                  text << " " << (along_x ? short_name(map.x_name) : short_name(map.y_name))
                       << " = " << position;
                  any = true;
                }
            }
          text << (any ? "\n" : " none\n");
        }
      return text.str();
    }
  } // namespace

  void write_dominance_map_report(const DominanceMap &map, std::ostream &out)
  {
    const std::string x = short_name(map.x_name), y = short_name(map.y_name);
    const double      low = (1 - map.confidence) / 2;
    out << "Dominance map of the median '" << map.value_name << "' over '" << map.x_name
        << "' (x) and '" << map.y_name << "' (y)\n"
        << "  surface ln(median) = ";
    for (std::size_t k = 0; k < map.surface.size(); ++k)
      out << (k == 0               ? ""
              : map.surface[k] < 0 ? " - "
                                   : " + ")
          << std::setprecision(4) << (k == 0 ? map.surface[k] : std::abs(map.surface[k]))
          << (k ? " " + map.surface_terms[k] : "");
    out << "\n  u = (x - " << map.x_mean << ")/" << map.x_sd << ", v = (y - " << map.y_mean << ")/"
        << map.y_sd << "; effects e = d ln(median) per standard deviation of a factor\n"
        << "  " << map.bootstrap_used << " bootstrap replicates (samples redrawn within each "
        << "class)\n"
        << std::left << "  " << std::setw(7) << "class" << std::setw(12) << x.substr(0, 11)
        << std::setw(12) << y.substr(0, 11) << std::setw(9) << "shorted" << std::setw(12)
        << "median" << std::setw(10) << "e_x" << std::setw(10) << "e_y" << std::setw(14)
        << "dominant" << std::setw(16) << "share y dom."
        << "median Λ\n";
    for (const auto &cell : map.cells)
      {
        const std::string dominant = cell.y_dominant_share >= 1 - low ? y
                                     : cell.y_dominant_share <= low   ? x
                                                                      : "uncertain";
        out << "  " << std::setw(7) << cell.class_index << std::setw(12) << cell.x << std::setw(12)
            << cell.y << std::setw(9)
            << (std::to_string(cell.shorted) + "/" + std::to_string(cell.samples)) << std::setw(12)
            << cell.median << std::setw(10) << cell.effect_x << std::setw(10) << cell.effect_y
            << std::setw(14) << dominant.substr(0, 13) << std::setw(16) << cell.y_dominant_share
            << cell.lambda << "\n";
      }
    out << std::right << "  boundary |e_x| = |e_y| (" << y << " dominates where |e_y| is larger):\n"
        << crossings(map, map.dominance, true);
    std::vector<double> band_lower(map.y_dominant_share.size()),
        band_upper(map.y_dominant_share.size());
    for (std::size_t p = 0; p < band_lower.size(); ++p)
      {
        band_lower[p] = map.y_dominant_share[p] - low;
        band_upper[p] = map.y_dominant_share[p] - (1 - low);
      }
    out << "  edges of its " << std::lround(100 * map.confidence) << " % band (" << y
        << " dominates in fewer than " << 100 * low << " % / more than " << 100 * (1 - low)
        << " % of the replicates):\n"
        << crossings(map, band_lower, true) << crossings(map, band_upper, true);
    if (map.log_lambda.empty())
      out << "  Λ = 1: no line (too few classes with a front-speed ratio)\n";
    else
      out << "  Λ = v_crack/v_Li = 1 (dry cracks where Λ > 1):\n"
          << crossings(map, map.log_lambda, false);
  }

  namespace
  {
    /** A perceptually ordered colour ramp (dark blue → green → yellow) at t in [0, 1]. */
    std::string ramp_colour(const double t)
    {
      const double stops[5][3] = {
          {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
      const double s = std::clamp(t, 0.0, 1.0) * 4;
      const int    k = std::min(3, static_cast<int>(s));
      char         hex[8];
      int          rgb[3];
      for (int c = 0; c < 3; ++c)
        rgb[c] =
            static_cast<int>(std::lround(stops[k][c] + (s - k) * (stops[k + 1][c] - stops[k][c])));
      std::snprintf(hex, sizeof(hex), "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
      return hex;
    }

    /** Cell edges: midway between neighbouring levels, half a spacing beyond the ends. */
    std::vector<double> edges(const std::set<double> &levels)
    {
      const std::vector<double> l(levels.begin(), levels.end());
      std::vector<double>       e = {l[0] - (l[1] - l[0]) / 2};
      for (std::size_t k = 0; k + 1 < l.size(); ++k)
        e.push_back((l[k] + l[k + 1]) / 2);
      e.push_back(l.back() + (l.back() - l[l.size() - 2]) / 2);
      return e;
    }
  } // namespace

  void write_dominance_map_svg(const DominanceMap &map, std::ostream &out)
  {
    std::set<double> x_levels, y_levels;
    double           low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto &cell : map.cells)
      {
        x_levels.insert(cell.x);
        y_levels.insert(cell.y);
        if (std::isfinite(cell.median))
          {
            low  = std::min(low, std::log(cell.median));
            high = std::max(high, std::log(cell.median));
          }
      }
    if (!(high > low))
      high = low + 1;
    // A full grid of classes is drawn as cells between its levels; scattered classes (a
    // sampler) over the range they cover.
    std::set<std::pair<double, double>> points;
    for (const auto &cell : map.cells)
      points.emplace(cell.x, cell.y);
    const bool                grid    = points.size() == x_levels.size() * y_levels.size();
    const std::vector<double> x_edges = grid ? edges(x_levels)
                                             : std::vector<double>{map.x_min, map.x_max},
                              y_edges = grid ? edges(y_levels)
                                             : std::vector<double>{map.y_min, map.y_max};
    const double width = 900, height = 600, left = 90, right = 320, top = 70, bottom = 70;
    const auto   sx = [&](double x) {
      return left +
             (x - x_edges.front()) / (x_edges.back() - x_edges.front()) * (width - left - right);
    };
    const auto sy = [&](double y) {
      return height - bottom -
             (y - y_edges.front()) / (y_edges.back() - y_edges.front()) * (height - top - bottom);
    };
    const auto level_of = [&](const std::set<double> &levels, const std::vector<double> &e,
                              const double value, const bool upper) {
      const auto k = std::distance(levels.begin(), levels.find(value));
      return e[k + (upper ? 1 : 0)];
    };
    const std::string x = short_name(map.x_name), y = short_name(map.y_name);

    out << std::setprecision(6) << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
        << "\" height=\"" << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    // A full grid of classes: cells coloured by ln(median), labelled with the median and the
    // dominant factor. Scattered classes (a sampler): the fitted surface as the background and
    // each class as a disc of its own median.
    out << "<clipPath id=\"frame\"><rect x=\"" << left << "\" y=\"" << top << "\" width=\""
        << width - left - right << "\" height=\"" << height - top - bottom
        << "\"/></clipPath>\n<g clip-path=\"url(#frame)\">\n";
    if (!grid)
      {
        const unsigned int step = std::max(1u, map.nx / 40);
        const double       dx   = (map.x_max - map.x_min) / (map.nx - 1) * step,
                     dy         = (map.y_max - map.y_min) / (map.ny - 1) * step;
        for (unsigned int j = 0; j < map.ny; j += step)
          for (unsigned int i = 0; i < map.nx; i += step)
            out << "<rect x=\"" << sx(map.pixel_x(i) - dx / 2) << "\" y=\""
                << sy(map.pixel_y(j) + dy / 2) << "\" width=\""
                << sx(map.pixel_x(i) + dx / 2) - sx(map.pixel_x(i) - dx / 2) + 0.5 << "\" height=\""
                << sy(map.pixel_y(j) - dy / 2) - sy(map.pixel_y(j) + dy / 2) + 0.5 << "\" fill=\""
                << ramp_colour((map.log_median[j * map.nx + i] - low) / (high - low)) << "\"/>\n";
        for (const auto &cell : map.cells)
          out << "<circle cx=\"" << sx(cell.x) << "\" cy=\"" << sy(cell.y) << "\" r=\"7\" fill=\""
              << (std::isfinite(cell.median)
                      ? ramp_colour((std::log(cell.median) - low) / (high - low))
                      : "#bbbbbb")
              << "\" stroke=\"white\" stroke-width=\"1.5\"/>\n";
      }
    for (const auto &cell : map.cells)
      if (grid)
        {
          const double x0   = sx(level_of(x_levels, x_edges, cell.x, false)),
                       x1   = sx(level_of(x_levels, x_edges, cell.x, true)),
                       y0   = sy(level_of(y_levels, y_edges, cell.y, true)),
                       y1   = sy(level_of(y_levels, y_edges, cell.y, false));
          const bool fitted = std::isfinite(cell.median);
          out << "<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << x1 - x0 << "\" height=\""
              << y1 - y0 << "\" fill=\""
              << (fitted ? ramp_colour((std::log(cell.median) - low) / (high - low)) : "#bbbbbb")
              << "\" stroke=\"white\"/>\n";
          std::ostringstream label;
          label << std::setprecision(3);
          if (fitted)
            label << cell.median;
          else
            label << "n/a (" << cell.shorted << " shorted)";
          const double tone = fitted ? (std::log(cell.median) - low) / (high - low) : 1;
          const char  *ink  = tone > 0.6 ? "black" : "white";
          out << "<text x=\"" << (x0 + x1) / 2 << "\" y=\"" << (y0 + y1) / 2 - 2
              << "\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"" << ink << "\">"
              << label.str() << "</text>\n";
          const double      lower    = (1 - map.confidence) / 2;
          const std::string dominant = cell.y_dominant_share >= 1 - lower ? y
                                       : cell.y_dominant_share <= lower   ? x
                                                                          : "?";
          out << "<text x=\"" << (x0 + x1) / 2 << "\" y=\"" << (y0 + y1) / 2 + 13
              << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"" << ink << "\">"
              << dominant.substr(0, 18) << "</text>\n";
        }
    // The uncertain band as translucent grey pixels, then the boundary and Λ = 1 as lines.
    const double lower = (1 - map.confidence) / 2;
    const double dx    = (map.x_max - map.x_min) / (map.nx - 1),
                 dy    = (map.y_max - map.y_min) / (map.ny - 1);
    for (unsigned int j = 0; j < map.ny; ++j)
      for (unsigned int i = 0; i < map.nx; ++i)
        {
          const double share = map.y_dominant_share[j * map.nx + i];
          if (share > lower && share < 1 - lower)
            out << "<rect x=\"" << sx(map.pixel_x(i) - dx / 2) << "\" y=\""
                << sy(map.pixel_y(j) + dy / 2) << "\" width=\""
                << sx(map.pixel_x(i) + dx / 2) - sx(map.pixel_x(i) - dx / 2) << "\" height=\""
                << sy(map.pixel_y(j) - dy / 2) - sy(map.pixel_y(j) + dy / 2)
                << "\" fill=\"#ffffff\" fill-opacity=\"0.35\"/>\n";
        }
    // Segments chained into polylines, so that a dashed line is dashed along its length.
    const auto polyline = [&](std::vector<std::array<double, 4>> segments,
                              const std::string                 &style) {
      const auto same = [&](const double ax, const double ay, const double bx, const double by) {
        return std::abs(ax - bx) <= 1e-9 * (map.x_max - map.x_min) &&
               std::abs(ay - by) <= 1e-9 * (map.y_max - map.y_min);
      };
      while (!segments.empty())
        {
          std::vector<std::array<double, 2>> points = {{{segments.back()[0], segments.back()[1]}},
                                                       {{segments.back()[2], segments.back()[3]}}};
          segments.pop_back();
          for (bool grown = true; grown;)
            {
              grown = false;
              for (std::size_t k = 0; k < segments.size() && !grown; ++k)
                for (const bool reversed : {false, true})
                  {
                    const auto  &s  = segments[k];
                    const double ax = reversed ? s[2] : s[0], ay = reversed ? s[3] : s[1];
                    const double bx = reversed ? s[0] : s[2], by = reversed ? s[1] : s[3];
                    const auto  &end = points.back();
                    if (same(ax, ay, end[0], end[1]))
                      points.push_back({{bx, by}});
                    else if (same(bx, by, points.front()[0], points.front()[1]))
                      points.insert(points.begin(), std::array<double, 2>{{ax, ay}});
                    else
                      continue;
                    segments.erase(segments.begin() + k);
                    grown = true;
                    break;
                  }
            }
          out << "<polyline fill=\"none\" points=\"";
          for (const auto &p : points)
            out << sx(p[0]) << "," << sy(p[1]) << " ";
          out << "\" " << style << "/>\n";
        }
    };
    polyline(map.zero_contour(map.dominance), "stroke=\"black\" stroke-width=\"2.5\"");
    polyline(map.zero_contour(map.log_lambda),
             "stroke=\"#d62728\" stroke-width=\"2.5\" stroke-dasharray=\"8,5\"");

    out << "</g>\n";
    // Frame and axes: the class levels of a grid as ticks, else round numbers.
    out << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << width - left - right
        << "\" height=\"" << height - top - bottom << "\" fill=\"none\" stroke=\"black\"/>\n";
    for (const double level : grid ? std::vector<double>(x_levels.begin(), x_levels.end())
                                   : round_ticks(map.x_min, map.x_max))
      out << "<text x=\"" << sx(level) << "\" y=\"" << height - bottom + 18
          << "\" text-anchor=\"middle\">" << level << "</text>\n";
    for (const double level : grid ? std::vector<double>(y_levels.begin(), y_levels.end())
                                   : round_ticks(map.y_min, map.y_max))
      out << "<text x=\"" << left - 8 << "\" y=\"" << sy(level) + 4 << "\" text-anchor=\"end\">"
          << level << "</text>\n";
    out << "<text x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 25
        << "\" text-anchor=\"middle\">" << map.x_name << "</text>\n"
        << "<text transform=\"translate(22," << (top + height - bottom) / 2
        << ") rotate(-90)\" text-anchor=\"middle\">" << map.y_name << "</text>\n"
        << "<text x=\"" << left << "\" y=\"28\" font-size=\"15\" font-weight=\"bold\">"
        << "Dominance map: median " << map.value_name << " per class</text>\n"
        << "<text x=\"" << left << "\" y=\"48\">which factor moves ln(median) more per standard "
        << "deviation over the map; " << map.bootstrap_used << " bootstrap replicates</text>\n";

    // Colour bar (log scale of the median) and legend.
    const double bar_x = width - right + 30, bar_top = top + 25, bar_height = 240;
    for (int k = 0; k < 64; ++k)
      out << "<rect x=\"" << bar_x << "\" y=\"" << bar_top + bar_height * (63 - k) / 64.0
          << "\" width=\"18\" height=\"" << bar_height / 64.0 + 0.5 << "\" fill=\""
          << ramp_colour(k / 63.0) << "\"/>\n";
    out << "<rect x=\"" << bar_x << "\" y=\"" << bar_top << "\" width=\"18\" height=\""
        << bar_height << "\" fill=\"none\" stroke=\"black\"/>\n";
    for (int k = 0; k <= 4; ++k)
      {
        const double value = std::exp(low + (high - low) * k / 4.0);
        out << "<text x=\"" << bar_x + 24 << "\" y=\"" << bar_top + bar_height * (1 - k / 4.0) + 4
            << "\">" << std::setprecision(3) << value << "</text>\n";
      }
    out << std::setprecision(6) << "<text x=\"" << bar_x << "\" y=\"" << bar_top - 10
        << "\">median " << map.value_name << "</text>\n";
    double     legend_y    = bar_top + bar_height + 40;
    const auto legend_line = [&](const std::string &style, const std::string &text) {
      out << "<line x1=\"" << bar_x << "\" x2=\"" << bar_x + 30 << "\" y1=\"" << legend_y
          << "\" y2=\"" << legend_y << "\" " << style << "/>\n<text x=\"" << bar_x + 38 << "\" y=\""
          << legend_y + 4 << "\">" << text << "</text>\n";
      legend_y += 22;
    };
    legend_line("stroke=\"black\" stroke-width=\"2.5\"", "equal effects |e_x| = |e_y|");
    out << "<rect x=\"" << bar_x << "\" y=\"" << legend_y - 7 << "\" width=\"30\" height=\"14\" "
        << "fill=\"#888888\" stroke=\"#888888\"/><rect x=\"" << bar_x << "\" y=\"" << legend_y - 7
        << "\" width=\"30\" height=\"14\" fill=\"#ffffff\" fill-opacity=\"0.35\"/>\n<text x=\""
        << bar_x + 38 << "\" y=\"" << legend_y + 4 << "\">" << std::lround(100 * map.confidence)
        << " % bootstrap band</text>\n";
    legend_y += 22;
    if (!map.log_lambda.empty())
      legend_line("stroke=\"#d62728\" stroke-width=\"2.5\" stroke-dasharray=\"8,5\"",
                  "Λ = v_crack/v_Li = 1 (dry cracks: Λ > 1)");
    if (grid)
      out << "<text x=\"" << bar_x << "\" y=\"" << legend_y + 4 << "\" font-size=\"11\">cell text: "
          << "median, dominant factor</text>\n"
          << "<text x=\"" << bar_x << "\" y=\"" << legend_y + 20 << "\" font-size=\"11\">('?' "
          << "within the band)</text>\n";
    else
      out << "<text x=\"" << bar_x << "\" y=\"" << legend_y + 4 << "\" font-size=\"11\">discs: "
          << "classes (their median);</text>\n"
          << "<text x=\"" << bar_x << "\" y=\"" << legend_y + 20 << "\" font-size=\"11\">"
          << "background: the fitted surface</text>\n";
    out << "</svg>\n";
  }
} // namespace weaklink
