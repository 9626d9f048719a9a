// The invariant monitor catches what it is named for, and random operation
// sequences (the fuzzer's driver, on seeded input) break no invariant.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/connection_ops.hpp>
#include <tcpmc/verify/monitor.hpp>
#include <vector>

namespace tcpmc::verify {
namespace {

using Stack = core::Connection<core::StackParams>;
using Small = core::Connection<core::SmallParams>;

template <class C>
std::uint64_t run_random(std::uint64_t seeds, std::size_t bytes) {
  std::uint64_t clean = 0;
  OpsStats stats;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::uint8_t> input(bytes);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    const auto v = run_connection_ops<C>(input, 512, &stats);
    EXPECT_FALSE(v) << "seed " << seed << ": " << name(v->invariant) << ": " << v->detail;
    clean += v ? 0U : 1U;
  }
  // Random operations get everywhere: every state is visited, data is
  // delivered, segments go out. Otherwise "no violation" would mean little.
  for (model::State s : model::kAllStates) {
    EXPECT_GT(stats.visits[model::index(s)], 0U) << model::name(s) << " never visited";
  }
  EXPECT_GT(stats.bytes_delivered, 0U);
  EXPECT_GT(stats.segments_sent, stats.ops / 10);
  return clean;
}

TEST(ConnectionOps, RandomInputs_Stack_NoInvariantBroken) { EXPECT_EQ(run_random<Stack>(3000, 2000), 3000U); }
TEST(ConnectionOps, RandomInputs_Small_NoInvariantBroken) { EXPECT_EQ(run_random<Small>(3000, 2000), 3000U); }

// The monitor's checks can fail: a delivered byte that is not the peer's.
TEST(Monitor, ForeignByte_NoByteDeliveredTwice) {
  Stack c(core::Config<core::StackParams>::stack_defaults());
  ConnectionMonitor<Stack> m(&peer_byte<Stack::Seq>, 1);
  c.open_passive(0, {1, 80});
  core::Segment<Stack::Seq> syn{};
  syn.flags.syn = true;
  syn.seq = Stack::Seq(100);
  c.on_segment(0, syn);
  m.after_call(c, model::State::Listen, 0);
  ASSERT_FALSE(m.violation());
  const std::byte wrong[1] = {static_cast<std::byte>(~static_cast<unsigned>(peer_byte(Stack::Seq(101))))};
  m.delivered(wrong);
  ASSERT_TRUE(m.violation());
  EXPECT_EQ(m.violation()->invariant, Invariant::NoByteDeliveredTwice);
}

TEST(Monitor, DataOnOurSyn_NoDataOnSyn) {
  ConnectionMonitor<Stack> m(&peer_byte<Stack::Seq>, 1);
  core::Segment<Stack::Seq> syn{};
  syn.flags.syn = true;
  const std::byte data[3]{};
  syn.payload = data;
  m.sent(syn);
  ASSERT_TRUE(m.violation());
  EXPECT_EQ(m.violation()->invariant, Invariant::NoDataOnSyn);
}

// A state the fired rows do not lead to is caught.
TEST(Monitor, StateNotReachedByRows_StatesFollowTable) {
  Stack c(core::Config<core::StackParams>::stack_defaults());
  ConnectionMonitor<Stack> m(&peer_byte<Stack::Seq>, 1);
  c.open_passive(0, {1, 80});  // fired CLOSED -> LISTEN
  m.after_call(c, model::State::Established, 0);  // claim it started elsewhere
  ASSERT_TRUE(m.violation());
  EXPECT_EQ(m.violation()->invariant, Invariant::StatesFollowTable);
}

inline constexpr model::Spec kNoTimeWait = model::no_time_wait(model::rfc9293());

// The no-TIME-WAIT variant leaves TIME-WAIT at once: the monitor, told the
// RFC's 2MSL, objects.
TEST(Monitor, TimeWaitCutShort_TimeWaitLasts2Msl) {
  using V = core::Connection<core::StackParams, kNoTimeWait>;
  auto config = core::Config<core::StackParams>::stack_defaults();
  V c(config);
  ConnectionMonitor<V> m(&peer_byte<V::Seq>, 2 * config.msl);
  // Drive c to TIME-WAIT through CLOSE and the peer's ACK and FIN.
  c.open_active(0, {{1, 40000}, {2, 80}});
  std::byte buf[64];
  const auto syn = c.poll_transmit(0, buf);
  core::Segment<V::Seq> s{};
  s.flags = {.syn = true, .ack = true};
  s.seq = V::Seq(500);
  s.ack = syn->seq + 1U;
  s.window = 1000;
  c.on_segment(0, s);
  c.close(0);
  while (c.poll_transmit(0, buf)) {
  }
  s.flags = {.ack = true, .fin = true};
  s.seq = V::Seq(501);
  s.ack = c.snd_max();
  model::State before = c.state();
  c.on_segment(1, s);
  m.after_call(c, before, 1);
  ASSERT_EQ(c.state(), model::State::TimeWait);
  before = c.state();
  c.on_timer(1);
  m.after_call(c, before, 1);
  ASSERT_TRUE(m.violation());
  EXPECT_EQ(m.violation()->invariant, Invariant::TimeWaitLasts2Msl);
}

}  // namespace
}  // namespace tcpmc::verify
