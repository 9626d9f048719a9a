// What a Connection is instantiated with (DESIGN.md principle 4): the
// width of the sequence space, where the buffers live, the unit of time,
// and which options whose state grows without bound are on. StackParams
// runs on the network; SmallParams makes the reachable state space small
// and finite for the explorer.
#pragma once

#include <cstddef>
#include <cstdint>

#include <tcpmc/core/storage.hpp>

namespace tcpmc::core {

struct StackParams {
  static constexpr unsigned kSeqBits = 32;
  using Time = std::uint64_t;                  // microseconds
  static constexpr Time kSecond = 1'000'000;
  // RFC 6528's M ticks every 4 microseconds.
  static constexpr std::uint32_t isn_clock(Time now) {
    return static_cast<std::uint32_t>(now / 4);
  }
  using SendStorage = HeapStorage<256 * 1024>;
  using ReceiveStorage = HeapStorage<256 * 1024>;
  static constexpr std::size_t kMaxOutOfOrderRanges = 8;
  // The SACK scoreboard's ranges (sack.hpp): as many islands as our own
  // receiver keeps, twice what one ACK can report.
  static constexpr std::size_t kMaxSackedRanges = 8;
  static constexpr bool kRttEstimation = true;
  static constexpr std::uint32_t kMaxSegment = 1460;  // our MSS on a 1500-byte MTU
  // RFC 7323 section 5.4: a TSval clock of one tick per millisecond, within
  // the RFC's 1 ms to 1 s, is fast enough to measure RTTs and slow enough
  // that TSvals cannot wrap in less than 24.8 days (the PAWS idle limit).
  static constexpr bool kTimestamps = true;
  static constexpr Time kTsTick = 1000;
  static constexpr std::uint32_t ts_clock(Time now) {
    return static_cast<std::uint32_t>(now / kTsTick);
  }
};

struct SmallParams {
  static constexpr unsigned kSeqBits = 4;
  using Time = std::uint32_t;                  // ticks
  static constexpr Time kSecond = 1;
  // The ISN clock is the tick count, taken modulo the sequence space by Seq.
  static constexpr std::uint32_t isn_clock(Time now) { return now; }
  using SendStorage = InlineStorage<3>;
  using ReceiveStorage = InlineStorage<3>;
  static constexpr std::size_t kMaxOutOfOrderRanges = 1;
  // SACK is never negotiated with the small defaults; one range keeps the
  // type well formed should a test switch it on.
  static constexpr std::size_t kMaxSackedRanges = 1;
  static constexpr bool kRttEstimation = false;  // a fixed RTO keeps the state finite
  static constexpr std::uint32_t kMaxSegment = 1;
  // Timestamps grow without bound (TS.Recent, the TSval clock): never used
  // here, whatever the Config says.
  static constexpr bool kTimestamps = false;
  static constexpr Time kTsTick = 1;
  static constexpr std::uint32_t ts_clock(Time) { return 0; }
};

}  // namespace tcpmc::core
