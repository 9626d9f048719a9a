// Row scenarios for ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 and CLOSE-WAIT,
// and the rows whose first state is one of them: SEND, RECEIVE, CLOSE
// (3.10.2 to 3.10.4) and SEGMENT ARRIVES (3.10.7.4, with RFC 5961).
#include "rows.hpp"

namespace tcpmc::core::test::rows {
namespace {

const std::array<std::byte, 10> kTen{std::byte{1}, std::byte{2}, std::byte{3}};

// RFC 9293 3.10.2: SEND in ESTABLISHED segmentizes and sends.
TCPMC_ROW_SCENARIO(Established_Send_DataSent) {
  C c = established<C>();
  EXPECT_EQ(c.send(0, kTen).accepted, kTen.size());
  expect_row(fired, c, State::Established, Event::Send);
  expect_sent(c, 0,
              {.flags = SegmentFlags{.ack = true, .psh = true},
               .seq = iss<C>() + 1U,
               .ack = irs<C>() + 1U,
               .payload = kTen.size()});
}

// RFC 9293 3.10.2: SEND after our FIN.
TCPMC_ROW_SCENARIO(FinWait1_Send_ConnectionClosing) {
  C c = fin_wait_1<C>();
  EXPECT_EQ(c.send(0, kTen).error, CallError::ConnectionClosing);
  expect_row(fired, c, State::FinWait1, Event::Send);
  EXPECT_EQ(c.send_queued(), 0U);
}

// RFC 9293 3.10.3: RECEIVE hands over delivered data.
TCPMC_ROW_SCENARIO(Established_Receive_Delivered) {
  C c = established<C>();
  send(c, 0, data<C>(kTen));
  std::array<std::byte, 16> buf{};
  const auto r = c.receive(0, buf);
  expect_row(fired, c, State::Established, Event::Receive);
  EXPECT_EQ(r.bytes, kTen.size());
  EXPECT_EQ(buf[1], std::byte{2});
}

// RFC 9293 3.10.3 (table ambiguity note): after the peer's FIN, data that
// came before it is still delivered.
TCPMC_ROW_SCENARIO(CloseWait_Receive_DeliversDataBeforeFin) {
  C c = established<C>();
  send(c, 0, with(data<C>(kTen), {.flags = flags::kFin}));
  ASSERT_EQ(c.state(), State::CloseWait);
  std::array<std::byte, 16> buf{};
  const auto r = c.receive(0, buf);
  expect_row(fired, c, State::CloseWait, Event::Receive);
  EXPECT_EQ(r.bytes, kTen.size());
  EXPECT_TRUE(r.end_of_stream);
}

// RFC 9293 3.10.4: CLOSE in ESTABLISHED sends FIN: FIN-WAIT-1.
TCPMC_ROW_SCENARIO(Established_Close_FinWait1) {
  C c = established<C>();
  EXPECT_EQ(c.close(0), CallError::None);
  expect_row(fired, c, State::Established, Event::Close);
  EXPECT_EQ(c.state(), State::FinWait1);
  expect_sent(c, 0, {.flags = flags::kFin, .seq = iss<C>() + 1U, .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.4: CLOSE in CLOSE-WAIT sends FIN: LAST-ACK.
TCPMC_ROW_SCENARIO(CloseWait_Close_LastAck) {
  C c = close_wait<C>();
  EXPECT_EQ(c.close(0), CallError::None);
  expect_row(fired, c, State::CloseWait, Event::Close);
  EXPECT_EQ(c.state(), State::LastAck);
  expect_sent(c, 0, {.flags = flags::kFin, .seq = iss<C>() + 1U, .ack = irs<C>() + 2U});
}

// RFC 9293 3.10.4 (table ambiguity note): a second CLOSE is refused and
// sends no second FIN.
TCPMC_ROW_SCENARIO(FinWait1_Close_ConnectionClosing) {
  C c = fin_wait_1<C>();
  EXPECT_EQ(c.close(0), CallError::ConnectionClosing);
  expect_row(fired, c, State::FinWait1, Event::Close);
  EXPECT_EQ(c.state(), State::FinWait1);
  expect_nothing(c, 0);
}

// RFC 9293 3.10.7.4 second: a RST at RCV.NXT resets the connection.
TCPMC_ROW_SCENARIO(Established_RstExact_Reset) {
  C c = established<C>();
  send(c, 0, rst<C>());
  expect_row(fired, c, State::Established, Event::RstExact);
  EXPECT_EQ(c.state(), State::Closed);
  EXPECT_TRUE(has(events(c), UserEvent::Reset));
  expect_nothing(c, 0);
}

// RFC 5961 4.2: a SYN in ESTABLISHED is challenged, whatever its SEQ.
TCPMC_ROW_SCENARIO(Established_SynInSynchronized_ChallengeAck) {
  C c = established<C>();
  send(c, 0, with(syn<C>(), {.seq = irs<C>() + 100000U}));
  expect_row(fired, c, State::Established, Event::SynInSynchronized);
  EXPECT_EQ(c.state(), State::Established);
  EXPECT_EQ(c.challenge_acks_sent(), 1U);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 1U});
}

// RFC 5961 5.2, RFC 9293 3.10.7.4 fifth: an ACK of unsent data: ACK, drop.
TCPMC_ROW_SCENARIO(Established_AckUnacceptable_AckAndDrop) {
  C c = established<C>();
  send(c, 0, with(data<C>(), {.ack = iss<C>() + 50U}));
  expect_row(fired, c, State::Established, Event::AckUnacceptable);
  EXPECT_EQ(c.readable(), 0U);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 1U});
}

// RFC 9293 3.10.7.4 fifth to seventh: data taken and acknowledged.
TCPMC_ROW_SCENARIO(Established_Ack_DataAcknowledged) {
  C c = established<C>();
  send(c, 0, data<C>(kTen));
  expect_row(fired, c, State::Established, Event::Ack);
  EXPECT_EQ(c.readable(), kTen.size());
  expect_sent(c, 0, {.flags = flags::kAck, .ack = irs<C>() + 11U});
}

// RFC 9293 3.10.7.4 fifth: the ACK of our FIN: FIN-WAIT-2.
TCPMC_ROW_SCENARIO(FinWait1_AckOfFin_FinWait2) {
  C c = fin_wait_1<C>();
  send(c, 0, with(ack<C>(), {.ack = iss<C>() + 2U}));
  expect_row(fired, c, State::FinWait1, Event::AckOfFin);
  EXPECT_EQ(c.state(), State::FinWait2);
  EXPECT_FALSE(c.next_deadline().has_value());
}

// RFC 9293 3.10.7.4 eighth: the peer's FIN in ESTABLISHED: CLOSE-WAIT.
TCPMC_ROW_SCENARIO(Established_Fin_CloseWait) {
  C c = established<C>();
  send(c, 0, fin<C>());
  expect_row(fired, c, State::Established, Event::Fin);
  EXPECT_EQ(c.state(), State::CloseWait);
  EXPECT_TRUE(has(events(c), UserEvent::PeerFinished));
  expect_sent(c, 0, {.flags = flags::kAck, .ack = irs<C>() + 2U});
}

// RFC 9293 3.10.7.4 eighth: FINs crossed: CLOSING.
TCPMC_ROW_SCENARIO(FinWait1_Fin_Closing) {
  C c = fin_wait_1<C>();
  send(c, 0, fin<C>());
  expect_row(fired, c, State::FinWait1, Event::Fin);
  EXPECT_EQ(c.state(), State::Closing);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 2U, .ack = irs<C>() + 2U});
}

// RFC 9293 3.10.7.4 eighth: a FIN that also ACKs ours: TIME-WAIT at once.
TCPMC_ROW_SCENARIO(FinWait1_FinAckOfFin_TimeWait) {
  C c = fin_wait_1<C>();
  send(c, 0, with(fin<C>(), {.ack = iss<C>() + 2U}));
  expect_row(fired, c, State::FinWait1, Event::FinAckOfFin);
  EXPECT_EQ(c.state(), State::TimeWait);
  EXPECT_EQ(c.time_wait_deadline(), 2 * test_config<StackParams>().msl);
  expect_sent(c, 0, {.flags = flags::kAck, .ack = irs<C>() + 2U});
}

// RFC 9293 3.10.7.4 eighth: the peer's FIN in FIN-WAIT-2: TIME-WAIT.
TCPMC_ROW_SCENARIO(FinWait2_Fin_TimeWait) {
  C c = fin_wait_2<C>();
  send(c, 5, with(fin<C>(), {.ack = iss<C>() + 2U}));
  expect_row(fired, c, State::FinWait2, Event::Fin);
  EXPECT_EQ(c.state(), State::TimeWait);
  EXPECT_EQ(c.time_wait_deadline(), 5 + 2 * test_config<StackParams>().msl);
  expect_sent(c, 5, {.flags = flags::kAck, .ack = irs<C>() + 2U});
}

// RFC 9293 3.10.7.4 eighth (table ambiguity note): the peer's FIN again
// in CLOSE-WAIT is acknowledged again.
TCPMC_ROW_SCENARIO(CloseWait_Fin_AckAgain) {
  C c = close_wait<C>();
  send(c, 0, fin<C>());
  expect_row(fired, c, State::CloseWait, Event::Fin);
  EXPECT_EQ(c.state(), State::CloseWait);
  expect_sent(c, 0, {.flags = flags::kAck, .seq = iss<C>() + 1U, .ack = irs<C>() + 2U});
}

}  // namespace
}  // namespace tcpmc::core::test::rows
