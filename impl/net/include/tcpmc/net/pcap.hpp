// libpcap's classic file format, written by hand: a 24-byte global header
// (magic 0xa1b2c3d4, version 2.4, microsecond timestamps, LINKTYPE_RAW so
// that each record is a bare IPv4 packet) and one 16-byte record header
// per packet, all in the host's byte order as the format allows (readers
// tell the order from the magic).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tcpmc/net/device.hpp>
#include <variant>

namespace tcpmc::net {

inline constexpr std::uint32_t kPcapMagicMicroseconds = 0xa1b2c3d4;
inline constexpr std::uint32_t kLinktypeRaw = 101;
inline constexpr std::uint32_t kPcapSnapLen = 65535;

// Wall-clock time of a packet, in microseconds since the epoch: what
// tcpdump prints. Injected so that tests write deterministic files.
using PcapClock = std::function<std::uint64_t()>;

class PcapWriter {
 public:
  // Nothing, with a one-line reason, if the file cannot be created.
  static std::variant<std::unique_ptr<PcapWriter>, std::string> create(const std::string& path,
                                                                       PcapClock clock);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  void record(std::span<const std::byte> packet);
  bool flush();  // false if a write failed since the file was opened
  std::uint64_t records() const { return records_; }

 private:
  PcapWriter(std::FILE* file, PcapClock clock) : file_(file), clock_(std::move(clock)) {}
  std::FILE* file_;
  PcapClock clock_;
  std::uint64_t records_ = 0;
  bool failed_ = false;
};

// A Device that records every packet read from and written to the device
// it wraps, then passes it on unchanged.
class PcapLayer final : public Device {
 public:
  PcapLayer(Device& inner, PcapWriter& writer) : inner_(inner), writer_(writer) {}

  IoResult read(std::span<std::byte> buffer) override;
  IoResult write(std::span<const std::byte> packet) override;
  int fd() const override { return inner_.fd(); }
  std::size_t mtu() const override { return inner_.mtu(); }
  void on_time(DeviceTime now) override { inner_.on_time(now); }
  std::optional<DeviceTime> next_deadline() const override { return inner_.next_deadline(); }

 private:
  Device& inner_;
  PcapWriter& writer_;
};

}  // namespace tcpmc::net
