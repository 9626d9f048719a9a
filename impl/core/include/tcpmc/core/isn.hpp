// Initial sequence numbers, RFC 6528 (RFC 9293 section 3.4.1):
// ISN = M + F(localip, localport, remoteip, remoteport, secretkey), where M
// is a clock ticking every 4 microseconds and F a keyed hash. The core
// takes the clock reading and the secret as inputs; it never reads a clock
// or draws randomness itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tcpmc::core {

struct Endpoint {
  std::uint32_t address = 0;  // IPv4, host byte order
  std::uint16_t port = 0;
  constexpr bool operator==(const Endpoint&) const = default;
};

struct FourTuple {
  Endpoint local;
  Endpoint remote;
  constexpr bool operator==(const FourTuple&) const = default;
};

struct FourTupleHash {
  std::size_t operator()(const FourTuple& t) const noexcept {
    std::uint64_t h = (std::uint64_t{t.local.address} << 32 | t.remote.address) * 0x9E3779B97F4A7C15ULL;
    h ^= (std::uint64_t{t.local.port} << 16 | t.remote.port) + (h >> 29);
    return static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ULL);
  }
};

// The 128-bit key of F; the runtime draws it once at start-up.
using IsnSecret = std::array<std::uint8_t, 16>;

// F: SipHash-2-4 of the 4-tuple under the secret (libsodium's
// crypto_shorthash), folded to 32 bits.
std::uint32_t isn_offset(const FourTuple& tuple, const IsnSecret& secret);

}  // namespace tcpmc::core
