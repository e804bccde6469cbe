#pragma once

// The main functions of weaklink's executables. They live in the libraries,
// not in the executables, so that the fuzz driver of the test suite can run
// any of them in a forked child of one loaded process: a fresh process would
// spend 0.4 s loading deal.II for every input. No deal.II in this header.

namespace weaklink
{
  int weaklink_main(int argc, char **argv);       ///< weaklink (libweaklink_core)
  int descriptors_main(int argc, char **argv);    ///< weaklink-descriptors (libweaklink_tools)
  int microstructure_main(int argc, char **argv); ///< weaklink-microstructure (libweaklink_tools)
  int ensemble_main(int argc, char **argv);       ///< weaklink-ensemble (libweaklink_core)
  int analyze_main(int argc, char **argv);        ///< weaklink-analyze (libweaklink_core)
  int weibull_main(int argc, char **argv);        ///< weaklink-weibull (libweaklink_statistics)
  int sisso_main(int argc, char **argv);          ///< weaklink-sisso (libweaklink_statistics)

  /**
   * Run without a launcher (no mpirun, srun), Open MPI starts as a singleton
   * that still probes the network transports and starts a daemon: 0.3 s of
   * the 0.35 s a small job takes. One process needs neither; a launcher's
   * or the user's own settings win.
   */
  void start_singletons_quickly();
} // namespace weaklink
