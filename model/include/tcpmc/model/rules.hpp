// The sequence-space rules of RFC 9293 section 3.10.7 and RFC 5961, written
// once as templates over the value types. The engine instantiates them with
// Seq<Bits> and std::uint32_t; verify/z3 instantiates the very same
// functions with bit-vector expressions, supplying its own overloads of the
// named operations (before, after, before_or_eq, after_or_eq, is_zero, +, -,
// ==) found by argument-dependent lookup. So the bodies use only those names
// and boolean &&, ||, !: no `<`, no `if`, no early return.
//
// Windows must be smaller than half the sequence space (2^31 at 32 bits);
// beyond that "inside the window" stops being a well-defined question.
#pragma once

#include <cstdint>

#include <tcpmc/model/seq.hpp>

namespace tcpmc::model {

// Lengths and windows as plain integers; verify/z3 overloads this name.
constexpr bool is_zero(std::uint32_t n) { return n == 0; }

// left =< x < left + size.
template <class S, class L>
constexpr auto in_window(S x, S left, L size) {
  return after_or_eq(x, left) && before(x, left + size);
}

// RFC 9293 section 3.10.7.4, first step: the four cases of the
// acceptability test. seg_len counts SYN and FIN as one each.
template <class S, class L>
constexpr auto segment_acceptable(S seg_seq, L seg_len, S rcv_nxt, L rcv_wnd) {
  return (is_zero(seg_len) && is_zero(rcv_wnd) && seg_seq == rcv_nxt) ||
         (is_zero(seg_len) && !is_zero(rcv_wnd) && in_window(seg_seq, rcv_nxt, rcv_wnd)) ||
         (!is_zero(seg_len) && !is_zero(rcv_wnd) &&
          (in_window(seg_seq, rcv_nxt, rcv_wnd) ||
           in_window(seg_seq + seg_len - 1U, rcv_nxt, rcv_wnd)));
}

// SND.UNA < SEG.ACK =< SND.NXT: the ACK acknowledges something new that we
// did send (fifth step; in SYN-SENT with SND.UNA = ISS, it is ISS < SEG.ACK).
template <class S>
constexpr auto ack_acceptable(S snd_una, S seg_ack, S snd_nxt) {
  return before(snd_una, seg_ack) && before_or_eq(seg_ack, snd_nxt);
}

// RFC 5961 section 5.2: an ACK is processed only if
// SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT; the rest is blind or stale.
template <class S, class L>
constexpr auto ack_in_range(S snd_una, L max_snd_wnd, S seg_ack, S snd_nxt) {
  return after_or_eq(seg_ack, snd_una - max_snd_wnd) && before_or_eq(seg_ack, snd_nxt);
}

// RFC 5961 section 3.2: a RST resets only at exactly RCV.NXT...
template <class S>
constexpr auto rst_exact(S seg_seq, S rcv_nxt) {
  return seg_seq == rcv_nxt;
}

// ...is challenged if elsewhere inside the window, and dropped otherwise.
template <class S, class L>
constexpr auto rst_in_window(S seg_seq, S rcv_nxt, L rcv_wnd) {
  return !(seg_seq == rcv_nxt) && in_window(seg_seq, rcv_nxt, rcv_wnd);
}

// RFC 1122 section 4.2.2.13 and RFC 6191: in TIME-WAIT, a SYN may open a
// new incarnation only if it is newer than everything the old one received.
template <class S>
constexpr auto syn_newer(S seg_seq, S rcv_nxt) {
  return after(seg_seq, rcv_nxt);
}

// Fifth step, send window update: taken only from an ACK inside
// SND.UNA =< SEG.ACK =< SND.NXT that is not older than the last update
// (SND.WL1, SND.WL2), so a reordered old segment never shrinks the window.
template <class S>
constexpr auto window_update_allowed(S snd_una, S snd_nxt, S snd_wl1, S snd_wl2, S seg_seq,
                                     S seg_ack) {
  return before_or_eq(snd_una, seg_ack) && before_or_eq(seg_ack, snd_nxt) &&
         (before(snd_wl1, seg_seq) || (snd_wl1 == seg_seq && before_or_eq(snd_wl2, seg_ack)));
}

// The three answers RFC 5961 gives a RST or SYN in a synchronized state.
enum class Verdict : std::uint8_t { Reset, ChallengeAck, Drop };

template <unsigned Bits>
constexpr Verdict rst_verdict(Seq<Bits> seg_seq, Seq<Bits> rcv_nxt, std::uint32_t rcv_wnd) {
  if (rst_exact(seg_seq, rcv_nxt)) return Verdict::Reset;
  if (rst_in_window(seg_seq, rcv_nxt, rcv_wnd)) return Verdict::ChallengeAck;
  return Verdict::Drop;
}

// RFC 5961 section 4.2: a SYN in a synchronized state is challenged
// whatever its sequence number; a legitimate peer that restarted answers the
// challenge ACK with a RST that is exact, and then retries its SYN.
template <unsigned Bits>
constexpr Verdict syn_verdict(Seq<Bits> /*seg_seq*/, Seq<Bits> /*rcv_nxt*/) {
  return Verdict::ChallengeAck;
}

}  // namespace tcpmc::model
