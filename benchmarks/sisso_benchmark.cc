// SISSO benchmark cases (a)-(d) of the issue: y = 3 x1 x2 / x3 + N(0, 0.05^2),
// ten features x ~ U(1, 5). Prints feature-space sizes, the time of each phase
// (best of several repetitions, in-process after MPI start-up and data
// generation), models scored and peak memory. One case per process, so that
// the peak memory belongs to that case:
//   mpirun -np R sisso_benchmark a|b|c|d [repetitions] [data.csv to write]
#include <weaklink/learning/planted_data.h>
#include <weaklink/learning/sisso.h>

#include <mpi.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <string>

using namespace weaklink;

namespace
{
  double peak_memory_mb()
  {
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
  }
} // namespace

int
main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, n_ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
  const std::string  which       = argc > 1 ? argv[1] : "a";
  const unsigned int repetitions = argc > 2 ? std::stoi(argv[2]) : 3;

  SissoSettings settings;
  std::size_t   n        = 100;
  settings.n_models      = 10;
  settings.features.rung = 2;
  std::string operators  = "+,-,*,/";
  if (which == "a")
    {
      settings.max_dimension = 3;
      settings.n_selected    = {200};
    }
  else if (which == "b")
    {
      operators              = "+,-,*,/,exp,log,^-1,^2,^3,sqrt";
      settings.max_dimension = 2;
      settings.n_selected    = {2000};
    }
  else if (which == "c")
    {
      // Rung 3 as the reference code builds it for fcomplexity = 4.
      settings.features.rung           = 3;
      settings.features.max_complexity = 4;
      settings.max_dimension           = 2;
      settings.n_selected              = {1000};
    }
  else if (which == "d")
    {
      n                      = 1000;
      settings.max_dimension = 2;
      settings.n_selected    = {1000};
    }
  else
    {
      if (rank == 0)
        std::fprintf(stderr, "sisso_benchmark: unknown case '%s' (a, b, c or d)\n", which.c_str());
      MPI_Finalize();
      return 2;
    }
  settings.features.operators_per_rung = {parse_operators(operators)};
  const SissoData data                 = planted_quotient_data(n, 2018);
  // The case as a CSV file for timing the whole weaklink-sisso process
  // (benchmarks/sisso_process_time.sh).
  if (argc > 3 && rank == 0)
    {
      std::ofstream csv(argv[3]);
      csv << "y";
      for (const auto &name : data.feature_names)
        csv << "," << name;
      csv << "\n" << std::setprecision(17);
      for (std::size_t i = 0; i < data.target.size(); ++i)
        {
          csv << data.target[i];
          for (const auto &column : data.features)
            csv << "," << column[i];
          csv << "\n";
        }
    }
  const double baseline = peak_memory_mb();

  SissoResult best;
  double      best_total = 1e300;
  for (unsigned int repetition = 0; repetition < repetitions; ++repetition)
    {
      MPI_Barrier(MPI_COMM_WORLD);
      const double start = MPI_Wtime();
      Sisso        sisso(data, settings, MPI_COMM_WORLD);
      SissoResult  result = sisso.run();
      double       total  = MPI_Wtime() - start;
      MPI_Allreduce(MPI_IN_PLACE, &total, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
      if (total < best_total)
        {
          best_total = total;
          best       = result;
        }
    }
  double peak = peak_memory_mb();
  MPI_Allreduce(MPI_IN_PLACE, &peak, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  if (rank == 0)
    {
      std::printf(
          "case %s: %zu samples, rung %u, max complexity %u, operators %s, D = %u, %u selected per "
          "dimension, %d rank(s), best of %u\n",
          which.c_str(), n, settings.features.rung, settings.features.max_complexity,
          operators.c_str(), settings.max_dimension, settings.n_selected[0], n_ranks, repetitions);
      std::printf("  stored features %zu, values kept for %zu (per rung kept:", best.n_stored,
                  best.n_kept_values);
      for (const auto &counts : best.stored_rung_counts)
        std::printf(" %llu", static_cast<unsigned long long>(counts.kept));
      std::printf("), last rung on the fly %llu candidates per screening\n",
                  static_cast<unsigned long long>(best.last_rung_candidates));
      std::printf("  construction %.3f s\n", best.construction_seconds);
      for (const auto &step : best.dimensions)
        std::printf("  D=%u: screening %.3f s, L0 %.3f s (%llu models, pool %zu), refit %.4f s, "
                    "best RMSE %.4g: %s\n",
                    step.dimension, step.screening_seconds, step.search_seconds,
                    static_cast<unsigned long long>(step.models_scored), step.pool_size,
                    step.refit_seconds, step.models.front().fit.rmse,
                    step.models.front().formulas.front().c_str());
      std::printf("  total %.3f s; peak memory %.0f MB per rank (%.0f MB before the case: "
                  "libraries and MPI)\n",
                  best_total, peak, baseline);
    }
  MPI_Finalize();
  return 0;
}
