// `tcpmc graph trace`: the message sequence chart of one captured TCP
// connection, drawn by the emitter the explorer's counterexamples use, each
// segment annotated with what the RFC 9293 table predicts at each end
// (verify/trace_observer.hpp). The pieces are shared with `tcpmc demo`,
// which summarizes its own capture with the same observer.
#pragma once

#include <CLI/CLI.hpp>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tcpmc/graphs/sequence_chart.hpp>
#include <tcpmc/net/pcap_reader.hpp>
#include <tcpmc/verify/trace_observer.hpp>
#include <vector>

namespace tcpmc::tools {

struct Endpoint {
  wire::Ipv4Address address;
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

std::string to_string(const Endpoint& e);

// A connection's two ends: `client` sent the first captured segment.
struct ConnectionKey {
  Endpoint client;
  Endpoint server;
  // The same two ends, in either order.
  bool same_ends(const ConnectionKey& other) const {
    return (client == other.client && server == other.server) ||
           (client == other.server && server == other.client);
  }
};

// `A.B.C.D:P-A.B.C.D:P`, either end first; nothing if it is not that.
std::optional<ConnectionKey> parse_connection(std::string_view text);

struct ConnectionTrace {
  ConnectionKey key;
  std::vector<net::CapturedSegment> segments;  // in capture order
};

// The capture's connections, by 4-tuple, in the order each first appears.
std::vector<ConnectionTrace> split_connections(const net::Capture& capture);

// The observer run over a whole connection, segment by segment.
struct ObservedTrace {
  verify::TraceObserver observer;
  std::vector<verify::Explanation> explanations;  // one per segment
};
ObservedTrace observe(const ConnectionTrace& trace);

// The chart of at most `max_segments` segments (0: all); `source` names
// the capture in the title.
graphs::SequenceChart trace_chart(const ConnectionTrace& trace, const std::string& source,
                                  std::size_t max_segments);

// What the demo prints for one connection: the handshake with the options
// each side offered, the transfer, the close, who held TIME-WAIT, and what
// the table made of it. `names` are the ends' names (client, server).
struct ConnectionSummary {
  std::string text;                      // several lines, each indented by two spaces
  std::optional<verify::End> time_wait;  // the end the table put in TIME-WAIT
  bool closed_both_ways = false;         // each end's FIN was acknowledged
  bool four_way_close = false;           // ... in four segments: FIN, ACK, FIN, ACK
  bool handshake_seen = false;
  std::uint64_t unexplained = 0;
  std::array<std::uint64_t, 2> data_bytes{};  // distinct data octets each end sent
};
ConnectionSummary summarize(const ConnectionTrace& trace, const std::array<std::string, 2>& names);

class TraceCommand {
 public:
  // Adds `trace` under the `graph` subcommand.
  explicit TraceCommand(CLI::App& graph);
  TraceCommand(const TraceCommand&) = delete;
  TraceCommand& operator=(const TraceCommand&) = delete;

  // After parsing: the exit status if `graph trace` was chosen, else nothing.
  std::optional<int> run() const;

 private:
  CLI::App* cmd_ = nullptr;
  std::string pcap_;
  std::string conn_;
  std::string format_ = "dot";
  std::string out_;
  std::size_t max_segments_ = 200;
};

}  // namespace tcpmc::tools
