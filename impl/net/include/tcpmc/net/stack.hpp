// The stack: one IPv4 address, the connections and listeners on it, and
// the sockets-like API that programs embedding tcpmc call.
//
// Like the engine it drives, the Stack reads no clock and draws no random
// numbers: every call takes `now` (microseconds of CLOCK_MONOTONIC in the
// runtime, anything in tests) and the ISN secret comes in its StackConfig.
// It writes what the engines emit to its Device in flush(); the event loop
// (event_loop.hpp) reads the device and calls on_packet().
//
// Demultiplexing (RFC 9293 3.10.7): an arriving segment goes to the
// connection with its 4-tuple, else to the TIME-WAIT entry with it, else to
// the listener on its port, else to a connection in CLOSED, whose table
// rows answer with the RST of section 3.10.7.1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/listener.hpp>
#include <tcpmc/net/counters.hpp>
#include <tcpmc/net/device.hpp>
#include <tcpmc/wire/address.hpp>
#include <tcpmc/wire/expected.hpp>
#include <unordered_map>
#include <vector>

namespace tcpmc::net {

using Time = core::StackParams::Time;  // microseconds
using Conn = core::Connection<core::StackParams>;
using Listener = core::Listener<core::StackParams>;

// What a socket call can fail with, as a value.
enum class NetError : std::uint8_t {
  WouldBlock,     // nothing to do now: wait for readiness
  Refused,        // the peer answered our SYN with RST
  Reset,          // the peer reset the connection
  TimedOut,       // retransmissions gave up
  Shutdown,       // send after shutdown() or close()
  NotConnected,   // the call needs an established connection
  InvalidSocket,  // no such socket, or the wrong kind (listening vs connected)
  PortInUse,      // listen() on a port that has a listener
  NoPortsLeft,    // connect() found no free ephemeral port for the destination
};

std::string_view name(NetError e);

using SocketId = std::uint32_t;

// Readiness of one socket (the poll interface): what a call would do now.
struct Readiness {
  bool acceptable = false;        // listening: accept() returns a connection
  bool connected = false;         // the handshake completed
  bool readable = false;          // receive() returns data or end of stream
  bool writable = false;          // send() accepts at least one byte
  bool end_of_stream = false;     // the peer's FIN has been read up to
  bool closed = false;            // the connection is over (normally or not)
  std::optional<NetError> error;  // Refused, Reset or TimedOut, once it happened
};

struct StackConfig {
  wire::Ipv4Address address;
  core::Config<core::StackParams> engine = core::Config<core::StackParams>::stack_defaults();
  bool syn_cookies = true;
};

class Stack {
 public:
  Stack(const StackConfig& config, Device& device);

  // --- The sockets-like API ----------------------------------------------------

  Expected<SocketId, NetError> listen(std::uint16_t port, std::size_t backlog);
  // The oldest connection that completed its handshake on this listener.
  Expected<SocketId, NetError> accept(SocketId listener);
  Expected<SocketId, NetError> connect(Time now, wire::Ipv4Address address, std::uint16_t port);
  // Bytes taken into the send queue (at least one), or an error.
  Expected<std::size_t, NetError> send(Time now, SocketId id, std::span<const std::byte> data);
  // Bytes copied out; 0 means end of stream (the peer's FIN was reached).
  Expected<std::size_t, NetError> receive(Time now, SocketId id, std::span<std::byte> out);
  // Half-close: our FIN after the queued data; receiving goes on.
  std::optional<NetError> shutdown(Time now, SocketId id);
  // Lets go of the socket. A connection still closes gracefully (our FIN
  // after the queued data) and lives on unowned until it is over; data
  // arriving for it after this is dropped. A listener stops listening.
  std::optional<NetError> close(Time now, SocketId id);
  // RST to the peer, if there is one, and the socket is gone.
  std::optional<NetError> abort(Time now, SocketId id);
  Readiness poll(SocketId id) const;
  std::optional<core::FourTuple> tuple(SocketId id) const;

  // --- Driven by the event loop --------------------------------------------------

  // One IPv4 packet from the device. Anything malformed is counted and dropped.
  void on_packet(Time now, std::span<const std::byte> packet);
  // Fires every deadline that has passed.
  void on_timer(Time now);
  // Everything the engines have to send, written to the device.
  void flush(Time now);
  std::optional<Time> next_deadline() const;
  void count_read_error() { ++counters_.device_read_errors; }

  // Closes every socket (as close()), for a graceful exit; true once no
  // connection is left that is not in TIME-WAIT.
  void close_all(Time now);
  bool quiescent() const;
  // Aborts what is left (after close_all's bounded wait).
  void abort_all(Time now);

  std::size_t connection_count() const { return sockets_.size() - listener_count(); }
  std::size_t time_wait_count() const { return time_wait_.size(); }
  // The engines' counters (retransmissions, challenge ACKs) here cover the
  // connections already retired; counters_text() adds the open ones.
  const StackCounters& counters() const { return counters_; }
  // Counters of the stack and all its listeners, one per line.
  std::string counters_text() const;

 private:
  struct ListenState {
    Listener listener;
    std::deque<SocketId> adopted;  // reborn from TIME-WAIT by a new SYN, then established
  };
  struct Socket {
    std::optional<Conn> conn;
    // Out of line: a Listener is about 2.3 KB, and every connection's
    // Socket would otherwise carry that much unused room (issue 10 asks for
    // at most 4 KiB per idle connection, everything included).
    std::unique_ptr<ListenState> listen;
    bool owned = true;            // the user holds the id (accepted, or not yet closed)
    bool pending_accept = false;  // adopted: waiting in a listener's queue
    std::uint16_t adopt_port = 0;
    bool connected = false;
    bool closed = false;
    bool in_time_wait = false;
    std::optional<NetError> error;
  };

  std::size_t listener_count() const { return listeners_.size(); }
  Socket* find(SocketId id);
  const Socket* find(SocketId id) const;
  SocketId add(Socket s);

  void on_tcp(Time now, std::span<const std::byte> packet);
  void on_icmp(Time now, std::span<const std::byte> packet);
  void to_connection(Time now, SocketId id, const Conn::Seg& seg);
  void to_time_wait(Time now, const core::FourTuple& t, const Conn::Seg& seg);
  void to_listener(Time now, SocketId id, const Conn::Seg& seg);
  void no_connection(Time now, const Conn::Seg& seg);
  // Reads the connection's events into the socket and retires connections
  // that are over (to TIME-WAIT entries, or gone).
  void settle(Time now, SocketId id);
  void retire(SocketId id);
  void transmit(Time now, Conn& c);
  void emit(const Conn::Seg& seg);
  void write_packet(std::span<const std::byte> packet);

  StackConfig config_;
  Device& device_;
  Conn closed_;  // answers segments for nothing with the CLOSED rows' RST
  SocketId next_id_ = 1;
  std::uint16_t next_ephemeral_ = 0;
  std::unordered_map<SocketId, Socket> sockets_;
  std::unordered_map<core::FourTuple, SocketId, core::FourTupleHash> by_tuple_;
  std::unordered_map<std::uint16_t, SocketId> listeners_;
  std::unordered_map<core::FourTuple, core::TimeWaitEntry<core::StackParams>, core::FourTupleHash>
      time_wait_;
  std::vector<Conn::Seg> pending_;  // RST replies built outside any connection
  std::vector<std::byte> payload_;
  std::vector<std::byte> packet_;
  StackCounters counters_;
  core::ListenerCounters closed_listeners_;  // of listeners already closed
};

}  // namespace tcpmc::net
