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

// The layout above, written once as templates over the value type: the
// listener instantiates them with std::uint32_t, verify/z3 with bit-vector
// expressions (its own shift_right, unsigned_greater, ... found by
// argument-dependent lookup), so the proofs that the fields round-trip are
// about this code. Bodies use only the named shifts and comparison, &, |,
// -, == and &&, ! (no `if`, no `>`): on a bit-vector z3's `>` is signed.
inline constexpr unsigned kCookieTickShift = 27;
inline constexpr unsigned kCookieMssShift = 24;
inline constexpr std::uint32_t kCookieTickMask = 31U;
inline constexpr std::uint32_t kCookieMssMask = 7U;
inline constexpr std::uint32_t kCookieHashMask = 0xFFFFFFU;

constexpr std::uint32_t shift_left(std::uint32_t v, unsigned n) { return v << n; }
constexpr std::uint32_t shift_right(std::uint32_t v, unsigned n) { return v >> n; }
constexpr bool unsigned_greater(std::uint32_t a, std::uint32_t b) { return a > b; }

// The cookie for a coarse clock reading `tick` (any width; 5 bits are
// kept), an MSS index below 8 and `hash(t)`, a 24-bit keyed hash of the
// kept tick t.
template <class V, class Hash>
constexpr V pack_cookie(V tick, V mss_index, Hash hash) {
  return shift_left(tick & kCookieTickMask, kCookieTickShift) |
         shift_left(mss_index, kCookieMssShift) | hash(tick & kCookieTickMask);
}

template <class V>
constexpr V cookie_tick(V cookie) {
  return shift_right(cookie, kCookieTickShift);
}

template <class V>
constexpr V cookie_mss_index_of(V cookie) {
  return shift_right(cookie, kCookieMssShift) & kCookieMssMask;
}

template <class V>
constexpr V cookie_hash_of(V cookie) {
  return cookie & kCookieHashMask;
}

// The tick it carries is the current one or at most kCookieMaxAgeTicks
// before it, counting modulo the 5-bit clock.
template <class V>
constexpr auto cookie_fresh(V cookie, V now_tick) {
  return !unsigned_greater(((now_tick & kCookieTickMask) - cookie_tick(cookie)) & kCookieTickMask,
                           kCookieMaxAgeTicks);
}

// Fresh, and its hash part is the hash of the tick it carries.
template <class V, class Hash>
constexpr auto cookie_valid(V cookie, V now_tick, Hash hash) {
  return cookie_fresh(cookie, now_tick) && cookie_hash_of(cookie) == hash(cookie_tick(cookie));
}

// The ISN to send in the SYN-ACK. `tick` is the coarse clock, any width.
inline std::uint32_t make_cookie(const FourTuple& tuple, std::uint32_t peer_isn,
                                 std::uint16_t peer_mss, std::uint32_t tick,
                                 const IsnSecret& secret) {
  return pack_cookie(tick, cookie_mss_index(peer_mss), [&](std::uint32_t t) {
    return cookie_hash(tuple, peer_isn, t, secret);
  });
}

// What a returning cookie carried, if it is ours, for this tuple and peer
// ISN, and recent enough; nothing otherwise.
inline std::optional<CookieContent> check_cookie(std::uint32_t cookie, const FourTuple& tuple,
                                                 std::uint32_t peer_isn, std::uint32_t now_tick,
                                                 const IsnSecret& secret) {
  const auto hash = [&](std::uint32_t t) { return cookie_hash(tuple, peer_isn, t, secret); };
  if (!cookie_valid(cookie, now_tick, hash)) return std::nullopt;
  return CookieContent{kCookieMss[cookie_mss_index_of(cookie)], cookie_tick(cookie)};
}

}  // namespace tcpmc::core
