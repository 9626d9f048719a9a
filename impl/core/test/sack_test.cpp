// SACK (RFC 2018): the blocks our receiver reports, the sender's RFC 6675
// scoreboard on hand-built cases, and the engine's use of it in recovery.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/sack.hpp>
#include <utility>
#include <vector>

#include "pair.hpp"

namespace tcpmc::core {
namespace {

using model::State;
using C = Connection<StackParams>;
using Seg = C::Seg;
using Seq = C::Seq;
using Time = StackParams::Time;
using Block = SackBlocks<Seq>::Block;

constexpr Endpoint kClient{0xC6120001, 40000};  // 198.18.0.1 (the scripted peer)
constexpr Endpoint kServer{0xC6120002, 80};     // 198.18.0.2 (the connection under test)

// --- The receiver's blocks (RFC 2018 section 4) ----------------------------

// A server that took a scripted SYN offering SACK-permitted (and
// timestamps, if asked), through to ESTABLISHED.
struct Receiver {
  C c;
  bool ts;
  std::array<std::byte, 2048> buf{};
  std::vector<std::byte> bytes = test::pattern(4096, 11);
  Seq base;  // RCV.NXT right after the handshake

  Receiver(bool timestamps, bool sack_offered, bool sack_ours = true)
      : c(config(sack_ours)), ts(timestamps) {
    c.open_passive(0, kServer);
    Seg syn = from_peer({.syn = true}, Seq(7000));
    syn.mss = 1460;
    syn.sack_permitted = sack_offered;
    c.on_segment(0, syn);
    c.poll_transmit(0, buf);
    Seg ack = from_peer({.ack = true}, Seq(7001));
    ack.ack = c.snd_nxt();
    c.on_segment(0, ack);
    base = c.rcv_nxt();
  }
  static Config<StackParams> config(bool sack) {
    auto k = Config<StackParams>::stack_defaults();
    k.features.sack = sack;
    k.delayed_ack = 0;
    return k;
  }
  Seg from_peer(SegmentFlags f, Seq seq) const {
    Seg s{};
    s.source = kClient;
    s.destination = kServer;
    s.seq = seq;
    s.flags = f;
    s.window = 65535;
    if (ts) s.timestamps = SegmentTimestamps{100, 0};
    return s;
  }
  // 100 octets at `offset` from the first data octet; the ACK it draws.
  Seg deliver(std::uint32_t offset) {
    Seg s = from_peer({.ack = true}, base + offset);
    s.ack = c.snd_nxt();
    s.payload = std::span(bytes).subspan(offset, 100);
    c.on_segment(1, s);
    auto reply = c.poll_transmit(1, buf);
    EXPECT_TRUE(reply.has_value());
    return reply.value_or(Seg{});
  }
  Block block(std::uint32_t from, std::uint32_t to) const { return {base + from, base + to}; }
  std::vector<Block> blocks(const Seg& s) const { return {s.sack.begin(), s.sack.end()}; }
};

// RFC 2018 section 4: the first block holds the segment that drew the
// ACK, the others follow from the most recently changed; without
// timestamps four blocks fit in the options (RFC 2018 section 3).
TEST(Sack, Established_OutOfOrderData_BlocksMostRecentFirst_FourWithoutTimestamps) {
  Receiver r(false, true);
  ASSERT_TRUE(r.c.sack_permitted());
  EXPECT_EQ(r.blocks(r.deliver(100)), (std::vector<Block>{r.block(100, 200)}));
  EXPECT_EQ(r.blocks(r.deliver(300)), (std::vector<Block>{r.block(300, 400), r.block(100, 200)}));
  r.deliver(500);
  r.deliver(700);
  EXPECT_EQ(r.blocks(r.deliver(900)), (std::vector<Block>{r.block(900, 1000), r.block(700, 800),
                                                          r.block(500, 600), r.block(300, 400)}));
  // A segment that joins two islands: the joined block comes first.
  EXPECT_EQ(r.blocks(r.deliver(200)), (std::vector<Block>{r.block(100, 400), r.block(900, 1000),
                                                          r.block(700, 800), r.block(500, 600)}));
  // A repeated segment still names its block first (it drew the ACK).
  EXPECT_EQ(r.blocks(r.deliver(500)), (std::vector<Block>{r.block(500, 600), r.block(100, 400),
                                                          r.block(900, 1000), r.block(700, 800)}));
  // Filling the gap at RCV.NXT takes the first island in order; the rest
  // keep their recency.
  const Seg ack = r.deliver(0);
  EXPECT_EQ(ack.ack, r.base + 400U);
  EXPECT_EQ(r.blocks(ack),
            (std::vector<Block>{r.block(500, 600), r.block(900, 1000), r.block(700, 800)}));
}

// RFC 2018 section 3: beside the timestamps option only three blocks fit.
TEST(Sack, Established_OutOfOrderData_ThreeBlocksWithTimestamps) {
  Receiver r(true, true);
  ASSERT_TRUE(r.c.timestamps());
  r.deliver(100);
  r.deliver(300);
  r.deliver(500);
  const Seg ack = r.deliver(700);
  ASSERT_TRUE(ack.timestamps.has_value());
  EXPECT_EQ(r.blocks(ack),
            (std::vector<Block>{r.block(700, 800), r.block(500, 600), r.block(300, 400)}));
}

// RFC 2018 section 4: no out-of-order data, no blocks.
TEST(Sack, Established_InOrderData_NoBlocks) {
  Receiver r(false, true);
  EXPECT_TRUE(r.deliver(0).sack.empty());
}

// RFC 2018 section 2: blocks only once both SYNs carried SACK-permitted.
TEST(Sack, NotNegotiated_OutOfOrderData_NoBlocks) {
  Receiver peer_did_not_offer(false, false);
  EXPECT_FALSE(peer_did_not_offer.c.sack_permitted());
  EXPECT_TRUE(peer_did_not_offer.deliver(300).sack.empty());
  Receiver we_did_not(false, true, false);
  EXPECT_FALSE(we_did_not.c.sack_permitted());
  EXPECT_TRUE(we_did_not.deliver(300).sack.empty());
}

// --- The scoreboard (RFC 6675 section 4) ------------------------------------

using Board = SackScoreboard<Seq, 8>;
constexpr std::uint32_t kSmss = 100;

SackBlocks<Seq> sacks(std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> list) {
  SackBlocks<Seq> b;
  for (auto [l, r] : list) b.push_back({Seq(l), Seq(r)});
  return b;
}

// RFC 6675 section 4, IsLost: fewer than DupThresh SACKed segments and no
// more than (DupThresh - 1) * SMSS SACKed octets above: not lost.
TEST(Scoreboard, IsLost_OneSackedSegmentAbove_NotLost) {
  Board b;
  EXPECT_EQ(b.update(Seq(1000), Seq(2000), sacks({{1100, 1200}})), 100U);
  EXPECT_FALSE(b.is_lost(Seq(1000), kSmss));
  EXPECT_TRUE(b.is_sacked(Seq(1150)));
  EXPECT_FALSE(b.is_sacked(Seq(1200)));
}

// RFC 6675 section 4, IsLost: DupThresh discontiguous SACKed segments above.
TEST(Scoreboard, IsLost_ThreeSackedIslandsAbove_Lost) {
  Board b;
  b.update(Seq(1000), Seq(2000), sacks({{1100, 1200}, {1300, 1400}, {1500, 1600}}));
  EXPECT_TRUE(b.is_lost(Seq(1000), kSmss));
  EXPECT_FALSE(b.is_lost(Seq(1200), kSmss));  // two islands, 200 octets above
  EXPECT_FALSE(b.is_lost(Seq(1600), kSmss));
}

// RFC 6675 section 4, IsLost: more than (DupThresh - 1) * SMSS octets
// SACKed above, even in one contiguous block.
TEST(Scoreboard, IsLost_MoreThanTwoSmssSackedAbove_Lost) {
  Board b;
  b.update(Seq(1000), Seq(2000), sacks({{1100, 1300}}));
  EXPECT_FALSE(b.is_lost(Seq(1000), kSmss));  // exactly 2 SMSS: not more
  b.update(Seq(1000), Seq(2000), sacks({{1250, 1301}}));
  EXPECT_TRUE(b.is_lost(Seq(1000), kSmss));
}

// RFC 6675 section 4, SetPipe: a hole not lost counts once, a lost hole
// not at all, a retransmitted octet once more; SACKed octets never.
TEST(Scoreboard, Pipe_CountsHolesByIsLostAndHighRxt) {
  Board b;
  b.update(Seq(1000), Seq(2000), sacks({{1100, 1200}}));
  EXPECT_EQ(b.pipe(Seq(1000), Seq(2000), Seq(1000), kSmss), 900U);
  b.update(Seq(1000), Seq(2000), sacks({{1300, 1400}, {1500, 1600}}));
  // [1000,1100) lost: 0; [1200,1300) and [1400,1500) not: 100 each; the
  // tail [1600,2000): 400.
  EXPECT_EQ(b.pipe(Seq(1000), Seq(2000), Seq(1000), kSmss), 600U);
  // The lost hole resent: its octets are in flight again.
  EXPECT_EQ(b.pipe(Seq(1000), Seq(2000), Seq(1100), kSmss), 700U);
  // A non-lost hole resent too (rule 3): counted twice.
  EXPECT_EQ(b.pipe(Seq(1000), Seq(2000), Seq(1250), kSmss), 750U);
}

// RFC 6675 4.3 NextSeg: rule (1) picks the lowest lost hole above
// HighRxt; rule (3) any hole above HighRxt below the highest SACKed octet;
// nothing above the last SACKed range.
TEST(Scoreboard, NextSeg_LostHoleFirst_ThenAnyHoleBelowHighestSack) {
  Board b;
  b.update(Seq(1000), Seq(2000), sacks({{1100, 1200}, {1300, 1400}, {1500, 1600}}));
  using Hole = Board::Hole;
  EXPECT_EQ(b.next_hole(Seq(1000), Seq(1000), kSmss, true), (Hole{Seq(1000), 100}));
  EXPECT_EQ(b.next_hole(Seq(1000), Seq(1050), kSmss, true), (Hole{Seq(1050), 50}));
  EXPECT_FALSE(b.next_hole(Seq(1000), Seq(1100), kSmss, true).has_value());
  EXPECT_EQ(b.next_hole(Seq(1000), Seq(1100), kSmss, false), (Hole{Seq(1200), 100}));
  EXPECT_EQ(b.next_hole(Seq(1000), Seq(1400), kSmss, false), (Hole{Seq(1400), 100}));
  EXPECT_FALSE(b.next_hole(Seq(1000), Seq(1500), kSmss, false).has_value());
}

// RFC 2018 section 4 and RFC 2883: blocks at or below SND.UNA and blocks
// beyond what was sent say nothing about outstanding data; overlapping
// blocks merge and count only what they add.
TEST(Scoreboard, Update_IgnoresBlocksOutsideFlight_MergesOverlaps) {
  Board b;
  EXPECT_EQ(b.update(Seq(1000), Seq(2000), sacks({{900, 1000}, {1900, 2100}})), 0U);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.update(Seq(1000), Seq(2000), sacks({{1100, 1200}, {1150, 1250}})), 150U);
  EXPECT_EQ(b.size(), 1U);
  EXPECT_EQ(b.update(Seq(1000), Seq(2000), sacks({{1250, 1300}})), 50U);  // touching: merged
  EXPECT_EQ(b.size(), 1U);
  // SND.UNA passes part of a range: the rest stays SACKed.
  b.acknowledged(Seq(1200));
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b.begin()->left, Seq(1200));
  EXPECT_EQ(b.begin()->right, Seq(1300));
}

// The scoreboard stays within its array: a peer reporting more islands
// than fit costs the highest one (believing less was received is safe).
TEST(Scoreboard, Update_MoreIslandsThanCapacity_StaysBounded) {
  Board b;
  for (std::uint32_t i = 0; i < 12; ++i) {
    b.update(Seq(0), Seq(100000), sacks({{1000 + i * 200, 1100 + i * 200}}));
  }
  EXPECT_EQ(b.size(), Board::capacity());
  EXPECT_FALSE(b.is_sacked(Seq(1000 + 11 * 200)));
  EXPECT_TRUE(b.is_sacked(Seq(1000)));
}

// Sequence numbers wrap: the scoreboard compares them modulo 2^32.
TEST(Scoreboard, Wraparound_OrdersAcrossZero) {
  Board b;
  const Seq una(0xFFFFFF00U);
  b.update(una, una + 1000U, sacks({{0x00000010U, 0x00000050U}, {0xFFFFFF80U, 0xFFFFFFC0U}}));
  ASSERT_EQ(b.size(), 2U);
  EXPECT_EQ(b.begin()->left, Seq(0xFFFFFF80U));
  EXPECT_EQ(b.pipe(una, una + 1000U, una, kSmss), 1000U - 0x40U - 0x40U);
}

// --- The sender in recovery (RFC 6675 section 5) ----------------------------

// A passive sender whose scripted peer offered SACK-permitted (no
// timestamps, MSS 1000, a 1 MiB window), with `bytes` queued.
struct Sender {
  C c;
  std::vector<std::byte> data;
  std::array<std::byte, 2048> buf{};

  explicit Sender(std::size_t bytes, bool sack = true)
      : c(config(sack)), data(test::pattern(bytes, 5)) {
    c.open_passive(0, kServer);
    Seg syn = from_peer({.syn = true});
    syn.seq = Seq(5000);
    syn.mss = 1000;
    syn.window_scale = 4;
    syn.sack_permitted = true;
    c.on_segment(0, syn);
    c.poll_transmit(0, buf);
    c.on_segment(0, ack(c.snd_nxt()));
    c.send(0, data);
  }
  static Config<StackParams> config(bool sack) {
    auto k = Config<StackParams>::stack_defaults();
    k.features.congestion_control = true;
    k.features.sack = sack;
    k.features.nagle = false;
    return k;
  }
  Seg from_peer(SegmentFlags f) const {
    Seg s{};
    s.source = kClient;
    s.destination = kServer;
    s.seq = c.rcv_nxt();
    s.flags = f;
    s.window = 65535;
    return s;
  }
  Seg ack(Seq n, std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> blocks = {}) const {
    Seg s = from_peer({.ack = true});
    s.ack = n;
    for (auto [l, r] : blocks) s.sack.push_back({first() + l, first() + r});
    return s;
  }
  Seq first() const { return c.iss() + 1U; }
  // (sequence offset from the first data octet, length) of what goes out.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> flush(Time t) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    while (auto s = c.poll_transmit(t, buf)) {
      if (s->payload.empty()) continue;
      out.emplace_back(model::distance(first(), s->seq),
                       static_cast<std::uint32_t>(s->payload.size()));
    }
    return out;
  }
};

// RFC 6675 section 5: IsLost(SND.UNA) starts recovery even before three
// duplicate ACKs; the first hole goes out first, then the next lost hole,
// and cwnd = ssthresh = FlightSize / 2.
TEST(SackRecovery, Established_SackShowsLoss_RetransmitsHolesFirst) {
  Sender s(100000);
  ASSERT_TRUE(s.c.sack_permitted());
  const auto first = s.flush(1);
  ASSERT_EQ(first.size(), 10U);  // RFC 6928 initial window
  const std::uint32_t flight = model::distance(s.c.snd_una(), s.c.snd_max());
  // Segments 0 and 2 lost; 1 and 3..5 arrived.
  s.c.on_segment(2, s.ack(s.first(), {{1000, 2000}}));
  EXPECT_FALSE(s.c.in_sack_recovery());
  s.c.on_segment(2, s.ack(s.first(), {{3000, 8000}, {1000, 2000}}));
  ASSERT_TRUE(s.c.in_sack_recovery());
  EXPECT_EQ(s.c.ssthresh(), flight / 2);
  EXPECT_EQ(s.c.cwnd(), flight / 2);
  // Both holes are lost (more than 2 SMSS SACKed above each): resent in
  // order; then pipe (2000 resent + 2000 unSACKed at the tail) leaves
  // room for one segment of new data.
  const auto out = s.flush(2);
  using Sent = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  EXPECT_EQ(out, (Sent{{0, 1000}, {2000, 1000}, {10000, 1000}}));
  EXPECT_EQ(s.c.counters().retransmitted_octets, 2000U);
  EXPECT_EQ(s.c.pipe(), s.c.cwnd());
  // RecoveryPoint acknowledged: recovery ends.
  s.c.on_segment(3, s.ack(s.c.snd_max()));
  EXPECT_FALSE(s.c.in_sack_recovery());
  EXPECT_EQ(s.c.counters().sack_recoveries, 1U);
}

// RFC 6675 section 5 (C): nothing is sent while pipe leaves less than one
// SMSS of cwnd; each SACKed segment frees room for one more.
TEST(SackRecovery, InRecovery_SendsOnlyWhilePipeBelowCwnd) {
  Sender s(100000);
  s.flush(1);
  s.c.on_segment(2, s.ack(s.first(), {{1000, 4000}}));  // 3 SMSS above: segment 0 lost
  ASSERT_TRUE(s.c.in_sack_recovery());
  EXPECT_EQ(s.flush(2).size(), 1U);  // the first hole, whatever pipe says
  EXPECT_LT(s.c.cwnd(), s.c.pipe() + 1000U);
  EXPECT_TRUE(s.flush(2).empty());
  s.c.on_segment(3, s.ack(s.first(), {{1000, 6000}}));  // pipe = cwnd: still nothing
  EXPECT_TRUE(s.flush(3).empty());
  s.c.on_segment(3, s.ack(s.first(), {{1000, 7000}}));
  const auto out = s.flush(3);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].first, 10000U);  // rule (2): new data, no hole is lost
}

// RFC 6675 section 5.1: after a retransmission timeout nothing the
// receiver SACKed is trusted (it may renege), and recovery ends.
TEST(SackRecovery, RetransmissionTimeout_ClearsScoreboard) {
  Sender s(100000);
  s.flush(1);
  s.c.on_segment(2, s.ack(s.first(), {{1000, 4000}}));
  ASSERT_FALSE(s.c.scoreboard().empty());
  s.c.on_timer(2 + s.c.rto().rto());
  EXPECT_TRUE(s.c.scoreboard().empty());
  EXPECT_FALSE(s.c.in_sack_recovery());
  EXPECT_FALSE(s.c.in_fast_recovery());
  EXPECT_EQ(s.c.counters().retransmission_timeouts, 1U);
  const auto out = s.flush(2 + s.c.rto().rto());
  ASSERT_EQ(out.size(), 1U);  // go-back-N from SND.UNA, one segment of cwnd
  EXPECT_EQ(out[0].first, 0U);
}

// Features::sack off: blocks from the peer are not taken in.
TEST(SackRecovery, SwitchedOff_BlocksIgnored) {
  Sender s(100000, false);
  EXPECT_FALSE(s.c.sack_permitted());
  s.flush(1);
  s.c.on_segment(2, s.ack(s.first(), {{1000, 4000}}));
  EXPECT_TRUE(s.c.scoreboard().empty());
  EXPECT_FALSE(s.c.in_fast_recovery());
}

}  // namespace
}  // namespace tcpmc::core
