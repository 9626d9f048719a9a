// Every run `tcpmc verify` makes gives its expected verdict: the RFC spec
// holds on each configuration, each variant is refuted by the invariant
// its seed question is about.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/verify/explore/catalog.hpp>

namespace tcpmc::verify::explore {
namespace {

class Catalog : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Catalog, VerdictAsExpected) {
  const VerifyCase& c = verify_cases()[GetParam()];
  ASSERT_FALSE(c.bounds.validate());
  const SearchResult r = c.search();
  EXPECT_TRUE(c.as_expected(r)) << c.spec << " on " << c.config << ": "
                                << (r.violation ? std::string(name(r.violation->invariant)) + ": " +
                                                      r.violation->detail
                                                : r.complete ? "no violation" : "incomplete");
  if (c.expected) {
    // A shortest counterexample, replayed, ends in a violation: the one
    // asked about, or (time-wait-yields-to-rst) the rule the variant
    // breaks in the same move, which the narration names first.
    const auto lines = c.narrate(c.bounds, r.path);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back().find("*** "), std::string::npos) << lines.back();
    EXPECT_EQ(r.path.size(), r.stats.depth + 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Explore, Catalog,
                         ::testing::Range<std::size_t>(0, verify_cases().size()));

}  // namespace
}  // namespace tcpmc::verify::explore
