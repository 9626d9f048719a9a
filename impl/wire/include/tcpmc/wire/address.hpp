// An IPv4 address as a value: four octets in network order, comparable and
// hashable, so it can sit in a connection's four-tuple.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace tcpmc::wire {

class Ipv4Address {
 public:
  constexpr Ipv4Address() = default;
  constexpr Ipv4Address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
      : octets_{a, b, c, d} {}

  // `value` in host order: 198.18.0.1 is 0xC6120001.
  static constexpr Ipv4Address from_u32(std::uint32_t value) {
    return {
        static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>((value >> 16) & 0xFFU),
        static_cast<std::uint8_t>((value >> 8) & 0xFFU), static_cast<std::uint8_t>(value & 0xFFU)};
  }
  constexpr std::uint32_t to_u32() const {
    return (std::uint32_t{octets_[0]} << 24) | (std::uint32_t{octets_[1]} << 16) |
           (std::uint32_t{octets_[2]} << 8) | std::uint32_t{octets_[3]};
  }
  constexpr const std::array<std::uint8_t, 4>& octets() const { return octets_; }

  constexpr auto operator<=>(const Ipv4Address&) const = default;

 private:
  std::array<std::uint8_t, 4> octets_{};
};

}  // namespace tcpmc::wire

template <>
struct std::hash<tcpmc::wire::Ipv4Address> {
  std::size_t operator()(const tcpmc::wire::Ipv4Address& a) const noexcept {
    return std::hash<std::uint32_t>{}(a.to_u32());
  }
};
