// Timestamps and PAWS (RFC 7323 sections 3 to 5) and the use of timestamps
// to accept a newer SYN in TIME-WAIT (RFC 6191).
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/options.hpp>

namespace tcpmc::core {
namespace {

using model::State;
using C = Connection<StackParams>;
using Seg = C::Seg;
using Time = StackParams::Time;

constexpr Endpoint kClient{0xC6120001, 40000};  // 198.18.0.1 (the scripted peer)
constexpr Endpoint kServer{0xC6120002, 80};     // 198.18.0.2 (the connection under test)
constexpr Time kMs = 1000;
constexpr Time kDay = 24 * 3600 * StackParams::kSecond;
constexpr std::uint32_t kPeerIsn = 100000;
constexpr std::array<std::byte, 100> kData{};

Config<StackParams> config() {
  auto c = Config<StackParams>::stack_defaults();
  c.isn_secret.fill(0x33);
  return c;
}

// A server that completed a handshake with a scripted peer using
// timestamps: the peer's TSval was `tsval` on its SYN and on its ACK.
struct Server {
  C c{config()};
  C::Seq iss;
  std::uint32_t last_tsval_sent = 0;  // ours, on the last segment out
  std::array<std::byte, 2048> buf{};

  Server(Time t, std::uint32_t tsval) {
    c.open_passive(t, kServer);
    Seg syn = peer({.syn = true});
    syn.seq = C::Seq(kPeerIsn);
    syn.window_scale = 7;
    syn.timestamps = SegmentTimestamps{tsval, 0};
    c.on_segment(t, syn);
    const Seg syn_ack = *c.poll_transmit(t, buf);
    iss = syn_ack.seq;
    last_tsval_sent = syn_ack.timestamps->value;
    Seg ack = peer({.ack = true});
    ack.timestamps = SegmentTimestamps{tsval, last_tsval_sent};
    c.on_segment(t, ack);
  }

  // The peer's next segment, in sequence, acknowledging everything.
  Seg peer(SegmentFlags flags) const {
    Seg s{};
    s.source = kClient;
    s.destination = kServer;
    s.seq = c.state() == State::Listen ? C::Seq(kPeerIsn) : c.rcv_nxt();
    s.ack = c.snd_nxt();
    s.flags = flags;
    s.window = 1000;
    return s;
  }
  Seg data(std::uint32_t tsval, std::size_t n = kData.size()) const {
    Seg s = peer({.ack = true, .psh = true});
    s.payload = std::span(kData).first(n);
    s.timestamps = SegmentTimestamps{tsval, last_tsval_sent};
    return s;
  }
  std::optional<Seg> out(Time t) {
    auto s = c.poll_transmit(t, buf);
    if (s && s->timestamps) last_tsval_sent = s->timestamps->value;
    return s;
  }
};

// RFC 7323 3.2 and 4.3: TS.Recent starts at the SYN's TSval, the SYN-ACK
// echoes it, and our TSval is a millisecond clock (section 5.4).
TEST(Timestamps, Listen_Syn_RecordedAndEchoed) {
  C c(config());
  std::array<std::byte, 64> buf{};
  c.open_passive(0, kServer);
  Seg syn{};
  syn.source = kClient;
  syn.destination = kServer;
  syn.seq = C::Seq(kPeerIsn);
  syn.flags = {.syn = true};
  syn.timestamps = SegmentTimestamps{4242, 0};
  c.on_segment(7 * kMs, syn);
  EXPECT_EQ(c.ts_recent(), 4242U);
  const Seg syn_ack = *c.poll_transmit(7 * kMs, buf);
  ASSERT_TRUE(syn_ack.timestamps);
  EXPECT_EQ(syn_ack.timestamps->echo, 4242U);
  EXPECT_EQ(syn_ack.timestamps->value, c.ts_value(7 * kMs));
  EXPECT_EQ(c.ts_value(9 * kMs) - c.ts_value(7 * kMs), 2U);
  EXPECT_EQ(c.last_ack_sent(), C::Seq(kPeerIsn + 1));
}

// RFC 7323 4.3 (2): TS.Recent takes a TSval only from a segment at or
// before Last.ACK.sent, so that a delayed ACK echoes the earliest segment
// it acknowledges; (3): every segment we send echoes TS.Recent.
TEST(Timestamps, Established_DelayedAck_EchoesEarliestSegment) {
  Server s(0, 10);
  ASSERT_EQ(s.c.state(), State::Established);
  EXPECT_EQ(s.c.ts_recent(), 10U);
  s.c.on_segment(1 * kMs, s.data(20));  // at Last.ACK.sent: recorded
  EXPECT_EQ(s.c.ts_recent(), 20U);
  EXPECT_FALSE(s.out(1 * kMs));  // delayed ACK: one small segment
  s.c.on_segment(2 * kMs, s.data(30));  // beyond Last.ACK.sent: not recorded
  EXPECT_EQ(s.c.ts_recent(), 20U);
  s.c.on_timer(1 * kMs + config().delayed_ack);
  const auto ack = s.out(1 * kMs + config().delayed_ack);
  ASSERT_TRUE(ack);
  ASSERT_TRUE(ack->timestamps);
  EXPECT_EQ(ack->timestamps->echo, 20U);
  EXPECT_EQ(s.c.last_ack_sent(), s.c.rcv_nxt());
  s.c.on_segment(3 * kMs, s.data(40));  // at Last.ACK.sent again
  EXPECT_EQ(s.c.ts_recent(), 40U);
}

// RFC 7323 4.1: an ACK that advances SND.UNA gives an RTT sample from its
// TSecr (here the SYN's: the first sample sets SRTT, RFC 6298 2.2).
TEST(Timestamps, SynSent_SynAck_RttFromEcho) {
  C c(config());
  std::array<std::byte, 64> buf{};
  c.open_active(0, {kServer, kClient});
  const Seg syn = *c.poll_transmit(0, buf);
  ASSERT_TRUE(syn.timestamps);
  Seg syn_ack{};
  syn_ack.source = kClient;
  syn_ack.destination = kServer;
  syn_ack.seq = C::Seq(kPeerIsn);
  syn_ack.ack = syn.seq + 1U;
  syn_ack.flags = {.syn = true, .ack = true};
  syn_ack.window = 1000;
  syn_ack.timestamps = SegmentTimestamps{77, syn.timestamps->value};
  c.on_segment(50 * kMs, syn_ack);
  ASSERT_EQ(c.state(), State::Established);
  ASSERT_TRUE(c.rto().measured());
  EXPECT_EQ(c.rto().srtt(), 50 * kMs);
  EXPECT_EQ(c.ts_recent(), 77U);
}

// RFC 7323 4.1: a retransmitted segment's ACK still gives a sample (its
// TSecr says which transmission it answers), so Karn's rule is not needed.
TEST(Timestamps, Established_AckOfRetransmission_SampledFromEcho) {
  Server s(0, 10);
  s.c.send(1 * kMs, kData);
  const auto first = s.out(1 * kMs);
  ASSERT_TRUE(first && first->payload.size() == kData.size());
  const Time rto = s.c.rto().rto();
  s.c.on_timer(1 * kMs + rto);
  const auto again = s.out(1 * kMs + rto);
  ASSERT_TRUE(again && again->payload.size() == kData.size());
  Seg ack = s.peer({.ack = true});
  ack.ack = again->seq + static_cast<std::uint32_t>(kData.size());
  ack.timestamps = SegmentTimestamps{11, again->timestamps->value};
  ASSERT_EQ(s.c.rto().srtt(), 0U);  // the handshake's sample: no time passed
  s.c.on_segment(1 * kMs + rto + 30 * kMs, ack);
  EXPECT_EQ(s.c.snd_una(), ack.ack);
  EXPECT_EQ(s.c.rto().srtt(), 30 * kMs / 8);  // RFC 6298 2.3, alpha = 1/8
}

// RFC 7323 5.3 R1 and appendix B: an old duplicate whose sequence number
// is acceptable (the sequence space wrapped since it was sent) but whose
// TSval is older than TS.Recent is dropped, and answered with an ACK.
TEST(Paws, Established_OldTimestampAcceptableSeq_DroppedAndAcked) {
  Server s(0, 1000);
  const C::Seq rcv_nxt = s.c.rcv_nxt();
  s.c.on_segment(1 * kMs, s.data(900));
  EXPECT_EQ(s.c.rcv_nxt(), rcv_nxt);
  EXPECT_EQ(s.c.readable(), 0U);
  EXPECT_EQ(s.c.ts_recent(), 1000U);
  const auto ack = s.out(1 * kMs);
  ASSERT_TRUE(ack);
  EXPECT_TRUE(ack->flags.ack);
  EXPECT_TRUE(ack->payload.empty());
  EXPECT_EQ(ack->ack, rcv_nxt);
  EXPECT_EQ(ack->timestamps->echo, 1000U);
  // The same octets with a current timestamp are taken.
  s.c.on_segment(2 * kMs, s.data(1001));
  EXPECT_EQ(s.c.readable(), kData.size());
  EXPECT_EQ(s.c.ts_recent(), 1001U);
}

// RFC 7323 5.2: timestamps compare in a 2^32 space, so a TSval clock that
// wrapped is newer, not older.
TEST(Paws, Established_WrappedTimestampClock_Accepted) {
  Server s(0, 0xFFFFFFF0U);
  s.c.on_segment(1 * kMs, s.data(0x10));
  EXPECT_EQ(s.c.readable(), kData.size());
  EXPECT_EQ(s.c.ts_recent(), 0x10U);
  EXPECT_TRUE(ts_before(0xFFFFFFF0U, 0x10U));
}

// RFC 7323 5.3 R1: a RST is not subject to PAWS.
TEST(Paws, Established_RstWithOldTimestamp_Resets) {
  Server s(0, 1000);
  Seg rst = s.peer({.rst = true});
  rst.timestamps = SegmentTimestamps{5, 0};
  s.c.on_segment(1 * kMs, rst);
  EXPECT_EQ(s.c.state(), State::Closed);
}

// RFC 7323 3.2: once timestamps are in use, a non-RST segment without
// them is silently dropped.
TEST(Paws, Established_SegmentWithoutTimestamps_SilentlyDropped) {
  Server s(0, 1000);
  Seg d = s.data(2000);
  d.timestamps.reset();
  s.c.on_segment(1 * kMs, d);
  EXPECT_EQ(s.c.readable(), 0U);
  EXPECT_FALSE(s.out(1 * kMs));
}

// RFC 7323 5.5: after 24 days without an update TS.Recent is invalid, so
// an older TSval no longer fails PAWS (and becomes TS.Recent); within 24
// days it still does.
TEST(Paws, Established_Idle24Days_TsRecentInvalid) {
  Server s(0, 1000);
  s.c.on_segment(23 * kDay, s.data(900));
  EXPECT_EQ(s.c.readable(), 0U);
  ASSERT_TRUE(s.out(23 * kDay));  // the PAWS ACK
  s.c.on_segment(25 * kDay, s.data(900));
  EXPECT_EQ(s.c.readable(), kData.size());
  EXPECT_EQ(s.c.ts_recent(), 900U);
}

// Builds a connection in TIME-WAIT by the active close of `s.c`, the
// peer's FIN carrying TSval `tsval`; restored from its compact entry, as a
// runtime would.
C time_wait(Server& s, std::uint32_t tsval) {
  s.c.close(1 * kMs);
  const auto fin = s.out(1 * kMs);
  EXPECT_TRUE(fin && fin->flags.fin);
  Seg fin_ack = s.peer({.ack = true, .fin = true});
  fin_ack.ack = s.c.snd_max();
  fin_ack.timestamps = SegmentTimestamps{tsval, s.last_tsval_sent};
  s.c.on_segment(2 * kMs, fin_ack);
  EXPECT_TRUE(s.out(2 * kMs));  // our ACK of the peer's FIN
  EXPECT_EQ(s.c.state(), State::TimeWait);
  EXPECT_EQ(s.c.ts_recent(), tsval);
  const auto entry = s.c.time_wait_entry();
  EXPECT_TRUE(entry);
  EXPECT_TRUE(entry->timestamps);
  EXPECT_EQ(entry->ts_recent, tsval);
  return C::restore(*entry, config());
}

Seg new_syn(const C& tw, std::int32_t seq_offset, std::uint32_t tsval) {
  Seg syn{};
  syn.source = kClient;
  syn.destination = kServer;
  syn.seq = tw.rcv_nxt() + static_cast<std::uint32_t>(seq_offset);
  syn.flags = {.syn = true};
  syn.window = 1000;
  syn.timestamps = SegmentTimestamps{tsval, 0};
  return syn;
}

// The compact TIME-WAIT entry keeps TS.Recent and fits in 128 bytes.
TEST(TimeWait, Entry_KeepsTsRecent) {
  static_assert(sizeof(TimeWaitEntry<StackParams>) <= 128);
  Server s(0, 1000);
  const C tw = time_wait(s, 1500);
  EXPECT_TRUE(tw.timestamps());
  EXPECT_EQ(tw.ts_recent(), 1500U);
  EXPECT_EQ(tw.last_ack_sent(), s.c.last_ack_sent());
  EXPECT_EQ(tw.ts_value(9 * kMs), s.c.ts_value(9 * kMs));
}

// RFC 6191 section 2: with timestamps, a SYN whose TSval is newer than
// TS.Recent starts a new incarnation even though its sequence number is
// not above RCV.NXT.
TEST(TimeWait, SynWithNewerTimestampLowerSeq_NewIncarnation) {
  Server s(0, 1000);
  C tw = time_wait(s, 1500);
  const Seg syn = new_syn(tw, -5000, 1501);
  tw.on_segment(3 * kMs, syn);
  EXPECT_EQ(tw.state(), State::SynReceived);
  std::array<std::byte, 64> buf{};
  const auto syn_ack = tw.poll_transmit(3 * kMs, buf);
  ASSERT_TRUE(syn_ack);
  EXPECT_TRUE(syn_ack->flags.syn && syn_ack->flags.ack);
  EXPECT_EQ(syn_ack->ack, syn.seq + 1U);
  ASSERT_TRUE(syn_ack->timestamps);
  EXPECT_EQ(syn_ack->timestamps->echo, 1501U);
}

// RFC 6191 section 2 and RFC 7323 5.3 R1: an older TSval does not, even
// with a higher sequence number: the SYN is an old duplicate, PAWS drops
// it and the answer is an ACK of the old incarnation.
TEST(TimeWait, SynWithOlderTimestamp_StaysInTimeWait) {
  Server s(0, 1000);
  C tw = time_wait(s, 1500);
  const C before = tw;
  tw.on_segment(3 * kMs, new_syn(tw, 5000, 1499));
  EXPECT_EQ(tw.state(), State::TimeWait);
  EXPECT_EQ(tw.rcv_nxt(), before.rcv_nxt());
  EXPECT_EQ(tw.ts_recent(), 1500U);
  std::array<std::byte, 64> buf{};
  const auto reply = tw.poll_transmit(3 * kMs, buf);
  ASSERT_TRUE(reply);
  EXPECT_FALSE(reply->flags.syn);
  EXPECT_EQ(reply->ack, before.rcv_nxt());
}

// RFC 6191 section 2: an equal TSval leaves it to the sequence number.
TEST(TimeWait, SynWithEqualTimestamp_DecidedBySequenceNumber) {
  Server s(0, 1000);
  const C tw = time_wait(s, 1500);
  C lower = tw;
  lower.on_segment(3 * kMs, new_syn(tw, -5000, 1500));
  EXPECT_EQ(lower.state(), State::TimeWait);
  C higher = tw;
  higher.on_segment(3 * kMs, new_syn(tw, 5000, 1500));
  EXPECT_EQ(higher.state(), State::SynReceived);
}

// Timestamps switched off per connection: nothing is offered and PAWS
// never drops (the Config switch, issue item 6).
TEST(Timestamps, SwitchedOff_NotOfferedNoPaws) {
  auto cfg = config();
  cfg.features.timestamps = false;
  C c(cfg);
  std::array<std::byte, 64> buf{};
  c.open_active(0, {kServer, kClient});
  const Seg syn = *c.poll_transmit(0, buf);
  EXPECT_FALSE(syn.timestamps);
  EXPECT_TRUE(syn.window_scale);
}

}  // namespace
}  // namespace tcpmc::core
