// Sobol indices of the Ishigami function (a = 7, b = 0.1, uniform on [-π, π]³)
// from weaklink's polynomial chaos surrogate on N scattered samples, against
// the closed form, with the bootstrap interval's width and coverage, and
// against the pick-freeze Monte Carlo estimators (Saltelli 2010 for the first
// order, Jansen 1999 for the total) given the same number of function
// evaluations. Usage: sensitivity_ishigami [repetitions] [N ...]
#include <weaklink/statistics/sensitivity.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <random>

using namespace weaklink;

namespace
{
  constexpr double a = 7, b = 0.1;

  double ishigami(const double x1, const double x2, const double x3)
  {
    return std::sin(x1) + a * std::pow(std::sin(x2), 2) + b * std::pow(x3, 4) * std::sin(x1);
  }

  double uniform(std::mt19937_64 &random)
  {
    return (static_cast<double>(random() >> 11) + 0.5) * 0x1.0p-53;
  }

  struct Truth
  {
    double first[3], total[3];
  };

  Truth closed_form()
  {
    const double pi = M_PI, v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2), v2 = a * a / 8,
                 v13 = 8 * b * b * std::pow(pi, 8) / 225, v = v1 + v2 + v13;
    return {{v1 / v, v2 / v, 0}, {(v1 + v13) / v, v2 / v, v13 / v}};
  }

  /** Pick-freeze with n base rows: n (d + 2) evaluations. */
  void pick_freeze(const std::size_t n, std::mt19937_64 &random, double first[3], double total[3])
  {
    std::vector<std::array<double, 3>> A(n), B(n);
    std::vector<double>                fa(n), fb(n);
    for (std::size_t r = 0; r < n; ++r)
      {
        for (int i = 0; i < 3; ++i)
          {
            A[r][i] = M_PI * (2 * uniform(random) - 1);
            B[r][i] = M_PI * (2 * uniform(random) - 1);
          }
        fa[r] = ishigami(A[r][0], A[r][1], A[r][2]);
        fb[r] = ishigami(B[r][0], B[r][1], B[r][2]);
      }
    double mean = 0, variance = 0;
    for (std::size_t r = 0; r < n; ++r)
      mean += (fa[r] + fb[r]) / (2.0 * n);
    for (std::size_t r = 0; r < n; ++r)
      variance += ((fa[r] - mean) * (fa[r] - mean) + (fb[r] - mean) * (fb[r] - mean)) / (2.0 * n);
    for (int i = 0; i < 3; ++i)
      {
        double s = 0, t = 0;
        for (std::size_t r = 0; r < n; ++r)
          {
            auto x           = A[r];
            x[i]             = B[r][i];
            const double fab = ishigami(x[0], x[1], x[2]);
            s += fb[r] * (fab - fa[r]) / n;
            t += (fa[r] - fab) * (fa[r] - fab) / (2.0 * n);
          }
        first[i] = s / variance;
        total[i] = t / variance;
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool               root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  const unsigned int       repetitions = argc > 1 ? std::atoi(argv[1]) : 5;
  std::vector<std::size_t> sizes;
  for (int k = 2; k < argc; ++k)
    sizes.push_back(std::atol(argv[k]));
  if (sizes.empty())
    sizes = {250, 500, 1000, 2000, 4000};
  const Truth truth = closed_form();
  if (root)
    std::cout << "Ishigami a = 7, b = 0.1: S = " << truth.first[0] << ", " << truth.first[1]
              << ", 0; ST = " << truth.total[0] << ", " << truth.total[1] << ", " << truth.total[2]
              << "\n"
              << "mean over " << repetitions
              << " data sets of max |error| over the 6 indices; 90 % bootstrap (200 replicates)\n"
              << std::setw(7) << "N" << std::setw(8) << "degree" << std::setw(13) << "PCE error"
              << std::setw(15) << "interval width" << std::setw(10) << "covered" << std::setw(14)
              << "pick-freeze" << std::setw(10) << "time [s]\n";
  for (const std::size_t n : sizes)
    {
      double       pce_error = 0, width = 0, mc_error = 0, seconds = 0, degree = 0;
      unsigned int covered = 0, checked = 0;
      for (unsigned int repetition = 0; repetition < repetitions; ++repetition)
        {
          std::mt19937_64                  random(1000 * n + repetition);
          std::vector<std::vector<double>> x(3, std::vector<double>(n));
          std::vector<double>              y(n);
          for (std::size_t r = 0; r < n; ++r)
            {
              for (auto &column : x)
                column[r] = M_PI * (2 * uniform(random) - 1);
              y[r] = ishigami(x[0][r], x[1][r], x[2][r]);
            }
          SensitivitySettings settings;
          settings.max_degree = 14;
          const auto start    = std::chrono::steady_clock::now();
          const auto report =
              analyse_sensitivity({"x1", "x2", "x3"}, x, y, settings, MPI_COMM_WORLD);
          seconds +=
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
              repetitions;
          degree += double(report.degree) / repetitions;
          double worst = 0;
          for (int i = 0; i < 3; ++i)
            for (const auto &[estimate, exact] : {std::pair{report.first[i], truth.first[i]},
                                                  std::pair{report.total[i], truth.total[i]}})
              {
                worst = std::max(worst, std::abs(estimate.value - exact));
                width += (estimate.upper - estimate.lower) / (6.0 * repetitions);
                if (exact > 0)
                  {
                    ++checked;
                    covered += estimate.lower <= exact && exact <= estimate.upper;
                  }
              }
          pce_error += worst / repetitions;

          // Pick-freeze on the same budget: n evaluations = base rows × (d + 2).
          double first[3], total[3];
          pick_freeze(std::max<std::size_t>(n / 5, 2), random, first, total);
          double mc_worst = 0;
          for (int i = 0; i < 3; ++i)
            mc_worst = std::max({mc_worst, std::abs(first[i] - truth.first[i]),
                                 std::abs(total[i] - truth.total[i])});
          mc_error += mc_worst / repetitions;
        }
      if (root)
        std::cout << std::setw(7) << n << std::setw(8) << std::setprecision(3) << degree
                  << std::setw(13) << pce_error << std::setw(15) << width << std::setw(10)
                  << (std::to_string(covered) + "/" + std::to_string(checked)) << std::setw(14)
                  << mc_error << std::setw(10) << seconds << "\n";
    }
  return 0;
}
