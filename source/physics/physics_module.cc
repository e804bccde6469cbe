#include <weaklink/core/input_error.h>
#include <weaklink/physics/physics_module.h>

#include <deal.II/base/utilities.h>

namespace weaklink
{
  using namespace dealii;

  template <int dim> void PhysicsModule<dim>::initialize(const ModuleContext<dim> &new_context)
  {
    context = new_context;
  }

  template <int dim> double PhysicsModule<dim>::residual_scale(const std::string &) const
  {
    return 1;
  }

  template <int dim> double PhysicsModule<dim>::bound_stiffness(const std::string &) const
  {
    return 1;
  }

  template <int dim>
  void PhysicsModule<dim>::adjust_row_scales(const std::vector<types::global_dof_index> &,
                                             std::vector<double> &) const
  {
  }

  template <int dim> void PhysicsModule<dim>::save_state(std::ostream &) const {}

  template <int dim> void PhysicsModule<dim>::load_state(std::istream &) {}

  template <int dim>
  void PhysicsModule<dim>::add_constraints(AffineConstraints<double> &, const double)
  {
  }

  template <int dim>
  double PhysicsModule<dim>::initial_value(const Point<dim> &, const std::string &,
                                           const unsigned int) const
  {
    return 0;
  }

  template <int dim>
  void PhysicsModule<dim>::assemble_cell_at_nodes(const FEValues<dim> &, const PointState<dim> &,
                                                  LocalSystem &) const
  {
  }

  template <int dim>
  void PhysicsModule<dim>::assemble_boundary_face(const FEFaceValues<dim> &,
                                                  const types::boundary_id, const PointState<dim> &,
                                                  LocalSystem &) const
  {
  }

  template <int dim>
  StatisticsEntries PhysicsModule<dim>::postprocess(const BlockVector &, const double) const
  {
    return {};
  }

  template <int dim>
  void PhysicsModule<dim>::write_output(const BlockVector &, const double,
                                        const std::string &) const
  {
  }

  template <int dim>
  void PhysicsModule<dim>::mark_refinement_targets(const BlockVector &, Vector<float> &) const
  {
  }

  template <int dim>
  bool PhysicsModule<dim>::limit_newton_update(const BlockVector &, BlockVector &) const
  {
    return false;
  }

  template <int dim>
  double PhysicsModule<dim>::step_change(const BlockVector &, const BlockVector &) const
  {
    return 0;
  }

  template <int dim>
  double PhysicsModule<dim>::largest_increment(const BlockVector                   &solution,
                                               const BlockVector                   &old_solution,
                                               const unsigned int                   component,
                                               const std::function<double(double)> &measure) const
  {
    const DoFHandler<dim>               &dof_handler = *context.dof_handler;
    const FiniteElement<dim>            &fe          = dof_handler.get_fe();
    std::vector<types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
    double                               increment = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(dof_indices);
          for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
            if (fe.system_to_component_index(i).first == component)
              {
                const double now = solution(dof_indices[i]), before = old_solution(dof_indices[i]);
                increment =
                    std::max(increment, measure ? measure(now) - measure(before) : now - before);
              }
        }
    return Utilities::MPI::max(increment, context.mpi_communicator);
  }

  template <int dim>
  std::unique_ptr<DataPostprocessor<dim>> PhysicsModule<dim>::output_postprocessor() const
  {
    return nullptr;
  }

  template <int dim>
  std::map<std::string, std::pair<typename PhysicsModuleRegistry<dim>::Declarer,
                                  typename PhysicsModuleRegistry<dim>::Factory>> &
  PhysicsModuleRegistry<dim>::entries()
  {
    static std::map<std::string, std::pair<Declarer, Factory>> registered;
    return registered;
  }

  template <int dim>
  void PhysicsModuleRegistry<dim>::add(const std::string &name, const Declarer &declare,
                                       const Factory &create)
  {
    entries()[name] = {declare, create};
  }

  template <int dim> std::vector<std::string> PhysicsModuleRegistry<dim>::names()
  {
    std::vector<std::string> out;
    for (const auto &entry : entries())
      out.push_back(entry.first);
    return out;
  }

  template <int dim> void PhysicsModuleRegistry<dim>::declare_parameters(ParameterHandler &prm)
  {
    std::string choices;
    for (const auto &name : names())
      choices += (choices.empty() ? "" : "|") + name;
    prm.enter_subsection("Physics");
    prm.declare_entry("Modules", "electrochemistry", Patterns::MultipleSelection(choices),
                      "Physics modules solved together in one monolithic Newton "
                      "system, comma separated.");
    prm.leave_subsection();
    for (const auto &entry : entries())
      entry.second.first(prm);
  }

  template <int dim>
  std::vector<std::unique_ptr<PhysicsModule<dim>>>
  PhysicsModuleRegistry<dim>::create(ParameterHandler &prm)
  {
    prm.enter_subsection("Physics");
    const auto selected = Utilities::split_string_list(prm.get("Modules"));
    prm.leave_subsection();
    if (selected.empty())
      throw InputError("Physics/Modules: no physics module selected");
    std::vector<std::unique_ptr<PhysicsModule<dim>>> modules;
    for (const auto &name : selected)
      modules.push_back(entries().at(name).second(prm));
    return modules;
  }

  template class PhysicsModule<2>;
  template class PhysicsModule<3>;
  template class PhysicsModuleRegistry<2>;
  template class PhysicsModuleRegistry<3>;
} // namespace weaklink
