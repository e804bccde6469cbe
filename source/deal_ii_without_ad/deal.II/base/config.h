// deal.II's configuration for the libraries that use deal.II's headers but not its libraries
// (weaklink_microstructure, weaklink_tools; CMakeLists.txt puts this directory first on their
// include path). deal.II's numbers.h includes ADOL-C and Sacado when deal.II was built with them,
// and Sacado's headers define static Teuchos objects, which would need Trilinos at link time.
// Point<dim, double> and Tensor<1, dim, double> need neither.
#include_next <deal.II/base/config.h>
#undef DEAL_II_WITH_ADOLC
#undef DEAL_II_TRILINOS_WITH_SACADO
