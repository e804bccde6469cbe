#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/base/types.h>

#include <deal.II/grid/tria.h>

#include <memory>
#include <string>
#include <vector>

namespace weaklink
{

  /**
   * Material properties at a set of points. Each physics module reads the
   * entries it needs; the microstructure module fills them from phases.
   */
  struct MaterialPointData
  {
    std::vector<double> ionic_conductivity;      ///< σ_ion [S/m]
    std::vector<double> electronic_conductivity; ///< σ_e [S/m]
    std::vector<double> deposition_area_density; ///< a of the volumetric Butler–Volmer term [1/m]
    std::vector<double>
        nucleation_site_density;         ///< a_nuc: interface area of nucleation sites [1/m]
    std::vector<double> youngs_modulus;  ///< E [Pa]
    std::vector<double> poisson_ratio;   ///< ν
    std::vector<double> fracture_energy; ///< Gc, critical energy release rate [J/m^2]
    std::vector<unsigned char>
        phase; ///< weaklink::Phase of a generated microstructure, else 0 (grain)
    /** Whether the cell lies in a crack's damage band (CouplingLaws::attach_crack_aperture). */
    bool crack_band = false;
    /** The aperture of that crack [m]. */
    double crack_aperture = 0;

    void resize(const unsigned int n_points);
  };

  /**
   * Where physics modules get their coefficients. Implementations: uniform,
   * inclusions (two-phase), function (expressions of x, y, z), a generated
   * microstructure, a segmented image, and the physical tags of a Gmsh mesh.
   */
  template <int dim> class MaterialField
  {
  public:
    virtual ~MaterialField() = default;

    /** Properties at points; a field that needs the cell (mesh tags) cannot answer this. */
    virtual void evaluate(const std::vector<dealii::Point<dim>> &points,
                          MaterialPointData                     &data) const = 0;

    /**
     * Properties at @p points of one cell whose material id (the Gmsh physical
     * tag it was read with, inherited under refinement) is @p cell_tag. Every
     * caller that has the cell uses this; fields of position alone ignore the tag.
     */
    virtual void evaluate_in_cell(const std::vector<dealii::Point<dim>> &points,
                                  const dealii::types::material_id       cell_tag,
                                  MaterialPointData                     &data) const
    {
      (void)cell_tag;
      evaluate(points, data);
    }

    /**
     * Properties that set the scales of the equations (Young's modulus, Gc):
     * the field at @p centre, or its grain phase for a field that needs the cell.
     */
    virtual MaterialPointData reference_properties(const dealii::Point<dim> &centre) const
    {
      MaterialPointData data;
      evaluate({centre}, data);
      return data;
    }

    /** Throws InputError when the coarse mesh does not fit the field (a tag without a phase). */
    virtual void check_mesh(const dealii::Triangulation<dim> &coarse_mesh) const
    {
      (void)coarse_mesh;
    }

    /** Conductivities used to scale the equations to order one. */
    virtual double reference_ionic_conductivity() const      = 0;
    virtual double reference_electronic_conductivity() const = 0;

    static void declare_parameters(dealii::ParameterHandler &prm);

    /**
     * The field chosen by Material/Type, with its parameters parsed; @p extent
     * is the size of the separator box (a generated microstructure fills it).
     */
    static std::unique_ptr<MaterialField<dim>> create(dealii::ParameterHandler &prm,
                                                      const dealii::Point<dim> &extent);
  };
} // namespace weaklink
