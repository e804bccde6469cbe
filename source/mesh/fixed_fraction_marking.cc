#include <weaklink/mesh/fixed_fraction_marking.h>

#include <deal.II/base/mpi.h>

#include <cmath>
#include <cstdint>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    constexpr std::int64_t levels = std::int64_t(1) << 20;

    /** Global sum of the quantized values selected by @p keep. */
    template <typename Predicate>
    std::int64_t global_sum(const std::vector<std::int64_t> &values, const Predicate &keep,
                            MPI_Comm comm)
    {
      std::int64_t local = 0;
      for (const auto v : values)
        if (keep(v))
          local += v;
      std::int64_t total = 0;
      MPI_Allreduce(&local, &total, 1, MPI_INT64_T, MPI_SUM, comm);
      return total;
    }
  } // namespace

  template <int dim>
  void mark_fixed_fraction(parallel::distributed::Triangulation<dim> &triangulation,
                           const Vector<float> &indicator, const double refine_fraction,
                           const double coarsen_fraction)
  {
    MPI_Comm comm    = triangulation.get_communicator();
    double   largest = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        largest = std::max(largest, static_cast<double>(indicator[cell->active_cell_index()]));
    largest = Utilities::MPI::max(largest, comm);
    if (largest <= 0)
      return;

    std::vector<std::int64_t> quantized;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        quantized.push_back(std::llround(indicator[cell->active_cell_index()] / largest * levels));
    const std::int64_t total = global_sum(
        quantized, [](std::int64_t) { return true; }, comm);

    // Largest level whose cells at or above it hold at least refine_fraction.
    std::int64_t low = 0, high = levels + 1;
    while (high - low > 1)
      {
        const std::int64_t mid   = (low + high) / 2;
        const std::int64_t above = global_sum(
            quantized, [mid](std::int64_t v) { return v >= mid; }, comm);
        (above >= refine_fraction * total ? low : high) = mid;
      }
    const std::int64_t refine_level = refine_fraction > 0 ? low : levels + 1;

    // Largest level whose cells strictly below it hold at most coarsen_fraction.
    low = 0, high = levels + 1;
    while (high - low > 1)
      {
        const std::int64_t mid   = (low + high) / 2;
        const std::int64_t below = global_sum(
            quantized, [mid](std::int64_t v) { return v < mid; }, comm);
        (below <= coarsen_fraction * total ? low : high) = mid;
      }
    const std::int64_t coarsen_level = coarsen_fraction > 0 ? low : 0;

    std::size_t k = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const std::int64_t v = quantized[k++];
          if (v >= refine_level)
            cell->set_refine_flag();
          else if (v < coarsen_level)
            cell->set_coarsen_flag();
        }
  }

  template void mark_fixed_fraction(parallel::distributed::Triangulation<2> &,
                                    const Vector<float> &, const double, const double);
  template void mark_fixed_fraction(parallel::distributed::Triangulation<3> &,
                                    const Vector<float> &, const double, const double);
} // namespace weaklink
