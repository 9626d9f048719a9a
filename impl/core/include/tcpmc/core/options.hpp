// The arithmetic of the TCP options a connection negotiates on its SYNs:
// window scaling (RFC 7323 section 2) and timestamps (RFC 7323 sections 3
// to 5). Pure functions, so that tests can check them apart from the engine.
#pragma once

#include <cstddef>
#include <cstdint>

#include <tcpmc/core/isn.hpp>

namespace tcpmc::core {

// RFC 7323 section 2.3: a larger shift would let the window exceed 2^30,
// which breaks the sequence-space comparisons of the older/newer test.
inline constexpr std::uint8_t kMaxWindowShift = 14;

// The largest value the 16-bit window field holds.
inline constexpr std::uint32_t kMaxWindowField = 65535;

// RFC 7323 section 2.3: a shift above 14 is used as 14 (the RFC asks that
// the event be logged; the engine has no log, so the clamp is all it does).
constexpr std::uint8_t clamp_window_shift(std::uint8_t announced) {
  return announced > kMaxWindowShift ? kMaxWindowShift : announced;
}

// Our shift: the smallest that lets the whole receive buffer be offered
// (RFC 7323 section 2.2 leaves the choice to the receiver).
constexpr std::uint8_t window_shift_for(std::size_t receive_capacity) {
  std::uint8_t shift = 0;
  while (shift < kMaxWindowShift && (std::size_t{kMaxWindowField} << shift) < receive_capacity) {
    ++shift;
  }
  return shift;
}

// RFC 7323 section 2.4: the window field is the offered window shifted
// right; rounding down could move the right edge left of where an earlier
// segment put it, so the field is rounded up whenever that would happen.
// `window` is what we want to offer now, `promised` what the right edge
// already promises counted from the same RCV.NXT.
constexpr std::uint32_t scaled_window_field(std::uint32_t window, std::uint32_t promised,
                                            std::uint8_t shift) {
  std::uint32_t field = window >> shift;
  if ((std::uint64_t{field} << shift) < promised) {
    field = static_cast<std::uint32_t>((std::uint64_t{promised} + (1U << shift) - 1) >> shift);
  }
  return field > kMaxWindowField ? kMaxWindowField : field;
}

// RFC 7323 section 5.2: timestamp values are compared in a 2^32 sequence
// space, so a clock that wrapped is still newer.
constexpr bool ts_before(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}
constexpr bool ts_after(std::uint32_t a, std::uint32_t b) { return ts_before(b, a); }

// RFC 7323 section 7.1: our TSval clock starts at a per-4-tuple offset, so
// that it does not reveal the host's uptime; being a function of the
// 4-tuple, it still grows across incarnations of one connection, which
// RFC 6191 relies on. A keyed hash under the ISN secret, distinct from the
// ISN's own (isn.cpp).
std::uint32_t ts_offset(const FourTuple& tuple, const IsnSecret& secret);

}  // namespace tcpmc::core
