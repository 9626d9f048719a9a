// A tracing layer (STYLE.md item 15): wraps a Device and describes every
// packet that passes, in either direction, as one line in the manner of
// tcpdump, to a sink the caller gives (`tcpmc serve --trace` writes them to
// standard error). The library itself never prints.
//
//   12.345678 in  198.18.0.1:51914 > 198.18.0.2:7 [S] seq 3216526806 win 64240 len 0 mss 1460 ws 10 sackOK ts 2736382452/0
//   12.345702 out 198.18.0.2:7 > 198.18.0.1:51914 [S.] seq 1670307057 ack 3216526807 ...
//
// A packet the codec rejects is traced with the reason, and still passed
// on: the stack counts and drops it as it would without the layer.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <tcpmc/net/device.hpp>

namespace tcpmc::net {

// One packet described; `inbound` is from the device to the stack.
std::string describe_packet(std::span<const std::byte> packet, bool inbound, DeviceTime now);

class TraceLayer final : public Device {
 public:
  using Sink = std::function<void(std::string_view line)>;
  TraceLayer(Device& inner, Sink sink) : inner_(inner), sink_(std::move(sink)) {}

  IoResult read(std::span<std::byte> buffer) override;
  IoResult write(std::span<const std::byte> packet) override;
  int fd() const override { return inner_.fd(); }
  std::size_t mtu() const override { return inner_.mtu(); }
  void on_time(DeviceTime now) override {
    now_ = now;
    inner_.on_time(now);
  }
  std::optional<DeviceTime> next_deadline() const override { return inner_.next_deadline(); }

 private:
  Device& inner_;
  Sink sink_;
  DeviceTime now_ = 0;
};

}  // namespace tcpmc::net
