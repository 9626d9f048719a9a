// The grid (STYLE.md item 11; issue 5, "The grid"): every state x segment
// kind x sequence position x window, the reply and next state of each cell
// compared with the hand-written RFC fixture of rules.hpp. The test prints
// the grid's size and every cell that differs, then fails if any does.
#include "grid.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string>
#include <vector>

#include "rules.hpp"

namespace tcpmc::core::test::grid {
namespace {

struct Tally {
  std::size_t cells = 0;
  std::vector<std::string> differences;
};

template <class C>
void run_subject(const Subject<C>& subject, Tally& tally) {
  for (Window w : {Window::Open, Window::Zero}) {
    const bool full = w == Window::Zero && subject.window_can_close;
    const C fixture = subject.make(full ? Buffer::Full : Buffer::Empty);
    for (Kind k : kAllKinds) {
      for (Position p : positions(subject.state, w, subject.window_can_close)) {
        const auto cell = make_cell(subject, k, p, w);
        const auto expected = expect(cell);
        const auto got = run_cell(fixture, segment_for<C>(cell));
        ++tally.cells;
        if (matches(expected, got)) continue;
        tally.differences.push_back(
            std::string(subject.label) + " | " + std::string(name(k)) + " | " +
            std::string(name(p)) + " | window " + (w == Window::Zero ? "zero" : "open") +
            (w == Window::Zero && !subject.window_can_close ? " (SEG.WND=0)" : "") +
            "\n    expected: " + describe(expected) + "\n    got:      " + describe(got) +
            "\n    rule:     " + std::string(expected.clause));
      }
    }
  }
}

template <class C>
Tally run_grid() {
  Tally tally;
  const auto all = subjects<C>();
  // The states come from the model's enumeration, so a state added there
  // without a fixture here fails rather than going untested.
  for (model::State s : model::kAllStates) {
    std::size_t found = 0;
    for (const auto& subject : all) {
      if (subject.state != s) continue;
      ++found;
      run_subject(subject, tally);
    }
    EXPECT_GT(found, 0U) << "no grid fixture for " << model::rfc_name(s);
  }
  return tally;
}

template <class C>
void check_grid(std::string_view params) {
  const Tally t = run_grid<C>();
  // The grid's size goes into the test's recorded properties (shown by
  // --gtest_output=json or xml); the cells that differ, into the failure.
  testing::Test::RecordProperty(std::string(params) + "_cells", static_cast<int>(t.cells));
  testing::Test::RecordProperty(std::string(params) + "_differ",
                                static_cast<int>(t.differences.size()));
  std::string listing;
  for (const auto& d : t.differences) listing.append("  ").append(d).append("\n");
  EXPECT_TRUE(t.differences.empty()) << "grid (" << params << "): " << t.differences.size()
                                     << " of " << t.cells
                                     << " cells differ from the RFC fixture:\n"
                                     << listing;
  EXPECT_GT(t.cells, 800U);
}

// RFC 9293 3.10.7, RFC 5961 3.2, 4.2, RFC 1337 3: every cell at 32 bits.
TEST(Grid, StackParams_EveryCell_MatchesRfcFixture) {
  check_grid<Connection<StackParams>>("StackParams");
}

// The same cells in the explorer's 4-bit sequence space and 3-octet window.
TEST(Grid, SmallParams_EveryCell_MatchesRfcFixture) {
  check_grid<Connection<SmallParams>>("SmallParams");
}

}  // namespace
}  // namespace tcpmc::core::test::grid
