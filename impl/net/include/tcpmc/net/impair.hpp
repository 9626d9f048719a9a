// A seeded impairment layer (STYLE.md item 15): wraps a Device and loses,
// duplicates, reorders and delays packets in both directions, as netem
// would on a kernel that had it. It sits between the stack and the device
// (with a pcap layer, outside the pcap one, so the capture shows what the
// kernel sent and received, not what survived the impairment).
//
// Deterministic for a seed: each direction draws from its own generator,
// one fixed sequence of draws per packet, so the n-th packet in a direction
// meets the same fate in every run with that seed, whatever the timing.
// A reordered packet is held back long enough for the packets after it to
// overtake it; a duplicate leaves with its original.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <tcpmc/net/device.hpp>
#include <vector>

namespace tcpmc::net {

struct Impairment {
  double loss = 0;       // probability that a packet is dropped
  double duplicate = 0;  // probability that a packet is sent twice
  double reorder = 0;    // probability that a packet is held back past later ones
  DeviceTime delay = 0;  // microseconds added to every packet
  DeviceTime jitter = 0;  // up to this many more, drawn per packet
  std::uint64_t seed = 1;

  bool active() const {
    return loss > 0 || duplicate > 0 || reorder > 0 || delay > 0 || jitter > 0;
  }
};

// Parses "MS" or "MS:JITTER_MS" (milliseconds, integers) into delay and
// jitter; nothing if the text is not that.
std::optional<Impairment> parse_delay(std::string_view text, Impairment base);

struct ImpairCounters {
  struct Direction {
    std::uint64_t packets = 0;     // offered to the layer
    std::uint64_t dropped = 0;
    std::uint64_t duplicated = 0;  // extra copies made
    std::uint64_t reordered = 0;   // held back past later packets
    std::uint64_t delivered = 0;   // copies passed on (including duplicates)
  };
  Direction inbound;   // from the device (the kernel) to the stack
  Direction outbound;  // from the stack to the device
};

class ImpairLayer final : public Device {
 public:
  ImpairLayer(Device& inner, const Impairment& impairment);

  IoResult read(std::span<std::byte> buffer) override;
  IoResult write(std::span<const std::byte> packet) override;
  int fd() const override { return inner_.fd(); }
  std::size_t mtu() const override { return inner_.mtu(); }
  void on_time(DeviceTime now) override;
  std::optional<DeviceTime> next_deadline() const override;

  const ImpairCounters& counters() const { return counters_; }
  // One line per counter, in the format of the stack's counters.
  std::string counters_text() const;

 private:
  struct Held {
    DeviceTime due;
    std::uint64_t order;  // arrival order: ties leave first-come first-served
    std::vector<std::byte> bytes;
    bool operator>(const Held& o) const { return due != o.due ? due > o.due : order > o.order; }
  };
  using Queue = std::priority_queue<Held, std::vector<Held>, std::greater<>>;

  // The packet's fate, drawn in a fixed order from the direction's generator.
  void admit(std::span<const std::byte> packet, std::mt19937_64& rng,
             ImpairCounters::Direction& counters, Queue& queue);
  void pull_inbound();
  void release_outbound();

  Device& inner_;
  Impairment impairment_;
  DeviceTime now_ = 0;
  std::uint64_t order_ = 0;
  std::mt19937_64 inbound_rng_;
  std::mt19937_64 outbound_rng_;
  Queue inbound_;
  Queue outbound_;
  ImpairCounters counters_;
  std::vector<std::byte> scratch_;
};

}  // namespace tcpmc::net
