// The Stack over an in-memory device: demultiplexing, the RST for
// segments that belong to nothing, ICMP echo, drop counters, and the
// sockets API through a handshake, data and close.
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <tcpmc/net/stack.hpp>
#include <tcpmc/wire/codec.hpp>
#include <tcpmc/wire/icmp.hpp>
#include <vector>

namespace tcpmc::net {
namespace {

using wire::Ipv4Address;
using wire::SegmentRepr;
using wire::TcpFlag;
using wire::TcpFlags;

const Ipv4Address kUs(198, 18, 0, 2);
const Ipv4Address kPeer(198, 18, 0, 1);

std::span<const std::byte> text(const std::string& s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

SegmentRepr segment(std::uint16_t from_port, std::uint16_t to_port, std::uint32_t seq,
                    std::uint32_t ack, TcpFlags flags, std::span<const std::byte> payload = {}) {
  SegmentRepr r;
  r.ip.source = kPeer;
  r.ip.destination = kUs;
  r.tcp.source_port = from_port;
  r.tcp.destination_port = to_port;
  r.tcp.seq = seq;
  r.tcp.ack = ack;
  r.tcp.flags = flags;
  r.tcp.window = 65535;
  r.tcp.payload = payload;
  return r;
}

class StackTest : public ::testing::Test {
 protected:
  static StackConfig config() {
    StackConfig c;
    c.address = kUs;
    c.engine.isn_secret = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    return c;
  }

  void deliver(const SegmentRepr& r) {
    std::vector<std::byte> bytes(r.wire_size());
    ASSERT_TRUE(wire::emit(r, bytes));
    stack.on_packet(now, bytes);
  }

  // Everything the stack wrote since the last call, parsed (checksums
  // verified: what we send must be valid on the wire).
  std::vector<SegmentRepr> sent() {
    stack.flush(now);
    std::vector<SegmentRepr> out;
    while (!device.written().empty()) {
      kept.push_back(std::move(device.written().front()));
      device.written().pop_front();
      const auto r = wire::parse(kept.back());
      EXPECT_TRUE(r) << "stack emitted an invalid packet";
      if (r) out.push_back(*r);
    }
    return out;
  }

  // A completed handshake from the peer's port `port` to our listener;
  // returns the accepted socket and our ISS.
  std::pair<SocketId, std::uint32_t> handshake(SocketId listener, std::uint16_t port,
                                               std::uint32_t irs) {
    deliver(segment(port, 80, irs, 0, TcpFlag::Syn));
    const auto synack = sent();
    EXPECT_EQ(synack.size(), 1U);
    EXPECT_EQ(synack[0].tcp.flags, TcpFlag::Syn | TcpFlag::Ack);
    EXPECT_EQ(synack[0].tcp.ack, irs + 1);
    const std::uint32_t iss = synack[0].tcp.seq;
    deliver(segment(port, 80, irs + 1, iss + 1, TcpFlag::Ack));
    EXPECT_TRUE(stack.poll(listener).acceptable);
    const auto id = stack.accept(listener);
    EXPECT_TRUE(id);
    return {*id, iss};
  }

  MemoryDevice device;
  Stack stack{config(), device};
  Time now = 5'000'000;
  std::deque<std::vector<std::byte>> kept;
};

// RFC 9293 3.10.7.1: no connection, ACK set: <SEQ=SEG.ACK><CTL=RST>.
TEST_F(StackTest, Closed_AckForNoConnection_RstAtSegAck) {
  deliver(segment(40000, 9, 1000, 777777, TcpFlag::Ack));
  const auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].tcp.flags, TcpFlags(TcpFlag::Rst));
  EXPECT_EQ(out[0].tcp.seq, 777777U);
  EXPECT_EQ(out[0].ip.destination, kPeer);
  EXPECT_EQ(out[0].tcp.source_port, 9);
  EXPECT_EQ(out[0].tcp.destination_port, 40000);
  EXPECT_EQ(stack.counters().resets_for_no_connection, 1U);
}

// RFC 9293 3.10.7.1: no ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
TEST_F(StackTest, Closed_SynWithDataForNoConnection_RstAckCoversSegLen) {
  const std::string data = "hello";
  deliver(segment(40000, 9, 1000, 0, TcpFlag::Syn, text(data)));
  const auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].tcp.flags, TcpFlag::Rst | TcpFlag::Ack);
  EXPECT_EQ(out[0].tcp.seq, 0U);
  EXPECT_EQ(out[0].tcp.ack, 1000U + 1 + 5);
}

// RFC 9293 3.10.7.1: an incoming RST for nothing is discarded.
TEST_F(StackTest, Closed_RstForNoConnection_Dropped) {
  deliver(segment(40000, 9, 1000, 5, TcpFlag::Rst | TcpFlag::Ack));
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(stack.counters().segments_no_connection, 1U);
  EXPECT_EQ(stack.counters().resets_for_no_connection, 0U);
}

// Bad input is counted under its wire reason and never answered.
TEST_F(StackTest, Input_BadChecksumOrWrongHost_CountedAndDropped) {
  SegmentRepr r = segment(40000, 9, 1000, 0, TcpFlag::Syn);
  std::vector<std::byte> bytes(r.wire_size());
  ASSERT_TRUE(wire::emit(r, bytes));
  bytes[24] ^= std::byte{0x01};  // a bit of the sequence number
  stack.on_packet(now, bytes);
  stack.on_packet(now, std::span<const std::byte>(bytes).first(10));
  r.ip.destination = Ipv4Address(198, 18, 0, 3);
  deliver(r);
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(stack.counters().wire_errors[wire::WireError::TcpBadChecksum], 1U);
  EXPECT_EQ(stack.counters().wire_errors[wire::WireError::Ipv4Truncated], 1U);
  EXPECT_EQ(stack.counters().not_for_us, 1U);
  const std::string t = stack.counters_text();
  EXPECT_NE(t.find("wire.TcpBadChecksum"), std::string::npos);
  EXPECT_NE(t.find("not_for_us"), std::string::npos);
}

// Bad input from the network never crashes the stack: random bytes, and
// valid segments with random bits flipped, with and without a listener
// and connections to reach. Everything is counted.
TEST_F(StackTest, Input_RandomAndMutatedPackets_CountedNeverCrash) {
  const auto l = stack.listen(80, 8);
  handshake(*l, 40001, 1000);
  std::mt19937 rng(12345);
  std::vector<std::byte> bytes;
  for (int i = 0; i < 20000; ++i) {
    if (i % 2 == 0) {
      bytes.resize(rng() % 100);
      for (auto& b : bytes) b = static_cast<std::byte>(rng());
      if (!bytes.empty() && i % 4 == 0) bytes[0] = std::byte{0x45};
    } else {
      const std::string data(rng() % 40, 'x');
      const auto flags = TcpFlags::from_bits(static_cast<std::uint8_t>(rng()));
      SegmentRepr r = segment(static_cast<std::uint16_t>(40000 + rng() % 3), 80,
                              static_cast<std::uint32_t>(rng()), static_cast<std::uint32_t>(rng()),
                              flags, text(data));
      bytes.resize(r.wire_size());
      ASSERT_TRUE(wire::emit(r, bytes));
      // Half the time a flipped bit (caught by a checksum), else valid.
      if (rng() % 2 == 0) bytes[rng() % bytes.size()] ^= std::byte{1};
    }
    stack.on_packet(now, bytes);
    now += 1000;
    stack.on_timer(now);
    sent();
  }
  EXPECT_EQ(stack.counters().packets_received, 20000U + 2);  // + the handshake's SYN, ACK
  EXPECT_GT(stack.counters().wire_errors.total(), 0U);
}

TEST_F(StackTest, Icmp_EchoRequestToUs_Answered) {
  std::vector<std::byte> packet(20 + 8 + 4);
  wire::IcmpEcho req;
  req.identifier = 9;
  req.sequence = 3;
  const std::vector<std::byte> data(4, std::byte{7});
  req.data = data;
  // An echo *reply* built by the codec, turned into a request: type 8.
  ASSERT_EQ(wire::emit_echo_reply(req, kUs, kPeer, packet), packet.size());
  std::swap_ranges(packet.begin() + 12, packet.begin() + 16, packet.begin() + 16);  // kPeer -> kUs
  packet[20] = std::byte{8};
  wire::store_be16(packet.data() + 22, 0);
  wire::store_be16(packet.data() + 22, static_cast<std::uint16_t>(~wire::ones_complement_sum(
                                           std::span<const std::byte>(packet).subspan(20))));
  stack.on_packet(now, packet);
  ASSERT_EQ(device.written().size(), 1U);
  const auto& reply = device.written().front();
  const auto ip = wire::Ipv4View::make(reply);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->destination(), kPeer);
  EXPECT_EQ(wire::load_u8(ip->payload().data()), 0);
  EXPECT_EQ(wire::load_be16(ip->payload().data() + 4), 9);
  EXPECT_EQ(stack.counters().icmp_echo_replies, 1U);
}

TEST_F(StackTest, Listen_SamePortTwice_PortInUse) {
  ASSERT_TRUE(stack.listen(80, 8));
  EXPECT_EQ(stack.listen(80, 8).error(), NetError::PortInUse);
}

// Two connections to one listener differ only in the peer's port; each
// segment reaches the socket of its own 4-tuple.
TEST_F(StackTest, Demux_TwoConnectionsOnePort_DataGoesToItsOwnSocket) {
  const auto l = stack.listen(80, 8);
  ASSERT_TRUE(l);
  const auto [a, iss_a] = handshake(*l, 40001, 1000);
  const auto [b, iss_b] = handshake(*l, 40002, 5000);
  EXPECT_NE(a, b);
  const std::string to_b = "for b";
  const std::string to_a = "for a!";
  deliver(segment(40002, 80, 5001, iss_b + 1, TcpFlag::Ack | TcpFlag::Psh, text(to_b)));
  deliver(segment(40001, 80, 1001, iss_a + 1, TcpFlag::Ack | TcpFlag::Psh, text(to_a)));
  char buf[32];
  auto out = std::as_writable_bytes(std::span<char>(buf));
  auto n = stack.receive(now, a, out);
  ASSERT_TRUE(n) << name(n.error());
  EXPECT_EQ(std::string(buf, *n), to_a);
  n = stack.receive(now, b, out);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buf, *n), to_b);
  EXPECT_EQ(stack.receive(now, b, out).error(), NetError::WouldBlock);
  EXPECT_EQ(stack.counters().connections_passive, 2U);
}

// RFC 9293 3.10.7.4: data right after the handshake lies inside the window
// our SYN-ACK offered, also for a connection rebuilt from the listener's
// SYN queue (HalfOpenEntry), which must remember that window.
TEST_F(StackTest, SynQueue_DataRightAfterHandshake_Accepted) {
  const auto l = stack.listen(80, 8);
  const auto [id, iss] = handshake(*l, 40001, 1000);
  const std::string data = "first";
  deliver(segment(40001, 80, 1001, iss + 1, TcpFlag::Ack | TcpFlag::Psh, text(data)));
  char buf[8];
  EXPECT_EQ(stack.receive(now, id, std::as_writable_bytes(std::span<char>(buf))).value_or(0),
            data.size());
}

// Send goes out as a data segment; the peer's FIN reads as end of stream;
// close then sends our FIN and the last ACK ends the connection.
TEST_F(StackTest, Established_SendReceiveAndPassiveClose) {
  const auto l = stack.listen(80, 8);
  const auto [id, iss] = handshake(*l, 40001, 1000);
  sent();
  const std::string reply = "response";
  ASSERT_EQ(stack.send(now, id, text(reply)).value_or(0), reply.size());
  auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].tcp.seq, iss + 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(out[0].tcp.payload.data()),
                        out[0].tcp.payload.size()),
            reply);
  deliver(segment(40001, 80, 1001, iss + 1 + 8, TcpFlag::Ack | TcpFlag::Fin));
  char buf[8];
  EXPECT_EQ(stack.receive(now, id, std::as_writable_bytes(std::span<char>(buf))).value_or(99), 0U);
  EXPECT_TRUE(stack.poll(id).end_of_stream);
  sent();
  ASSERT_FALSE(stack.close(now, id));
  out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_TRUE(out[0].tcp.flags.fin());
  deliver(segment(40001, 80, 1002, iss + 1 + 8 + 1, TcpFlag::Ack));
  EXPECT_EQ(stack.connection_count(), 0U);  // LAST-ACK acknowledged: gone
  EXPECT_EQ(stack.counters().connections_closed, 1U);
}

// Our side closes first, so TIME-WAIT is ours; it then answers for the
// 4-tuple without a full connection and expires after 2MSL.
TEST_F(StackTest, ActiveClose_TimeWaitKeptCompactThenExpires) {
  const auto l = stack.listen(80, 8);
  const auto [id, iss] = handshake(*l, 40001, 1000);
  ASSERT_FALSE(stack.close(now, id));
  auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  ASSERT_TRUE(out[0].tcp.flags.fin());
  deliver(segment(40001, 80, 1001, iss + 2, TcpFlag::Ack | TcpFlag::Fin));
  out = sent();
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].tcp.ack, 1002U);
  EXPECT_EQ(stack.time_wait_count(), 1U);
  EXPECT_EQ(stack.connection_count(), 0U);
  EXPECT_EQ(stack.counters().time_wait_entered, 1U);
  // A retransmitted FIN is acknowledged again from the compact entry.
  deliver(segment(40001, 80, 1001, iss + 2, TcpFlag::Ack | TcpFlag::Fin));
  EXPECT_EQ(sent().size(), 1U);
  EXPECT_EQ(stack.counters().segments_to_time_wait, 1U);
  now += 61 * core::StackParams::kSecond;
  stack.on_timer(now);
  EXPECT_EQ(stack.time_wait_count(), 0U);
  EXPECT_EQ(stack.counters().time_wait_expired, 1U);
}

// RFC 9293 3.10.7.4 (TIME-WAIT) and RFC 6191: a new SYN above the old
// incarnation's sequence numbers reopens the 4-tuple; the new connection
// is handed out by the listener on that port.
TEST_F(StackTest, TimeWait_NewerSyn_ReopensThroughListener) {
  const auto l = stack.listen(80, 8);
  const auto [id, iss] = handshake(*l, 40001, 1000);
  ASSERT_FALSE(stack.close(now, id));
  sent();
  deliver(segment(40001, 80, 1001, iss + 2, TcpFlag::Ack | TcpFlag::Fin));
  sent();
  ASSERT_EQ(stack.time_wait_count(), 1U);
  now += core::StackParams::kSecond;
  deliver(segment(40001, 80, 900000, 0, TcpFlag::Syn));
  const auto synack = sent();
  ASSERT_EQ(synack.size(), 1U);
  EXPECT_EQ(synack[0].tcp.flags, TcpFlag::Syn | TcpFlag::Ack);
  EXPECT_EQ(synack[0].tcp.ack, 900001U);
  EXPECT_EQ(stack.counters().time_wait_reopened, 1U);
  EXPECT_EQ(stack.time_wait_count(), 0U);
  EXPECT_FALSE(stack.poll(*l).acceptable);  // not before the handshake completes
  deliver(segment(40001, 80, 900001, synack[0].tcp.seq + 1, TcpFlag::Ack));
  EXPECT_TRUE(stack.poll(*l).acceptable);
  const auto again = stack.accept(*l);
  ASSERT_TRUE(again);
  EXPECT_NE(*again, id);
  EXPECT_TRUE(stack.poll(*again).connected);
  EXPECT_EQ(stack.tuple(*again)->remote.port, 40001);
}

// Our SYN answered by RST: connect() reports Refused.
TEST_F(StackTest, SynSent_RstAck_Refused) {
  const auto id = stack.connect(now, kPeer, 7);
  ASSERT_TRUE(id);
  auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  ASSERT_EQ(out[0].tcp.flags, TcpFlags(TcpFlag::Syn));
  EXPECT_GE(out[0].tcp.source_port, 49152);
  SegmentRepr rst =
      segment(7, out[0].tcp.source_port, 0, out[0].tcp.seq + 1, TcpFlag::Rst | TcpFlag::Ack);
  deliver(rst);
  sent();
  const Readiness r = stack.poll(*id);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, NetError::Refused);
  std::byte b[4];
  EXPECT_EQ(stack.receive(now, *id, b).error(), NetError::Refused);
  EXPECT_EQ(stack.counters().connections_refused, 1U);
}

// Data queued during SYN-SENT (RFC 9293 3.10.2: queued for after the
// handshake) leaves on the segment that completes it, the third one, with
// the ACK of the peer's SYN.
TEST_F(StackTest, SynSent_QueuedData_CarriedOnThirdSegment) {
  const auto id = stack.connect(now, kPeer, 7);
  ASSERT_TRUE(id);
  const std::string request = "queued before the SYN-ACK";
  auto taken = stack.send(now, *id, text(request));
  ASSERT_TRUE(taken) << name(taken.error());
  EXPECT_EQ(*taken, request.size());
  auto out = sent();
  ASSERT_EQ(out.size(), 1U);
  ASSERT_EQ(out[0].tcp.flags, TcpFlags(TcpFlag::Syn));  // no data on our SYN
  EXPECT_TRUE(out[0].tcp.payload.empty());
  const std::uint32_t their_isn = 5000;
  deliver(segment(7, out[0].tcp.source_port, their_isn, out[0].tcp.seq + 1,
                  TcpFlag::Syn | TcpFlag::Ack));
  auto third = sent();
  ASSERT_GE(third.size(), 1U);
  EXPECT_TRUE(third[0].tcp.flags.has(TcpFlag::Ack));
  EXPECT_FALSE(third[0].tcp.flags.has(TcpFlag::Syn));
  EXPECT_EQ(third[0].tcp.seq, out[0].tcp.seq + 1);
  EXPECT_EQ(third[0].tcp.ack, their_isn + 1);
  const std::string carried(reinterpret_cast<const char*>(third[0].tcp.payload.data()),
                            third[0].tcp.payload.size());
  EXPECT_EQ(carried, request);
}

// The engine's deadlines surface through the stack: an unanswered SYN is
// retransmitted when its RTO passes.
TEST_F(StackTest, SynSent_NoAnswer_RetransmittedAtDeadline) {
  ASSERT_TRUE(stack.connect(now, kPeer, 7));
  ASSERT_EQ(sent().size(), 1U);
  const auto deadline = stack.next_deadline();
  ASSERT_TRUE(deadline);
  EXPECT_EQ(*deadline, now + core::StackParams::kSecond);
  now = *deadline;
  stack.on_timer(now);
  const auto again = sent();
  ASSERT_EQ(again.size(), 1U);
  EXPECT_TRUE(again[0].tcp.flags.syn());
}

}  // namespace
}  // namespace tcpmc::net
