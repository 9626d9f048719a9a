// Row coverage (issue 5, "Row coverage"): one scenario per firing row of
// the RFC 9293 table, each a GoogleTest of its own and also enrolled here,
// so that rows_coverage_test.cpp can run them all in one process and list
// the rows that no scenario made fire.
//
// A scenario proves its row fired by finding it in Connection::last_rows()
// (expect_row) right after the call that should fire it, and then checks
// what the row does that can be seen from outside.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "support/drive.hpp"
#include "support/segments.hpp"
#include "support/states.hpp"

namespace tcpmc::core::test::rows {

using C = Connection<StackParams>;
using Seq = C::Seq;
using model::Event;
using model::Guard;
using model::State;

using RowSet = std::bitset<model::kMaxRows>;

struct Scenario {
  std::string_view name;
  void (*run)(RowSet&);
};

// Filled before main() by the scenarios' static enrolments, read only after.
inline std::vector<Scenario>& enrolled() {
  static std::vector<Scenario> all;
  return all;
}

inline bool enrol(std::string_view name, void (*run)(RowSet&)) {
  enrolled().push_back({name, run});
  return true;
}

// The index in kSpec.rows() of the row for (state, event, guard).
inline std::optional<std::size_t> row_index(State s, Event e, Guard g = Guard::Always) {
  const auto rows = C::kSpec.rows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].matches(s, e) && rows[i].guard == g) return i;
  }
  return std::nullopt;
}

// The most recent call on `c` fired the row for (state, event, guard).
inline void expect_row(RowSet& fired, const C& c, State s, Event e, Guard g = Guard::Always) {
  const auto want = row_index(s, e, g);
  ASSERT_TRUE(want.has_value()) << "the table has no row for " << model::rfc_name(s) << " "
                                << model::name(e) << " [" << model::name(g) << "]";
  const auto got = c.last_rows();
  const bool hit = std::find(got.begin(), got.end(), *want) != got.end();
  EXPECT_TRUE(hit) << "row " << *want << " (" << model::rfc_name(s) << " " << model::name(e)
                   << ") did not fire";
  if (hit) fired.set(*want);
}

inline bool has(const std::vector<UserEvent>& v, UserEvent e) {
  return std::find(v.begin(), v.end(), e) != v.end();
}

}  // namespace tcpmc::core::test::rows

// Defines scenario `Name` (a function of `fired`, the rows seen to fire),
// enrols it for the coverage run, and makes it a test of its own.
#define TCPMC_ROW_SCENARIO(Name)                                                                \
  void Name(::tcpmc::core::test::rows::RowSet& fired);                                          \
  [[maybe_unused]] const bool Name##_enrolled = ::tcpmc::core::test::rows::enrol(#Name, &Name); \
  TEST(Rows, Name) {                                                                            \
    ::tcpmc::core::test::rows::RowSet fired;                                                    \
    Name(fired);                                                                                \
  }                                                                                             \
  void Name(::tcpmc::core::test::rows::RowSet& fired)
