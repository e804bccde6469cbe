#include <weaklink/core/input_error.h>
#include <weaklink/simulator/simulator.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace weaklink
{
  using namespace dealii;

  namespace
  {
    /** Newton iterations over which progress is judged (a floor reached, a cycle). */
    constexpr std::size_t stagnation_window = 8;

    /** True when the update is below @p tolerance of the iterate in every block. */
    bool update_is_small(const BlockVector &update, const BlockVector &iterate,
                         const double tolerance)
    {
      for (unsigned int b = 0; b < update.n_blocks(); ++b)
        if (update.block(b).linfty_norm() > tolerance * iterate.block(b).linfty_norm())
          return false;
      return true;
    }
  } // namespace

  template <int dim> bool Simulator<dim>::uses_direct_solver() const
  {
    const auto &lp = parameters.linear_solver;
    // Fill-in grows much faster in 3D (separators of N^(2/3) unknowns).
    const double limit = dim == 2 ? lp.direct_limit : 0.1 * lp.direct_limit;
    return lp.method == "direct" || (lp.method == "automatic" && dof_handler.n_dofs() <= limit);
  }

  template <int dim> unsigned int Simulator<dim>::solve_linear_system(BlockVector &update)
  {
    const unsigned int iterations =
        jacobian_solver.solve(system_matrix, update, residual, uses_direct_solver());
    newton_constraints.distribute(update);
    return iterations;
  }

  template <int dim> void Simulator<dim>::update_merit_weights()
  {
    if (merit_weights.n_blocks() != residual.n_blocks() || merit_weights.size() != residual.size())
      merit_weights.reinit(owned_partitioning, mpi_communicator);
    for (unsigned int b = 0; b < residual.n_blocks(); ++b)
      {
        const auto &block   = system_matrix.block(b, b);
        double      log_sum = 0, count = 0;
        for (const auto i : owned_partitioning[b])
          if (const double diagonal = std::abs(block.diag_element(i)); diagonal > 0)
            {
              log_sum += std::log(diagonal);
              count += 1;
            }
        log_sum              = Utilities::MPI::sum(log_sum, mpi_communicator);
        count                = Utilities::MPI::sum(count, mpi_communicator);
        const double typical = count > 0 ? std::exp(log_sum / count) : 1.0;
        for (const auto i : owned_partitioning[b])
          {
            const double diagonal = std::abs(block.diag_element(i));
            merit_weights.block(b)(i) =
                diagonal > stiff_row_factor * typical ? stiff_row_factor * typical / diagonal : 1.0;
          }
      }
    merit_weights.compress(VectorOperation::insert);
  }

  template <int dim> double Simulator<dim>::merit_norm(const BlockVector &vector) const
  {
    if (merit_weights.size() != vector.size())
      return vector.l2_norm();
    BlockVector weighted(vector);
    weighted.scale(merit_weights);
    return weighted.l2_norm();
  }

  template <int dim>
  NewtonReport Simulator<dim>::solve_step(const double at_time, const double step_size)
  {
    const unsigned int max_iterations = parameters.newton.max_iterations;
    coupling->update_crack_apertures(dof_handler, old_solution, *material);
    if (!has_bounded_fields)
      return newton(at_time, step_size, max_iterations);
    // Fracture makes the energy non-convex: where the crack runs the full
    // Jacobian is indefinite and may defeat the linear solver or the line
    // search. The staggered Jacobian (u at fixed d, then d) is robust but
    // converges linearly, so it gets more iterations.
    const BlockVector start = solution;
    try
      {
        return newton(at_time, step_size, max_iterations);
      }
    catch (const StepFailure &failure)
      {
        // Staggering separates u from d; without a driven damage field (only
        // the bound on c, say) it is the same Newton with a worse Jacobian.
        if (!damage_was_driven)
          throw;
        pcout << "  full Newton failed (" << failure.what()
              << "); retrying with the staggered Jacobian" << std::endl;
      }
    solution           = start;
    staggered_jacobian = true;
    try
      {
        const NewtonReport report = newton(at_time, step_size, 5 * max_iterations);
        staggered_jacobian        = false;
        return report;
      }
    catch (const StepFailure &)
      {
        staggered_jacobian = false;
        throw;
      }
  }

  template <int dim>
  NewtonReport Simulator<dim>::newton(const double at_time, const double step_size,
                                      const unsigned int max_iterations)
  {
    const auto &np = parameters.newton;
    make_constraints(at_time);
    BlockVector current(owned_partitioning, mpi_communicator);
    current = solution;
    constraints.distribute(current);
    solution = current;

    NewtonReport report;
    damage_was_driven = false;
    // The merit at `current`, leaving the residual without the active rows;
    // with a bounded field the active set is updated first, from the full
    // residual. An accepted line-search trial has just assembled it.
    bool       active_set_changed = false;
    const auto evaluate_residual  = [&](const bool residual_is_assembled = false) {
      if (!residual_is_assembled)
        assemble(solution, at_time, step_size, false);
      if (has_bounded_fields)
        {
          active_set_changed = update_active_set(current, report.iterations);
          if (active_set_moved_values)
            {
              solution = current;
              assemble(solution, at_time, step_size, false);
            }
        }
      const double merit = complementarity_merit(current);
      remove_active_rows(residual);
      // Below the AT1 threshold every damage row is on its bound: not driven.
      if (fields.has("damage") && residual.block(fields["damage"].block).linfty_norm() > 0)
        damage_was_driven = true;
      return merit;
    };
    // The merit weights come from the Jacobian at the iterate; the tolerance
    // from the first one.
    assemble(solution, at_time, step_size, true);
    update_merit_weights();
    // Without bounds the Jacobian's assembly has just made the residual under
    // the same constraints; with them the active set needs the full residual.
    double norm = evaluate_residual(!has_bounded_fields);
    if (!std::isfinite(norm))
      throw StepFailure("the residual of the initial guess is not finite (NaN or inf)");
    report.initial_residual = norm;
    const double tolerance  = std::max(np.absolute_tolerance, np.relative_tolerance * norm);
    const auto   log        = [&](const double step_length) {
      if (!np.log_iterations)
        return;
      BlockVector weighted(residual);
      if (merit_weights.size() == residual.size())
        weighted.scale(merit_weights);
      pcout << "    Newton " << report.iterations << ": residual " << three_digits(norm) << " (";
      for (const auto &field : fields.fields)
        pcout << (field.block == 0 ? "" : ", ") << field.name << " "
              << three_digits(weighted.block(field.block).l2_norm());
      pcout << ")";
      if (report.iterations > 0)
        pcout << ", step " << step_length;
      if (has_bounded_fields)
        {
          const IndexSet &owned    = dof_handler.locally_owned_dofs();
          unsigned int    n_active = 0;
          for (const auto i : active_dofs)
            n_active += owned.is_element(i) ? 1 : 0;
          pcout << ", active bounds " << Utilities::MPI::sum(n_active, mpi_communicator);
        }
      pcout << std::endl;
    };
    log(1.0);

    BlockVector update(owned_partitioning, mpi_communicator);
    BlockVector trial(owned_partitioning, mpi_communicator);
    // The merit after each iteration, for telling a floor or a cycle from progress.
    std::vector<double> history{norm};
    const auto          thawed = [&]() {
      if (!thaw_active_set())
        return false;
      solution = current;
      norm     = evaluate_residual();
      log(1.0);
      return true;
    };
    do
      while (norm > tolerance || active_set_changed)
        {
          if (report.iterations == max_iterations)
            throw StepFailure(std::string(staggered_jacobian ? "staggered " : "") +
                              "Newton did not converge in " + std::to_string(max_iterations) +
                              " iterations (residual " + three_digits(norm) + ", tolerance " +
                              three_digits(tolerance) +
                              (active_set_changed ? ", damage active set still changing" : "") +
                              ")");
          // Without bounds the Jacobian of the merit weights is the one at
          // `solution` with the same constraints: the first iteration reuses it.
          if (report.iterations > 0 || has_bounded_fields)
            {
              assemble(solution, at_time, step_size, true);
              // Lithium arriving at a node turns its ψ rows metallic within the
              // solve: the weights follow the Jacobian, and each line search
              // compares norms under the weights of its own starting point.
              update_merit_weights();
              norm = complementarity_merit(current);
            }
          ++report.iterations;
          report.linear_iterations += solve_linear_system(update);
          // A module may stop nodes at a kink of its law; if the shortened
          // direction does not decrease the merit, the Newton one is tried.
          BlockVector newton_update;
          {
            BlockVector shortened(update);
            bool        limited = false;
            for (const auto &module : modules)
              limited |= module->limit_newton_update(current, shortened);
            if (limited)
              {
                // A shortened master DoF: its hanging nodes follow it.
                newton_constraints.distribute(shortened);
                newton_update = update;
                update        = shortened;
              }
          }
          if (update_is_small(update, current, np.update_tolerance) && !active_set_changed)
            {
              current.add(-1.0, update);
              solution = current;
              norm     = evaluate_residual();
              if (!active_set_changed)
                break;
              continue;
            }

          // Backtracking line search on the merit (Armijo). A staggered step
          // decreases the energy, not necessarily the residual: it is taken whole.
          double alpha    = 1.0;
          bool   accepted = false;
          for (unsigned int k = 0; k <= np.max_line_search_steps; ++k, alpha *= 0.5)
            {
              if (k == np.max_line_search_steps && newton_update.size() > 0)
                {
                  update = newton_update;
                  newton_update.reinit(0);
                  alpha = 1.0;
                  k     = 0;
                }
              trial = current;
              trial.add(-alpha, update);
              solution = trial;
              assemble(solution, at_time, step_size, false);
              const double trial_norm = complementarity_merit(trial);
              if (std::isfinite(trial_norm) &&
                  (trial_norm <= (1 - np.sufficient_decrease * alpha) * norm ||
                   (staggered_jacobian && k == 0)))
                {
                  current  = trial;
                  accepted = true;
                  break;
                }
            }
          if (!accepted)
            {
              solution = current;
              // Within a decade of the tolerance no direction decreases the
              // norm any more: its round-off floor (metallic rows) is reached.
              if (norm <= 10 * tolerance)
                break;
              throw StepFailure("the Newton line search found no decrease of the residual " +
                                three_digits(norm) + " at iteration " +
                                std::to_string(report.iterations) +
                                " (NaN or a non-descent direction)");
            }
          solution = current;
          norm     = evaluate_residual(true);
          log(alpha);
          if (!std::isfinite(norm))
            throw StepFailure("the residual became NaN or inf at Newton iteration " +
                              std::to_string(report.iterations));
          history.push_back(norm);
          if (active_set_changed || history.size() <= stagnation_window)
            continue;
          // Progress over the last iterations: the best merit now against the
          // best before them.
          const double best_before =
              *std::min_element(history.begin(), history.end() - stagnation_window);
          const double best_recent =
              *std::min_element(history.end() - stagnation_window, history.end());
          // Within a decade of the tolerance and barely moving: the round-off
          // floor of the metallic rows is reached (as when the line search
          // finds no decrease there).
          if (norm <= 10 * tolerance && best_recent > 0.5 * best_before)
            break;
          // The staggered Jacobian may cycle between two iterates for ever;
          // a smaller step is the way out, so say so now rather than after
          // all its iterations.
          if (staggered_jacobian && best_recent > 0.9 * best_before)
            throw StepFailure("staggered Newton stopped converging at residual " +
                              three_digits(norm) + " (tolerance " + three_digits(tolerance) +
                              ") after " + std::to_string(report.iterations) + " iterations");
        }
    while (thawed());
    solution = current;
    check_bound_multipliers();
    report.final_residual = norm;
    return report;
  }

  template class Simulator<2>;
  template class Simulator<3>;
} // namespace weaklink
