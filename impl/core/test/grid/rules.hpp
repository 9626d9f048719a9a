// The grid's hand-written fixture: what RFC 9293 (with RFC 5961, RFC 1337
// and RFC 1122 where the table follows them) says a connection does with
// one arriving segment. Rules are grouped the way the RFC groups them
// (3.10.7.1 CLOSED, 3.10.7.2 LISTEN, 3.10.7.3 SYN-SENT, 3.10.7.4 the rest
// in step order); each Expect names the clause it comes from. Nothing here
// reads the table, the classifier, model/rules.hpp or the engine: window
// tests are done on plain offsets from RCV.NXT, as RFC 9293 Table 6 reads.
//
// Where the RFCs leave a point open and the table decides it in a
// documented way (an ambiguity(...) note on a row, or the RFC-AMBIGUITY
// comment in model/classify.hpp), the rule follows that decision and says
// so in its clause.
#pragma once

#include <cstdint>

#include "grid.hpp"

namespace tcpmc::core::test::grid {

template <class Seq>
Expect<Seq> in_closed(const Cell<Seq>& c) {
  if (has_rst(c.kind))
    return {Reply::Nothing, State::Closed, {}, {}, {}, "9293 3.10.7.1: RST to no TCB is discarded"};
  if (has_ack(c.kind)) {
    return {
        Reply::Rst, State::Closed, c.ack, {}, {}, "9293 3.10.7.1: ACK on: <SEQ=SEG.ACK><CTL=RST>"};
  }
  return {Reply::RstAck,
          State::Closed,
          Seq(0),
          c.seq + length(c.kind),
          {},
          "9293 3.10.7.1: ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"};
}

template <class Seq>
Expect<Seq> in_listen(const Cell<Seq>& c) {
  if (has_rst(c.kind))
    return {Reply::Nothing, State::Listen, {}, {}, {}, "9293 3.10.7.2 first: RST ignored"};
  if (has_ack(c.kind)) {
    return {Reply::Rst, State::Listen,
            c.ack,      {},
            {},         "9293 3.10.7.2 second: any ACK is bad in LISTEN: <SEQ=SEG.ACK><CTL=RST>"};
  }
  if (has_syn(c.kind)) {
    // Any FIN riding on the SYN waits for SYN-RECEIVED; the SYN-ACK
    // acknowledges the SYN alone.
    return {Reply::SynAck,
            State::SynReceived,
            {},
            c.seq + 1U,
            {},
            "9293 3.10.7.2 third: <SEQ=ISS><ACK=SEG.SEQ+1><CTL=SYN,ACK>, SYN-RECEIVED"};
  }
  return {
      Reply::Nothing, State::Listen, {}, {}, {}, "9293 3.10.7.2 fourth: anything else is dropped"};
}

template <class Seq>
Expect<Seq> in_syn_sent(const Cell<Seq>& c) {
  const bool acceptable_ack = c.position == Position::AckAcceptable;  // ISS < SEG.ACK =< SND.NXT
  if (has_ack(c.kind) && !acceptable_ack) {
    if (has_rst(c.kind)) {
      return {Reply::Nothing,
              State::SynSent,
              {},
              {},
              {},
              "9293 3.10.7.3 first: bad ACK on a RST: drop"};
    }
    return {Reply::Rst, State::SynSent,
            c.ack,      {},
            {},         "9293 3.10.7.3 first: SEG.ACK =< ISS or > SND.NXT: <SEQ=SEG.ACK><CTL=RST>"};
  }
  if (has_rst(c.kind)) {
    if (has_ack(c.kind)) {
      return {Reply::Nothing,
              State::Closed,
              {},
              {},
              {},
              "9293 3.10.7.3 second: RST with acceptable ACK: reset, CLOSED"};
    }
    return {
        Reply::Nothing, State::SynSent, {}, {}, {}, "9293 3.10.7.3 second: RST without ACK: drop"};
  }
  if (has_syn(c.kind)) {
    if (has_ack(c.kind)) {
      return {
          Reply::Ack,
          State::Established,
          c.iss + 1U,
          c.seq + 1U,
          {},
          "9293 3.10.7.3 fourth: our SYN ACKed: ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"};
    }
    return {Reply::SynAck,
            State::SynReceived,
            c.iss,
            c.seq + 1U,
            {},
            "9293 3.10.7.3 fourth: simultaneous open: SYN-RECEIVED, "
            "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"};
  }
  return {
      Reply::Nothing, State::SynSent, {}, {}, {}, "9293 3.10.7.3 fifth: neither SYN nor RST: drop"};
}

// --- Synchronized states (9293 3.10.7.4) -------------------------------------

// An octet at this offset from RCV.NXT lies inside RCV.NXT .. RCV.NXT+RCV.WND-1.
inline bool inside(std::int64_t offset, std::uint32_t wnd) {
  return offset >= 0 && offset < static_cast<std::int64_t>(wnd);
}

// 9293 3.10.7.4 first step, Table 6.
template <class Seq>
bool acceptable(const Cell<Seq>& c) {
  const std::uint32_t len = length(c.kind);
  if (len == 0) return c.rcv_wnd == 0 ? c.offset == 0 : inside(c.offset, c.rcv_wnd);
  if (c.rcv_wnd == 0) return false;
  return inside(c.offset, c.rcv_wnd) || inside(c.offset + len - 1, c.rcv_wnd);
}

constexpr bool peer_fin_received(State s) {
  return s == State::CloseWait || s == State::Closing || s == State::LastAck ||
         s == State::TimeWait;
}

// The fifth step with SEG.ACK = SND.NXT, an acceptable ACK of everything
// we sent: where it leads.
constexpr State after_ack(State s) {
  switch (s) {
    case State::SynReceived: return State::Established;  // our SYN ACKed
    case State::FinWait1: return State::FinWait2;        // our FIN ACKed
    case State::Closing: return State::TimeWait;         // our FIN ACKed
    case State::LastAck: return State::Closed;           // our FIN ACKed: delete the TCB
    default: return s;
  }
}

template <class Seq>
Expect<Seq> ack_reply(const Cell<Seq>& c, State next, std::string_view clause,
                      std::uint32_t advance = 0) {
  return {Reply::Ack, next, c.snd_nxt, c.rcv_nxt + advance, {}, clause};
}

// Second step: RST, judged as RFC 5961 3.2 says.
template <class Seq>
Expect<Seq> rst_arrives(const Cell<Seq>& c) {
  const State s = c.state;
  if (s == State::TimeWait) {
    return {Reply::Nothing,
            s,
            {},
            {},
            {},
            "RFC 1337 3 (F1), table note on TIME-WAIT RstExact: RSTs are ignored in TIME-WAIT"};
  }
  if (c.offset == 0) {
    if (s == State::SynReceived && c.passive) {
      return {Reply::Nothing,
              State::Listen,
              {},
              {},
              {},
              "9293 3.10.7.4 second, SYN-RECEIVED: passive: back to LISTEN"};
    }
    if (s == State::SynReceived) {
      return {Reply::Nothing,
              State::Closed,
              {},
              {},
              {},
              "9293 3.10.7.4 second, SYN-RECEIVED: active: refused, CLOSED"};
    }
    return {Reply::Nothing,
            State::Closed,
            {},
            {},
            {},
            "RFC 5961 3.2 (2), 9293 3.10.7.4 second: RST at RCV.NXT resets: CLOSED"};
  }
  if (inside(c.offset, c.rcv_wnd)) {
    return {Reply::ChallengeAck, s,  c.snd_nxt,
            c.rcv_nxt,           {}, "RFC 5961 3.2 (3): in window but not RCV.NXT: challenge ACK"};
  }
  return {Reply::Nothing, s, {}, {}, {}, "RFC 5961 3.2 (1): outside the window: dropped silently"};
}

// Fourth step: SYN (a newer SYN in TIME-WAIT is handled before this).
template <class Seq>
Expect<Seq> syn_arrives(const Cell<Seq>& c) {
  const State s = c.state;
  if (s == State::SynReceived && !has_ack(c.kind) && c.seq == c.irs) {
    return {Reply::SynAck,
            s,
            c.iss,
            c.rcv_nxt,
            {},
            "table note on SYN-RECEIVED Syn (RFC-AMBIGUITY): the peer's SYN again: SYN-ACK again"};
  }
  if (s == State::SynReceived && c.passive) {
    if (acceptable(c)) {
      return {Reply::Nothing,
              State::Listen,
              {},
              {},
              {},
              "9293 3.10.7.4 fourth, SYN-RECEIVED: passive: back to LISTEN"};
    }
    // RFC 9293 applies RFC 5961's challenge to the synchronized states
    // after this paragraph; a passive SYN-RECEIVED has only the LISTEN
    // rule, which the first step keeps out-of-window SYNs from reaching.
    return ack_reply(c, s,
                     "9293 3.10.7.4 first: not acceptable, so the fourth step is not reached: ACK");
  }
  if (s == State::SynReceived && !acceptable(c)) {
    // Active SYN-RECEIVED: the RFC sends it to the synchronized states'
    // challenge ACK "whatever its SEQ", yet its first step answers an
    // out-of-window segment first; both replies are an ACK. The table
    // takes the first step's (classify.hpp, RFC-AMBIGUITY).
    return ack_reply(c, s, "classify.hpp RFC-AMBIGUITY, SYN-RECEIVED: first step first: ACK");
  }
  return {Reply::ChallengeAck,
          s,
          c.snd_nxt,
          c.rcv_nxt,
          {},
          "RFC 5961 4.2, 9293 3.10.7.4 fourth: SYN whatever its SEQ: challenge ACK"};
}

// Fifth to eighth steps for an acceptable segment that has the ACK bit.
template <class Seq>
Expect<Seq> accepted(const Cell<Seq>& c, bool repeated_fin) {
  const State next = after_ack(c.state);
  if (next == State::Closed) {
    return {Reply::Nothing,
            next,
            {},
            {},
            {},
            "9293 3.10.7.4 fifth, LAST-ACK: our FIN ACKed: delete TCB, CLOSED"};
  }
  const bool at_edge = c.offset == 0;
  switch (c.kind) {
    case Kind::Ack:
      if (at_edge)
        return {
            Reply::Nothing, next, {}, {}, {}, "9293 3.10.7.4 fifth: acceptable ACK, nothing owed"};
      return {Reply::AckOrNothing,
              next,
              c.snd_nxt,
              c.rcv_nxt,
              {},
              "9293 3.10.7.4 fifth; seventh MAY-13: in window, not at the left edge"};
    case Kind::Data:
      if (peer_fin_received(c.state)) {
        if (at_edge)
          return {Reply::Nothing,
                  next,
                  {},
                  {},
                  {},
                  "9293 3.10.7.4 seventh: text after the peer's FIN is ignored"};
        return {Reply::AckOrNothing,
                next,
                c.snd_nxt,
                c.rcv_nxt,
                {},
                "9293 3.10.7.4 seventh: ignored; MAY-13: not at the left edge"};
      }
      if (at_edge)
        return ack_reply(c, next, "9293 3.10.7.4 seventh: text taken, RCV.NXT advanced, ACK", 1);
      return ack_reply(
          c, next,
          "9293 3.10.7.4 seventh SHLD-31 (held), RFC 5681 4.2: out of order: immediate ACK");
    case Kind::Fin:
      if (repeated_fin) {
        return ack_reply(c, next,
                         "classify.hpp RFC-AMBIGUITY: the peer's FIN again: eighth step ACKs it "
                         "(TIME-WAIT restarts 2MSL)");
      }
      if (!at_edge) {
        return {Reply::AckOrNothing,
                next,
                c.snd_nxt,
                c.rcv_nxt,
                {},
                "9293 3.10.7.4 eighth: a FIN beyond RCV.NXT waits (SHLD-31); MAY-13"};
      }
      if (peer_fin_received(c.state)) {
        // RCV.NXT is already past the peer's FIN; nothing after it is the
        // peer's to send, so there is nothing to advance over.
        return ack_reply(c, next,
                         "9293 3.10.7.4 eighth: CLOSE-WAIT, CLOSING, TIME-WAIT remain and ACK");
      }
      // SYN-RECEIVED and ESTABLISHED go to CLOSE-WAIT; FIN-WAIT-1 (our FIN
      // ACKed by this very segment) and FIN-WAIT-2 to TIME-WAIT.
      return ack_reply(c, next == State::Established ? State::CloseWait : State::TimeWait,
                       "9293 3.10.7.4 eighth: FIN at RCV.NXT: advance over it, ACK", 1);
    default: break;
  }
  return {
      Reply::Nothing, next, {}, {}, {}, "unreachable: kinds with SYN or RST are decided earlier"};
}

template <class Seq>
Expect<Seq> in_synchronized(const Cell<Seq>& c) {
  const State s = c.state;
  if (s == State::TimeWait && has_syn(c.kind) && !has_ack(c.kind) && c.offset > 0) {
    return {Reply::SynAck,
            State::SynReceived,
            {},
            c.seq + 1U,
            c.snd_nxt,
            "table note on TIME-WAIT SynNewerInTimeWait, RFC 1122 4.2.2.13: a SYN above RCV.NXT "
            "opens a new incarnation with an ISS above the old one"};
  }
  if (has_rst(c.kind)) return rst_arrives(c);
  if (has_syn(c.kind)) return syn_arrives(c);
  const bool repeated_fin = c.kind == Kind::Fin && peer_fin_received(s) && c.offset == -1;
  if (!repeated_fin && !acceptable(c)) {
    // With RCV.WND zero the text cannot be taken, but the ACK it carries
    // still counts (first step's zero-window remark); only at RCV.NXT,
    // where a window probe arrives.
    if (c.our_window_zero && c.offset == 0 && has_ack(c.kind)) {
      const State next = after_ack(s);
      if (next == State::Closed) {
        return {Reply::Nothing,
                next,
                {},
                {},
                {},
                "9293 3.10.7.4 first (zero window: valid ACKs accepted), fifth: CLOSED"};
      }
      return ack_reply(
          c, next,
          "9293 3.10.7.4 first: zero window: text refused with an ACK, valid ACK accepted");
    }
    return ack_reply(c, s,
                     "9293 3.10.7.4 first: not acceptable: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  }
  if (!has_ack(c.kind))
    return {Reply::Nothing, s, {}, {}, {}, "9293 3.10.7.4 fifth: ACK bit off: drop"};
  return accepted(c, repeated_fin);
}

template <class Seq>
Expect<Seq> expect(const Cell<Seq>& c) {
  switch (c.state) {
    case State::Closed: return in_closed(c);
    case State::Listen: return in_listen(c);
    case State::SynSent: return in_syn_sent(c);
    default: return in_synchronized(c);
  }
}

}  // namespace tcpmc::core::test::grid
