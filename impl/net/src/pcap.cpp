#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tcpmc/net/pcap.hpp>

namespace tcpmc::net {

namespace {

struct GlobalHeader {
  std::uint32_t magic = kPcapMagicMicroseconds;
  std::uint16_t version_major = 2;
  std::uint16_t version_minor = 4;
  std::int32_t thiszone = 0;
  std::uint32_t sigfigs = 0;
  std::uint32_t snaplen = kPcapSnapLen;
  std::uint32_t linktype = kLinktypeRaw;
};
static_assert(sizeof(GlobalHeader) == 24);

struct RecordHeader {
  std::uint32_t ts_sec;
  std::uint32_t ts_usec;
  std::uint32_t incl_len;
  std::uint32_t orig_len;
};
static_assert(sizeof(RecordHeader) == 16);

}  // namespace

std::variant<std::unique_ptr<PcapWriter>, std::string> PcapWriter::create(const std::string& path,
                                                                          PcapClock clock) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return "cannot create pcap file " + path + ": " + std::strerror(errno) +
           "; check the directory exists and is writable";
  }
  const GlobalHeader h;
  if (std::fwrite(&h, sizeof h, 1, f) != 1) {
    std::fclose(f);
    return "cannot write pcap file " + path + ": check free space";
  }
  return std::unique_ptr<PcapWriter>(new PcapWriter(f, std::move(clock)));
}

PcapWriter::~PcapWriter() {
  flush();
  std::fclose(file_);
}

void PcapWriter::record(std::span<const std::byte> packet) {
  const std::uint64_t t = clock_();
  const std::size_t kept = std::min<std::size_t>(packet.size(), kPcapSnapLen);
  const RecordHeader r{static_cast<std::uint32_t>(t / 1'000'000),
                       static_cast<std::uint32_t>(t % 1'000'000), static_cast<std::uint32_t>(kept),
                       static_cast<std::uint32_t>(packet.size())};
  if (std::fwrite(&r, sizeof r, 1, file_) != 1 ||
      (kept > 0 && std::fwrite(packet.data(), kept, 1, file_) != 1)) {
    failed_ = true;
    return;
  }
  ++records_;
}

bool PcapWriter::flush() {
  if (std::fflush(file_) != 0) failed_ = true;
  return !failed_;
}

IoResult PcapLayer::read(std::span<std::byte> buffer) {
  const IoResult r = inner_.read(buffer);
  if (r.status == IoStatus::Ok) writer_.record(buffer.first(r.size));
  return r;
}

IoResult PcapLayer::write(std::span<const std::byte> packet) {
  const IoResult r = inner_.write(packet);
  if (r.status == IoStatus::Ok) writer_.record(packet);
  return r;
}

}  // namespace tcpmc::net
