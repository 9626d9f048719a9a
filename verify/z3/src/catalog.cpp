#include <z3++.h>

#include <span>
#include <utility>
#include <tcpmc/verify/z3/catalog.hpp>
#include <tcpmc/verify/z3/expr.hpp>
#include <tcpmc/verify/z3/models.hpp>
#include <tcpmc/verify/z3/proof.hpp>
#include <tcpmc/verify/z3/seq_proofs.hpp>
#include <tcpmc/verify/z3/table_bmc_catalog.hpp>
#include <vector>

namespace tcpmc::verify::z3 {
namespace {

// A Z3 error while building a query (not only while solving it) is an
// unknown verdict with Z3's message, not an exception through the command.
std::vector<Property> guarded(std::vector<Property> all) {
  for (Property& p : all) {
    p.run = [run = std::move(p.run)](unsigned ms) {
      try {
        return run(ms);
      } catch (const ::z3::exception& e) {
        Outcome o;
        o.verdict = Verdict::Unknown;
        o.reason = e.msg();
        return o;
      }
    };
  }
  return all;
}

std::vector<Property> make() {
  using V = Verdict;
  return {
      {"seq.order", "before/after is a strict total order (irreflexive, asymmetric, transitive, total)",
       "a, b, c within a window of fewer than 2^31 numbers", "RFC 9293 3.4", V::Proved,
       [](unsigned ms) { return order_is_strict<SeqExpr>(ms); }},
      {"seq.order.half-circle", "the same order on a window reaching 2^31",
       "a, b, c within a window of 2^31 + 1 numbers", "RFC 9293 3.4", V::Counterexample,
       [](unsigned ms) { return order_is_strict<SeqExpr>(ms, true); }},
      {"seq.segment-acceptable", "segment_acceptable == the four cases of the acceptability test",
       "RCV.WND < 2^31; any SEG.SEQ, SEG.LEN, RCV.NXT", "RFC 9293 3.10.7.4", V::Proved,
       [](unsigned ms) { return segment_acceptable_is_rfc<SeqExpr, LenExpr>(ms); }},
      {"seq.ack-acceptable", "ack_acceptable == SND.UNA < SEG.ACK =< SND.NXT",
       "SND.NXT - SND.UNA < 2^31", "RFC 9293 3.10.7.4", V::Proved,
       [](unsigned ms) { return ack_acceptable_is_rfc<SeqExpr>(ms); }},
      {"seq.ack-in-range", "ack_in_range == SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT",
       "(SND.NXT - SND.UNA) + MAX.SND.WND < 2^31", "RFC 5961 5.2", V::Proved,
       [](unsigned ms) { return ack_in_range_is_rfc5961<SeqExpr, LenExpr>(ms); }},
      {"seq.rst", "exact RST resets, other in-window RST challenges, nothing outside does either",
       "RCV.WND < 2^31", "RFC 5961 3.2", V::Proved,
       [](unsigned ms) { return rst_rules_are_rfc5961<SeqExpr, LenExpr>(ms); }},
      {"seq.window-update", "in-order ACKs update the window; no update moves SND.WL2 + SND.WND back "
                            "(except same SEG.SEQ and SEG.ACK)",
       "peer's SEQ, ACK, ACK + WND never go back in its sending order; flight < 2^31",
       "RFC 9293 3.10.7.4, 3.8.6.2.2", V::Proved,
       [](unsigned ms) { return window_update_never_recedes<SeqExpr, LenExpr>(ms); }},
      {"cookie.round-trip", "a cookie is valid in its tick and the next, returns its MSS index and "
                            "5-bit tick, and is stale 2..31 ticks later",
       "MSS index < 8; hash uninterpreted", "RFC 4987 3.6", V::Proved,
       [](unsigned ms) { return cookie_round_trip(ms); }},
      {"cookie.other-tuple", "a cookie checked for another 4-tuple or peer ISN is accepted only if "
                             "the 24-bit hash collides",
       "MSS index < 8; hash uninterpreted", "RFC 4987 3.6", V::Proved,
       [](unsigned ms) { return cookie_other_tuple_needs_collision(ms); }},
      {"isn.distinct", "two ISNs of one 4-tuple drawn 4 us to 2^34 - 4 us apart differ",
       "ISN = M + F, M = 4-us ticks mod 2^32, F fixed", "RFC 6528 3", V::Proved,
       [](unsigned ms) { return isn_two_draws_differ(ms); }},
      {"isn.distinct.lap-edge", "the same for draws up to 2^34 - 1 us apart",
       "ISN = M + F, M = 4-us ticks mod 2^32, F fixed", "RFC 6528 3", V::Counterexample,
       [](unsigned ms) {
         return isn_two_draws_differ(ms, kIsnLapSafeGapUs + 3, std::uint64_t{1} << 36);
       }},
      {"isn.new-incarnation", "the new incarnation's ISN is after the old one's RCV.NXT (syn_newer)",
       "old one used fewer sequence numbers than 4-us ticks; new one within 2^31 ticks of old start",
       "RFC 6528 3, RFC 1122 4.2.2.13", V::Proved,
       [](unsigned ms) { return isn_new_incarnation_is_newer(ms); }},
      {"isn.new-incarnation.fast-old", "the same when the old one used a sequence number per tick "
                                       "or more (covered by TIME-WAIT and PAWS, not by the ISN)",
       "old one used >= 1 sequence number per 4-us tick", "RFC 6528 3, RFC 7323 5", V::Counterexample,
       [](unsigned ms) { return isn_new_incarnation_is_newer(ms, true); }},
      {"time-wait.2msl", "a retransmitted FIN finds TIME-WAIT; no old segment reaches the next "
                         "incarnation",
       "TW >= 2MSL; lifetime <= MSL; peer RTO <= MSL; final ACK may be lost", "RFC 9293 3.3.2",
       V::Proved,
       [](unsigned ms) {
         return time_wait_protects_new_incarnation(
             ms, [](const ::z3::expr& tw, const ::z3::expr& msl) { return tw >= 2 * msl; });
       }},
      {"time-wait.short", "the same with TIME-WAIT shorter than 2MSL",
       "MSL <= TW < 2MSL (shown with MSL = 120 s); otherwise as above", "RFC 9293 3.3.2",
       V::Counterexample,
       [](unsigned ms) {
         return time_wait_protects_new_incarnation(
             ms,
             [](const ::z3::expr& tw, const ::z3::expr& msl) {
               return msl == 120 && msl <= tw && tw < 2 * msl;
             },
             true);
       }},
  };
}

}  // namespace

std::span<const Property> properties() {
  static const std::vector<Property> all = guarded(make());
  return all;
}

std::span<const Property> table_properties() {
  static const std::vector<Property> all = guarded(table_bmc_properties());
  return all;
}

std::span<const Property> table_long_properties() {
  static const std::vector<Property> all = guarded(table_bmc_long_properties());
  return all;
}

}  // namespace tcpmc::verify::z3
