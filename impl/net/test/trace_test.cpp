// The tracing layer: one line per packet each way, in tcpdump's manner,
// with the options; bad packets are named and still passed on.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/net/trace.hpp>
#include <tcpmc/wire/codec.hpp>
#include <vector>

namespace tcpmc::net {
namespace {

std::vector<std::byte> syn_packet() {
  wire::SegmentRepr r;
  r.ip.source = wire::Ipv4Address(198, 18, 0, 1);
  r.ip.destination = wire::Ipv4Address(198, 18, 0, 2);
  r.tcp.source_port = 40000;
  r.tcp.destination_port = 7;
  r.tcp.seq = 1000;
  r.tcp.flags = wire::TcpFlags(wire::TcpFlag::Syn);
  r.tcp.window = 64240;
  r.tcp.options.mss = 1460;
  r.tcp.options.sack_permitted = true;
  r.tcp.options.timestamps = wire::Timestamps{77, 0};
  std::vector<std::byte> bytes(r.wire_size());
  EXPECT_TRUE(wire::emit(r, bytes));
  return bytes;
}

TEST(Trace, EachDirection_OneLineWithFlagsNumbersAndOptions) {
  MemoryDevice dev;
  std::vector<std::string> lines;
  TraceLayer layer(dev, [&](std::string_view l) { lines.emplace_back(l); });
  layer.on_time(12'345'678);
  dev.inject(syn_packet());
  std::byte buffer[1500];
  ASSERT_EQ(layer.read(buffer).status, IoStatus::Ok);
  ASSERT_EQ(layer.write(syn_packet()).status, IoStatus::Ok);
  ASSERT_EQ(dev.written().size(), 1U);  // passed on
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0],
            "12.345678 in  198.18.0.1:40000 > 198.18.0.2:7 [S] seq 1000 win 64240 len 0 "
            "mss 1460 sackOK ts 77/0");
  EXPECT_TRUE(lines[1].starts_with("12.345678 out 198.18.0.1:40000"));
}

TEST(Trace, RejectedPacket_NamedAndStillPassedOn) {
  MemoryDevice dev;
  std::vector<std::string> lines;
  TraceLayer layer(dev, [&](std::string_view l) { lines.emplace_back(l); });
  auto bad = syn_packet();
  bad[0] = std::byte{0x65};  // IP version 6 in an IPv4 header
  dev.inject(bad);
  std::byte buffer[1500];
  ASSERT_EQ(layer.read(buffer).status, IoStatus::Ok);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("rejected by the codec: Ipv4BadVersion"), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace tcpmc::net
