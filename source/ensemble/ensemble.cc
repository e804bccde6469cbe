#include <weaklink/app/application.h>
#include <weaklink/core/input_error.h>
#include <weaklink/descriptors/defect_descriptors.h>
#include <weaklink/descriptors/material_descriptors.h>
#include <weaklink/ensemble/ensemble.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <sys/resource.h>

namespace weaklink
{
  using namespace dealii;
  namespace fs = std::filesystem;

  namespace
  {
    /** A class value as a number where it is one ("0.05"), else as text ("clustered"). */
    JsonRecord::Value number_or_text(const std::string &value)
    {
      try
        {
          std::size_t  used   = 0;
          const double number = std::stod(value, &used);
          if (used == value.size() && std::isfinite(number))
            return number;
        }
      catch (const std::exception &)
        {
        }
      return value;
    }

    std::string read_text(const std::string &path)
    {
      std::ifstream      in(path);
      std::ostringstream text;
      text << in.rdbuf();
      return text.str();
    }

    void write_text_atomically(const std::string &path, const std::string &text)
    {
      {
        std::ofstream out(path + ".tmp");
        out << text;
        if (!out)
          throw InputError("cannot write '" + path + "'");
      }
      fs::rename(path + ".tmp", path);
    }

    /** What became of a sample, for its progress line. */
    std::string outcome(const JsonRecord &record)
    {
      std::ostringstream text;
      text.precision(4);
      if (record.boolean("failed"))
        return "FAILED: " + record.string("failure");
      if (record.boolean("shorted"))
        text << "short " << record.string("short_criterion")
             << " at t = " << record.number("time [s]") << " s";
      else
        text << "no short by t = " << record.number("time [s]") << " s (censored)";
      if (std::isfinite(record.number("ccd [mA/cm2]")))
        text << ", CCD " << (record.boolean("shorted") ? "" : "> ") << record.number("ccd [mA/cm2]")
             << " mA/cm^2";
      return text.str();
    }

    /**
     * Checks that @p study's directory holds this study or none (rank 0) and
     * returns the indices of the samples without a valid result.
     */
    std::vector<unsigned int> unfinished_samples(const Study &study)
    {
      const fs::path directory(study.output_directory());
      fs::create_directories(directory / "results");
      fs::create_directories(directory / "samples");
      const std::string definition_file = (directory / "study_definition.txt").string();
      if (fs::exists(definition_file))
        {
          if (read_text(definition_file) != study.definition())
            throw InputError("Study/Output directory '" + study.output_directory() +
                             "' holds the results of another study (study_definition.txt "
                             "differs); remove it or choose another directory");
        }
      else
        write_text_atomically(definition_file, study.definition());
      std::vector<unsigned int> pending;
      for (const auto &sample : study.samples())
        {
          bool finished = false;
          if (fs::exists(study.result_file(sample)))
            try
              {
                finished = JsonRecord::read(study.result_file(sample)).has("failed");
              }
            catch (const InputError &)
              {
                // A damaged result is run again.
              }
          if (!finished)
            pending.push_back(sample.index);
        }
      return pending;
    }

    /** Counters shared by all ranks through an MPI window on rank 0. */
    class SharedCounters
    {
    public:
      enum Counter
      {
        next_sample,
        finished,
        failed,
        n_counters
      };

      explicit SharedCounters(MPI_Comm world)
      {
        const bool owner = Utilities::MPI::this_mpi_process(world) == 0;
        MPI_Win_allocate(owner ? n_counters * sizeof(long) : 0, sizeof(long), MPI_INFO_NULL, world,
                         &values, &window);
        if (owner)
          {
            MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, window);
            for (int c = 0; c < n_counters; ++c)
              values[c] = 0;
            MPI_Win_unlock(0, window);
          }
        MPI_Barrier(world);
      }
      ~SharedCounters() { MPI_Win_free(&window); }

      /** Adds @p amount to @p counter atomically and returns its value before. */
      long fetch_and_add(const Counter counter, long amount)
      {
        long before = 0;
        MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, window);
        MPI_Fetch_and_op(&amount, &before, MPI_LONG, 0, counter, MPI_SUM, window);
        MPI_Win_unlock(0, window);
        return before;
      }

    private:
      long   *values = nullptr;
      MPI_Win window;
    };

    std::string csv_cell(const std::string &text)
    {
      if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
      std::string quoted = "\"";
      for (const char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted + "\"";
    }
  } // namespace

  JsonRecord run_sample(const Study &study, const StudySample &sample, MPI_Comm communicator)
  {
    const auto start = std::chrono::steady_clock::now();
    const bool root  = Utilities::MPI::this_mpi_process(communicator) == 0;
    JsonRecord record;
    record.set("sample", sample.name);
    record.set("class", static_cast<double>(sample.class_index));
    for (const auto &[path, value] : sample.class_values)
      record.set(path, number_or_text(value));
    record.set("seed", static_cast<double>(sample.seed));
    std::string failure;
    try
      {
        std::ofstream      log;
        std::ostringstream discarded;
        if (root)
          {
            fs::create_directories(fs::path(study.log_file(sample)).parent_path());
            log.open(study.log_file(sample));
          }
        CaseParameters case_parameters(study.case_assignments(sample));
        case_parameters.geometry.check_files();
        const RunSummary summary = run_simulation(
            case_parameters, communicator, root ? static_cast<std::ostream &>(log) : discarded);
        const JsonRecord summary_record = summary.record();
        for (const auto &[key, value] : summary_record.entries())
          if (key != "wall_time [s]")
            record.set(key, value);
        record.set("simulation_time [s]", summary_record.number("wall_time [s]"));
        const auto describing = std::chrono::steady_clock::now();
        if (root && study.computes_descriptors())
          if (const auto values =
                  material_defect_descriptors(case_parameters.prm, case_parameters.geometry,
                                              case_parameters.run.dimension, study.voxel_size()))
            {
              const auto definitions = defect_descriptor_definitions(case_parameters.run.dimension);
              for (std::size_t d = 0; d < definitions.size(); ++d)
                record.set(definitions[d].name + (definitions[d].unit.empty()
                                                      ? ""
                                                      : " [" + definitions[d].unit + "]"),
                           (*values)[d]);
            }
        record.set(
            "descriptor_time [s]",
            std::chrono::duration<double>(std::chrono::steady_clock::now() - describing).count());
      }
    catch (const std::exception &error)
      {
        failure = first_line(error.what());
      }
    record.set("failed", !failure.empty());
    record.set("failure", failure);
    record.set("wall_time [s]",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    // The process's high-water mark so far (Linux reports kB): what a rank needs.
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    record.set("peak_memory_per_rank [MB]",
               Utilities::MPI::max(usage.ru_maxrss / 1024.0, communicator));
    return record;
  }

  void run_ensemble(const Study &study, const unsigned int ranks_per_sample, MPI_Comm world,
                    std::ostream &out)
  {
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(world);
    const unsigned int rank    = Utilities::MPI::this_mpi_process(world);
    if (ranks_per_sample == 0 || n_ranks % ranks_per_sample != 0)
      throw InputError("--ranks-per-sample " + std::to_string(ranks_per_sample) +
                       " does not divide the " + std::to_string(n_ranks) + " MPI ranks");

    // Rank 0 owns the directory; its verdict reaches every rank.
    std::vector<unsigned int> pending;
    std::string               refusal;
    if (rank == 0)
      try
        {
          pending = unfinished_samples(study);
        }
      catch (const std::exception &error)
        {
          refusal = first_line(error.what());
        }
    refusal = Utilities::MPI::broadcast(world, refusal, 0);
    if (!refusal.empty())
      throw InputError(refusal);
    pending = Utilities::MPI::broadcast(world, pending, 0);

    const unsigned int n_groups = n_ranks / ranks_per_sample;
    const std::size_t  n_before = study.samples().size() - pending.size();
    if (rank == 0)
      out << "weaklink-ensemble: " << study.n_classes() << " classes, " << study.samples().size()
          << " samples (" << n_before << " finished before); running " << pending.size() << " on "
          << n_groups << " groups of " << ranks_per_sample << " rank"
          << (ranks_per_sample > 1 ? "s" : "") << std::endl;

    MPI_Comm group;
    MPI_Comm_split(world, rank / ranks_per_sample, rank, &group);
    const bool leader = Utilities::MPI::this_mpi_process(group) == 0;
    {
      SharedCounters counters(world);
      const auto     start = std::chrono::steady_clock::now();
      for (;;)
        {
          long next = leader ? counters.fetch_and_add(SharedCounters::next_sample, 1) : 0;
          MPI_Bcast(&next, 1, MPI_LONG, 0, group);
          if (next >= static_cast<long>(pending.size()))
            break;
          const StudySample &sample = study.samples()[pending[next]];
          const JsonRecord   record = run_sample(study, sample, group);
          if (!leader)
            continue;
          record.write_atomically(study.result_file(sample));
          const bool failed = record.boolean("failed");
          const long done   = counters.fetch_and_add(SharedCounters::finished, 1) + 1;
          const long failures =
              counters.fetch_and_add(SharedCounters::failed, failed ? 1 : 0) + (failed ? 1 : 0);
          const double elapsed =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          const double       eta = elapsed / done * (static_cast<double>(pending.size()) - done);
          std::ostringstream line;
          line.precision(3);
          line << "[" << std::setw(4) << n_before + done << "/" << study.samples().size() << "] "
               << sample.name << ": " << outcome(record) << " (" << record.number("wall_time [s]")
               << " s); " << failures << " failed, ETA " << std::fixed << eta / 60 << " min\n";
          out << line.str() << std::flush;
        }
    }
    MPI_Comm_free(&group);

    std::string table_error;
    if (rank == 0)
      try
        {
          const unsigned int rows = write_study_table(study);
          out << "weaklink-ensemble: table of " << rows << " samples in "
              << (fs::path(study.output_directory()) / "table.csv").string() << " and table.json"
              << std::endl;
        }
      catch (const std::exception &error)
        {
          table_error = first_line(error.what());
        }
    table_error = Utilities::MPI::broadcast(world, table_error, 0);
    if (!table_error.empty())
      throw std::runtime_error(table_error);
  }

  unsigned int write_study_table(const Study &study)
  {
    std::vector<JsonRecord> records;
    for (const auto &sample : study.samples())
      if (fs::exists(study.result_file(sample)))
        records.push_back(JsonRecord::read(study.result_file(sample)));

    // Columns in the order they first appear; a missing value is nan in a
    // column of numbers and empty in a column of text.
    std::vector<std::pair<std::string, bool>> columns; ///< name, holds text
    for (const auto &record : records)
      for (const auto &[key, value] : record.entries())
        if (std::find_if(columns.begin(), columns.end(),
                         [&](const auto &column) { return column.first == key; }) == columns.end())
          columns.emplace_back(key, std::holds_alternative<std::string>(value));

    std::ostringstream csv, json;
    for (std::size_t c = 0; c < columns.size(); ++c)
      csv << (c ? "," : "") << csv_cell(columns[c].first);
    csv << "\n";
    json << "[";
    for (std::size_t r = 0; r < records.size(); ++r)
      {
        for (std::size_t c = 0; c < columns.size(); ++c)
          {
            csv << (c ? "," : "");
            if (!records[r].has(columns[c].first))
              {
                csv << (columns[c].second ? "" : "nan");
                continue;
              }
            const auto &value = records[r].at(columns[c].first);
            if (const auto *number = std::get_if<double>(&value))
              {
                char text[32];
                std::snprintf(text, sizeof(text), "%.12g", *number);
                csv << (std::isfinite(*number) ? text : "nan");
              }
            else if (const auto *flag = std::get_if<bool>(&value))
              csv << (*flag ? 1 : 0);
            else
              csv << csv_cell(std::get<std::string>(value));
          }
        csv << "\n";
        std::string text = records[r].text();
        text.pop_back(); // the newline after the closing brace
        json << (r ? ",\n" : "\n") << text;
      }
    json << "\n]\n";
    const fs::path directory(study.output_directory());
    write_text_atomically((directory / "table.csv").string(), csv.str());
    write_text_atomically((directory / "table.json").string(), json.str());
    return records.size();
  }
} // namespace weaklink
