// DOT drawings of a specification's state diagram, read from its table
// alone: what the diagram shows is what the engine runs.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include <tcpmc/model/spec.hpp>

namespace tcpmc::graphs {

enum class Diagram {
  States,     // all eleven states, in the manner of RFC 9293 Figure 5
  Handshake,  // CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED
  Teardown,   // ESTABLISHED to CLOSED through both closing paths
};

struct DiagramInfo {
  Diagram diagram;
  std::string_view name;   // also the file stem under graphs/svg/
  std::string_view title;
};

inline constexpr std::array<DiagramInfo, 3> kDiagrams = {{
    {Diagram::States, "states", "TCP connection states (RFC 9293)"},
    {Diagram::Handshake, "handshake", "Three-way handshake (RFC 9293)"},
    {Diagram::Teardown, "teardown", "Closing a connection (RFC 9293)"},
}};

const DiagramInfo& info(Diagram d);

// The diagram as a DOT graph. Nodes carry the state's meaning and allowed
// user calls as tooltips; edges are labelled "event / actions" and carry
// their RFC sections as tooltips. The client's path (active open, active
// close) and the server's path (passive open, passive close) are found by
// running the normal sequence of events through the table, and drawn in
// their own colours; failure and abort arrows are drawn thin and grey.
std::string state_diagram_dot(const model::Spec& spec, Diagram d);

}  // namespace tcpmc::graphs
