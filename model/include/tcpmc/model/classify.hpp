// The one place where an arriving segment becomes a table event (DESIGN.md
// principle 1). The classifier applies the rules of rules.hpp to the
// segment and the connection's sequence variables, in the order of RFC 9293
// section 3.10.7, and names the distinction the RFCs make, so that the
// table, not this code, decides what happens next.
#pragma once

#include <cstdint>

#include <tcpmc/model/event.hpp>
#include <tcpmc/model/rules.hpp>
#include <tcpmc/model/seq.hpp>
#include <tcpmc/model/state.hpp>

namespace tcpmc::model {

struct SegmentFlags {
  bool syn = false;
  bool ack = false;
  bool fin = false;
  bool rst = false;
  constexpr bool operator==(const SegmentFlags&) const = default;
};

// What the classifier reads of a segment.
template <unsigned Bits>
struct SegmentFacts {
  SegmentFlags flags;
  Seq<Bits> seq;
  Seq<Bits> ack;
  std::uint32_t payload = 0;  // data octets, SYN and FIN not counted

  // SEG.LEN: SYN and FIN each occupy one sequence number.
  constexpr std::uint32_t length() const {
    return payload + (flags.syn ? 1U : 0U) + (flags.fin ? 1U : 0U);
  }
  // The sequence number the FIN occupies, if the segment carries one.
  constexpr Seq<Bits> fin_seq() const { return seq + payload + (flags.syn ? 1U : 0U); }
};

// The connection's sequence variables (RFC 9293 section 3.3.1) that the
// classification depends on.
template <unsigned Bits>
struct TcbNumbers {
  Seq<Bits> iss;
  Seq<Bits> snd_una;
  Seq<Bits> snd_nxt;
  std::uint32_t max_snd_wnd = 0;  // largest window the peer offered (RFC 5961 5.2)
  Seq<Bits> irs;
  Seq<Bits> rcv_nxt;
  std::uint32_t rcv_wnd = 0;
  bool fin_sent = false;  // our FIN has been sent and is SND.NXT - 1
};

namespace detail {

// CLOSED (no TCB) and LISTEN, sections 3.10.7.1 and 3.10.7.2: only the
// flags matter, in the order RST, ACK, SYN.
template <unsigned Bits>
constexpr Event classify_unsynchronized(const SegmentFacts<Bits>& seg) {
  if (seg.flags.rst) return Event::RstOutOfWindow;
  if (seg.flags.ack) return Event::AckUnacceptable;
  if (seg.flags.syn) return Event::Syn;
  return Event::Stray;
}

// SYN-SENT, section 3.10.7.3: first the ACK, then RST, then SYN.
template <unsigned Bits>
constexpr Event classify_syn_sent(const SegmentFacts<Bits>& seg, const TcbNumbers<Bits>& tcb) {
  const SegmentFlags& f = seg.flags;
  if (f.ack && !ack_acceptable(tcb.iss, seg.ack, tcb.snd_nxt)) {
    return f.rst ? Event::RstOutOfWindow : Event::AckUnacceptable;
  }
  if (f.rst) return f.ack ? Event::RstExact : Event::RstOutOfWindow;
  if (f.syn) return f.ack ? Event::SynAck : Event::Syn;
  return Event::Stray;
}

// Can the segment's FIN be processed now: nothing missing before it, and
// the FIN itself inside the receive window.
template <unsigned Bits>
constexpr bool fin_in_order(const SegmentFacts<Bits>& seg, const TcbNumbers<Bits>& tcb) {
  return seg.flags.fin && before_or_eq(seg.seq, tcb.rcv_nxt) &&
         in_window(seg.fin_seq(), tcb.rcv_nxt, tcb.rcv_wnd);
}

// SYN-RECEIVED and later, section 3.10.7.4.
template <unsigned Bits>
constexpr Event classify_synchronized(State state, const SegmentFacts<Bits>& seg,
                                      const TcbNumbers<Bits>& tcb) {
  const SegmentFlags& f = seg.flags;

  // A SYN newer than anything received may replace TIME-WAIT; it would fail
  // the sequence test below, so it is recognized first.
  if (state == State::TimeWait && f.syn && !f.ack && !f.rst && syn_newer(seg.seq, tcb.rcv_nxt)) {
    return Event::SynNewerInTimeWait;
  }

  // Second step: RST, judged by its own sequence number (RFC 5961 3.2).
  if (f.rst) {
    switch (rst_verdict(seg.seq, tcb.rcv_nxt, tcb.rcv_wnd)) {
      case Verdict::Reset: return Event::RstExact;
      case Verdict::ChallengeAck: return Event::RstInWindow;
      case Verdict::Drop: return Event::RstOutOfWindow;
    }
  }

  // Fourth step: SYN, whatever its sequence number (RFC 5961 4.2), except
  // a repeat of the very SYN that SYN-RECEIVED is answering.
  if (f.syn) {
    if (state == State::SynReceived && !f.ack && seg.seq == tcb.irs) return Event::Syn;
    // RFC-AMBIGUITY: in SYN-RECEIVED the RFC's steps are taken in order: a
    // SYN outside the window is answered by the first step with an ACK, and
    // only one inside it reaches the fourth step (back to LISTEN when
    // opened passively). For an actively opened SYN-RECEIVED the RFC also
    // points at RFC 5961's challenge ACK "whatever its SEQ"; both answers
    // are an ACK, and the first step's is taken.
    if (state == State::SynReceived &&
        !segment_acceptable(seg.seq, seg.length(), tcb.rcv_nxt, tcb.rcv_wnd)) {
      return Event::Unacceptable;
    }
    return Event::SynInSynchronized;
  }

  // RFC-AMBIGUITY: a repeat of the FIN already received lies left of the
  // window and fails the first step, yet the eighth step says how to answer
  // it (acknowledge; in TIME-WAIT, restart 2MSL). It is let through as Fin.
  const bool repeated_fin = f.fin && states::kPeerFinReceived.contains(state) &&
                            seg.fin_seq() + 1U == tcb.rcv_nxt;

  // First step: sequence number. With a zero window RFC 9293 still takes
  // the ACK of a segment at RCV.NXT (a window probe carries one): such a
  // segment is classified as its ACK alone, and the engine takes no data.
  const bool ack_of_refused = is_zero(tcb.rcv_wnd) && f.ack && seg.seq == tcb.rcv_nxt;
  if (!repeated_fin && !ack_of_refused &&
      !segment_acceptable(seg.seq, seg.length(), tcb.rcv_nxt, tcb.rcv_wnd)) {
    return Event::Unacceptable;
  }

  // Fifth step: ACK.
  if (!f.ack) return Event::Stray;
  const bool fin = repeated_fin || fin_in_order(seg, tcb);
  if (state == State::SynReceived) {
    if (!ack_acceptable(tcb.snd_una, seg.ack, tcb.snd_nxt)) return Event::AckUnacceptable;
    return fin ? Event::Fin : Event::AckOfSyn;
  }
  if (!ack_in_range(tcb.snd_una, tcb.max_snd_wnd, seg.ack, tcb.snd_nxt)) {
    return Event::AckUnacceptable;
  }
  const bool acks_our_fin = states::kOurFinSent.contains(state) && tcb.fin_sent &&
                            !(tcb.snd_una == tcb.snd_nxt) && seg.ack == tcb.snd_nxt;

  // Eighth step: FIN, combined with what the ACK did.
  if (fin && acks_our_fin) return Event::FinAckOfFin;
  if (acks_our_fin) return Event::AckOfFin;
  if (fin) return Event::Fin;
  return Event::Ack;
}

}  // namespace detail

// The table event for a segment arriving in `state`. For CLOSED and LISTEN
// the TCB numbers are not read.
template <unsigned Bits>
constexpr Event classify(State state, const SegmentFacts<Bits>& seg, const TcbNumbers<Bits>& tcb) {
  switch (state) {
    case State::Closed:
    case State::Listen: return detail::classify_unsynchronized(seg);
    case State::SynSent: return detail::classify_syn_sent(seg, tcb);
    default: return detail::classify_synchronized(state, seg, tcb);
  }
}

}  // namespace tcpmc::model
