#include <weaklink/app/application.h>
#include <weaklink/core/input_error.h>
#include <weaklink/ensemble/study.h>

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <random>
#include <set>
#include <sstream>

namespace weaklink
{
  using namespace dealii;

  void Study::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Study");
    prm.declare_entry("Base case", "", Patterns::Anything(),
                      "The weaklink parameter file every sample starts from (relative to this "
                      "file). Its Output/Directory is replaced by the sample's.");
    prm.declare_entry("Output directory", "output/study", Patterns::Anything(),
                      "Where the samples' runs (samples/NAME/), their logs (samples/NAME.log), "
                      "results (results/NAME.json) and the table (table.csv, table.json) go. "
                      "Running the study again skips the samples whose result is there.");
    prm.declare_entry("Classes", "", Patterns::Anything(),
                      "The grid of classes: 'path: value, value, ...' per base-case parameter, "
                      "separated by ';', e.g. 'Material/Microstructure/Porosity: 0.03, 0.08; "
                      "Material/Microstructure/Pore topology: poisson, clustered' (2 x 2 "
                      "classes, the first parameter varying slowest). Empty: one class, the "
                      "base case.");
    prm.declare_entry("Sampler", "grid", Patterns::Selection("grid|latin hypercube|random"),
                      "How class points are drawn in addition to the grid of Classes: 'grid' "
                      "draws none; 'latin hypercube' draws Number of points over Ranges with "
                      "each range cut into that many equal strata, each stratum used once; "
                      "'random' draws them independently uniform. With Classes too, every grid "
                      "class is combined with every drawn point (grid slowest).");
    prm.declare_entry("Ranges", "", Patterns::Anything(),
                      "The numeric parameters a sampler draws and their ranges: 'path: low, "
                      "high' separated by ';', e.g. 'Material/Microstructure/Porosity: 0.02, "
                      "0.12; Material/Microstructure/Cluster fraction: 0, 1'.");
    prm.declare_entry("Number of points", "8", Patterns::Integer(1, 100000),
                      "Points a sampler draws; each is a class of Samples per class seeds.");
    prm.declare_entry("Sampler seed", "1", Patterns::Integer(0),
                      "Seed of the sampler's random numbers (the same points on every machine).");
    prm.declare_entry("Samples per class", "8", Patterns::Integer(1, 1000000),
                      "N: samples of every class, with seeds First seed, ..., First seed + N - 1 "
                      "(the same seeds in every class). Raising it later adds samples and keeps "
                      "the finished ones.");
    prm.declare_entry("First seed", "1", Patterns::Integer(0),
                      "The seed of each class's first sample.");
    prm.declare_entry("Seed parameter", "Material/Microstructure/Seed", Patterns::Anything(),
                      "The base-case parameter that takes the sample's seed.");
    prm.declare_entry("Descriptors", "true", Patterns::Bool(),
                      "Add the defect-network descriptors of each sample's material (generated "
                      "microstructure or segmented image) to its result and the table.");
    prm.declare_entry("Voxel size", "0", Patterns::Double(0),
                      "Voxel edge [m] the descriptors of a generated microstructure are computed "
                      "on; 0: half the grain-boundary width (as weaklink-descriptors).");
    prm.leave_subsection();
  }

  Study::Study(const std::string &filename, const std::string &output_directory)
  {
    ParameterHandler prm;
    declare(prm);
    apply_parameter_assignments(prm, read_parameter_file(filename));
    prm.enter_subsection("Study");
    const std::string base_name    = prm.get("Base case");
    directory                      = prm.get("Output directory");
    const std::string classes      = prm.get("Classes");
    const std::string sampler      = prm.get("Sampler");
    const std::string ranges       = prm.get("Ranges");
    const auto        n_points     = prm.get_integer("Number of points");
    const auto        sampler_seed = prm.get_integer("Sampler seed");
    const auto        n_samples    = prm.get_integer("Samples per class");
    const auto        first        = prm.get_integer("First seed");
    seed_parameter                 = prm.get("Seed parameter");
    with_descriptors               = prm.get_bool("Descriptors");
    descriptor_voxel_size          = prm.get_double("Voxel size");
    prm.leave_subsection();
    if (!output_directory.empty())
      directory = output_directory;

    if (base_name.empty())
      throw InputError(filename + ": Study/Base case is not given");
    if (directory.empty())
      throw InputError(filename + ": Study/Output directory is empty");
    const std::filesystem::path base_path =
        std::filesystem::path(base_name).is_absolute()
            ? std::filesystem::path(base_name)
            : std::filesystem::path(filename).parent_path() / base_name;
    base_case = read_parameter_file(base_path.string());

    ParameterHandler weaklink_parameters;
    declare_all_parameters(weaklink_parameters);
    const auto                  declared = declared_parameter_paths(weaklink_parameters);
    const std::set<std::string> known(declared.begin(), declared.end());
    if (known.count(seed_parameter) == 0)
      throw InputError(filename + ": Study/Seed parameter '" + seed_parameter +
                       "' is not a weaklink parameter");

    // 'path: value, value; path: ...' of Classes and of Ranges.
    const auto axes = [&](const std::string &entry, const std::string &text,
                          const std::string &form) {
      std::vector<std::pair<std::string, std::vector<std::string>>> parsed;
      for (const auto &axis : Utilities::split_string_list(text, ';'))
        {
          if (axis.empty())
            continue;
          const auto colon = axis.find(':');
          if (colon == std::string::npos)
            throw InputError(filename + ": Study/" + entry + ": '" + axis + "' is not '" + form +
                             "'");
          const std::string path = Utilities::trim(axis.substr(0, colon));
          if (known.count(path) == 0)
            throw InputError(filename + ": Study/" + entry + ": '" + path +
                             "' is not a weaklink parameter");
          if (path == seed_parameter)
            throw InputError(filename + ": Study/" + entry + ": '" + path +
                             "' is the seed parameter; the seeds come from Samples per class");
          if (std::find(grid_paths.begin(), grid_paths.end(), path) != grid_paths.end())
            throw InputError(filename + ": Study/Classes and Ranges name '" + path + "' twice");
          std::vector<std::string> values;
          for (const auto &value : Utilities::split_string_list(axis.substr(colon + 1), ','))
            if (!value.empty())
              values.push_back(value);
          if (values.empty())
            throw InputError(filename + ": Study/" + entry + ": '" + path + "' has no values");
          grid_paths.push_back(path);
          parsed.emplace_back(path, values);
        }
      return parsed;
    };

    // The grid, expanded with the first parameter slowest.
    std::vector<std::vector<std::pair<std::string, std::string>>> grid_classes = {{}};
    for (const auto &[path, values] : axes("Classes", classes, "parameter path: value, value, ..."))
      {
        std::vector<std::vector<std::pair<std::string, std::string>>> expanded;
        for (const auto &point : grid_classes)
          for (const auto &value : values)
            {
              expanded.push_back(point);
              expanded.back().emplace_back(path, value);
            }
        grid_classes = expanded;
      }

    // The sampler's points over the ranges.
    std::vector<std::vector<std::pair<std::string, std::string>>> drawn = {{}};
    const auto range_axes = axes("Ranges", ranges, "parameter path: low, high");
    if (sampler == "grid" && !range_axes.empty())
      throw InputError(filename + ": Study/Ranges is set but Study/Sampler is 'grid'; choose "
                                  "'latin hypercube' or 'random'");
    if (sampler != "grid")
      {
        if (range_axes.empty())
          throw InputError(filename + ": Study/Sampler '" + sampler +
                           "' needs Study/Ranges ('path: low, high; ...')");
        std::mt19937_64 random(sampler_seed);
        const auto      uniform = [&]() {
          return (static_cast<double>(random() >> 11) + 0.5) * 0x1.0p-53;
        };
        drawn.assign(n_points, {});
        for (const auto &[path, values] : range_axes)
          {
            double low = 0, high = 0;
            try
              {
                if (values.size() != 2)
                  throw std::invalid_argument("");
                std::size_t used_low = 0, used_high = 0;
                low  = std::stod(values[0], &used_low);
                high = std::stod(values[1], &used_high);
                if (used_low != values[0].size() || used_high != values[1].size())
                  throw std::invalid_argument("");
              }
            catch (const std::exception &)
              {
                throw InputError(filename + ": Study/Ranges: '" + path +
                                 "' needs two numbers 'low, high'");
              }
            if (!(std::isfinite(low) && std::isfinite(high) && low < high))
              throw InputError(filename + ": Study/Ranges: '" + path + "' has low " + values[0] +
                               " not below high " + values[1]);
            // Latin hypercube: a permutation of the strata (Fisher-Yates on the engine's own
            // numbers, the same on every platform), a uniform point in each.
            std::vector<long> stratum(n_points);
            for (long k = 0; k < n_points; ++k)
              stratum[k] = k;
            if (sampler == "latin hypercube")
              for (long k = n_points - 1; k > 0; --k)
                std::swap(stratum[k], stratum[random() % (k + 1)]);
            for (long k = 0; k < n_points; ++k)
              {
                const double fraction =
                    sampler == "latin hypercube" ? (stratum[k] + uniform()) / n_points : uniform();
                std::ostringstream value;
                value << std::setprecision(10) << low + fraction * (high - low);
                drawn[k].emplace_back(path, value.str());
              }
          }
      }

    std::vector<std::vector<std::pair<std::string, std::string>>> class_points;
    for (const auto &grid_point : grid_classes)
      for (const auto &drawn_point : drawn)
        {
          class_points.push_back(grid_point);
          class_points.back().insert(class_points.back().end(), drawn_point.begin(),
                                     drawn_point.end());
        }
    class_count = class_points.size();

    for (unsigned int c = 0; c < class_count; ++c)
      {
        const auto &class_values = class_points[c];
        for (long s = 0; s < n_samples; ++s)
          {
            StudySample sample;
            sample.index        = all_samples.size();
            sample.class_index  = c;
            sample.seed         = first + s;
            sample.class_values = class_values;
            char name[64];
            std::snprintf(name, sizeof(name), "c%02u-s%04llu", c,
                          static_cast<unsigned long long>(sample.seed));
            sample.name = name;
            all_samples.push_back(sample);
          }
        // Every class must be a valid case: its values are checked as a run would.
        CaseParameters check(case_assignments(all_samples.back()));
      }

    std::ostringstream text;
    for (const auto &assignment : base_case)
      if (assignment.path.rfind("Output/", 0) != 0)
        text << assignment.path << " = " << assignment.value << "\n";
    text << "Study/Classes = " << classes;
    if (sampler != "grid")
      text << "\nStudy/Sampler = " << sampler << "\nStudy/Ranges = " << ranges
           << "\nStudy/Number of points = " << n_points
           << "\nStudy/Sampler seed = " << sampler_seed;
    text << "\nStudy/First seed = " << first << "\nStudy/Seed parameter = " << seed_parameter
         << "\nStudy/Descriptors = " << (with_descriptors ? "true" : "false")
         << "\nStudy/Voxel size = " << descriptor_voxel_size << "\n";
    definition_text = text.str();
  }

  std::vector<ParameterAssignment> Study::case_assignments(const StudySample &sample) const
  {
    std::vector<ParameterAssignment> assignments = base_case;
    const auto                       add = [&](const std::string &path, const std::string &value) {
      ParameterAssignment assignment;
      assignment.path  = path;
      assignment.value = value;
      assignment.file  = "study sample " + sample.name;
      assignments.push_back(assignment);
    };
    for (const auto &[path, value] : sample.class_values)
      add(path, value);
    add(seed_parameter, std::to_string(sample.seed));
    add("Output/Directory", sample_directory(sample));
    add("Output/Resume", "false");
    return assignments;
  }

  std::string Study::sample_directory(const StudySample &sample) const
  {
    return (std::filesystem::path(directory) / "samples" / sample.name).string();
  }

  std::string Study::result_file(const StudySample &sample) const
  {
    return (std::filesystem::path(directory) / "results" / (sample.name + ".json")).string();
  }

  std::string Study::log_file(const StudySample &sample) const
  {
    return (std::filesystem::path(directory) / "samples" / (sample.name + ".log")).string();
  }
} // namespace weaklink
