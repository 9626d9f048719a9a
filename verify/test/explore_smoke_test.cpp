// The explorer as CI runs it, beside the catalog of verdicts
// (explore_catalog_test.cpp): the shape of a counterexample, what the
// attacker's shows, and the cost of a stored state. Longer searches:
// scripts/explore-long.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <vector>

namespace tcpmc::verify::explore {
namespace {

// Why 2MSL: without TIME-WAIT, a lost final ACK turns the peer's orderly
// close into a reset.
TEST(Explore, NoTimeWait_ShortestCounterexample_NothingLost) {
  Bounds b;
  b.in_flight = 2;
  b.losses = 0;
  b.duplicates = 1;
  b.bytes = 1;
  b.reconnects = 1;
  const auto r = search<specs::no_time_wait()>(b, Invariant::NothingLost);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->invariant, Invariant::NothingLost);
  const auto lines = narrate<specs::no_time_wait()>(b, r.path);
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

// The attacker's counterexample shows the injected segment, and the state
// change it caused.
TEST(Explore, PredictableIsn_CounterexampleShowsTheInjection) {
  const Bounds b = configs::attack();
  const auto r = search<specs::predictable_isn()>(b, Invariant::NoInjectionAccepted);
  ASSERT_TRUE(r.violation);
  bool injected = false;
  for (const auto& l : narrate<specs::predictable_isn()>(b, r.path)) {
    injected = injected || l.find("attacker injects") != std::string::npos;
  }
  EXPECT_TRUE(injected);
  EXPECT_NE(r.violation->detail.find("attacker"), std::string::npos) << r.violation->detail;
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

// A narration of a search that judged one invariant marks the other
// breaches on the way, and only those.
TEST(Explore, Narration_MarksBreachesNotJudged) {
  std::vector<std::string> lines = {
      "  5. client user: connect (incarnation 2)",
      "     *** IsnUnique: client chose ISN(0) again, 1 ticks after the last",
      "     *** NoOldDuplicateAccepted: server delivered byte 16"};
  mark_not_checked(lines, "NoOldDuplicateAccepted");
  EXPECT_EQ(lines[0], "  5. client user: connect (incarnation 2)");
  EXPECT_EQ(lines[1], "     *** IsnUnique: client chose ISN(0) again, 1 ticks after the last (not checked)");
  EXPECT_EQ(lines[2], "     *** NoOldDuplicateAccepted: server delivered byte 16");
}

}  // namespace
}  // namespace tcpmc::verify::explore
