#include <weaklink/core/expression.h>
#include <weaklink/core/input_error.h>
#include <weaklink/simulator/simulator.h>

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_renumbering.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/block_sparsity_pattern.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>
#include <deal.II/numerics/vector_tools.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /** Initial values of all components, each asked of the module that owns its field. */
    template <int dim> class InitialValues : public Function<dim>
    {
    public:
      InitialValues(const std::vector<std::unique_ptr<PhysicsModule<dim>>> &modules,
                    const FieldLayout                                      &layout)
          : Function<dim>(layout.n_components)
          , modules(modules)
          , layout(layout)
      {
      }

      double value(const Point<dim> &p, const unsigned int component) const override
      {
        const auto &field = layout.field_of_component(component);
        for (const auto &module : modules)
          if (module->name() == field.module)
            return module->initial_value(p, field.name, component - field.first_component);
        return 0;
      }

    private:
      const std::vector<std::unique_ptr<PhysicsModule<dim>>> &modules;
      const FieldLayout                                      &layout;
    };

    /** Size of the generated separator box; zero for a mesh read from a file. */
    template <int dim> Point<dim> separator_extent(const SeparatorGeometry &geometry)
    {
      Point<dim> extent;
      if (geometry.type == "box")
        {
          const double sizes[3] = {geometry.width, geometry.thickness, geometry.depth};
          for (unsigned int d = 0; d < dim; ++d)
            extent[d] = sizes[d];
        }
      return extent;
    }
  } // namespace

  template <int dim>
  Simulator<dim>::Simulator(const RunParameters &run_parameters, const SeparatorGeometry &geometry,
                            ParameterHandler &prm, MPI_Comm mpi_communicator, std::ostream &log)
      : parameters(run_parameters)
      , geometry(geometry)
      , mpi_communicator(mpi_communicator)
      , pcout(log, Utilities::MPI::this_mpi_process(mpi_communicator) == 0)
      , material(MaterialField<dim>::create(prm, separator_extent<dim>(geometry)))
      , modules(PhysicsModuleRegistry<dim>::create(prm))
      , coupling(std::make_unique<CouplingLaws<dim>>(prm))
      , refinement_region(parse_expression<dim>(coordinate_names<dim>(false),
                                                run_parameters.refinement.refinement_region,
                                                "Mesh refinement/Refinement region"))
      , protocol(prm)
      , termination(prm, run_parameters.time, protocol)
      , timer(mpi_communicator, pcout, TimerOutput::never, TimerOutput::wall_times)
      // No deal.II smoothing: its island elimination looks at flags of ghost
      // cells and so depends on the partition; p4est's own 2:1 balance is.
      , triangulation(
            mpi_communicator, Triangulation<dim>::none,
            parallel::distributed::Triangulation<dim>::mesh_reconstruction_after_repartitioning)
      , dof_handler(triangulation)
      , jacobian_solver(parameters.linear_solver, dim, timer)
      , last_checkpoint_time(std::chrono::steady_clock::now())
  {
    std::ostringstream used;
    prm.print_parameters(used, ParameterHandler::ShortPRM);
    parameters_text = used.str();
    record_input_files();

    std::vector<FiniteElement<dim> *>                elements;
    std::vector<unsigned int>                        multiplicities;
    std::vector<std::unique_ptr<FiniteElement<dim>>> owned_elements;
    for (const auto &module : modules)
      for (const auto &field : module->fields())
        {
          if (fields.has(field.name))
            throw InputError("Physics/Modules: field '" + field.name + "' of module '" +
                             module->name() + "' is also a field of module '" +
                             fields[field.name].module + "'");
          FieldLayout::Field entry;
          entry.name            = field.name;
          entry.module          = module->name();
          entry.first_component = fields.n_components;
          entry.n_components    = field.n_components;
          entry.block           = fields.fields.size();
          entry.degree          = field.degree;
          entry.bound           = field.bound;
          fields.fields.push_back(entry);
          fields.n_components += field.n_components;
          owned_elements.push_back(std::make_unique<FE_Q<dim>>(field.degree));
          elements.push_back(owned_elements.back().get());
          multiplicities.push_back(field.n_components);
          for (unsigned int c = 0; c < field.n_components; ++c)
            component_blocks.push_back(entry.block);
        }
    // The nodal rule of the lithium balance is the vertices: one point per
    // node of every field.
    if (fields.has("lithium"))
      for (const auto &field : fields.fields)
        if (field.degree != 1)
          throw InputError("the lithium module needs finite elements of degree 1, but field '" +
                           field.name + "' of module '" + field.module + "' has degree " +
                           std::to_string(field.degree));
    if (protocol.sets_current() && !fields.has("phi"))
      throw InputError("Protocol/Type = " + protocol.name() +
                       " sets the applied current: it needs the electrochemistry module in "
                       "Physics/Modules");
    std::vector<const FiniteElement<dim> *> const_elements(elements.begin(), elements.end());
    fe = std::make_unique<FESystem<dim>>(const_elements, multiplicities);
    coupling->initialize(fields);
    if (ShortCircuitMonitor<dim>::applies_to(fields))
      short_circuit_monitor = std::make_unique<ShortCircuitMonitor<dim>>(prm, triangulation);
    else if (termination.has("crack front"))
      throw InputError("Termination/Criteria lists 'crack front', which the short-circuit "
                       "monitor measures: it needs the lithium module in Physics/Modules");
  }

  template <int dim> void Simulator<dim>::validate()
  {
    // A resumed run warns as a new one does: the warnings follow from the
    // case, which the checkpoint must match.
    if (parameters.output.resume)
      find_checkpoint();
    geometry.create_coarse_mesh(triangulation);
    material->check_mesh(triangulation);
    initialize_modules();
    if (!parameters.output.resume)
      earlier_results();
    warn_of_modules();
  }

  template <int dim> void Simulator<dim>::warn(const std::string &warning)
  {
    pcout << "weaklink: warning: " << warning << std::endl;
    warnings_issued.push_back(warning);
  }

  template <int dim> void Simulator<dim>::warn_of_modules()
  {
    for (const auto &module : modules)
      for (const auto &warning : module->warnings())
        warn(warning);
  }

  template <int dim> void Simulator<dim>::check_initial_resolution()
  {
    // Sub-cell detail of the expressions: 4^dim Gauss pairs per cell.
    const QIterated<dim>        quadrature(QGauss<1>(2), 4);
    FEValues<dim>               fe_values(dof_handler.get_fe(), quadrature,
                                          update_values | update_quadrature_points | update_JxW_values);
    const InitialValues<dim>    expression(modules, fields);
    std::vector<Vector<double>> interpolated(quadrature.size(),
                                             Vector<double>(fields.n_components));
    std::vector<double>         exact(fields.fields.size()), held(fields.fields.size());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values.get_function_values(solution, interpolated);
          for (unsigned int f = 0; f < fields.fields.size(); ++f)
            {
              const unsigned int component = fields.fields[f].first_component;
              for (const unsigned int q : fe_values.quadrature_point_indices())
                {
                  exact[f] += std::abs(expression.value(fe_values.quadrature_point(q), component)) *
                              fe_values.JxW(q);
                  held[f] += std::abs(interpolated[q][component]) * fe_values.JxW(q);
                }
            }
        }
    for (unsigned int f = 0; f < fields.fields.size(); ++f)
      {
        const double wanted = Utilities::MPI::sum(exact[f], mpi_communicator);
        const double got    = Utilities::MPI::sum(held[f], mpi_communicator);
        if (wanted > 0 && (got < 0.5 * wanted || got > 2 * wanted))
          warn("the initial " + fields.fields[f].name +
               " is finer than the mesh: its interpolation holds " +
               std::to_string(static_cast<int>(std::round(100 * got / wanted))) +
               " % of the integral of its expression; refine where it lies "
               "(Mesh refinement/Refinement region) or widen it");
      }
  }

  template <int dim> void Simulator<dim>::setup()
  {
    geometry.create_coarse_mesh(triangulation);
    material->check_mesh(triangulation);
    triangulation.refine_global(parameters.refinement.initial_global_refinement);
    initialize_modules();
    setup_dofs();
    set_initial_values();
  }

  template <int dim> void Simulator<dim>::initialize_modules()
  {
    ModuleContext<dim> context;
    context.mpi_communicator    = mpi_communicator;
    context.dof_handler         = &dof_handler;
    context.material            = material.get();
    context.fields              = &fields;
    context.coupling            = coupling.get();
    context.separator_thickness = geometry.separator_thickness(triangulation);
    context.finest_level =
        std::max(parameters.refinement.max_level, parameters.refinement.initial_global_refinement);
    deposition_at_nodes         = fields.has("lithium");
    context.deposition_at_nodes = deposition_at_nodes;
    context.protocol            = &protocol;
    for (const auto &module : modules)
      module->initialize(context);
    component_row_scales.assign(fields.n_components, 1.0);
    component_bound_stiffness.assign(fields.n_components, 1.0);
    for (auto &field : fields.fields)
      for (const auto &module : modules)
        if (module->name() == field.module)
          {
            field.residual_scale = module->residual_scale(field.name);
            for (unsigned int c = 0; c < field.n_components; ++c)
              {
                component_row_scales[field.first_component + c] = field.residual_scale;
                component_bound_stiffness[field.first_component + c] =
                    module->bound_stiffness(field.name);
              }
          }
  }

  template <int dim> void Simulator<dim>::setup_dofs()
  {
    TimerOutput::Scope scope(timer, "setup");
    cell_materials.clear();
    dof_handler.distribute_dofs(*fe);
    DoFRenumbering::component_wise(dof_handler, component_blocks);
    const std::vector<types::global_dof_index> dofs_per_block =
        DoFTools::count_dofs_per_fe_block(dof_handler, component_blocks);

    make_constraints(time);

    // Constraint masters (e.g. the equipotential electrode DoF) are needed
    // wherever a constrained DoF lives, so they join the ghost set.
    IndexSet ghosts = DoFTools::extract_locally_relevant_dofs(dof_handler);
    {
      std::vector<types::global_dof_index> masters;
      for (const auto &line : constraints.get_lines())
        for (const auto &entry : line.entries)
          masters.push_back(entry.first);
      std::sort(masters.begin(), masters.end());
      masters.erase(std::unique(masters.begin(), masters.end()), masters.end());
      ghosts.add_indices(masters.begin(), masters.end());
    }
    const IndexSet owned = dof_handler.locally_owned_dofs();
    owned_partitioning.clear();
    relevant_partitioning.clear();
    types::global_dof_index offset = 0;
    for (const auto n : dofs_per_block)
      {
        owned_partitioning.push_back(owned.get_view(offset, offset + n));
        relevant_partitioning.push_back(ghosts.get_view(offset, offset + n));
        offset += n;
      }

    TrilinosWrappers::BlockSparsityPattern pattern(owned_partitioning, owned_partitioning,
                                                   relevant_partitioning, mpi_communicator);
    DoFTools::make_sparsity_pattern(dof_handler, pattern, newton_constraints, false,
                                    Utilities::MPI::this_mpi_process(mpi_communicator));
    pattern.compress();
    system_matrix.reinit(pattern);
    residual.reinit(owned_partitioning, mpi_communicator);
    solution.reinit(owned_partitioning, relevant_partitioning, mpi_communicator);
    old_solution.reinit(owned_partitioning, relevant_partitioning, mpi_communicator);

    // Translations of every vector field, so that multigrid sees its near null space.
    block_constant_modes.assign(dofs_per_block.size(), {});
    for (unsigned int b = 0; b < dofs_per_block.size(); ++b)
      {
        ComponentMask mask(fe->n_components(), false);
        unsigned int  n_in_block = 0;
        for (unsigned int c = 0; c < fe->n_components(); ++c)
          if (component_blocks[c] == b)
            {
              mask.set(c, true);
              ++n_in_block;
            }
        if (n_in_block > 1)
          DoFTools::extract_constant_modes(dof_handler, mask, block_constant_modes[b]);
      }
    std::vector<bool> higher_order_block;
    for (const auto &module : modules)
      for (const auto &field : module->fields())
        higher_order_block.push_back(field.degree > 1);
    jacobian_solver.reset(higher_order_block, block_constant_modes);
    setup_bounded_dofs();
  }

  template <int dim> void Simulator<dim>::make_constraints(const double at_time)
  {
    const IndexSet relevant = DoFTools::extract_locally_relevant_dofs(dof_handler);
    constraints.clear();
    constraints.reinit(relevant);
    DoFTools::make_hanging_node_constraints(dof_handler, constraints);
    if (geometry.type == "box" && geometry.periodic_lateral)
      {
        DoFTools::make_periodicity_constraints(dof_handler, boundary_ids::lateral_x_low,
                                               boundary_ids::lateral_x_high, 0, constraints);
        if (dim == 3)
          DoFTools::make_periodicity_constraints(dof_handler, boundary_ids::lateral_z_low,
                                                 boundary_ids::lateral_z_high, 2, constraints);
      }
    for (const auto &module : modules)
      module->add_constraints(constraints, at_time);
    constraints.close();

    base_newton_constraints.clear();
    base_newton_constraints.copy_from(constraints);
    for (const auto &line : constraints.get_lines())
      base_newton_constraints.set_inhomogeneity(line.index, 0.0);
    // A new solve starts with an empty active set.
    newton_constraints.clear();
    newton_constraints.copy_from(base_newton_constraints);
    active_dofs.clear();
    active_set_signatures.clear();
    active_set_frozen       = false;
    active_set_thaws        = 0;
    held_against_multiplier = 0;
  }

  template <int dim> void Simulator<dim>::set_initial_values()
  {
    BlockVector owned_values(owned_partitioning, mpi_communicator);
    VectorTools::interpolate(dof_handler, InitialValues<dim>(modules, fields), owned_values);
    constraints.distribute(owned_values);
    solution     = owned_values;
    old_solution = owned_values;
  }

  template <int dim>
  void Simulator<dim>::record_step(const NewtonReport &report, const double step_size,
                                   const double wall_seconds)
  {
    Statistics::Row row{{"step", static_cast<double>(step)},
                        {"time [s]", time},
                        {"dt [s]", step_size},
                        {"dofs", static_cast<double>(dof_handler.n_dofs())},
                        {"cells", static_cast<double>(triangulation.n_global_active_cells())},
                        {"newton_iterations", static_cast<double>(report.iterations)},
                        {"linear_iterations", static_cast<double>(report.linear_iterations)},
                        {"residual", report.final_residual},
                        {"wall_time [s]", wall_seconds}};
    for (const auto &module : modules)
      for (const auto &entry : module->postprocess(solution, time))
        row.push_back(entry);
    if (short_circuit_monitor)
      {
        short_circuit_monitor->evaluate(dof_handler, solution, fields, *coupling, *material,
                                        statistics_table, row);
        for (const auto &filament : short_circuit_monitor->filaments())
          filament_table.add_row({{"step", static_cast<double>(step)},
                                  {"time [s]", time},
                                  {"filament", static_cast<double>(filament.id)},
                                  {"cells", static_cast<double>(filament.cells)},
                                  {"crack_front [m]", filament.crack_front},
                                  {"lithium_front [m]", filament.lithium_front},
                                  {"dry_crack_length [m]",
                                   std::max(filament.crack_front - filament.lithium_front, 0.0)}});
      }
    statistics_table.add_row(row);
    write_statistics();

    pcout << "step " << std::setw(5) << step << "  t = " << std::setprecision(6) << std::setw(12)
          << time << " s  dt = " << std::setw(10) << step_size << " s  Newton " << report.iterations
          << " (linear " << report.linear_iterations << ")  residual " << std::setprecision(3)
          << report.final_residual;
    for (std::size_t i = 9; i < row.size() && i < 11; ++i)
      pcout << "  " << row[i].first << " = " << std::setprecision(6) << row[i].second;
    pcout << std::endl;
  }

  template <int dim> RunSummary Simulator<dim>::run()
  {
    run_start = std::chrono::steady_clock::now();
    if (parameters.output.resume)
      {
        resume_from_checkpoint();
        prepare_output_directory();
        warn_of_modules();
      }
    else
      {
        setup();
        // The refinement region and (if asked) material interfaces at the
        // finest level before anything is solved: first the mesh alone, level
        // by level, with the DoFs distributed once at the end; then initial
        // cracks and notches, which the modules find in the initial fields.
        bool refined_to_geometry = false;
        while (refine_mesh_to_geometry())
          refined_to_geometry = true;
        if (refined_to_geometry)
          {
            setup_dofs();
            set_initial_values();
          }
        while (refine_to_targets(true))
          set_initial_values();
        prepare_output_directory();
        pcout << "weaklink: " << dim << "D, " << Utilities::MPI::n_mpi_processes(mpi_communicator)
              << " MPI ranks, " << triangulation.n_global_active_cells() << " cells, "
              << dof_handler.n_dofs() << " DoFs; output in " << parameters.output.directory
              << std::endl;
        warn_of_modules();
        check_initial_resolution();
        // Step 0: the state at t = 0 (quasi-static fields), on an adapted mesh.
        time_step = parameters.time.initial_step;
        for (unsigned int cycle = 0;; ++cycle)
          {
            const auto start = std::chrono::steady_clock::now();
            // Δt = 0: the state at t = 0, nothing accumulates (lithium).
            NewtonReport report = solve_step(0.0, 0.0);
            while (refine_to_targets())
              report = solve_step(0.0, 0.0);
            old_solution = solution;
            if (cycle == parameters.refinement.initial_adaptive_refinement)
              {
                record_step(report, 0.0,
                            std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                                .count());
                break;
              }
            adapt_mesh();
          }
        if (parameters.output.vtu_interval > 0)
          write_fields();
      }
    // The state at t = 0 may already be the end (a short); an interruption
    // waits for the first step, which leaves a checkpoint.
    std::optional<Stop> stop = termination.stopping(progress());
    if (!stop || stop->first->interrupts())
      stop = time_loop();
    const RunSummary summary = finish_run(*stop);
    timer.print_wall_time_statistics(mpi_communicator);
    return summary;
  }

  template <int dim> RunProgress Simulator<dim>::progress() const
  {
    RunProgress now;
    now.time    = time;
    now.step    = step;
    now.shorted = short_circuit().has_value();
    if (short_circuit_monitor && !statistics_table.rows().empty())
      now.crack_front = statistics_table.last("crack_front [m]");
    // The slowest rank's clock, so that all ranks stop together.
    now.wall_minutes = Utilities::MPI::max(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count() / 60,
        mpi_communicator);
    return now;
  }

  template <int dim> std::pair<double, std::string> Simulator<dim>::largest_step_change() const
  {
    std::pair<double, std::string> largest{0.0, ""};
    for (const auto &module : modules)
      {
        const double change = module->step_change(solution, old_solution);
        if (change > largest.first)
          largest = {change, module->name()};
      }
    return largest;
  }

  template <int dim> typename Simulator<dim>::Stop Simulator<dim>::time_loop()
  {
    const auto         &tp                = parameters.time;
    const double        time_epsilon      = 1e-12 * std::max(1.0, tp.end_time);
    bool                wrote_last_fields = false;
    double              rejected_change   = 0; ///< of the last step redone for its change, if any
    std::optional<Stop> stop;
    while (!stop)
      {
        // Land exactly on every change of the applied current and on every
        // stop time, without leaving a sliver of a step before one: a
        // remainder under half a step is shared with this one.
        const double next_stop =
            std::min(protocol.next_breakpoint(time), termination.next_stop_time(time));
        const double to_stop   = next_stop - time;
        double       step_size = std::min(time_step, to_stop);
        if (to_stop - step_size < 0.01 * step_size)
          step_size = to_stop;
        else if (to_stop < 1.5 * step_size)
          step_size = 0.5 * to_stop;
        const double step_end = step_size == next_stop - time ? next_stop : time + step_size;
        const auto   start    = std::chrono::steady_clock::now();
        NewtonReport report;
        try
          {
            report = solve_step(step_end, step_size);
            // Predictor–corrector: where the step moved the crack into coarse
            // cells, refine and redo it from the transferred old state.
            while (refine_to_targets())
              {
                pcout << "step " << step + 1 << ": mesh refined ahead of the crack ("
                      << triangulation.n_global_active_cells() << " cells); redoing the step"
                      << std::endl;
                report = solve_step(step_end, step_size);
              }
          }
        catch (const StepFailure &failure)
          {
            solution  = old_solution;
            time_step = step_size * tp.cut_factor;
            pcout << "step " << step + 1 << " at t = " << step_end
                  << " s failed: " << failure.what() << "; cutting dt to " << time_step << " s"
                  << std::endl;
            if (time_step < tp.min_step)
              throw StepFailure(
                  "time step " + std::to_string(time_step) +
                  " s fell below Time stepping/Minimum time step after: " + failure.what());
            continue;
          }
        // A module may bound how much one step changes its fields (a crack
        // running through the mesh): redo a step over the bound with a smaller
        // one, except at the minimum step, where an unstable process must go on.
        const auto [change, changed_module] = largest_step_change();
        const double smallest_step          = std::max(tp.min_step, time_epsilon);
        if (change > 1 && step_size > smallest_step * (1 + 1e-9))
          {
            // A change that did not halve when the step was cut does not
            // depend on the step (a crack running unstably): go straight to
            // the minimum instead of cutting again and again.
            const bool unresponsive = rejected_change > 0 && change > 0.5 * rejected_change;
            rejected_change         = change;
            solution                = old_solution;
            time_step               = unresponsive ? smallest_step
                                                   : std::max(smallest_step,
                                                              step_size * std::min(tp.cut_factor, 0.9 / change));
            pcout << "step " << step + 1 << " at t = " << step_end << " s: " << changed_module
                  << " changed " << change
                  << " times its per-step limit; redoing with dt = " << time_step << " s"
                  << std::endl;
            continue;
          }
        rejected_change = 0;
        if (change > 1)
          pcout << "step " << step + 1 << ": " << changed_module << " changed " << change
                << " times its per-step limit at the minimum time step; accepted" << std::endl;
        // A step shortened to land on a stop leaves time_step as it was.
        time = step_end;
        ++step;
        old_solution = solution;
        record_step(
            report, step_size,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        wrote_last_fields = false;
        if (parameters.output.vtu_interval > 0 && step % parameters.output.vtu_interval == 0)
          {
            write_fields();
            wrote_last_fields = true;
          }
        stop = termination.stopping(progress());
        // A run that checkpoints leaves a checkpoint at its end, whatever
        // stopped it, to be resumed further (a later End time, more steps).
        // Like every checkpoint it follows the mesh adaptation and the
        // step-size update, so that the resumed run continues exactly; the
        // fields at the end are those solved, written before the mesh adapts.
        const bool checkpointing = parameters.output.checkpoint_interval_steps > 0 ||
                                   parameters.output.checkpoint_interval_minutes > 0;
        if (stop && !stop->first->interrupts() && !checkpointing)
          break;
        // The series (file index, .pvd records) before the fields at the end.
        std::optional<std::pair<unsigned int, std::size_t>> series_before_end;
        if (stop && parameters.output.write_fields_at_end && !wrote_last_fields)
          {
            series_before_end.emplace(output_index, pvd_records.size());
            write_fields();
            wrote_last_fields = true;
          }

        if (parameters.refinement.interval > 0 && step % parameters.refinement.interval == 0)
          adapt_mesh();
        if (report.iterations <= tp.easy_newton_iterations)
          time_step *= tp.growth_factor;
        if (change > 0)
          time_step = std::max(std::min(time_step, 0.9 * step_size / change), smallest_step);
        time_step = std::min(time_step, tp.max_step);
        // After adaptation and the step-size update, so that a resumed run
        // continues exactly as this one does.
        const bool checkpoint_by_steps = parameters.output.checkpoint_interval_steps > 0 &&
                                         step % parameters.output.checkpoint_interval_steps == 0;
        const double minutes_since =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint_time)
                .count() /
            60;
        const bool checkpoint_by_time = parameters.output.checkpoint_interval_minutes > 0 &&
                                        Utilities::MPI::max(minutes_since, mpi_communicator) >=
                                            parameters.output.checkpoint_interval_minutes;
        if (checkpoint_by_steps || checkpoint_by_time || stop)
          {
            // The resumed run continues the series of an uninterrupted one,
            // which has no fields at this end (its next ones replace them).
            const auto records = pvd_records;
            const auto index   = output_index;
            if (series_before_end)
              {
                output_index = series_before_end->first;
                pvd_records.resize(series_before_end->second);
              }
            write_checkpoint();
            output_index = index;
            pvd_records  = records;
          }
      }
    if (parameters.output.write_fields_at_end && !wrote_last_fields)
      write_fields();
    pcout << "weaklink: stopped at t = " << time << " s after " << step
          << " steps: " << stop->second << "; statistics in " << output_file("statistics.txt")
          << std::endl;
    return *stop;
  }

  template <int dim> std::optional<ShortCircuit> Simulator<dim>::short_circuit() const
  {
    if (!short_circuit_monitor)
      return std::nullopt;
    return short_circuit_monitor->short_circuit();
  }

  template class Simulator<2>;
  template class Simulator<3>;
} // namespace weaklink
