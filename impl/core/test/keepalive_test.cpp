// Keep-alive (RFC 9293 section 3.8.4, RFC 1122 4.2.3.6), switched on per
// connection with Features::keepalive, on an in-memory pair.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <tcpmc/core/connection.hpp>
#include <vector>

#include "pair.hpp"

namespace tcpmc::core {
namespace {

using model::State;
using C = Connection<StackParams>;
using Seg = C::Seg;
using Time = StackParams::Time;

constexpr Endpoint kClient{0xC6120001, 40000};  // 198.18.0.1
constexpr Endpoint kServer{0xC6120002, 80};     // 198.18.0.2
constexpr Time kSecond = StackParams::kSecond;
constexpr Time kIdle = 100 * kSecond;
constexpr Time kInterval = 10 * kSecond;

Config<StackParams> keepalive_config(bool on) {
  auto c = Config<StackParams>::stack_defaults();
  c.features.keepalive = on;
  c.keepalive = {kIdle, kInterval, 3};
  return c;
}

// A pair after its handshake, the link quiet; returns when the client
// last heard from the server.
struct Quiet {
  test::Pair<C> p;
  Time heard = 0;
  std::size_t trace_mark = 0;
  C::Seq probe_seq;  // SND.NXT - 1, in the RFC's sense of SND.NXT
  explicit Quiet(const Config<StackParams>& config) : p(config, {.delay = 1000}, 1) {
    p.b.open_passive(p.now, kServer);
    p.a.open_active(p.now, {kClient, kServer});
    p.run_until([&] { return p.a.state() == State::Established && p.in_flight() == 0; });
    heard = p.now;
    trace_mark = p.trace_a.size();
    probe_seq = p.a.snd_max() - 1U;
  }
  std::vector<Seg> probes() const {
    std::vector<Seg> out;
    for (std::size_t i = trace_mark; i < p.trace_a.size(); ++i) {
      if (p.trace_a[i].seq == probe_seq) out.push_back(p.trace_a[i]);
    }
    return out;
  }
};

// RFC 1122 4.2.3.6: off unless the application asks for it.
TEST(Keepalive, Defaults_Off_NoDeadline) {
  const auto config = Config<StackParams>::stack_defaults();
  EXPECT_FALSE(config.features.keepalive);
  EXPECT_GE(config.keepalive.idle, 2 * 3600 * kSecond);  // "no less than two hours"
  Quiet q(config);
  EXPECT_FALSE(q.p.a.keepalive_deadline().has_value());
  EXPECT_FALSE(q.p.a.next_deadline().has_value());
}

// RFC 9293 3.8.4: after the idle time a probe with SEG.SEQ = SND.NXT - 1
// and no data; the peer answers it with an ACK, which resets the count.
TEST(Keepalive, Established_IdleTime_ProbeAnsweredByAck) {
  Quiet q(keepalive_config(true));
  ASSERT_EQ(q.p.a.keepalive_deadline(), q.heard + kIdle);
  q.p.run_until([&] {
    return q.p.a.counters().keepalive_probes == 1 && q.p.a.keepalive_probes_unanswered() == 0;
  });
  const auto probes = q.probes();
  ASSERT_EQ(probes.size(), 1U);
  EXPECT_TRUE(probes[0].flags.ack);
  EXPECT_TRUE(probes[0].payload.empty());
  EXPECT_EQ(probes[0].ack, q.p.a.rcv_nxt());
  EXPECT_EQ(q.p.now, q.heard + kIdle + 2000);  // the ACK came back after one round trip
  EXPECT_EQ(q.p.a.state(), State::Established);
  EXPECT_EQ(q.p.a.keepalive_probes_unanswered(), 0U);
  EXPECT_EQ(q.p.a.keepalive_deadline(), q.p.now + kIdle);
}

// RFC 1122 4.2.3.6: a peer that answers nothing is given up on after the
// probe count; the user learns that the keep-alive timed out.
TEST(Keepalive, Established_PeerSilent_AbortedAfterProbeCount) {
  Quiet q(keepalive_config(true));
  q.p.drop = [](bool from_a, const Seg&) { return !from_a; };
  bool timed_out = false;
  q.p.run_until([&] {
    while (auto e = q.p.a.poll_event()) timed_out = timed_out || *e == UserEvent::TimedOut;
    return q.p.a.state() == State::Closed;
  });
  EXPECT_TRUE(timed_out);
  EXPECT_EQ(q.p.a.counters().timeout_cause, TimeoutCause::Keepalive);
  EXPECT_EQ(q.p.a.counters().keepalive_probes, 3U);
  EXPECT_EQ(q.probes().size(), 3U);
  EXPECT_EQ(q.p.now, q.heard + kIdle + 3 * kInterval);
}

// RFC 1122 4.2.3.6: the timer counts silence from the peer, so its
// traffic moves the probe out and clears the unanswered count.
TEST(Keepalive, Established_PeerTraffic_ResetsTimer) {
  Quiet q(keepalive_config(true));
  // The first probe goes unanswered...
  q.p.drop = [](bool from_a, const Seg&) { return !from_a; };
  q.p.run_until([&] { return q.p.a.counters().keepalive_probes == 1 && q.p.in_flight() == 0; });
  EXPECT_EQ(q.p.a.keepalive_probes_unanswered(), 1U);
  // ...then the server sends data.
  q.p.drop = nullptr;
  const std::vector<std::byte> data(100, std::byte{7});
  q.p.b.send(q.p.now, data);
  const Time sent = q.p.now;
  q.p.run_until([&] { return q.p.a.readable() == 100; });
  EXPECT_EQ(q.p.a.keepalive_probes_unanswered(), 0U);
  EXPECT_EQ(q.p.a.keepalive_deadline(), sent + 1000 + kIdle);
  EXPECT_EQ(q.p.a.state(), State::Established);
}

// Features::keepalive per connection: a server without it never probes,
// and answers the client's probes all the same.
TEST(Keepalive, SwitchedOffOnOneSide_OnlyTheOtherProbes) {
  auto client = keepalive_config(true);
  auto server = keepalive_config(false);
  test::Pair<C> p(client, {.delay = 1000}, 1);
  p.b = C(server);
  p.b.open_passive(p.now, kServer);
  p.a.open_active(p.now, {kClient, kServer});
  p.run_until([&] {
    return p.a.counters().keepalive_probes == 2 && p.a.keepalive_probes_unanswered() == 0;
  });
  EXPECT_EQ(p.b.counters().keepalive_probes, 0U);
  EXPECT_FALSE(p.b.keepalive_deadline().has_value());
  EXPECT_EQ(p.a.state(), State::Established);
  EXPECT_EQ(p.b.state(), State::Established);
}

}  // namespace
}  // namespace tcpmc::core
