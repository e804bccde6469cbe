#include <weaklink/app/tool_mains.h>

#include <cstdlib>
#include <initializer_list>

namespace weaklink
{
  void start_singletons_quickly()
  {
    for (const char *launched : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
      if (std::getenv(launched) != nullptr)
        return;
    setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
    setenv("OMPI_MCA_pml", "ob1", 0);
    // A lone process needs no map of the PCI devices (network cards, GPUs);
    // hwloc's I/O discovery reads every device's configuration: 10 ms.
    setenv("HWLOC_COMPONENTS", "-pci,-linuxio", 0);
  }
} // namespace weaklink
