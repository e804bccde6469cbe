#include <weaklink/core/decimal_number.h>
#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>
#include <weaklink/core/parameter_file.h>
#include <weaklink/material/material_field.h>
#include <weaklink/microstructure/microstructure.h>
#include <weaklink/microstructure/segmented_image.h>

#include <deal.II/base/function_parser.h>
#include <deal.II/base/utilities.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace weaklink
{
  using namespace dealii;

  void MaterialPointData::resize(const unsigned int n_points)
  {
    ionic_conductivity.resize(n_points);
    electronic_conductivity.resize(n_points);
    deposition_area_density.resize(n_points);
    nucleation_site_density.resize(n_points);
    youngs_modulus.resize(n_points);
    poisson_ratio.resize(n_points);
    fracture_energy.resize(n_points);
    phase.assign(n_points, 0);
  }

  namespace
  {
    struct PhaseProperties
    {
      double ionic_conductivity;
      double electronic_conductivity;
      double deposition_area_density;
      double nucleation_site_density;
      double youngs_modulus;
      double poisson_ratio;
      double fracture_energy;

      static void declare(ParameterHandler &prm, const double sigma_ion, const double sigma_e,
                          const double toughness = 1.25e6)
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
        prm.declare_entry("Nucleation site density", "0", Patterns::Double(0),
                          "Interface area a_nuc of sites where lithium can nucleate inside "
                          "the electrolyte [1/m]: they plate once the overpotential falls "
                          "below -Electrochemistry/Nucleation overpotential.");
        // LLZO (MODEL.md §6): E 150 GPa, ν 0.26 (Ni et al. 2012).
        prm.declare_entry("Young's modulus", "1.5e11", Patterns::Double(0), "E [Pa].");
        prm.declare_entry("Poisson's ratio", "0.26", Patterns::Double(-1, 0.5), "ν.");
        prm.declare_entry("Fracture toughness", Utilities::to_string(toughness),
                          Patterns::Double(0),
                          "K_Ic [Pa m^0.5]; gives Gc = K_Ic^2 (1 - ν^2) / E unless "
                          "'Critical energy release rate' is set.");
        prm.declare_entry("Critical energy release rate", "", Patterns::Anything(),
                          "Gc [J/m^2], positive; empty: K_Ic^2 (1 - ν^2) / E from the "
                          "fracture toughness.");
      }

      void parse(ParameterHandler &prm)
      {
        ionic_conductivity      = prm.get_double("Ionic conductivity");
        electronic_conductivity = prm.get_double("Electronic conductivity");
        deposition_area_density = prm.get_double("Deposition area density");
        nucleation_site_density = prm.get_double("Nucleation site density");
        youngs_modulus          = prm.get_double("Young's modulus");
        poisson_ratio           = prm.get_double("Poisson's ratio");
        if (youngs_modulus <= 0)
          throw InputError("Material: a phase has Young's modulus 0; it must be positive");
        if (poisson_ratio >= 0.5)
          throw InputError("Material: a phase has Poisson's ratio 0.5; it must be below 0.5 "
                           "(incompressible phases are not supported)");
        const std::string gc = Utilities::trim(prm.get("Critical energy release rate"));
        const double      k  = prm.get_double("Fracture toughness");
        if (gc.empty())
          fracture_energy = k * k * (1 - poisson_ratio * poisson_ratio) / youngs_modulus;
        else
          {
            std::size_t used = 0;
            try
              {
                fracture_energy = std::stod(gc, &used);
              }
            catch (const std::exception &)
              {
                used = 0;
              }
            if (used != gc.size() || !(fracture_energy > 0) || !std::isfinite(fracture_energy))
              throw InputError("Material: a phase has Critical energy release rate '" + gc +
                               "'; it must be a positive number (leave it empty to derive Gc "
                               "from the Fracture toughness)");
          }
      }

      void fill(MaterialPointData &data, const unsigned int q) const
      {
        data.ionic_conductivity[q]      = ionic_conductivity;
        data.electronic_conductivity[q] = electronic_conductivity;
        data.deposition_area_density[q] = deposition_area_density;
        data.nucleation_site_density[q] = nucleation_site_density;
        data.youngs_modulus[q]          = youngs_modulus;
        data.poisson_ratio[q]           = poisson_ratio;
        data.fracture_energy[q]         = fracture_energy;
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
        for (unsigned int q = 0; q < points.size(); ++q)
          phase.fill(data, q);
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
            (inside ? inclusion : matrix).fill(data, q);
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
      /** The entries of subsection Material/Function that are expressions, in MaterialPointData
       * order. */
      static constexpr std::array<const char *, 7> entries{
          {"Ionic conductivity", "Electronic conductivity", "Deposition area density",
           "Nucleation site density", "Young's modulus", "Poisson's ratio",
           "Critical energy release rate"}};

      FunctionMaterial(const std::array<std::string, 7> &expressions,
                       const std::string &phase_expression, const Point<dim> &extent,
                       const double reference_ion, const double reference_e)
          : reference_ion(reference_ion)
          , reference_e(reference_e)
      {
        for (unsigned int k = 0; k < entries.size(); ++k)
          properties[k] = parse_expression<dim>(coordinate_names<dim>(false), expressions[k],
                                                std::string("Material/Function/") + entries[k]);
        phase = parse_expression<dim>(coordinate_names<dim>(false), phase_expression,
                                      "Material/Function/Phase");
        // Checked on a lattice over the box, so that a bad value stops the
        // run here rather than inside an assembly on one rank.
        const unsigned int n = 64;
        for (unsigned int index = 0; index < Utilities::pow(n, dim); ++index)
          {
            Point<dim>   x;
            unsigned int rest = index;
            for (unsigned int d = 0; d < dim; ++d, rest /= n)
              x[d] = (rest % n + 0.5) / n * extent[d];
            const double value = phase->value(x);
            if (!(std::abs(value - std::round(value)) < 1e-9 && value > -0.5 && value < 3.5))
              throw InputError("Material/Function/Phase is " + Utilities::to_string(value) +
                               " at (" + Utilities::to_string(x[0]) + ", " +
                               Utilities::to_string(x[1]) +
                               (dim == 3 ? ", " + Utilities::to_string(x[dim - 1]) : "") +
                               "); it must be 0 (grain), 1 (grain boundary), 2 (weak boundary) "
                               "or 3 (pore)");
          }
      }

      void evaluate(const std::vector<Point<dim>> &points, MaterialPointData &data) const override
      {
        data.resize(points.size());
        std::array<std::vector<double> *, 7> targets{
            {&data.ionic_conductivity, &data.electronic_conductivity, &data.deposition_area_density,
             &data.nucleation_site_density, &data.youngs_modulus, &data.poisson_ratio,
             &data.fracture_energy}};
        for (unsigned int k = 0; k < targets.size(); ++k)
          for (unsigned int q = 0; q < points.size(); ++q)
            (*targets[k])[q] = properties[k]->value(points[q]);
        for (unsigned int q = 0; q < points.size(); ++q)
          data.phase[q] =
              static_cast<unsigned char>(std::clamp(std::lround(phase->value(points[q])), 0L, 3L));
      }

      double reference_ionic_conductivity() const override { return reference_ion; }
      double reference_electronic_conductivity() const override { return reference_e; }

    private:
      std::array<std::unique_ptr<FunctionParser<dim>>, 7> properties;
      std::unique_ptr<FunctionParser<dim>>                phase;
      double                                              reference_ion, reference_e;
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
            const auto phase = microstructure.phase(points[q]);
            phases[static_cast<unsigned int>(phase)].fill(data, q);
            data.phase[q] = static_cast<unsigned char>(phase);
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
            const auto phase = image.phase_at(x);
            phases[phase].fill(data, q);
            data.phase[q] = phase;
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

    /**
     * Phases from the physical tags of a Gmsh mesh: each cell carries the tag
     * of its region as material id, so material interfaces are cell faces.
     */
    template <int dim> class MeshTagMaterial : public MaterialField<dim>
    {
    public:
      MeshTagMaterial(std::map<unsigned int, std::uint8_t>  tag_to_phase,
                      const std::array<PhaseProperties, 4> &phases)
          : tag_to_phase(std::move(tag_to_phase))
          , phases(phases)
      {
      }

      void evaluate(const std::vector<Point<dim>> &, MaterialPointData &) const override
      {
        AssertThrow(false, ExcMessage("Material/Type = mesh tags gives properties per cell; "
                                      "this caller has no cell"));
      }

      void evaluate_in_cell(const std::vector<Point<dim>> &points,
                            const types::material_id       cell_tag,
                            MaterialPointData             &data) const override
      {
        const auto entry = tag_to_phase.find(cell_tag);
        AssertThrow(entry != tag_to_phase.end(),
                    ExcMessage("cell tag " + std::to_string(cell_tag) + " has no phase"));
        data.resize(points.size());
        for (unsigned int q = 0; q < points.size(); ++q)
          {
            phases[entry->second].fill(data, q);
            data.phase[q] = entry->second;
          }
      }

      MaterialPointData reference_properties(const Point<dim> &) const override
      {
        MaterialPointData data;
        data.resize(1);
        phases[0].fill(data, 0);
        return data;
      }

      void check_mesh(const Triangulation<dim> &coarse_mesh) const override
      {
        for (const auto &cell : coarse_mesh.active_cell_iterators())
          if (!tag_to_phase.count(cell->material_id()))
            throw InputError("Material/Mesh tags/Phases: the mesh has cells with physical tag " +
                             std::to_string(cell->material_id()) + ", which is given no phase");
      }

      double reference_ionic_conductivity() const override { return phases[0].ionic_conductivity; }
      double reference_electronic_conductivity() const override
      {
        return phases[0].electronic_conductivity;
      }

    private:
      std::map<unsigned int, std::uint8_t> tag_to_phase;
      std::array<PhaseProperties, 4>       phases;
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
            if (read_decimal(coordinates[d], p[d]) != DecimalReading::finite)
              throw InputError("Material/Inclusions/Centers: '" + coordinates[d] +
                               "' is not a number");
          points.push_back(p);
        }
      return points;
    }
  } // namespace

  template <int dim> void MaterialField<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Material");
    prm.declare_entry(
        "Type", "uniform",
        Patterns::Selection("uniform|inclusions|function|microstructure|image|mesh tags"),
        "uniform: one phase; inclusions: spheres (disks in 2D) of a "
        "second phase; function: expressions of x, y, z; microstructure: "
        "a generated polycrystal with pores (subsection Microstructure); "
        "image: a segmented voxel image (subsection Image); mesh tags: the "
        "physical tags of the cells of a Gmsh mesh (subsection Mesh tags). "
        "Image and mesh tags take the phase properties of subsection "
        "Microstructure.");
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
    // LLZO (MODEL.md §6): grain boundaries conduct electrons 1e2-1e4 times
    // better; K_Ic 1.25 MPa√m in grains, 0.5 at boundaries, weak facets below
    // the measured range (an assumption). Pores are void for the mechanics.
    struct PhaseDefaults
    {
      const char *name;
      double      sigma_ion, sigma_e, toughness;
    };
    const std::array<PhaseDefaults, 4> phase_defaults{{{"Grain", 0.05, 1e-7, 1.25e6},
                                                       {"Grain boundary", 0.02, 1e-5, 0.5e6},
                                                       {"Weak boundary", 0.01, 1e-4, 0.3e6},
                                                       {"Pore", 1e-8, 1e-12, 1.25e6}}};
    for (const auto &phase : phase_defaults)
      {
        prm.enter_subsection(phase.name);
        PhaseProperties::declare(prm, phase.sigma_ion, phase.sigma_e, phase.toughness);
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
    prm.enter_subsection("Mesh tags");
    prm.declare_entry(
        "Phases", "10:grain, 11:grain boundary, 12:weak boundary, 13:pore", Patterns::Anything(),
        "Phase of the cells of each Gmsh physical tag (Geometry/Type = gmsh), 'tag:phase' "
        "separated by commas; phases: grain, grain boundary, weak boundary, pore. A tag of the "
        "mesh not listed is an error.");
    prm.leave_subsection();
    prm.enter_subsection("Function");
    prm.declare_entry("Ionic conductivity", "0.05", Patterns::Anything(), "σ_ion(x,y,z) [S/m].");
    prm.declare_entry("Electronic conductivity", "1e-7", Patterns::Anything(), "σ_e(x,y,z) [S/m].");
    prm.declare_entry("Deposition area density", "0", Patterns::Anything(), "a(x,y,z) [1/m].");
    prm.declare_entry("Nucleation site density", "0", Patterns::Anything(),
                      "a_nuc(x,y,z) [1/m]: lithium nucleation sites in the electrolyte.");
    prm.declare_entry("Young's modulus", "1.5e11", Patterns::Anything(), "E(x,y,z) [Pa].");
    prm.declare_entry("Poisson's ratio", "0.26", Patterns::Anything(), "ν(x,y,z).");
    prm.declare_entry("Critical energy release rate", "9.7", Patterns::Anything(),
                      "Gc(x,y,z) [J/m^2].");
    prm.declare_entry(
        "Phase", "0", Patterns::Anything(),
        "phase(x,y,z): 0 grain, 1 grain boundary, 2 weak boundary, 3 pore. A "
        "pore is void for the mechanics (a notch cut out of a specimen) and for "
        "lithium; grain boundaries (1, 2) hold Coupling/Grain-boundary free "
        "volume of lithium; the numbers also label the picture. Checked on a 64-point lattice per "
        "axis.");
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
        parameters.parse(HandlerValues(prm));
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
        const SegmentedImageSource source = parse_image_source(HandlerValues(prm));
        const auto                 phases = parse_phase_properties(prm);
        if (extent.norm() == 0)
          throw InputError("Material/Type = image needs Geometry/Type = box");
        auto                  image = SegmentedImage::read(source, dim);
        std::array<double, 3> box   = {{0, 0, 0}};
        for (unsigned int d = 0; d < dim; ++d)
          box[d] = extent[d];
        image.check_covers(box, source.file);
        field = std::make_unique<ImageMaterial<dim>>(std::move(image), phases);
      }
    else if (type == "mesh tags")
      {
        if (extent.norm() != 0)
          throw InputError("Material/Type = mesh tags needs Geometry/Type = gmsh");
        prm.enter_subsection("Mesh tags");
        auto tag_to_phase = SegmentedImage::parse_label_map(prm.get("Phases"), "mesh tag");
        prm.leave_subsection();
        field = std::make_unique<MeshTagMaterial<dim>>(std::move(tag_to_phase),
                                                       parse_phase_properties(prm));
      }
    else
      {
        prm.enter_subsection("Function");
        std::array<std::string, 7> expressions;
        for (unsigned int k = 0; k < expressions.size(); ++k)
          expressions[k] = prm.get(FunctionMaterial<dim>::entries[k]);
        field = std::make_unique<FunctionMaterial<dim>>(
            expressions, prm.get("Phase"), extent, prm.get_double("Reference ionic conductivity"),
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
