// The eleven connection states of RFC 9293 (section 3.3.2), sets of them,
// and their documentation as data (names, meaning, allowed user calls), so
// that the diagrams and the CLI read the same text the code is checked by.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpmc::model {

enum class State : std::uint8_t {
  Closed,
  Listen,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};

inline constexpr std::size_t kStateCount = 11;

inline constexpr std::array<State, kStateCount> kAllStates = {
    State::Closed,    State::Listen,   State::SynSent,   State::SynReceived,
    State::Established, State::FinWait1, State::FinWait2, State::CloseWait,
    State::Closing,   State::LastAck,  State::TimeWait,
};

constexpr std::size_t index(State s) { return static_cast<std::size_t>(s); }

// A set of states as a bit mask, so that predicates such as "synchronized"
// are named sets rather than comparisons that depend on enumerator order.
class StateSet {
 public:
  constexpr StateSet() = default;
  constexpr StateSet(State s) : bits_(bit(s)) {}  // NOLINT: a state is a one-element set

  constexpr bool contains(State s) const { return (bits_ & bit(s)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr StateSet operator|(StateSet o) const { return from_bits(bits_ | o.bits_); }
  constexpr StateSet operator&(StateSet o) const { return from_bits(bits_ & o.bits_); }
  constexpr StateSet operator-(StateSet o) const {
    return from_bits(static_cast<std::uint16_t>(bits_ & ~o.bits_));
  }
  constexpr bool operator==(const StateSet&) const = default;

  constexpr std::size_t size() const {
    std::size_t n = 0;
    for (State s : kAllStates) n += contains(s) ? 1U : 0U;
    return n;
  }

 private:
  static constexpr std::uint16_t bit(State s) {
    return static_cast<std::uint16_t>(1U << index(s));
  }
  static constexpr StateSet from_bits(unsigned b) {
    StateSet r;
    r.bits_ = static_cast<std::uint16_t>(b);
    return r;
  }
  std::uint16_t bits_ = 0;
};

constexpr StateSet operator|(State a, State b) { return StateSet(a) | StateSet(b); }

namespace states {
inline constexpr StateSet kAll = State::Closed | State::Listen | State::SynSent |
                                 State::SynReceived | State::Established |
                                 State::FinWait1 | State::FinWait2 | State::CloseWait |
                                 State::Closing | State::LastAck | State::TimeWait;
// RFC 9293 section 3.10.7.4: the states in which both sequence spaces are
// known, and in which a segment is checked against the receive window.
inline constexpr StateSet kSynchronized =
    State::SynReceived | State::Established | State::FinWait1 | State::FinWait2 |
    State::CloseWait | State::Closing | State::LastAck | State::TimeWait;
// Both sides synchronized and the handshake completed (ACK of our SYN seen).
inline constexpr StateSet kEstablishedOrLater = kSynchronized - State::SynReceived;
// We have sent our FIN: no more SEND calls are accepted.
inline constexpr StateSet kOurFinSent =
    State::FinWait1 | State::FinWait2 | State::Closing | State::LastAck | State::TimeWait;
// The peer's FIN has been received: nothing more will arrive to RECEIVE.
inline constexpr StateSet kPeerFinReceived =
    State::CloseWait | State::Closing | State::LastAck | State::TimeWait;
// We may still send data (our FIN not yet queued).
inline constexpr StateSet kMaySend = State::Established | State::CloseWait;
// The peer may still send data.
inline constexpr StateSet kMayReceive = State::Established | State::FinWait1 | State::FinWait2;
}  // namespace states

// Documentation of a state: written for this project from RFC 9293 section
// 3.3.2 (meaning) and sections 3.10.1 to 3.10.6 (which user calls succeed).
struct StateDoc {
  std::string_view id;          // identifier-style name, e.g. "SynReceived"
  std::string_view rfc_name;    // as the RFC writes it, e.g. "SYN-RECEIVED"
  std::string_view meaning;     // what the connection is waiting for
  std::string_view user_calls;  // calls that do something useful here
};

inline constexpr std::array<StateDoc, kStateCount> kStateDocs = {{
    {"Closed", "CLOSED",
     "No connection exists: there is no TCB. Segments other than RST are answered with RST.",
     "OPEN (passive or active)"},
    {"Listen", "LISTEN",
     "Waiting for a SYN from any remote endpoint; no sequence numbers are chosen yet.",
     "SEND (turns active), CLOSE, ABORT"},
    {"SynSent", "SYN-SENT",
     "Our SYN is out; waiting for the peer's SYN and its acknowledgment of ours.",
     "SEND and RECEIVE (queued), CLOSE, ABORT"},
    {"SynReceived", "SYN-RECEIVED",
     "SYN received and SYN-ACK sent; waiting for the acknowledgment of our SYN.",
     "SEND and RECEIVE (queued), CLOSE, ABORT"},
    {"Established", "ESTABLISHED",
     "The connection is open: data flows both ways, the normal state of a transfer.",
     "SEND, RECEIVE, CLOSE, ABORT"},
    {"FinWait1", "FIN-WAIT-1",
     "We have closed our sending side and our FIN is not yet acknowledged; the peer may send.",
     "RECEIVE, ABORT"},
    {"FinWait2", "FIN-WAIT-2",
     "Our FIN is acknowledged; waiting for the peer to finish sending and send its FIN.",
     "RECEIVE, ABORT"},
    {"CloseWait", "CLOSE-WAIT",
     "The peer has finished sending; waiting for our user to close, and we may still send.",
     "SEND, RECEIVE (buffered data only), CLOSE, ABORT"},
    {"Closing", "CLOSING",
     "Both sides sent FIN at the same time; waiting for the acknowledgment of ours.",
     "ABORT"},
    {"LastAck", "LAST-ACK",
     "The peer closed first and we have sent our FIN; waiting for its acknowledgment.",
     "ABORT"},
    {"TimeWait", "TIME-WAIT",
     "Both FINs are acknowledged; lingering for 2 MSL so that a lost last ACK can be "
     "repeated and old duplicates of this connection die out.",
     "ABORT"},
}};

constexpr const StateDoc& doc(State s) { return kStateDocs[index(s)]; }
constexpr std::string_view name(State s) { return doc(s).id; }
constexpr std::string_view rfc_name(State s) { return doc(s).rfc_name; }

}  // namespace tcpmc::model
