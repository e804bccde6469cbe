#include <weaklink/app/tool_mains.h>

int
main(int argc, char **argv)
{
  return weaklink::microstructure_main(argc, argv);
}
