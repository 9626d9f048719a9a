// Row scenarios for CLOSING, LAST-ACK and TIME-WAIT: CLOSE and ABORT
// (3.10.4, 3.10.5), SEGMENT ARRIVES (3.10.7.4, RFC 1337, RFC 1122
// 4.2.2.13) and the 2 MSL timeout (3.10.8).
#include "rows.hpp"

namespace tcpmc::core::test::rows {
namespace {

// RFC 9293 3.10.4: CLOSE once our FIN is out is refused.
TCPMC_ROW_SCENARIO(Closing_Close_ConnectionClosing) {
  C c = closing<C>();
  EXPECT_EQ(c.close(0), CallError::ConnectionClosing);
  expect_row(fired, c, State::Closing, Event::Close);
  EXPECT_EQ(c.state(), State::Closing);
}

// RFC 9293 3.10.5: ABORT in CLOSING deletes the TCB without a RST.
TCPMC_ROW_SCENARIO(Closing_Abort_ClosedSilently) {
  C c = closing<C>();
  EXPECT_EQ(c.abort(0), CallError::None);
  expect_row(fired, c, State::Closing, Event::Abort);
  EXPECT_EQ(c.state(), State::Closed);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.4 second: a RST at RCV.NXT in CLOSING: CLOSED.
TCPMC_ROW_SCENARIO(Closing_RstExact_Closed) {
  C c = closing<C>();
  send(c, 0, with(rst<C>(), {.seq = irs<C>() + 2U}));
  expect_row(fired, c, State::Closing, Event::RstExact);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::Closed));
}

// RFC 9293 3.10.7.4 fifth: the ACK of our FIN in CLOSING: TIME-WAIT.
TCPMC_ROW_SCENARIO(Closing_AckOfFin_TimeWait) {
  C c = closing<C>();
  send(c, 7, with(ack<C>(), {.seq = irs<C>() + 2U, .ack = iss<C>() + 2U}));
  expect_row(fired, c, State::Closing, Event::AckOfFin);
  EXPECT_EQ(c.state(), State::TimeWait);
  EXPECT_EQ(c.time_wait_deadline(), 7 + 2 * test_config<StackParams>().msl);
  expect_nothing(c, 7);
}

// RFC 9293 3.10.7.4 fifth and eighth: the peer's FIN again, now with the
// ACK of ours: TIME-WAIT, and the FIN acknowledged.
TCPMC_ROW_SCENARIO(Closing_FinAckOfFin_TimeWait) {
  C c = closing<C>();
  send(c, 0, with(fin<C>(), {.ack = iss<C>() + 2U}));
  expect_row(fired, c, State::Closing, Event::FinAckOfFin);
  EXPECT_EQ(c.state(), State::TimeWait);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 2U, .ack = irs<C>() + 2U});
}

// RFC 9293 3.10.7.4 fifth: the ACK of our FIN in LAST-ACK: CLOSED.
TCPMC_ROW_SCENARIO(LastAck_AckOfFin_Closed) {
  C c = last_ack<C>();
  send(c, 0, with(ack<C>(), {.seq = irs<C>() + 2U, .ack = iss<C>() + 2U}));
  expect_row(fired, c, State::LastAck, Event::AckOfFin);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::Closed));
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.4 fifth: the peer's FIN again, with the ACK of ours:
// the fifth step closes before the FIN is looked at.
TCPMC_ROW_SCENARIO(LastAck_FinAckOfFin_Closed) {
  C c = last_ack<C>();
  send(c, 0, with(fin<C>(), {.ack = iss<C>() + 2U}));
  expect_row(fired, c, State::LastAck, Event::FinAckOfFin);
  EXPECT_EQ(c.state(), State::Closed);
  expect_nothing(c, 0);
}

// RFC 1337 3 (table ambiguity note): a RST at RCV.NXT does not end TIME-WAIT.
TCPMC_ROW_SCENARIO(TimeWait_RstExact_Ignored) {
  C c = time_wait<C>();
  send(c, 0, with(rst<C>(), {.seq = irs<C>() + 2U}));
  expect_row(fired, c, State::TimeWait, Event::RstExact);
  EXPECT_EQ(c.state(), State::TimeWait);
  expect_nothing(c, 0);
}

// RFC 1337 3: an in-window RST in TIME-WAIT is not even challenged.
TCPMC_ROW_SCENARIO(TimeWait_RstInWindow_Ignored) {
  C c = time_wait<C>();
  send(c, 0, with(rst<C>(), {.seq = irs<C>() + 5U}));
  expect_row(fired, c, State::TimeWait, Event::RstInWindow);
  EXPECT_EQ(c.state(), State::TimeWait);
  EXPECT_EQ(c.challenge_acks_sent(), 0U);
  expect_nothing(c, 0);
}

// RFC 1122 4.2.2.13 (table ambiguity note): a newer SYN opens a new
// incarnation whose ISS is above everything the old one used.
TCPMC_ROW_SCENARIO(TimeWait_SynNewerInTimeWait_SynReceived) {
  C c = time_wait<C>();
  send(c, 0, with(syn<C>(), {.seq = irs<C>() + 1000U}));
  expect_row(fired, c, State::TimeWait, Event::SynNewerInTimeWait);
  EXPECT_EQ(c.state(), State::SynReceived);
  const auto syn_ack = expect_sent(c, 0, {.flags = flags::kSynAck, .ack = irs<C>() + 1001U});
  ASSERT_TRUE(syn_ack.has_value());
  EXPECT_TRUE(model::after(syn_ack->seq, iss<C>() + 2U));
}

// RFC 9293 3.10.7.4 fifth: an ACK in TIME-WAIT changes nothing.
TCPMC_ROW_SCENARIO(TimeWait_Ack_Nothing) {
  C c = time_wait<C>();
  const auto deadline = c.time_wait_deadline();
  send(c, 9, with(ack<C>(), {.seq = irs<C>() + 2U, .ack = iss<C>() + 2U}));
  expect_row(fired, c, State::TimeWait, Event::Ack);
  EXPECT_EQ(c.time_wait_deadline(), deadline);
  expect_nothing(c, 9);
}

// RFC 9293 3.10.7.4 eighth: the peer's FIN again: ACK it, restart 2 MSL.
TCPMC_ROW_SCENARIO(TimeWait_Fin_AckAndRestart) {
  C c = time_wait<C>();
  const C::Time later = StackParams::kSecond;
  send(c, later, with(fin<C>(), {.ack = iss<C>() + 2U}));
  expect_row(fired, c, State::TimeWait, Event::Fin);
  EXPECT_EQ(c.time_wait_deadline(), later + 2 * test_config<StackParams>().msl);
  expect_sent(c, later, {.flags = flags::kAck, .seq = iss<C>() + 2U, .ack = irs<C>() + 2U});
}

// RFC 9293 3.10.8: after 2 MSL, TIME-WAIT ends.
TCPMC_ROW_SCENARIO(TimeWait_TimeWaitTimeout_Closed) {
  C c = time_wait<C>();
  const auto deadline = c.time_wait_deadline();
  ASSERT_TRUE(deadline.has_value());
  c.on_timer(*deadline - 1);
  EXPECT_EQ(c.state(), State::TimeWait);
  c.on_timer(*deadline);
  expect_row(fired, c, State::TimeWait, Event::TimeWaitTimeout);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::Closed));
}

}  // namespace
}  // namespace tcpmc::core::test::rows
