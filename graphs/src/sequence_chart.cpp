#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tcpmc/graphs/sequence_chart.hpp>
#include <vector>

namespace tcpmc::graphs {
namespace {

using Kind = ChartEvent::Kind;

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Node names, one per column and rank: the step label, the two lifelines
// and the network between them.
// (Built by appending: GCC 12 at -O3 warns falsely on "literal" + string.)
std::string id(char column, std::uint32_t r) {
  std::string s(1, column);
  s += std::to_string(r);
  return s;
}
std::string step_node(std::uint32_t r) { return id('t', r); }
std::string net_node(std::uint32_t r) { return id('n', r); }
std::string side_node(Side s, std::uint32_t r) { return id(s == Side::Client ? 'c' : 's', r); }

// Appends `item` to a list separated by `sep`.
void append(std::string& list, const std::string& item, const char* sep) {
  if (!list.empty()) list += sep;
  list += item;
}

// Where a message's arrow starts and ends: a lifeline or the network.
struct End {
  bool network = false;
  Side side = Side::Client;
  std::uint32_t rank = 0;
  std::string node() const { return network ? net_node(rank) : side_node(side, rank); }
};

struct Arrow {
  std::optional<End> from;
  std::optional<End> to;
  bool copy = false;
  bool injected = false;
  bool lost = false;
};

// What is written beside a lifeline at one rank.
struct Mark {
  std::vector<std::string> calls;    // user calls and notices, in order
  std::optional<std::string> state;  // the state entered, if any
};

}  // namespace

std::string sequence_chart_dot(const SequenceChart& chart) {
  std::uint32_t last = 0;
  for (const auto& e : chart.events) last = std::max(last, e.step);
  // Rank 0 heads the lifelines; rank last + 1 carries the violation, if any.
  const std::uint32_t bottom = last + 1;

  std::vector<Arrow> arrows(chart.messages.size());
  std::vector<std::array<Mark, 2>> marks(bottom + 1);
  std::vector<std::string> step_text(bottom + 1);
  std::vector<std::string> net_text(bottom + 1);  // "lost", "expired" at that rank
  std::optional<std::string> violation;
  const auto side_index = [](Side s) { return static_cast<std::size_t>(s); };

  for (const auto& e : chart.events) {
    const bool has_message = e.message < arrows.size();
    switch (e.kind) {
      case Kind::Send:
        if (has_message) arrows[e.message].from = End{false, e.side, e.step};
        break;
      case Kind::Inject:
        if (has_message) {
          arrows[e.message].from = End{true, e.side, e.step};
          arrows[e.message].injected = true;
        }
        break;
      case Kind::Deliver:
        if (has_message) arrows[e.message].to = End{false, e.side, e.step};
        break;
      case Kind::Loss:
        if (has_message) {
          arrows[e.message].to = End{true, e.side, e.step};
          arrows[e.message].lost = true;
          append(net_text[e.step], e.text, ", ");
        }
        break;
      case Kind::Duplicate:
        if (e.copy < arrows.size()) {
          arrows[e.copy].from = End{true, e.side, e.step};
          arrows[e.copy].copy = true;
        }
        break;
      case Kind::Timer: step_text[e.step] = e.text.empty() ? "tick" : e.text; break;
      case Kind::StateChange: marks[e.step][side_index(e.side)].state = e.text; break;
      case Kind::UserCall:
      case Kind::UserNotice: marks[e.step][side_index(e.side)].calls.push_back(e.text); break;
      case Kind::Violation: violation = e.text; break;
    }
  }

  std::string out = "digraph \"sequence\" {\n";
  out +=
      "  graph [newrank=true, rankdir=TB, splines=line, nodesep=1.2, ranksep=0.35, "
      "labelloc=t, forcelabels=true, "
      "fontname=\"Helvetica\", label=";
  std::string heading = chart.title;
  for (const auto& n : chart.notes) append(heading, n, "\n");
  out += quoted(heading) + "];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";

  // Heads of the lifelines.
  out += "  " + step_node(0) + " [shape=plaintext, label=\"step\"];\n";
  out += "  " + net_node(0) + " [shape=plaintext, label=\"network\"];\n";
  for (Side s : {Side::Client, Side::Server}) {
    const std::string who = s == Side::Client ? "client" : "server";
    const std::string& st = chart.initial_state[side_index(s)];
    std::string head = who;
    if (!st.empty()) append(head, st, "\n");
    out += "  " + side_node(s, 0) + " [shape=box, style=bold, label=" + quoted(head) + "];\n";
  }

  for (std::uint32_t r = 1; r <= bottom; ++r) {
    std::string step_label;
    if (r != bottom) {
      step_label = std::to_string(r);
      if (!step_text[r].empty()) append(step_label, step_text[r], "  ");
    }
    out += "  " + step_node(r) + " [shape=plaintext, label=" + quoted(step_label) + "];\n";
    if (r == bottom && violation) {
      out += "  " + net_node(r) +
             " [shape=box, style=filled, fillcolor=\"#fde0dc\", color=red, label=" +
             quoted(*violation) + "];\n";
    } else if (!net_text[r].empty()) {
      out += "  " + net_node(r) +
             " [shape=plaintext, fontcolor=red, fontsize=14, label=\"\u2715\", "
             "xlabel=" +
             quoted(net_text[r]) + "];\n";
    } else {
      out += "  " + net_node(r) + " [shape=point, width=0.01, style=invis];\n";
    }
    for (Side s : {Side::Client, Side::Server}) {
      const Mark& m = marks[r][side_index(s)];
      std::string label;
      for (const auto& c : m.calls) append(label, c, "\n");
      if (m.state) {
        append(label, *m.state, "\n");
        out +=
            "  " + side_node(s, r) +
            " [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", label=" + quoted(label) +
            "];\n";
      } else if (!label.empty()) {
        out += "  " + side_node(s, r) + " [shape=note, label=" + quoted(label) + "];\n";
      } else {
        out += "  " + side_node(s, r) + " [shape=point, width=0.05];\n";
      }
    }
  }

  // One rank per step, its columns kept in order by invisible edges.
  for (std::uint32_t r = 0; r <= bottom; ++r) {
    out += "  { rank=same; " + step_node(r) + " -> " + side_node(Side::Client, r) + " -> " +
           net_node(r) + " -> " + side_node(Side::Server, r) + " [style=invis]; }\n";
  }
  // The lifelines, and the invisible spines that keep the other columns
  // straight.
  for (std::uint32_t r = 0; r < bottom; ++r) {
    for (Side s : {Side::Client, Side::Server}) {
      out += "  " + side_node(s, r) + " -> " + side_node(s, r + 1) +
             " [arrowhead=none, color=grey50, weight=100];\n";
    }
    out += "  " + step_node(r) + " -> " + step_node(r + 1) + " [style=invis, weight=100];\n";
    out += "  " + net_node(r) + " -> " + net_node(r + 1) + " [style=invis, weight=100];\n";
  }

  // The segments, slanted from where they started to where they ended. A
  // segment still in flight when the run ends stops at the bottom of the
  // network column.
  for (std::size_t i = 0; i < arrows.size(); ++i) {
    const Arrow& a = arrows[i];
    if (!a.from) continue;
    const End to = a.to ? *a.to : End{true, Side::Client, std::max<std::uint32_t>(last, 1)};
    // An xlabel, not a label: dot bends a labelled edge through a point
    // of its own, and a message arrow must stay straight.
    std::string attrs = "xlabel=" + quoted(chart.messages[i].label) +
                        ", tooltip=" + quoted(chart.messages[i].detail) + ", constraint=false";
    if (a.lost) {
      attrs += ", color=red, fontcolor=red, style=dashed, arrowhead=none";
    } else if (!a.to) {
      attrs += ", color=grey60, fontcolor=grey40, style=dotted, arrowhead=none";
    } else if (a.injected) {
      attrs += ", color=darkorange, fontcolor=darkorange3, penwidth=1.5";
    } else if (a.copy) {
      attrs += ", color=blue, fontcolor=blue, style=dashed";
    } else {
      attrs += ", color=black";
    }
    out += "  " + a.from->node() + " -> " + to.node() + " [" + attrs + "];\n";
  }
  out += "}\n";
  return out;
}

}  // namespace tcpmc::graphs
