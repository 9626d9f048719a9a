// The explorer as CI runs it: a variant whose counterexample is near, so
// the search, the invariants and the narrated trace are exercised in
// seconds. Longer searches: scripts/explore-long.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/search.hpp>

namespace tcpmc::verify::explore {
namespace {

inline constexpr model::Spec kNoTimeWait = model::no_time_wait(model::rfc9293());
inline constexpr model::Spec kTwoWay = model::two_way_handshake(model::rfc9293());
inline constexpr model::Spec kThreeWayClose = model::three_way_close(model::rfc9293());
inline constexpr model::Spec kDataOnSyn = model::data_on_syn(model::rfc9293());
inline constexpr model::Spec kFixedIsn = model::fixed_isn(model::rfc9293());
inline constexpr model::Spec kShortTimeWait = model::short_time_wait(model::rfc9293());
inline constexpr model::Spec kPredictableIsn = model::predictable_isn(model::rfc9293());

// One segment in flight, one loss, one duplicate, a byte each way and a
// reconnect: small enough for every CI build, large enough to hold the
// handshake, a lost segment, the close, TIME-WAIT and a new incarnation.
Bounds ci_bounds() {
  Bounds b;
  b.in_flight = 1;
  b.losses = 1;
  b.duplicates = 1;
  b.bytes = 1;
  b.reconnects = 1;
  b.msl = 2;
  b.ticks = 12;
  return b;
}

// The RFC spec: the search ends, and no invariant is broken.
TEST(Explore, Rfc9293_CiBounds_EveryInvariantHolds) {
  const auto r = search<model::kRfc9293>(ci_bounds());
  EXPECT_TRUE(r.complete);
  EXPECT_FALSE(r.violation) << name(r.violation->invariant) << ": " << r.violation->detail;
  EXPECT_GT(r.stats.states, 100000U);
}

// Two segments in flight and a duplicate, no loss, no reconnect: what an
// old duplicate SYN carrying data needs to reach a new server connection.
Bounds duplicate_bounds() {
  Bounds b;
  b.in_flight = 2;
  b.losses = 0;
  b.duplicates = 1;
  b.bytes = 1;
  b.reconnects = 0;
  b.msl = 2;
  b.ticks = 4;
  return b;
}

// Two in flight, a loss, a duplicate, a reconnect: the old incarnation's
// segments can meet the new one. Too large to search to the end in CI.
Bounds reconnect_bounds() {
  Bounds b = duplicate_bounds();
  b.losses = 1;
  b.reconnects = 1;
  b.ticks = 8;
  return b;
}

TEST(Explore, Rfc9293_DuplicateBounds_EveryInvariantHolds) {
  const auto r = search<model::kRfc9293>(duplicate_bounds());
  EXPECT_TRUE(r.complete);
  EXPECT_FALSE(r.violation) << name(r.violation->invariant) << ": " << r.violation->detail;
  EXPECT_GT(r.stats.states, 100000U);
}

// Seed notes, why four segments to close: the passive closer that sends
// its FIN at once loses what its user still hands over.
TEST(Explore, ThreeWayClose_CiBounds_NothingLost) {
  const auto r = search<kThreeWayClose>(ci_bounds(), Invariant::NothingLost);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NothingLost);
}

// Seed notes, why no data on the SYN: delivered at once, an old duplicate
// SYN hands its byte to a server connection a second time.
TEST(Explore, DataOnSyn_DuplicateBounds_OldDuplicateAccepted) {
  const auto r = search<kDataOnSyn>(duplicate_bounds(), Invariant::NoOldDuplicateAccepted);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NoOldDuplicateAccepted);
}

// Seed notes, why a clock-driven ISN: with one ISN for every incarnation,
// an old SYN's connection is taken over by the next incarnation, whose
// bytes then land in a connection made for the old one.
TEST(Explore, FixedIsn_ReconnectBounds_OldDuplicateAccepted) {
  const auto r = search<kFixedIsn>(reconnect_bounds(), Invariant::NoOldDuplicateAccepted);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NoOldDuplicateAccepted);
}

// Two in flight, one loss and an off-path attacker with one segment: the
// last ACK can be lost, and a blind RST or byte can be tried.
Bounds attack_bounds() {
  Bounds b;
  b.in_flight = 2;
  b.losses = 1;
  b.duplicates = 0;
  b.bytes = 0;
  b.reconnects = 0;
  b.msl = 2;
  b.ticks = 5;
  b.injections = 1;
  return b;
}

// RFC 6528: the keyed hash keeps the attacker's guesses out of the window.
TEST(Explore, Rfc9293_AttackBounds_EveryInvariantHolds) {
  const auto r = search<model::kRfc9293>(attack_bounds());
  EXPECT_TRUE(r.complete);
  EXPECT_FALSE(r.violation) << name(r.violation->invariant) << ": " << r.violation->detail;
  EXPECT_GT(r.stats.states, 100000U);
}

// Seed notes, why the ISN is not just the clock: the attacker who knows
// the time resets a connection it cannot see.
TEST(Explore, PredictableIsn_AttackBounds_InjectionAccepted) {
  const auto r = search<kPredictableIsn>(attack_bounds(), Invariant::NoInjectionAccepted);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NoInjectionAccepted);
  bool attacker = false;
  for (const auto& l : narrate<kPredictableIsn>(attack_bounds(), r.path)) {
    attacker = attacker || l.find("attacker injects") != std::string::npos;
  }
  EXPECT_TRUE(attacker);
}

// Seed notes, why 2MSL and not one: the FIN retransmitted after a lost
// last ACK arrives when a one-MSL TIME-WAIT is over, and is reset.
TEST(Explore, ShortTimeWait_AttackBounds_NothingLost) {
  const auto r = search<kShortTimeWait>(attack_bounds(), Invariant::NothingLost);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NothingLost);
}

// RFC 9293 3.4.1: a fixed ISN is reused by the next incarnation.
TEST(Explore, FixedIsn_AttackBounds_IsnReused) {
  const auto r = search<kFixedIsn>(attack_bounds(), Invariant::IsnUnique);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::IsnUnique);
}

// Seed notes, why three segments: with the server ESTABLISHED on the SYN,
// a retransmitted SYN of a closed connection opens one nobody asked for.
TEST(Explore, TwoWayHandshake_ReconnectBounds_PhantomConnection) {
  const auto r = search<kTwoWay>(reconnect_bounds());
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NoPhantomConnection);
}

// Without TIME-WAIT the rule itself is broken first; asked for the
// consequence, the search finds the orderly close ending in a reset.
TEST(Explore, NoTimeWait_CiBounds_NothingLost) {
  const auto r = search<kNoTimeWait>(ci_bounds(), Invariant::NothingLost);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NothingLost);
}

// Why 2MSL: without TIME-WAIT, a lost final ACK turns the peer's orderly
// close into a reset.
TEST(Explore, NoTimeWait_ShortestCounterexample_NothingLost) {
  Bounds b;
  b.in_flight = 2;
  b.losses = 0;
  b.duplicates = 1;
  b.bytes = 1;
  b.reconnects = 1;
  const auto r = search<kNoTimeWait>(b, Invariant::NothingLost);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NothingLost);
  const auto lines = narrate<kNoTimeWait>(b, r.path);
  ASSERT_FALSE(lines.empty());
  // The narration ends with the refuted invariant and shows the reset.
  bool told = false, reset = false;
  for (const auto& l : lines) {
    told = told || l.find("*** NothingLost") != std::string::npos;
    reset = reset || l.find("RST") != std::string::npos;
  }
  EXPECT_TRUE(told);
  EXPECT_TRUE(reset);
  EXPECT_EQ(r.path.size(), r.stats.depth + 1);
}

// Hash compaction: a stored state costs well under 64 bytes.
TEST(Explore, StoredState_AtMost64Bytes) {
  Bounds b;
  b.in_flight = 2;
  b.losses = 0;
  b.duplicates = 0;
  b.bytes = 1;
  b.reconnects = 0;
  b.max_states = 20000;
  const auto r = search<model::kRfc9293>(b);
  ASSERT_GT(r.stats.states, 1000U);
  EXPECT_LE(r.stats.memory_bytes / r.stats.states, 64U);
}

}  // namespace
}  // namespace tcpmc::verify::explore
