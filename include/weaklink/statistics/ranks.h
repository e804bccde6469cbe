#pragma once

// The ranks a statistical or learning computation is shared among. A tool
// started without an MPI launcher does not start MPI at all (MPI_Init of a
// singleton costs about 30 ms, most of a small SISSO run); every function here
// then acts as the one rank of a lone process, whatever communicator it is given.

#include <mpi.h>

#include <cstdint>
#include <type_traits>
#include <vector>

namespace weaklink::ranks
{
  /// True once MPI_Init has run (and MPI_Finalize has not).
  bool mpi_started();

  /// True when an MPI launcher (mpirun, mpiexec, srun) started this process.
  bool launched_by_mpi();

  int this_rank(MPI_Comm communicator);
  int count(MPI_Comm communicator);

  /// Element-wise sums over the ranks, in place.
  void sum(std::uint64_t *values, int n_values, MPI_Comm communicator);
  void sum(double *values, int n_values, MPI_Comm communicator);

  /// How many bytes each rank gives, in rank order, on every rank.
  std::vector<int> byte_counts(int n_bytes, MPI_Comm communicator);

  /// Every rank's bytes into @p all, concatenated in rank order (counts from byte_counts()).
  void gather_bytes(const void *bytes, const std::vector<int> &counts, void *all,
                    MPI_Comm communicator);

  /// Every rank's items, concatenated in rank order, on every rank (a lone process's own).
  template <class Item> std::vector<Item> gather(std::vector<Item> mine, MPI_Comm communicator)
  {
    static_assert(std::is_trivially_copyable_v<Item>, "items travel as bytes");
    if (!mpi_started())
      return mine;
    const auto  counts = byte_counts(int(mine.size() * sizeof(Item)), communicator);
    std::size_t total  = 0;
    for (const int bytes : counts)
      total += bytes;
    std::vector<Item> all(total / sizeof(Item));
    gather_bytes(mine.data(), counts, all.data(), communicator);
    return all;
  }

  /// Wall-clock seconds from an arbitrary origin.
  double wall_seconds();
} // namespace weaklink::ranks
