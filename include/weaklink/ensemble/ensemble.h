#pragma once

#include <weaklink/core/json.h>
#include <weaklink/ensemble/study.h>

#include <mpi.h>

#include <ostream>
#include <string>
#include <vector>

namespace weaklink
{
  /**
   * Runs one sample of @p study on @p communicator (all its ranks call
   * this): the simulation, logged to the sample's log file, and the
   * descriptors of its material. Returns its result record (on every rank):
   * sample, class, the class's parameters, seed, the run's summary, the
   * descriptors, wall time; a sample that fails (bad microstructure, Newton
   * gave up) is a record with failed = true and the one-line reason.
   */
  JsonRecord run_sample(const Study &study, const StudySample &sample, MPI_Comm communicator);

  /**
   * Runs every sample of @p study that has no result yet on sub-communicators
   * of @p ranks_per_sample ranks of @p world, each taking the next sample as
   * it becomes free (a shared counter in an MPI window), writing each result
   * atomically and one progress line per finished sample to @p out; then
   * rank 0 writes the table. Collective.
   */
  void run_ensemble(const Study &study, const unsigned int ranks_per_sample, MPI_Comm world,
                    std::ostream &out);

  /**
   * The study's table from its results, in sample order: table.csv (header
   * cells "name [unit]", text quoted where needed, nan for a value that does
   * not exist) and table.json (an array of the records). Samples without a
   * result are left out. Returns the number of rows.
   */
  unsigned int write_study_table(const Study &study);
} // namespace weaklink
