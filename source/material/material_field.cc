#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>
#include <weaklink/material/material_field.h>
#include <weaklink/microstructure/microstructure.h>
#include <weaklink/microstructure/segmented_image.h>

#include <deal.II/base/function_parser.h>
#include <deal.II/base/utilities.h>

#include <array>
#include <cmath>

namespace weaklink
{
  using namespace dealii;

  void MaterialPointData::resize(const unsigned int n_points)
  {
    ionic_conductivity.resize(n_points);
    electronic_conductivity.resize(n_points);
    deposition_area_density.resize(n_points);
    phase.assign(n_points, 0);
  }

  namespace
  {
    struct PhaseProperties
    {
      double ionic_conductivity;
      double electronic_conductivity;
      double deposition_area_density;

      static void declare(ParameterHandler &prm, const double sigma_ion, const double sigma_e)
      {
        prm.declare_entry("Ionic conductivity", Utilities::to_string(sigma_ion),
                          Patterns::Double(0), "σ_ion [S/m].");
        prm.declare_entry("Electronic conductivity", Utilities::to_string(sigma_e),
                          Patterns::Double(0),
                          "σ_e [S/m]; must be positive where the electron potential "
                          "is solved.");
        prm.declare_entry("Deposition area density", "0", Patterns::Double(0),
                          "Specific Li|electrolyte interface area a of the volumetric "
                          "deposition current [1/m]; 0 without lithium inside the "
                          "electrolyte.");
      }

      void parse(ParameterHandler &prm)
      {
        ionic_conductivity      = prm.get_double("Ionic conductivity");
        electronic_conductivity = prm.get_double("Electronic conductivity");
        deposition_area_density = prm.get_double("Deposition area density");
      }
    };

    template <int dim> class UniformMaterial : public MaterialField<dim>
    {
    public:
      explicit UniformMaterial(const PhaseProperties &p)
          : phase(p)
      {
      }

      void evaluate(const std::vector<Point<dim>> &points, MaterialPointData &data) const override
      {
        data.resize(points.size());
        std::fill(data.ionic_conductivity.begin(), data.ionic_conductivity.end(),
                  phase.ionic_conductivity);
        std::fill(data.electronic_conductivity.begin(), data.electronic_conductivity.end(),
                  phase.electronic_conductivity);
        std::fill(data.deposition_area_density.begin(), data.deposition_area_density.end(),
                  phase.deposition_area_density);
      }

      double reference_ionic_conductivity() const override { return phase.ionic_conductivity; }
      double reference_electronic_conductivity() const override
      {
        return phase.electronic_conductivity;
      }

    private:
      PhaseProperties phase;
    };

    /** Spherical (circular in 2D) inclusions of a second phase in a matrix. */
    template <int dim> class InclusionMaterial : public MaterialField<dim>
    {
    public:
      InclusionMaterial(const PhaseProperties &matrix, const PhaseProperties &inclusion,
                        const std::vector<Point<dim>> &centers, const double radius)
          : matrix(matrix)
          , inclusion(inclusion)
          , centers(centers)
          , radius(radius)
      {
      }

      void evaluate(const std::vector<Point<dim>> &points, MaterialPointData &data) const override
      {
        data.resize(points.size());
        for (unsigned int q = 0; q < points.size(); ++q)
          {
            bool inside = false;
            for (const auto &c : centers)
              inside = inside || points[q].distance_square(c) < radius * radius;
            const PhaseProperties &p        = inside ? inclusion : matrix;
            data.ionic_conductivity[q]      = p.ionic_conductivity;
            data.electronic_conductivity[q] = p.electronic_conductivity;
            data.deposition_area_density[q] = p.deposition_area_density;
          }
      }

      double reference_ionic_conductivity() const override { return matrix.ionic_conductivity; }
      double reference_electronic_conductivity() const override
      {
        return matrix.electronic_conductivity;
      }

    private:
      PhaseProperties         matrix, inclusion;
      std::vector<Point<dim>> centers;
      double                  radius;
    };

    /** Properties as expressions of x, y (, z) in metres. */
    template <int dim> class FunctionMaterial : public MaterialField<dim>
    {
    public:
      FunctionMaterial(const std::string &sigma_ion, const std::string &sigma_e,
                       const std::string &area, const double reference_ion,
                       const double reference_e)
          : ionic(parse_expression<dim>(coordinate_names<dim>(false), sigma_ion,
                                        "Material/Function/Ionic conductivity"))
          , electronic(parse_expression<dim>(coordinate_names<dim>(false), sigma_e,
                                             "Material/Function/Electronic conductivity"))
          , area_density(parse_expression<dim>(coordinate_names<dim>(false), area,
                                               "Material/Function/Deposition area density"))
          , reference_ion(reference_ion)
          , reference_e(reference_e)
      {
      }

      void evaluate(const std::vector<Point<dim>> &points, MaterialPointData &data) const override
      {
        data.resize(points.size());
        for (unsigned int q = 0; q < points.size(); ++q)
          {
            data.ionic_conductivity[q]      = ionic->value(points[q]);
            data.electronic_conductivity[q] = electronic->value(points[q]);
            data.deposition_area_density[q] = area_density->value(points[q]);
          }
      }

      double reference_ionic_conductivity() const override { return reference_ion; }
      double reference_electronic_conductivity() const override { return reference_e; }

    private:
      std::unique_ptr<FunctionParser<dim>> ionic, electronic, area_density;
      double                               reference_ion, reference_e;
    };

    /** A generated polycrystal: properties by phase. */
    template <int dim> class MicrostructureMaterial : public MaterialField<dim>
    {
    public:
      MicrostructureMaterial(const MicrostructureParameters &parameters, const Point<dim> &extent,
                             const std::array<PhaseProperties, 4> &phases)
          : microstructure(parameters, extent)
          , phases(phases)
      {
      }

      void evaluate(const std::vector<Point<dim>> &points, MaterialPointData &data) const override
      {
        data.resize(points.size());
        for (unsigned int q = 0; q < points.size(); ++q)
          {
            const auto             phase    = microstructure.phase(points[q]);
            const PhaseProperties &p        = phases[static_cast<unsigned int>(phase)];
            data.ionic_conductivity[q]      = p.ionic_conductivity;
            data.electronic_conductivity[q] = p.electronic_conductivity;
            data.deposition_area_density[q] = p.deposition_area_density;
            data.phase[q]                   = static_cast<unsigned char>(phase);
          }
      }

      double reference_ionic_conductivity() const override { return phases[0].ionic_conductivity; }
      double reference_electronic_conductivity() const override
      {
        return phases[0].electronic_conductivity;
      }

    private:
      Microstructure<dim>            microstructure;
      std::array<PhaseProperties, 4> phases;
    };

    /** A segmented image (raw or VTK voxels): properties by phase, nearest voxel. */
    template <int dim> class ImageMaterial : public MaterialField<dim>
    {
    public:
      ImageMaterial(SegmentedImage image, const std::array<PhaseProperties, 4> &phases)
          : image(std::move(image))
          , phases(phases)
      {
      }

      void evaluate(const std::vector<Point<dim>> &points, MaterialPointData &data) const override
      {
        data.resize(points.size());
        for (unsigned int q = 0; q < points.size(); ++q)
          {
            double x[3] = {0, 0, 0};
            for (unsigned int d = 0; d < dim; ++d)
              x[d] = points[q][d];
            const auto             phase    = image.phase_at(x);
            const PhaseProperties &p        = phases[phase];
            data.ionic_conductivity[q]      = p.ionic_conductivity;
            data.electronic_conductivity[q] = p.electronic_conductivity;
            data.deposition_area_density[q] = p.deposition_area_density;
            data.phase[q]                   = phase;
          }
      }

      double reference_ionic_conductivity() const override { return phases[0].ionic_conductivity; }
      double reference_electronic_conductivity() const override
      {
        return phases[0].electronic_conductivity;
      }

    private:
      SegmentedImage                 image;
      std::array<PhaseProperties, 4> phases;
    };

    std::array<PhaseProperties, 4> parse_phase_properties(ParameterHandler &prm)
    {
      std::array<PhaseProperties, 4> phases;
      const char *names[4] = {"Grain", "Grain boundary", "Weak boundary", "Pore"};
      prm.enter_subsection("Microstructure");
      for (unsigned int k = 0; k < 4; ++k)
        {
          prm.enter_subsection(names[k]);
          phases[k].parse(prm);
          prm.leave_subsection();
        }
      prm.leave_subsection();
      return phases;
    }

    template <int dim> std::vector<Point<dim>> parse_points(const std::string &text)
    {
      std::vector<Point<dim>> points;
      for (const auto &entry : Utilities::split_string_list(text, ';'))
        {
          const auto coordinates = Utilities::split_string_list(entry, ',');
          if (coordinates.size() != dim)
            throw InputError("Material/Inclusions/Centers: '" + entry + "' does not have " +
                             std::to_string(dim) + " coordinates");
          Point<dim> p;
          for (unsigned int d = 0; d < dim; ++d)
            p[d] = Utilities::string_to_double(coordinates[d]);
          points.push_back(p);
        }
      return points;
    }
  } // namespace

  SegmentedImageSource parse_image_source(ParameterHandler &prm)
  {
    prm.enter_subsection("Image");
    SegmentedImageSource source;
    source.file   = prm.get("File");
    source.format = prm.get("Format");
    if (source.file.empty())
      throw InputError("Material/Type = image needs Material/Image/File");
    const auto sizes = Utilities::split_string_list(prm.get("Size"), ',');
    for (unsigned int d = 0; d < sizes.size() && d < 3; ++d)
      {
        const int n = Utilities::string_to_int(sizes[d]);
        if (n < 1)
          throw InputError("Material/Image/Size: '" + sizes[d] + "' is not a positive voxel count");
        source.size[d] = n;
      }
    source.voxel_size     = prm.get_double("Voxel size");
    source.label_to_phase = SegmentedImage::parse_label_map(prm.get("Labels"));
    prm.leave_subsection();
    return source;
  }

  template <int dim> void MaterialField<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Material");
    prm.declare_entry("Type", "uniform",
                      Patterns::Selection("uniform|inclusions|function|microstructure|image"),
                      "uniform: one phase; inclusions: spheres (disks in 2D) of a "
                      "second phase; function: expressions of x, y, z; microstructure: "
                      "a generated polycrystal with pores (subsection Microstructure); "
                      "image: a segmented voxel image (subsection Image), with the phase "
                      "properties of subsection Microstructure.");
    prm.enter_subsection("Matrix");
    // LLZO: σ_ion 0.5 mS/cm, σ_e 1e-9 S/cm (MODEL.md §6).
    PhaseProperties::declare(prm, 0.05, 1e-7);
    prm.leave_subsection();
    prm.enter_subsection("Inclusions");
    PhaseProperties::declare(prm, 0.05, 1e-7);
    prm.declare_entry("Centers", "", Patterns::Anything(),
                      "Inclusion centres, 'x,y[,z]' separated by ';' [m].");
    prm.declare_entry("Radius", "1e-5", Patterns::Double(0), "Inclusion radius [m].");
    prm.leave_subsection();
    prm.enter_subsection("Microstructure");
    MicrostructureParameters::declare(prm);
    // LLZO (MODEL.md §6): grain boundaries conduct electrons 1e2-1e4 times better.
    const std::array<std::pair<const char *, std::pair<double, double>>, 4> phase_defaults{
        {{"Grain", {0.05, 1e-7}},
         {"Grain boundary", {0.02, 1e-5}},
         {"Weak boundary", {0.01, 1e-4}},
         {"Pore", {1e-8, 1e-12}}}};
    for (const auto &[name, conductivities] : phase_defaults)
      {
        prm.enter_subsection(name);
        PhaseProperties::declare(prm, conductivities.first, conductivities.second);
        prm.leave_subsection();
      }
    prm.leave_subsection();
    prm.enter_subsection("Image");
    prm.declare_entry("File", "", Patterns::FileName(),
                      "Segmented image: raw labels (8 or 16 bit, little endian, x fastest) or a "
                      "legacy VTK STRUCTURED_POINTS file. It must cover the separator box.");
    prm.declare_entry("Format", "auto", Patterns::Selection("auto|raw8|raw16|vtk"),
                      "auto: by extension (.raw = raw8, .vtk).");
    prm.declare_entry("Size", "", Patterns::Anything(),
                      "Raw images: voxels per direction, 'nx, ny' or 'nx, ny, nz'.");
    prm.declare_entry("Voxel size", "0", Patterns::Double(0), "Raw images: voxel edge [m].");
    prm.declare_entry(
        "Labels", "0:grain, 1:grain boundary, 2:weak boundary, 3:pore", Patterns::Anything(),
        "Image label of each phase, 'label:phase' separated by commas; phases: "
        "grain, grain boundary, weak boundary, pore. A label not listed is an error.");
    prm.leave_subsection();
    prm.enter_subsection("Function");
    prm.declare_entry("Ionic conductivity", "0.05", Patterns::Anything(), "σ_ion(x,y,z) [S/m].");
    prm.declare_entry("Electronic conductivity", "1e-7", Patterns::Anything(), "σ_e(x,y,z) [S/m].");
    prm.declare_entry("Deposition area density", "0", Patterns::Anything(), "a(x,y,z) [1/m].");
    prm.declare_entry("Reference ionic conductivity", "0.05", Patterns::Double(0),
                      "Scale of the Li+ charge equation [S/m].");
    prm.declare_entry("Reference electronic conductivity", "1e-7", Patterns::Double(0),
                      "Scale of the electron charge equation [S/m].");
    prm.leave_subsection();
    prm.leave_subsection();
  }

  template <int dim>
  std::unique_ptr<MaterialField<dim>> MaterialField<dim>::create(ParameterHandler &prm,
                                                                 const Point<dim> &extent)
  {
    prm.enter_subsection("Material");
    const std::string type = prm.get("Type");
    PhaseProperties   matrix;
    prm.enter_subsection("Matrix");
    matrix.parse(prm);
    prm.leave_subsection();
    std::unique_ptr<MaterialField<dim>> field;
    if (type == "uniform")
      field = std::make_unique<UniformMaterial<dim>>(matrix);
    else if (type == "inclusions")
      {
        prm.enter_subsection("Inclusions");
        PhaseProperties inclusion;
        inclusion.parse(prm);
        const auto   centers = parse_points<dim>(prm.get("Centers"));
        const double radius  = prm.get_double("Radius");
        prm.leave_subsection();
        field = std::make_unique<InclusionMaterial<dim>>(matrix, inclusion, centers, radius);
      }
    else if (type == "microstructure")
      {
        prm.enter_subsection("Microstructure");
        MicrostructureParameters parameters;
        parameters.parse(prm);
        std::array<PhaseProperties, 4> phases;
        const char *names[4] = {"Grain", "Grain boundary", "Weak boundary", "Pore"};
        for (unsigned int k = 0; k < 4; ++k)
          {
            prm.enter_subsection(names[k]);
            phases[k].parse(prm);
            prm.leave_subsection();
          }
        prm.leave_subsection();
        if (extent.norm() == 0)
          throw InputError("Material/Type = microstructure needs Geometry/Type = box");
        field = std::make_unique<MicrostructureMaterial<dim>>(parameters, extent, phases);
      }
    else if (type == "image")
      {
        const SegmentedImageSource source = parse_image_source(prm);
        const auto                 phases = parse_phase_properties(prm);
        if (extent.norm() == 0)
          throw InputError("Material/Type = image needs Geometry/Type = box");
        auto image = SegmentedImage::read(source, dim);
        for (unsigned int d = 0; d < dim; ++d)
          {
            const double covered = image.grid.n[d] * image.grid.spacing[d];
            if (std::abs(covered - extent[d]) > image.grid.spacing[d])
              throw InputError("image '" + source.file + "' covers " +
                               Utilities::to_string(covered) + " m along axis " +
                               std::to_string(d) + ", the separator " +
                               Utilities::to_string(extent[d]) + " m");
          }
        field = std::make_unique<ImageMaterial<dim>>(std::move(image), phases);
      }
    else
      {
        prm.enter_subsection("Function");
        field = std::make_unique<FunctionMaterial<dim>>(
            prm.get("Ionic conductivity"), prm.get("Electronic conductivity"),
            prm.get("Deposition area density"), prm.get_double("Reference ionic conductivity"),
            prm.get_double("Reference electronic conductivity"));
        prm.leave_subsection();
      }
    prm.leave_subsection();
    if (field->reference_ionic_conductivity() <= 0 ||
        field->reference_electronic_conductivity() <= 0)
      throw InputError("Material: the matrix (reference) ionic and electronic "
                       "conductivities must be positive");
    return field;
  }

  template class MaterialField<2>;
  template class MaterialField<3>;
} // namespace weaklink
