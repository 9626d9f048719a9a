// Row coverage measured in one process (issue 5): every enrolled scenario
// runs here in turn, and the test fails unless every row of the table that
// can fire (no unreachable(...) note) was seen to fire by some scenario.
#include <gtest/gtest.h>

#include <string>

#include <cstddef>
#include <string>

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
  std::string listing;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].fires()) continue;
    ++firing;
    if (fired.test(i)) continue;
    ++missed;
    listing.append("  never fired: row ").append(std::to_string(i)).append(" ");
    listing.append(model::name(rows[i].event)).append(" [").append(model::name(rows[i].guard));
    listing.append("] from");
    for (State st : model::kAllStates) {
      if (rows[i].from.contains(st)) listing.append(" ").append(model::rfc_name(st));
    }
    listing.append(" (").append(rows[i].section).append(")\n");
  }
  testing::Test::RecordProperty("firing_rows", static_cast<int>(firing));
  testing::Test::RecordProperty("rows_fired", static_cast<int>(firing - missed));
  testing::Test::RecordProperty("scenarios", static_cast<int>(enrolled().size()));
  EXPECT_EQ(missed, 0U) << missed << " of " << firing << " firing row(s) never fired:\n"
                        << listing;
}

}  // namespace
}  // namespace tcpmc::core::test::rows
