// Proofs about the sequence-space rules of model/rules.hpp at 32 bits, for
// every value. Each is a template over the value types so that the catalog
// instantiates it with SeqExpr/LenExpr (the unsigned bit-vector reading of
// Seq<32>) and a test can instantiate it with a deliberately wrong reading
// (z3's signed `<`) and see Z3 refute it.
//
// The specifications on the right-hand side are written independently of
// the rules: a window is the set of W consecutive numbers N, N+1, ...,
// N+W-1 on the circle, and x is in it when one of its lifts x + k*2^32 lies
// in the integer interval [N, N+W), computed in 64 bits where nothing
// wraps. No half-circle convention appears there; the premise that windows
// are below 2^31 is what lets the modular before/after agree with it.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <tcpmc/model/rules.hpp>
#include <tcpmc/verify/z3/expr.hpp>
#include <tcpmc/verify/z3/proof.hpp>
#include <vector>

namespace tcpmc::verify::z3 {

inline constexpr std::uint64_t kHalf32 = std::uint64_t{1} << 31;
inline constexpr std::uint64_t kCircle32 = std::uint64_t{1} << 32;

namespace spec {

inline ::z3::expr wide(const ::z3::expr& x) { return ::z3::zext(x, 32); }
inline ::z3::expr w64(::z3::context& c, std::uint64_t v) { return c.bv_val(v, 64); }

// Some lift of x (32 bits) lies in the integer interval [lo, hi) (64 bits),
// for lifts x + k*2^32, k = 0..lifts-1.
inline ::z3::expr lift_in(const ::z3::expr& x, const ::z3::expr& lo, const ::z3::expr& hi,
                          unsigned lifts) {
  ::z3::context& c = x.ctx();
  ::z3::expr any = c.bool_val(false);
  for (unsigned k = 0; k < lifts; ++k) {
    const ::z3::expr l = wide(x) + w64(c, k * kCircle32);
    any = any || (::z3::ule(lo, l) && ::z3::ult(l, hi));
  }
  return any;
}

// x is one of the w numbers n, n+1, ..., n+w-1 (mod 2^32).
inline ::z3::expr among(const ::z3::expr& x, const ::z3::expr& n, const ::z3::expr& w) {
  return lift_in(x, wide(n), wide(n) + wide(w), 2);
}

}  // namespace spec

// before/after is a strict total order on any set of numbers that fits in
// a window of fewer than 2^31 (every element less than 2^31 after some
// left edge w). With `window_at_most_half` the window may reach 2^31
// itself: the demonstration, where Z3 finds two numbers 2^31 apart.
template <class S>
Outcome order_is_strict(unsigned timeout_ms, bool window_at_most_half = false) {
  ::z3::context c;
  const ::z3::expr a = c.bv_const("a", 32), b = c.bv_const("b", 32), d = c.bv_const("c", 32),
                   w = c.bv_const("w", 32);
  const ::z3::expr half = c.bv_val(kHalf32, 32);
  const auto inside = [&](const ::z3::expr& x) {
    return window_at_most_half ? ::z3::ule(x - w, half) : ::z3::ult(x - w, half);
  };
  const S sa(a), sb(b), sc(d);
  const std::vector<Claim> claims = {
      {"irreflexive: not before(a, a)", !before(sa, sa)},
      {"asymmetric: before(a, b) => not before(b, a)",
       ::z3::implies(before(sa, sb), !before(sb, sa))},
      {"transitive: before(a, b) and before(b, c) => before(a, c)",
       ::z3::implies(before(sa, sb) && before(sb, sc), before(sa, sc))},
      {"total: a != b => before(a, b) or before(b, a)",
       ::z3::implies(a != b, before(sa, sb) || before(sb, sa))},
      {"after is the converse: after(a, b) == before(b, a)", after(sa, sb) == before(sb, sa)},
      {"counting up moves forward, across 2^32 - 1 to 0 too: before(a, a + 1)",
       before(sa, S(a + c.bv_val(1, 32)))},
  };
  return check_each(c, inside(a) && inside(b) && inside(d), claims,
                      {{"a", a}, {"b", b}, {"c", d}, {"window left edge w", w},
                       {"b - a", b - a}, {"c - b", d - b}, {"c - a", d - a}},
                      timeout_ms);
}

// RFC 9293 3.10.7.4, first step: segment_acceptable is exactly the four
// cases of the acceptability test, for every RCV.WND below `window_limit`
// (2^31 in the catalog; RFC 7323 2.3 caps a scaled window below 2^30).
template <class S, class L>
Outcome segment_acceptable_is_rfc(unsigned timeout_ms, std::uint64_t window_limit = kHalf32) {
  ::z3::context c;
  const ::z3::expr seq = c.bv_const("seg_seq", 32), len = c.bv_const("seg_len", 32),
                   nxt = c.bv_const("rcv_nxt", 32), wnd = c.bv_const("rcv_wnd", 32);
  const ::z3::expr zero = c.bv_val(0, 32);
  const ::z3::expr last = (spec::wide(seq) + spec::wide(len) - spec::w64(c, 1)).extract(31, 0);
  // The four rows of the RFC's table, as written there.
  const ::z3::expr rfc =
      (len == zero && wnd == zero && seq == nxt) ||
      (len == zero && wnd != zero && spec::among(seq, nxt, wnd)) ||
      (len != zero && wnd == zero && c.bool_val(false)) ||
      (len != zero && wnd != zero && (spec::among(seq, nxt, wnd) || spec::among(last, nxt, wnd)));
  const ::z3::expr rule = model::segment_acceptable(S(seq), L(len), S(nxt), L(wnd));
  const ::z3::expr small_window = ::z3::ult(spec::wide(wnd), spec::w64(c, window_limit));
  // Two steps. First, for every x: in_window(x, RCV.NXT, RCV.WND) is the
  // spec's window membership. Then the four cases, given the two instances
  // of that lemma the rule uses (first and last byte): sound, as the lemma
  // holds for every x, and fast, where the single combined query is not.
  const ::z3::expr x = c.bv_const("x", 32);
  const auto lemma = [&](const ::z3::expr& at, const ::z3::expr& spec_at) {
    return model::in_window(S(at), S(nxt), L(wnd)) == spec::among(spec_at, nxt, wnd);
  };
  Outcome step = check_claims(
      c, small_window,
      {{"lemma: in_window(x, RCV.NXT, RCV.WND) == x is in the window", lemma(x, x)}},
      {{"x", x}, {"rcv_nxt", nxt}, {"rcv_wnd", wnd}}, timeout_ms);
  if (step.verdict != Verdict::Proved) return step;
  return check_claims(c, small_window && lemma(seq, seq) && lemma(seq + len - c.bv_val(1, 32), last),
                      {{"segment_acceptable == RFC 9293 3.10.7.4 four cases", rule == rfc}},
                      {{"seg_seq", seq}, {"seg_len", len}, {"rcv_nxt", nxt}, {"rcv_wnd", wnd},
                       {"segment_acceptable", rule}, {"RFC table", rfc}},
                      timeout_ms);
}

// RFC 9293 3.10.7.4 fifth step: with SND.NXT = SND.UNA + flight,
// ack_acceptable accepts exactly the SEG.ACK with a lift in
// (SND.UNA, SND.NXT], for every flight below 2^31.
template <class S>
Outcome ack_acceptable_is_rfc(unsigned timeout_ms) {
  ::z3::context c;
  const ::z3::expr una = c.bv_const("snd_una", 32), flight = c.bv_const("flight", 32),
                   ack = c.bv_const("seg_ack", 32);
  const ::z3::expr nxt = una + flight;
  const ::z3::expr first = spec::wide(una) + spec::w64(c, 1);
  const ::z3::expr rfc = spec::lift_in(ack, first, first + spec::wide(flight), 2);
  const ::z3::expr rule = model::ack_acceptable(S(una), S(ack), S(nxt));
  return check_claims(c, ::z3::ult(spec::wide(flight), spec::w64(c, kHalf32)),
                      {{"ack_acceptable == SND.UNA < SEG.ACK =< SND.NXT", rule == rfc}},
                      {{"snd_una", una}, {"snd_nxt", nxt}, {"seg_ack", ack},
                       {"ack_acceptable", rule}, {"spec", rfc}},
                      timeout_ms);
}

// RFC 5961 5.2: ack_in_range accepts exactly the SEG.ACK with a lift in
// [SND.UNA - MAX.SND.WND, SND.NXT], when flight + MAX.SND.WND < 2^31 (as
// when both are below 2^30, the largest scaled window of RFC 7323 2.3).
// Each proof has its own context: Z3's speed on these adder equivalences
// depends on the order terms were created in, and a shared one made this
// query five times slower.
template <class S, class L>
Outcome ack_in_range_is_rfc5961(unsigned timeout_ms) {
  ::z3::context c;
  const ::z3::expr una = c.bv_const("snd_una", 32), flight = c.bv_const("flight", 32),
                   ack = c.bv_const("seg_ack", 32), mw = c.bv_const("max_snd_wnd", 32);
  const ::z3::expr nxt = una + flight;
  // Shifted up by one circle so that the lower end is not negative: one of
  // three lifts of SEG.ACK lies in the interval.
  const ::z3::expr base = spec::wide(una) + spec::w64(c, kCircle32);
  const ::z3::expr rfc = spec::lift_in(ack, base - spec::wide(mw),
                                       base + spec::wide(flight) + spec::w64(c, 1), 3);
  const ::z3::expr rule = model::ack_in_range(S(una), L(mw), S(ack), S(nxt));
  return check_claims(c, ::z3::ult(spec::wide(flight) + spec::wide(mw), spec::w64(c, kHalf32)),
                      {{"ack_in_range == SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT", rule == rfc}},
                      {{"snd_una", una}, {"snd_nxt", nxt}, {"seg_ack", ack}, {"max_snd_wnd", mw},
                       {"ack_in_range", rule}, {"spec", rfc}},
                      timeout_ms);
}

// RFC 5961 3.2: a RST whose SEG.SEQ is exactly RCV.NXT resets; one
// elsewhere in the window is answered with a challenge ACK; nothing outside
// the window resets or is challenged.
template <class S, class L>
Outcome rst_rules_are_rfc5961(unsigned timeout_ms) {
  ::z3::context c;
  const ::z3::expr seq = c.bv_const("seg_seq", 32), nxt = c.bv_const("rcv_nxt", 32),
                   wnd = c.bv_const("rcv_wnd", 32);
  const ::z3::expr exact = model::rst_exact(S(seq), S(nxt));
  const ::z3::expr challenge = model::rst_in_window(S(seq), S(nxt), L(wnd));
  const ::z3::expr in_window = spec::among(seq, nxt, wnd);
  return check_each(
      c, ::z3::ult(spec::wide(wnd), spec::w64(c, kHalf32)),
      {{"rst_exact == (SEG.SEQ = RCV.NXT)", exact == (seq == nxt)},
       {"rst_in_window == in window and not RCV.NXT", challenge == (in_window && seq != nxt)},
       {"never both", !(exact && challenge)},
       {"outside a non-empty window: neither reset nor challenge",
        ::z3::implies(wnd != c.bv_val(0, 32) && !in_window, !exact && !challenge)}},
      {{"seg_seq", seq}, {"rcv_nxt", nxt}, {"rcv_wnd", wnd}, {"rst_exact", exact},
       {"rst_in_window", challenge}, {"in window (spec)", in_window}},
      timeout_ms);
}

// RFC 9293 3.10.7.4 fifth step (SND.WL1/SND.WL2). P = (SND.WL1, SND.WL2,
// SND.WND) is the segment the window was last taken from, Q = (SEG.SEQ,
// SEG.ACK, SEG.WND) the arriving one. Premise: the peer sent P and Q in
// some order, and along its sending order SEG.SEQ, SEG.ACK and the right
// edge SEG.ACK + SEG.WND never go back (a receiver does not shrink its
// window, RFC 9293 3.8.6.2.2), all within 2^31. Claims: an in-order Q
// whose ACK is in [SND.UNA, SND.NXT] is taken; a taken Q never moves the
// right edge SND.WL2 + SND.WND back, unless Q carries the very SEG.SEQ and
// SEG.ACK of P (the rule cannot order those; with `allow_same_point` the
// claim includes them and Z3 shows the reordered older window winning).
template <class S, class L>
Outcome window_update_never_recedes(unsigned timeout_ms, bool allow_same_point = false) {
  ::z3::context c;
  const ::z3::expr una = c.bv_const("snd_una", 32), nxt = c.bv_const("snd_nxt", 32),
                   wl1 = c.bv_const("snd_wl1", 32), wl2 = c.bv_const("snd_wl2", 32),
                   wnd = c.bv_const("snd_wnd", 32), seq = c.bv_const("seg_seq", 32),
                   ack = c.bv_const("seg_ack", 32), w = c.bv_const("seg_wnd", 32),
                   q_later = c.bool_const("Q sent after P");
  const S p_seq(wl1), p_ack(wl2), q_seq(seq), q_ack(ack);
  const S p_edge = S(wl2) + L(wnd), q_edge = S(ack) + L(w);
  const ::z3::expr q_after_p =
      before_or_eq(p_seq, q_seq) && before_or_eq(p_ack, q_ack) && before_or_eq(p_edge, q_edge);
  const ::z3::expr p_after_q =
      before_or_eq(q_seq, p_seq) && before_or_eq(q_ack, p_ack) && before_or_eq(q_edge, p_edge);
  const ::z3::expr premises = ::z3::ite(q_later, q_after_p, p_after_q) &&
                              ::z3::ult(spec::wide(nxt - una), spec::w64(c, kHalf32));
  const ::z3::expr taken = model::window_update_allowed(S(una), S(nxt), p_seq, p_ack, q_seq, q_ack);
  const ::z3::expr ack_in = before_or_eq(S(una), q_ack) && before_or_eq(q_ack, S(nxt));
  const ::z3::expr same_point = seq == wl1 && ack == wl2;
  const ::z3::expr guard = allow_same_point ? taken : taken && !same_point;
  return check_each(
      c, premises,
      {{"an in-order ACK in [SND.UNA, SND.NXT] updates the window",
        ::z3::implies(q_later && ack_in, taken)},
       {"an update never moves SND.WL2 + SND.WND back", ::z3::implies(guard, after_or_eq(q_edge, p_edge))}},
      {{"snd_una", una}, {"snd_nxt", nxt}, {"snd_wl1", wl1}, {"snd_wl2", wl2}, {"snd_wnd", wnd},
       {"seg_seq", seq}, {"seg_ack", ack}, {"seg_wnd", w}, {"Q sent after P", q_later},
       {"update taken", taken}},
      timeout_ms);
}

}  // namespace tcpmc::verify::z3
