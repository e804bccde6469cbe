#include <weaklink/core/input_error.h>
#include <weaklink/geometry/separator_geometry.h>
#include <weaklink/physics/boundary_values.h>

#include <utility>

namespace weaklink
{
  dealii::types::boundary_id boundary_from_name(const std::string &name,
                                                const std::string &parameter)
  {
    const std::pair<const char *, dealii::types::boundary_id> names[] = {
        {"bottom", boundary_ids::plating_electrode}, {"plating", boundary_ids::plating_electrode},
        {"top", boundary_ids::counter_electrode},    {"counter", boundary_ids::counter_electrode},
        {"left", boundary_ids::lateral_x_low},       {"right", boundary_ids::lateral_x_high},
        {"front", boundary_ids::lateral_z_low},      {"back", boundary_ids::lateral_z_high},
        {"lateral", boundary_ids::lateral}};
    for (const auto &[key, id] : names)
      if (name == key)
        return id;
    throw InputError(parameter + ": unknown boundary '" + name +
                     "' (bottom, top, left, right, front, back or lateral)");
  }
} // namespace weaklink
