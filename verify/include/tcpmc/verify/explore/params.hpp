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
// space, not of the RFC. So the explorer uses 8 bits, lets M advance 8 per
// tick (more than an incarnation of the searched bounds consumes: SYN, at
// most 3 bytes, FIN), and bounds a run's time (Bounds::ticks) below the 16
// ticks in which M goes half-way round: within a run every new ISS lies
// after every number used before it, as RFC 9293 3.4.1 assumes of M's
// 4.55-hour cycle against connections and MSLs of minutes.
#pragma once

#include <cstdint>

#include <tcpmc/core/params.hpp>

namespace tcpmc::verify::explore {

struct ExploreParams : core::SmallParams {
  static constexpr unsigned kSeqBits = 8;
  static constexpr std::uint32_t kIsnPerTick = 8;
  static constexpr std::uint32_t isn_clock(Time now) { return now * kIsnPerTick; }
  // Sequence numbers one incarnation may use: SYN, up to 3 bytes, FIN.
  static constexpr std::uint32_t kMaxUsedPerIncarnation = 5;
  // The longest run, in ticks, in which a new ISS still lies after (less
  // than half the circle beyond) every number used earlier in the run.
  static constexpr std::uint32_t kMaxTicks =
      ((1U << (kSeqBits - 1)) - kMaxUsedPerIncarnation) / kIsnPerTick;
};
static_assert(ExploreParams::kMaxUsedPerIncarnation <= ExploreParams::kIsnPerTick);
static_assert(ExploreParams::kMaxTicks == 15);

}  // namespace tcpmc::verify::explore
