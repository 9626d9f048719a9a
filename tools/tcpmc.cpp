// tcpmc: the command-line program. It parses flags and calls the libraries;
// what it prints is theirs. Usage errors exit 2, failed checks exit 1.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <tcpmc/graphs/render.hpp>
#include <tcpmc/graphs/state_diagram.hpp>
#include <tcpmc/graphs/table_text.hpp>
#include <tcpmc/model/check.hpp>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/catalog.hpp>
#include <variant>

#include "demo_command.hpp"
#include "explore_command.hpp"
#include "export_command.hpp"
#include "net_commands.hpp"
#include "prove_command.hpp"
#include "trace_command.hpp"

namespace {

namespace fs = std::filesystem;
using tcpmc::graphs::Diagram;

constexpr int kUsageError = 2;

// Writes `text` to `path`, creating parent directories; false with a
// message on stderr if that fails.
bool write_file(const fs::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "tcpmc: cannot write " << path.string() << ": check the directory exists and "
              << "is writable\n";
    return false;
  }
  return true;
}

// The diagram in the requested format, or nothing (reason on stderr).
std::optional<std::string> draw(Diagram d, const std::string& format) {
  const std::string dot = tcpmc::graphs::state_diagram_dot(tcpmc::model::kRfc9293, d);
  if (format == "dot") return dot;
  auto svg = tcpmc::graphs::render(dot, tcpmc::graphs::RenderFormat::Svg);
  if (auto* err = std::get_if<tcpmc::graphs::RenderError>(&svg)) {
    std::cerr << "tcpmc: " << err->message << "\n";
    return std::nullopt;
  }
  return std::get<std::string>(std::move(svg));
}

int print_check(const tcpmc::model::Spec& spec, const tcpmc::model::CheckResult& r) {
  std::cout << (r.ok ? "  PASS  " : "  FAIL  ") << describe(r.id);
  if (!r.ok) {
    std::cout << "\n        " << r.problem << ": " << tcpmc::model::rfc_name(r.state);
    if (r.id == tcpmc::model::CheckId::Deterministic || r.id == tcpmc::model::CheckId::Complete) {
      std::cout << " x " << tcpmc::model::name(r.event);
    }
    if (r.row_a != tcpmc::model::CheckResult::kNoRow) std::cout << " (row " << r.row_a;
    if (r.row_b != tcpmc::model::CheckResult::kNoRow) std::cout << " and row " << r.row_b;
    if (r.row_a != tcpmc::model::CheckResult::kNoRow) std::cout << ")";
    std::cout << " in " << spec.name();
  }
  std::cout << "\n";
  return r.ok ? 0 : 1;
}

// The explorer's catalog: the RFC spec must hold on each configuration,
// each variant must be refuted by the invariant its question is about.
int run_explorer_cases() {
  namespace ex = tcpmc::verify::explore;
  std::cout << "Explorer (the engine over a lossy, duplicating, reordering network):\n";
  std::printf("        %-24s %-14s %-32s %-32s %9s %8s\n", "spec", "configuration", "expected",
              "verdict", "states", "time");
  int failures = 0;
  for (const ex::VerifyCase& c : ex::verify_cases()) {
    const ex::SearchResult r = c.search();
    const std::string expected =
        c.expected ? "refutes " + std::string(tcpmc::verify::name(*c.expected)) : "holds";
    const std::string verdict =
        r.violation ? "refutes " + std::string(tcpmc::verify::name(r.violation->invariant))
        : r.complete ? "holds"
                     : "incomplete";
    const bool ok = c.as_expected(r);
    failures += ok ? 0 : 1;
    std::printf("  %s  %-24s %-14s %-32s %-32s %9llu %6.2f s\n", ok ? "PASS" : "FAIL",
                std::string(c.spec).c_str(), std::string(c.config).c_str(), expected.c_str(),
                verdict.c_str(), static_cast<unsigned long long>(r.stats.states),
                r.stats.seconds);
  }
  std::cout << "  (configurations: tcpmc explore --help; each case's bounds: "
               "verify/include/tcpmc/verify/explore/catalog.hpp)\n";
  std::cout.flush();
  return failures;
}

int run_verify(const std::string& graphs_dir) {
  int failures = 0;
  std::cout << "Table checks, " << tcpmc::model::kRfc9293.name() << " ("
            << tcpmc::model::kRfc9293.size() << " rows, " << tcpmc::model::kStateCount
            << " states x " << tcpmc::model::kEventCount << " events):\n";
  for (const auto& r : tcpmc::model::check_all(tcpmc::model::kRfc9293)) {
    failures += print_check(tcpmc::model::kRfc9293, r);
  }
  std::cout << "Variants (each must still be a well-formed table):\n";
  for (tcpmc::model::Variant v : tcpmc::model::kVariants) {
    const tcpmc::model::Spec spec = v(tcpmc::model::rfc9293());
    int bad = 0;
    for (const auto& r : tcpmc::model::check_all(spec)) {
      if (!r.ok) bad += print_check(spec, r);
    }
    std::cout << (bad == 0 ? "  PASS  " : "  FAIL  ") << spec.name() << "\n";
    failures += bad;
  }
  failures += run_explorer_cases();
  failures += tcpmc::tools::ExploreCommand::run_liveness_cases();
  std::cout << "Z3 proofs (tcpmc prove shows the counterexamples):\n";
  failures += tcpmc::tools::ProveCommand::run_table(std::cout);
  if (!graphs_dir.empty()) {
    std::cout << "Diagrams:\n";
    for (const auto& info : tcpmc::graphs::kDiagrams) {
      const auto svg = draw(info.diagram, "svg");
      const fs::path file = fs::path(graphs_dir) / (std::string(info.name) + ".svg");
      const bool ok = svg && write_file(file, *svg);
      std::cout << (ok ? "  WROTE " : "  FAIL  ") << file.string() << "\n";
      failures += ok ? 0 : 1;
    }
  }
  std::cout << (failures == 0 ? "verify: all checks passed\n" : "verify: FAILED\n");
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tcpmc: a model-checked reference implementation of TCP (RFC 9293)"};
  // At most one subcommand; "none" is reported after parsing so that an
  // unknown flag is named rather than hidden behind "subcommand required".
  app.require_subcommand(0, 1);

  std::string graphs_dir;
  auto* verify = app.add_subcommand(
      "verify",
      "Check the table, run the explorer's catalog of verdicts, the liveness checks and the Z3 "
      "proofs, render the diagrams");
  verify->add_option("--graphs", graphs_dir, "Write the state diagrams as SVG into this directory");

  bool ambiguities = false;
  bool unreachable = false;
  auto* table = app.add_subcommand("table", "Print the transition table in RFC order");
  auto* amb = table->add_flag("--ambiguities", ambiguities,
                              "Only the rows that decide an RFC-AMBIGUITY, with the decision");
  table->add_flag("--unreachable", unreachable, "Only the rows that cannot fire, with the reason")
      ->excludes(amb);

  std::string which = "states";
  std::string format = "dot";
  std::string out_file;
  auto* graph = app.add_subcommand(
      "graph", "Draw a state diagram from the table, or (graph trace) a captured connection");
  // Not required: `graph trace` takes its place. Its absence is reported
  // after parsing.
  auto* diagram = graph->add_option("diagram", which, "states, handshake or teardown")
                      ->check(CLI::IsMember({"states", "handshake", "teardown"}));
  graph->require_subcommand(0, 1);
  const tcpmc::tools::TraceCommand trace(*graph);  // graph trace
  graph->add_option("--format", format, "dot or svg (svg needs Graphviz)")
      ->check(CLI::IsMember({"dot", "svg"}));
  graph->add_option("--out", out_file, "Write to this file instead of standard output");

  const tcpmc::tools::NetCommands net(app);  // serve, connect
  const tcpmc::tools::ExploreCommand explore(app);
  const tcpmc::tools::ProveCommand prove(app);
  const tcpmc::tools::ExportCommand export_(app);
  const tcpmc::tools::DemoCommand demo(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tcpmc: " << e.what() << " (see tcpmc --help)\n";
    return kUsageError;
  }

  if (verify->parsed()) return run_verify(graphs_dir);
  if (auto status = net.run()) return *status;
  if (auto status = explore.run()) return *status;
  if (auto status = prove.run()) return *status;
  if (auto status = export_.run()) return *status;
  if (auto status = demo.run()) return *status;
  if (auto status = trace.run()) return *status;
  if (table->parsed()) {
    using tcpmc::graphs::TableView;
    const TableView view = ambiguities   ? TableView::Ambiguities
                           : unreachable ? TableView::Unreachable
                                         : TableView::Rows;
    std::cout << tcpmc::graphs::table_text(tcpmc::model::kRfc9293, view);
    return 0;
  }
  if (graph->parsed()) {
    if (diagram->count() == 0) {
      std::cerr << "tcpmc: graph needs a diagram: states, handshake, teardown, or trace "
                   "--pcap FILE (see tcpmc graph --help)\n";
      return kUsageError;
    }
    Diagram d = Diagram::States;
    for (const auto& info : tcpmc::graphs::kDiagrams) {
      if (info.name == which) d = info.diagram;
    }
    const auto text = draw(d, format);
    if (!text) return 1;
    if (out_file.empty()) {
      std::cout << *text;
      return 0;
    }
    return write_file(out_file, *text) ? 0 : 1;
  }
  std::cerr << "tcpmc: a subcommand is required: verify, table or graph (see tcpmc --help)\n";
  return kUsageError;
}
