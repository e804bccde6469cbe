#include <weaklink/statistics/ranks.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace weaklink::ranks
{
  bool mpi_started()
  {
    int initialised = 0, finalised = 0;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    return initialised && !finalised;
  }

  bool launched_by_mpi()
  {
    // Open MPI's mpirun, PMIx (Slurm's srun, prterun) and PMI-1/2 launchers.
    for (const char *variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
      if (std::getenv(variable) != nullptr)
        return true;
    return false;
  }

  int this_rank(MPI_Comm communicator)
  {
    int rank = 0;
    if (mpi_started())
      MPI_Comm_rank(communicator, &rank);
    return rank;
  }

  int count(MPI_Comm communicator)
  {
    int size = 1;
    if (mpi_started())
      MPI_Comm_size(communicator, &size);
    return size;
  }

  void sum(std::uint64_t *values, int n_values, MPI_Comm communicator)
  {
    if (mpi_started())
      MPI_Allreduce(MPI_IN_PLACE, values, n_values, MPI_UINT64_T, MPI_SUM, communicator);
  }

  void sum(double *values, int n_values, MPI_Comm communicator)
  {
    if (mpi_started())
      MPI_Allreduce(MPI_IN_PLACE, values, n_values, MPI_DOUBLE, MPI_SUM, communicator);
  }

  std::vector<int> byte_counts(int n_bytes, MPI_Comm communicator)
  {
    std::vector<int> counts(count(communicator), n_bytes);
    if (mpi_started())
      MPI_Allgather(&n_bytes, 1, MPI_INT, counts.data(), 1, MPI_INT, communicator);
    return counts;
  }

  void gather_bytes(const void *bytes, const std::vector<int> &counts, void *all,
                    MPI_Comm communicator)
  {
    std::vector<int> offsets(counts.size(), 0);
    for (std::size_t r = 1; r < counts.size(); ++r)
      offsets[r] = offsets[r - 1] + counts[r - 1];
    const int mine = counts[this_rank(communicator)];
    if (!mpi_started())
      {
        std::memcpy(all, bytes, mine);
        return;
      }
    MPI_Allgatherv(bytes, mine, MPI_BYTE, all, counts.data(), offsets.data(), MPI_BYTE,
                   communicator);
  }

  double wall_seconds()
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
} // namespace weaklink::ranks
