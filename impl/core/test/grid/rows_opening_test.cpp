// Row scenarios for CLOSED, LISTEN and SYN-SENT, and for the rows whose
// first state is one of them: user calls (3.10.1 to 3.10.5), SEGMENT
// ARRIVES (3.10.7.1 to 3.10.7.3) and timeouts (3.10.8).
#include "rows.hpp"

namespace tcpmc::core::test::rows {
namespace {

const std::array<std::byte, 10> kTen{};

// --- CLOSED ----------------------------------------------------------------

// RFC 9293 3.10.1: a passive OPEN creates a TCB in LISTEN.
TCPMC_ROW_SCENARIO(Closed_OpenPassive_Listen) {
  C c = closed<C>();
  EXPECT_EQ(c.open_passive(0, kUs), CallError::None);
  expect_row(fired, c, State::Closed, Event::OpenPassive);
  EXPECT_EQ(c.state(), State::Listen);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.1: an active OPEN sends <SEQ=ISS><CTL=SYN>.
TCPMC_ROW_SCENARIO(Closed_OpenActive_SynSent) {
  C c = closed<C>();
  c.use_iss(iss<C>());
  EXPECT_EQ(c.open_active(0, {kUs, kPeer}), CallError::None);
  expect_row(fired, c, State::Closed, Event::OpenActive);
  EXPECT_EQ(c.state(), State::SynSent);
  expect_sent(c, 0, {.flags = flags::kSyn, .seq = iss<C>(), .payload = 0});
}

// RFC 9293 3.10.2: SEND without a connection.
TCPMC_ROW_SCENARIO(Closed_Send_NoConnection) {
  C c = closed<C>();
  EXPECT_EQ(c.send(0, kTen).error, CallError::NoConnection);
  expect_row(fired, c, State::Closed, Event::Send);
}

// RFC 9293 3.10.3: RECEIVE without a connection.
TCPMC_ROW_SCENARIO(Closed_Receive_NoConnection) {
  C c = closed<C>();
  std::array<std::byte, 4> buf{};
  EXPECT_EQ(c.receive(0, buf).error, CallError::NoConnection);
  expect_row(fired, c, State::Closed, Event::Receive);
}

// RFC 9293 3.10.4: CLOSE without a connection.
TCPMC_ROW_SCENARIO(Closed_Close_NoConnection) {
  C c = closed<C>();
  EXPECT_EQ(c.close(0), CallError::NoConnection);
  expect_row(fired, c, State::Closed, Event::Close);
}

// RFC 9293 3.10.5: ABORT without a connection.
TCPMC_ROW_SCENARIO(Closed_Abort_NoConnection) {
  C c = closed<C>();
  EXPECT_EQ(c.abort(0), CallError::NoConnection);
  expect_row(fired, c, State::Closed, Event::Abort);
}

// RFC 9293 3.10.7.1: a RST to no connection is discarded.
TCPMC_ROW_SCENARIO(Closed_RstOutOfWindow_Discarded) {
  C c = closed<C>();
  send(c, 0, rst<C>());
  expect_row(fired, c, State::Closed, Event::RstOutOfWindow);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.1: a SYN to no connection: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
TCPMC_ROW_SCENARIO(Closed_Syn_RstAck) {
  C c = closed<C>();
  send(c, 0, syn<C>());
  expect_row(fired, c, State::Closed, Event::Syn);
  expect_sent(c, 0, {.flags = flags::kRstAck, .seq = Seq(0), .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.7.1: an ACK to no connection: <SEQ=SEG.ACK><CTL=RST>.
TCPMC_ROW_SCENARIO(Closed_AckUnacceptable_Rst) {
  C c = closed<C>();
  send(c, 0, ack<C>());
  expect_row(fired, c, State::Closed, Event::AckUnacceptable);
  expect_sent(c, 0, {.flags = flags::kRst, .seq = iss<C>() + 1U});
}

// RFC 9293 3.10.7.1: neither RST nor ACK nor SYN still draws a RST.
TCPMC_ROW_SCENARIO(Closed_Stray_RstAck) {
  C c = closed<C>();
  send(c, 0, with(no_flags<C>(), {.payload = std::span<const std::byte>(kTen)}));
  expect_row(fired, c, State::Closed, Event::Stray);
  expect_sent(c, 0, {.flags = flags::kRstAck, .seq = Seq(0), .ack = irs<C>() + 11U});
}

// --- LISTEN ----------------------------------------------------------------

// RFC 9293 3.10.1: an active OPEN turns LISTEN into SYN-SENT.
TCPMC_ROW_SCENARIO(Listen_OpenActive_SynSent) {
  C c = listen<C>();
  EXPECT_EQ(c.open_active(0, {kUs, kPeer}), CallError::None);
  expect_row(fired, c, State::Listen, Event::OpenActive);
  EXPECT_EQ(c.state(), State::SynSent);
  EXPECT_FALSE(c.opened_passively());
  expect_sent(c, 0, {.flags = flags::kSyn});
}

// RFC 9293 3.10.1: a second OPEN on an existing TCB.
TCPMC_ROW_SCENARIO(Listen_OpenPassive_ConnectionExists) {
  C c = listen<C>();
  EXPECT_EQ(c.open_passive(0, kUs), CallError::ConnectionExists);
  expect_row(fired, c, State::Listen, Event::OpenPassive);
  EXPECT_EQ(c.state(), State::Listen);
}

// RFC 9293 3.10.2 (Figure 5 "SEND / snd SYN"): a fully specified passive
// OPEN (3.9.1.1) turns active on SEND, and the data waits for ESTABLISHED.
TCPMC_ROW_SCENARIO(Listen_SendRemoteSpecified_SynSent) {
  C c(Config<StackParams>::stack_defaults());
  ASSERT_EQ(c.open_passive(0, kUs, kPeer), CallError::None);
  EXPECT_EQ(c.send(0, kTen).accepted, kTen.size());
  expect_row(fired, c, State::Listen, Event::Send, Guard::RemoteSpecified);
  EXPECT_EQ(c.state(), State::SynSent);
  expect_sent(c, 0, {.flags = flags::kSyn});
}

// RFC 9293 3.10.2: SEND in LISTEN with no remote socket.
TCPMC_ROW_SCENARIO(Listen_SendRemoteUnspecified_NoConnection) {
  C c = listen<C>();
  EXPECT_EQ(c.send(0, kTen).error, CallError::NoConnection);
  expect_row(fired, c, State::Listen, Event::Send, Guard::RemoteUnspecified);
  EXPECT_EQ(c.state(), State::Listen);
}

// RFC 9293 3.10.3: RECEIVE in LISTEN waits for ESTABLISHED.
TCPMC_ROW_SCENARIO(Listen_Receive_Queued) {
  C c = listen<C>();
  std::array<std::byte, 4> buf{};
  const auto r = c.receive(0, buf);
  expect_row(fired, c, State::Listen, Event::Receive);
  EXPECT_EQ(r.error, CallError::None);
  EXPECT_EQ(r.bytes, 0U);
}

// RFC 9293 3.10.4: CLOSE in LISTEN deletes the TCB.
TCPMC_ROW_SCENARIO(Listen_Close_Closed) {
  C c = listen<C>();
  EXPECT_EQ(c.close(0), CallError::None);
  expect_row(fired, c, State::Listen, Event::Close);
  EXPECT_EQ(c.state(), State::Closed);
}

// RFC 9293 3.10.5: ABORT in LISTEN deletes the TCB, silently.
TCPMC_ROW_SCENARIO(Listen_Abort_Closed) {
  C c = listen<C>();
  EXPECT_EQ(c.abort(0), CallError::None);
  expect_row(fired, c, State::Listen, Event::Abort);
  EXPECT_EQ(c.state(), State::Closed);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.2 first: a RST in LISTEN is ignored.
TCPMC_ROW_SCENARIO(Listen_RstOutOfWindow_Ignored) {
  C c = listen<C>();
  send(c, 0, rst_ack<C>());
  expect_row(fired, c, State::Listen, Event::RstOutOfWindow);
  EXPECT_EQ(c.state(), State::Listen);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.2 second: any ACK in LISTEN draws <SEQ=SEG.ACK><CTL=RST>.
TCPMC_ROW_SCENARIO(Listen_AckUnacceptable_Rst) {
  C c = listen<C>();
  send(c, 0, with(ack<C>(), {.ack = iss<C>() + 77U}));
  expect_row(fired, c, State::Listen, Event::AckUnacceptable);
  EXPECT_EQ(c.state(), State::Listen);
  expect_sent(c, 0, {.flags = flags::kRst, .seq = iss<C>() + 77U});
}

// RFC 9293 3.10.7.2 third: a SYN is answered with SYN-ACK.
TCPMC_ROW_SCENARIO(Listen_Syn_SynReceived) {
  C c = listen<C>();
  send(c, 0, syn<C>());
  expect_row(fired, c, State::Listen, Event::Syn);
  EXPECT_EQ(c.state(), State::SynReceived);
  EXPECT_EQ(c.tuple().remote, kPeer);
  expect_sent(c, 0, {.flags = flags::kSynAck, .ack = irs<C>() + 1U, .payload = 0});
}

// RFC 9293 3.10.7.2 fourth: anything else is dropped.
TCPMC_ROW_SCENARIO(Listen_Stray_Dropped) {
  C c = listen<C>();
  send(c, 0, no_flags<C>());
  expect_row(fired, c, State::Listen, Event::Stray);
  EXPECT_EQ(c.state(), State::Listen);
  expect_nothing(c, 0);
}

// --- SYN-SENT --------------------------------------------------------------

// RFC 9293 3.10.1: OPEN on an existing connection.
TCPMC_ROW_SCENARIO(SynSent_OpenPassive_ConnectionExists) {
  C c = syn_sent<C>();
  EXPECT_EQ(c.open_passive(0, kUs), CallError::ConnectionExists);
  expect_row(fired, c, State::SynSent, Event::OpenPassive);
  EXPECT_EQ(c.state(), State::SynSent);
}

// RFC 9293 3.10.1: OPEN on an existing connection.
TCPMC_ROW_SCENARIO(SynSent_OpenActive_ConnectionExists) {
  C c = syn_sent<C>();
  EXPECT_EQ(c.open_active(0, {kUs, kPeer}), CallError::ConnectionExists);
  expect_row(fired, c, State::SynSent, Event::OpenActive);
  EXPECT_EQ(c.state(), State::SynSent);
}

// RFC 9293 3.10.2: SEND before ESTABLISHED is queued, not sent.
TCPMC_ROW_SCENARIO(SynSent_Send_Queued) {
  C c = syn_sent<C>();
  EXPECT_EQ(c.send(0, kTen).accepted, kTen.size());
  expect_row(fired, c, State::SynSent, Event::Send);
  EXPECT_EQ(c.send_queued(), kTen.size());
  expect_nothing(c, 0);
}

// RFC 9293 3.10.4: CLOSE in SYN-SENT deletes the TCB.
TCPMC_ROW_SCENARIO(SynSent_Close_Closed) {
  C c = syn_sent<C>();
  EXPECT_EQ(c.close(0), CallError::None);
  expect_row(fired, c, State::SynSent, Event::Close);
  EXPECT_EQ(c.state(), State::Closed);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.3 first: an ACK of something never sent draws a RST,
// and the connection waits on.
TCPMC_ROW_SCENARIO(SynSent_AckUnacceptable_RstAndStay) {
  C c = syn_sent<C>();
  send(c, 0, with(syn_ack<C>(), {.ack = iss<C>() + 9U}));
  expect_row(fired, c, State::SynSent, Event::AckUnacceptable);
  EXPECT_EQ(c.state(), State::SynSent);
  expect_sent(c, 0, {.flags = flags::kRst, .seq = iss<C>() + 9U});
}

// RFC 9293 3.10.7.3 second: a RST with an acceptable ACK refuses.
TCPMC_ROW_SCENARIO(SynSent_RstExact_Refused) {
  C c = syn_sent<C>();
  send(c, 0, rst_ack<C>());
  expect_row(fired, c, State::SynSent, Event::RstExact);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::Refused));
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.3 second: a RST without ACK is dropped.
TCPMC_ROW_SCENARIO(SynSent_RstOutOfWindow_Dropped) {
  C c = syn_sent<C>();
  send(c, 0, rst<C>());
  expect_row(fired, c, State::SynSent, Event::RstOutOfWindow);
  EXPECT_EQ(c.state(), State::SynSent);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.3 fourth: the SYN-ACK completes the handshake.
TCPMC_ROW_SCENARIO(SynSent_SynAck_Established) {
  C c = syn_sent<C>();
  send(c, 0, syn_ack<C>());
  expect_row(fired, c, State::SynSent, Event::SynAck);
  EXPECT_EQ(c.state(), State::Established);
  EXPECT_TRUE(has(events(c), UserEvent::Connected));
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.7.3 fourth: SYNs crossed: simultaneous open.
TCPMC_ROW_SCENARIO(SynSent_Syn_SynReceived) {
  C c = syn_sent<C>();
  send(c, 0, syn<C>());
  expect_row(fired, c, State::SynSent, Event::Syn);
  EXPECT_EQ(c.state(), State::SynReceived);
  expect_sent(c, 0, {.flags = flags::kSynAck, .seq = iss<C>(), .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.7.3 fifth: neither SYN nor RST: dropped.
TCPMC_ROW_SCENARIO(SynSent_Stray_Dropped) {
  C c = syn_sent<C>();
  send(c, 0, ack<C>());
  expect_row(fired, c, State::SynSent, Event::Stray);
  EXPECT_EQ(c.state(), State::SynSent);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.8, RFC 6298 5.4: the SYN is sent again when the timer expires.
TCPMC_ROW_SCENARIO(SynSent_RetransmissionTimeout_SynAgain) {
  C c = syn_sent<C>();
  const auto deadline = c.next_deadline();
  ASSERT_TRUE(deadline.has_value());
  c.on_timer(*deadline);
  expect_row(fired, c, State::SynSent, Event::RetransmissionTimeout, Guard::RetriesLeft);
  EXPECT_EQ(c.state(), State::SynSent);
  expect_sent(c, *deadline, {.flags = flags::kSyn, .seq = iss<C>()});
}

// RFC 9293 3.10.8 (RFC 1122 4.2.3.5 R2): out of retries, the open fails.
TCPMC_ROW_SCENARIO(SynSent_RetransmissionTimeoutRetriesExhausted_TimedOut) {
  auto config = test_config<StackParams>();
  config.max_syn_retries = 0;
  C c = syn_sent<C>(config);
  c.on_timer(*c.next_deadline());
  expect_row(fired, c, State::SynSent, Event::RetransmissionTimeout, Guard::RetriesExhausted);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::TimedOut));
}

// RFC 9293 3.10.8: the user timeout ends the connection.
TCPMC_ROW_SCENARIO(SynSent_UserTimeout_TimedOut) {
  auto config = test_config<StackParams>();
  config.user_timeout = StackParams::kSecond / 2;
  C c = syn_sent<C>(config);
  c.on_timer(config.user_timeout);
  expect_row(fired, c, State::SynSent, Event::UserTimeout);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::TimedOut));
}

}  // namespace
}  // namespace tcpmc::core::test::rows
