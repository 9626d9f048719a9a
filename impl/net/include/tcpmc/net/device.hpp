// Where packets come from and go to (STYLE.md item 15): one raw IPv4
// packet per read or write, no link-layer header. A TUN device, an
// in-memory queue for tests, and layers that wrap another Device (pcap;
// fault injection and tracing later) all have this shape, so the stack
// never knows which one it talks to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

namespace tcpmc::net {

// Microseconds of the event loop's clock (CLOCK_MONOTONIC in the runtime).
using DeviceTime = std::uint64_t;

enum class IoStatus {
  Ok,          // one packet was read or written
  WouldBlock,  // nothing to read now, or no room to write now
  Failed,      // the device reported an error (errno in IoResult::error)
};

struct IoResult {
  IoStatus status = IoStatus::Ok;
  std::size_t size = 0;  // bytes of the packet read or written
  int error = 0;         // errno when Failed
};

class Device {
 public:
  Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  virtual ~Device() = default;

  // One packet into `buffer`. A packet longer than the buffer is cut short
  // by the kernel, so callers size the buffer by mtu().
  virtual IoResult read(std::span<std::byte> buffer) = 0;
  virtual IoResult write(std::span<const std::byte> packet) = 0;
  // A descriptor that polls readable when read() has something, or -1.
  virtual int fd() const = 0;
  virtual std::size_t mtu() const = 0;

  // For layers that hold packets back (impair.hpp): the loop passes the
  // time before each batch of reads, and wakes up at next_deadline() even
  // if fd() stays quiet. Layers forward both to the device they wrap; a
  // plain device holds nothing.
  virtual void on_time(DeviceTime /*now*/) {}
  virtual std::optional<DeviceTime> next_deadline() const { return std::nullopt; }
};

// Packets in two queues: what tests inject is read by the stack, what the
// stack writes is kept for tests to inspect.
class MemoryDevice final : public Device {
 public:
  explicit MemoryDevice(std::size_t mtu = 1500) : mtu_(mtu) {}

  IoResult read(std::span<std::byte> buffer) override;
  IoResult write(std::span<const std::byte> packet) override;
  int fd() const override { return -1; }
  std::size_t mtu() const override { return mtu_; }

  void inject(std::span<const std::byte> packet) {
    inbound_.emplace_back(packet.begin(), packet.end());
  }
  std::deque<std::vector<std::byte>>& written() { return outbound_; }

 private:
  std::size_t mtu_;
  std::deque<std::vector<std::byte>> inbound_;
  std::deque<std::vector<std::byte>> outbound_;
};

}  // namespace tcpmc::net
