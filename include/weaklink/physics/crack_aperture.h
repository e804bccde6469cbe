#pragma once

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>
#include <deal.II/lac/vector.h>

namespace weaklink
{
  template <int dim> class CouplingLaws;
  template <int dim> class MaterialField;

  /**
   * The aperture of the smeared crack through each locally owned cell, for
   * the slit flow of lithium (MODEL.md §4): the opening density ⟨tr ε⟩₊
   * of the cells in a damage band (CouplingLaws::crack_opening_density),
   * integrated along the opening direction over a band of width
   * @p band_width centred on the cell. The opening direction is the largest
   * principal strain at the cell's centre; as principal strains come close it
   * turns into the mean of the integrals along every principal direction,
   * weighted by its share of the tensile strain (plus 1e-5), so that the
   * aperture does not jump when two principal strains cross.
   *
   * Why integrated: the mesh shares a crack's opening among the one, two or
   * three cells across its damage band, in proportions that depend on where
   * the band lies. A local aperture φv·b makes the flux of one cell with the
   * whole opening differ from that of two cells with half each by 2^(n+1),
   * 200 for lithium's n = 6.67. The integral gives every cell across the
   * band the whole opening, and the flux through the band, carried in
   * proportion to the same density, is the slit's w v̄(w) whatever the split.
   *
   * Cells whose mean nodal damage is below @p damage_threshold, and pores, are not
   * in a band: they get −1 and add nothing to the integral.
   * Indexed by active_cell_index; collective.
   */
  template <int dim>
  dealii::Vector<float> crack_apertures(const dealii::DoFHandler<dim> &dof_handler,
                                        const dealii::TrilinosWrappers::MPI::BlockVector &solution,
                                        const MaterialField<dim>                         &material,
                                        const CouplingLaws<dim> &laws, const double band_width,
                                        const double damage_threshold);
} // namespace weaklink
