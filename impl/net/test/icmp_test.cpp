#include <gtest/gtest.h>

#include <tcpmc/wire/icmp.hpp>
#include <vector>

namespace tcpmc::wire {
namespace {

// An echo request as ping sends it: type 8, code 0, identifier, sequence
// number, data, checksum over all of it (RFC 792).
std::vector<std::byte> echo_request(std::uint16_t id, std::uint16_t seq,
                                    std::vector<std::byte> data) {
  std::vector<std::byte> m(8 + data.size());
  store_u8(m.data(), 8);
  store_be16(m.data() + 4, id);
  store_be16(m.data() + 6, seq);
  std::copy(data.begin(), data.end(), m.begin() + 8);
  store_be16(m.data() + 2, static_cast<std::uint16_t>(~ones_complement_sum(m)));
  return m;
}

TEST(IcmpEcho, RequestParsesToItsFields) {
  const std::vector<std::byte> data = {std::byte{1}, std::byte{2}, std::byte{3}};
  const auto m = echo_request(0x1234, 7, data);
  const auto e = parse_icmp_echo_request(m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->identifier, 0x1234);
  EXPECT_EQ(e->sequence, 7);
  EXPECT_TRUE(std::equal(e->data.begin(), e->data.end(), data.begin(), data.end()));
}

// RFC 792: the reply swaps the addresses, sets type 0 and returns the
// identifier, sequence number and data unchanged.
TEST(IcmpEcho, ReplyCarriesTheRequestBackWithValidChecksums) {
  const auto m = echo_request(0xBEEF, 42, std::vector<std::byte>(56, std::byte{0x5A}));
  const auto req = parse_icmp_echo_request(m);
  ASSERT_TRUE(req);
  std::vector<std::byte> out(1500);
  const Ipv4Address us(198, 18, 0, 2);
  const Ipv4Address them(198, 18, 0, 1);
  const std::size_t n = emit_echo_reply(*req, us, them, out);
  ASSERT_EQ(n, 20U + 8 + 56);
  const auto ip = Ipv4View::make(std::span<const std::byte>(out).first(n));
  ASSERT_TRUE(ip);
  EXPECT_TRUE(verify_ipv4_checksum(ip->header()));
  EXPECT_EQ(ip->protocol(), icmp_layout::protocol_icmp);
  EXPECT_EQ(ip->source(), us);
  EXPECT_EQ(ip->destination(), them);
  const auto icmp = ip->payload();
  EXPECT_EQ(ones_complement_sum(icmp), 0xFFFF);
  EXPECT_EQ(load_u8(icmp.data()), icmp_layout::type_echo_reply);
  EXPECT_EQ(load_be16(icmp.data() + 4), 0xBEEF);
  EXPECT_EQ(load_be16(icmp.data() + 6), 42);
  EXPECT_EQ(icmp[8], std::byte{0x5A});
  // Too small a buffer: nothing written.
  EXPECT_EQ(emit_echo_reply(*req, us, them, std::span<std::byte>(out).first(n - 1)), 0U);
}

TEST(IcmpEcho, BadInputIsATypedError) {
  auto m = echo_request(1, 1, {std::byte{9}});
  EXPECT_EQ(parse_icmp_echo_request(std::span<const std::byte>(m).first(7)).error(),
            IcmpError::Truncated);
  m[8] = std::byte{10};
  EXPECT_EQ(parse_icmp_echo_request(m).error(), IcmpError::BadChecksum);
  EXPECT_TRUE(parse_icmp_echo_request(m, ChecksumPolicy::none()));
  auto reply = echo_request(1, 1, {});
  store_u8(reply.data(), 0);  // an echo reply is not ours to answer
  store_be16(reply.data() + 2, 0);
  store_be16(reply.data() + 2, static_cast<std::uint16_t>(~ones_complement_sum(reply)));
  EXPECT_EQ(parse_icmp_echo_request(reply).error(), IcmpError::NotEchoRequest);
}

}  // namespace
}  // namespace tcpmc::wire
