// Keeps the fixtures honest (STYLE.md item 10): each connection that
// support/states.hpp builds directly in a state must equal, field for
// field (operator==), the connection that the canonical exchange leaves
// when it is driven through the public API with scripted peer segments.
// Every step happens at time 0, so even the timers' absolute deadlines
// must agree.
#include <gtest/gtest.h>

#include <cstddef>
#include <span>
#include <vector>

#include "support/drive.hpp"
#include "support/segments.hpp"
#include "support/states.hpp"

namespace tcpmc::core::test {
namespace {

using model::State;

// The exchange, one step at a time, on a connection that drives itself.
template <class C>
struct Driven {
  C c{test_config<typename C::Params>()};

  // Our segments go out; what the user was told is taken away, since a
  // fixture has told the user nothing.
  void flush() {
    transmitted(c, 0);
    events(c);
  }
  void open_active() {
    c.use_iss(iss<C>());
    ASSERT_EQ(c.open_active(0, {kUs, kPeer}), CallError::None);
    flush();
  }
  void open_passive() {
    ASSERT_EQ(c.open_passive(0, kUs), CallError::None);
    c.use_iss(iss<C>());
  }
  void peer(const typename C::Seg& seg) {
    send(c, 0, seg);
    flush();
  }
  void close() {
    ASSERT_EQ(c.close(0), CallError::None);
    flush();
  }
  // The peer sends as much as our window lets it, a window at a time,
  // learning each new window from our ACK.
  void fill_window() {
    const auto bytes = fill_bytes<C>();
    std::size_t sent = 0;
    std::uint32_t window = Canon<typename C::Params>::kOfferedWindow;
    while (sent < bytes.size() && window > 0) {
      const std::size_t n = std::min<std::size_t>(window, bytes.size() - sent);
      c.on_segment(0, with(data<C>(std::span(bytes).subspan(sent, n)),
                           {.seq = c.rcv_nxt(), .ack = c.snd_una()}));
      sent += n;
      const auto out = transmitted(c, 0);
      ASSERT_FALSE(out.empty()) << "data not acknowledged";
      window = out.back().seg.window;
    }
    ASSERT_EQ(sent, bytes.size());
    ASSERT_EQ(window, 0U) << "the window should have closed";
    events(c);
  }
};

template <class C>
void expect_same(const C& fixture, const C& driven, State state) {
  EXPECT_EQ(fixture.state(), state);
  EXPECT_EQ(driven.state(), state);
  EXPECT_TRUE(fixture == driven) << model::name(state) << ": fixture and driven connection differ"
                                 << " (snd_una " << fixture.snd_una().raw() << "/"
                                 << driven.snd_una().raw() << ", snd_nxt "
                                 << fixture.snd_nxt().raw() << "/" << driven.snd_nxt().raw()
                                 << ", rcv_nxt " << fixture.rcv_nxt().raw() << "/"
                                 << driven.rcv_nxt().raw() << ")";
}

template <class C>
class Fixtures : public ::testing::Test {};

using Both = ::testing::Types<Connection<StackParams>, Connection<SmallParams>>;
TYPED_TEST_SUITE(Fixtures, Both);

// RFC 9293 3.3.2: CLOSED is the fictional state of no TCB.
TYPED_TEST(Fixtures, Closed_Fixture_EqualsFreshConnection) {
  using C = TypeParam;
  Driven<C> d;
  expect_same(closed<C>(), d.c, State::Closed);
}

// RFC 9293 3.10.1: a passive OPEN enters LISTEN.
TYPED_TEST(Fixtures, Listen_Fixture_EqualsPassiveOpen) {
  using C = TypeParam;
  C driven(test_config<typename C::Params>());
  ASSERT_EQ(driven.open_passive(0, kUs), CallError::None);
  expect_same(listen<C>(), driven, State::Listen);
}

// RFC 9293 3.10.1: an active OPEN sends SYN and enters SYN-SENT.
TYPED_TEST(Fixtures, SynSent_Fixture_EqualsActiveOpen) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  expect_same(syn_sent<C>(), d.c, State::SynSent);
}

// RFC 9293 3.10.7.2: LISTEN answers a SYN with a SYN-ACK.
TYPED_TEST(Fixtures, SynReceived_Fixture_EqualsListenThatTookSyn) {
  using C = TypeParam;
  Driven<C> d;
  d.open_passive();
  d.peer(syn<C>());
  expect_same(syn_received<C>(), d.c, State::SynReceived);
}

// RFC 9293 3.10.7.3: a SYN in SYN-SENT is a simultaneous open.
TYPED_TEST(Fixtures, SynReceivedActive_Fixture_EqualsSimultaneousOpen) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn<C>());
  expect_same(syn_received_active<C>(), d.c, State::SynReceived);
}

// RFC 9293 3.10.7.3: the SYN-ACK completes an active open.
TYPED_TEST(Fixtures, Established_Fixture_EqualsActiveHandshake) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  expect_same(established<C>(), d.c, State::Established);
}

// RFC 9293 3.8.6: the peer may send until the window we offer closes.
TYPED_TEST(Fixtures, Established_FullBuffer_EqualsPeerThatFilledTheWindow) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.fill_window();
  const C fixture = established<C>(test_config<typename C::Params>(), Buffer::Full);
  expect_same(fixture, d.c, State::Established);
  EXPECT_EQ(fixture.readable(), Canon<typename C::Params>::kFill);
}

// RFC 9293 3.10.4: CLOSE in ESTABLISHED sends FIN.
TYPED_TEST(Fixtures, FinWait1_Fixture_EqualsClose) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.close();
  expect_same(fin_wait_1<C>(), d.c, State::FinWait1);
}

TYPED_TEST(Fixtures, FinWait1_FullBuffer_EqualsCloseAfterFill) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.fill_window();
  d.close();
  expect_same(fin_wait_1<C>(test_config<typename C::Params>(), Buffer::Full), d.c, State::FinWait1);
}

// RFC 9293 3.10.7.4, fifth step: the ACK of our FIN leads to FIN-WAIT-2.
TYPED_TEST(Fixtures, FinWait2_Fixture_EqualsFinAcked) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.close();
  d.peer(with(ack<C>(), {.ack = iss<C>() + 2U}));
  expect_same(fin_wait_2<C>(), d.c, State::FinWait2);
}

TYPED_TEST(Fixtures, FinWait2_FullBuffer_EqualsFinAckedAfterFill) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.fill_window();
  d.close();
  d.peer(with(ack<C>(), {.seq = d.c.rcv_nxt(), .ack = iss<C>() + 2U}));
  expect_same(fin_wait_2<C>(test_config<typename C::Params>(), Buffer::Full), d.c, State::FinWait2);
}

// RFC 9293 3.10.7.4, eighth step: the peer's FIN in ESTABLISHED.
TYPED_TEST(Fixtures, CloseWait_Fixture_EqualsPeerFin) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.peer(fin<C>());
  expect_same(close_wait<C>(), d.c, State::CloseWait);
}

// RFC 9293 3.6, Figure 13: the FINs cross.
TYPED_TEST(Fixtures, Closing_Fixture_EqualsCrossedFins) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.close();
  d.peer(fin<C>());
  expect_same(closing<C>(), d.c, State::Closing);
}

// RFC 9293 3.10.4: CLOSE in CLOSE-WAIT sends FIN.
TYPED_TEST(Fixtures, LastAck_Fixture_EqualsCloseAfterPeerFin) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.peer(fin<C>());
  d.close();
  expect_same(last_ack<C>(), d.c, State::LastAck);
}

// RFC 9293 3.10.7.4, eighth step: the peer's FIN in FIN-WAIT-2.
TYPED_TEST(Fixtures, TimeWait_Fixture_EqualsActiveClose) {
  using C = TypeParam;
  Driven<C> d;
  d.open_active();
  d.peer(syn_ack<C>());
  d.close();
  d.peer(with(ack<C>(), {.ack = iss<C>() + 2U}));
  d.peer(with(fin<C>(), {.ack = iss<C>() + 2U}));
  expect_same(time_wait<C>(), d.c, State::TimeWait);
}

// A fixture copy that any later step changes must stop being equal, or
// the checks above would pass for fixtures that equal everything.
TYPED_TEST(Fixtures, Established_AfterOneMoreOctet_NoLongerEqual) {
  using C = TypeParam;
  C c = established<C>();
  send(c, 0, data<C>());
  EXPECT_FALSE(c == established<C>());
}

}  // namespace
}  // namespace tcpmc::core::test
