// SYN cookies (RFC 4987 section 3.6): when the SYN queue is full, the
// listener keeps nothing and puts what it must remember into its ISN:
//
//   bits 31..27  a coarse clock, one tick per 64 seconds, modulo 32
//   bits 26..24  an index into a short table of MSS values
//   bits 23..0   a keyed hash of the 4-tuple, the peer's ISN and the tick
//
// The ACK that completes the handshake returns ISN + 1; from it the
// listener recovers the MSS and checks the hash and the age.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <tcpmc/core/isn.hpp>

namespace tcpmc::core {

// MSS values a cookie can carry; a peer's MSS is rounded down to one.
inline constexpr std::array<std::uint16_t, 8> kCookieMss = {536,  1200, 1220, 1360,
                                                            1400, 1440, 1452, 1460};

// A cookie is honoured for the tick it was made in and the next one.
inline constexpr std::uint32_t kCookieMaxAgeTicks = 1;

struct CookieContent {
  std::uint16_t mss;
  std::uint32_t tick;  // the 5-bit tick it carried
};

// The hash part: 24 bits of SipHash-2-4 over the tuple, the peer's ISN and
// the tick, under the listener's secret.
std::uint32_t cookie_hash(const FourTuple& tuple, std::uint32_t peer_isn, std::uint32_t tick,
                          const IsnSecret& secret);

constexpr std::uint32_t cookie_mss_index(std::uint16_t peer_mss) {
  std::uint32_t index = 0;
  for (std::uint32_t i = 0; i < kCookieMss.size(); ++i) {
    if (kCookieMss[i] <= peer_mss) index = i;
  }
  return index;
}

// The ISN to send in the SYN-ACK. `tick` is the coarse clock, any width.
inline std::uint32_t make_cookie(const FourTuple& tuple, std::uint32_t peer_isn,
                                 std::uint16_t peer_mss, std::uint32_t tick,
                                 const IsnSecret& secret) {
  const std::uint32_t t = tick & 31U;
  return t << 27 | cookie_mss_index(peer_mss) << 24 | cookie_hash(tuple, peer_isn, t, secret);
}

// What a returning cookie carried, if it is ours, for this tuple and peer
// ISN, and recent enough; nothing otherwise.
inline std::optional<CookieContent> check_cookie(std::uint32_t cookie, const FourTuple& tuple,
                                                 std::uint32_t peer_isn, std::uint32_t now_tick,
                                                 const IsnSecret& secret) {
  const std::uint32_t t = cookie >> 27;
  const std::uint32_t age = ((now_tick & 31U) - t) & 31U;
  if (age > kCookieMaxAgeTicks) return std::nullopt;
  if ((cookie & 0xFFFFFFU) != cookie_hash(tuple, peer_isn, t, secret)) return std::nullopt;
  return CookieContent{kCookieMss[(cookie >> 24) & 7U], t};
}

}  // namespace tcpmc::core
