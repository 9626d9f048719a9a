#include "explore_command.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <tcpmc/graphs/render.hpp>
#include <tcpmc/graphs/sequence_chart.hpp>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/instances.hpp>
#include <tcpmc/verify/explore/liveness_runs.hpp>
#include <tcpmc/verify/explore/replay.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/table/level.hpp>
#include <utility>
#include <variant>
#include <vector>

#include "counterexample_chart.hpp"
#include "json.hpp"

namespace tcpmc::tools {
namespace {

using verify::Invariant;
using verify::explore::Bounds;
using verify::explore::SearchResult;
using verify::explore::Statistics;
using Request = ExploreCommand::Request;

// The specs a search can run on: the RFC's first, then every variant, each
// the shared constant whose searches are compiled once
// (verify/explore/instances.hpp).
using verify::explore::kVariantSpec;

// Every name --variant takes: the safety variants, then those built to
// break a liveness property (checked with --liveness only).
std::vector<std::string> all_spec_names() {
  std::vector<std::string> names = variant_names();
  for (const auto& l : verify::explore::liveness_specs()) {
    if (l.slug != "rfc9293") names.push_back(l.slug);
  }
  return names;
}

bool is_liveness_spec(std::string_view slug) {
  for (const auto& l : verify::explore::liveness_specs()) {
    if (l.slug == slug) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) {
    if (!s.empty()) s += ", ";
    s += i;
  }
  return s;
}

// 1234567 -> "1.23M": progress lines stay short.
std::string human(double v) {
  char buf[32];
  if (v >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.2fG", v / 1e9);
  } else if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  } else if (v >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  return buf;
}

std::string megabytes(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", bytes / (1024.0 * 1024.0));
  return buf;
}

// CPU time of the whole process (all threads): on a shared machine the
// wall-clock rate says as much about the neighbours as about the search.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

double max_resident_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;  // Linux reports kilobytes
}

struct Outcome {
  const char* verdict;  // "holds", "violated", "incomplete"
  int status;
};

// The memory this process may use: the machine's, or its control group's
// limit (cgroup v2) where that is lower, as in a container. 0 if neither
// can be read.
std::uint64_t usable_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  std::uint64_t bytes = pages > 0 && page > 0
                            ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                            : 0;
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");  // "max" when unlimited
  std::uint64_t limit = 0;
  if (cgroup >> limit && limit > 0 && (bytes == 0 || limit < bytes)) bytes = limit;
  return bytes;
}

// What cut an incomplete search or graph short, as the flag that set the limit.
std::string_view limit_flag(SearchResult::Limit limit) {
  return limit == SearchResult::Limit::MaxMemory ? "--max-memory" : "--max-states";
}

Outcome outcome(const SearchResult& r) {
  if (r.violation) return {"violated", ExploreCommand::kViolated};
  if (!r.complete) return {"incomplete", ExploreCommand::kIncomplete};
  return {"holds", ExploreCommand::kHolds};
}

// The progress line: overwritten in place on a terminal, one line a
// second otherwise (a log keeps them all).
class ProgressLine {
 public:
  explicit ProgressLine(bool terminal) : terminal_(terminal) {}
  void operator()(const Statistics& st) {
    std::ostringstream line;
    line << "depth " << st.depth << "  states " << human(static_cast<double>(st.states))
         << "  transitions " << human(static_cast<double>(st.transitions)) << "  "
         << human(st.rate()) << " states/s  memory "
         << megabytes(static_cast<double>(st.memory_bytes + st.frontier_bytes)) << "  "
         << static_cast<int>(st.seconds) << " s";
    if (terminal_) {
      std::cerr << "\r\033[K" << line.str() << std::flush;
      shown_ = true;
    } else {
      std::cerr << line.str() << "\n" << std::flush;
    }
  }
  void clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool terminal_;
  bool shown_ = false;
};

void print_statistics(std::ostream& out, const SearchResult& r) {
  const Statistics& st = r.stats;
  char line[160];
  out << "State-vector " << st.state_vector_bytes << " bytes, depth reached " << st.max_depth
      << ", violations: " << (r.violation ? 1 : 0) << "\n";
  std::snprintf(line, sizeof line, "%12llu states, stored\n%12llu states, matched\n",
                static_cast<unsigned long long>(st.states),
                static_cast<unsigned long long>(st.matched));
  out << line;
  std::snprintf(line, sizeof line, "%12llu transitions (moves applied)\n",
                static_cast<unsigned long long>(st.transitions));
  out << line;
  std::snprintf(line, sizeof line,
                "%12s for stored states (%.1f bytes/state: fingerprint slot, parent, move)\n",
                megabytes(static_cast<double>(st.memory_bytes)).c_str(), st.bytes_per_state());
  out << line;
  std::snprintf(line, sizeof line,
                "%12s peak for the encoded states of two levels (%zu bytes in full)\n",
                megabytes(static_cast<double>(st.frontier_bytes)).c_str(), st.state_vector_bytes);
  out << line;
  std::snprintf(line, sizeof line, "%12s maximum resident\n",
                megabytes(max_resident_bytes()).c_str());
  out << line;
  std::snprintf(line, sizeof line,
                "hash compaction: 64-bit fingerprints, probability of an omitted state %.2g\n",
                st.omission_probability());
  out << line;
  std::snprintf(line, sizeof line, "elapsed time %.2f seconds, %.0f states/s, %u thread%s\n",
                st.seconds, st.rate(), st.threads, st.threads == 1 ? "" : "s");
  out << line;
  const double cpu = cpu_seconds();
  std::snprintf(line, sizeof line, "cpu time %.2f seconds, %.0f states per cpu-second\n", cpu,
                cpu > 0 ? static_cast<double>(st.states) / cpu : 0.0);
  out << line;
}

void print_json(const Request& q, std::string_view spec, const Bounds& b, const SearchResult& r,
                const std::vector<std::string>& trace) {
  const Statistics& st = r.stats;
  std::ostringstream o;
  o << "{\"spec\":" << json_string(spec) << ",\"variant\":" << json_string(q.variant)
    << ",\"level\":" << json_string(q.level)
    << ",\"verdict\":\"" << outcome(r).verdict << "\",\"invariant\":"
    << (r.violation ? json_string(verify::name(r.violation->invariant)) : "null")
    << ",\"detail\":" << (r.violation ? json_string(r.violation->detail) : "null")
    << ",\"checked\":[";
  bool first = true;
  for (const auto& d : verify::kInvariantDocs) {
    if (!q.check.empty() && d.name != q.check) continue;
    o << (first ? "" : ",") << json_string(d.name);
    first = false;
  }
  o << "],\"bounds\":{\"in_flight\":" << unsigned{b.in_flight}
    << ",\"losses\":" << unsigned{b.losses} << ",\"duplicates\":" << unsigned{b.duplicates}
    << ",\"msl\":" << unsigned{b.msl} << ",\"ticks\":" << unsigned{b.ticks}
    << ",\"bytes\":" << unsigned{b.bytes} << ",\"reconnects\":" << unsigned{b.reconnects}
    << ",\"aborts\":" << unsigned{b.aborts} << ",\"injections\":" << unsigned{b.injections}
    << ",\"max_states\":" << b.max_states << ",\"text\":" << json_string(b.describe()) << "}";
  o << ",\"max_memory\":" << q.max_memory;
  o << ",\"statistics\":{\"complete\":" << (r.complete ? "true" : "false") << ",\"cut_by\":"
    << (r.complete || r.violation ? "null" : "\"" + std::string(limit_flag(r.limit)) + "\"")
    << ",\"state_vector_bytes\":" << st.state_vector_bytes << ",\"depth\":" << st.max_depth
    << ",\"states_stored\":" << st.states << ",\"states_matched\":" << st.matched
    << ",\"transitions\":" << st.transitions << ",\"memory_bytes\":" << st.memory_bytes
    << ",\"bytes_per_state\":" << st.bytes_per_state()
    << ",\"frontier_bytes\":" << st.frontier_bytes
    << ",\"max_resident_bytes\":" << max_resident_bytes()
    << ",\"omission_probability\":" << st.omission_probability() << ",\"seconds\":" << st.seconds
    << ",\"states_per_second\":" << st.rate() << ",\"threads\":" << st.threads
    << ",\"cpu_seconds\":" << cpu_seconds() << "}";
  o << ",\"trace\":[";
  for (std::size_t i = 0; i < trace.size(); ++i) o << (i ? "," : "") << json_string(trace[i]);
  o << "]}\n";
  std::cout << o.str();
}

bool write_chart(const std::string& path, const graphs::SequenceChart& chart) {
  const std::string dot = graphs::sequence_chart_dot(chart);
  std::string bytes = dot;
  if (path.ends_with(".svg")) {
    auto svg = graphs::render(dot, graphs::RenderFormat::Svg);
    if (auto* err = std::get_if<graphs::RenderError>(&svg)) {
      std::cerr << "tcpmc: " << err->message << "\n";
      return false;
    }
    bytes = std::get<std::string>(std::move(svg));
  }
  std::error_code ec;
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary);
  out << bytes;
  if (!out) {
    std::cerr << "tcpmc: cannot write " << path << ": check the directory exists and is writable\n";
    return false;
  }
  return true;
}

template <const model::Spec& S>
int run_spec(const Request& q, const Bounds& b) {
  verify::explore::SearchOptions options;
  options.threads = q.threads;
  options.max_memory = static_cast<std::size_t>(q.max_memory);
  for (Invariant i : verify::kAllInvariants) {
    if (verify::name(i) == q.check) options.only = i;
  }
  const bool terminal = isatty(STDERR_FILENO) != 0;
  ProgressLine progress(terminal);
  if (terminal || q.progress) options.progress = [&](const Statistics& st) { progress(st); };

  const bool table = q.level == "table";
  if (!q.json) {
    std::cout << "tcpmc explore: " << S.name() << " (--variant " << q.variant << "), "
              << (table ? "table level" : "impl level") << ", checking "
              << (q.check.empty() ? "every invariant" : q.check) << "\n"
              << "bounds: " << b.describe() << " max-memory="
              << (q.max_memory == 0 ? std::string("none")
                                    : megabytes(static_cast<double>(q.max_memory)))
              << "\n";
    // Where an invariant means something else at the table level (or
    // nothing), the output says so rather than count it as checked.
    if (table) {
      for (const auto& d : verify::kInvariantDocs) {
        const Invariant i = static_cast<Invariant>(&d - verify::kInvariantDocs.data());
        const std::string_view why = verify::table::caveat(i);
        if (!why.empty() && (q.check.empty() || q.check == d.name)) {
          std::cout << "table level: " << d.name << " " << why << "\n";
        }
      }
    }
    std::cout << std::flush;
  }
  const SearchResult r = table ? verify::table::search<S>(b, options)
                               : verify::explore::search<S>(b, options);
  progress.clear();
  std::vector<std::string> trace =
      !r.violation ? std::vector<std::string>{}
      : table      ? verify::table::narrate<S>(b, r.path)
                   : verify::explore::narrate<S>(b, r.path);
  // With --check, a breach of another invariant on the way is shown but
  // was not what stopped the search: say so.
  if (!q.check.empty()) verify::explore::mark_not_checked(trace, q.check);
  const Outcome verdict = outcome(r);

  if (!q.chart.empty()) {
    if (r.violation && table) {
      std::cerr << "tcpmc: --chart draws impl-level counterexamples; no chart written to "
                << q.chart << "\n";
    } else if (r.violation) {
      graphs::SequenceChart chart =
          counterexample_chart(verify::explore::replay<S>(b, r.path));
      chart.title = std::string(S.name()) + ": " +
                    std::string(verify::name(r.violation->invariant)) + " refuted";
      chart.notes = {b.describe()};
      if (!write_chart(q.chart, chart)) return ExploreCommand::kViolated;
    } else {
      std::cerr << "tcpmc: no counterexample, so no chart written to " << q.chart << "\n";
    }
  }

  if (q.json) {
    print_json(q, S.name(), b, r, trace);
    return verdict.status;
  }
  if (r.violation) {
    std::cout << "\nviolation: " << verify::name(r.violation->invariant) << ": "
              << r.violation->detail << "\n"
              << "counterexample, " << r.path.size() << " moves (a shortest one):\n";
    for (const auto& line : trace) std::cout << "  " << line << "\n";
    std::cout << "\n";
  }
  std::cout << "search "
            << (r.violation   ? "stopped at the first level with a violation"
                : !r.complete ? "incomplete: " + std::string(limit_flag(r.limit)) +
                                    " reached before the state space was exhausted"
                              : "complete")
            << "\n";
  print_statistics(std::cout, r);
  std::cout << "verdict: " << verdict.verdict;
  if (r.violation) std::cout << " (" << verify::name(r.violation->invariant) << ")";
  std::cout << "\n";
  return verdict.status;
}

// --- --liveness -------------------------------------------------------------------

namespace lv = verify::explore;

std::string bounds_json(const Bounds& b) {
  std::ostringstream o;
  o << "{\"in_flight\":" << unsigned{b.in_flight} << ",\"losses\":" << unsigned{b.losses}
    << ",\"duplicates\":" << unsigned{b.duplicates} << ",\"msl\":" << unsigned{b.msl}
    << ",\"ticks\":" << unsigned{b.ticks} << ",\"bytes\":" << unsigned{b.bytes}
    << ",\"reconnects\":" << unsigned{b.reconnects} << ",\"aborts\":" << unsigned{b.aborts}
    << ",\"injections\":" << unsigned{b.injections} << ",\"max_states\":" << b.max_states
    << ",\"text\":" << json_string(b.describe()) << "}";
  return o.str();
}

std::string lasso_shape(const lv::Lasso& l) {
  return "prefix of " + std::to_string(l.prefix.size()) + " moves, then " +
         (l.stutter() ? std::string("it stays in its last state for ever")
                      : "a cycle of " + std::to_string(l.cycle.size()) + " moves");
}

void print_liveness_text(const Request& q, std::string_view spec, lv::Level level,
                         const std::vector<lv::LivenessOutcome>& outcomes) {
  std::cout << "tcpmc explore --liveness: " << spec << " (--variant " << q.variant << "), "
            << lv::name(level) << " level\n"
            << "fairness: weak, on";
  for (std::size_t c = 0; c < lv::kFairClassCount; ++c) {
    std::cout << (c == 0 ? " " : c + 1 == lv::kFairClassCount ? " and " : ", ")
              << lv::kFairClassNames[c];
  }
  std::cout << "; losses, duplicates, the attacker and ABORT need never happen\n"
            << "a run that ends when time runs out with a timer still armed is cut by the "
               "bounds and not judged\n";
  for (const auto& o : outcomes) {
    const lv::LivenessDoc& d = lv::doc(o.property);
    std::cout << "\n" << d.name << ": " << d.sentence << ".\n"
              << "  formula: " << d.formula << "\n"
              << "  bounds:  " << o.bounds.describe()
              << (d.premise == lv::Premise::LossFree ? " (loss-free: its premise)" : "") << "\n";
    const std::string cut =
        o.complete ? "" : " (incomplete: " + std::string(limit_flag(o.limit)) + " reached)";
    char line[200];
    std::snprintf(line, sizeof line,
                  "  graph:   %llu states, %llu edges, %s, built in %.2f s, checked in %.3f s%s\n",
                  static_cast<unsigned long long>(o.graph.states),
                  static_cast<unsigned long long>(o.graph.edges),
                  megabytes(static_cast<double>(o.graph.memory_bytes)).c_str(), o.graph.seconds,
                  o.verdict.seconds, cut.c_str());
    std::cout << line << "  runs cut by the time bound (not judged): " << o.verdict.cut
              << "; cycles outside the goal: " << o.verdict.cyclic_components
              << " strongly connected components, " << o.verdict.fair_components << " fair\n";
    if (o.verdict.lasso) {
      const lv::Lasso& l = *o.verdict.lasso;
      std::cout << "  counterexample: " << lasso_shape(l) << " (a shortest prefix)\n";
      for (const auto& t : o.narration) std::cout << "    " << t << "\n";
      std::cout << "  replayed by the " << lv::name(level) << " level's stepper: "
                << (o.replay.valid ? "every move enabled" : "A MOVE WAS NOT ENABLED") << ", "
                << (l.stutter() ? "no fair move enabled at the end"
                    : o.replay.returns ? "the cycle returns to its first state"
                                       : "THE CYCLE DOES NOT RETURN")
                << ", " << (o.replay.fair ? "weakly fair" : "NOT FAIR") << ", "
                << (o.replay.goal_never ? "the goal never holds on it" : "THE GOAL HOLDS ON IT")
                << "\n";
    }
    std::cout << "  verdict: " << lv::name(o.result()) << "\n";
  }
  std::cout << "maximum resident " << megabytes(max_resident_bytes()) << "\n";
}

void print_liveness_json(const Request& q, std::string_view spec, lv::Level level,
                         const std::vector<lv::LivenessOutcome>& outcomes) {
  std::ostringstream o;
  o << "{\"spec\":" << json_string(spec) << ",\"variant\":" << json_string(q.variant)
    << ",\"level\":" << json_string(lv::name(level)) << ",\"properties\":[";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& r = outcomes[i];
    const lv::LivenessDoc& d = lv::doc(r.property);
    o << (i ? "," : "") << "{\"name\":" << json_string(d.name)
      << ",\"formula\":" << json_string(d.formula)
      << ",\"verdict\":" << json_string(lv::name(r.result()))
      << ",\"bounds\":" << bounds_json(r.bounds) << ",\"complete\":" << (r.complete ? "true" : "false")
      << ",\"cut_by\":"
      << (r.complete ? "null" : "\"" + std::string(limit_flag(r.limit)) + "\"")
      << ",\"states\":" << r.graph.states << ",\"edges\":" << r.graph.edges
      << ",\"memory_bytes\":" << r.graph.memory_bytes << ",\"graph_seconds\":" << r.graph.seconds
      << ",\"check_seconds\":" << r.verdict.seconds << ",\"cut\":" << r.verdict.cut
      << ",\"cyclic_components\":" << r.verdict.cyclic_components
      << ",\"fair_components\":" << r.verdict.fair_components << ",\"lasso\":";
    if (!r.verdict.lasso) {
      o << "null";
    } else {
      const lv::Lasso& l = *r.verdict.lasso;
      o << "{\"prefix_moves\":" << l.prefix.size() << ",\"cycle_moves\":" << l.cycle.size()
        << ",\"stutter\":" << (l.stutter() ? "true" : "false") << ",\"trigger\":" << l.trigger
        << ",\"replay\":{\"valid\":" << (r.replay.valid ? "true" : "false")
        << ",\"returns\":" << (r.replay.returns ? "true" : "false")
        << ",\"fair\":" << (r.replay.fair ? "true" : "false")
        << ",\"goal_never\":" << (r.replay.goal_never ? "true" : "false") << "},\"trace\":[";
      for (std::size_t k = 0; k < r.narration.size(); ++k) {
        o << (k ? "," : "") << json_string(r.narration[k]);
      }
      o << "]}";
    }
    o << "}";
  }
  o << "],\"max_resident_bytes\":" << max_resident_bytes() << "}\n";
  std::cout << o.str();
}

int run_liveness(const Request& q, const Bounds& b) {
  if (!is_liveness_spec(q.variant)) {
    std::string names;
    for (const auto& l : lv::liveness_specs()) names += (names.empty() ? "" : ", ") + l.slug;
    std::cerr << "tcpmc: --liveness runs on " << names << "; --variant " << q.variant
              << " is a safety variant (run it without --liveness)\n";
    return ExploreCommand::kUsage;
  }
  std::vector<lv::Liveness> which;
  for (const lv::Liveness p : lv::kAllLiveness) {
    if (q.liveness == "all" || q.liveness == lv::name(p)) which.push_back(p);
  }
  const lv::Level level = q.level == "table" ? lv::Level::Table : lv::Level::Impl;
  const auto outcomes =
      lv::check_liveness(q.variant, level, b, which, static_cast<std::size_t>(q.max_memory));
  std::string spec = q.variant;
  for (const auto& l : lv::liveness_specs()) {
    if (l.slug == q.variant) spec = l.name;
  }
  if (q.json) {
    print_liveness_json(q, spec, level, outcomes);
  } else {
    print_liveness_text(q, spec, level, outcomes);
  }
  bool violated = false;
  bool incomplete = false;
  for (const auto& o : outcomes) {
    violated = violated || o.result() == lv::LivenessVerdict::Violated;
    incomplete = incomplete || o.result() == lv::LivenessVerdict::Incomplete;
  }
  return violated     ? ExploreCommand::kViolated
         : incomplete ? ExploreCommand::kIncomplete
                      : ExploreCommand::kHolds;
}

}  // namespace

int ExploreCommand::run_liveness_cases() {
  namespace lv = verify::explore;
  const Bounds b = lv::liveness_config();
  std::cout << "Liveness under weak fairness (tcpmc explore --liveness; bounds " << b.describe()
            << ", loss-free where the property says so):\n";
  std::printf("        %-20s %-28s %-6s %-9s %-10s %8s %9s %8s\n", "property", "spec", "level",
              "expected", "verdict", "states", "edges", "time");
  int failures = 0;
  for (const lv::Level level : {lv::Level::Impl, lv::Level::Table}) {
    // The RFC's properties share their graphs: one call for all of them.
    std::vector<lv::Liveness> rfc;
    for (const auto& c : lv::kLivenessCases) {
      if (c.spec == "rfc9293") rfc.push_back(c.property);
    }
    const auto rfc_outcomes = lv::check_liveness("rfc9293", level, b, rfc);
    std::size_t next_rfc = 0;
    for (const auto& c : lv::kLivenessCases) {
      const lv::Liveness one[] = {c.property};
      const lv::LivenessOutcome o =
          c.spec == "rfc9293" ? rfc_outcomes[next_rfc++]
                              : lv::check_liveness(c.spec, level, b, one).front();
      const lv::LivenessVerdict want =
          c.holds ? lv::LivenessVerdict::Holds : lv::LivenessVerdict::Violated;
      // A violation counts only with a lasso that replays as one.
      const bool sound = !o.verdict.lasso ||
                         (o.replay.valid && o.replay.trigger_seen && o.replay.returns &&
                          o.replay.fair && o.replay.goal_never);
      const bool ok = o.result() == want && sound;
      failures += ok ? 0 : 1;
      std::string spec(c.spec);
      for (const auto& l : lv::liveness_specs()) {
        if (l.slug == c.spec) spec = l.name;
      }
      std::printf("  %s  %-20s %-28s %-6s %-9s %-10s %8llu %9llu %6.2f s\n", ok ? "PASS" : "FAIL",
                  std::string(lv::name(c.property)).c_str(), spec.c_str(),
                  std::string(lv::name(level)).c_str(), c.holds ? "holds" : "violated",
                  std::string(lv::name(o.result())).c_str(),
                  static_cast<unsigned long long>(o.graph.states),
                  static_cast<unsigned long long>(o.graph.edges),
                  o.graph.seconds + o.verdict.seconds);
    }
  }
  std::cout.flush();
  return failures;
}

namespace {

using Runner = int (*)(const Request&, const Bounds&);

template <std::size_t... I>
constexpr std::array<Runner, 1 + sizeof...(I)> make_runners(std::index_sequence<I...>) {
  return {&run_spec<model::kRfc9293>, &run_spec<kVariantSpec<I>>...};
}

constexpr auto kRunners = make_runners(std::make_index_sequence<model::kVariants.size()>{});

}  // namespace

ExploreCommand::ExploreCommand(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "explore",
      "Search every reachable state of a client and a server over a lossy network.\n"
      "Exit status: 0 the search completed and every invariant checked holds, 1 an invariant\n"
      "is violated (a shortest counterexample is printed), 2 usage error, 3 the search was\n"
      "cut short (--max-states or --max-memory) before the state space was exhausted.");
  Request& q = request_;
  q.max_states = Bounds{}.max_states;
  q.max_memory = usable_memory() / 4 * 3;
  // Ranges there only keep a value in its field; the model's own limits
  // are Bounds::validate()'s, checked after parsing.
  bounds_.add_to(*cmd_);
  cmd_->add_option("--max-states", q.max_states,
                   "Stop after storing this many states (0: no limit); the search then exits 3")
      ->capture_default_str()
      ->group("Bounds");
  cmd_->add_option("--max-memory", q.max_memory,
                   "Stop when the search's own memory (stored states and two levels' encoded "
                   "states; with --liveness, the graph) passes this size, e.g. 8G (0: no "
                   "limit); the search then exits 3, with its statistics, instead of being "
                   "killed when memory runs out")
      ->transform(CLI::AsSizeValue(false))
      ->default_str("3/4 of the memory this process may use")
      ->group("Bounds");

  cmd_->add_option("--variant", q.variant,
                   "The specification searched: the RFC's or one of its variants (the last "
                   "ones, built to break a liveness property, with --liveness only)")
      ->capture_default_str()
      ->check(CLI::IsMember(all_spec_names()));
  {
    std::vector<std::string> properties{"all"};
    for (const auto p : verify::explore::kAllLiveness) {
      properties.emplace_back(verify::explore::name(p));
    }
    liveness_ = cmd_->add_option(
                        "--liveness", q.liveness,
                        "Check liveness properties under weak fairness instead of the "
                        "invariants: one by name, or all (the default); a violation prints a "
                        "lasso (a prefix, then a cycle repeated for ever)")
                    ->expected(0, 1)
                    ->default_str("all")
                    ->check(CLI::IsMember(properties));
  }
  cmd_->add_option("--level", q.level,
                   "impl: step the real engine; table: step only the Spec's table over abstract "
                   "segments (DESIGN.md principle 9)")
      ->capture_default_str()
      ->check(CLI::IsMember({"impl", "table"}));
  cmd_->add_option("--check", q.check, "Judge this invariant alone (default: every one)")
      ->check(CLI::IsMember(invariant_flag_names()));
  cmd_->add_option("--threads", q.threads, "Threads expanding each level of the search")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd_->add_option("--chart", q.chart,
                   "Write the counterexample as a message sequence chart (.dot, or .svg through "
                   "Graphviz)")
      ->check([](const std::string& f) {
        return f.ends_with(".dot") || f.ends_with(".svg") ? std::string()
                                                          : f + " must end in .dot or .svg";
      });
  cmd_->add_flag("--json", q.json, "Print one JSON object on stdout instead of text");
  cmd_->add_flag("--progress", q.progress,
                 "Print a progress line each second on stderr even when it is not a terminal");
}

std::optional<int> ExploreCommand::run() const {
  if (cmd_ == nullptr || !cmd_->parsed()) return std::nullopt;
  const Request& q = request_;
  Bounds b = bounds_.bounds();
  b.max_states = q.max_states;
  if (const auto problem = b.validate()) {
    std::cerr << "tcpmc: explore: " << *problem << " (see tcpmc explore --help)\n";
    return kUsage;
  }
  if (liveness_->count() > 0) {
    Request lq = q;
    if (lq.liveness.empty()) lq.liveness = "all";
    if (!q.check.empty() || !q.chart.empty()) {
      std::cerr << "tcpmc: --liveness checks liveness properties: --check and --chart are for "
                   "invariants\n";
      return kUsage;
    }
    return run_liveness(lq, b);
  }
  const auto names = variant_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == q.variant) return kRunners[i](q, b);
  }
  if (is_liveness_spec(q.variant)) {
    std::cerr << "tcpmc: --variant " << q.variant
              << " is built to break a liveness property: run it with --liveness\n";
    return kUsage;
  }
  std::cerr << "tcpmc: --variant " << q.variant << " is not one of " << join(names) << "\n";
  return kUsage;
}

}  // namespace tcpmc::tools
