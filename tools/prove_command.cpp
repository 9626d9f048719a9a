#include "prove_command.hpp"

#include <sys/resource.h>
#include <z3++.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <tcpmc/graphs/sequence_chart.hpp>
#include <tcpmc/verify/z3/catalog.hpp>
#include <tcpmc/verify/z3/proof.hpp>
#include <vector>

#include "json.hpp"

namespace tcpmc::tools {
namespace {

namespace vz = verify::z3;

struct Run {
  const vz::Property* property;
  vz::Outcome outcome;
  double seconds;      // wall clock
  double cpu_seconds;  // this thread's CPU time: Z3 runs on it alone
  bool as_expected() const { return outcome.verdict == property->expected; }
};

double thread_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  const auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

Run run_one(const vz::Property& p) {
  const double cpu0 = thread_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  vz::Outcome o = p.run(vz::kDefaultTimeoutMs);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {&p, std::move(o), wall, thread_cpu_seconds() - cpu0};
}

std::string verdict_text(vz::Verdict v, unsigned depth) {
  if (v == vz::Verdict::Bounded) return "bounded to depth " + std::to_string(depth);
  return std::string(vz::name(v));
}

std::string z3_version() {
  unsigned major = 0, minor = 0, build = 0, revision = 0;
  Z3_get_version(&major, &minor, &build, &revision);
  std::string v = std::to_string(major);
  v += '.';
  v += std::to_string(minor);
  v += '.';
  v += std::to_string(build);
  return v;
}

void print_table_head(std::ostream& out) {
  char line[200];
  std::snprintf(line, sizeof line, "        %-40s %-16s %-18s %8s %8s\n", "property", "expected",
                "verdict", "wall", "cpu");
  out << line;
}

void print_row(std::ostream& out, const Run& r) {
  char line[240];
  std::snprintf(line, sizeof line, "  %s  %-40s %-16s %-18s %6.2f s %6.2f s\n",
                r.as_expected() ? "PASS" : "FAIL", std::string(r.property->name).c_str(),
                std::string(vz::name(r.property->expected)).c_str(),
                verdict_text(r.outcome.verdict, r.outcome.depth).c_str(), r.seconds,
                r.cpu_seconds);
  out << line;
  if (r.outcome.verdict == vz::Verdict::Unknown) out << "        (" << r.outcome.reason << ")\n";
}

// What a counterexample file starts with: the property and its premises.
std::string header(const vz::Property& p) {
  std::string h = std::string(p.name);
  h += ": ";
  h += p.statement;
  h += "\npremises: ";
  h += p.premises;
  h += "\nsource: ";
  h += p.rfc;
  h += "\n\n";
  return h;
}

std::string counterexample_text(const Run& r) {
  std::string text = header(*r.property);
  text += vz::values_text(r.outcome);
  if (r.outcome.timeline) {
    text += "\ntimeline:\n";
    text += vz::timeline_text(*r.outcome.timeline);
  }
  if (!r.outcome.run.empty()) {
    text += "\nrun (" + std::to_string(r.outcome.moves.size()) + " moves, replayed by the explorer):\n";
    for (const std::string& line : r.outcome.run) text += "  " + line + "\n";
  }
  return text;
}

// A timed counterexample as a message sequence chart: one rank per
// distinct time, A as the client lifeline, B as the server's.
graphs::SequenceChart timeline_chart(const vz::Property& p, const vz::Timeline& t) {
  graphs::SequenceChart chart;
  chart.title = std::string(p.name) + ": counterexample";
  chart.notes = {std::string(p.statement), "premises: " + std::string(p.premises)};
  chart.initial_state = {t.a, t.b};
  for (const auto& m : t.messages) chart.add_message(m, m);
  std::map<std::int64_t, std::uint32_t> step;
  for (const auto& e : t.events) step.emplace(e.time, 0);
  std::uint32_t n = 0;
  for (auto& [time, s] : step) {
    s = ++n;
    chart.events.push_back({graphs::ChartEvent::Kind::Timer, s, graphs::Side::Client, 0, 0,
                            "t=" + std::to_string(time) + " " + t.unit});
  }
  using K = vz::TimelineEvent::Kind;
  using CK = graphs::ChartEvent::Kind;
  for (const auto& e : t.events) {
    graphs::ChartEvent c;
    c.step = step[e.time];
    c.side = e.actor == vz::TimelineEvent::Actor::A ? graphs::Side::Client : graphs::Side::Server;
    c.message = e.message;
    c.text = e.text;
    switch (e.kind) {
      case K::Send: c.kind = CK::Send; break;
      case K::Deliver: c.kind = CK::Deliver; break;
      case K::Loss: c.kind = CK::Loss; break;
      case K::State: c.kind = CK::StateChange; break;
      case K::Note: c.kind = CK::UserNotice; break;
      case K::Violation: c.kind = CK::Violation; break;
    }
    chart.events.push_back(std::move(c));
  }
  return chart;
}

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "tcpmc: cannot write " << path.string()
              << ": check the directory exists and is writable\n";
    return false;
  }
  return true;
}

bool write_counterexample(const std::string& dir, const Run& r) {
  const std::filesystem::path base = std::filesystem::path(dir) / std::string(r.property->name);
  const std::string dot = r.outcome.timeline
                              ? graphs::sequence_chart_dot(timeline_chart(*r.property, *r.outcome.timeline))
                              : vz::values_dot(*r.property, r.outcome);
  return write_file(base.string() + ".txt", counterexample_text(r)) &&
         write_file(base.string() + ".dot", dot);
}

void print_json(std::ostream& out, const std::vector<Run>& runs, bool all_ok) {
  std::ostringstream o;
  o << "{\"z3\":" << json_string(z3_version()) << ",\"timeout_ms\":" << vz::kDefaultTimeoutMs
    << ",\"as_expected\":" << (all_ok ? "true" : "false") << ",\"properties\":[";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    const vz::Property& p = *r.property;
    o << (i ? "," : "") << "{\"name\":" << json_string(p.name)
      << ",\"statement\":" << json_string(p.statement)
      << ",\"premises\":" << json_string(p.premises) << ",\"source\":" << json_string(p.rfc)
      << ",\"expected\":" << json_string(vz::name(p.expected))
      << ",\"verdict\":" << json_string(vz::name(r.outcome.verdict))
      << ",\"depth\":" << r.outcome.depth << ",\"as_expected\":" << (r.as_expected() ? "true" : "false")
      << ",\"seconds\":" << r.seconds << ",\"cpu_seconds\":" << r.cpu_seconds
      << ",\"reason\":" << json_string(r.outcome.reason) << ",\"broken\":[";
    for (std::size_t k = 0; k < r.outcome.failed_claims.size(); ++k) {
      o << (k ? "," : "") << json_string(r.outcome.failed_claims[k]);
    }
    o << "],\"values\":{";
    for (std::size_t k = 0; k < r.outcome.values.size(); ++k) {
      o << (k ? "," : "") << json_string(r.outcome.values[k].name) << ":"
        << json_string(r.outcome.values[k].value);
    }
    o << "},\"timeline\":"
      << (r.outcome.timeline ? json_string(vz::timeline_text(*r.outcome.timeline)) : "null");
    // A table-level counterexample: its length and its moves.
    o << ",\"length\":" << r.outcome.moves.size() << ",\"moves\":[";
    for (std::size_t k = 0; k < r.outcome.moves.size(); ++k) {
      o << (k ? "," : "") << json_string(r.outcome.moves[k]);
    }
    o << "]}";
  }
  o << "]}\n";
  out << o.str();
}

// The proofs, then the table level's bounded model checking, then (with
// --long) the proof by induction and the variants that take minutes.
std::vector<const vz::Property*> all_properties(bool with_long) {
  std::vector<const vz::Property*> all;
  for (const auto& p : vz::properties()) all.push_back(&p);
  for (const auto& p : vz::table_properties()) all.push_back(&p);
  if (with_long) {
    for (const auto& p : vz::table_long_properties()) all.push_back(&p);
  }
  return all;
}

std::vector<std::string> property_names() {
  std::vector<std::string> names;
  for (const vz::Property* p : all_properties(true)) names.emplace_back(p->name);
  return names;
}

}  // namespace

ProveCommand::ProveCommand(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "prove",
      "Prove with Z3 the sequence-space rules (32 bits, every value), SYN cookies, ISN\n"
      "uniqueness and TIME-WAIT, and show the counterexamples the demonstrations expect;\n"
      "then check the table level by bounded model checking: the RFC spec to depth 5, and\n"
      "the variants whose shortest counterexample is short (6 moves at most), each held to\n"
      "the explorer's length; with --long, the other six variants too, on small bounds, and\n"
      "the RFC table level at every depth (Z3 checks that the explorer's reachable set is an\n"
      "inductive invariant).\n"
      "Exit status: 0 every verdict is the expected one (proved for an RFC property,\n"
      "bounded for the RFC table level, counterexample for a demonstration or a variant),\n"
      "1 otherwise, 2 usage error.");
  cmd_->add_flag("--json", json_, "Print one JSON object on stdout instead of the table");
  cmd_->add_option("--out", out_dir_,
                   "Write each counterexample into this directory as NAME.txt (values, timeline) "
                   "and NAME.dot");
  cmd_->add_option("--only", only_, "Run this property alone")
      ->check(CLI::IsMember(property_names()));
  cmd_->add_flag("--long", long_,
                 "Also reproduce the six variants whose counterexamples are long (9 to 17 "
                 "moves on small bounds; minutes each, 18 minutes in all on a quiet machine), "
                 "and prove the RFC table level at every depth (about a minute)");
}

int ProveCommand::run_table(std::ostream& out) {
  print_table_head(out);
  int failures = 0;
  for (const vz::Property* p : all_properties(false)) {
    const Run r = run_one(*p);
    print_row(out, r);
    out.flush();
    failures += r.as_expected() ? 0 : 1;
  }
  return failures;
}

std::optional<int> ProveCommand::run() const {
  if (cmd_ == nullptr || !cmd_->parsed()) return std::nullopt;
  if (!json_) {
    std::cout << "tcpmc prove: Z3 " << z3_version() << ", " << vz::kDefaultTimeoutMs / 1000
              << " s per property\n";
    print_table_head(std::cout);
  }
  std::vector<Run> runs;
  bool all_ok = true;
  bool written = true;
  // --only may name a long property without --long.
  for (const vz::Property* p : all_properties(long_ || !only_.empty())) {
    if (!only_.empty() && p->name != only_) continue;
    runs.push_back(run_one(*p));
    const Run& r = runs.back();
    all_ok = all_ok && r.as_expected();
    if (!json_) {
      print_row(std::cout, r);
      std::cout.flush();
    }
    if (!out_dir_.empty() && r.outcome.verdict == vz::Verdict::Counterexample) {
      written = write_counterexample(out_dir_, r) && written;
    }
  }
  if (json_) {
    print_json(std::cout, runs, all_ok);
  } else {
    for (const Run& r : runs) {
      if (r.outcome.verdict != vz::Verdict::Counterexample) continue;
      std::cout << "\n" << counterexample_text(r);
    }
    if (!out_dir_.empty()) std::cout << "\ncounterexamples written to " << out_dir_ << "\n";
    std::cout << (all_ok ? "prove: every verdict as expected\n" : "prove: FAILED\n");
  }
  return all_ok && written ? kAsExpected : kUnexpected;
}

}  // namespace tcpmc::tools
