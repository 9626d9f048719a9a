#include <tcpmc/core/syn_cookie.hpp>

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace tcpmc::core {

std::uint32_t cookie_hash(const FourTuple& tuple, std::uint32_t peer_isn, std::uint32_t tick,
                          const IsnSecret& secret) {
  std::array<std::uint8_t, 20> m{};
  const auto put32 = [&m](std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) m[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
  };
  put32(0, tuple.local.address);
  put32(4, tuple.remote.address);
  put32(8, static_cast<std::uint32_t>(tuple.local.port) << 16 | tuple.remote.port);
  put32(12, peer_isn);
  put32(16, tick);
  std::array<std::uint8_t, crypto_shorthash_BYTES> h{};
  crypto_shorthash(h.data(), m.data(), m.size(), secret.data());
  return static_cast<std::uint32_t>(h[0]) | static_cast<std::uint32_t>(h[1]) << 8 |
         static_cast<std::uint32_t>(h[2]) << 16;
}

}  // namespace tcpmc::core
