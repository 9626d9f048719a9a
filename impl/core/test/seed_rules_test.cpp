// The seed notes' rules about the handshake and TIME-WAIT, each checked on
// the engine with hand-made segments.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "pair.hpp"

namespace tcpmc::core::test {
namespace {

using model::State;
using C = Connection<StackParams>;
using Seq = C::Seq;

constexpr Endpoint kUs{0xC6120002, 80};        // 198.18.0.2
constexpr Endpoint kPeer{0xC6120001, 40000};   // 198.18.0.1
const Config<StackParams> kConfig = Config<StackParams>::stack_defaults();

C::Seg from_peer(SegmentFlags flags, std::uint32_t seq, std::uint32_t ack = 0,
                 std::span<const std::byte> payload = {}) {
  C::Seg s{};
  s.source = kPeer;
  s.destination = kUs;
  s.flags = flags;
  s.seq = Seq(seq);
  s.ack = Seq(ack);
  s.window = 65535;
  s.payload = payload;
  return s;
}

std::vector<C::Seg> sent(C& c, C::Time now) {
  std::vector<C::Seg> out;
  std::byte buf[2048];
  while (auto s = c.poll_transmit(now, buf)) {
    s->payload = {};
    out.push_back(*s);
  }
  return out;
}

// Seed notes: the first and second handshake segments carry no data; data
// queued before the connection exists waits for ESTABLISHED.
TEST(SeedRules, OurSynAndSynAck_NeverCarryData) {
  C client(kConfig);
  client.open_active(0, {kPeer, kUs});
  const auto msg = pattern(100, 1);
  EXPECT_EQ(client.send(0, msg).accepted, 100U);
  std::byte buf[2048];
  auto syn = client.poll_transmit(0, buf);
  ASSERT_TRUE(syn && syn->flags.syn);
  EXPECT_TRUE(syn->payload.empty());
  C server(kConfig);
  server.open_passive(0, kUs);
  server.on_segment(0, from_peer({.syn = true}, 5000));
  EXPECT_EQ(server.send(0, msg).accepted, 100U);
  auto syn_ack = server.poll_transmit(0, buf);
  ASSERT_TRUE(syn_ack && syn_ack->flags.syn && syn_ack->flags.ack);
  EXPECT_TRUE(syn_ack->payload.empty());
}

// Seed notes and RFC 9293 3.10.7.2 (our choice, as Linux without Fast
// Open): data on a SYN is neither delivered nor kept; only the SYN is
// acknowledged, so the peer sends the data again.
TEST(SeedRules, DataOnSyn_OnlyTheSynIsAcknowledged) {
  C server(kConfig);
  server.open_passive(0, kUs);
  const auto data = pattern(300, 2);
  server.on_segment(0, from_peer({.syn = true}, 5000, 0, data));
  EXPECT_EQ(server.state(), State::SynReceived);
  EXPECT_EQ(server.rcv_nxt(), Seq(5001));
  EXPECT_EQ(server.readable(), 0U);
  EXPECT_FALSE(server.holds_buffer_memory());
  const auto out = sent(server, 0);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].ack, Seq(5001));
}

// Seed notes: the third segment may carry data, and it is delivered.
TEST(SeedRules, DataOnThirdSegment_Delivered) {
  C server(kConfig);
  server.open_passive(0, kUs);
  server.on_segment(0, from_peer({.syn = true}, 5000));
  const auto out = sent(server, 0);
  ASSERT_EQ(out.size(), 1U);
  const auto data = pattern(200, 3);
  server.on_segment(1, from_peer({.ack = true}, 5001, out[0].seq.raw() + 1, data));
  EXPECT_EQ(server.state(), State::Established);
  std::byte buf[512];
  const auto r = server.receive(1, buf);
  ASSERT_EQ(r.bytes, 200U);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), buf));
}

// Seed notes (old duplicate SYN) and RFC 9293 3.10.7.3: a SYN-ACK that
// acknowledges something we never sent is reset, and we keep waiting.
TEST(SeedRules, SynAckForOldIncarnation_ResetAndStillSynSent) {
  C client(kConfig);
  client.open_active(0, {kUs, kPeer});
  sent(client, 0);
  const std::uint32_t stale_ack = client.iss().raw() + 12345;
  C::Seg old = from_peer({.syn = true, .ack = true}, 777, stale_ack);
  old.source = kPeer;
  client.on_segment(1, old);
  EXPECT_EQ(client.state(), State::SynSent);
  const auto out = sent(client, 1);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_TRUE(out[0].flags.rst);
  EXPECT_EQ(out[0].seq, Seq(stale_ack));  // RFC 9293 3.5.2: <SEQ=SEG.ACK><CTL=RST>
}

// Builds a pair and drives it into TIME-WAIT on the client.
Pair<C> pair_in_time_wait() {
  Pair<C> p(kConfig, {}, 1);
  p.b.open_passive(0, kUs);
  p.a.open_active(0, {kPeer, kUs});
  EXPECT_TRUE(p.run_until([&] { return p.b.state() == State::Established; }));
  p.a.close(p.now);
  EXPECT_TRUE(p.run_until([&] { return p.b.state() == State::CloseWait; }));
  p.b.close(p.now);
  EXPECT_TRUE(p.run_until([&] { return p.b.state() == State::Closed; }));
  EXPECT_EQ(p.a.state(), State::TimeWait);
  return p;
}

// RFC 1337: no RST, exact or not, ends TIME-WAIT early.
TEST(SeedRules, TimeWait_Rst_Ignored) {
  Pair<C> p = pair_in_time_wait();
  C& c = p.a;
  const auto deadline = c.time_wait_deadline();
  for (std::uint32_t delta : {0U, 10U}) {
    C::Seg rst{};
    rst.source = kUs;
    rst.destination = kPeer;
    rst.seq = c.rcv_nxt() + delta;
    rst.flags = {.rst = true};
    c.on_segment(p.now + 1, rst);
    EXPECT_EQ(c.state(), State::TimeWait);
    EXPECT_EQ(c.time_wait_deadline(), deadline);
  }
}

// RFC 1122 4.2.2.13: a newer SYN for the same 4-tuple opens a new
// incarnation, whose ISS lies above everything the old one sent.
TEST(SeedRules, TimeWait_NewerSyn_NewIncarnationAboveOldSequence) {
  Pair<C> p = pair_in_time_wait();
  C& c = p.a;
  const Seq old_max = c.snd_max();
  C::Seg syn{};
  syn.source = kUs;
  syn.destination = kPeer;
  syn.seq = c.rcv_nxt() + 100000U;
  syn.flags = {.syn = true};
  syn.window = 65535;
  c.on_segment(p.now + 1, syn);
  EXPECT_EQ(c.state(), State::SynReceived);
  EXPECT_TRUE(model::after(c.iss(), old_max));
  EXPECT_EQ(c.rcv_nxt(), syn.seq + 1U);
  std::byte buf[64];
  const auto reply = c.poll_transmit(p.now + 1, buf);
  ASSERT_TRUE(reply && reply->flags.syn && reply->flags.ack);
}

// RFC 5961 section 7: challenge ACKs are rate limited per connection.
TEST(SeedRules, ChallengeAcks_RateLimited) {
  Pair<C> p(kConfig, {}, 1);
  p.b.open_passive(0, kUs);
  p.a.open_active(0, {kPeer, kUs});
  ASSERT_TRUE(p.run_until([&] { return p.b.state() == State::Established && p.in_flight() == 0; }));
  C& c = p.b;
  for (int i = 0; i < 100; ++i) {
    C::Seg syn{};
    syn.source = kPeer;
    syn.destination = kUs;
    syn.seq = Seq(static_cast<std::uint32_t>(i) * 7919U);
    syn.flags = {.syn = true};
    c.on_segment(p.now, syn);
    sent(c, p.now);
  }
  EXPECT_EQ(c.state(), State::Established);
  EXPECT_EQ(c.challenge_acks_sent(), kConfig.challenge_acks_per_window);
  EXPECT_EQ(c.challenge_acks_suppressed(), 100U - kConfig.challenge_acks_per_window);
}

// RFC 9293 3.10.7.4 eighth step: a FIN behind a hole waits for it.
TEST(SeedRules, FinAfterHole_ProcessedWhenHoleFills) {
  C server(kConfig);
  server.open_passive(0, kUs);
  server.on_segment(0, from_peer({.syn = true}, 5000));
  const auto out = sent(server, 0);
  const std::uint32_t ack = out[0].seq.raw() + 1;
  server.on_segment(0, from_peer({.ack = true}, 5001, ack));
  const auto first = pattern(100, 1), second = pattern(50, 2);
  server.on_segment(1, from_peer({.ack = true, .fin = true}, 5101, ack, second));
  EXPECT_EQ(server.state(), State::Established);
  server.on_segment(2, from_peer({.ack = true}, 5001, ack, first));
  EXPECT_EQ(server.state(), State::CloseWait);
  EXPECT_EQ(server.rcv_nxt(), Seq(5152));
  EXPECT_EQ(server.readable(), 150U);
}

}  // namespace
}  // namespace tcpmc::core::test
