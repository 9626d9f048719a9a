// TIME-WAIT and 2MSL as a timed model over integer time (seconds, or any
// unit: every constant is symbolic). See models.hpp for the premises.
#include <z3++.h>

#include <cstdint>
#include <string>
#include <tcpmc/verify/z3/models.hpp>
#include <tcpmc/verify/z3/proof.hpp>

namespace tcpmc::verify::z3 {

Outcome time_wait_protects_new_incarnation(unsigned timeout_ms, const TimeWaitLength& time_wait,
                                           bool reuse_at_once) {
  ::z3::context c;
  const auto var = [&](const char* n) { return c.int_const(n); };
  const ::z3::expr msl = var("MSL"), tw = var("TW"), rto = var("RTO"), give_up = var("G");
  const ::z3::expr s1 = var("first_fin_sent"), s = var("fin_sent"), r = var("fin_received");
  const ::z3::expr ack_lost = c.bool_const("ack_lost"), ack_delay = var("ack_delay");
  const ::z3::expr s2 = var("retransmission_sent"), x = var("retransmission_received");
  const ::z3::expr ack2_delay = var("second_ack_delay"), start = var("new_incarnation");
  const ::z3::expr o = var("other_old_sent"), y = var("other_old_received");

  // A's TIME-WAIT at F''s arrival runs until r + TW; if F' finds it, A
  // restarts it there and acknowledges F' too.
  const ::z3::expr found = x <= r + tw;
  const ::z3::expr tw_end = ::z3::ite(found, ::z3::max(r, x) + tw, r + tw);

  const ::z3::expr premises =
      msl >= 1 && time_wait(tw, msl) && rto >= 1 && rto <= msl && give_up >= 0 &&
      // F, a copy of B's FIN, reaches A at r.
      s1 >= 0 && s1 <= s && s <= r && r <= s + msl &&
      // A's ACK of F is lost or reaches B within MSL.
      (ack_lost || (ack_delay >= 0 && ack_delay <= msl)) &&
      // B sends F' within RTO of F, before any ACK reached it, before it gives up.
      s < s2 && s2 <= s + rto && s2 <= s1 + give_up && (ack_lost || s2 < r + ack_delay) &&
      // F' is delivered within MSL.
      s2 <= x && x <= s2 + msl &&
      // If F' found TIME-WAIT, A's ACK of it lives at most MSL too.
      ack2_delay >= 0 && ack2_delay <= msl &&
      // Any other old segment: sent by then, delivered within MSL.
      o <= r && o <= y && y <= o + msl &&
      // The 4-tuple is reused only after A forgot the old incarnation.
      (reuse_at_once ? start == tw_end + 1 : start > tw_end);

  const ::z3::expr no_old_segment = x < start && (ack_lost || r + ack_delay < start) &&
                                    ::z3::implies(found, x + ack2_delay < start) && y < start;
  return check_claims(
      c, premises,
      {{"the retransmitted FIN finds A in TIME-WAIT", found},
       {"no old segment reaches the new incarnation", no_old_segment}},
      {{"MSL", msl}, {"TW", tw}, {"RTO", rto}, {"F sent", s}, {"F received (TIME-WAIT from)", r},
       {"ACK of F lost", ack_lost}, {"F' sent", s2}, {"F' received", x},
       {"TIME-WAIT ends", tw_end}, {"new incarnation starts", start}},
      timeout_ms, [&](const ::z3::model& m) {
        using K = TimelineEvent::Kind;
        using Actor = TimelineEvent::Actor;
        const auto v = [&](const ::z3::expr& e) { return int_value(m, e); };
        const auto t = [](std::int64_t n) { return std::to_string(n); };
        Timeline tl{"s", "A (active closer)", "B (passive closer)",
                    {"FIN", "ACK of FIN", "FIN (retransmitted)", "ACK of retransmitted FIN"},
                    {}};
        const bool lost = bool_value(m, ack_lost);
        const bool hit = bool_value(m, found);
        tl.events.push_back({v(s), Actor::B, K::Send, 0, "FIN"});
        tl.events.push_back({v(r), Actor::A, K::Deliver, 0, "FIN"});
        tl.events.push_back({v(r), Actor::A, K::State, 0, "TIME-WAIT until " + t(v(r + tw))});
        tl.events.push_back({v(r), Actor::A, K::Send, 1, "ACK"});
        if (lost) {
          tl.events.push_back({v(r), Actor::A, K::Loss, 1, "lost"});
        } else {
          tl.events.push_back({v(r + ack_delay), Actor::B, K::Deliver, 1, "ACK"});
        }
        tl.events.push_back({v(s2), Actor::B, K::Send, 2,
                             "FIN retransmitted (RTO " + t(v(rto)) + ")"});
        if (!hit) {
          tl.events.push_back({v(r + tw), Actor::A, K::State, 0, "CLOSED (TIME-WAIT over)"});
          tl.events.push_back({v(start), Actor::A, K::Note, 0,
                               "new incarnation of the same 4-tuple opens"});
        }
        tl.events.push_back({v(x), Actor::A, K::Deliver, 2, "FIN (retransmitted)"});
        if (hit) {
          tl.events.push_back({v(x), Actor::A, K::Send, 3, "ACK"});
          tl.events.push_back({v(x + ack2_delay), Actor::B, K::Deliver, 3, "ACK"});
        }
        if (!hit || !bool_value(m, no_old_segment)) {
          std::string what = "an old segment arrives after the new incarnation started";
          if (!hit) {
            what = "the FIN arrives ";
            what += t(v(x - r));
            what += " s after A entered TIME-WAIT (TW ";
            what += t(v(tw));
            what += " < 2MSL ";
            what += t(2 * v(msl));
            what += v(start) <= v(x) ? "): no entry; the new incarnation receives it"
                                     : "): no entry; A answers with RST, B's close ends in a reset";
          }
          tl.events.push_back({v(x), Actor::A, K::Violation, 2, what});
        }
        return tl;
      });
}

}  // namespace tcpmc::verify::z3
