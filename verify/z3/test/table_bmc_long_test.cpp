// Z3's BMC against the explorer on the variants whose counterexamples the
// catalog's bounds put out of Z3's reach (12 to 19 moves; README): each is
// run on the smallest bounds tried where its counterexample still exists,
// and Z3's first satisfiable depth must be the explorer's shortest length
// on those same bounds, its run replaying through table::Stepper to the
// expected violation. Minutes each, so not in ctest: scripts/prove-long
// runs it (a gtest filter picks one).
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string_view>

#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/z3/table_bmc.hpp>
#include <tcpmc/verify/z3/table_bmc_catalog.hpp>

namespace {

namespace ex = tcpmc::verify::explore;
namespace vz = tcpmc::verify::z3;

// The catalog's case for `spec`, on `bounds` instead of its own.
ex::VerifyCase on_bounds(std::string_view spec, const ex::Bounds& bounds) {
  for (const ex::VerifyCase& vc : ex::verify_cases()) {
    if (vc.spec == spec && vc.expected) {
      ex::VerifyCase small = vc;
      small.bounds = bounds;
      return small;
    }
  }
  ADD_FAILURE() << "no variant named " << spec << " in the catalog";
  return ex::verify_cases().front();
}

void same_length_as_explorer(std::string_view spec, const ex::Bounds& bounds) {
  const ex::VerifyCase vc = on_bounds(spec, bounds);
  ASSERT_TRUE(vc.expected.has_value());
  const ex::SearchResult shortest = vc.search_table();
  ASSERT_TRUE(shortest.violation.has_value()) << spec << ": the explorer found none";
  const tcpmc::model::Spec* table = vz::table_spec_named(vc.spec);
  ASSERT_NE(table, nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const vz::BmcResult r = vz::bmc(*table, bounds, vc.expected, 30);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << spec << " (" << bounds.describe() << "): Z3 " << r.path.size() << " moves in "
            << seconds << " s, explorer " << shortest.path.size() << " moves\n";
  ASSERT_TRUE(r.violated.has_value()) << spec << ": none up to depth " << r.depth;
  EXPECT_EQ(*r.violated, *vc.expected);
  EXPECT_EQ(r.path.size(), shortest.path.size());
  EXPECT_EQ(vz::table_replay(*table, bounds, r.path, vc.expected), vc.expected);
}

// One segment in flight, one loss, no duplicate, no byte, no reconnect.
constexpr ex::Bounds kLossyClose = {.in_flight = 1,
                                    .losses = 1,
                                    .duplicates = 0,
                                    .msl = 2,
                                    .ticks = 4,
                                    .bytes = 0,
                                    .reconnects = 0};

// The final ACK lost, and the FIN's retransmission finds no TIME-WAIT (13
// moves).
TEST(TableBmcLong, NoTimeWait_SmallBounds) { same_length_as_explorer("no TIME-WAIT", kLossyClose); }

// As above with a tick more and the attacker's one RST, which TIME-WAIT
// obeys (13 moves).
TEST(TableBmcLong, TimeWaitYieldsToRst_SmallBounds) {
  ex::Bounds b = kLossyClose;
  b.ticks = 5;
  b.injections = 1;
  same_length_as_explorer("TIME-WAIT yields to RST", b);
}

// No loss at all, and a byte to send: the passive closer's FIN+ACK
// discards its unsent byte (17 moves).
TEST(TableBmcLong, ThreeWayClose_SmallBounds) {
  ex::Bounds b = kLossyClose;
  b.losses = 0;
  b.bytes = 1;
  same_length_as_explorer("three-way close", b);
}

}  // namespace
