// Congestion control (RFC 5681, RFC 6928, RFC 6582), switched on per
// connection with Features::congestion_control.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <tcpmc/core/connection.hpp>
#include <vector>

#include "pair.hpp"

namespace tcpmc::core {
namespace {

using model::State;
using C = Connection<StackParams>;
using Seg = C::Seg;
using Time = StackParams::Time;

constexpr Endpoint kClient{0xC6120001, 40000};  // 198.18.0.1 (the scripted peer)
constexpr Endpoint kServer{0xC6120002, 80};     // 198.18.0.2 (the sender under test)

Config<StackParams> with_cc(bool timestamps) {
  auto c = Config<StackParams>::stack_defaults();
  c.features.congestion_control = true;
  c.features.timestamps = timestamps;
  return c;
}

// A passive sender after a handshake with a scripted peer (MSS 1460, a
// 1 MiB window, no timestamps), with `bytes` queued.
struct Sender {
  C c;
  std::vector<std::byte> data;
  std::array<std::byte, 2048> buf{};

  Sender(const Config<StackParams>& config, std::size_t bytes)
      : c(config), data(test::pattern(bytes, 3)) {
    c.open_passive(0, kServer);
    Seg syn = from_peer({.syn = true});
    syn.seq = C::Seq(5000);
    syn.mss = 1460;
    syn.window = 65535;
    syn.window_scale = 4;
    c.on_segment(0, syn);
    c.poll_transmit(0, buf);
    c.on_segment(0, ack(c.snd_nxt()));
    c.send(0, data);
  }
  Seg from_peer(SegmentFlags f) const {
    Seg s{};
    s.source = kClient;
    s.destination = kServer;
    s.seq = c.rcv_nxt();
    s.flags = f;
    s.window = 65535;  // << 4: 1 MiB
    return s;
  }
  Seg ack(C::Seq n) const {
    Seg s = from_peer({.ack = true});
    s.ack = n;
    return s;
  }
  // Everything the sender sends now: its payload octets and segments.
  std::vector<Seg> flush(Time t) {
    std::vector<Seg> out;
    while (auto s = c.poll_transmit(t, buf)) {
      Seg copy = *s;
      copy.payload = {};
      copy.window = static_cast<std::uint32_t>(s->payload.size());  // keeps the length
      out.push_back(copy);
    }
    return out;
  }
};

std::uint32_t octets(const std::vector<Seg>& segs) {
  std::uint32_t n = 0;
  for (const Seg& s : segs) n += s.window;
  return n;
}

// RFC 6928 section 2: IW = min(10 * SMSS, max(2 * SMSS, 14600)).
TEST(Congestion, Established_InitialWindow_Rfc6928) {
  Sender s(with_cc(false), 100000);
  ASSERT_EQ(s.c.state(), State::Established);
  EXPECT_EQ(s.c.cwnd(), 14600U);
  EXPECT_EQ(octets(s.flush(1)), 14600U);
}

// RFC 9293 3.7.1: with timestamps each segment carries 12 octets fewer, so
// SMSS and the initial window shrink with it.
TEST(Congestion, Established_Timestamps_SmssLessOptions) {
  auto config = with_cc(true);
  C c(config);
  std::array<std::byte, 64> buf{};
  c.open_passive(0, kServer);
  Seg syn{};
  syn.source = kClient;
  syn.destination = kServer;
  syn.seq = C::Seq(5000);
  syn.flags = {.syn = true};
  syn.mss = 1460;
  syn.window = 65535;
  syn.timestamps = SegmentTimestamps{1, 0};
  c.on_segment(0, syn);
  c.poll_transmit(0, buf);
  EXPECT_EQ(c.send_mss_now(), 1448U);
  EXPECT_EQ(c.cwnd(), 14480U);  // 10 * 1448 < 14600
}

// RFC 5681 3.1 equation (2): in slow start each ACK of new data grows cwnd
// by at most SMSS.
TEST(Congestion, SlowStart_AckOfNewData_GrowsBySmss) {
  Sender s(with_cc(false), 100000);
  const auto first = s.flush(1);
  s.c.on_segment(2, s.ack(s.c.snd_una() + 1460U));
  EXPECT_EQ(s.c.cwnd(), 14600U + 1460U);
  s.c.on_segment(2, s.ack(s.c.snd_max()));  // 13140 octets at once: still one SMSS
  EXPECT_EQ(s.c.cwnd(), 14600U + 2U * 1460U);
}

// RFC 5681 3.1 equation (3): above ssthresh, about one SMSS per window.
TEST(Congestion, CongestionAvoidance_GrowsByAboutSmssPerWindow) {
  Sender s(with_cc(false), 1000000);
  // Enter recovery and leave it, so that cwnd = ssthresh.
  s.flush(1);
  for (int i = 0; i < 3; ++i) s.c.on_segment(2, s.ack(s.c.snd_una()));
  ASSERT_TRUE(s.c.in_fast_recovery());
  s.flush(2);
  s.c.on_segment(3, s.ack(s.c.snd_max()));
  ASSERT_FALSE(s.c.in_fast_recovery());
  const std::uint32_t cwnd = s.c.cwnd();
  EXPECT_LE(cwnd, s.c.ssthresh());
  // One ACK per segment: slow start up to ssthresh, then a window's worth
  // of ACKs in congestion avoidance.
  const auto ack_one = [&s](Time t) {
    s.flush(t);
    if (model::distance(s.c.snd_una(), s.c.snd_max()) < 1460U) return false;
    s.c.on_segment(t, s.ack(s.c.snd_una() + 1460U));
    return true;
  };
  for (int i = 0; i < 100 && s.c.cwnd() < s.c.ssthresh(); ++i) ASSERT_TRUE(ack_one(5));
  ASSERT_GE(s.c.cwnd(), s.c.ssthresh());
  const std::uint32_t start = s.c.cwnd();
  for (std::uint32_t i = 0; i < start / 1460U; ++i) ASSERT_TRUE(ack_one(6));
  EXPECT_GE(s.c.cwnd(), start + 1460U / 2);
  EXPECT_LE(s.c.cwnd(), start + 2U * 1460U);
}

// RFC 5681 3.2 and RFC 6582 3.2 step 2: the third duplicate ACK resends
// the first unacknowledged segment at once, ssthresh = max(FlightSize/2,
// 2 SMSS), cwnd = ssthresh + 3 SMSS.
TEST(Congestion, ThreeDuplicateAcks_FastRetransmit) {
  Sender s(with_cc(false), 100000);
  s.flush(1);
  const C::Seq una = s.c.snd_una();
  const std::uint32_t flight = model::distance(s.c.snd_una(), s.c.snd_max());
  s.c.on_segment(2, s.ack(una));
  s.c.on_segment(2, s.ack(una));
  EXPECT_FALSE(s.c.in_fast_recovery());
  EXPECT_TRUE(s.flush(2).empty());  // two duplicates: nothing yet (no limited transmit)
  s.c.on_segment(2, s.ack(una));
  ASSERT_TRUE(s.c.in_fast_recovery());
  EXPECT_EQ(s.c.ssthresh(), flight / 2);
  EXPECT_EQ(s.c.cwnd(), flight / 2 + 3U * 1460U);
  const auto out = s.flush(2);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0].seq, una);
  EXPECT_EQ(out[0].window, 1460U);
  // RFC 6582 3.2 step 4: each further duplicate inflates cwnd by SMSS.
  const std::uint32_t before = s.c.cwnd();
  s.c.on_segment(2, s.ack(una));
  EXPECT_EQ(s.c.cwnd(), before + 1460U);
}

// RFC 6582 3.2 step 5: a partial ACK resends the next hole at once and
// recovery goes on; the full ACK ends it with cwnd at most ssthresh.
TEST(Congestion, NewReno_PartialAck_RetransmitsNextHole) {
  Sender s(with_cc(false), 100000);
  s.flush(1);
  const C::Seq una = s.c.snd_una();
  const C::Seq recover = s.c.snd_max();
  for (int i = 0; i < 3; ++i) s.c.on_segment(2, s.ack(una));
  s.flush(2);
  s.c.on_segment(3, s.ack(una + 2U * 1460U));  // the first hole filled; the third segment lost too
  EXPECT_TRUE(s.c.in_fast_recovery());
  const auto out = s.flush(3);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0].seq, una + 2U * 1460U);
  s.c.on_segment(4, s.ack(recover));
  EXPECT_FALSE(s.c.in_fast_recovery());
  EXPECT_LE(s.c.cwnd(), s.c.ssthresh());
}

// RFC 5681 equations (4) and (5): a timeout halves ssthresh and restarts
// from one segment.
TEST(Congestion, RetransmissionTimeout_LossWindowOneSegment) {
  Sender s(with_cc(false), 100000);
  s.flush(1);
  const std::uint32_t flight = model::distance(s.c.snd_una(), s.c.snd_max());
  const Time rto = s.c.rto().rto();
  s.c.on_timer(1 + rto);
  EXPECT_EQ(s.c.ssthresh(), flight / 2);
  EXPECT_EQ(s.c.cwnd(), 1460U);
  EXPECT_EQ(octets(s.flush(1 + rto)), 1460U);
}

// RFC 6582: three segments lost from one window are all recovered by
// NewReno's partial ACKs, without waiting for a retransmission timeout.
TEST(Congestion, Pair_ThreeLossesInOneWindow_RecoveredWithoutTimeout) {
  auto config = with_cc(true);
  // Nagle would hold the short last segment for a delayed ACK (200 ms),
  // which the time bound below would mistake for a timeout.
  config.features.nagle = false;
  // NewReno's own recovery; with SACK the scoreboard steers it instead
  // (recovery_test.cpp compares the two).
  config.features.sack = false;
  test::Pair<C> p(config, {.delay = 1000}, 5);
  const std::vector<std::byte> out = test::pattern(400000, 9);
  std::set<std::uint32_t> lost;
  std::size_t dropped = 0;
  p.drop = [&](bool from_a, const Seg& s) {
    if (!from_a || s.payload.empty()) return false;
    const std::uint32_t offset = model::distance(p.a.iss() + 1U, s.seq);
    const std::uint32_t smss = p.a.send_mss_now();
    for (std::uint32_t k : {40U, 43U, 47U}) {
      if (offset == k * smss && lost.insert(k).second) {
        ++dropped;
        return true;
      }
    }
    return false;
  };
  p.b.open_passive(p.now, kServer);
  p.a.open_active(p.now, {kClient, kServer});
  std::vector<std::byte> got;
  std::size_t sent = 0;
  bool recovered = false;
  const bool done = p.run_until([&] {
    std::array<std::byte, 8192> buf{};
    for (;;) {
      const auto r = p.b.receive(p.now, buf);
      if (r.bytes == 0) break;
      got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(r.bytes));
    }
    if (p.a.state() == State::Established && sent < out.size()) {
      sent += p.a.send(p.now, std::span(out).subspan(sent)).accepted;
    }
    recovered = recovered || p.a.in_fast_recovery();
    return got.size() == out.size();
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(got, out);
  EXPECT_EQ(dropped, 3U);
  EXPECT_TRUE(recovered);
  EXPECT_EQ(p.a.counters().retransmission_timeouts, 0U);
  EXPECT_EQ(p.a.counters().fast_recoveries, 1U);
  // The minimum RTO is 200 ms; the whole transfer takes far less.
  EXPECT_LT(p.now, config.rto.minimum);
}

// RFC 9293 3.7.4 (Nagle): with 100 octets unacknowledged, the next short
// segment waits for their ACK; a full segment does not wait.
TEST(Nagle, Established_ShortSegmentWithDataOutstanding_WaitsForAck) {
  auto config = Config<StackParams>::stack_defaults();
  ASSERT_TRUE(config.features.nagle);
  Sender s(config, 0);
  const std::vector<std::byte> small(100, std::byte{1});
  s.c.send(1, small);
  EXPECT_EQ(octets(s.flush(1)), 100U);
  s.c.send(1, small);
  EXPECT_TRUE(s.flush(1).empty());
  s.c.on_segment(2, s.ack(s.c.snd_max()));
  EXPECT_EQ(octets(s.flush(2)), 100U);
  const std::vector<std::byte> full(1460 + 100, std::byte{2});
  s.c.send(3, full);
  const auto out = s.flush(3);
  ASSERT_EQ(out.size(), 1U);  // the full segment; the 100-octet tail waits
  EXPECT_EQ(out[0].window, 1460U);
}

// The switch: without Nagle every short segment goes out at once.
TEST(Nagle, SwitchedOff_ShortSegmentsSentAtOnce) {
  auto config = Config<StackParams>::stack_defaults();
  config.features.nagle = false;
  Sender s(config, 0);
  const std::vector<std::byte> small(100, std::byte{1});
  s.c.send(1, small);
  s.c.send(1, small);
  EXPECT_EQ(octets(s.flush(1)), 200U);
  s.c.send(1, small);
  EXPECT_EQ(octets(s.flush(1)), 100U);
}

}  // namespace
}  // namespace tcpmc::core
