#pragma once

#include <weaklink/core/parameter_file.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace weaklink
{
  /** One simulation of a study: a class (a point of the parameter grid) and a seed. */
  struct StudySample
  {
    unsigned int  index       = 0; ///< position in the study, class by class
    unsigned int  class_index = 0;
    std::uint64_t seed        = 0;
    std::string   name; ///< "c02-s0007": file names and the table's sample column
    /** The class's parameter values: (parameter path, value), in the grid's order. */
    std::vector<std::pair<std::string, std::string>> class_values;
  };

  /**
   * A study file for weaklink-ensemble (subsection Study): a base case, a
   * grid of classes over base-case parameters, and N samples per class that
   * differ in their seed. The samples' outputs, their results and the table
   * go to one output directory; see doc/ensembles.md.
   */
  class Study
  {
  public:
    /** Reads and checks @p filename; InputError for anything wrong with it or its classes. */
    /** Reads and checks @p filename; @p output_directory, if given, replaces Study/Output
     * directory. */
    explicit Study(const std::string &filename, const std::string &output_directory = "");

    /** Every parameter of a study file, documented (weaklink-ensemble --print-parameters). */
    static void declare(dealii::ParameterHandler &prm);

    const std::vector<StudySample> &samples() const { return all_samples; }
    unsigned int                    n_classes() const { return class_count; }
    /** The grid's parameter paths, in order. */
    const std::vector<std::string> &grid_parameters() const { return grid_paths; }

    /** The base case with the sample's class values, seed and output directory. */
    std::vector<ParameterAssignment> case_assignments(const StudySample &sample) const;

    const std::string &output_directory() const { return directory; }
    std::string        sample_directory(const StudySample &sample) const;
    std::string        result_file(const StudySample &sample) const;
    std::string        log_file(const StudySample &sample) const;
    /** Voxel edge for the descriptors (0: half the grain-boundary width). */
    double voxel_size() const { return descriptor_voxel_size; }
    bool   computes_descriptors() const { return with_descriptors; }

    /**
     * What defines the results: the base case's assignments and the study's
     * own, one per line. A rerun into the same directory must have the same.
     */
    const std::string &definition() const { return definition_text; }

  private:
    std::string                      directory;
    std::vector<ParameterAssignment> base_case;
    std::string                      seed_parameter;
    std::vector<std::string>         grid_paths;
    unsigned int                     class_count = 0;
    std::vector<StudySample>         all_samples;
    double                           descriptor_voxel_size = 0;
    bool                             with_descriptors      = true;
    std::string                      definition_text;
  };
} // namespace weaklink
