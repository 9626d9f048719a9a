// The catalog `tcpmc prove` runs: every verdict as expected, each within
// its time budget, and every counterexample renderable.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <tcpmc/verify/z3/catalog.hpp>

namespace {

namespace vz = tcpmc::verify::z3;

TEST(Catalog, EveryVerdictAsExpectedWithinBudget) {
  for (const vz::Property& p : vz::properties()) {
    const auto start = std::chrono::steady_clock::now();
    const vz::Outcome o = p.run(vz::kDefaultTimeoutMs);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(o.verdict, p.expected) << p.name << ": " << o.reason << vz::values_text(o);
    EXPECT_LT(s, 10.0) << p.name;
    if (o.verdict == vz::Verdict::Counterexample) {
      EXPECT_FALSE(o.values.empty()) << p.name;
      EXPECT_NE(vz::values_dot(p, o).find("digraph"), std::string::npos);
    }
  }
}

TEST(Catalog, NamesAreUnique) {
  std::set<std::string> names;
  for (const vz::Property& p : vz::properties()) EXPECT_TRUE(names.insert(std::string(p.name)).second);
}

}  // namespace
