// What a table row does (actions) and when it applies (guards). Both are
// enumerators, not code, so the explorer, the fuzzer and the diagrams walk
// the table with a plain loop; the engine gives each its meaning.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace tcpmc::model {

enum class Act : std::uint8_t {
  NewIncarnation,    // forget the old TCB of this 4-tuple, keep only its numbers
  AcceptSyn,         // take the peer's SYN: IRS = SEG.SEQ, RCV.NXT = IRS + 1, its options
  ProcessSegment,    // run the ACK, URG and text steps (fifth to seventh)
  QueueData,         // SEND: queue the user's data
  Deliver,           // RECEIVE: hand delivered data to the user
  SendSyn,           // choose the ISS, send SYN, arm retransmission
  SendSynAck,        // send SYN,ACK (choosing the ISS if none yet)
  SendAck,           // send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
  SendFin,           // queue our FIN behind any queued data (Spec::fin policy)
  SendRst,           // send a reset formed from the segment or the TCB
  SendChallengeAck,  // RFC 5961 challenge ACK, rate-limited by the engine
  Retransmit,        // resend from the oldest unacknowledged octet, back off
  CancelTimers,      // stop retransmission and user timers
  StartTimeWait,     // start, or restart, the 2 MSL timer
  SignalConnected,   // tell the user: connection established
  SignalPeerFin,     // tell the user: the peer finished sending
  SignalReset,       // tell the user: connection reset
  SignalRefused,     // tell the user: connection refused
  SignalTimedOut,    // tell the user: connection timed out
  SignalClosed,      // tell the user: connection fully closed
  FailExists,        // answer the call: "connection already exists"
  FailNoConnection,  // answer the call: "connection does not exist"
  FailClosing,       // answer the call: "connection closing"
  DeleteTcb,         // the connection ceases to exist
};

inline constexpr std::size_t kActCount = 24;

struct ActDoc {
  std::string_view id;
  std::string_view label;  // short form for diagrams
};

inline constexpr std::array<ActDoc, kActCount> kActDocs = {{
    {"NewIncarnation", "new incarnation"},
    {"AcceptSyn", "accept SYN"},
    {"ProcessSegment", "process"},
    {"QueueData", "queue data"},
    {"Deliver", "deliver"},
    {"SendSyn", "snd SYN"},
    {"SendSynAck", "snd SYN,ACK"},
    {"SendAck", "snd ACK"},
    {"SendFin", "snd FIN"},
    {"SendRst", "snd RST"},
    {"SendChallengeAck", "snd challenge ACK"},
    {"Retransmit", "retransmit"},
    {"CancelTimers", "cancel timers"},
    {"StartTimeWait", "start 2MSL"},
    {"SignalConnected", "signal connected"},
    {"SignalPeerFin", "signal peer FIN"},
    {"SignalReset", "signal reset"},
    {"SignalRefused", "signal refused"},
    {"SignalTimedOut", "signal timed out"},
    {"SignalClosed", "signal closed"},
    {"FailExists", "error: exists"},
    {"FailNoConnection", "error: no connection"},
    {"FailClosing", "error: closing"},
    {"DeleteTcb", "delete TCB"},
}};

constexpr std::size_t index(Act a) { return static_cast<std::size_t>(a); }
constexpr std::string_view name(Act a) { return kActDocs[index(a)].id; }
constexpr std::string_view label(Act a) { return kActDocs[index(a)].label; }

// The actions of one row, as a set. The engine performs them in the order
// of the enumeration above: forget, take in, then answer, then tell.
class Acts {
 public:
  constexpr Acts() = default;
  constexpr Acts(std::initializer_list<Act> acts) {
    for (Act a : acts) bits_ |= bit(a);
  }
  constexpr bool contains(Act a) const { return (bits_ & bit(a)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr Acts with(Act a) const { return from_bits(bits_ | bit(a)); }
  constexpr Acts without(Act a) const { return from_bits(bits_ & ~bit(a)); }
  constexpr bool operator==(const Acts&) const = default;

 private:
  static constexpr std::uint32_t bit(Act a) { return std::uint32_t{1} << index(a); }
  static constexpr Acts from_bits(std::uint32_t b) {
    Acts r;
    r.bits_ = b;
    return r;
  }
  std::uint32_t bits_ = 0;
};

inline constexpr auto kAllActs = [] {
  std::array<Act, kActCount> all{};
  for (std::size_t i = 0; i < kActCount; ++i) all[i] = static_cast<Act>(i);
  return all;
}();

// A guard splits one (state, event) cell by a fact of the TCB that the
// classifier does not see. Guards come in families whose members exclude
// each other and together cover every case; determinism and completeness
// are checked per family (check.hpp).
enum class Guard : std::uint8_t {
  Always,
  OpenedPassively,   // this TCB came from LISTEN
  OpenedActively,    // this TCB was opened with an active OPEN
  RetriesLeft,       // the retransmission limit is not reached
  RetriesExhausted,  // it is: give up
  RemoteSpecified,   // the OPEN named the remote endpoint
  RemoteUnspecified, // a listening TCB that accepts any remote endpoint
};

inline constexpr std::size_t kGuardCount = 7;

enum class GuardFamily : std::uint8_t { Always, Opening, Retries, Remote };

struct GuardDoc {
  std::string_view id;
  std::string_view label;
  GuardFamily family;
};

inline constexpr std::array<GuardDoc, kGuardCount> kGuardDocs = {{
    {"Always", "", GuardFamily::Always},
    {"OpenedPassively", "passive", GuardFamily::Opening},
    {"OpenedActively", "active", GuardFamily::Opening},
    {"RetriesLeft", "retries left", GuardFamily::Retries},
    {"RetriesExhausted", "retries exhausted", GuardFamily::Retries},
    {"RemoteSpecified", "remote known", GuardFamily::Remote},
    {"RemoteUnspecified", "remote unknown", GuardFamily::Remote},
}};

constexpr std::size_t index(Guard g) { return static_cast<std::size_t>(g); }
constexpr std::string_view name(Guard g) { return kGuardDocs[index(g)].id; }
constexpr std::string_view label(Guard g) { return kGuardDocs[index(g)].label; }
constexpr GuardFamily family(Guard g) { return kGuardDocs[index(g)].family; }

inline constexpr auto kAllGuards = [] {
  std::array<Guard, kGuardCount> all{};
  for (std::size_t i = 0; i < kGuardCount; ++i) all[i] = static_cast<Guard>(i);
  return all;
}();

}  // namespace tcpmc::model
