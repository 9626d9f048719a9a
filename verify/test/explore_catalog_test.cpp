// Every run `tcpmc verify` makes gives its expected verdict: the RFC spec
// holds on each configuration, each variant is refuted by the invariant
// its seed question is about. And both levels of the explorer (DESIGN.md
// principle 9) give that verdict: the engine's and the table's.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <tcpmc/verify/explore/catalog.hpp>

namespace tcpmc::verify::explore {
namespace {

std::string verdict(const SearchResult& r) {
  return r.violation ? std::string(name(r.violation->invariant)) + ": " + r.violation->detail
         : r.complete ? "no violation"
                      : "incomplete";
}

class Catalog : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Catalog, VerdictAsExpected_BothLevelsAgree) {
  const VerifyCase& c = verify_cases()[GetParam()];
  ASSERT_FALSE(c.bounds.validate());
  const SearchResult r = c.search();
  EXPECT_TRUE(c.as_expected(r)) << c.spec << " on " << c.config << ": " << verdict(r);
  if (c.expected) {
    // A shortest counterexample, replayed, ends in a violation: the one
    // asked about, or (time-wait-yields-to-rst) the rule the variant
    // breaks in the same move, which the narration names first.
    const auto lines = c.narrate(c.bounds, r.path);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back().find("*** "), std::string::npos) << lines.back();
    EXPECT_EQ(r.path.size(), r.stats.depth + 1);
  }

  // The table level on the same bounds, judging the same invariant.
  const SearchResult t = c.search_table();
  EXPECT_TRUE(c.as_expected(t)) << c.spec << " on " << c.config << ", table level: " << verdict(t);
  EXPECT_EQ(t.violation.has_value(), r.violation.has_value());
  if (t.violation && r.violation) {
    EXPECT_EQ(t.violation->invariant, r.violation->invariant);
    const auto lines = c.narrate_table(c.bounds, t.path);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back().find("*** "), std::string::npos) << lines.back();
    EXPECT_EQ(t.path.size(), t.stats.depth + 1);
  }
  std::printf("[ agree    ] %s on %s: impl %s (%zu moves, %llu states), table %s (%zu moves, "
              "%llu states)\n",
              std::string(c.spec).c_str(), std::string(c.config).c_str(),
              r.violation ? "refutes" : "holds", r.path.size(),
              static_cast<unsigned long long>(r.stats.states), t.violation ? "refutes" : "holds",
              t.path.size(), static_cast<unsigned long long>(t.stats.states));
}

INSTANTIATE_TEST_SUITE_P(Explore, Catalog,
                         ::testing::Range<std::size_t>(0, verify_cases().size()));

}  // namespace
}  // namespace tcpmc::verify::explore
