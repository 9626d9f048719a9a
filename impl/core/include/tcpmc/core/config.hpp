// Per-connection settings, in the Params' unit of time. Defaults follow the
// RFCs and Linux where the RFCs leave a range.
#pragma once

#include <cstdint>

#include <tcpmc/core/isn.hpp>
#include <tcpmc/core/rto.hpp>

namespace tcpmc::core {

template <class P>
struct Config {
  using Time = typename P::Time;

  Time msl;                          // maximum segment lifetime; TIME-WAIT lasts Spec's multiple
  RtoConfig<Time> rto;               // RFC 6298
  unsigned max_syn_retries;          // SYN and SYN-ACK retransmissions before giving up
  unsigned max_retries;              // data and FIN retransmissions before giving up
  Time user_timeout;                 // unacknowledged data this long aborts; 0: off
  Time delayed_ack;                  // at most this long before an ACK (RFC 9293 3.8.6.3)
  unsigned challenge_acks_per_window;  // RFC 5961 section 7 rate limit
  Time challenge_ack_window;
  std::uint16_t mss;                 // what we advertise, from the MTU
  IsnSecret isn_secret{};            // key of the ISN hash, from the runtime

  // RFC-aligned values for StackParams (microseconds): RTO 1 s initial, 200
  // ms minimum as Linux uses, 60 s maximum; MSL 30 s, so TIME-WAIT lasts
  // Linux's 60 s; 200 ms delayed ACK; challenge ACKs at most 10 per second.
  static constexpr Config stack_defaults() {
    constexpr Time s = P::kSecond;
    return {30 * s,
            {1 * s, s / 5, 60 * s, s / 1000},
            6,
            15,
            0,
            s / 5,
            10,
            1 * s,
            static_cast<std::uint16_t>(P::kMaxSegment),
            {}};
  }

  // Small values for SmallParams (ticks), so that every timer can fire
  // within a short exploration.
  static constexpr Config small_defaults() {
    return {2, {1, 1, 4, 1}, 2, 2, 0, 0, 1, 4, static_cast<std::uint16_t>(P::kMaxSegment), {}};
  }

  constexpr bool operator==(const Config&) const = default;
};

}  // namespace tcpmc::core
