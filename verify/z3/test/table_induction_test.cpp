// Induction on an explicit invariant (table_induction.hpp): Z3 accepts the
// RFC spec's reachable set as inductive, and rejects a set with a state
// missing, or a variant's set, naming the state of the set a move leaves
// from. Small bounds: each test takes seconds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <tcpmc/model/table.hpp>
#include <tcpmc/verify/explore/specs.hpp>
#include <tcpmc/verify/table/system.hpp>
#include <tcpmc/verify/z3/table_bmc_catalog.hpp>
#include <tcpmc/verify/z3/table_induction.hpp>

namespace {

namespace ex = tcpmc::verify::explore;
namespace tb = tcpmc::verify::table;
namespace vz = tcpmc::verify::z3;
using tcpmc::model::kRfc9293;

// A close whose last ACK may be lost (one in flight, one loss, 4 ticks):
// the bounds of the no-TIME-WAIT case of `tcpmc prove --long`.
const ex::Bounds kSmall = [] {
  for (const ex::VerifyCase& vc : vz::table_bmc_long_cases()) {
    if (vc.spec == "no TIME-WAIT") return vc.bounds;
  }
  throw std::logic_error("no long case for no TIME-WAIT");
}();

TEST(TableInduction, TheRfcReachableSetIsInductive) {
  const std::vector<tb::Sys> states = tb::reachable_states<kRfc9293>(kSmall);
  ASSERT_GT(states.size(), 100U);
  const vz::SetInductionResult r = vz::prove_set_inductive(kRfc9293, kSmall, states);
  EXPECT_TRUE(r.proved) << r.why_not;
  EXPECT_EQ(r.states, states.size());
  EXPECT_GT(r.diagram_nodes, 0U);
  EXPECT_FALSE(r.from.has_value());
}

// Without one of its states the set is left by the moves that reach that
// state, and Z3 names a state they leave from.
TEST(TableInduction, ASetMissingAStateIsNotInductive) {
  std::vector<tb::Sys> states = tb::reachable_states<kRfc9293>(kSmall);
  const tb::Sys missing = states[states.size() / 2];
  states.erase(states.begin() + static_cast<std::ptrdiff_t>(states.size() / 2));
  const vz::SetInductionResult r = vz::prove_set_inductive(kRfc9293, kSmall, states);
  ASSERT_FALSE(r.proved);
  EXPECT_NE(r.why_not.find("leads out of the set"), std::string::npos) << r.why_not;
  ASSERT_TRUE(r.from.has_value());
  EXPECT_NE(std::find(states.begin(), states.end(), *r.from), states.end());
  // The Stepper agrees: a move from that state reaches the missing one.
  tb::Stepper<kRfc9293> stepper(kSmall);
  std::vector<ex::Move> moves;
  stepper.moves(*r.from, moves);
  bool reaches = false;
  for (const ex::Move m : moves) {
    tb::Sys t = *r.from;
    stepper.apply(t, m);
    reaches = reaches || (!stepper.invalid() && t == missing);
  }
  EXPECT_TRUE(reaches);
}

TEST(TableInduction, TheInitialStateMustBeInTheSet) {
  std::vector<tb::Sys> states = tb::reachable_states<kRfc9293>(kSmall);
  states.erase(states.begin());  // the initial state comes first
  const vz::SetInductionResult r = vz::prove_set_inductive(kRfc9293, kSmall, states);
  EXPECT_FALSE(r.proved);
  EXPECT_EQ(r.why_not, "the initial state is not in the set");
}

// A variant's reachable set is closed, but a move from it breaks the
// invariant the variant is built to break: no TIME-WAIT, the last ACK
// lost, the FIN's retransmission answered with a reset.
TEST(TableInduction, AVariantsSetBreaksItsInvariant) {
  const auto& spec = ex::specs::no_time_wait();
  const std::vector<tb::Sys> states = tb::reachable_states<ex::specs::no_time_wait()>(kSmall);
  const vz::SetInductionResult r = vz::prove_set_inductive(spec, kSmall, states);
  ASSERT_FALSE(r.proved);
  EXPECT_NE(r.why_not.find("breaks NothingLost"), std::string::npos) << r.why_not;
  ASSERT_TRUE(r.from.has_value());
  tb::Stepper<ex::specs::no_time_wait()> stepper(kSmall);
  std::vector<ex::Move> moves;
  stepper.moves(*r.from, moves);
  bool breaks = false;
  for (const ex::Move m : moves) {
    tb::Sys t = *r.from;
    const auto v = stepper.apply(t, m);
    breaks = breaks ||
             (!stepper.invalid() && v && v->invariant == tcpmc::verify::Invariant::NothingLost);
  }
  EXPECT_TRUE(breaks);
}

}  // namespace
