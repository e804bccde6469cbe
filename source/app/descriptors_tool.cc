// weaklink-descriptors: defect-network descriptors of generated microstructures,
// without any simulation (many samples, split over the ranks).
#include <weaklink/app/tool_mains.h>
#include <weaklink/core/case_file.h>
#include <weaklink/core/decimal_number.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/json.h>
#include <weaklink/descriptors/defect_descriptors.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/microstructure/phase_image.h>
#include <weaklink/microstructure/segmented_image.h>

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace
{
  const char *usage =
      "usage: weaklink-descriptors case.prm [--samples N] [--voxel-size H] [--output PREFIX]\n"
      "                            [--images K] [--periodic none|x|z|x,z]\n"
      "       weaklink-descriptors --list 2|3\n"
      "  Generates N microstructures (Material/Microstructure of case.prm with seeds\n"
      "  Seed, Seed+1, ...), samples each on voxels of edge H (default: half the\n"
      "  grain-boundary width) and writes their defect-network descriptors to\n"
      "  PREFIX.csv (header cells 'name [unit]', ready for weaklink-sisso) and\n"
      "  PREFIX.json (default PREFIX: descriptors). --images K also writes the\n"
      "  phases and defect-cluster labels of the first K samples as legacy VTK\n"
      "  images PREFIX_NNNN.vtk. --list prints the descriptors with units and\n"
      "  definitions (doc/descriptors.md). With Material/Type = image, case.prm\n"
      "  names a segmented image instead, and its descriptors are written.\n"
      "  --periodic treats the sample as periodic in the lateral directions given\n"
      "  (default: Material/Microstructure/Periodic directions; none for images).\n";

  struct Sample
  {
    std::vector<double> values;
    double              generate_seconds = 0, describe_seconds = 0;
  };

  template <int dim>
  Sample describe(const weaklink::SeparatorGeometry &g, weaklink::MicrostructureParameters micro,
                  const double voxel_size, const weaklink::PeriodicAxes &periodic,
                  const std::string &image)
  {
    using namespace weaklink;
    using clock                 = std::chrono::steady_clock;
    const double       sizes[3] = {g.width, g.thickness, g.depth};
    dealii::Point<dim> extent;
    for (unsigned int d = 0; d < dim; ++d)
      extent[d] = sizes[d];
    const auto                t0 = clock::now();
    const Microstructure<dim> microstructure(micro, extent);
    const VoxelGrid           grid   = voxel_grid_for<dim>(extent, voxel_size);
    const auto                phases = rasterize(microstructure, grid);
    const auto                t1     = clock::now();
    Sample                    sample;
    sample.values           = compute_defect_descriptors(grid, phases, periodic);
    sample.generate_seconds = std::chrono::duration<double>(t1 - t0).count();
    sample.describe_seconds = std::chrono::duration<double>(clock::now() - t1).count();
    if (!image.empty())
      {
        std::vector<std::uint8_t> defects(phases.size());
        for (std::size_t v = 0; v < phases.size(); ++v)
          defects[v] = phases[v] >= 2;
        const auto    clusters = label_voxels(grid, defects, false, periodic);
        std::ofstream out(image);
        out << "# vtk DataFile Version 3.0\nweaklink microstructure seed " << micro.seed
            << "\nASCII\nDATASET STRUCTURED_POINTS\nDIMENSIONS " << grid.n[0] << " " << grid.n[1]
            << " " << grid.n[2] << "\nORIGIN " << 0.5 * grid.spacing[0] << " "
            << 0.5 * grid.spacing[1] << " " << (dim == 3 ? 0.5 * grid.spacing[2] : 0.0)
            << "\nSPACING " << grid.spacing[0] << " " << grid.spacing[1] << " "
            << (dim == 3 ? grid.spacing[2] : 1.0) << "\nPOINT_DATA " << grid.size()
            << "\nSCALARS phase unsigned_char 1\nLOOKUP_TABLE default\n";
        for (const auto p : phases)
          out << int(p) << "\n";
        out << "SCALARS defect_cluster unsigned_int 1\nLOOKUP_TABLE default\n";
        for (const auto l : clusters.label)
          out << l << "\n";
      }
    return sample;
  }

  /** Whether @p file can be written; leaves no file behind (the samples may still fail). */
  bool can_write(const std::string &file)
  {
    const bool existed  = std::filesystem::exists(file);
    const bool writable = static_cast<bool>(std::ofstream(file, std::ios::app));
    if (writable && !existed)
      std::filesystem::remove(file);
    return writable;
  }

  // One row per sample: sample number, seed, descriptors.
  void write_tables(std::ostream &csv, std::ostream &json,
                    const std::vector<weaklink::DescriptorDefinition> &definitions,
                    const std::vector<const double *>                 &values,
                    const std::vector<std::uint64_t>                  &seeds)
  {
    csv << "sample,seed";
    for (const auto &definition : definitions)
      csv << "," << definition.name << " [" << definition.unit << "]";
    csv << "\n";
    json << "{\n  \"descriptors\": [";
    for (std::size_t k = 0; k < definitions.size(); ++k)
      json << (k ? "," : "") << "\n    {\"name\": " << weaklink::json_string(definitions[k].name)
           << ", \"unit\": " << weaklink::json_string(definitions[k].unit)
           << ", \"definition\": " << weaklink::json_string(definitions[k].definition) << "}";
    json << "\n  ],\n  \"samples\": [";
    char text[32];
    for (std::size_t s = 0; s < values.size(); ++s)
      {
        csv << s << "," << seeds[s];
        json << (s ? "," : "") << "\n    {\"sample\": " << s << ", \"seed\": " << seeds[s];
        for (std::size_t k = 0; k < definitions.size(); ++k)
          {
            // An undefined statistic (NaN) is an empty cell and a JSON null.
            const bool defined = std::isfinite(values[s][k]);
            std::snprintf(text, sizeof(text), "%.10g", values[s][k]);
            csv << "," << (defined ? text : "");
            json << ", " << weaklink::json_string(definitions[k].name) << ": "
                 << (defined ? text : "null");
          }
        csv << "\n";
        json << "}";
      }
    json << "\n  ]\n}\n";
  }

  /** @p mine of every rank, in rank order, on rank 0 (empty elsewhere). */
  std::vector<double> gather_on_first_rank(const std::vector<double> &mine)
  {
    int rank = 0, n_ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
    const int        count = static_cast<int>(mine.size());
    std::vector<int> counts(n_ranks), offsets(n_ranks, 0);
    MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    for (int r = 1; r < n_ranks; ++r)
      offsets[r] = offsets[r - 1] + counts[r - 1];
    std::vector<double> all(rank == 0 ? offsets.back() + counts.back() : 0);
    MPI_Gatherv(mine.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                MPI_DOUBLE, 0, MPI_COMM_WORLD);
    return all;
  }

  int describe_samples(int argc, char **argv, const int rank, const int n_ranks)
  {
    using namespace weaklink;
    try
      {
        std::string  parameter_file, prefix = "descriptors", periodic_option;
        bool         periodic_given = false;
        unsigned int n_samples = 1, n_images = 0;
        double       voxel_size = 0;
        for (int i = 1; i < argc; ++i)
          {
            const std::string argument = argv[i];
            const auto        value    = [&]() -> std::string {
              if (i + 1 >= argc)
                throw InputError("option " + argument + " needs a value");
              return argv[++i];
            };
            if (argument == "--help" || argument == "-h")
              {
                if (rank == 0)
                  std::cout << usage;
                return 0;
              }
            else if (argument == "--list")
              {
                const std::string d = value();
                if (d != "2" && d != "3")
                  throw InputError("--list takes 2 or 3");
                if (rank == 0)
                  {
                    std::cout << "| # | descriptor | unit | definition |\n|---|---|---|---|\n";
                    unsigned int k = 0;
                    for (const auto &definition : defect_descriptor_definitions(std::stoi(d)))
                      std::cout << "| " << ++k << " | `" << definition.name << "` | "
                                << definition.unit << " | " << definition.definition << " |\n";
                  }
                return 0;
              }
            else if (argument == "--samples")
              n_samples = weaklink::count_argument(argument, value(), 1);
            else if (argument == "--voxel-size")
              voxel_size = weaklink::number_argument(argument, value(), "a positive length [m]",
                                                     [](const double v) { return v > 0; });
            else if (argument == "--output")
              prefix = value();
            else if (argument == "--images")
              n_images = weaklink::count_argument(argument, value(), 0);
            else if (argument == "--periodic")
              {
                periodic_option = value();
                periodic_given  = true;
              }
            else if (!argument.empty() && argument[0] == '-')
              throw InputError("unknown option '" + argument + "' (see --help)");
            else if (parameter_file.empty())
              parameter_file = argument;
            else
              throw InputError("unexpected argument '" + argument + "' (see --help)");
          }
        if (parameter_file.empty())
          throw InputError("expected a parameter file (see --help)");
        const CaseFile     case_file(read_parameter_file(parameter_file));
        const unsigned int dim = case_file.values().get_integer("Dimension");
        SeparatorGeometry  geometry;
        geometry.parse(case_file.values());
        const auto        material = case_file.values("Material");
        const std::string type     = material.get("Type");
        if (type == "image")
          {
            // A segmented image is one sample: describe it and stop.
            const SegmentedImageSource source = parse_image_source(material);
            const auto                 image  = SegmentedImage::read(source, dim);
            const auto                &g      = geometry;
            if (g.type == "box")
              image.check_covers({{g.width, g.thickness, g.depth}}, source.file);
            const auto definitions = defect_descriptor_definitions(dim);
            const auto values      = compute_defect_descriptors(
                     image.grid, image.phases, parse_periodic_axes(periodic_option, dim));
            if (rank == 0)
              {
                std::ofstream csv(prefix + ".csv"), json(prefix + ".json");
                if (!csv || !json)
                  throw InputError("cannot write '" + prefix + ".csv'");
                write_tables(csv, json, definitions, std::vector<const double *>{values.data()},
                             std::vector<std::uint64_t>{0});
                std::printf("%s: %u x %u x %u voxels, %zu descriptors: %s.csv, %s.json\n",
                            parameter_file.c_str(), image.grid.n[0], image.grid.n[1],
                            image.grid.n[2], definitions.size(), prefix.c_str(), prefix.c_str());
              }
            return 0;
          }
        if (type != "microstructure")
          throw InputError(parameter_file + ": Material/Type is " + type +
                           ", not microstructure or image");
        MicrostructureParameters micro;
        micro.parse(case_file.values("Material/Microstructure"));
        if (geometry.type != "box")
          throw InputError("a generated microstructure needs Geometry/Type = box");
        if (voxel_size == 0)
          voxel_size = 0.5 * micro.boundary_width;
        const auto  &box = geometry;
        const double smallest =
            std::min({box.width, box.thickness, dim == 3 ? box.depth : box.width});
        if (voxel_size > smallest)
          throw InputError("--voxel-size " + weaklink::three_digits(voxel_size) +
                           " m is larger than the sample (" + weaklink::three_digits(smallest) +
                           " m)");
        const PeriodicAxes periodic =
            parse_periodic_axes(periodic_given ? periodic_option : micro.periodic_directions, dim);
        int writable = 1;
        if (rank == 0)
          writable = can_write(prefix + ".csv");
        MPI_Bcast(&writable, 1, MPI_INT, 0, MPI_COMM_WORLD);
        if (!writable)
          throw InputError("cannot write '" + prefix + ".csv'");

        // Samples dealt out cyclically; rank 0 writes them in order.
        const auto          definitions = defect_descriptor_definitions(dim);
        const std::size_t   width = definitions.size() + 3; // sample, descriptors, two timings
        std::vector<double> mine;
        for (unsigned int s = rank; s < n_samples; s += n_ranks)
          {
            MicrostructureParameters sample_parameters = micro;
            sample_parameters.seed                     = micro.seed + s;
            char image[32];
            std::snprintf(image, sizeof(image), "_%04u.vtk", s);
            const std::string image_name = s < n_images ? prefix + image : "";
            const Sample      sample =
                dim == 2
                         ? describe<2>(geometry, sample_parameters, voxel_size, periodic, image_name)
                         : describe<3>(geometry, sample_parameters, voxel_size, periodic, image_name);
            mine.push_back(s);
            mine.insert(mine.end(), sample.values.begin(), sample.values.end());
            mine.push_back(sample.generate_seconds);
            mine.push_back(sample.describe_seconds);
          }
        const std::vector<double> all = gather_on_first_rank(mine);
        if (rank == 0)
          {
            std::vector<const double *> rows(n_samples);
            for (std::size_t offset = 0; offset < all.size(); offset += width)
              rows[static_cast<std::size_t>(all[offset])] = all.data() + offset;
            std::ofstream               csv(prefix + ".csv"), json(prefix + ".json");
            std::vector<const double *> values;
            std::vector<std::uint64_t>  seeds;
            double                      generate = 0, describe_time = 0;
            for (unsigned int sample = 0; sample < n_samples; ++sample)
              {
                values.push_back(rows[sample] + 1);
                seeds.push_back(micro.seed + sample);
                generate += rows[sample][width - 2];
                describe_time += rows[sample][width - 1];
              }
            write_tables(csv, json, definitions, values, seeds);
            std::printf("%u samples (%uD, voxel %.3g m), %zu descriptors each: %s.csv, %s.json\n"
                        "per sample: generation and voxelisation %.3f s, descriptors %.3f s (mean "
                        "over samples)\n",
                        n_samples, dim, voxel_size, definitions.size(), prefix.c_str(),
                        prefix.c_str(), generate / n_samples, describe_time / n_samples);
          }
        return 0;
      }
    catch (const InputError &error)
      {
        if (rank == 0)
          std::cerr << "weaklink-descriptors: error: " << error.what() << std::endl;
        return 2;
      }
    catch (const std::exception &error)
      {
        if (rank == 0)
          std::cerr << "weaklink-descriptors: error: " << first_line(error.what()) << std::endl;
        return 3;
      }
  }
} // namespace

int
weaklink::descriptors_main(int argc, char **argv)
{
  start_singletons_quickly();
  MPI_Init(&argc, &argv);
  int rank = 0, n_ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
  const int status = describe_samples(argc, argv, rank, n_ranks);
  MPI_Finalize();
  return status;
}
