// One test per receive-side WireError, each with the smallest edit of a
// valid packet that produces it, and the regression cases for bug classes
// that fuzzing found in other stacks.
#include <gtest/gtest.h>

#include <optional>

#include "support.hpp"

namespace tcpmc::wire::test {
namespace {

std::optional<WireError> parse_error(const Packet& p, ChecksumPolicy policy = {}) {
  const auto r = parse(p, policy);
  if (r) return std::nullopt;
  return r.error();
}

Packet valid() { return emit_packet(template_segment()); }

TEST(WireParse, ValidTemplate_Parses) {
  const auto r = parse(valid());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, template_segment());
}

// RFC 791 3.1: the fixed header is 20 bytes.
TEST(WireParse, Ipv4ShorterThan20Bytes_IsIpv4Truncated) {
  const Packet p = valid();
  for (std::size_t n = 0; n < 20; ++n) {
    EXPECT_EQ(parse_error(Packet(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(n))),
              WireError::Ipv4Truncated)
        << n;
  }
}

// RFC 791 3.1: version 4 only; 6 is what an IPv6 packet on the same TUN reads.
TEST(WireParse, Ipv4VersionNot4_IsIpv4BadVersion) {
  for (const unsigned version : {0U, 5U, 6U, 15U}) {
    Packet p = valid();
    set_u8(p, 0, (version << 4) | 5U);
    EXPECT_EQ(parse_error(p), WireError::Ipv4BadVersion) << version;
  }
}

// RFC 791 3.1: IHL counts 32-bit words and the fixed header is 5 of them.
TEST(WireParse, Ipv4IhlBelow5_IsIpv4BadIhl) {
  for (unsigned ihl = 0; ihl < 5; ++ihl) {
    Packet p = valid();
    set_u8(p, 0, 0x40U | ihl);
    EXPECT_EQ(parse_error(p), WireError::Ipv4BadIhl) << ihl;
  }
}

// RFC 791 3.1: total length beyond what arrived must not be read.
TEST(WireParse, Ipv4TotalLengthBeyondBuffer_IsIpv4TotalLengthPastBuffer) {
  Packet p = valid();
  set_be16(p, ipv4_layout::total_length, static_cast<unsigned>(p.size() + 1));
  EXPECT_EQ(parse_error(p, ChecksumPolicy::none()), WireError::Ipv4TotalLengthPastBuffer);
  set_be16(p, ipv4_layout::total_length, 0xFFFF);
  EXPECT_EQ(parse_error(p, ChecksumPolicy::none()), WireError::Ipv4TotalLengthPastBuffer);
}

// RFC 791 3.1: the datagram contains its header.
TEST(WireParse, Ipv4TotalLengthBelowIhl_IsIpv4TotalLengthBelowHeader) {
  Packet p = valid();
  set_be16(p, ipv4_layout::total_length, 19);
  EXPECT_EQ(parse_error(p, ChecksumPolicy::none()), WireError::Ipv4TotalLengthBelowHeader);
  // An IHL that points past the buffer is caught here or by the check above.
  p = valid();
  set_u8(p, 0, 0x4F);
  EXPECT_EQ(parse_error(p, ChecksumPolicy::none()), WireError::Ipv4TotalLengthBelowHeader);
}

// RFC 791 3.1: the header checksum covers the header only.
TEST(WireParse, Ipv4HeaderBitFlipped_IsIpv4BadChecksum) {
  Packet p = valid();
  p[8] ^= std::byte{0x01};  // TTL
  EXPECT_EQ(parse_error(p), WireError::Ipv4BadChecksum);
  EXPECT_TRUE(parse(p, ChecksumPolicy::none()).has_value());
}

// RFC 791 3.2: tcpmc does not reassemble, so any fragment is refused.
TEST(WireParse, Ipv4MoreFragmentsOrOffset_IsIpv4Fragment) {
  for (const unsigned flags : {0x2000U, 0x0001U, 0x1FFFU, 0x6000U}) {
    Packet p = valid();
    set_be16(p, ipv4_layout::flags_fragment, flags);
    refill_checksums(p);
    EXPECT_EQ(parse_error(p), WireError::Ipv4Fragment) << flags;
  }
}

// RFC 9293 3.1: protocol 6 is TCP; UDP (17) and ICMP (1) are not ours.
TEST(WireParse, Ipv4ProtocolNot6_IsIpv4NotTcp) {
  for (const unsigned proto : {1U, 17U, 0U, 255U}) {
    Packet p = valid();
    set_u8(p, ipv4_layout::protocol, proto);
    refill_checksums(p);
    EXPECT_EQ(parse_error(p), WireError::Ipv4NotTcp) << proto;
  }
}

// RFC 9293 3.1: the fixed TCP header is 20 bytes.
TEST(WireParse, TcpShorterThan20Bytes_IsTcpTruncated) {
  for (std::size_t tcp_len = 0; tcp_len < 20; ++tcp_len) {
    Packet p = valid();
    p.resize(20 + tcp_len);
    set_be16(p, ipv4_layout::total_length, static_cast<unsigned>(p.size()));
    fill_ipv4_checksum(std::span(p).first(20));
    EXPECT_EQ(parse_error(p), WireError::TcpTruncated) << tcp_len;
  }
}

// RFC 9293 3.1: data offset counts 32-bit words, at least the 5 of the fixed header.
TEST(WireParse, TcpDataOffsetBelow5_IsTcpDataOffsetBelowFive) {
  for (unsigned offset = 0; offset < 5; ++offset) {
    Packet p = valid();
    set_u8(p, 20 + tcp_layout::data_offset, offset << 4);
    refill_checksums(p);
    EXPECT_EQ(parse_error(p), WireError::TcpDataOffsetBelowFive) << offset;
  }
}

// RFC 9293 3.1: the header cannot be longer than the segment.
TEST(WireParse, TcpDataOffsetPastSegment_IsTcpDataOffsetPastSegment) {
  for (unsigned offset = 6; offset < 16; ++offset) {
    Packet p = valid();
    set_u8(p, 20 + tcp_layout::data_offset, offset << 4);
    refill_checksums(p);
    EXPECT_EQ(parse_error(p), WireError::TcpDataOffsetPastSegment) << offset;
  }
}

// RFC 9293 3.1: the checksum covers pseudo-header, header and payload.
TEST(WireParse, TcpPayloadBitFlipped_IsTcpBadChecksum) {
  SegmentRepr r = template_segment();
  const Packet data = bytes({1, 2, 3});
  r.tcp.payload = data;
  Packet p = emit_packet(r);
  p.back() ^= std::byte{0x80};
  EXPECT_EQ(parse_error(p), WireError::TcpBadChecksum);
  EXPECT_TRUE(parse(p, ChecksumPolicy::none()).has_value());
}

// RFC 9293 3.1: the pseudo-header binds the segment to its addresses.
TEST(WireParse, TcpDeliveredToOtherAddress_IsTcpBadChecksum) {
  Packet p = valid();
  set_u8(p, ipv4_layout::destination + 3, 3);
  fill_ipv4_checksum(std::span(p).first(20));
  EXPECT_EQ(parse_error(p), WireError::TcpBadChecksum);
}

// RFC 9293 3.1: an option length counts kind and length; 0 and 1 are illegal
// and made two published stacks loop forever.
TEST(WireParse, OptionLength0Or1_IsOptionLengthBelowTwo) {
  for (const int len : {0, 1}) {
    const Packet p = with_options(valid(), bytes({2, len, 0, 0}));
    EXPECT_EQ(parse_error(p), WireError::OptionLengthBelowTwo) << len;
    const Packet unknown = with_options(valid(), bytes({1, 1, 99, len}));
    EXPECT_EQ(parse_error(unknown), WireError::OptionLengthBelowTwo) << len;
  }
}

// RFC 9293 3.1: an option must end within the data offset.
TEST(WireParse, OptionRunsPastHeader_IsOptionPastHeader) {
  EXPECT_EQ(parse_error(with_options(valid(), bytes({1, 1, 1, 2}))), WireError::OptionPastHeader);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({1, 1, 2, 4}))), WireError::OptionPastHeader);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({1, 99, 5, 0}))), WireError::OptionPastHeader);
  // The option would fit in the packet's payload but not in its header.
  SegmentRepr r = template_segment();
  const Packet payload = bytes({0, 0, 0, 0, 0, 0, 0, 0});
  r.tcp.payload = payload;
  Packet p = emit_packet(r);
  p.insert(p.begin() + 40, {std::byte{8}, std::byte{10}, std::byte{0}, std::byte{0}});
  set_u8(p, 20 + tcp_layout::data_offset, 6U << 4);
  set_be16(p, ipv4_layout::total_length, static_cast<unsigned>(p.size()));
  refill_checksums(p);
  EXPECT_EQ(parse_error(p), WireError::OptionPastHeader);
}

// RFC 9293 3.2: MSS is kind 2, length 4.
TEST(WireParse, MssLengthNot4_IsOptionMssBadLength) {
  EXPECT_EQ(parse_error(with_options(valid(), bytes({2, 3, 5, 0}))), WireError::OptionMssBadLength);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({2, 8, 5, 0, 0, 0, 0, 0}))),
            WireError::OptionMssBadLength);
}

// RFC 7323 2.2: window scale is kind 3, length 3.
TEST(WireParse, WindowScaleLengthNot3_IsOptionWindowScaleBadLength) {
  EXPECT_EQ(parse_error(with_options(valid(), bytes({3, 4, 7, 0}))),
            WireError::OptionWindowScaleBadLength);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({3, 2, 1, 1}))),
            WireError::OptionWindowScaleBadLength);
}

// RFC 2018 2: SACK-permitted is kind 4, length 2.
TEST(WireParse, SackPermittedLengthNot2_IsOptionSackPermittedBadLength) {
  EXPECT_EQ(parse_error(with_options(valid(), bytes({4, 3, 0, 1}))),
            WireError::OptionSackPermittedBadLength);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({4, 4, 0, 0}))),
            WireError::OptionSackPermittedBadLength);
}

// RFC 2018 3: SACK is kind 5 with 2 + 8n bytes, n blocks of two edges.
TEST(WireParse, SackLengthNot2Plus8n_IsOptionSackBadLength) {
  EXPECT_EQ(parse_error(with_options(valid(), bytes({5, 2, 1, 1}))),
            WireError::OptionSackBadLength);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({5, 6, 0, 0, 0, 0, 1, 1}))),
            WireError::OptionSackBadLength);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({5, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))),
            WireError::OptionSackBadLength);
}

// RFC 2018 3: more than four blocks cannot fit a TCP header; the options
// parser on its own still refuses them when handed a longer area.
TEST(WireParse, SackWithFiveBlocks_IsOptionSackBadLength) {
  Packet area = bytes({5, 42});
  area.resize(42);
  const auto r = parse_options(area);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), WireError::OptionSackBadLength);
}

// RFC 7323 3.2: timestamps is kind 8, length 10.
TEST(WireParse, TimestampsLengthNot10_IsOptionTimestampsBadLength) {
  EXPECT_EQ(parse_error(with_options(valid(), bytes({8, 8, 0, 0, 0, 0, 0, 0}))),
            WireError::OptionTimestampsBadLength);
  EXPECT_EQ(parse_error(with_options(valid(), bytes({8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))),
            WireError::OptionTimestampsBadLength);
}

// The checks run in a fixed order, so a packet with several faults always
// reports the first: here bad version wins over a bad IHL and a short total.
TEST(WireParse, SeveralFaults_ReportsFirstInCheckOrder) {
  Packet p = valid();
  set_u8(p, 0, 0x62);
  set_be16(p, ipv4_layout::total_length, 4);
  EXPECT_EQ(parse_error(p), WireError::Ipv4BadVersion);
}

// Regression class: a parser must not read past total length even when the
// buffer is longer (link-layer padding), nor count that padding as payload.
TEST(WireParse, TrailingBytesAfterTotalLength_AreIgnored) {
  const SegmentRepr r = template_segment();
  Packet p = emit_packet(r);
  p.insert(p.end(), 6, std::byte{0xEE});
  const auto parsed = parse(p);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, r);
  EXPECT_TRUE(parsed->tcp.payload.empty());
}

// RFC 791 3.1: options in the IPv4 header are skipped by IHL.
TEST(WireParse, Ipv4Options_AreSkipped) {
  const SegmentRepr r = template_segment();
  Packet p = emit_packet(r);
  p.insert(p.begin() + 20, {std::byte{1}, std::byte{1}, std::byte{1}, std::byte{0}});
  set_u8(p, 0, 0x46);
  set_be16(p, ipv4_layout::total_length, static_cast<unsigned>(p.size()));
  refill_checksums(p);
  const auto parsed = parse(p);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, r);
}

}  // namespace
}  // namespace tcpmc::wire::test
