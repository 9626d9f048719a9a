// Network-order loads and stores on raw bytes. Callers index only within a
// span whose length they have checked, so these take plain pointers; the
// shifts compile to a load and a byte swap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tcpmc::wire {

constexpr std::uint8_t load_u8(const std::byte* p) { return static_cast<std::uint8_t>(p[0]); }

constexpr std::uint16_t load_be16(const std::byte* p) {
  return static_cast<std::uint16_t>((static_cast<unsigned>(p[0]) << 8) |
                                    static_cast<unsigned>(p[1]));
}

constexpr std::uint32_t load_be32(const std::byte* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

constexpr void store_u8(std::byte* p, std::uint8_t v) { p[0] = static_cast<std::byte>(v); }

constexpr void store_be16(std::byte* p, std::uint16_t v) {
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v & 0xFFU);
}

constexpr void store_be32(std::byte* p, std::uint32_t v) {
  p[0] = static_cast<std::byte>(v >> 24);
  p[1] = static_cast<std::byte>((v >> 16) & 0xFFU);
  p[2] = static_cast<std::byte>((v >> 8) & 0xFFU);
  p[3] = static_cast<std::byte>(v & 0xFFU);
}

}  // namespace tcpmc::wire
