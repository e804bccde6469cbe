#include <weaklink/app/tool_mains.h>
#include <weaklink/statistics/ranks.h>

#include <cstdlib>

namespace weaklink
{
  void start_singletons_quickly()
  {
    if (ranks::launched_by_mpi())
      return;
    setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
    setenv("OMPI_MCA_pml", "ob1", 0);
    // A lone process needs no map of the PCI devices (network cards, GPUs);
    // hwloc's I/O discovery reads every device's configuration: 10 ms.
    setenv("HWLOC_COMPONENTS", "-pci,-linuxio", 0);
  }
} // namespace weaklink
