// The parameters the explorer instantiates the engine with (DESIGN.md
// principle 4). They are SmallParams in every respect but two, and both
// keep a premise of RFC 9293 section 3.4.1 that a 4-bit space cannot hold:
//
//  - the ISN clock M must not come round within the time old segments and
//    TIME-WAIT's knowledge of them live (MSL, 2MSL). Real TCP's M cycles in
//    4.55 hours; MSL is minutes;
//  - M must move faster than a connection consumes sequence numbers, so a
//    new incarnation starts above every number the previous one used.
//
// With 4 bits and M = the tick count, both fail: the explorer found an old
// ACK from a client in TIME-WAIT that acknowledged the server's new ISS by
// coincidence (NoPhantomConnection). That is a property of a 16-number
// space, not of the RFC. So the explorer uses 8 bits and lets M advance 8
// per tick: more than an incarnation of the searched bounds consumes
// (SYN + at most 3 bytes + FIN), and half-way round the circle only after 16
// ticks, beyond 2MSL + MSL of any configuration Bounds::validate() accepts.
#pragma once

#include <cstdint>

#include <tcpmc/core/params.hpp>

namespace tcpmc::verify::explore {

struct ExploreParams : core::SmallParams {
  static constexpr unsigned kSeqBits = 8;
  static constexpr std::uint32_t kIsnPerTick = 8;
  static constexpr std::uint32_t isn_clock(Time now) { return now * kIsnPerTick; }
  // Ticks after which M comes round: what the state needs to remember of
  // time (system.hpp folds the tick count modulo this).
  static constexpr std::uint32_t kIsnPeriod = (1U << kSeqBits) / kIsnPerTick;
  // Sequence numbers one incarnation may use: SYN, up to 3 bytes, FIN.
  static constexpr std::uint32_t kMaxUsedPerIncarnation = 5;
  // The longest MSL for which a new ISS is still "after" (less than half the
  // circle beyond) every number an incarnation up to 3 MSL old used.
  static constexpr std::uint32_t kMaxMsl =
      ((1U << (kSeqBits - 1)) - kMaxUsedPerIncarnation) / (3 * kIsnPerTick);
};
static_assert(ExploreParams::kMaxUsedPerIncarnation <= ExploreParams::kIsnPerTick);
static_assert(ExploreParams::kMaxMsl >= 2);

}  // namespace tcpmc::verify::explore
