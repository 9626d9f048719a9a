// The compile-time checks of table.hpp as tests, so that a failure names
// the cell; and deliberately broken tables, so that each check is seen to
// fail when it should.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/model/check.hpp>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>

namespace tcpmc::model {
namespace {

std::string explain(const CheckResult& r) {
  if (r.ok) return "ok";
  std::string s(r.problem);
  s += ": ";
  s += name(r.state);
  s += " x ";
  s += name(r.event);
  return s;
}

TEST(TableChecks, Rfc9293_PassesEveryCheck) {
  for (const CheckResult& r : check_all(kRfc9293)) {
    EXPECT_TRUE(r.ok) << describe(r.id) << ": " << explain(r);
  }
}

TEST(TableChecks, EveryVariant_PassesEveryCheck) {
  for (Variant v : kVariants) {
    const Spec s = v(rfc9293());
    for (const CheckResult& r : check_all(s)) {
      EXPECT_TRUE(r.ok) << s.name() << ": " << describe(r.id) << ": " << explain(r);
    }
  }
}

// The variants built to break a liveness property are well-formed tables
// too: what they break shows only in runs, never in the table's own checks.
TEST(TableChecks, EveryLivenessVariant_PassesEveryCheck) {
  for (Variant v : kLivenessVariants) {
    const Spec s = v(rfc9293());
    for (const CheckResult& r : check_all(s)) {
      EXPECT_TRUE(r.ok) << s.name() << ": " << describe(r.id) << ": " << explain(r);
    }
  }
}

// A second row for a cell that already has one makes the table ambiguous.
TEST(TableChecks, DuplicateRow_FailsDeterminism) {
  Spec s = rfc9293();
  s.add(Row(State::Established, Event::Fin, Guard::Always, State::Closing, {}, "broken"));
  const CheckResult r = check_deterministic(s);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.state, State::Established);
  EXPECT_EQ(r.event, Event::Fin);
}

// A guarded row overlaps an unguarded one for the same cell.
TEST(TableChecks, GuardedRowBesideAlwaysRow_FailsDeterminism) {
  Spec s = rfc9293();
  s.add(Row(State::Listen, Event::Syn, Guard::OpenedPassively, State::Closed, {}, "broken"));
  EXPECT_FALSE(check_deterministic(s).ok);
}

// Guards of different families can hold together.
TEST(TableChecks, GuardsOfTwoFamilies_FailDeterminism) {
  Spec s = rfc9293();
  s.carve(State::SynReceived, Event::RstExact, Guard::OpenedActively);
  s.add(Row(State::SynReceived, Event::RstExact, Guard::RetriesLeft, State::Closed, {},
            "broken"));
  EXPECT_FALSE(check_deterministic(s).ok);
}

// Removing a cell's only row leaves it unhandled.
TEST(TableChecks, MissingCell_FailsCompleteness) {
  Spec s = rfc9293();
  s.carve(State::FinWait2, Event::Fin, Guard::Always);
  const CheckResult r = check_complete(s);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.state, State::FinWait2);
  EXPECT_EQ(r.event, Event::Fin);
  EXPECT_EQ(r.problem, "no row for this cell");
}

// Half of a guard family leaves the other case unhandled.
TEST(TableChecks, HalfAGuardFamily_FailsCompleteness) {
  Spec s = rfc9293();
  s.carve(State::SynReceived, Event::RstExact, Guard::OpenedActively);
  const CheckResult r = check_complete(s);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.problem, "the rows' guards leave a case uncovered");
}

// With the arrows into CLOSING gone, nothing reaches it.
TEST(TableChecks, NoArrowIntoClosing_FailsReachability) {
  Spec s = rfc9293();
  s.set(State::FinWait1, Event::Fin, Guard::Always, Stay, {}, "broken");
  const CheckResult r = check_reachable_from_closed(s);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.state, State::Closing);
}

// TIME-WAIT that never times out, ignores ABORT and takes no new SYN is a trap.
TEST(TableChecks, TimeWaitWithoutExit_FailsReachesClosed) {
  Spec s = rfc9293();
  s.set(State::TimeWait, Event::SynNewerInTimeWait, Guard::Always, Stay, {}, "broken");
  s.set(State::TimeWait, Event::TimeWaitTimeout, Guard::Always, Stay, {}, "broken");
  s.set(State::TimeWait, Event::Abort, Guard::Always, Stay, {}, "broken");
  const CheckResult r = check_reaches_closed(s);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.state, State::TimeWait);
}

// An arrow that is marked unreachable does not count as a way out.
TEST(TableChecks, OnlyExitMarkedUnreachable_FailsReachesClosed) {
  Spec s = rfc9293();
  s.set(State::TimeWait, Event::SynNewerInTimeWait, Guard::Always, Stay, {}, "broken");
  s.set(State::TimeWait, Event::Abort, Guard::Always, Stay, {}, "broken");
  s.set(State::TimeWait, Event::TimeWaitTimeout, Guard::Always, State::Closed, {}, "broken",
        unreachable("for the test"));
  EXPECT_FALSE(check_reaches_closed(s).ok);
}

TEST(TableChecks, RowWithoutSection_FailsCitation) {
  Spec s = rfc9293();
  s.set(State::Established, Event::Close, Guard::Always, State::FinWait1, {Act::SendFin}, "");
  EXPECT_FALSE(check_rows_cite_source(s).ok);
}

// The broken tables above would not compile as the spec: the same checks
// run at compile time (table.hpp), which this expression repeats.
static_assert(!check_complete(Spec(kRfc9293).carve(State::Listen, Event::Syn, Guard::Always)).ok);

}  // namespace
}  // namespace tcpmc::model
