// How deep bounded model checking of the table level gets, and how fast:
// every invariant of the RFC 9293 spec on the catalog's one-in-flight
// bounds (the configuration of `tcpmc prove`'s table.bmc.rfc row), one
// depth after another on one incremental solver, each depth's check timed.
// Issue 9's figure is depth 30 (or the table level's diameter, 49 here)
// within 60 seconds in total. Run by `scripts/bench bmc`.
//
// The time budget is checked between depths, so the last depth may end
// past it; no depth's check runs longer than the budget.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/z3/table_bmc.hpp>

namespace {

namespace vz = tcpmc::verify::z3;
using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// The process's CPU time (Z3 runs on one thread).
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Bounded model checking of the RFC 9293 table level, depth by depth"};
  unsigned max_depth = 30;
  double budget = 60;
  app.add_option("--max-depth", max_depth, "Stop after this depth")
      ->check(CLI::Range(1U, 200U))
      ->capture_default_str();
  app.add_option("--budget", budget, "Start no further depth after this many seconds in total")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // 2: a usage error, as tcpmc's
  }

  const tcpmc::verify::explore::Bounds bounds = tcpmc::verify::explore::configs::one_in_flight();
  std::printf("RFC 9293, one-in-flight, every invariant; budget %.0f s, up to depth %u\n", budget,
              max_depth);
  std::printf("%6s %10s %10s\n", "depth", "check_s", "total_s");
  const Clock::time_point start = Clock::now();
  Clock::time_point last = start;
  unsigned within_budget = 0;  // the deepest depth done within the budget
  const vz::BmcResult r = vz::bmc(
      tcpmc::model::kRfc9293, bounds, std::nullopt, max_depth,
      static_cast<unsigned>(budget * 1000), [&](unsigned depth) {
        const Clock::time_point now = Clock::now();
        std::printf("%6u %10.2f %10.2f\n", depth, seconds(last, now), seconds(start, now));
        std::fflush(stdout);
        last = now;
        if (seconds(start, now) <= budget) within_budget = depth;
        return seconds(start, now) < budget;
      });
  const double total = seconds(start, Clock::now());
  if (r.violated) {
    std::printf("a run of %u moves breaks %s: the RFC spec should hold\n", r.depth,
                std::string(tcpmc::verify::name(*r.violated)).c_str());
    return 1;
  }
  // The depth the budget ended in, if Z3 gave up on it, was not reached.
  const unsigned reached = r.gave_up ? r.depth - 1 : r.depth;
  std::printf("no violation to depth %u in %.2f s wall, %.2f s CPU (including the relation)%s\n",
              reached, total, cpu_seconds(),
              r.gave_up ? "; the next depth's check ran out of time" : "");
  std::printf("depth reached within %.0f s: %u\n", budget, within_budget);
  return 0;
}
