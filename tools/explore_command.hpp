// `tcpmc explore`: the explicit-state search of verify/explore as a tool.
// Flags, progress, statistics and output formats only; the search, the
// invariants and the chart are the libraries'.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "bounds_flags.hpp"

namespace tcpmc::tools {

class ExploreCommand {
 public:
  // Exit statuses, as documented in --help.
  static constexpr int kHolds = 0;
  static constexpr int kViolated = 1;
  static constexpr int kUsage = 2;
  static constexpr int kIncomplete = 3;

  // Adds the subcommand to `app`.
  explicit ExploreCommand(CLI::App& app);
  ExploreCommand(const ExploreCommand&) = delete;
  ExploreCommand& operator=(const ExploreCommand&) = delete;

  // After parsing: the exit status if `explore` was chosen, else nothing.
  std::optional<int> run() const;

  // `tcpmc verify`'s liveness section: every case of the liveness catalog
  // (verify/explore/liveness_runs.hpp) at both levels, one line each;
  // returns the number of verdicts that are not the expected one.
  static int run_liveness_cases();

  // What was asked, flags read; the search is run from it.
  struct Request {
    std::uint64_t max_states = 0;
    std::uint64_t max_memory = 0;  // bytes; 0: no limit
    std::string variant = "rfc9293";
    std::string level = "impl";  // "impl": the engine; "table": the Spec's table alone
    std::string check;  // empty: every invariant
    bool json = false;
    unsigned threads = 1;
    std::string chart;
    bool progress = false;
    // --liveness [NAME|all]: check liveness properties instead of invariants.
    std::string liveness;
  };

 private:
  CLI::App* cmd_ = nullptr;
  CLI::Option* liveness_ = nullptr;
  BoundsFlags bounds_;  // --in-flight ... --injections, shared with tcpmc export promela
  Request request_;
};

}  // namespace tcpmc::tools
