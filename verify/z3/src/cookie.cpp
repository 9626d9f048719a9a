// The SYN-cookie layout of core/syn_cookie.hpp, instantiated with Word.
#include <z3++.h>

#include <cstdint>
#include <tcpmc/core/syn_cookie.hpp>
#include <tcpmc/verify/z3/expr.hpp>
#include <tcpmc/verify/z3/models.hpp>
#include <tcpmc/verify/z3/proof.hpp>

namespace tcpmc::verify::z3 {
namespace {

// The keyed hash, uninterpreted: (4-tuple as 96 bits, peer ISN, tick) -> 24
// bits, widened to the word as cookie_hash returns it.
struct Hash {
  ::z3::func_decl h;
  ::z3::expr tuple;
  ::z3::expr peer_isn;
  Word operator()(const Word& tick) const { return Word(::z3::zext(h(tuple, peer_isn, tick.expr()), 8)); }
};

::z3::func_decl hash_function(::z3::context& c) {
  return c.function("H", c.bv_sort(96), c.bv_sort(32), c.bv_sort(32), c.bv_sort(24));
}

}  // namespace

Outcome cookie_round_trip(unsigned timeout_ms, bool index_may_overflow) {
  ::z3::context c;
  const ::z3::expr tuple = c.bv_const("tuple", 96), isn = c.bv_const("peer_isn", 32),
                   tick = c.bv_const("tick", 32), now = c.bv_const("now_tick", 32),
                   later = c.bv_const("later_tick", 32), index = c.bv_const("mss_index", 32);
  const Hash hash{hash_function(c), tuple, isn};
  const Word cookie = core::pack_cookie(Word(tick), Word(index), hash);
  const ::z3::expr one = c.bv_val(1, 32);
  const ::z3::expr premises =
      (index_may_overflow ? c.bool_val(true) : ::z3::ult(index, c.bv_val(8, 32))) &&
      (now == tick || now == tick + one) && ::z3::uge(later - tick, c.bv_val(2, 32)) &&
      ::z3::ule(later - tick, c.bv_val(31, 32));
  return check_claims(
      c, premises,
      {{"valid in its tick and the next", core::cookie_valid(cookie, Word(now), hash)},
       {"MSS index recovered", core::cookie_mss_index_of(cookie) == Word(index)},
       {"5-bit tick recovered", core::cookie_tick(cookie) == (Word(tick) & core::kCookieTickMask)},
       {"stale 2 to 31 ticks later", !core::cookie_fresh(cookie, Word(later))}},
      {{"tick", tick}, {"now_tick", now}, {"later_tick", later}, {"mss_index", index},
       {"cookie", cookie.expr()}, {"recovered index", core::cookie_mss_index_of(cookie).expr()},
       {"recovered tick", core::cookie_tick(cookie).expr()}},
      timeout_ms);
}

Outcome cookie_other_tuple_needs_collision(unsigned timeout_ms) {
  ::z3::context c;
  const ::z3::expr tuple = c.bv_const("tuple", 96), isn = c.bv_const("peer_isn", 32),
                   other = c.bv_const("other_tuple", 96), other_isn = c.bv_const("other_peer_isn", 32),
                   tick = c.bv_const("tick", 32), now = c.bv_const("now_tick", 32),
                   index = c.bv_const("mss_index", 32);
  const ::z3::func_decl h = hash_function(c);
  const Hash made{h, tuple, isn};
  const Hash checked{h, other, other_isn};
  const Word cookie = core::pack_cookie(Word(tick), Word(index), made);
  const ::z3::expr t = tick.extract(4, 0);
  const ::z3::expr t32 = ::z3::zext(t, 27);
  const ::z3::expr collide = h(other, other_isn, t32) == h(tuple, isn, t32);
  const ::z3::expr premises =
      ::z3::ult(index, c.bv_val(8, 32)) && (other != tuple || other_isn != isn);
  const ::z3::expr valid = core::cookie_valid(cookie, Word(now), checked);
  return check_claims(
      c, premises,
      {{"accepted for another tuple or ISN == fresh and H collides",
        valid == (core::cookie_fresh(cookie, Word(now)) && collide)}},
      {{"tuple", tuple}, {"other_tuple", other}, {"peer_isn", isn}, {"other_peer_isn", other_isn},
       {"tick", tick}, {"now_tick", now}, {"cookie", cookie.expr()}, {"accepted", valid}},
      timeout_ms);
}

}  // namespace tcpmc::verify::z3
