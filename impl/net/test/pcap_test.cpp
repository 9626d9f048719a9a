#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <tcpmc/net/pcap.hpp>
#include <vector>

namespace tcpmc::net {
namespace {

std::uint32_t u32(const std::vector<char>& f, std::size_t at) {
  std::uint32_t v = 0;
  std::memcpy(&v, f.data() + at, 4);
  return v;
}
std::uint16_t u16(const std::vector<char>& f, std::size_t at) {
  std::uint16_t v = 0;
  std::memcpy(&v, f.data() + at, 2);
  return v;
}

std::string temp_path(const char* name) {
  return ::testing::TempDir() + "tcpmc-" + std::to_string(::getpid()) + "-" + name;
}

std::vector<char> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

// libpcap file format: 24-byte global header, LINKTYPE_RAW (101), then a
// 16-byte record header per packet and the packet's bytes.
TEST(Pcap, GlobalHeaderThenOneRecordPerPacketReadAndWritten) {
  const std::string path = temp_path("layer.pcap");
  std::uint64_t clock = 1'700'000'000'123'456;
  {
    auto created = PcapWriter::create(path, [&] { return clock; });
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<PcapWriter>>(created));
    auto& writer = *std::get<0>(created);
    MemoryDevice memory;
    PcapLayer layer(memory, writer);
    const auto in = bytes({0x45, 1, 2, 3, 4});
    memory.inject(in);
    std::byte buf[64];
    const IoResult r = layer.read(buf);
    ASSERT_EQ(r.status, IoStatus::Ok);
    EXPECT_EQ(r.size, in.size());
    clock += 2'000'001;
    const auto out = bytes({0x45, 9, 8});
    EXPECT_EQ(layer.write(out).status, IoStatus::Ok);
    EXPECT_EQ(memory.written().size(), 1U);  // passed on unchanged
    EXPECT_EQ(memory.written().front(), out);
    EXPECT_EQ(layer.read(buf).status, IoStatus::WouldBlock);  // nothing recorded for that
    EXPECT_EQ(writer.records(), 2U);
  }  // the writer flushes and closes here
  const std::vector<char> f = read_all(path);
  ASSERT_EQ(f.size(), 24U + 16 + 5 + 16 + 3);
  EXPECT_EQ(u32(f, 0), 0xa1b2c3d4U);
  EXPECT_EQ(u16(f, 4), 2U);
  EXPECT_EQ(u16(f, 6), 4U);
  EXPECT_EQ(u32(f, 16), 65535U);
  EXPECT_EQ(u32(f, 20), 101U);
  EXPECT_EQ(u32(f, 24), 1'700'000'000U);
  EXPECT_EQ(u32(f, 28), 123'456U);
  EXPECT_EQ(u32(f, 32), 5U);
  EXPECT_EQ(u32(f, 36), 5U);
  EXPECT_EQ(f[40], 0x45);
  EXPECT_EQ(f[44], 4);
  EXPECT_EQ(u32(f, 45), 1'700'000'002U);
  EXPECT_EQ(u32(f, 49), 123'457U);
  EXPECT_EQ(u32(f, 53), 3U);
  EXPECT_EQ(f[62], 9);
  ::unlink(path.c_str());
}

TEST(Pcap, UnwritablePathIsAOneLineError) {
  auto created = PcapWriter::create("/proc/tcpmc-no-such-dir/x.pcap", [] { return 0; });
  ASSERT_TRUE(std::holds_alternative<std::string>(created));
  const std::string& message = std::get<std::string>(created);
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_NE(message.find("writable"), std::string::npos);
}

}  // namespace
}  // namespace tcpmc::net
