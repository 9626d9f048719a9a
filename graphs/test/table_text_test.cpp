// `tcpmc table` output: every row in RFC order, and the decisions listed.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/graphs/table_text.hpp>
#include <tcpmc/model/table.hpp>

namespace tcpmc::graphs {
namespace {

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(TableText, Rows_OneLinePerRowInTableOrder) {
  const std::string text = table_text(model::kRfc9293, TableView::Rows);
  EXPECT_NE(text.find(std::to_string(model::kRfc9293.size()) + " of " +
                      std::to_string(model::kRfc9293.size()) + " rows"),
            std::string::npos);
  // OPEN comes before SEGMENT ARRIVES, which comes before the timeouts.
  const auto open = text.find("OpenPassive");
  const auto arrives = text.find("(3.10.7.1)");
  const auto timeout = text.find("TimeWaitTimeout");
  EXPECT_LT(open, arrives);
  EXPECT_LT(arrives, timeout);
  EXPECT_NE(text.find("TIME-WAIT"), std::string::npos);
}

TEST(TableText, Ambiguities_ListsEachDecisionOnce) {
  std::size_t expected = 0;
  for (const model::Row& r : model::kRfc9293.rows()) {
    expected += r.note.kind == model::NoteKind::Ambiguity ? 1U : 0U;
  }
  const std::string text = table_text(model::kRfc9293, TableView::Ambiguities);
  EXPECT_EQ(count(text, "RFC-AMBIGUITY: "), expected);
  EXPECT_EQ(count(text, "unreachable: "), 0U);
}

TEST(TableText, Unreachable_ListsReasons) {
  const std::string text = table_text(model::kRfc9293, TableView::Unreachable);
  EXPECT_GT(count(text, "unreachable: "), 5U);
  EXPECT_EQ(count(text, "RFC-AMBIGUITY: "), 0U);
}

}  // namespace
}  // namespace tcpmc::graphs
