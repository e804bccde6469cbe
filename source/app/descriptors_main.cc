#include <weaklink/app/tool_mains.h>

int
main(int argc, char **argv)
{
  return weaklink::descriptors_main(argc, argv);
}
