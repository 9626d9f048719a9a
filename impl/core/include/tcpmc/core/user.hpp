// What a Connection tells its user: events it raises, and the answers to
// user calls (RFC 9293 section 3.9's error responses as values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpmc::core {

enum class UserEvent : std::uint8_t {
  Connected,     // the handshake completed
  Readable,      // new data can be received
  Writable,      // send-queue space was freed
  PeerFinished,  // the peer sent FIN: it will send nothing more
  Reset,         // the peer reset the connection
  Refused,       // the connection attempt was refused
  TimedOut,      // retransmissions or the user timeout gave up
  Closed,        // the connection ended normally
};

inline constexpr std::size_t kUserEventCount = 8;

constexpr std::string_view name(UserEvent e) {
  constexpr std::string_view names[] = {"Connected", "Readable", "Writable", "PeerFinished",
                                        "Reset",     "Refused",  "TimedOut", "Closed"};
  return names[static_cast<std::size_t>(e)];
}

// Why a connection raised TimedOut, so that the user's error can say so.
enum class TimeoutCause : std::uint8_t {
  None,
  Retransmissions,  // the retry limit ran out (RFC 1122 4.2.3.5, R2)
  UserTimeout,      // data stayed unacknowledged for the user timeout (RFC 9293 3.8.3)
  Keepalive,        // the peer answered no keep-alive probe (RFC 1122 4.2.3.6)
};

constexpr std::string_view name(TimeoutCause c) {
  constexpr std::string_view names[] = {"None", "Retransmissions", "UserTimeout", "Keepalive"};
  return names[static_cast<std::size_t>(c)];
}

enum class CallError : std::uint8_t {
  None,
  ConnectionExists,   // OPEN on a connection that exists
  NoConnection,       // the call needs a connection and there is none
  ConnectionClosing,  // SEND after CLOSE, or a second CLOSE
};

constexpr std::string_view name(CallError e) {
  constexpr std::string_view names[] = {"None", "ConnectionExists", "NoConnection",
                                        "ConnectionClosing"};
  return names[static_cast<std::size_t>(e)];
}

struct SendResult {
  CallError error = CallError::None;
  std::size_t accepted = 0;  // bytes taken into the send queue
};

struct ReceiveResult {
  CallError error = CallError::None;
  std::size_t bytes = 0;       // bytes copied out
  bool end_of_stream = false;  // the peer's FIN has been reached
};

}  // namespace tcpmc::core
