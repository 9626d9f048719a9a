// The listener's two queues and SYN cookies (RFC 4987), driven by clients
// that are engines too.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <tcpmc/core/listener.hpp>
#include <vector>

namespace tcpmc::core {
namespace {

using model::State;
using C = Connection<StackParams>;
using L = Listener<StackParams>;
using Time = StackParams::Time;

constexpr Endpoint kServer{0xC6120002, 80};  // 198.18.0.2
const Config<StackParams> kConfig = [] {
  auto c = Config<StackParams>::stack_defaults();
  c.isn_secret.fill(0x5a);
  return c;
}();

Endpoint client_endpoint(std::uint32_t i) {
  return {0xC6120100U + (i >> 14), static_cast<std::uint16_t>(1024 + (i & 0x3fff))};
}

// Moves segments between a set of clients and the listener until quiet.
void exchange(std::vector<C>& clients, L& l, Time now) {
  std::byte buf[2048];
  for (int round = 0; round < 20; ++round) {
    bool any = false;
    for (C& c : clients) {
      while (auto s = c.poll_transmit(now, buf)) {
        l.on_segment(now, *s);
        any = true;
      }
    }
    while (auto s = l.poll_transmit(now, buf)) {
      for (C& c : clients) {
        if (c.tuple().local == s->destination) c.on_segment(now, *s);
      }
      any = true;
    }
    if (!any) return;
  }
}

// RFC 9293 3.5 with the seed notes' queues: a handshake passes through the
// SYN queue into the accept queue, and accept() hands the connection over.
TEST(Listener, Handshake_ThroughBothQueues) {
  L l(kServer, {4, 4}, kConfig);
  std::vector<C> clients{C(kConfig)};
  clients[0].open_active(0, {client_endpoint(0), kServer});
  std::byte buf[2048];
  l.on_segment(0, *clients[0].poll_transmit(0, buf));
  EXPECT_EQ(l.syn_queue_size(), 1U);
  EXPECT_EQ(l.accept_queue_size(), 0U);
  clients[0].on_segment(0, *l.poll_transmit(0, buf));
  l.on_segment(0, *clients[0].poll_transmit(0, buf));
  EXPECT_EQ(l.syn_queue_size(), 0U);
  EXPECT_EQ(l.accept_queue_size(), 1U);
  auto server = l.accept();
  ASSERT_TRUE(server);
  EXPECT_EQ(server->state(), State::Established);
  EXPECT_EQ(server->tuple().remote, client_endpoint(0));
  EXPECT_EQ(l.counters().established, 1U);
}

// RFC 4987 3.6: with the SYN queue full, a client still gets in, through a
// cookie, and the listener keeps nothing for it meanwhile.
TEST(Listener, SynQueueFull_CookieLetsLegitimateClientIn) {
  L l(kServer, {2, 8}, kConfig);
  std::vector<C> clients;
  for (std::uint32_t i = 0; i < 5; ++i) {
    clients.emplace_back(kConfig);
    clients.back().open_active(0, {client_endpoint(i), kServer});
  }
  exchange(clients, l, 0);
  EXPECT_EQ(l.counters().syn_queue_overflows, 3U);
  EXPECT_EQ(l.counters().cookies_sent, 3U);
  EXPECT_EQ(l.counters().cookies_validated, 3U);
  EXPECT_EQ(l.accept_queue_size(), 5U);
  for (C& c : clients) EXPECT_EQ(c.state(), State::Established);
}

// RFC 4987 3.6: a forged ACK with a made-up cookie never creates a
// connection (100,000 tries).
TEST(Listener, ForgedCookies_NeverAccepted) {
  L l(kServer, {1, 8}, kConfig);
  // Fill the SYN queue and make the listener send a cookie, so that ACKs
  // are checked as cookies.
  std::vector<C> clients;
  for (std::uint32_t i = 0; i < 2; ++i) {
    clients.emplace_back(kConfig);
    clients.back().open_active(0, {client_endpoint(i), kServer});
    std::byte buf[64];
    l.on_segment(0, *clients.back().poll_transmit(0, buf));
  }
  ASSERT_EQ(l.counters().cookies_sent, 1U);
  std::mt19937 rng(42);
  for (std::uint32_t i = 0; i < 100000; ++i) {
    C::Seg ack{};
    ack.source = client_endpoint(1000 + i % 5000);
    ack.destination = kServer;
    ack.flags.ack = true;
    ack.seq = C::Seq(static_cast<std::uint32_t>(rng()));
    ack.ack = C::Seq(static_cast<std::uint32_t>(rng()));
    ack.window = 65535;
    l.on_segment(1, ack);
  }
  EXPECT_EQ(l.counters().cookies_validated, 0U);
  EXPECT_EQ(l.counters().cookies_rejected, 100000U);
  EXPECT_EQ(l.accept_queue_size(), 0U);
  EXPECT_EQ(l.syn_queue_size(), 1U);
}

// A cookie older than its lifetime is refused.
TEST(Listener, StaleCookie_Rejected) {
  const FourTuple t{kServer, client_endpoint(1)};
  const std::uint32_t cookie = make_cookie(t, 777, 1460, 10, kConfig.isn_secret);
  EXPECT_TRUE(check_cookie(cookie, t, 777, 10, kConfig.isn_secret));
  EXPECT_TRUE(check_cookie(cookie, t, 777, 11, kConfig.isn_secret));
  EXPECT_FALSE(check_cookie(cookie, t, 777, 12, kConfig.isn_secret));
  // Another tuple or another peer ISN does not match.
  EXPECT_FALSE(check_cookie(cookie, {kServer, client_endpoint(2)}, 777, 10, kConfig.isn_secret));
  EXPECT_FALSE(check_cookie(cookie, t, 778, 10, kConfig.isn_secret));
  EXPECT_EQ(check_cookie(cookie, t, 777, 10, kConfig.isn_secret)->mss, 1460);
}

// Seed notes / Linux default: with the accept queue full the completing ACK
// is dropped; the client's retransmission is served once the user accepts.
TEST(Listener, AcceptQueueFull_CompletingAckDropped_ServedAfterAccept) {
  L l(kServer, {8, 1}, kConfig);
  std::vector<C> clients;
  for (std::uint32_t i = 0; i < 2; ++i) {
    clients.emplace_back(kConfig);
    clients.back().open_active(0, {client_endpoint(i), kServer});
  }
  exchange(clients, l, 0);
  EXPECT_EQ(l.accept_queue_size(), 1U);
  EXPECT_EQ(l.syn_queue_size(), 1U);
  EXPECT_GE(l.counters().accept_queue_overflows, 1U);
  ASSERT_TRUE(l.accept());
  // The half-open entry's SYN-ACK is retransmitted; the client ACKs again.
  Time now = 0;
  for (int i = 0; i < 10 && l.accept_queue_size() == 0; ++i) {
    now = *l.next_deadline();
    l.on_timer(now);
    exchange(clients, l, now);
  }
  EXPECT_EQ(l.accept_queue_size(), 1U);
  EXPECT_GE(l.counters().syn_ack_retransmits, 1U);
  EXPECT_EQ(l.syn_queue_size(), 0U);
}

// RFC 9293 3.10.8: a half-open entry whose SYN-ACKs go unanswered goes.
TEST(Listener, UnansweredSynAck_EntryTimesOut) {
  L l(kServer, {8, 8}, kConfig);
  C::Seg syn{};
  syn.source = client_endpoint(1);
  syn.destination = kServer;
  syn.flags.syn = true;
  syn.seq = C::Seq(1234);
  syn.window = 65535;
  l.on_segment(0, syn);
  ASSERT_EQ(l.syn_queue_size(), 1U);
  for (int i = 0; i < 20 && l.syn_queue_size() > 0; ++i) l.on_timer(*l.next_deadline());
  EXPECT_EQ(l.syn_queue_size(), 0U);
  EXPECT_EQ(l.counters().half_open_timeouts, 1U);
  EXPECT_EQ(l.counters().syn_ack_retransmits, kConfig.max_syn_retries);
}

// Half-open entries stay small, as the SYN-queue figure asks.
TEST(Listener, HalfOpenEntry_AtMost64Bytes) { EXPECT_LE(sizeof(HalfOpenEntry<StackParams>), 64U); }

}  // namespace
}  // namespace tcpmc::core
