// Row scenarios for SYN-RECEIVED and the rows whose first state it is:
// CLOSE and ABORT (3.10.4, 3.10.5) and SEGMENT ARRIVES (3.10.7.4, with
// RFC 5961).
#include "rows.hpp"

namespace tcpmc::core::test::rows {
namespace {

// RFC 9293 3.10.4: CLOSE in SYN-RECEIVED sends FIN, FIN-WAIT-1.
TCPMC_ROW_SCENARIO(SynReceived_Close_FinWait1) {
  C c = syn_received<C>();
  EXPECT_EQ(c.close(0), CallError::None);
  expect_row(fired, c, State::SynReceived, Event::Close);
  EXPECT_EQ(c.state(), State::FinWait1);
  expect_sent(c, 0, {.flags = flags::kFin, .seq = iss<C>() + 1U});
}

// RFC 9293 3.10.5: ABORT sends <SEQ=SND.NXT><CTL=RST>.
TCPMC_ROW_SCENARIO(SynReceived_Abort_RstAndClosed) {
  C c = syn_received<C>();
  EXPECT_EQ(c.abort(0), CallError::None);
  expect_row(fired, c, State::SynReceived, Event::Abort);
  EXPECT_EQ(c.state(), State::Closed);
  expect_sent(c, 0, {.flags = flags::kRst, .seq = iss<C>() + 1U});
}

// RFC 9293 3.10.7.4 first: an unacceptable segment is answered with an ACK.
TCPMC_ROW_SCENARIO(SynReceived_Unacceptable_Ack) {
  C c = syn_received<C>();
  send(c, 0, with(data<C>(), {.seq = irs<C>()}));
  expect_row(fired, c, State::SynReceived, Event::Unacceptable);
  EXPECT_EQ(c.state(), State::SynReceived);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.7.4 second: passive open reset: back to LISTEN, silently.
TCPMC_ROW_SCENARIO(SynReceived_RstExactPassive_Listen) {
  C c = syn_received<C>();
  send(c, 0, rst<C>());
  expect_row(fired, c, State::SynReceived, Event::RstExact, Guard::OpenedPassively);
  EXPECT_EQ(c.state(), State::Listen);
  EXPECT_TRUE(events(c).empty());
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.4 second: active open reset: connection refused.
TCPMC_ROW_SCENARIO(SynReceived_RstExactActive_Refused) {
  C c = syn_received_active<C>();
  send(c, 0, rst<C>());
  expect_row(fired, c, State::SynReceived, Event::RstExact, Guard::OpenedActively);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::Refused));
}

// RFC 5961 3.2: an in-window RST not at RCV.NXT is challenged.
TCPMC_ROW_SCENARIO(SynReceived_RstInWindow_ChallengeAck) {
  C c = syn_received<C>();
  send(c, 0, with(rst<C>(), {.seq = irs<C>() + 2U}));
  expect_row(fired, c, State::SynReceived, Event::RstInWindow);
  EXPECT_EQ(c.state(), State::SynReceived);
  EXPECT_EQ(c.challenge_acks_sent(), 1U);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 1U});
}

// RFC 5961 3.2: a RST outside the window is dropped silently.
TCPMC_ROW_SCENARIO(SynReceived_RstOutOfWindow_Dropped) {
  C c = syn_received<C>();
  send(c, 0, with(rst<C>(), {.seq = irs<C>()}));
  expect_row(fired, c, State::SynReceived, Event::RstOutOfWindow);
  EXPECT_EQ(c.state(), State::SynReceived);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.4 (table ambiguity note): the peer's SYN again gets our
// SYN-ACK again.
TCPMC_ROW_SCENARIO(SynReceived_Syn_SynAckAgain) {
  C c = syn_received<C>();
  send(c, 0, syn<C>());
  expect_row(fired, c, State::SynReceived, Event::Syn);
  EXPECT_EQ(c.state(), State::SynReceived);
  expect_sent(c, 0, {.flags = flags::kSynAck, .seq = iss<C>(), .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.7.4 fourth: a passive SYN-RECEIVED returns to LISTEN.
TCPMC_ROW_SCENARIO(SynReceived_SynInSynchronizedPassive_Listen) {
  C c = syn_received<C>();
  send(c, 0, with(syn<C>(), {.seq = irs<C>() + 1U}));
  expect_row(fired, c, State::SynReceived, Event::SynInSynchronized, Guard::OpenedPassively);
  EXPECT_EQ(c.state(), State::Listen);
  expect_nothing(c, 0);
}

// RFC 5961 4.2: an active SYN-RECEIVED challenges any other SYN.
TCPMC_ROW_SCENARIO(SynReceived_SynInSynchronizedActive_ChallengeAck) {
  C c = syn_received_active<C>();
  send(c, 0, with(syn<C>(), {.seq = irs<C>() + 1U}));
  expect_row(fired, c, State::SynReceived, Event::SynInSynchronized, Guard::OpenedActively);
  EXPECT_EQ(c.state(), State::SynReceived);
  EXPECT_EQ(c.challenge_acks_sent(), 1U);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.7.4 fifth: no ACK bit: dropped.
TCPMC_ROW_SCENARIO(SynReceived_Stray_Dropped) {
  C c = syn_received<C>();
  send(c, 0, no_flags<C>());
  expect_row(fired, c, State::SynReceived, Event::Stray);
  EXPECT_EQ(c.state(), State::SynReceived);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.4 fifth: an ACK of something never sent: <SEQ=SEG.ACK><CTL=RST>.
TCPMC_ROW_SCENARIO(SynReceived_AckUnacceptable_Rst) {
  C c = syn_received<C>();
  send(c, 0, with(ack<C>(), {.ack = iss<C>() + 5U}));
  expect_row(fired, c, State::SynReceived, Event::AckUnacceptable);
  EXPECT_EQ(c.state(), State::SynReceived);
  expect_sent(c, 0, {.flags = flags::kRst, .seq = iss<C>() + 5U});
}

// RFC 9293 3.10.7.4 fifth: the ACK of our SYN: ESTABLISHED.
TCPMC_ROW_SCENARIO(SynReceived_AckOfSyn_Established) {
  C c = syn_received<C>();
  send(c, 0, ack<C>());
  expect_row(fired, c, State::SynReceived, Event::AckOfSyn);
  EXPECT_EQ(c.state(), State::Established);
  EXPECT_TRUE(has(events(c), UserEvent::Connected));
  EXPECT_EQ(c.snd_una(), iss<C>() + 1U);
}

// RFC 9293 3.10.7.4 eighth: a FIN that also ACKs our SYN: CLOSE-WAIT.
TCPMC_ROW_SCENARIO(SynReceived_Fin_CloseWait) {
  C c = syn_received<C>();
  send(c, 0, fin<C>());
  expect_row(fired, c, State::SynReceived, Event::Fin);
  EXPECT_EQ(c.state(), State::CloseWait);
  const auto ev = events(c);
  EXPECT_TRUE(has(ev, UserEvent::Connected));
  EXPECT_TRUE(has(ev, UserEvent::PeerFinished));
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 2U});
}

}  // namespace
}  // namespace tcpmc::core::test::rows
