// The DOT drawings: read from the table, valid for Graphviz, and showing
// what the issue asks of them.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tcpmc/graphs/render.hpp>
#include <tcpmc/graphs/state_diagram.hpp>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>

namespace tcpmc::graphs {
namespace {

// Node statements are the lines "  Id [label=...".
std::set<std::string> node_ids(const std::string& dot) {
  std::set<std::string> ids;
  std::string::size_type start = 0;
  while (start < dot.size()) {
    auto end = dot.find('\n', start);
    if (end == std::string::npos) end = dot.size();
    const std::string line = dot.substr(start, end - start);
    const auto bracket = line.find(" [label=");
    if (line.starts_with("  ") && bracket != std::string::npos &&
        line.find(' ', 2) == bracket) {
      ids.insert(line.substr(2, bracket - 2));
    }
    start = end + 1;
  }
  return ids;
}

bool has_edge(const std::string& dot, std::string_view from, std::string_view to) {
  return dot.find("  " + std::string(from) + " -> " + std::string(to) + " [") != std::string::npos;
}

TEST(StateDiagram, States_HasExactlyTheElevenStates) {
  const std::string dot = state_diagram_dot(model::kRfc9293, Diagram::States);
  const auto ids = node_ids(dot);
  EXPECT_EQ(ids.size(), 11U);
  for (model::State s : model::kAllStates) {
    EXPECT_TRUE(ids.contains(std::string(model::name(s)))) << model::name(s);
    EXPECT_NE(dot.find("label=\"" + std::string(model::rfc_name(s)) + "\""), std::string::npos);
  }
}

TEST(StateDiagram, States_DrawsFigure5ArrowsWithEventAndActions) {
  const std::string dot = state_diagram_dot(model::kRfc9293, Diagram::States);
  EXPECT_TRUE(has_edge(dot, "Closed", "SynSent"));
  EXPECT_TRUE(has_edge(dot, "SynSent", "SynReceived"));
  EXPECT_TRUE(has_edge(dot, "FinWait1", "Closing"));
  EXPECT_TRUE(has_edge(dot, "FinWait1", "TimeWait"));
  EXPECT_TRUE(has_edge(dot, "TimeWait", "Closed"));
  EXPECT_NE(dot.find("rcv SYN / snd SYN,ACK"), std::string::npos);
  EXPECT_NE(dot.find("timeout=2MSL / delete TCB"), std::string::npos);
  // No arrow that Figure 5 lacks and the table lacks too.
  EXPECT_FALSE(has_edge(dot, "Listen", "Established"));
  EXPECT_FALSE(has_edge(dot, "CloseWait", "FinWait1"));
}

// The client's and the server's paths are told apart.
TEST(StateDiagram, States_ClientAndServerPathsHaveTheirColours) {
  const std::string dot = state_diagram_dot(model::kRfc9293, Diagram::States);
  const auto edge_line = [&](std::string_view from, std::string_view to) {
    const auto at = dot.find("  " + std::string(from) + " -> " + std::string(to) + " [");
    return dot.substr(at, dot.find('\n', at) - at);
  };
  EXPECT_NE(edge_line("SynSent", "Established").find("#1f5fbf"), std::string::npos);
  EXPECT_NE(edge_line("FinWait2", "TimeWait").find("#1f5fbf"), std::string::npos);
  EXPECT_NE(edge_line("Listen", "SynReceived").find("#1e8a3c"), std::string::npos);
  EXPECT_NE(edge_line("CloseWait", "LastAck").find("#1e8a3c"), std::string::npos);
}

// Tooltips carry the state's meaning.
TEST(StateDiagram, Nodes_CarryTheirDefinitionAsTooltip) {
  const std::string dot = state_diagram_dot(model::kRfc9293, Diagram::States);
  EXPECT_NE(dot.find(std::string(model::doc(model::State::TimeWait).meaning)), std::string::npos);
}

TEST(StateDiagram, Subsets_HoldTheirStatesOnly) {
  EXPECT_EQ(node_ids(state_diagram_dot(model::kRfc9293, Diagram::Handshake)),
            (std::set<std::string>{"Closed", "Listen", "SynSent", "SynReceived", "Established"}));
  EXPECT_EQ(node_ids(state_diagram_dot(model::kRfc9293, Diagram::Teardown)),
            (std::set<std::string>{"Established", "FinWait1", "FinWait2", "Closing", "TimeWait",
                                   "CloseWait", "LastAck", "Closed"}));
}

// The drawing comes from the table: edit the table, and the picture changes.
TEST(StateDiagram, Variant_TwoWayHandshake_DrawsItsArrow) {
  const std::string dot =
      state_diagram_dot(model::two_way_handshake(model::rfc9293()), Diagram::Handshake);
  EXPECT_TRUE(has_edge(dot, "Listen", "Established"));
  EXPECT_FALSE(has_edge(dot, "Listen", "SynReceived"));
}

TEST(StateDiagram, EveryDiagram_AcceptedByGraphviz) {
  for (const DiagramInfo& d : kDiagrams) {
    const auto svg = render(state_diagram_dot(model::kRfc9293, d.diagram), RenderFormat::Svg);
    ASSERT_TRUE(std::holds_alternative<std::string>(svg))
        << d.name << ": " << std::get<RenderError>(svg).message;
    EXPECT_NE(std::get<std::string>(svg).find("<svg"), std::string::npos);
  }
}

TEST(Render, MalformedDot_IsATypedErrorWithGraphvizMessage) {
  const auto svg = render("digraph { a -> }", RenderFormat::Svg);
  ASSERT_TRUE(std::holds_alternative<RenderError>(svg));
  EXPECT_NE(std::get<RenderError>(svg).message.find("dot rejected"), std::string::npos);
}

}  // namespace
}  // namespace tcpmc::graphs
