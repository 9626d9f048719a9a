// The transition table of RFC 9293, one row per arrow, in the order of the
// RFC's event processing (section 3.10): user calls, then SEGMENT ARRIVES
// state by state, then timeouts. Rows whose `from` is a set read like the
// RFC's own grouped paragraphs ("ESTABLISHED, FIN-WAIT-1, ... STATES").
//
// The table decides control: which state comes next and which control
// segments, timers and user signals follow. What a segment does to the send
// and receive sequence variables and to the data is the engine's work
// (Act::ProcessSegment), as RFC 9293's fifth to seventh steps describe.
#pragma once

#include <string_view>

#include <tcpmc/model/check.hpp>
#include <tcpmc/model/spec.hpp>

namespace tcpmc::model {

constexpr Spec rfc9293() {
  using enum State;
  using enum Event;
  using enum Act;
  using enum Guard;
  using states::kSynchronized;

  constexpr StateSet kUnsynchronized = Closed | Listen | SynSent;
  constexpr StateSet kHasTcb = states::kAll - StateSet(Closed);
  constexpr StateSet kAfterHandshake = states::kEstablishedOrLater;
  // Where a retransmission timer can run: something of ours is unacknowledged.
  constexpr StateSet kRetransmitting = SynSent | SynReceived | Established | FinWait1 |
                                       CloseWait | Closing | LastAck;

  Spec s("RFC 9293");

  // --- OPEN (3.10.1) -------------------------------------------------------
  s.add({Closed,              OpenPassive, Always, Listen,  {},                 "3.10.1"});
  s.add({Closed,              OpenActive,  Always, SynSent, {SendSyn},          "3.10.1"});
  s.add({Listen,              OpenActive,  Always, SynSent, {SendSyn},          "3.10.1"});
  s.add({Listen,              OpenPassive, Always, Stay,    {FailExists},       "3.10.1"});
  s.add({kHasTcb - Listen,    OpenPassive, Always, Stay,    {FailExists},       "3.10.1"});
  s.add({kHasTcb - Listen,    OpenActive,  Always, Stay,    {FailExists},       "3.10.1"});

  // --- SEND (3.10.2) -------------------------------------------------------
  s.add({Closed,              Send, Always, Stay, {FailNoConnection},            "3.10.2"});
  s.add({Listen,              Send, RemoteSpecified, SynSent, {SendSyn, QueueData}, "3.10.2"});
  s.add({Listen,              Send, RemoteUnspecified, Stay, {FailNoConnection},  "3.10.2"});
  s.add({SynSent | SynReceived, Send, Always, Stay, {QueueData},                 "3.10.2"});
  s.add({states::kMaySend,    Send, Always, Stay, {QueueData},                   "3.10.2"});
  s.add({states::kOurFinSent, Send, Always, Stay, {FailClosing},                 "3.10.2"});

  // --- RECEIVE (3.10.3) ----------------------------------------------------
  s.add({Closed,              Receive, Always, Stay, {FailNoConnection},         "3.10.3"});
  s.add({Listen | SynSent | SynReceived, Receive, Always, Stay, {},              "3.10.3"});
  s.add({states::kMayReceive, Receive, Always, Stay, {Deliver},                  "3.10.3"});
  s.add({states::kPeerFinReceived, Receive, Always, Stay, {Deliver},             "3.10.3",
         ambiguity("the RFC answers 'connection closing' in CLOSING, LAST-ACK and "
                   "TIME-WAIT; since CLOSE only ends our sending side, data that "
                   "arrived before the peer's FIN is still delivered first")});

  // --- CLOSE (3.10.4) ------------------------------------------------------
  s.add({Closed,              Close, Always, Stay,      {FailNoConnection},      "3.10.4"});
  s.add({Listen,              Close, Always, Closed,    {DeleteTcb},             "3.10.4"});
  s.add({SynSent,             Close, Always, Closed,    {DeleteTcb},             "3.10.4"});
  s.add({SynReceived,         Close, Always, FinWait1,  {SendFin},               "3.10.4"});
  s.add({Established,         Close, Always, FinWait1,  {SendFin},               "3.10.4"});
  s.add({CloseWait,           Close, Always, LastAck,   {SendFin},               "3.10.4"});
  s.add({FinWait1 | FinWait2, Close, Always, Stay,      {FailClosing},           "3.10.4",
         ambiguity("a second CLOSE may be answered 'ok' or 'connection closing'; we "
                   "say closing, and no second FIN is ever sent")});
  s.add({Closing | LastAck | TimeWait, Close, Always, Stay, {FailClosing},      "3.10.4"});

  // --- ABORT (3.10.5) ------------------------------------------------------
  s.add({Closed,              Abort, Always, Stay,   {FailNoConnection},         "3.10.5"});
  s.add({Listen | SynSent,    Abort, Always, Closed, {DeleteTcb},                "3.10.5"});
  s.add({SynReceived | Established | FinWait1 | FinWait2 | CloseWait,
                              Abort, Always, Closed, {SendRst, SignalReset, DeleteTcb},
                                                                                 "3.10.5"});
  s.add({Closing | LastAck | TimeWait, Abort, Always, Closed, {DeleteTcb},       "3.10.5"});

  // --- SEGMENT ARRIVES, CLOSED (3.10.7.1): no TCB, answer all but RST ------
  s.add({Closed, RstOutOfWindow,  Always, Stay, {},                              "3.10.7.1"});
  s.add({Closed, Syn,             Always, Stay, {SendRst},                       "3.10.7.1"});
  s.add({Closed, AckUnacceptable, Always, Stay, {SendRst},                       "3.10.7.1"});
  s.add({Closed, Stray,           Always, Stay, {SendRst},                       "3.10.7.1"});

  // --- SEGMENT ARRIVES, LISTEN (3.10.7.2) ----------------------------------
  s.add({Listen, RstOutOfWindow,  Always, Stay,        {},                       "3.10.7.2"});
  s.add({Listen, AckUnacceptable, Always, Stay,        {SendRst},                "3.10.7.2"});
  s.add({Listen, Syn,             Always, SynReceived, {AcceptSyn, SendSynAck},  "3.10.7.2"});
  s.add({Listen, Stray,           Always, Stay,        {},                       "3.10.7.2"});

  // --- SEGMENT ARRIVES, SYN-SENT (3.10.7.3) --------------------------------
  // A SYN-ACK for something we never sent (an old duplicate) is reset and
  // the connection waits on: this is what makes three segments enough.
  s.add({SynSent, AckUnacceptable, Always, Stay,        {SendRst},               "3.10.7.3"});
  s.add({SynSent, RstExact,        Always, Closed,      {SignalRefused, DeleteTcb},
                                                                                 "3.10.7.3"});
  s.add({SynSent, RstOutOfWindow,  Always, Stay,        {},                      "3.10.7.3"});
  s.add({SynSent, SynAck,          Always, Established,
         {AcceptSyn, ProcessSegment, SendAck, SignalConnected},
                                                                                 "3.10.7.3",
         ambiguity("the RFC queues data and controls that ride on a SYN-ACK; like data "
                   "on any SYN (Spec::syn_payload), we acknowledge only the SYN and "
                   "the peer sends the rest again")});
  s.add({SynSent, Syn,             Always, SynReceived, {AcceptSyn, SendSynAck}, "3.10.7.3"});
  s.add({SynSent, Stray,           Always, Stay,        {},                      "3.10.7.3"});

  // --- SEGMENT ARRIVES, synchronized states (3.10.7.4), in step order ------
  // First: sequence number. Unacceptable segments are answered with an ACK.
  s.add({kSynchronized, Unacceptable, Always, Stay, {SendAck},                   "3.10.7.4"});

  // Second: RST, validated as RFC 5961 section 3.2 says.
  s.add({SynReceived, RstExact, OpenedPassively, Listen, {DeleteTcb},           "3.10.7.4"});
  s.add({SynReceived, RstExact, OpenedActively,  Closed, {SignalRefused, DeleteTcb},
                                                                                 "3.10.7.4"});
  s.add({Established | FinWait1 | FinWait2 | CloseWait,
                      RstExact, Always, Closed, {SignalReset, DeleteTcb},        "3.10.7.4"});
  s.add({Closing | LastAck, RstExact, Always, Closed, {SignalClosed, DeleteTcb}, "3.10.7.4"});
  s.add({TimeWait,    RstExact, Always, Stay, {},                                "RFC 1337",
         ambiguity("RFC 9293 closes TIME-WAIT on a RST; RFC 1337 shows that this "
                   "lets an old RST shorten TIME-WAIT, so RSTs are ignored here")});
  s.add({kSynchronized - TimeWait, RstInWindow, Always, Stay, {SendChallengeAck}, "RFC 5961 3.2"});
  s.add({TimeWait,    RstInWindow, Always, Stay, {},                             "RFC 1337"});
  s.add({kSynchronized, RstOutOfWindow, Always, Stay, {},                        "RFC 5961 3.2"});

  // Fourth: SYN. A repeat of the SYN being answered gets the SYN-ACK again.
  s.add({SynReceived, Syn, Always, Stay, {SendSynAck},                           "3.10.7.4",
         ambiguity("a retransmitted SYN fails the sequence test, and the RFC would "
                   "answer with a bare ACK; like Linux and BSD we repeat the SYN-ACK, "
                   "the only answer the peer in SYN-SENT can use")});
  s.add({SynReceived, SynInSynchronized, OpenedPassively, Listen, {DeleteTcb},  "3.10.7.4"});
  s.add({SynReceived, SynInSynchronized, OpenedActively, Stay, {SendChallengeAck},
                                                                                 "RFC 5961 4.2"});
  s.add({kAfterHandshake, SynInSynchronized, Always, Stay, {SendChallengeAck},   "RFC 5961 4.2"});
  s.add({TimeWait, SynNewerInTimeWait, Always, SynReceived, {NewIncarnation, AcceptSyn, SendSynAck},
                                                                                 "RFC 1122 4.2.2.13",
         ambiguity("RFC 9293 has no arrow out of TIME-WAIT on a SYN; RFC 1122 allows a "
                   "new incarnation when the SYN is newer, as Linux and BSD do")});

  // Fifth: ACK. Without it the segment is dropped.
  s.add({kSynchronized, Stray, Always, Stay, {},                                 "3.10.7.4"});
  s.add({SynReceived, AckUnacceptable, Always, Stay, {SendRst},                  "3.10.7.4"});
  s.add({kAfterHandshake, AckUnacceptable, Always, Stay, {SendAck},              "RFC 5961 5.2"});
  s.add({SynReceived, AckOfSyn, Always, Established, {ProcessSegment, SignalConnected},
                                                                                 "3.10.7.4"});
  s.add({Established | FinWait1 | FinWait2 | CloseWait | Closing | LastAck,
                      Ack, Always, Stay, {ProcessSegment},                       "3.10.7.4"});
  s.add({TimeWait,    Ack, Always, Stay, {},                                     "3.10.7.4"});
  s.add({FinWait1,    AckOfFin, Always, FinWait2, {ProcessSegment},              "3.10.7.4"});
  s.add({Closing,     AckOfFin, Always, TimeWait, {ProcessSegment, CancelTimers, StartTimeWait},
                                                                                 "3.10.7.4"});
  s.add({LastAck,     AckOfFin, Always, Closed, {SignalClosed, DeleteTcb},       "3.10.7.4"});

  // Eighth: FIN (the sixth and seventh steps, URG and text, change no state).
  s.add({SynReceived, Fin, Always, CloseWait,
         {ProcessSegment, SendAck, SignalConnected, SignalPeerFin},              "3.10.7.4"});
  s.add({Established, Fin, Always, CloseWait, {ProcessSegment, SendAck, SignalPeerFin},
                                                                                 "3.10.7.4"});
  s.add({FinWait1,    Fin, Always, Closing, {ProcessSegment, SendAck, SignalPeerFin},
                                                                                 "3.10.7.4"});
  s.add({FinWait1,    FinAckOfFin, Always, TimeWait,
         {ProcessSegment, SendAck, SignalPeerFin, CancelTimers, StartTimeWait},  "3.10.7.4",
         ambiguity("the fifth step would pass through FIN-WAIT-2 on the ACK; the eighth "
                   "step's 'if our FIN has been ACKed (perhaps in this segment)' is "
                   "this one arrow")});
  s.add({FinWait2,    Fin, Always, TimeWait,
         {ProcessSegment, SendAck, SignalPeerFin, CancelTimers, StartTimeWait},  "3.10.7.4"});
  s.add({CloseWait | Closing | LastAck, Fin, Always, Stay, {SendAck},            "3.10.7.4",
         ambiguity("a FIN in these states repeats one already received and fails the "
                   "sequence test; the classifier names it Fin so that it is "
                   "acknowledged as the eighth step says")});
  s.add({Closing,     FinAckOfFin, Always, TimeWait,
         {ProcessSegment, SendAck, CancelTimers, StartTimeWait},
                                                                                 "3.10.7.4"});
  s.add({LastAck,     FinAckOfFin, Always, Closed, {SignalClosed, DeleteTcb},    "3.10.7.4"});
  s.add({TimeWait,    Fin, Always, Stay, {SendAck, StartTimeWait},               "3.10.7.4"});

  // --- Timeouts (3.10.8) ---------------------------------------------------
  s.add({kRetransmitting, RetransmissionTimeout, RetriesLeft, Stay, {Retransmit}, "3.10.8"});
  s.add({kRetransmitting, RetransmissionTimeout, RetriesExhausted, Closed,
         {SignalTimedOut, DeleteTcb},                                            "3.10.8",
         ambiguity("the RFC gives up through the user timeout; a retry limit (RFC 1122 "
                   "4.2.3.5's R2) is the same decision taken by count")});
  s.add({states::kAll - kRetransmitting, RetransmissionTimeout, Always, Stay, {}, "3.10.8",
         unreachable("no retransmission timer runs here: the engine clears it on every "
                     "way into these states, so its expiry is never raised")});
  s.add({TimeWait, TimeWaitTimeout, Always, Closed, {SignalClosed, DeleteTcb},   "3.10.8"});
  s.add({states::kAll - TimeWait, TimeWaitTimeout, Always, Stay, {},             "3.10.8",
         unreachable("the 2MSL timer runs only in TIME-WAIT and is cleared on every way "
                     "out of it")});
  s.add({kHasTcb - Listen - TimeWait, UserTimeout, Always, Closed,
         {SignalTimedOut, DeleteTcb},                                            "3.10.8"});
  s.add({Closed | Listen | TimeWait, UserTimeout, Always, Stay, {},              "3.10.8",
         unreachable("RFC-AMBIGUITY decided here: 'for any state' would let the user "
                     "timeout end TIME-WAIT early; nothing of ours is outstanding in these "
                     "states, and the engine clears the user timer on the way in")});

  // --- Cells the classifier never produces (classify.hpp) ------------------
  // Listed so that every state x event has a row; none of them can fire,
  // and a test feeds the classifier every segment at a small width to
  // confirm it.
  const auto never = [&s](StateSet where, Event e, std::string_view why) {
    s.add({where, e, Always, Stay, {}, "3.10.7", unreachable(why)});
  };
  never(kSynchronized - SynReceived, Syn,
        "a SYN in a synchronized state is SynInSynchronized or SynNewerInTimeWait");
  never(states::kAll - SynSent, SynAck, "only SYN-SENT waits for a SYN-ACK");
  never(states::kAll - SynReceived, AckOfSyn, "only SYN-RECEIVED waits for the ACK of our SYN");
  never(kUnsynchronized | SynReceived, Ack,
        "before the handshake an ACK is unacceptable or, in SYN-RECEIVED, AckOfSyn");
  never(states::kAll - (FinWait1 | Closing | LastAck), AckOfFin,
        "only FIN-WAIT-1, CLOSING and LAST-ACK have a FIN of ours outstanding");
  never(states::kAll - (FinWait1 | Closing | LastAck), FinAckOfFin,
        "only FIN-WAIT-1, CLOSING and LAST-ACK have a FIN of ours outstanding");
  never(kUnsynchronized, Fin, "a FIN is processed only once the sequence number is known");
  never(Closed | Listen, RstExact, "without a TCB there is nothing a RST could reset");
  never(kUnsynchronized, RstInWindow, "there is no receive window before synchronization");
  never(kUnsynchronized, SynInSynchronized, "these states are not synchronized");
  never(states::kAll - TimeWait, SynNewerInTimeWait, "only TIME-WAIT can be replaced by a SYN");
  never(kUnsynchronized, Unacceptable, "the sequence test needs a receive window");
  return s;
}

inline constexpr Spec kRfc9293 = rfc9293();

// The table is proved at compile time; model/test repeats each check as a
// GoogleTest so that a failure names the offending cell.
static_assert(check_deterministic(kRfc9293).ok, "table: two rows fire for one cell");
static_assert(check_complete(kRfc9293).ok, "table: a state x event cell has no row");
static_assert(check_reachable_from_closed(kRfc9293).ok, "table: a state is unreachable");
static_assert(check_reaches_closed(kRfc9293).ok, "table: a state cannot reach CLOSED");
static_assert(check_rows_cite_source(kRfc9293).ok, "table: a row cites no section");

}  // namespace tcpmc::model
