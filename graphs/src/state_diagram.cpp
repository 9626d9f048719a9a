#include <tcpmc/graphs/state_diagram.hpp>

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

namespace tcpmc::graphs {
namespace {

using model::Act;
using model::Event;
using model::Row;
using model::Spec;
using model::State;
using model::StateSet;

StateSet states_of(Diagram d) {
  using enum State;
  switch (d) {
    case Diagram::States: return model::states::kAll;
    case Diagram::Handshake: return Closed | Listen | SynSent | SynReceived | Established;
    case Diagram::Teardown:
      return Established | FinWait1 | FinWait2 | Closing | TimeWait | CloseWait | LastAck |
             Closed;
  }
  return {};
}

// The normal runs of each side, as sequences of events. Stepping them
// through the table (not through a list of arrows kept here) finds the
// arrows to highlight, so a changed table changes the picture.
constexpr std::array kClientRun = {Event::OpenActive, Event::SynAck,  Event::Close,
                                   Event::AckOfFin,   Event::Fin,     Event::TimeWaitTimeout};
constexpr std::array kServerRun = {Event::OpenPassive, Event::Syn,   Event::AckOfSyn,
                                   Event::Fin,         Event::Close, Event::AckOfFin};

using Path = std::array<std::array<bool, model::kStateCount>, model::kStateCount>;

template <std::size_t N>
Path walk(const Spec& spec, const std::array<Event, N>& run, bool passive) {
  Path path{};
  State s = State::Closed;
  model::GuardFacts facts;
  facts.opened_passively = passive;
  for (Event e : run) {
    const Row* r = spec.find(s, e, facts);
    if (r == nullptr) break;
    const State to = r->to.resolve(s);
    path[index(s)][index(to)] = true;
    s = to;
  }
  return path;
}

// Only what changes the connection or goes on the wire is drawn, as Figure 5
// does; signals to the user and bookkeeping are left to `tcpmc table`.
constexpr std::initializer_list<Act> kDrawnActs = {
    Act::SendSyn,       Act::SendSynAck,     Act::SendAck,  Act::SendFin,
    Act::SendRst,       Act::StartTimeWait,  Act::NewIncarnation, Act::DeleteTcb};

// Arrows that end a connection abnormally, or undo a half-open one.
bool is_failure(const Row& r) {
  switch (r.event) {
    case Event::Abort:
    case Event::RstExact:
    case Event::UserTimeout:
    case Event::RetransmissionTimeout:
    case Event::SynInSynchronized: return true;
    default: return false;
  }
}

// "event [guard]". Failure arrows are labelled with this alone, their full
// text staying in the tooltip, so that the normal arrows remain readable,
// as in Figure 5, which leaves failures out.
std::string event_label(const Row& r) {
  std::string label(model::doc(r.event).label);
  if (r.guard != model::Guard::Always) {
    label += " [";
    label += model::label(r.guard);
    label += "]";
  }
  return label;
}

// "event [guard] / actions", as Figure 5 labels its arrows.
std::string row_label(const Row& r) {
  std::string acts;
  for (Act a : kDrawnActs) {
    if (!r.acts.contains(a)) continue;
    if (!acts.empty()) acts += ", ";
    acts += model::label(a);
  }
  return event_label(r) + " / " + (acts.empty() ? "x" : acts);
}

// DOT string literal contents.
std::string escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

struct Edge {
  std::vector<std::string> labels;
  std::vector<std::string> sections;
};

// States that share a rank, top to bottom as Figure 5 places them.
constexpr std::array<std::initializer_list<State>, 3> kSameRank = {{
    {State::SynReceived, State::SynSent},
    {State::FinWait1, State::CloseWait},
    {State::FinWait2, State::Closing, State::LastAck},
}};

void add_unique(std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v) {
    if (x == s) return;
  }
  v.push_back(s);
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != 0) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace

const DiagramInfo& info(Diagram d) {
  for (const DiagramInfo& i : kDiagrams) {
    if (i.diagram == d) return i;
  }
  return kDiagrams[0];
}

std::string state_diagram_dot(const Spec& spec, Diagram d) {
  const StateSet shown = states_of(d);
  const Path client = walk(spec, kClientRun, false);
  const Path server = walk(spec, kServerRun, true);

  // [from][to][failure?]: a failure arrow never shares an edge with a
  // normal one, so the colours of the paths stay meaningful.
  std::array<std::array<std::array<Edge, 2>, model::kStateCount>, model::kStateCount> edges{};
  for (const Row& r : spec.rows()) {
    if (!r.fires()) continue;
    for (State from : model::kAllStates) {
      if (!r.from.contains(from)) continue;
      const State to = r.to.resolve(from);
      if (to == from || !shown.contains(from) || !shown.contains(to)) continue;
      const bool failure = is_failure(r);
      // The subsets show one procedure each; failures belong to the full diagram.
      if (failure && d != Diagram::States) continue;
      Edge& e = edges[index(from)][index(to)][failure ? 1 : 0];
      add_unique(e.labels, failure ? event_label(r) : row_label(r));
      add_unique(e.sections, row_label(r) + " (" + std::string(r.section) + ")");
    }
  }

  std::string out;
  out += "digraph \"" + std::string(info(d).name) + "\" {\n";
  out += "  label=\"" + escaped(info(d).title) + "\\n" + escaped(spec.name()) +
         " table; blue: client path, green: server path" +
         (d == Diagram::States ? std::string(", grey: failures") : std::string()) + "\";\n";
  out += "  labelloc=t; fontname=\"Helvetica\"; fontsize=16;\n";
  out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f4f4\", "
         "fontname=\"Helvetica\", fontsize=12];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (State s : model::kAllStates) {
    if (!shown.contains(s)) continue;
    const model::StateDoc& doc = model::doc(s);
    out += "  " + std::string(doc.id) + " [label=\"" + std::string(doc.rfc_name) +
           "\", tooltip=\"" + escaped(doc.meaning) + " User calls: " + escaped(doc.user_calls) +
           "\"];\n";
  }
  // CLOSED is where the handshake starts and where closing ends.
  if (shown.contains(State::Closed)) {
    out += d == Diagram::Teardown ? "  { rank=max; Closed; }\n" : "  { rank=min; Closed; }\n";
  }
  for (const auto& rank : kSameRank) {
    std::string same;
    for (State st : rank) {
      if (shown.contains(st)) same += " " + std::string(model::name(st)) + ";";
    }
    if (!same.empty()) out += "  { rank=same;" + same + " }\n";
  }
  for (State from : model::kAllStates) {
    for (State to : model::kAllStates) {
      for (std::size_t failure = 0; failure < 2; ++failure) {
        const Edge& e = edges[index(from)][index(to)][failure];
        if (e.labels.empty()) continue;
        std::string style;
        if (failure != 0) {
          style = "color=\"#a0a0a0\", fontcolor=\"#909090\", fontsize=7";
        } else if (client[index(from)][index(to)]) {
          style = "color=\"#1f5fbf\", fontcolor=\"#1f5fbf\", penwidth=2.2";
        } else if (server[index(from)][index(to)]) {
          style = "color=\"#1e8a3c\", fontcolor=\"#1e8a3c\", penwidth=2.2, style=dashed";
        } else {
          style = "color=\"#333333\"";
        }
        // Failure arrows do not pull the layout, which then follows the
        // normal arrows top-down like the RFC's figure.
        if (failure != 0) style += ", constraint=false";
        out += "  " + std::string(model::name(from)) + " -> " + std::string(model::name(to)) +
               " [label=\"" + escaped(join(e.labels, "\n")) + "\", tooltip=\"" +
               escaped(join(e.sections, "; ")) + "\", " + style + "];\n";
      }
    }
  }
  out += "}\n";
  return out;
}

}  // namespace tcpmc::graphs
