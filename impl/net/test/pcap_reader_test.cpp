// Reading captures back: what our own PcapWriter writes comes back as the
// segments that were written; every other packet is a typed, counted skip;
// the link-layer framings tcpdump writes are stripped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <tcpmc/net/pcap.hpp>
#include <tcpmc/net/pcap_reader.hpp>
#include <tcpmc/wire/codec.hpp>
#include <vector>

namespace tcpmc::net {
namespace {

std::string temp_path(const char* name) {
  return ::testing::TempDir() + "tcpmc-reader-" + std::to_string(::getpid()) + "-" + name;
}

// A SYN from 198.18.0.1:40000 to 198.18.0.2:80 with MSS and window scale,
// and `payload` bytes of data if asked.
std::vector<std::byte> syn_packet(std::uint32_t seq, std::size_t payload = 0) {
  wire::SegmentRepr r;
  r.ip.source = wire::Ipv4Address(198, 18, 0, 1);
  r.ip.destination = wire::Ipv4Address(198, 18, 0, 2);
  r.tcp.source_port = 40000;
  r.tcp.destination_port = 80;
  r.tcp.seq = seq;
  r.tcp.flags = wire::TcpFlag::Syn;
  r.tcp.window = 64240;
  r.tcp.options.mss = 1460;
  r.tcp.options.window_scale = wire::WindowScale(7);
  const std::vector<std::byte> data(payload, std::byte{0x61});
  r.tcp.payload = data;
  std::vector<std::byte> out(r.wire_size());
  const auto n = wire::emit(r, out);
  EXPECT_TRUE(n.has_value());
  return out;
}

std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

std::vector<std::byte> prefixed(std::vector<std::byte> header, const std::vector<std::byte>& ip) {
  header.insert(header.end(), ip.begin(), ip.end());
  return header;
}

TEST(PcapReader, OwnWriter_SegmentsBackAndOtherPacketsCountedAsSkips) {
  const std::string path = temp_path("mixed.pcap");
  std::uint64_t clock = 1'700'000'000'000'000;
  {
    auto created = PcapWriter::create(path, [&] { return clock; });
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<PcapWriter>>(created));
    auto& writer = *std::get<0>(created);
    writer.record(syn_packet(1000));
    clock += 1500;
    writer.record(bytes({0x45, 0, 0}));  // IPv4 cut after three bytes
    auto icmp = syn_packet(1);
    icmp[9] = std::byte{1};  // protocol: ICMP
    writer.record(icmp);
    writer.record(bytes({0x60, 0, 0, 0}));  // IPv6
    writer.record(syn_packet(2000, 5));
    ASSERT_TRUE(writer.flush());
  }
  const auto capture = read_capture(path);
  ASSERT_TRUE(capture.has_value()) << capture.error().message;
  EXPECT_EQ(capture->link, LinkType::Raw);
  EXPECT_EQ(capture->records, 5U);
  ASSERT_EQ(capture->segments.size(), 2U);
  const CapturedSegment& first = capture->segments[0];
  EXPECT_EQ(first.record, 1U);
  EXPECT_EQ(first.time_us, 1'700'000'000'000'000U);
  EXPECT_EQ(first.source, wire::Ipv4Address(198, 18, 0, 1));
  EXPECT_EQ(first.tcp.destination_port, 80);
  EXPECT_EQ(first.tcp.seq, 1000U);
  EXPECT_TRUE(first.tcp.flags.syn());
  EXPECT_EQ(first.tcp.options.mss, std::optional<std::uint16_t>(1460));
  EXPECT_TRUE(first.tcp.payload.empty());
  EXPECT_EQ(capture->segments[1].record, 5U);
  EXPECT_EQ(capture->segments[1].payload_len, 5U);

  const SkipCounts& skipped = capture->skipped;
  EXPECT_EQ(skipped.total(), 3U);
  EXPECT_EQ(skipped.by_reason[static_cast<std::size_t>(PcapSkip::Malformed)], 1U);
  EXPECT_EQ(skipped.by_reason[static_cast<std::size_t>(PcapSkip::NotTcp)], 1U);
  EXPECT_EQ(skipped.by_reason[static_cast<std::size_t>(PcapSkip::NotIpv4)], 1U);
  EXPECT_EQ(skipped.wire[wire::WireError::Ipv4Truncated], 1U);
  EXPECT_NE(skipped.text().find("Malformed 1 (Ipv4Truncated 1)"), std::string::npos)
      << skipped.text();
  std::filesystem::remove(path);
}

TEST(PcapReader, FileEndsInsideARecord_EarlierSegmentsKept) {
  const std::string path = temp_path("cut.pcap");
  {
    auto created = PcapWriter::create(path, [] { return std::uint64_t{0}; });
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<PcapWriter>>(created));
    std::get<0>(created)->record(syn_packet(1));
    std::get<0>(created)->record(syn_packet(2));
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 10);
  const auto capture = read_capture(path);
  ASSERT_TRUE(capture.has_value());
  EXPECT_TRUE(capture->truncated_file);
  EXPECT_EQ(capture->segments.size(), 1U);
  std::filesystem::remove(path);
}

TEST(PcapReader, MissingOrForeignFile_TypedOneLineError) {
  const auto missing = read_capture("/nonexistent/tcpmc.pcap");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, PcapReadErrorKind::CannotOpen);
  EXPECT_EQ(missing.error().message.find('\n'), std::string::npos);
  EXPECT_NE(missing.error().message.find("/nonexistent/tcpmc.pcap"), std::string::npos);

  const std::string path = temp_path("text.pcap");
  std::ofstream(path) << "not a capture at all, just some text\n";
  const auto text = read_capture(path);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().kind, PcapReadErrorKind::CannotOpen);
  std::filesystem::remove(path);
}

TEST(PcapReader, LinkLayers_EthernetVlanSllSll2Null_Stripped) {
  const auto ip = syn_packet(77);
  std::vector<std::byte> mac(12, std::byte{0xaa});
  auto eth = prefixed(mac, {});
  eth.push_back(std::byte{0x08});
  eth.push_back(std::byte{0x00});
  auto vlan = prefixed(mac, bytes({0x81, 0x00, 0x00, 0x05, 0x08, 0x00}));
  auto sll = prefixed(std::vector<std::byte>(14, std::byte{0}), bytes({0x08, 0x00}));
  auto sll2 = prefixed(bytes({0x08, 0x00}), std::vector<std::byte>(18, std::byte{0}));
  const std::uint32_t af_inet = 2;
  std::vector<std::byte> null_header(4);
  std::memcpy(null_header.data(), &af_inet, 4);

  for (const auto& [link, header] : {std::pair{LinkType::Ethernet, eth},
                                     {LinkType::Ethernet, vlan},
                                     {LinkType::LinuxSll, sll},
                                     {LinkType::LinuxSll2, sll2},
                                     {LinkType::Null, null_header}}) {
    const auto packet = prefixed(header, ip);
    const auto seg = decode_record(link, packet, static_cast<std::uint32_t>(packet.size()));
    ASSERT_TRUE(seg.has_value()) << name(link);
    EXPECT_EQ(seg->tcp.seq, 77U) << name(link);
  }
}

TEST(PcapReader, LinkLayers_ShortOrForeign_TypedSkips) {
  const auto ip = syn_packet(1);
  const auto arp = prefixed(std::vector<std::byte>(12, std::byte{0}), bytes({0x08, 0x06}));
  EXPECT_EQ(decode_record(LinkType::Ethernet, arp, 14).error().reason, PcapSkip::NotIpv4);
  EXPECT_EQ(decode_record(LinkType::Ethernet, bytes({1, 2, 3}), 3).error().reason,
            PcapSkip::LinkHeaderTruncated);
  EXPECT_EQ(decode_record(LinkType::LinuxSll2, bytes({8, 0}), 2).error().reason,
            PcapSkip::LinkHeaderTruncated);
  EXPECT_EQ(decode_record(LinkType::Raw, {}, 0).error().reason, PcapSkip::NotIpv4);
  // Cut by the snap length: the codec's length error, reported as such.
  const std::span<const std::byte> cut(ip.data(), 30);
  const auto snapped = decode_record(LinkType::Raw, cut, static_cast<std::uint32_t>(ip.size()));
  ASSERT_FALSE(snapped.has_value());
  EXPECT_EQ(snapped.error().reason, PcapSkip::SnapTruncated);
  EXPECT_TRUE(snapped.error().wire.has_value());
}

TEST(PcapReader, EveryTruncationOfASegment_SkipNeverCrash) {
  const auto ip = syn_packet(5, 3);
  for (std::size_t n = 0; n < ip.size(); ++n) {
    const std::span<const std::byte> cut(ip.data(), n);
    EXPECT_FALSE(decode_record(LinkType::Raw, cut, static_cast<std::uint32_t>(n)).has_value());
  }
  EXPECT_TRUE(decode_record(LinkType::Raw, ip, static_cast<std::uint32_t>(ip.size())).has_value());
}

TEST(PcapReader, LinkTypeFromDlt_KnownAndUnknown) {
  EXPECT_EQ(link_type_from_dlt(1), LinkType::Ethernet);    // DLT_EN10MB
  EXPECT_EQ(link_type_from_dlt(113), LinkType::LinuxSll);  // DLT_LINUX_SLL
  EXPECT_EQ(link_type_from_dlt(276), LinkType::LinuxSll2);
  EXPECT_FALSE(link_type_from_dlt(105).has_value());  // 802.11
}

}  // namespace
}  // namespace tcpmc::net
