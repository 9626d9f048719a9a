// Row coverage measured in one process (issue 5): every enrolled scenario
// runs here in turn, and the test fails unless every row of the table that
// can fire (no unreachable(...) note) was seen to fire by some scenario.
#include <gtest/gtest.h>

#include <cstddef>
#include <iostream>

#include "rows.hpp"

namespace tcpmc::core::test::rows {
namespace {

// Issue 5, "Row coverage": 100% of the firing rows of RFC 9293's table.
TEST(RowCoverage, AllScenarios_EveryFiringRowFired) {
  RowSet fired;
  for (const Scenario& s : enrolled()) {
    SCOPED_TRACE(s.name);
    s.run(fired);
  }
  const auto rows = C::kSpec.rows();
  std::size_t firing = 0;
  std::size_t missed = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].fires()) continue;
    ++firing;
    if (fired.test(i)) continue;
    ++missed;
    std::cout << "  never fired: row " << i << " " << model::name(rows[i].event) << " ["
              << model::name(rows[i].guard) << "] from";
    for (State st : model::kAllStates) {
      if (rows[i].from.contains(st)) std::cout << " " << model::rfc_name(st);
    }
    std::cout << " (" << rows[i].section << ")\n";
  }
  std::cout << "row coverage: " << (firing - missed) << " of " << firing << " firing rows, "
            << enrolled().size() << " scenarios\n";
  EXPECT_EQ(missed, 0U) << missed << " firing row(s) never fired (listed above)";
}

}  // namespace
}  // namespace tcpmc::core::test::rows
