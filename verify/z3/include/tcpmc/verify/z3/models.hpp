// The proofs that need a small model around the rules: the RFC 6528 ISN
// clock, the SYN-cookie layout of core/syn_cookie.hpp, and TIME-WAIT over
// integer time. Each takes the knob a demonstration or a test turns to make
// it fail, so that every proof is seen to be able to fail.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <functional>
#include <tcpmc/verify/z3/proof.hpp>

namespace tcpmc::verify::z3 {

// ISN = M + F (RFC 6528 section 3; RFC 9293 3.4.1): M a clock ticking every
// 4 us, modulo 2^32; F fixed for one 4-tuple and secret. Time is in
// microseconds, 64 bits (below 2^62). Two ISNs of the same 4-tuple drawn
// t2 - t1 microseconds apart, 4 <= t2 - t1 <= max_gap_us, differ.
// The catalog proves it for max_gap_us = 2^34 - 4 (the clock then moved by
// 1 to 2^32 - 1 ticks); 2^34 - 1, just under a full lap of 2^32 * 4 us,
// is refuted: 3 us before the lap ends the tick count can already be a
// whole 2^32 further on.
// `time_limit_us` bounds the times (2^62 so that no sum wraps 64 bits; a
// demonstration lowers it to get readable numbers).
inline constexpr std::uint64_t kIsnLapSafeGapUs = (std::uint64_t{1} << 34) - 4;
inline constexpr std::uint64_t kIsnTimeLimitUs = std::uint64_t{1} << 62;
Outcome isn_two_draws_differ(unsigned timeout_ms, std::uint64_t max_gap_us = kIsnLapSafeGapUs,
                             std::uint64_t time_limit_us = kIsnTimeLimitUs);

// An old incarnation of a 4-tuple opened at t0 with ISN0 and, by its end
// te, had used n sequence numbers (SYN, data, FIN), so the peer's RCV.NXT
// is ISN0 + n. A new incarnation opens at t1 >= te with ISN1. Premises:
// (rate) n is less than the number of clock ticks between t0 and te, i.e.
// the old one sent less than one byte per 4 us (rounded to whole ticks);
// (lap) t1 is at most 2^31 ticks (about 2 h 23 min) after t0. Claim:
// syn_newer(ISN1, RCV.NXT) (model/rules.hpp), so TIME-WAIT's test of
// RFC 1122 4.2.2.13 takes the new SYN as newer. With `old_is_fast` the rate
// premise is reversed (at least one sequence number per tick, i.e. 250 kB/s
// or more) and Z3 gives a timeline in which the new ISN falls inside the
// old sequence space; it is asked for a plausible one (a connection of at
// least 1 s, a reconnection within 1 s).
Outcome isn_new_incarnation_is_newer(unsigned timeout_ms, bool old_is_fast = false);

// core::pack_cookie / cookie_valid (RFC 4987 3.6) with the keyed hash an
// uninterpreted function H(tuple, peer ISN, tick) -> 24 bits (so the proof
// holds for SipHash and for any other function). Premises: an MSS index
// below 8 (what cookie_mss_index returns) unless `index_may_overflow`, a
// check in the tick the cookie was made or the next one. Claims: valid,
// MSS index and the 5-bit tick recovered; 2..31 ticks later: stale.
Outcome cookie_round_trip(unsigned timeout_ms, bool index_may_overflow = false);

// A cookie made for (tuple, peer ISN) and checked for another (tuple',
// peer ISN'): valid exactly when it is fresh and H collides on the two.
Outcome cookie_other_tuple_needs_collision(unsigned timeout_ms);

// TIME-WAIT over integer time (RFC 9293 3.3.2, 3.10.7.4 TIME-WAIT; RFC 1122
// 4.2.2.13). Premises:
//  - a segment arrives within MSL of being sent, or is lost (MSL >= 1);
//  - B (passive closer, LAST-ACK) sends a FIN copy F that A (active
//    closer) receives at r; A then is, or stays, in TIME-WAIT until r + TW
//    and acknowledges; that ACK may be lost;
//  - B retransmits F as F' within its retransmission timeout RTO <= MSL
//    (RFC 6298 2.5 lets RTO be capped at 60 s; RFC 9293's MSL is 2 min),
//    only while no ACK has reached it and before its own give-up time G
//    (any G); F' is not lost (the loss is the final ACK);
//  - no renewal of TIME-WAIT between r and F''s arrival (the worst case);
//  - the new incarnation of the 4-tuple starts only after A's TIME-WAIT
//    ends (RFC 6191's early reuse is not modelled);
//  - every other old segment was sent by A or B no later than r.
// Claims: F' arrives while A is still in TIME-WAIT; no old segment (F',
// A's ACKs, any other) arrives once the new incarnation exists.
// `time_wait(tw, msl)` constrains TW: tw >= 2*msl in the catalog's proof,
// msl <= tw < 2*msl in its demonstration. With `reuse_at_once` the new
// incarnation starts the moment TIME-WAIT ends (the proof allows any later
// time; the demonstration uses it to show the old FIN reaching it).
using TimeWaitLength = std::function<::z3::expr(const ::z3::expr& tw, const ::z3::expr& msl)>;
Outcome time_wait_protects_new_incarnation(unsigned timeout_ms, const TimeWaitLength& time_wait,
                                           bool reuse_at_once = false);

// Bounded model checking of the table-level model (issue 9, item 4) is in
// table_bmc.hpp; its properties join the catalog through
// table_bmc_catalog.hpp, with verdict Bounded for the RFC spec and
// Counterexample, at the explorer's length, for the variants.

}  // namespace tcpmc::verify::z3
