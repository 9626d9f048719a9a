// RFC 6528's generator, ISN = M + F, over 64-bit microsecond time.
#include <z3++.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <tcpmc/model/rules.hpp>
#include <tcpmc/verify/z3/expr.hpp>
#include <tcpmc/verify/z3/models.hpp>
#include <tcpmc/verify/z3/proof.hpp>

namespace tcpmc::verify::z3 {
namespace {

constexpr std::uint64_t kTimeLimit = kIsnTimeLimitUs;

::z3::expr u64(::z3::context& c, std::uint64_t v) { return c.bv_val(v, 64); }

// The clock's unwrapped tick count at time t: one tick per 4 us.
::z3::expr ticks(const ::z3::expr& t) { return ::z3::lshr(t, u64(t.ctx(), 2)); }

// ISN at time t: the tick count modulo 2^32, plus F.
::z3::expr isn_at(const ::z3::expr& t, const ::z3::expr& f) { return ticks(t).extract(31, 0) + f; }

std::string hex(std::int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

Outcome isn_two_draws_differ(unsigned timeout_ms, std::uint64_t max_gap_us,
                             std::uint64_t time_limit_us) {
  ::z3::context c;
  const ::z3::expr t1 = c.bv_const("t1_us", 64), t2 = c.bv_const("t2_us", 64),
                   f = c.bv_const("F", 32);
  const ::z3::expr gap = t2 - t1;
  const ::z3::expr premises = ::z3::ult(t2, u64(c, time_limit_us)) && ::z3::ule(t1, t2) &&
                              ::z3::uge(gap, u64(c, 4)) && ::z3::ule(gap, u64(c, max_gap_us));
  const ::z3::expr i1 = isn_at(t1, f), i2 = isn_at(t2, f);
  return check_claims(
      c, premises, {{"ISN(t1) != ISN(t2)", i1 != i2}},
      {{"t1 (us)", t1}, {"t2 (us)", t2}, {"t2 - t1 (us)", gap}, {"ticks(t1)", ticks(t1)},
       {"ticks(t2)", ticks(t2)}, {"F", f}, {"ISN(t1)", i1}, {"ISN(t2)", i2}},
      timeout_ms, [&](const ::z3::model& m) {
        Timeline tl{"us", "A (opens twice)", "B", {"SYN (first)", "SYN (second)"}, {}};
        using K = TimelineEvent::Kind;
        using Actor = TimelineEvent::Actor;
        const std::int64_t a = int_value(m, t1), b = int_value(m, t2);
        // Transit times are not modelled: each SYN is shown arriving as it is sent.
        tl.events.push_back({a, Actor::A, K::Send, 0, "SYN seq=" + hex(int_value(m, i1))});
        tl.events.push_back({a, Actor::B, K::Deliver, 0, "SYN (first)"});
        tl.events.push_back({b, Actor::A, K::Send, 1, "SYN seq=" + hex(int_value(m, i2))});
        tl.events.push_back({b, Actor::B, K::Deliver, 1, "SYN (second)"});
        tl.events.push_back({b, Actor::A, K::Violation, 0,
                             "the same ISN " + hex(int_value(m, i2)) + " again, " +
                                 std::to_string(b - a) + " us later: the tick count moved by " +
                                 std::to_string(int_value(m, ticks(t2)) - int_value(m, ticks(t1))) +
                                 ", a whole lap of 2^32"});
        return tl;
      });
}

Outcome isn_new_incarnation_is_newer(unsigned timeout_ms, bool old_is_fast) {
  ::z3::context c;
  const ::z3::expr t0 = c.bv_const("t0_us", 64), te = c.bv_const("te_us", 64),
                   t1 = c.bv_const("t1_us", 64), n = c.bv_const("n", 64), f = c.bv_const("F", 32);
  const ::z3::expr lived = ticks(te) - ticks(t0);
  const ::z3::expr rate = old_is_fast ? ::z3::uge(n, lived) : ::z3::ult(n, lived);
  // A demonstration asks for a run one would meet: a connection of at
  // least a second, a reconnection within a second, in the clock's first
  // lap (readable numbers). The proof assumes none of this.
  const ::z3::expr witness =
      old_is_fast ? ::z3::ult(t0, u64(c, std::uint64_t{1} << 32)) &&
                        ::z3::uge(te - t0, u64(c, 1000000)) && ::z3::ule(t1 - te, u64(c, 1000000))
                  : c.bool_val(true);
  const ::z3::expr premises =
      witness && ::z3::ult(t1, u64(c, kTimeLimit)) && ::z3::ule(t0, te) && ::z3::ule(te, t1) &&
      ::z3::uge(n, u64(c, 1)) && ::z3::ult(n, u64(c, std::uint64_t{1} << 31)) && rate &&
      ::z3::ule(ticks(t1) - ticks(t0), u64(c, std::uint64_t{1} << 31));
  const ::z3::expr isn0 = isn_at(t0, f), isn1 = isn_at(t1, f);
  const ::z3::expr rcv_nxt = isn0 + n.extract(31, 0);
  const ::z3::expr newer = model::syn_newer(SeqExpr(isn1), SeqExpr(rcv_nxt));
  return check_claims(
      c, premises, {{"syn_newer(ISN1, RCV.NXT of the old incarnation)", newer}},
      {{"t0 (us)", t0}, {"te (us)", te}, {"t1 (us)", t1}, {"ticks(te) - ticks(t0)", lived},
       {"n (sequence numbers used)", n}, {"F", f}, {"ISN0", isn0}, {"RCV.NXT", rcv_nxt},
       {"ISN1", isn1}},
      timeout_ms, [&](const ::z3::model& m) {
        using K = TimelineEvent::Kind;
        using Actor = TimelineEvent::Actor;
        Timeline tl{"us", "A (reconnects)", "B (remembers the old incarnation)",
                    {"SYN (old incarnation)", "last segment (old)", "SYN (new incarnation)"},
                    {}};
        const std::int64_t v_isn0 = int_value(m, isn0), v_nxt = int_value(m, rcv_nxt),
                           v_isn1 = int_value(m, isn1);
        // The model leaves transit times free; the chart shows each
        // segment arriving when it is sent, which changes nothing above.
        tl.events.push_back({int_value(m, t0), Actor::A, K::Send, 0, "SYN seq=" + hex(v_isn0)});
        tl.events.push_back({int_value(m, t0), Actor::B, K::Deliver, 0, "SYN (old incarnation)"});
        tl.events.push_back({int_value(m, te), Actor::A, K::Send, 1,
                             "FIN, " + std::to_string(int_value(m, n)) + " sequence numbers used in " +
                                 std::to_string(int_value(m, lived)) + " clock ticks"});
        tl.events.push_back({int_value(m, te), Actor::B, K::Deliver, 1, "last segment (old)"});
        tl.events.push_back({int_value(m, te), Actor::B, K::State, 0,
                             "RCV.NXT=" + hex(v_nxt) + " (TIME-WAIT or its memory)"});
        tl.events.push_back({int_value(m, t1), Actor::A, K::Send, 2, "SYN seq=" + hex(v_isn1)});
        tl.events.push_back({int_value(m, t1), Actor::B, K::Deliver, 2, "SYN (new incarnation)"});
        tl.events.push_back({int_value(m, t1), Actor::B, K::Violation, 2,
                             "new ISN " + hex(v_isn1) + " is not after RCV.NXT " + hex(v_nxt) +
                                 ": old duplicates and the new incarnation share sequence numbers"});
        return tl;
      });
}

}  // namespace tcpmc::verify::z3
