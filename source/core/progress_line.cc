#include <weaklink/core/progress_line.h>

#include <iomanip>
#include <iostream>
#include <sstream>

namespace weaklink
{
  ProgressLine::ProgressLine(std::string tool, const double interval_seconds)
      : tool(std::move(tool))
      , interval(interval_seconds)
      , next(interval_seconds)
      , start(std::chrono::steady_clock::now())
  {
  }

  double ProgressLine::due()
  {
    if (interval <= 0)
      return -1;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed < next)
      return -1;
    next = elapsed + interval;
    return elapsed;
  }

  void ProgressLine::report(const std::string &what)
  {
    const double elapsed = due();
    if (elapsed < 0)
      return;
    std::ostringstream line;
    line << std::fixed << std::setprecision(1) << tool << ": " << what << ", " << elapsed << " s";
    std::cerr << line.str() << std::endl;
  }

  void ProgressLine::report(const std::string &what, const std::size_t done,
                            const std::size_t total)
  {
    if (done == 0 || done >= total)
      return;
    const double elapsed = due();
    if (elapsed < 0)
      return;
    std::ostringstream line;
    line << std::fixed << std::setprecision(1) << tool << ": " << what << " " << done << " of "
         << total << " (" << 100 * done / total << " %), " << elapsed << " s, about "
         << elapsed * (total - done) / done << " s left";
    std::cerr << line.str() << std::endl;
  }
} // namespace weaklink
