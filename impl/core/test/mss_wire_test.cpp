// The MSS we advertise and honour (RFC 9293 section 3.7.1), and the edge
// between the codec and the engine: what Linux writes reaches the engine
// with every option, and what the engine builds survives the wire.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include <tcpmc/core/mss.hpp>
#include <tcpmc/core/wire_convert.hpp>
#include <tcpmc/wire/codec.hpp>

#include "linux_captures.hpp"
#include "pair.hpp"

namespace tcpmc::core::test {
namespace {

using model::State;
using C = Connection<StackParams>;
using Seq = C::Seq;

constexpr Endpoint kUs{0xC6120002, 80};       // 198.18.0.2
constexpr Endpoint kPeer{0xC6120001, 40000};  // 198.18.0.1

// RFC 9293 3.7.1: MSS = MTU - 20 (IPv4) - 20 (TCP).
TEST(Mss, FromMtu_SubtractsBothFixedHeaders) {
  EXPECT_EQ(mss_for_mtu(1500), 1460);
  EXPECT_EQ(mss_for_mtu(9000), 8960);
  EXPECT_EQ(mss_for_mtu(576), 536);
  EXPECT_EQ(mss_for_mtu(65575), 65535);
}

// RFC 791: every IPv4 host takes 576-byte datagrams; smaller is a mistake,
// and so is an MTU no 16-bit MSS can describe.
TEST(Mss, FromMtu_RejectsImpossibleMtus) {
  EXPECT_FALSE(mss_for_mtu(575));
  EXPECT_FALSE(mss_for_mtu(0));
  EXPECT_FALSE(mss_for_mtu(65576));
}

C::Seg syn_from_peer(std::optional<std::uint16_t> mss) {
  C::Seg s{};
  s.source = kPeer;
  s.destination = kUs;
  s.flags = {.syn = true};
  s.seq = Seq(5000);
  s.window = 65535;
  s.mss = mss;
  return s;
}

// Accepts the peer's SYN, completes the handshake, queues `n` bytes and
// returns the payload sizes of the data segments the server sends.
std::vector<std::size_t> data_segment_sizes(std::optional<std::uint16_t> peer_mss,
                                            std::size_t n) {
  C server(Config<StackParams>::stack_defaults());
  server.open_passive(0, kUs);
  server.on_segment(0, syn_from_peer(peer_mss));
  std::array<std::byte, 65536> buf{};
  auto syn_ack = server.poll_transmit(0, buf);
  EXPECT_TRUE(syn_ack && syn_ack->flags.syn);
  C::Seg ack{};
  ack.source = kPeer;
  ack.destination = kUs;
  ack.flags = {.ack = true};
  ack.seq = Seq(5001);
  ack.ack = syn_ack->seq + 1;
  ack.window = 65535;
  server.on_segment(1, ack);
  EXPECT_EQ(server.state(), State::Established);
  EXPECT_EQ(server.send(1, pattern(n, 7)).accepted, n);
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 64; ++i) {
    auto s = server.poll_transmit(1, buf);
    if (!s) break;
    if (!s->payload.empty()) sizes.push_back(s->payload.size());
  }
  return sizes;
}

// RFC 9293 3.7.1: a peer that sends no MSS option gets segments of 536.
TEST(Mss, PeerWithoutMssOption_Gets536ByteSegments) {
  const auto sizes = data_segment_sizes(std::nullopt, 2000);
  ASSERT_FALSE(sizes.empty());
  for (std::size_t s : sizes) EXPECT_LE(s, kDefaultPeerMss);
  EXPECT_EQ(sizes.front(), kDefaultPeerMss);
}

// RFC 9293 3.7.1: the peer's MSS option bounds what we send.
TEST(Mss, PeerMssOption_Honoured) {
  const auto sizes = data_segment_sizes(1000, 3000);
  ASSERT_FALSE(sizes.empty());
  for (std::size_t s : sizes) EXPECT_LE(s, 1000U);
  EXPECT_EQ(sizes.front(), 1000U);
}

// RFC 9293 3.7.1: our SYN advertises the MSS the configuration derives
// from the MTU.
TEST(Mss, OurSyn_AdvertisesMssOfTheMtu) {
  auto config = Config<StackParams>::stack_defaults();
  config.mss = *mss_for_mtu(9000);
  C client(config);
  client.open_active(0, {kPeer, kUs});
  std::array<std::byte, 64> buf{};
  auto syn = client.poll_transmit(0, buf);
  ASSERT_TRUE(syn && syn->flags.syn);
  EXPECT_EQ(syn->mss, 8960);
}

wire::SegmentRepr parse_capture(std::span<const unsigned char> bytes) {
  const auto r = wire::parse(std::as_bytes(bytes));
  EXPECT_TRUE(r.has_value());
  return r ? *r : wire::SegmentRepr{};
}

// A SYN the Linux kernel wrote reaches the engine with every option.
TEST(WireConvert, LinuxSyn_EveryOptionReachesTheEngine) {
  const auto r = parse_capture(wire::test_data::linux_syn);
  const WireSegment s = from_wire(r);
  EXPECT_EQ(s.source, (Endpoint{0xC6120001, r.tcp.source_port}));
  EXPECT_EQ(s.destination, (Endpoint{0xC6120002, 5001}));
  EXPECT_TRUE(s.flags.syn);
  EXPECT_FALSE(s.flags.ack);
  EXPECT_EQ(s.seq.raw(), r.tcp.seq);
  EXPECT_EQ(s.mss, 1472);  // as the capture has it
  EXPECT_EQ(s.window_scale, 10);
  EXPECT_TRUE(s.sack_permitted);
  ASSERT_TRUE(s.timestamps);
  EXPECT_EQ(s.timestamps->value, r.tcp.options.timestamps->tsval);
  EXPECT_EQ(s.timestamps->echo, 0U);
  EXPECT_EQ(s.length(), 1U);  // SEG.LEN counts the SYN
}

TEST(WireConvert, LinuxData_PayloadAndFlags) {
  const auto r = parse_capture(wire::test_data::linux_data);
  const WireSegment s = from_wire(r);
  EXPECT_TRUE(s.flags.ack);
  EXPECT_TRUE(s.flags.psh);
  EXPECT_EQ(s.ack.raw(), r.tcp.ack);
  EXPECT_EQ(s.payload.size(), r.tcp.payload.size());
  EXPECT_EQ(s.payload.data(), r.tcp.payload.data());  // no copy at the edge
  EXPECT_EQ(s.window, r.tcp.window);  // as carried: scaling is the engine's job
}

// What the engine builds is emitted, parsed and converted back unchanged.
TEST(WireConvert, EngineSegment_SurvivesTheWire) {
  const auto payload = pattern(100, 9);
  WireSegment s{};
  s.source = kUs;
  s.destination = kPeer;
  s.seq = Seq(0xFFFFFFF0U);
  s.ack = Seq(12345);
  s.flags = {.ack = true, .fin = true, .psh = true};
  s.window = 4000;
  s.timestamps = SegmentTimestamps{111, 222};
  s.sack.push_back({Seq(20000), Seq(20100)});
  s.sack.push_back({Seq(30000), Seq(30050)});
  s.payload = payload;
  std::array<std::byte, 1600> out{};
  const auto n = wire::emit(to_wire(s), out);
  ASSERT_TRUE(n.has_value());
  const auto back = wire::parse(std::span<const std::byte>(out).first(*n));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(from_wire(*back), s);
}

TEST(WireConvert, SynOptions_SurviveTheWire) {
  WireSegment s{};
  s.source = kPeer;
  s.destination = kUs;
  s.seq = Seq(1);
  s.flags = {.syn = true};
  s.window = 65535;
  s.mss = 1460;
  s.window_scale = 7;
  s.sack_permitted = true;
  s.timestamps = SegmentTimestamps{5, 0};
  std::array<std::byte, 128> out{};
  const auto n = wire::emit(to_wire(s), out);
  ASSERT_TRUE(n.has_value());
  const auto back = wire::parse(std::span<const std::byte>(out).first(*n));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(from_wire(*back), s);
}

// The ACK field is meaningful only with ACK set (RFC 9293 3.1); the codec
// gets zero otherwise so that no stale number leaks onto the wire.
TEST(WireConvert, AckFieldZeroWithoutAckFlag) {
  WireSegment s{};
  s.flags = {.syn = true};
  s.ack = Seq(99);
  EXPECT_EQ(to_wire(s).tcp.ack, 0U);
}

// A window beyond 16 bits is clamped, never wrapped into a tiny one.
TEST(WireConvert, OversizedWindow_Clamped) {
  WireSegment s{};
  s.window = 70000;
  EXPECT_EQ(to_wire(s).tcp.window, 0xFFFFU);
}

}  // namespace
}  // namespace tcpmc::core::test
