// Whole-connection scenarios between two engines on virtual time: the
// procedures of RFC 9293 section 3.5 and 3.6 besides the plain exchange.
#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <tcpmc/core/sanitizers.hpp>
#include <type_traits>
#include <vector>

#include "pair.hpp"

namespace tcpmc::core::test {
namespace {

using model::State;
using C = Connection<StackParams>;
using Time = C::Time;

constexpr Endpoint kA{0xC6120001, 40000};  // 198.18.0.1
constexpr Endpoint kB{0xC6120002, 80};     // 198.18.0.2
const Config<StackParams> kConfig = Config<StackParams>::stack_defaults();

std::vector<UserEvent> events(C& c) {
  std::vector<UserEvent> out;
  while (auto e = c.poll_event()) out.push_back(*e);
  return out;
}

bool has(const std::vector<UserEvent>& v, UserEvent e) {
  return std::find(v.begin(), v.end(), e) != v.end();
}

std::vector<std::byte> drain(C& c, Time now) {
  std::vector<std::byte> got;
  std::byte buf[4096];
  for (;;) {
    const auto r = c.receive(now, buf);
    if (r.bytes == 0) break;
    got.insert(got.end(), buf, buf + r.bytes);
  }
  return got;
}

Pair<C> connected_pair() {
  Pair<C> p(kConfig, {}, 1);
  p.b.open_passive(0, kB);
  p.a.open_active(0, {kA, kB});
  EXPECT_TRUE(p.run_until([&] {
    return p.a.state() == State::Established && p.b.state() == State::Established;
  }));
  return p;
}

// A call's row trace keeps RowTrace::kMax rows and says when there were
// more, so that the explorer and the monitor, which judge every row a call
// fired, fail loudly on a cut trace instead of judging it as whole.
TEST(RowTrace, MoreRowsThanKept_Incomplete_FirstRowsKept) {
  RowTrace trace;
  for (std::size_t row = 0; row < RowTrace::kMax; ++row) trace.add(10 + row);
  EXPECT_TRUE(trace.complete());
  ASSERT_EQ(trace.rows().size(), RowTrace::kMax);
  trace.add(99);
  trace.add(98);
  EXPECT_FALSE(trace.complete());
  ASSERT_EQ(trace.rows().size(), RowTrace::kMax);
  for (std::size_t i = 0; i < RowTrace::kMax; ++i) EXPECT_EQ(trace.rows()[i], 10 + i);
  trace.clear();
  EXPECT_TRUE(trace.complete());
  EXPECT_TRUE(trace.rows().empty());
}

// RFC 9293 3.5, Figure 7: both sides open actively at once and meet.
TEST(Scenario, SimultaneousOpen_BothEstablished) {
  Pair<C> p(kConfig, {}, 1);
  ASSERT_EQ(p.a.open_active(0, {kA, kB}), CallError::None);
  ASSERT_EQ(p.b.open_active(0, {kB, kA}), CallError::None);
  ASSERT_TRUE(p.run_until([&] {
    return p.a.state() == State::Established && p.b.state() == State::Established;
  }));
  EXPECT_TRUE(has(events(p.a), UserEvent::Connected));
  EXPECT_TRUE(has(events(p.b), UserEvent::Connected));
  // Each went through SYN-RECEIVED, having sent a SYN and then a SYN-ACK.
  const auto syns = [](const std::vector<C::Seg>& t) {
    return std::count_if(t.begin(), t.end(), [](const C::Seg& s) { return s.flags.syn; });
  };
  EXPECT_GE(syns(p.trace_a), 2);
  EXPECT_GE(syns(p.trace_b), 2);
  // And the connection works.
  const auto msg = pattern(3000, 5);
  EXPECT_EQ(p.a.send(p.now, msg).accepted, msg.size());
  std::vector<std::byte> got;
  ASSERT_TRUE(p.run_until([&] {
    const auto more = drain(p.b, p.now);
    got.insert(got.end(), more.begin(), more.end());
    return got.size() == msg.size();
  }));
  EXPECT_EQ(got, msg);
}

// RFC 9293 3.6, Figure 13: both close at once; both pass CLOSING and
// spend 2MSL in TIME-WAIT.
TEST(Scenario, SimultaneousClose_BothThroughClosingToTimeWait) {
  Pair<C> p = connected_pair();
  std::vector<State> seen_a, seen_b;
  ASSERT_EQ(p.a.close(p.now), CallError::None);
  ASSERT_EQ(p.b.close(p.now), CallError::None);
  const Time closed_at = p.now;
  ASSERT_TRUE(p.run_until([&] {
    if (seen_a.empty() || seen_a.back() != p.a.state()) seen_a.push_back(p.a.state());
    if (seen_b.empty() || seen_b.back() != p.b.state()) seen_b.push_back(p.b.state());
    return p.a.state() == State::Closed && p.b.state() == State::Closed;
  }));
  const std::vector<State> expected = {State::FinWait1, State::Closing, State::TimeWait,
                                       State::Closed};
  EXPECT_EQ(seen_a, expected);
  EXPECT_EQ(seen_b, expected);
  EXPECT_GE(p.now - closed_at, 2 * kConfig.msl);
}

// RFC 9293 3.6.1: after the client's FIN the server goes on sending, and
// the client goes on receiving, until the server closes too.
TEST(Scenario, HalfClose_DataFlowsAfterFin) {
  Pair<C> p = connected_pair();
  const auto request = pattern(500, 1);
  const auto response = pattern(60000, 2);
  ASSERT_EQ(p.a.send(p.now, request).accepted, request.size());
  ASSERT_EQ(p.a.close(p.now), CallError::None);
  std::vector<std::byte> got_request, got_response;
  std::size_t sent = 0;
  bool server_closed = false;
  ASSERT_TRUE(p.run_until([&] {
    auto r = drain(p.b, p.now);
    got_request.insert(got_request.end(), r.begin(), r.end());
    auto s = drain(p.a, p.now);
    got_response.insert(got_response.end(), s.begin(), s.end());
    if (p.b.state() == State::CloseWait) {
      if (sent < response.size()) sent += p.b.send(p.now, std::span(response).subspan(sent)).accepted;
      if (sent == response.size() && !server_closed) {
        server_closed = true;
        EXPECT_EQ(p.b.close(p.now), CallError::None);
      }
    }
    return p.a.state() == State::TimeWait && p.b.state() == State::Closed;
  }));
  EXPECT_EQ(got_request, request);
  EXPECT_EQ(got_response, response);
  EXPECT_TRUE(p.a.peer_finished());
  // The client cannot send after its FIN.
  const std::byte more[1]{};
  EXPECT_EQ(p.a.send(p.now, more).error, CallError::ConnectionClosing);
}

// A FIN that arrives behind a hole is kept and processed once the hole
// fills. Its stand-in segment must not count as a window update: it once
// set SND.WND to 0, and the reply then waited for the persist timer (found
// by the table-level explorer and by Linux clients in the accept-queue
// netns test).
TEST(Scenario, FinBehindHole_ProcessedLater_SendWindowKept) {
  Pair<C> p = connected_pair();
  const auto request = pattern(3000, 3);
  bool dropped = false;
  p.drop = [&](bool from_a, const C::Seg& seg) {
    if (!from_a || dropped || seg.payload.empty()) return false;
    return dropped = true;  // the first data segment: a hole before the FIN
  };
  ASSERT_EQ(p.a.send(p.now, request).accepted, request.size());
  ASSERT_EQ(p.a.close(p.now), CallError::None);
  const std::uint32_t window_before = p.b.snd_wnd();
  ASSERT_GT(window_before, 0U);
  std::vector<std::byte> got;
  ASSERT_TRUE(p.run_until([&] {
    auto r = drain(p.b, p.now);
    got.insert(got.end(), r.begin(), r.end());
    return p.b.state() == State::CloseWait;
  }));
  EXPECT_TRUE(dropped);
  EXPECT_EQ(got, request);
  EXPECT_EQ(p.b.snd_wnd(), window_before);
  // So the reply leaves at once, not after a persist timeout.
  const auto reply = pattern(100, 4);
  ASSERT_EQ(p.b.send(p.now, reply).accepted, reply.size());
  std::vector<std::byte> out(2048);
  const auto seg = p.b.poll_transmit(p.now, out);
  ASSERT_TRUE(seg);
  EXPECT_EQ(seg->payload.size(), reply.size());
}

// RFC 9293 3.10.5: ABORT sends a RST; the peer's connection is reset.
TEST(Scenario, Abort_PeerIsReset) {
  Pair<C> p = connected_pair();
  events(p.b);
  ASSERT_EQ(p.a.abort(p.now), CallError::None);
  EXPECT_EQ(p.a.state(), State::Closed);
  ASSERT_TRUE(p.run_until([&] { return p.b.state() == State::Closed; }));
  EXPECT_TRUE(has(events(p.b), UserEvent::Reset));
  ASSERT_FALSE(p.trace_a.empty());
  EXPECT_TRUE(p.trace_a.back().flags.rst);
}

// RFC 9293 3.8.3 / RFC 1122 4.2.3.5: a peer that vanishes makes the
// sender give up after its retries, and the user is told.
TEST(Scenario, VanishedPeer_RetriesExhausted_TimedOut) {
  Pair<C> p = connected_pair();
  p.drop = [](bool, const C::Seg&) { return true; };
  const auto msg = pattern(1000, 3);
  ASSERT_EQ(p.a.send(p.now, msg).accepted, msg.size());
  const Time start = p.now;
  ASSERT_TRUE(p.run_until([&] { return p.a.state() == State::Closed; }));
  EXPECT_TRUE(has(events(p.a), UserEvent::TimedOut));
  // With exponential backoff from 1 s, 15 retries take many minutes.
  EXPECT_GT(p.now - start, 60 * StackParams::kSecond);
}

// RFC 9293 3.8.3: the user timeout ends the wait earlier than the retries.
TEST(Scenario, VanishedPeer_UserTimeout_TimedOut) {
  auto config = kConfig;
  config.user_timeout = 5 * StackParams::kSecond;
  Pair<C> p(config, {}, 1);
  p.b.open_passive(0, kB);
  p.a.open_active(0, {kA, kB});
  ASSERT_TRUE(p.run_until([&] { return p.b.state() == State::Established; }));
  p.drop = [](bool, const C::Seg&) { return true; };
  const auto msg = pattern(100, 4);
  const Time start = p.now;
  ASSERT_EQ(p.a.send(p.now, msg).accepted, msg.size());
  ASSERT_TRUE(p.run_until([&] { return p.a.state() == State::Closed; }));
  EXPECT_TRUE(has(events(p.a), UserEvent::TimedOut));
  EXPECT_LE(p.now - start, 6 * StackParams::kSecond);
}

// RFC 9293 3.6 and 3.10.7.4 (TIME-WAIT): the last ACK is lost; the
// server's FIN comes again, is acknowledged, and TIME-WAIT starts over.
TEST(Scenario, LostLastAck_FinRetransmitted_TimeWaitRestarted) {
  Pair<C> p = connected_pair();
  ASSERT_EQ(p.a.close(p.now), CallError::None);
  ASSERT_TRUE(p.run_until([&] { return p.b.state() == State::CloseWait; }));
  int dropped = 0;
  p.drop = [&](bool from_a, const C::Seg& s) {
    // The client's first pure ACK after the server's FIN.
    if (from_a && p.a.state() == State::TimeWait && !s.flags.fin && dropped == 0) {
      ++dropped;
      return true;
    }
    return false;
  };
  ASSERT_EQ(p.b.close(p.now), CallError::None);
  ASSERT_TRUE(p.run_until([&] { return p.a.state() == State::TimeWait; }));
  const Time first_deadline = *p.a.time_wait_deadline();
  ASSERT_TRUE(p.run_until([&] { return p.b.state() == State::Closed; }));
  EXPECT_EQ(dropped, 1);
  EXPECT_EQ(p.a.state(), State::TimeWait);
  EXPECT_GT(*p.a.time_wait_deadline(), first_deadline);
  ASSERT_TRUE(p.run_until([&] { return p.a.state() == State::Closed; }));
}

// The compact TIME-WAIT entry answers as the full connection does: a
// repeated FIN is acknowledged and restarts 2MSL, the deadline is kept, and
// it fits in 128 bytes.
TEST(Scenario, TimeWaitEntry_RestoredBehavesLikeTheOriginal) {
  static_assert(sizeof(TimeWaitEntry<StackParams>) <= 128);
  Pair<C> p = connected_pair();
  p.a.close(p.now);
  ASSERT_TRUE(p.run_until([&] { return p.b.state() == State::CloseWait; }));
  p.b.close(p.now);
  ASSERT_TRUE(p.run_until([&] { return p.a.state() == State::TimeWait; }));
  ASSERT_FALSE(p.b.time_wait_entry());
  const auto entry = p.a.time_wait_entry();
  ASSERT_TRUE(entry);
  C restored = C::restore(*entry, kConfig);
  EXPECT_EQ(restored.state(), State::TimeWait);
  EXPECT_EQ(restored.time_wait_deadline(), p.a.time_wait_deadline());
  EXPECT_FALSE(restored.holds_buffer_memory());
  // A repeat of the peer's FIN, to both.
  C::Seg fin{};
  fin.source = kB;
  fin.destination = kA;
  fin.seq = p.a.rcv_nxt() - 1U;
  fin.ack = p.a.snd_max();
  fin.flags = {.ack = true, .fin = true};
  // The peer uses timestamps (RFC 7323 3.2: on every segment); its TSval
  // is not older than what the connection recorded.
  ASSERT_TRUE(p.a.timestamps());
  fin.timestamps = SegmentTimestamps{p.a.ts_recent(), 0};
  const Time later = p.now + 1000;
  std::byte buf[16];
  for (C* c : {&p.a, &restored}) {
    c->on_segment(later, fin);
    EXPECT_EQ(c->state(), State::TimeWait);
    EXPECT_EQ(*c->time_wait_deadline(), later + 2 * kConfig.msl);
    const auto reply = c->poll_transmit(later, buf);
    ASSERT_TRUE(reply);
    EXPECT_TRUE(reply->flags.ack);
    EXPECT_EQ(reply->ack, p.a.rcv_nxt());
    EXPECT_EQ(reply->seq, p.a.snd_max());
  }
  restored.on_timer(later + 2 * kConfig.msl);
  EXPECT_EQ(restored.state(), State::Closed);
}

// DESIGN.md principle 4: once idle, an established connection of the
// stack's parameters holds no buffer memory.
TEST(Scenario, IdleEstablished_HoldsNoBufferMemory) {
  Pair<C> p = connected_pair();
  const auto msg = pattern(100000, 9);
  std::size_t sent = 0;
  std::vector<std::byte> got;
  ASSERT_TRUE(p.run_until([&] {
    if (sent < msg.size()) sent += p.a.send(p.now, std::span(msg).subspan(sent)).accepted;
    const auto more = drain(p.b, p.now);
    got.insert(got.end(), more.begin(), more.end());
    return got.size() == msg.size() && p.a.snd_una() == p.a.snd_max() && p.in_flight() == 0;
  }));
  EXPECT_FALSE(p.a.holds_buffer_memory());
  EXPECT_FALSE(p.b.holds_buffer_memory());
}

// A buffer that empties gives its block to the thread's shelf, and the
// next buffer takes it from there: a bulk transfer does not hand its
// memory to malloc and fault it in again after every drain. The shelf
// keeps at most kPerSize blocks of a size and frees the rest, so what it
// holds does not grow with the number of connections.
TEST(BlockShelf, KeepsAFewBlocksOfEachSize_AndHandsThemOutFirst) {
  using Shelf = BlockShelf<4096, 256 * 1024>;
  static_assert(Shelf::kSizes == 7);  // 4, 8, 16, 32, 64, 128 and 256 KiB
  Shelf shelf;
  std::vector<const std::byte*> given;
  for (std::size_t i = 0; i < Shelf::kPerSize + 1; ++i) {
    auto block = shelf.take(16384);
    given.push_back(block.get());
    shelf.give(std::move(block), 16384);
  }
  // Each block taken was the one just given back.
  for (const std::byte* p : given) EXPECT_EQ(p, given.front());
  std::vector<std::unique_ptr<std::byte[]>> held;
  for (std::size_t i = 0; i < Shelf::kPerSize + 1; ++i) held.push_back(shelf.take(16384));
  for (auto& block : held) shelf.give(std::move(block), 16384);
  EXPECT_EQ(shelf.kept(), Shelf::kPerSize);
  // Another size has a slot of its own.
  shelf.give(shelf.take(256 * 1024), 256 * 1024);
  EXPECT_EQ(shelf.kept(), Shelf::kPerSize + 1);
  const auto taken = shelf.take(16384);
  EXPECT_EQ(shelf.kept(), Shelf::kPerSize);
}

#ifdef TCPMC_ASAN
// Shelved is not freed, but AddressSanitizer still sees a read of a buffer
// after it was given back (only the sanitized build has the check to test).
TEST(BlockShelf, ReadAfterRelease_IsReportedByAddressSanitizer) {
  EXPECT_DEATH(
      {
        HeapStorage<65536> storage;
        storage.allocate(10000);
        const std::byte* stale = storage.data();
        storage.release();
        [[maybe_unused]] const volatile std::byte read = stale[3];
      },
      "use-after-poison");
}
#endif

TEST(BlockShelf, BulkTransfer_ReusesBlocks_ShelfStaysBounded) {
  // Both buffers of a connection draw on one shelf.
  static_assert(std::is_same_v<StackParams::SendStorage, StackParams::ReceiveStorage>);
  using Shelf = StackParams::ReceiveStorage::Shelf;
  Pair<C> p = connected_pair();
  const auto msg = pattern(1000000, 3);
  std::size_t sent = 0;
  std::size_t received = 0;
  ASSERT_TRUE(p.run_until([&] {
    if (sent < msg.size()) sent += p.a.send(p.now, std::span(msg).subspan(sent)).accepted;
    received += drain(p.b, p.now).size();
    return received == msg.size() && p.a.snd_una() == p.a.snd_max() && p.in_flight() == 0;
  }));
  EXPECT_FALSE(p.a.holds_buffer_memory());
  EXPECT_FALSE(p.b.holds_buffer_memory());
  const std::size_t kept = Shelf::of_this_thread().kept();
  EXPECT_GT(kept, 0U);
  EXPECT_LE(kept, Shelf::kPerSize * Shelf::kSizes);
}

// DESIGN.md principle 4: a copy is an independent, equal value.
TEST(Scenario, Connection_CopyIsEqualAndIndependent) {
  Pair<C> p = connected_pair();
  const auto msg = pattern(1000, 1);
  p.a.send(p.now, msg);
  C copy = p.a;
  EXPECT_EQ(copy, p.a);
  EXPECT_EQ(copy.hash(), p.a.hash());
  std::byte buf[2000];
  ASSERT_TRUE(p.a.poll_transmit(p.now, buf));
  EXPECT_NE(copy, p.a);
  EXPECT_EQ(copy.send_queued(), 1000U);
}

}  // namespace
}  // namespace tcpmc::core::test
