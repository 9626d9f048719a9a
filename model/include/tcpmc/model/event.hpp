// The events of the table, in RFC 9293's three classes (section 3.10): user
// calls, segment arrivals as the classifier names them (classify.hpp), and
// timeouts. Each event carries its documentation as data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpmc::model {

enum class Event : std::uint8_t {
  // User calls (sections 3.10.1 to 3.10.6).
  OpenPassive,
  OpenActive,
  Send,
  Receive,
  Close,
  Abort,
  // Segment arrivals (section 3.10.7), one per distinction the RFCs make.
  Syn,
  SynAck,
  AckUnacceptable,
  AckOfSyn,
  Ack,
  AckOfFin,
  Fin,
  FinAckOfFin,
  RstExact,
  RstInWindow,
  RstOutOfWindow,
  SynInSynchronized,
  SynNewerInTimeWait,
  Unacceptable,
  Stray,
  // Timeouts (section 3.10.8).
  RetransmissionTimeout,
  TimeWaitTimeout,
  UserTimeout,
};

inline constexpr std::size_t kEventCount = 24;

enum class EventClass : std::uint8_t { UserCall, Segment, Timeout };

struct EventDoc {
  std::string_view id;           // identifier-style name
  EventClass cls;
  std::string_view label;        // short form for diagrams, Figure 5 style
  std::string_view description;  // what the classifier or caller means by it
};

inline constexpr std::array<EventDoc, kEventCount> kEventDocs = {{
    {"OpenPassive", EventClass::UserCall, "passive OPEN", "OPEN call without a remote endpoint"},
    {"OpenActive", EventClass::UserCall, "active OPEN", "OPEN call naming the remote endpoint"},
    {"Send", EventClass::UserCall, "SEND", "SEND call: queue data for transmission"},
    {"Receive", EventClass::UserCall, "RECEIVE", "RECEIVE call: take delivered data"},
    {"Close", EventClass::UserCall, "CLOSE",
     "CLOSE call: we have no more to send (a half-close; receiving goes on)"},
    {"Abort", EventClass::UserCall, "ABORT", "ABORT call: drop everything and reset the peer"},

    {"Syn", EventClass::Segment, "rcv SYN",
     "SYN without ACK or RST: a connection request (CLOSED, LISTEN), a simultaneous open "
     "(SYN-SENT), or a repeat of the SYN being answered (SYN-RECEIVED)"},
    {"SynAck", EventClass::Segment, "rcv SYN,ACK",
     "SYN whose ACK acknowledges exactly our SYN (SYN-SENT)"},
    {"AckUnacceptable", EventClass::Segment, "rcv bad ACK",
     "ACK of something we never sent, or (RFC 5961 section 5) older than the send window "
     "allows; with no TCB or in LISTEN, any ACK"},
    {"AckOfSyn", EventClass::Segment, "rcv ACK of SYN",
     "acceptable ACK that acknowledges our SYN (SYN-RECEIVED)"},
    {"Ack", EventClass::Segment, "rcv ACK",
     "acceptable segment with ACK that changes no control state: data, window update, "
     "duplicate ACK"},
    {"AckOfFin", EventClass::Segment, "rcv ACK of FIN",
     "acceptable ACK that acknowledges our FIN"},
    {"Fin", EventClass::Segment, "rcv FIN",
     "FIN at RCV.NXT once its data is in, or an exact repeat of the FIN already received; "
     "in SYN-RECEIVED it also acknowledges our SYN"},
    {"FinAckOfFin", EventClass::Segment, "rcv FIN,ACK of FIN",
     "FIN whose ACK also acknowledges our FIN"},
    {"RstExact", EventClass::Segment, "rcv RST (exact)",
     "RST that may reset: sequence number equal to RCV.NXT (RFC 5961 section 3.2); in "
     "SYN-SENT, an ACK that acknowledges our SYN"},
    {"RstInWindow", EventClass::Segment, "rcv RST (in window)",
     "RST inside the receive window but not at RCV.NXT: maybe blind, so challenged"},
    {"RstOutOfWindow", EventClass::Segment, "rcv RST (outside)",
     "RST that cannot belong to this connection: outside the window, or nothing to reset"},
    {"SynInSynchronized", EventClass::Segment, "rcv SYN (synchronized)",
     "SYN in a synchronized state, whatever its sequence number (RFC 5961 section 4)"},
    {"SynNewerInTimeWait", EventClass::Segment, "rcv newer SYN",
     "SYN in TIME-WAIT with a sequence number after RCV.NXT: a new incarnation "
     "(RFC 1122 section 4.2.2.13, RFC 6191)"},
    {"Unacceptable", EventClass::Segment, "rcv unacceptable",
     "segment that fails the acceptability test of section 3.10.7.4"},
    {"Stray", EventClass::Segment, "rcv stray",
     "segment the state has no use for: no SYN, ACK or RST in CLOSED or LISTEN, no SYN or "
     "RST in SYN-SENT, no ACK in a synchronized state"},

    {"RetransmissionTimeout", EventClass::Timeout, "timeout=RTO",
     "the retransmission timer expired"},
    {"TimeWaitTimeout", EventClass::Timeout, "timeout=2MSL", "the TIME-WAIT timer expired"},
    {"UserTimeout", EventClass::Timeout, "user timeout",
     "data stayed unacknowledged for the user timeout"},
}};

constexpr std::size_t index(Event e) { return static_cast<std::size_t>(e); }
constexpr const EventDoc& doc(Event e) { return kEventDocs[index(e)]; }
constexpr std::string_view name(Event e) { return doc(e).id; }
constexpr EventClass event_class(Event e) { return doc(e).cls; }

inline constexpr auto kAllEvents = [] {
  std::array<Event, kEventCount> all{};
  for (std::size_t i = 0; i < kEventCount; ++i) all[i] = static_cast<Event>(i);
  return all;
}();

}  // namespace tcpmc::model
