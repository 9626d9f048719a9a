// Z3's BMC against the explorer on the six variants whose counterexamples
// the catalog's bounds put out of Z3's reach (12 to 19 moves; README):
// each on the small bounds of table_bmc_long_cases(), where its
// counterexample still exists, Z3's first satisfiable depth must be the
// explorer's shortest length on those same bounds, and its run must replay
// through table::Stepper to the expected violation. Minutes each, so not
// in ctest: scripts/prove-long runs it (a gtest filter picks one), and
// `tcpmc prove --long` runs the same cases as properties.
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

void same_length_as_explorer(std::string_view spec) {
  const ex::VerifyCase* found = nullptr;
  for (const ex::VerifyCase& vc : vz::table_bmc_long_cases()) {
    if (vc.spec == spec) found = &vc;
  }
  ASSERT_NE(found, nullptr) << "no long case for " << spec;
  const ex::VerifyCase& vc = *found;
  ASSERT_TRUE(vc.expected.has_value());
  const ex::SearchResult shortest = vc.search_table();
  ASSERT_TRUE(shortest.violation.has_value()) << spec << ": the explorer found none";
  const tcpmc::model::Spec* table = vz::table_spec_named(vc.spec);
  ASSERT_NE(table, nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  // Each depth's end on stderr: these runs take minutes.
  const vz::BmcResult r =
      vz::bmc(*table, vc.bounds, vc.expected, vz::kTableBmcDepth, 0, [&](unsigned depth) {
        std::cerr << "  " << spec << ": none up to depth " << depth << ", " << elapsed()
                  << " s\n";
        return true;
      });
  std::cout << spec << " (" << vc.bounds.describe() << "): Z3 " << r.path.size() << " moves in "
            << elapsed() << " s, explorer " << shortest.path.size() << " moves\n";
  ASSERT_TRUE(r.violated.has_value()) << spec << ": none up to depth " << r.depth;
  EXPECT_EQ(*r.violated, *vc.expected);
  EXPECT_EQ(r.path.size(), shortest.path.size());
  EXPECT_EQ(vz::table_replay(*table, vc.bounds, r.path, vc.expected), vc.expected);
}

// The cases' bounds and what each counterexample shows are in
// table_bmc_catalog.cpp; the lengths below are the explorer's.
TEST(TableBmcLong, NoTimeWait_SmallBounds) { same_length_as_explorer("no TIME-WAIT"); }  // 13
TEST(TableBmcLong, TimeWaitYieldsToRst_SmallBounds) {
  same_length_as_explorer("TIME-WAIT yields to RST");  // 13
}
TEST(TableBmcLong, ThreeWayClose_SmallBounds) { same_length_as_explorer("three-way close"); }  // 17
TEST(TableBmcLong, ShortTimeWait_SmallBounds) { same_length_as_explorer("short TIME-WAIT"); }  // 14
TEST(TableBmcLong, DataOnSyn_SmallBounds) { same_length_as_explorer("data on SYN"); }  // 10
TEST(TableBmcLong, FixedIsn_SmallBounds) { same_length_as_explorer("fixed ISN"); }  // 9

}  // namespace
