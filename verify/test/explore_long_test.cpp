// Longer searches, run by scripts/explore-long rather than by ctest (each
// takes seconds to minutes): the seed's variants, each refuted by the
// consequence its rule prevents, and the RFC spec on the same
// configuration. That configuration (two in flight, a duplicate, a
// reconnect) is large: one invariant alone took 85M states and 8 GB. The
// configurations searched to the end in CI are in explore/catalog.hpp.
#include <gtest/gtest.h>

#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/search.hpp>

namespace tcpmc::verify::explore {
namespace {

inline constexpr model::Spec kRfc = model::rfc9293();
inline constexpr model::Spec kTwoWay = model::two_way_handshake(model::rfc9293());
inline constexpr model::Spec kFixedIsn = model::fixed_isn(model::rfc9293());
inline constexpr model::Spec kNoTimeWait = model::no_time_wait(model::rfc9293());
inline constexpr model::Spec kDataOnSyn = model::data_on_syn(model::rfc9293());
inline constexpr model::Spec kThreeWayClose = model::three_way_close(model::rfc9293());

Bounds small() {
  Bounds b;
  b.in_flight = 2;
  b.losses = 0;
  b.duplicates = 1;
  b.bytes = 1;
  b.reconnects = 1;
  b.ticks = 10;
  return b;
}

template <const model::Spec& S>
void print(const SearchResult& r, const Bounds& b) {
  std::printf("%s: %s, %llu states, %llu transitions, depth %llu, %.2f s\n",
              std::string(S.name()).c_str(),
              r.violation ? std::string(name(r.violation->invariant)).c_str()
                          : (r.complete ? "no violation" : "incomplete"),
              static_cast<unsigned long long>(r.stats.states),
              static_cast<unsigned long long>(r.stats.transitions),
              static_cast<unsigned long long>(r.stats.depth), r.stats.seconds);
  if (r.violation) {
    for (const auto& line : narrate<S>(b, r.path)) std::printf("  %s\n", line.c_str());
  }
}

TEST(ExploreLong, Rfc9293_SmallConfiguration_NoViolation) {
  const auto r = search<kRfc>(small());
  print<kRfc>(r, small());
  EXPECT_TRUE(r.complete);
  EXPECT_FALSE(r.violation) << name(r.violation->invariant) << ": " << r.violation->detail;
  EXPECT_GT(r.stats.states, 1000U);
}

TEST(ExploreLong, TwoWayHandshake_PhantomConnection) {
  const auto r = search<kTwoWay>(small(), Invariant::NoPhantomConnection);
  print<kTwoWay>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, FixedIsn_OldDuplicateAccepted) {
  const auto r = search<kFixedIsn>(small(), Invariant::NoOldDuplicateAccepted);
  print<kFixedIsn>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, NoTimeWait_NothingLost) {
  const auto r = search<kNoTimeWait>(small(), Invariant::NothingLost);
  print<kNoTimeWait>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, DataOnSyn_OldDuplicateAccepted) {
  const auto r = search<kDataOnSyn>(small(), Invariant::NoOldDuplicateAccepted);
  print<kDataOnSyn>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, ThreeWayClose_NothingLost) {
  const auto r = search<kThreeWayClose>(small(), Invariant::NothingLost);
  print<kThreeWayClose>(r, small());
  ASSERT_TRUE(r.violation);
}

}  // namespace
}  // namespace tcpmc::verify::explore
