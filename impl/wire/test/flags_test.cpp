// Flags: every combination parses, because what SYN+FIN or a segment with
// no flags means is the engine's decision (RFC 9293 3.10.7), not the codec's.
#include <gtest/gtest.h>

#include "support.hpp"

namespace tcpmc::wire::test {
namespace {

// RFC 9293 3.1: eight control bits, CWR and ECE from RFC 3168.
TEST(WireFlags, NamedAccessors_ReadTheirBit) {
  const TcpFlags all = TcpFlags::from_bits(0xFF);
  EXPECT_TRUE(all.fin() && all.syn() && all.rst() && all.psh() && all.ack() && all.urg() &&
              all.ece() && all.cwr());
  EXPECT_EQ(TcpFlags(TcpFlag::Fin).bits(), 0x01);
  EXPECT_EQ(TcpFlags(TcpFlag::Syn).bits(), 0x02);
  EXPECT_EQ(TcpFlags(TcpFlag::Rst).bits(), 0x04);
  EXPECT_EQ(TcpFlags(TcpFlag::Psh).bits(), 0x08);
  EXPECT_EQ(TcpFlags(TcpFlag::Ack).bits(), 0x10);
  EXPECT_EQ(TcpFlags(TcpFlag::Urg).bits(), 0x20);
  EXPECT_EQ(TcpFlags(TcpFlag::Ece).bits(), 0x40);
  EXPECT_EQ(TcpFlags(TcpFlag::Cwr).bits(), 0x80);
  EXPECT_TRUE(TcpFlags{}.none());
  EXPECT_FALSE(TcpFlags(TcpFlag::Urg).ack());
}

TEST(WireFlags, WithAndWithout_SetAndClearOneBit) {
  const TcpFlags f = TcpFlags(TcpFlag::Syn).with(TcpFlag::Ack);
  EXPECT_EQ(f, TcpFlag::Syn | TcpFlag::Ack);
  EXPECT_EQ(f.without(TcpFlag::Syn), TcpFlags(TcpFlag::Ack));
  EXPECT_EQ(f.without(TcpFlag::Fin), f);
}

// Odd but well-formed combinations all parse and keep their bits.
TEST(WireFlags, EveryCombination_ParsesAndRoundTrips) {
  for (unsigned bits = 0; bits < 256; ++bits) {
    SegmentRepr r = template_segment();
    r.tcp.flags = TcpFlags::from_bits(static_cast<std::uint8_t>(bits));
    const Packet p = emit_packet(r);
    const auto back = parse(p);
    ASSERT_TRUE(back.has_value()) << bits;
    EXPECT_EQ(back->tcp.flags.bits(), bits);
  }
}

// RFC 9293 3.1: the reserved bits are not flags; they are ignored on receive
// and sent as zero.
TEST(WireFlags, ReservedBits_IgnoredOnParse) {
  Packet p = emit_packet(template_segment());
  set_u8(p, 20 + tcp_layout::data_offset, (5U << 4) | 0x0FU);
  refill_checksums(p);
  const auto r = parse(p);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, template_segment());
  EXPECT_EQ(load_u8(emit_packet(*r).data() + 20 + tcp_layout::data_offset), 5U << 4);
}

// The same holds for the IPv4 reserved flag bit.
TEST(WireFlags, Ipv4ReservedFlag_IgnoredOnParse) {
  Packet p = emit_packet(template_segment());
  set_be16(p, ipv4_layout::flags_fragment, 0xC000);
  refill_checksums(p);
  const auto r = parse(p);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, template_segment());
}

}  // namespace
}  // namespace tcpmc::wire::test
