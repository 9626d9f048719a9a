// ISN, SYN-cookie and TIME-WAIT models, and that each can fail.
#include <gtest/gtest.h>
#include <z3++.h>

#include <cstdint>
#include <random>
#include <tcpmc/core/syn_cookie.hpp>
#include <tcpmc/verify/z3/models.hpp>

namespace {

namespace vz = tcpmc::verify::z3;
using vz::Verdict;
constexpr unsigned kTimeout = 10000;

bool has_violation(const vz::Outcome& o) {
  if (!o.timeline) return false;
  for (const auto& e : o.timeline->events) {
    if (e.kind == vz::TimelineEvent::Kind::Violation) return true;
  }
  return false;
}

// RFC 6528 3: distinct ISNs 4 us to 2^34 - 4 us apart.
TEST(Isn, TwoDrawsWithinALap_Differ) {
  EXPECT_EQ(vz::isn_two_draws_differ(kTimeout).verdict, Verdict::Proved);
}

// Just under 2^32 * 4 us, the tick count can already have lapped.
TEST(Isn, TwoDrawsAtTheLapEdge_Refuted) {
  const auto o = vz::isn_two_draws_differ(kTimeout, vz::kIsnLapSafeGapUs + 1);
  EXPECT_EQ(o.verdict, Verdict::Counterexample);
  EXPECT_TRUE(has_violation(o));
}

// RFC 6528 3, RFC 1122 4.2.2.13.
TEST(Isn, SlowOldIncarnation_NewSynIsNewer) {
  EXPECT_EQ(vz::isn_new_incarnation_is_newer(kTimeout).verdict, Verdict::Proved);
}

// A fast old incarnation outruns the clock: TIME-WAIT and PAWS must cover it.
TEST(Isn, FastOldIncarnation_RefutedWithTimeline) {
  const auto o = vz::isn_new_incarnation_is_newer(kTimeout, true);
  EXPECT_EQ(o.verdict, Verdict::Counterexample);
  EXPECT_TRUE(has_violation(o));
}

// RFC 4987 3.6.
TEST(SynCookie, RoundTrip_Proved) {
  EXPECT_EQ(vz::cookie_round_trip(kTimeout).verdict, Verdict::Proved);
}

// An MSS index of 8 or more spills into the tick: the layout needs the premise.
TEST(SynCookie, IndexOverflow_Refuted) {
  EXPECT_EQ(vz::cookie_round_trip(kTimeout, true).verdict, Verdict::Counterexample);
}

// The templates the proofs instantiate, at std::uint32_t: the layout the
// header's comment draws (tick 31..27, MSS index 26..24, hash 23..0).
TEST(SynCookie, TemplatesAtUint32_FollowTheLayout) {
  namespace core = tcpmc::core;
  std::mt19937 gen(4987);
  std::uniform_int_distribution<std::uint32_t> any;
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t tick = any(gen), index = any(gen) % 8U, hash = any(gen) & 0xFFFFFFU;
    std::uint32_t hashed_tick = 99;
    const auto h = [&](std::uint32_t t) {
      hashed_tick = t;
      return hash;
    };
    const std::uint32_t cookie = core::pack_cookie(tick, index, h);
    EXPECT_EQ(cookie, (tick & 31U) << 27 | index << 24 | hash);
    EXPECT_EQ(hashed_tick, tick & 31U);
    EXPECT_EQ(core::cookie_tick(cookie), tick & 31U);
    EXPECT_EQ(core::cookie_mss_index_of(cookie), index);
    EXPECT_EQ(core::cookie_hash_of(cookie), hash);
    EXPECT_TRUE(core::cookie_valid(cookie, tick + 1U, h));
    EXPECT_FALSE(core::cookie_fresh(cookie, tick + 2U));
  }
}

TEST(SynCookie, OtherTuple_AcceptedOnlyOnCollision) {
  EXPECT_EQ(vz::cookie_other_tuple_needs_collision(kTimeout).verdict, Verdict::Proved);
}

// RFC 9293 3.3.2: TIME-WAIT of 2MSL.
TEST(TimeWait, TwoMsl_Proved) {
  EXPECT_EQ(vz::time_wait_protects_new_incarnation(
                kTimeout, [](const ::z3::expr& tw, const ::z3::expr& msl) { return tw == 2 * msl; })
                .verdict,
            Verdict::Proved);
}

// One tick short of 2MSL: the retransmitted FIN outlives TIME-WAIT.
TEST(TimeWait, TwoMslMinusOne_RefutedWithTimeline) {
  const auto o = vz::time_wait_protects_new_incarnation(
      kTimeout, [](const ::z3::expr& tw, const ::z3::expr& msl) { return tw == 2 * msl - 1; });
  ASSERT_EQ(o.verdict, Verdict::Counterexample);
  EXPECT_TRUE(has_violation(o));
  EXPECT_FALSE(vz::timeline_text(*o.timeline).empty());
}

}  // namespace
