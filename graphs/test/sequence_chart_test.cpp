// The message sequence chart: each segment drawn from where it began to
// where it ended, losses marked, states on the lifelines, and a graph that
// Graphviz accepts.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/graphs/render.hpp>
#include <tcpmc/graphs/sequence_chart.hpp>
#include <variant>

namespace tcpmc::graphs {
namespace {

using Kind = ChartEvent::Kind;

// The edge statement from `from` to `to`, or "" if there is none.
std::string edge(const std::string& dot, const std::string& from, const std::string& to) {
  const auto at = dot.find(std::string("  ") + from + " -> " + to + " [");
  if (at == std::string::npos) return "";
  return dot.substr(at, dot.find('\n', at) - at);
}

std::string node(const std::string& dot, const std::string& id) {
  const auto at = dot.find(std::string("  ") + id + " [");
  if (at == std::string::npos) return "";
  return dot.substr(at, dot.find('\n', at) - at);
}

// A handshake whose SYN-ACK is lost once, then retransmitted after a tick;
// a copy of the final ACK made by the network; a violation at the end.
SequenceChart lossy_handshake() {
  SequenceChart c;
  c.title = "no TIME-WAIT: NothingLost";
  c.notes = {"in-flight=2 losses=1"};
  c.initial_state = {"CLOSED", "LISTEN"};
  const auto syn = c.add_message("SYN seq=3", "client -> server <SEQ=3><CTL=SYN>");
  const auto syn_ack = c.add_message("SYN,ACK seq=9 ack=4", "server -> client ...");
  const auto again = c.add_message("SYN,ACK seq=9 ack=4", "server -> client ...");
  const auto ack = c.add_message("ACK seq=4 ack=10", "client -> server ...");
  const auto copy = c.add_message("ACK seq=4 ack=10", "client -> server ...");
  c.events = {
      {Kind::UserCall, 1, Side::Client, 0, 0, "connect"},
      {Kind::StateChange, 1, Side::Client, 0, 0, "SYN-SENT"},
      {Kind::Send, 1, Side::Client, syn, 0, ""},
      {Kind::Deliver, 2, Side::Server, syn, 0, ""},
      {Kind::StateChange, 2, Side::Server, 0, 0, "SYN-RECEIVED"},
      {Kind::Send, 2, Side::Server, syn_ack, 0, ""},
      {Kind::Loss, 3, Side::Client, syn_ack, 0, "lost"},
      {Kind::Timer, 4, Side::Client, 0, 0, "tick"},
      {Kind::Send, 4, Side::Server, again, 0, ""},
      {Kind::Deliver, 5, Side::Client, again, 0, ""},
      {Kind::StateChange, 5, Side::Client, 0, 0, "ESTABLISHED"},
      {Kind::Send, 5, Side::Client, ack, 0, ""},
      {Kind::Duplicate, 6, Side::Server, ack, copy, ""},
      {Kind::Deliver, 7, Side::Server, copy, 0, ""},
      {Kind::Violation, 7, Side::Server, 0, 0, "NothingLost: \"quoted\" detail"},
  };
  return c;
}

TEST(SequenceChart, DeliveredSegment_SlantsFromSenderToReceiver) {
  const std::string dot = sequence_chart_dot(lossy_handshake());
  // The SYN leaves the client at step 1 and reaches the server at step 2.
  const std::string syn = edge(dot, "c1", "s2");
  ASSERT_NE(syn, "");
  EXPECT_NE(syn.find("label=\"SYN seq=3\""), std::string::npos);
  EXPECT_NE(syn.find("constraint=false"), std::string::npos);
  // The retransmitted SYN-ACK, from the server at 4 to the client at 5.
  EXPECT_NE(edge(dot, "s4", "c5"), "");
}

TEST(SequenceChart, LostSegment_EndsInRedCrossInTheNetwork) {
  const std::string dot = sequence_chart_dot(lossy_handshake());
  const std::string lost = edge(dot, "s2", "n3");
  ASSERT_NE(lost, "");
  EXPECT_NE(lost.find("color=red"), std::string::npos);
  EXPECT_NE(lost.find("arrowhead=none"), std::string::npos);
  const std::string cross = node(dot, "n3");
  EXPECT_NE(cross.find("\u2715"), std::string::npos);
  EXPECT_NE(cross.find("xlabel=\"lost\""), std::string::npos);
  // No arrow of the lost segment reaches the client.
  EXPECT_EQ(edge(dot, "s2", "c3"), "");
}

TEST(SequenceChart, Copy_StartsInTheNetworkWhereItWasMade) {
  const std::string dot = sequence_chart_dot(lossy_handshake());
  const std::string copy = edge(dot, "n6", "s7");
  ASSERT_NE(copy, "");
  EXPECT_NE(copy.find("style=dashed"), std::string::npos);
  // The original ACK is never delivered: it stays in flight to the end.
  EXPECT_NE(edge(dot, "c5", "n7").find("style=dotted"), std::string::npos);
}

TEST(SequenceChart, StatesAndCalls_AnnotateTheLifelines) {
  const std::string dot = sequence_chart_dot(lossy_handshake());
  EXPECT_NE(node(dot, "c0").find("client\\nCLOSED"), std::string::npos);
  EXPECT_NE(node(dot, "s0").find("server\\nLISTEN"), std::string::npos);
  EXPECT_NE(node(dot, "c1").find("connect\\nSYN-SENT"), std::string::npos);
  EXPECT_NE(node(dot, "s2").find("SYN-RECEIVED"), std::string::npos);
  EXPECT_NE(node(dot, "c5").find("ESTABLISHED"), std::string::npos);
  EXPECT_NE(node(dot, "t4").find("4  tick"), std::string::npos);
  // A step where nothing happens to a side is a bare point on its line.
  EXPECT_NE(node(dot, "s3").find("shape=point"), std::string::npos);
  // Each lifeline runs unbroken from its head to the bottom rank.
  for (int r = 0; r < 8; ++r) {
    for (const std::string line : {"c", "s"}) {
      EXPECT_NE(edge(dot, line + std::to_string(r), line + std::to_string(r + 1)), "") << r;
    }
  }
}

TEST(SequenceChart, Violation_ClosesTheChartEscaped) {
  const std::string dot = sequence_chart_dot(lossy_handshake());
  const std::string v = node(dot, "n8");
  EXPECT_NE(v.find("color=red"), std::string::npos);
  EXPECT_NE(v.find("NothingLost: \\\"quoted\\\" detail"), std::string::npos);
  EXPECT_NE(dot.find("label=\"no TIME-WAIT: NothingLost\\nin-flight=2 losses=1\""),
            std::string::npos);
}

TEST(SequenceChart, Dot_AcceptedByGraphviz) {
  const auto svg = render(sequence_chart_dot(lossy_handshake()), RenderFormat::Svg);
  // Graphviz is installed by scripts/test; without it this fails, never skips.
  if (const auto* err = std::get_if<RenderError>(&svg)) FAIL() << err->message;
  EXPECT_NE(std::get<std::string>(svg).find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace tcpmc::graphs
