// Real segments of the Linux kernel's TCP, captured by data/capture-linux-
// segments in a pair of network namespaces: parse must read what Linux
// wrote, and emit must write it back byte for byte.
#include <gtest/gtest.h>

#include "support.hpp"

namespace tcpmc::wire::test {
namespace {

namespace d = test_data;

SegmentRepr parsed(const Packet& p) {
  const auto r = parse(p);
  EXPECT_TRUE(r.has_value()) << (r ? "" : to_string(r.error()));
  return r ? *r : SegmentRepr{};
}

struct Capture {
  const char* name;
  Packet bytes;
};

std::vector<Capture> all_captures() {
  return {{"syn", packet_of(d::linux_syn)},
          {"syn_ack", packet_of(d::linux_syn_ack)},
          {"data", packet_of(d::linux_data)},
          {"fin", packet_of(d::linux_fin)},
          {"rst_closed_port", packet_of(d::linux_rst_closed_port)},
          {"rst_abort", packet_of(d::linux_rst_abort)},
          {"syn_no_timestamps", packet_of(d::linux_syn_no_timestamps)}};
}

// RFC 9293 3.1: every capture carries correct checksums, so parse succeeds
// with verification on, and emit reproduces every byte, checksums included.
TEST(WireLinuxCapture, EveryCapture_RoundTripsByteExact) {
  for (const auto& c : all_captures()) {
    const auto r = parse(c.bytes);
    ASSERT_TRUE(r.has_value()) << c.name << ": " << to_string(r.error());
    EXPECT_EQ(r->wire_size(), c.bytes.size()) << c.name;
    Packet out(r->wire_size());
    const auto n = emit(*r, out);
    ASSERT_TRUE(n.has_value()) << c.name;
    EXPECT_EQ(out, c.bytes) << c.name;
  }
}

// RFC 9293 3.1, 3.7.1; RFC 7323 2.2, 3.2; RFC 2018 2.
TEST(WireLinuxCapture, Syn_CarriesMssSackPermittedTimestampsWindowScale) {
  const Packet p = packet_of(d::linux_syn);
  const auto r = parsed(p);
  EXPECT_EQ(r.ip.source, client);
  EXPECT_EQ(r.ip.destination, server);
  EXPECT_EQ(r.ip.ttl, 64);
  EXPECT_TRUE(r.ip.dont_fragment);
  EXPECT_EQ(r.tcp.source_port, 40001);
  EXPECT_EQ(r.tcp.destination_port, 5001);
  EXPECT_EQ(r.tcp.flags, TcpFlags(TcpFlag::Syn));
  EXPECT_EQ(r.tcp.ack, 0U);
  // The script sets the MTU to 1512, so Linux announces 1512 - 40.
  EXPECT_EQ(r.tcp.options.mss, std::uint16_t{1472});
  EXPECT_TRUE(r.tcp.options.sack_permitted);
  ASSERT_TRUE(r.tcp.options.timestamps.has_value());
  EXPECT_NE(r.tcp.options.timestamps->tsval, 0U);
  EXPECT_EQ(r.tcp.options.timestamps->tsecr, 0U);
  ASSERT_TRUE(r.tcp.options.window_scale.has_value());
  EXPECT_LE(r.tcp.options.window_scale->raw(), WindowScale::max_shift);
  EXPECT_TRUE(r.tcp.payload.empty());
  // Linux's layout: MSS, then SACK-permitted sharing a word with timestamps.
  EXPECT_EQ(Packet(p.begin() + 40, p.begin() + 48), bytes({2, 4, 0x05, 0xC0, 4, 2, 8, 10}));
  EXPECT_EQ(Packet(p.begin() + 56, p.end()),
            bytes({1, 3, 3, static_cast<int>(r.tcp.options.window_scale->raw())}));
}

// RFC 9293 3.10.7.3: the SYN-ACK acknowledges the SYN's sequence number plus one.
TEST(WireLinuxCapture, SynAck_AcknowledgesSynAndEchoesTimestamp) {
  const auto syn = parsed(packet_of(d::linux_syn));
  const auto syn_ack = parsed(packet_of(d::linux_syn_ack));
  EXPECT_EQ(syn_ack.tcp.flags, TcpFlag::Syn | TcpFlag::Ack);
  EXPECT_EQ(syn_ack.ip.source, server);
  EXPECT_EQ(syn_ack.tcp.ack, syn.tcp.seq + 1);
  ASSERT_TRUE(syn_ack.tcp.options.timestamps.has_value());
  EXPECT_EQ(syn_ack.tcp.options.timestamps->tsecr, syn.tcp.options.timestamps->tsval);
  EXPECT_EQ(syn_ack.tcp.options.mss, std::uint16_t{1472});
  EXPECT_TRUE(syn_ack.tcp.options.sack_permitted);
}

// RFC 7323 3.2: data segments carry NOP NOP TS; the payload is what the client wrote.
TEST(WireLinuxCapture, Data_Carries1460BytesWithTimestamps) {
  const Packet p = packet_of(d::linux_data);
  const auto syn = parsed(packet_of(d::linux_syn));
  const auto r = parsed(p);
  EXPECT_EQ(r.tcp.flags, TcpFlag::Psh | TcpFlag::Ack);
  EXPECT_EQ(r.tcp.seq, syn.tcp.seq + 1);
  ASSERT_EQ(r.tcp.payload.size(), 1460U);
  for (std::size_t i = 0; i < r.tcp.payload.size(); ++i) {
    ASSERT_EQ(r.tcp.payload[i], static_cast<std::byte>((i * 7 + 3) & 0xFF)) << i;
  }
  EXPECT_TRUE(r.tcp.options.timestamps.has_value());
  EXPECT_FALSE(r.tcp.options.mss.has_value());
  EXPECT_EQ(r.tcp.header_len(), 32U);
  EXPECT_EQ(Packet(p.begin() + 40, p.begin() + 44), bytes({1, 1, 8, 10}));
}

// RFC 9293 3.6: the FIN follows the data, at seq + 1 + 1460.
TEST(WireLinuxCapture, Fin_FollowsTheData) {
  const auto syn = parsed(packet_of(d::linux_syn));
  const auto r = parsed(packet_of(d::linux_fin));
  EXPECT_EQ(r.tcp.flags, TcpFlag::Fin | TcpFlag::Ack);
  EXPECT_EQ(r.tcp.seq, syn.tcp.seq + 1 + 1460);
  EXPECT_TRUE(r.tcp.payload.empty());
}

// RFC 9293 3.10.7.1: a SYN to a closed port gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
TEST(WireLinuxCapture, RstFromClosedPort_HasSeqZeroAndAcksTheSyn) {
  const auto r = parsed(packet_of(d::linux_rst_closed_port));
  EXPECT_EQ(r.tcp.flags, TcpFlag::Rst | TcpFlag::Ack);
  EXPECT_EQ(r.tcp.seq, 0U);
  EXPECT_EQ(r.tcp.window, 0);
  EXPECT_EQ(r.tcp.options, TcpOptions{});
  EXPECT_EQ(r.tcp.header_len(), 20U);
  EXPECT_EQ(r.ip.identification, 0);
}

// RFC 9293 3.10.4: ABORT sends a RST; Linux keeps the timestamps on it.
TEST(WireLinuxCapture, RstFromAbort_CarriesTimestamps) {
  const auto r = parsed(packet_of(d::linux_rst_abort));
  EXPECT_TRUE(r.tcp.flags.rst());
  EXPECT_TRUE(r.tcp.options.timestamps.has_value());
  EXPECT_EQ(r.tcp.destination_port, 40003);
}

// Without timestamps Linux writes MSS, NOP NOP SACK-permitted, NOP window scale.
TEST(WireLinuxCapture, SynWithoutTimestamps_PutsSackPermittedBeforeWindowScale) {
  const Packet p = packet_of(d::linux_syn_no_timestamps);
  const auto r = parsed(p);
  EXPECT_FALSE(r.tcp.options.timestamps.has_value());
  EXPECT_TRUE(r.tcp.options.sack_permitted);
  ASSERT_TRUE(r.tcp.options.window_scale.has_value());
  EXPECT_EQ(Packet(p.begin() + 44, p.end()),
            bytes({1, 1, 4, 2, 1, 3, 3, static_cast<int>(r.tcp.options.window_scale->raw())}));
}

// Views read the same fields without validating checksums.
TEST(WireLinuxCapture, Views_ReadHeaderFields) {
  const Packet p = packet_of(d::linux_syn);
  const auto ip = Ipv4View::make(p);
  ASSERT_TRUE(ip.has_value());
  EXPECT_EQ(ip->version(), 4);
  EXPECT_EQ(ip->header_len(), 20U);
  EXPECT_EQ(ip->total_length(), 60);
  EXPECT_EQ(ip->protocol(), 6);
  EXPECT_FALSE(ip->more_fragments());
  EXPECT_EQ(ip->fragment_offset(), 0);
  EXPECT_TRUE(verify_ipv4_checksum(ip->header()));
  const auto tcp = TcpView::make(ip->payload());
  ASSERT_TRUE(tcp.has_value());
  EXPECT_EQ(tcp->header_len(), 40U);
  EXPECT_EQ(tcp->options().size(), 20U);
  EXPECT_EQ(tcp->flag_bits(), 0x02);
  EXPECT_EQ(tcp->urgent_pointer(), 0);
  EXPECT_TRUE(verify_tcp_checksum(ip->source(), ip->destination(), tcp->bytes()));
  EXPECT_EQ(tcp->checksum(), load_be16(p.data() + 36));
  EXPECT_EQ(ip->checksum(), load_be16(p.data() + 10));
}

// The layers parse() is made of, for callers that hold views already (a
// stack that demultiplexes on the IPv4 header before reading TCP).
TEST(WireLinuxCapture, LayeredParse_MatchesWholeParse) {
  const Packet p = packet_of(d::linux_syn_ack);
  const auto whole = parsed(p);
  const auto ip_view = Ipv4View::make(p);
  ASSERT_TRUE(ip_view.has_value());
  const auto ip = parse_ipv4(*ip_view);
  ASSERT_TRUE(ip.has_value());
  EXPECT_EQ(*ip, whole.ip);
  const auto tcp_view = TcpView::make(ip_view->payload());
  ASSERT_TRUE(tcp_view.has_value());
  const auto tcp = parse_tcp(*tcp_view, ip->source, ip->destination);
  ASSERT_TRUE(tcp.has_value());
  EXPECT_EQ(*tcp, whole.tcp);
  // RFC 9293 3.1: the pseudo-header ties the checksum to the addresses.
  const Ipv4Address elsewhere{198, 18, 0, 3};
  EXPECT_EQ(parse_tcp(*tcp_view, ip->source, elsewhere), unexpected(WireError::TcpBadChecksum));
  EXPECT_TRUE(parse_tcp(*tcp_view, ip->source, elsewhere, ChecksumPolicy::none()).has_value());
}

// The IPv4 layer alone reports its own reasons.
TEST(WireLinuxCapture, LayeredParseIpv4_ReportsItsErrors) {
  Packet p = packet_of(d::linux_syn);
  p[8] ^= std::byte{1};
  const auto view = Ipv4View::make(p);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(parse_ipv4(*view), unexpected(WireError::Ipv4BadChecksum));
  EXPECT_TRUE(parse_ipv4(*view, ChecksumPolicy::none()).has_value());
}

}  // namespace
}  // namespace tcpmc::wire::test
