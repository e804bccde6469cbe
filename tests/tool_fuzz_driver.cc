// Runs weaklink's executables on many malformed inputs, each in a forked child
// of this one process: the libraries are loaded once, so a run costs its own
// work, not 0.4 s of loading deal.II. Every child calls the executable's own
// main function (MPI start included) and ends with its exit status, so a
// crash is a signal or a status above 3, exactly as for the real executable.
//
//   tool_fuzz_driver PLAN [--jobs J] [--time-limit S] [--seed N] [--keep DIR]
//
// Each line of PLAN: COUNT, TOOL and its arguments, separated by tabs. An
// argument @PATH stands for a mutated copy of PATH, a new mutation in each of
// the COUNT runs: truncated, bytes overwritten, binary junk appended, one
// value replaced by an extreme or mistyped one, a line dropped or repeated,
// all lines joined. "{run}" in an argument becomes the run's number (output
// names that earlier runs have not used). Deterministic for a seed. A mutated input that crashed or
// hung a tool is kept in DIR (default $TMPDIR or /tmp) for a rerun by hand.
#include <weaklink/app/tool_mains.h>

#include <sys/wait.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace
{
  using ToolMain = int (*)(int, char **);

  const std::map<std::string, ToolMain> tools = {
      {"weaklink", weaklink::weaklink_main},
      {"weaklink-descriptors", weaklink::descriptors_main},
      {"weaklink-microstructure", weaklink::microstructure_main},
      {"weaklink-ensemble", weaklink::ensemble_main},
      {"weaklink-analyze", weaklink::analyze_main},
      {"weaklink-weibull", weaklink::weibull_main},
      {"weaklink-sisso", weaklink::sisso_main}};

  std::string read_file(const std::string &path)
  {
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::vector<std::string> split_lines(const std::string &text)
  {
    std::vector<std::string> lines;
    std::istringstream       in(text);
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }

  std::string join_lines(const std::vector<std::string> &lines)
  {
    std::string text;
    for (const auto &line : lines)
      text += line + "\n";
    return text;
  }

  /** One of seven kinds of damage to a text input, drawn from @p random. */
  std::string mutate(const std::string &text, std::mt19937_64 &random)
  {
    const auto below = [&](const std::size_t n) {
      return n == 0 ? std::size_t(0) : std::size_t(random() % n);
    };
    auto lines = split_lines(text);
    switch (random() % 7)
      {
      case 0: // truncated
        return text.substr(0, below(text.size() + 1));
      case 1: // bytes overwritten
        {
          std::string damaged = text;
          for (int k = 0; k < 5 && !damaged.empty(); ++k)
            damaged[below(damaged.size())] = static_cast<char>(random() % 256);
          return damaged;
        }
      case 2: // binary junk after a truncation
        {
          std::string damaged = text.substr(0, below(text.size() + 1));
          for (int k = 0; k < 200; ++k)
            damaged += static_cast<char>(random() % 256);
          return damaged;
        }
      case 3: // one value extreme or mistyped
        {
          static const char *values[] = {
              "1e308",  "-1e308", "nan",    "inf",  "-inf", "0", "-1", "99999999999999999999999",
              "abc",    "",       "1e-320", "0x10", "1,5",  "'", "1e", "--",
              "\"a,b\""};
          std::vector<std::size_t> assignments;
          for (std::size_t l = 0; l < lines.size(); ++l)
            if (lines[l].find('=') != std::string::npos || lines[l].find(',') != std::string::npos)
              assignments.push_back(l);
          if (assignments.empty())
            return text;
          auto       &line  = lines[assignments[below(assignments.size())]];
          const char *value = values[below(std::size(values))];
          const auto  equal = line.find('=');
          if (equal != std::string::npos)
            line = line.substr(0, equal) + "= " + value;
          else // a table row: one cell
            {
              std::vector<std::string> cells;
              std::istringstream       row(line);
              for (std::string cell; std::getline(row, cell, ',');)
                cells.push_back(cell);
              if (!cells.empty())
                cells[below(cells.size())] = value;
              line.clear();
              for (std::size_t c = 0; c < cells.size(); ++c)
                line += (c ? "," : "") + cells[c];
            }
          return join_lines(lines);
        }
      case 4: // a line dropped
        if (!lines.empty())
          lines.erase(lines.begin() + below(lines.size()));
        return join_lines(lines);
      case 5: // a line repeated
        if (!lines.empty())
          {
            const auto l = below(lines.size());
            lines.insert(lines.begin() + l, lines[l]);
          }
        return join_lines(lines);
      default: // all lines joined into one
        {
          std::string joined;
          for (const auto &line : lines)
            joined += line;
          return joined.substr(0, 5000);
        }
      }
  }

  struct Run
  {
    std::string              tool;
    std::vector<std::string> arguments;
    std::vector<std::string> inputs; ///< the mutated files this run reads
    std::string              label;  ///< tool, arguments, and which mutation of which file
  };

  struct Running
  {
    pid_t                                 pid;
    std::size_t                           run;
    std::string                           directory;
    std::chrono::steady_clock::time_point start;
  };

  [[noreturn]] void run_child(const Run &run, const std::string &directory)
  {
    if (chdir(directory.c_str()) != 0 || !std::freopen("/dev/null", "r", stdin) ||
        !std::freopen("out.txt", "w", stdout) || !std::freopen("err.txt", "w", stderr))
      _exit(126);
    std::vector<std::string> words{run.tool};
    words.insert(words.end(), run.arguments.begin(), run.arguments.end());
    std::vector<char *> argv;
    for (auto &word : words)
      argv.push_back(word.data());
    argv.push_back(nullptr);
    const int status = tools.at(run.tool)(static_cast<int>(words.size()), argv.data());
    std::exit(status);
  }

  std::string last_lines(const std::string &file, const std::size_t n)
  {
    std::ifstream            in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    std::string tail;
    for (std::size_t l = lines.size() > n ? lines.size() - n : 0; l < lines.size(); ++l)
      tail += "    " + lines[l].substr(0, 300) + "\n";
    return tail;
  }
} // namespace

int
main(int argc, char **argv)
{
  unsigned int  jobs       = 2;
  double        time_limit = 20;
  std::uint64_t seed       = 20261203;
  std::string   plan_file, keep = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  for (int i = 1; i < argc; ++i)
    {
      const std::string argument = argv[i];
      if (i + 1 < argc && argument == "--jobs")
        jobs = std::max(1, std::atoi(argv[++i]));
      else if (i + 1 < argc && argument == "--time-limit")
        time_limit = std::atof(argv[++i]);
      else if (i + 1 < argc && argument == "--seed")
        seed = std::strtoull(argv[++i], nullptr, 10);
      else if (i + 1 < argc && argument == "--keep")
        keep = argv[++i];
      else
        plan_file = argument;
    }
  if (plan_file.empty())
    {
      std::cerr << "usage: tool_fuzz_driver PLAN [--jobs J] [--time-limit S] [--seed N] "
                   "[--keep DIR]\n";
      return 2;
    }

  // Every run with its mutated inputs, written before any tool starts.
  namespace fs          = std::filesystem;
  const fs::path   work = fs::absolute("fuzz_work");
  std::vector<Run> runs;
  try
    {
      fs::remove_all(work);
      fs::create_directories(work / "inputs");
      std::mt19937_64 random(seed);
      for (const auto &line : split_lines(read_file(plan_file)))
        {
          std::vector<std::string> fields;
          std::istringstream       in(line);
          for (std::string field; std::getline(in, field, '\t');)
            fields.push_back(field);
          if (fields.size() < 2 || fields[0].empty() || fields[0][0] == '#')
            continue;
          if (tools.count(fields[1]) == 0)
            throw std::runtime_error("unknown tool '" + fields[1] + "' in " + plan_file);
          const int count = std::stoi(fields[0]);
          for (int k = 0; k < count; ++k)
            {
              Run run;
              run.tool  = fields[1];
              run.label = fields[1];
              for (std::size_t f = 2; f < fields.size(); ++f)
                {
                  std::string argument = fields[f];
                  if (argument.size() > 1 && argument[0] == '@')
                    {
                      const fs::path base = argument.substr(1);
                      const fs::path copy =
                          work / "inputs" /
                          (std::to_string(runs.size()) + "_" + base.filename().string());
                      std::ofstream(copy, std::ios::binary) << mutate(read_file(base), random);
                      run.inputs.push_back(copy.string());
                      argument = copy.string();
                      run.label += " <mutation " + std::to_string(k) + " of " +
                                   base.filename().string() + ">";
                    }
                  else
                    {
                      const auto mark = argument.find("{run}");
                      if (mark != std::string::npos)
                        argument.replace(mark, 5, std::to_string(runs.size()));
                      run.label += " " + argument;
                    }
                  run.arguments.push_back(argument);
                }
              runs.push_back(run);
            }
        }
    }
  catch (const std::exception &error)
    {
      std::cerr << "tool_fuzz_driver: " << error.what() << std::endl;
      return 2;
    }

  // At most `jobs` children at a time, each in its own directory for its outputs.
  std::vector<Running>          running;
  std::vector<bool>             free_slot(jobs, true);
  std::size_t                   next = 0, failures = 0;
  const auto                    started = std::chrono::steady_clock::now();
  std::map<pid_t, unsigned int> slot_of;
  std::map<std::string, double> seconds_per_tool;
  std::cout.flush();
  while (next < runs.size() || !running.empty())
    {
      while (next < runs.size() && running.size() < jobs)
        {
          unsigned int slot = 0;
          while (!free_slot[slot])
            ++slot;
          const std::string directory = (work / ("job" + std::to_string(slot))).string();
          fs::create_directories(directory);
          const pid_t pid = fork();
          if (pid == 0)
            run_child(runs[next], directory);
          if (pid < 0)
            {
              std::cerr << "tool_fuzz_driver: fork failed" << std::endl;
              return 2;
            }
          free_slot[slot] = false;
          slot_of[pid]    = slot;
          running.push_back({pid, next++, directory, std::chrono::steady_clock::now()});
        }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      for (auto child = running.begin(); child != running.end();)
        {
          int          status = 0;
          const pid_t  waited = waitpid(child->pid, &status, WNOHANG);
          const double elapsed =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - child->start)
                  .count();
          std::string verdict;
          if (waited == 0)
            {
              if (elapsed < time_limit)
                {
                  ++child;
                  continue;
                }
              kill(child->pid, SIGKILL);
              waitpid(child->pid, &status, 0);
              std::ostringstream limit;
              limit << "HANG (over " << time_limit << " s)";
              verdict = limit.str();
            }
          else if (WIFSIGNALED(status))
            verdict = "CRASH (signal " + std::to_string(WTERMSIG(status)) + ")";
          else if (WIFEXITED(status) && WEXITSTATUS(status) > 3)
            verdict = "CRASH (exit " + std::to_string(WEXITSTATUS(status)) + ")";
          if (!verdict.empty())
            {
              ++failures;
              const Run &run = runs[child->run];
              std::cout << verdict << ": " << run.label << "\n"
                        << last_lines(child->directory + "/err.txt", 2);
              for (const auto &input : run.inputs)
                {
                  const fs::path kept =
                      fs::path(keep) / ("weaklink_fuzz_" + fs::path(input).filename().string());
                  std::error_code ignored;
                  fs::copy_file(input, kept, fs::copy_options::overwrite_existing, ignored);
                  std::cout << "    input kept as " << kept.string() << "\n";
                }
              std::cout.flush();
            }
          seconds_per_tool[runs[child->run].tool] += elapsed;
          free_slot[slot_of[child->pid]] = true;
          slot_of.erase(child->pid);
          child = running.erase(child);
        }
    }
  std::map<std::string, unsigned int> per_tool;
  for (const auto &run : runs)
    ++per_tool[run.tool];
  std::cout << "fuzz: " << runs.size() << " runs (";
  for (auto tool = per_tool.begin(); tool != per_tool.end(); ++tool)
    std::cout << (tool == per_tool.begin() ? "" : ", ") << tool->first << " " << tool->second
              << " in " << std::lround(seconds_per_tool[tool->first]) << " s";
  std::cout << ") in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s on " << jobs << " jobs, " << failures << " crashes or hangs" << std::endl;
  std::error_code ignored;
  fs::remove_all(work, ignored);
  return failures > 0 ? 1 : 0;
}
