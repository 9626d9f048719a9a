// The table observer on hand-built captures: which rows it fires at each
// end, and which segments it refuses to explain.
#include <gtest/gtest.h>

#include <tcpmc/verify/trace_observer.hpp>
#include <vector>

namespace tcpmc::verify {
namespace {

using model::Event;
using model::State;

constexpr std::uint32_t kClientIss = 1000;
constexpr std::uint32_t kServerIss = 5000;

// Segment templates plus overrides, as the engine's tests build them.
SeenSegment seg(End from, model::SegmentFlags flags, std::uint32_t seq, std::uint32_t ack,
                std::uint32_t payload = 0) {
  SeenSegment s;
  s.from = from;
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.payload = payload;
  s.window = 65535;
  return s;
}
constexpr model::SegmentFlags kSyn{.syn = true};
constexpr model::SegmentFlags kSynAck{.syn = true, .ack = true};
constexpr model::SegmentFlags kAck{.ack = true};
constexpr model::SegmentFlags kFinAck{.ack = true, .fin = true};
constexpr model::SegmentFlags kRst{.rst = true};

// Client and server ESTABLISHED after a captured handshake; the client's
// next octet is kClientIss + 1, the server's kServerIss + 1.
TraceObserver established() {
  TraceObserver o;
  o.on_segment(seg(End::Client, kSyn, kClientIss, 0));
  o.on_segment(seg(End::Server, kSynAck, kServerIss, kClientIss + 1));
  o.on_segment(seg(End::Client, kAck, kClientIss + 1, kServerIss + 1));
  return o;
}

// RFC 9293 3.10.1, 3.10.7.2, 3.10.7.3, 3.10.7.4: the three-way handshake.
TEST(TraceObserver, Handshake_FiresOpenSynSynAckAndAckOfSynRows) {
  TraceObserver o;
  const Explanation syn = o.on_segment(seg(End::Client, kSyn, kClientIss, 0));
  EXPECT_EQ(o.initial_states()[0], State::Closed);
  EXPECT_EQ(o.initial_states()[1], State::Listen);
  ASSERT_TRUE(syn.user.has_value());
  EXPECT_EQ(syn.user->event, Event::OpenActive);
  EXPECT_EQ(syn.user->to, State::SynSent);
  ASSERT_TRUE(syn.arrival.has_value());
  EXPECT_EQ(syn.arrival->event, Event::Syn);
  EXPECT_EQ(syn.arrival->to, State::SynReceived);

  const Explanation synack = o.on_segment(seg(End::Server, kSynAck, kServerIss, kClientIss + 1));
  EXPECT_FALSE(synack.user.has_value());
  ASSERT_TRUE(synack.arrival.has_value());
  EXPECT_EQ(synack.arrival->event, Event::SynAck);
  EXPECT_EQ(o.state(End::Client), State::Established);

  const Explanation ack = o.on_segment(seg(End::Client, kAck, kClientIss + 1, kServerIss + 1));
  ASSERT_TRUE(ack.arrival.has_value());
  EXPECT_EQ(ack.arrival->event, Event::AckOfSyn);
  EXPECT_EQ(o.state(End::Server), State::Established);
  EXPECT_EQ(o.unexplained_count(), 0U);
}

// RFC 9293 3.10.4, 3.10.7.4: client closes first and holds TIME-WAIT.
TEST(TraceObserver, FourWayClose_ClientClosesFirst_ClientInTimeWaitServerClosed) {
  TraceObserver o = established();
  const std::uint32_t c = kClientIss + 1;
  const std::uint32_t s = kServerIss + 1;
  o.on_segment(seg(End::Client, kAck, c, s, 100));
  o.on_segment(seg(End::Server, kAck, s, c + 100));

  const Explanation fin1 = o.on_segment(seg(End::Client, kFinAck, c + 100, s));
  ASSERT_TRUE(fin1.user.has_value());
  EXPECT_EQ(fin1.user->event, Event::Close);
  EXPECT_EQ(fin1.user->to, State::FinWait1);
  EXPECT_EQ(fin1.arrival->event, Event::Fin);
  EXPECT_EQ(o.state(End::Server), State::CloseWait);

  EXPECT_EQ(o.on_segment(seg(End::Server, kAck, s, c + 101)).arrival->event, Event::AckOfFin);
  EXPECT_EQ(o.state(End::Client), State::FinWait2);

  const Explanation fin2 = o.on_segment(seg(End::Server, kFinAck, s, c + 101));
  EXPECT_EQ(fin2.user->to, State::LastAck);
  EXPECT_EQ(fin2.arrival->event, Event::Fin);
  EXPECT_EQ(o.state(End::Client), State::TimeWait);

  EXPECT_EQ(o.on_segment(seg(End::Client, kAck, c + 101, s + 1)).arrival->event, Event::AckOfFin);
  EXPECT_EQ(o.state(End::Server), State::Closed);
  EXPECT_EQ(o.unexplained_count(), 0U);
  EXPECT_EQ(o.shadow(End::Client).data_bytes, 100U);
}

// RFC 9293 3.10.7.4 (FIN-WAIT-1 and CLOSING): the FINs cross; the capture
// shows the server's FIN after the client's, but its ACK field proves it
// was sent first. Both ends pass through CLOSING into TIME-WAIT.
TEST(TraceObserver, SimultaneousClose_FinsCross_BothEndsInTimeWait) {
  TraceObserver o = established();
  const std::uint32_t c = kClientIss + 1;
  const std::uint32_t s = kServerIss + 1;
  o.on_segment(seg(End::Client, kFinAck, c, s));
  const Explanation crossing = o.on_segment(seg(End::Server, kFinAck, s, c));
  EXPECT_TRUE(crossing.explained());
  ASSERT_TRUE(crossing.user.has_value());
  EXPECT_EQ(crossing.user->from, State::Established);
  EXPECT_EQ(crossing.user->to, State::FinWait1);
  ASSERT_TRUE(crossing.crossed.has_value());
  EXPECT_EQ(crossing.crossed->to, State::Closing);
  EXPECT_EQ(crossing.arrival->to, State::Closing);  // at the client

  EXPECT_EQ(o.on_segment(seg(End::Client, kAck, c + 1, s + 1)).arrival->event, Event::AckOfFin);
  EXPECT_EQ(o.on_segment(seg(End::Server, kAck, s + 1, c + 1)).arrival->event, Event::AckOfFin);
  EXPECT_EQ(o.state(End::Client), State::TimeWait);
  EXPECT_EQ(o.state(End::Server), State::TimeWait);
  EXPECT_EQ(o.unexplained_count(), 0U);
}

// RFC 9293 3.10.5 and 3.10.7.4: an unprovoked RST is an ABORT at its
// sender; at RCV.NXT it resets the receiver (RFC 5961 3.2).
TEST(TraceObserver, Established_RstAtRcvNxt_AbortAtSenderResetAtReceiver) {
  TraceObserver o = established();
  const Explanation rst = o.on_segment(seg(End::Client, kRst, kClientIss + 1, 0));
  ASSERT_TRUE(rst.user.has_value());
  EXPECT_EQ(rst.user->event, Event::Abort);
  EXPECT_EQ(o.state(End::Client), State::Closed);
  EXPECT_EQ(rst.arrival->event, Event::RstExact);
  EXPECT_EQ(o.state(End::Server), State::Closed);
  EXPECT_TRUE(rst.explained());
}

// RFC 5961 3.2: a RST inside the window but not at RCV.NXT is challenged.
TEST(TraceObserver, Established_RstInWindow_ChallengedAndSurvives) {
  TraceObserver o = established();
  const Explanation rst = o.on_segment(seg(End::Client, kRst, kClientIss + 50, 0));
  EXPECT_EQ(rst.arrival->event, Event::RstInWindow);
  EXPECT_EQ(o.state(End::Server), State::Established);
}

// RFC 9293 3.10.7.1: a RST that answers a row's SendRst is that reply, not
// an ABORT: once CLOSED, the server answers the client's repeated ACK so.
TEST(TraceObserver, Closed_AckThenRst_RstIsTheRowsReply) {
  TraceObserver o = established();
  const std::uint32_t c = kClientIss + 1;
  const std::uint32_t s = kServerIss + 1;
  o.on_segment(seg(End::Server, kFinAck, s, c));
  o.on_segment(seg(End::Client, kAck, c, s + 1));
  o.on_segment(seg(End::Client, kFinAck, c, s + 1));
  o.on_segment(seg(End::Server, kAck, s + 1, c + 1));
  ASSERT_EQ(o.state(End::Client), State::Closed);
  ASSERT_EQ(o.state(End::Server), State::TimeWait);
  // The server's last ACK again, as a retransmission would send it: CLOSED
  // answers it with a RST.
  const Explanation stray = o.on_segment(seg(End::Server, kAck, s + 1, c + 1));
  EXPECT_EQ(stray.arrival->event, Event::AckUnacceptable);
  const Explanation rst = o.on_segment(seg(End::Client, kRst, c + 1, 0));
  EXPECT_TRUE(rst.reply);
  EXPECT_FALSE(rst.user.has_value());
  EXPECT_EQ(rst.arrival->event, Event::RstExact);  // TIME-WAIT ignores it (RFC 1337)
  EXPECT_EQ(o.state(End::Server), State::TimeWait);
  EXPECT_EQ(o.unexplained_count(), 0U);
}

// A sender that has sent its FIN cannot send new data: no row explains it.
TEST(TraceObserver, FinWait1_NewDataAfterFin_Unexplained) {
  TraceObserver o = established();
  o.on_segment(seg(End::Client, kFinAck, kClientIss + 1, kServerIss + 1));
  const Explanation late = o.on_segment(seg(End::Client, kAck, kClientIss + 2, kServerIss + 1, 10));
  ASSERT_TRUE(late.unexplained.has_value());
  EXPECT_EQ(*late.unexplained, Unexplained::DataAfterFin);
  EXPECT_EQ(o.unexplained_count(), 1U);
}

// Only SYN-RECEIVED sends a SYN,ACK: one from the active opener is not
// something the table does.
TEST(TraceObserver, SynSent_SendsSynAck_Unexplained) {
  TraceObserver o;
  o.on_segment(seg(End::Client, kSyn, kClientIss, 0));
  const Explanation odd = o.on_segment(seg(End::Client, kSynAck, kClientIss, 7));
  ASSERT_TRUE(odd.unexplained.has_value());
  EXPECT_EQ(*odd.unexplained, Unexplained::SynAckWithoutSyn);
  EXPECT_FALSE(odd.arrival.has_value());
}

// A repeated data segment counts as a retransmission and, left of the
// window, is answered by the first step's ACK (3.10.7.4).
TEST(TraceObserver, Established_RepeatedData_RetransmissionUnacceptable) {
  TraceObserver o = established();
  o.on_segment(seg(End::Client, kAck, kClientIss + 1, kServerIss + 1, 100));
  const Explanation again =
      o.on_segment(seg(End::Client, kAck, kClientIss + 1, kServerIss + 1, 100));
  EXPECT_TRUE(again.retransmission);
  EXPECT_EQ(again.arrival->event, Event::Unacceptable);
  EXPECT_EQ(o.shadow(End::Client).retransmissions, 1U);
  EXPECT_TRUE(again.explained());
}

// A capture that starts mid-connection: both ends assumed ESTABLISHED.
TEST(TraceObserver, MidConnection_FirstSegmentData_BothEstablished) {
  TraceObserver o;
  const Explanation first = o.on_segment(seg(End::Client, kAck, 700, 900, 10));
  EXPECT_TRUE(o.started_mid_connection());
  EXPECT_EQ(first.arrival->event, Event::Ack);
  EXPECT_EQ(o.state(End::Server), State::Established);
}

}  // namespace
}  // namespace tcpmc::verify
