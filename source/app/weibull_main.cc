#include <weaklink/app/tool_mains.h>

int
main(int argc, char **argv)
{
  return weaklink::weibull_main(argc, argv);
}
