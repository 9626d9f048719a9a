// A message sequence chart of one run between a client and a server: what
// each side did, when, and what the network did to each segment. The
// explorer's counterexamples are drawn this way (tools/ fills the chart
// from a trace; graphs/ knows nothing of the explorer).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tcpmc::graphs {

enum class Side : std::uint8_t { Client, Server };

struct ChartEvent {
  enum class Kind : std::uint8_t {
    Send,         // `side` sends `message`
    Inject,       // an off-path attacker sends `message` towards `side`
    Deliver,      // `message` arrives at `side`
    Loss,         // the network loses `message`; `text` says how (dropped, expired)
    Duplicate,    // the network copies `message` into the new message `copy`
    Timer,        // time passes; `text` may say what fired
    StateChange,  // `side` enters the state named in `text`
    UserCall,     // the user of `side` calls `text` (connect, send, close, ...)
    UserNotice,   // the user of `side` is told `text` (bytes received, reset, ...)
    Violation,    // the run breaks an invariant; `text` names it and says how
  };
  Kind kind = Kind::Timer;
  std::uint32_t step = 0;  // 1, 2, ...: the trace's step, the chart's time axis
  Side side = Side::Client;
  std::uint32_t message = 0;  // index into SequenceChart::messages
  std::uint32_t copy = 0;     // Duplicate: the copy's index
  std::string text;
};

struct ChartMessage {
  std::string label;   // short, drawn on the arrow: "SYN seq=3"
  std::string detail;  // the whole segment, shown as the arrow's tooltip
};

struct SequenceChart {
  std::string title;
  std::vector<std::string> notes;            // printed under the title: bounds, verdict
  std::array<std::string, 2> initial_state;  // by Side: the state each lifeline starts in
  std::vector<ChartMessage> messages;
  std::vector<ChartEvent> events;  // in step order

  std::uint32_t add_message(std::string label, std::string detail) {
    messages.push_back({std::move(label), std::move(detail)});
    return static_cast<std::uint32_t>(messages.size() - 1);
  }
};

// The chart as a DOT graph: a step column on the left, the client's and the
// server's lifelines with the network between them, one rank per step.
// A delivered segment is an arrow from its sender at the step it was sent
// to its receiver at the step it arrived, so it slants by the time it spent
// in flight; a lost one ends in a red cross in the network column; a copy
// starts in the network column where it was made; an injected one starts
// there too, in the attacker's colour. State changes are boxes on the
// lifelines, user calls notes beside them; a violation closes the chart.
std::string sequence_chart_dot(const SequenceChart& chart);

}  // namespace tcpmc::graphs
