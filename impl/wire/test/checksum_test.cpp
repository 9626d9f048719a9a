// The Internet checksum: the optimized sum against RFC 1071's example and
// against the word-at-a-time reference, and verify/fill on real headers.
#include <gtest/gtest.h>

#include <random>

#include "support.hpp"

namespace tcpmc::wire::test {
namespace {

// RFC 1071 3: the numerical example sums to 0xDDF2.
TEST(WireChecksum, Rfc1071Example_SumsToDdf2) {
  const Packet p = bytes({0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7});
  EXPECT_EQ(ones_complement_sum(p), 0xDDF2);
  EXPECT_EQ(ones_complement_sum_reference(p), 0xDDF2);
}

// RFC 1071 2(A): an odd last byte is padded with a zero byte on the right.
TEST(WireChecksum, OddLength_PadsLastByteOnTheRight) {
  EXPECT_EQ(ones_complement_sum(bytes({0xAB})), 0xAB00);
  EXPECT_EQ(ones_complement_sum(bytes({0x12, 0x34, 0x56})), 0x6834);
  EXPECT_EQ(ones_complement_sum({}), 0);
  EXPECT_EQ(ones_complement_sum({}, 0x1234), 0x1234);
}

// RFC 1071 2(B): carries wrap around; all-ones words sum to 0xFFFF.
TEST(WireChecksum, CarriesWrapAround) {
  const Packet ones(4096, std::byte{0xFF});
  EXPECT_EQ(ones_complement_sum(ones), 0xFFFF);
  EXPECT_EQ(ones_complement_sum(bytes({0xFF, 0xFF, 0x00, 0x01})), 0x0001);
  EXPECT_EQ(add_sums(0xFFFF, 0x0001), 0x0001);
  EXPECT_EQ(add_sums(0x8000, 0x8000), 0x0001);
}

// The optimized sum equals the reference for every length and alignment.
TEST(WireChecksum, Optimized_EqualsReferenceOnRandomData) {
  std::mt19937 rng(0x7C9D);
  std::vector<std::byte> buffer(2200);
  for (auto& b : buffer) b = static_cast<std::byte>(rng());
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t len = 0; len < 2100; len += (len < 100 ? 1 : 37)) {
      const auto data = std::span(buffer).subspan(offset, len);
      const auto initial = static_cast<std::uint16_t>(rng());
      ASSERT_EQ(ones_complement_sum(data, initial), ones_complement_sum_reference(data, initial))
          << "offset " << offset << " len " << len;
    }
  }
}

// RFC 9293 3.1: the pseudo-header is source, destination, zero, 6, TCP length.
TEST(WireChecksum, PseudoHeader_EqualsSumOfItsBytes) {
  const Packet pseudo = bytes({198, 18, 0, 1, 198, 18, 0, 2, 0, 6, 0x05, 0xD4});
  EXPECT_EQ(tcp_pseudo_header_sum(client, server, 0x05D4), ones_complement_sum_reference(pseudo));
  const Ipv4Address high{255, 255, 255, 255};
  const Packet pseudo_high = bytes({255, 255, 255, 255, 255, 255, 255, 255, 0, 6, 0xFF, 0xFF});
  EXPECT_EQ(tcp_pseudo_header_sum(high, high, 0xFFFF), ones_complement_sum_reference(pseudo_high));
}

// Fill then verify, and a one-bit change anywhere is caught.
TEST(WireChecksum, FillThenVerify_DetectsAnySingleBitFlip) {
  SegmentRepr r = template_segment();
  const Packet payload = bytes({1, 2, 3, 4, 5, 6, 7});
  r.tcp.payload = payload;
  const Packet p = emit_packet(r);
  for (std::size_t i = 0; i < p.size(); ++i) {
    Packet q = p;
    q[i] ^= std::byte{0x10};
    const bool ip_ok = verify_ipv4_checksum(std::span(q).first(20));
    const bool tcp_ok = verify_tcp_checksum(client, server, std::span(q).subspan(20));
    // The source and destination are covered by both checksums.
    EXPECT_FALSE(ip_ok && tcp_ok) << i;
  }
}

// Linux's own checksums verify, and filling them again gives the same bytes.
TEST(WireChecksum, LinuxCaptures_VerifyAndRefillIdentically) {
  for (Packet p : {packet_of(test_data::linux_syn), packet_of(test_data::linux_data),
                   packet_of(test_data::linux_rst_closed_port)}) {
    const Packet original = p;
    const auto view = Ipv4View::make(p);
    ASSERT_TRUE(view.has_value());
    EXPECT_TRUE(verify_ipv4_checksum(view->header()));
    EXPECT_TRUE(verify_tcp_checksum(view->source(), view->destination(), view->payload()));
    refill_checksums(p);
    EXPECT_EQ(p, original);
  }
}

// An all-zero header sums to +0, which never verifies (a correct one sums to -0).
TEST(WireChecksum, AllZeroHeader_DoesNotVerify) { EXPECT_FALSE(verify_ipv4_checksum(Packet(20))); }

}  // namespace
}  // namespace tcpmc::wire::test
