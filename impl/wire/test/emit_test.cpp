// emit(): lengths, checksums and the policy, and one test per emit-side error.
#include <gtest/gtest.h>

#include <vector>

#include "support.hpp"

namespace tcpmc::wire::test {
namespace {

// RFC 791 3.1, RFC 9293 3.1: emit fills total length, data offset and both checksums.
TEST(WireEmit, Segment_FillsLengthsAndChecksums) {
  SegmentRepr r = template_segment();
  const Packet payload = bytes({'h', 'e', 'l', 'l', 'o'});
  r.tcp.payload = payload;
  r.tcp.options.timestamps = Timestamps{7, 8};
  const Packet p = emit_packet(r);
  ASSERT_EQ(p.size(), 20U + 32U + 5U);
  EXPECT_EQ(load_be16(p.data() + ipv4_layout::total_length), p.size());
  EXPECT_EQ(load_u8(p.data() + 20 + tcp_layout::data_offset), 8U << 4);
  EXPECT_EQ(load_u8(p.data() + ipv4_layout::version_ihl), 0x45);
  EXPECT_TRUE(verify_ipv4_checksum(std::span(p).first(20)));
  EXPECT_TRUE(verify_tcp_checksum(client, server, std::span(p).subspan(20)));
  const auto back = parse(p);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, r);
}

// STYLE.md item 2: with fill_tx off the checksum fields stay zero, so test
// bytes are deterministic; parse with verify_rx off still reads them.
TEST(WireEmit, PolicyWithoutFill_LeavesChecksumsZero) {
  const SegmentRepr r = template_segment();
  const Packet p = emit_packet(r, ChecksumPolicy::none());
  EXPECT_EQ(load_be16(p.data() + ipv4_layout::checksum), 0);
  EXPECT_EQ(load_be16(p.data() + 20 + tcp_layout::checksum), 0);
  EXPECT_EQ(parse(p).error(), WireError::Ipv4BadChecksum);
  EXPECT_EQ(parse(p, ChecksumPolicy::none()), r);
  EXPECT_EQ(parse(p, {.verify_rx = false, .fill_tx = true}), r);
}

// RFC 791 3.1: a cleared DF bit and other IP fields are written as given.
TEST(WireEmit, Ipv4Fields_WrittenAsGiven) {
  SegmentRepr r = template_segment();
  r.ip.dont_fragment = false;
  r.ip.ttl = 1;
  r.ip.tos = 0xB8;
  r.ip.identification = 0xBEEF;
  const Packet p = emit_packet(r);
  const auto view = Ipv4View::make(p);
  ASSERT_TRUE(view.has_value());
  EXPECT_FALSE(view->dont_fragment());
  EXPECT_EQ(view->ttl(), 1);
  EXPECT_EQ(view->tos(), 0xB8);
  EXPECT_EQ(view->identification(), 0xBEEF);
  EXPECT_EQ(parse(p), r);
}

// The output buffer may be larger than the packet; only wire_size() bytes change.
TEST(WireEmit, LargerBuffer_WritesOnlyWireSize) {
  const SegmentRepr r = template_segment();
  Packet out(100, std::byte{0xAA});
  const auto n = emit(r, out);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 40U);
  for (std::size_t i = 40; i < out.size(); ++i) EXPECT_EQ(out[i], std::byte{0xAA}) << i;
}

TEST(WireEmit, BufferShorterThanWireSize_IsEmitBufferTooSmallAndWritesNothing) {
  const SegmentRepr r = template_segment();
  Packet out(39, std::byte{0xAA});
  EXPECT_EQ(emit(r, out), unexpected(WireError::EmitBufferTooSmall));
  EXPECT_EQ(out, Packet(39, std::byte{0xAA}));
  Packet none;
  EXPECT_EQ(emit(r, none), unexpected(WireError::EmitBufferTooSmall));
}

// RFC 9293 3.1: the data offset cannot describe more than 40 bytes of options.
TEST(WireEmit, OptionsPast40Bytes_IsEmitOptionsTooLong) {
  SegmentRepr r = template_segment();
  r.tcp.options.mss = 1460;
  r.tcp.options.timestamps = Timestamps{1, 2};
  for (std::uint32_t i = 0; i < 4; ++i) ASSERT_TRUE(r.tcp.options.sack.push_back({i, i + 1}));
  Packet out(200, std::byte{0xAA});
  EXPECT_EQ(emit(r, out), unexpected(WireError::EmitOptionsTooLong));
  EXPECT_EQ(out, Packet(200, std::byte{0xAA}));
}

// RFC 791 3.1: total length is 16 bits.
TEST(WireEmit, PayloadPastTotalLength_IsEmitPayloadTooLong) {
  SegmentRepr r = template_segment();
  const std::vector<std::byte> big(65535 - 40 + 1);
  r.tcp.payload = big;
  Packet out(70000);
  EXPECT_EQ(emit(r, out), unexpected(WireError::EmitPayloadTooLong));
  r.tcp.payload = std::span(big).first(65535 - 40);
  const auto n = emit(r, out);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 65535U);
  EXPECT_EQ(parse(out), r);
}

// RFC 9293 3.7.1: parse reads an MSS of 0 as absent, so emit refuses to write
// one rather than produce bytes that would not read back as the repr.
TEST(WireEmit, MssZero_IsEmitMssZero) {
  SegmentRepr r = template_segment();
  r.tcp.options.mss = 0;
  Packet out(100);
  EXPECT_EQ(emit(r, out), unexpected(WireError::EmitMssZero));
}

}  // namespace
}  // namespace tcpmc::wire::test
