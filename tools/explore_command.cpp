#include "explore_command.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cctype>
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

// "no TIME-WAIT" -> "no-time-wait": the name a flag takes.
std::string slug(std::string_view name) {
  std::string s;
  for (char c : name) {
    s += c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

std::vector<std::string> spec_names() {
  std::vector<std::string> names{"rfc9293"};
  for (model::Variant v : model::kVariants) names.push_back(slug(v(model::rfc9293()).name()));
  return names;
}

std::vector<std::string> invariant_names() {
  std::vector<std::string> names;
  for (const auto& d : verify::kInvariantDocs) names.emplace_back(d.name);
  return names;
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
  o << ",\"statistics\":{\"complete\":" << (r.complete ? "true" : "false")
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
              << "bounds: " << b.describe() << "\n";
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
  if (!q.check.empty()) {
    for (auto& line : trace) {
      const auto at = line.find("*** ");
      if (at != std::string::npos && line.compare(at + 4, q.check.size(), q.check) != 0) {
        line += " (not checked)";
      }
    }
  }
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
                : !r.complete ? "incomplete: --max-states reached before the state space was "
                                "exhausted"
                              : "complete")
            << "\n";
  print_statistics(std::cout, r);
  std::cout << "verdict: " << verdict.verdict;
  if (r.violation) std::cout << " (" << verify::name(r.violation->invariant) << ")";
  std::cout << "\n";
  return verdict.status;
}

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
      "cut short (--max-states) before the state space was exhausted.");
  const Bounds d;
  Request& q = request_;
  q.in_flight = d.in_flight;
  q.losses = d.losses;
  q.duplicates = d.duplicates;
  q.msl = d.msl;
  q.ticks = d.ticks;
  q.bytes = d.bytes;
  q.reconnects = d.reconnects;
  q.aborts = d.aborts;
  q.injections = d.injections;
  q.max_states = d.max_states;

  const auto bound = [&](const char* flag, unsigned& v, unsigned lo, unsigned hi, const char* why) {
    cmd_->add_option(flag, v, why)
        ->capture_default_str()
        ->check(CLI::Range(lo, hi))
        ->group("Bounds");
  };
  // Ranges here only keep a value in its field; the model's own limits are
  // Bounds::validate()'s, checked after parsing.
  bound("--in-flight", q.in_flight, 0, 255, "Segments the network holds at once");
  bound("--losses", q.losses, 0, 255, "Segments the network may lose (or let expire) in a run");
  bound("--duplicates", q.duplicates, 0, 255, "Segments the network may duplicate in a run");
  bound("--msl", q.msl, 0, 255, "Maximum segment lifetime, in ticks");
  bound("--ticks", q.ticks, 0, 255, "Ticks a run may last (time must be bounded to end)");
  bound("--bytes", q.bytes, 0, 255, "Bytes each user sends per connection");
  bound("--reconnects", q.reconnects, 0, 255,
        "Connections the client opens after its first, to the same 4-tuple");
  bound("--aborts", q.aborts, 0, 255, "ABORT calls allowed in a run");
  bound("--injections", q.injections, 0, 255,
        "Segments an off-path attacker may inject (0: no attacker)");
  cmd_->add_option("--max-states", q.max_states,
                   "Stop after storing this many states (0: no limit); the search then exits 3")
      ->capture_default_str()
      ->group("Bounds");

  cmd_->add_option("--variant", q.variant,
                   "The specification searched: the RFC's or one of its variants")
      ->capture_default_str()
      ->check(CLI::IsMember(spec_names()));
  cmd_->add_option("--level", q.level,
                   "impl: step the real engine; table: step only the Spec's table over abstract "
                   "segments (DESIGN.md principle 9)")
      ->capture_default_str()
      ->check(CLI::IsMember({"impl", "table"}));
  cmd_->add_option("--check", q.check, "Judge this invariant alone (default: every one)")
      ->check(CLI::IsMember(invariant_names()));
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
  Bounds b;
  b.in_flight = static_cast<std::uint8_t>(q.in_flight);
  b.losses = static_cast<std::uint8_t>(q.losses);
  b.duplicates = static_cast<std::uint8_t>(q.duplicates);
  b.msl = static_cast<std::uint8_t>(q.msl);
  b.ticks = static_cast<std::uint8_t>(q.ticks);
  b.bytes = static_cast<std::uint8_t>(q.bytes);
  b.reconnects = static_cast<std::uint8_t>(q.reconnects);
  b.aborts = static_cast<std::uint8_t>(q.aborts);
  b.injections = static_cast<std::uint8_t>(q.injections);
  b.max_states = q.max_states;
  if (const auto problem = b.validate()) {
    std::cerr << "tcpmc: explore: " << *problem << " (see tcpmc explore --help)\n";
    return kUsage;
  }
  const auto names = spec_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == q.variant) return kRunners[i](q, b);
  }
  std::cerr << "tcpmc: --variant " << q.variant << " is not one of " << join(names) << "\n";
  return kUsage;
}

}  // namespace tcpmc::tools
