// Per-connection settings, in the Params' unit of time. Defaults follow the
// RFCs and Linux where the RFCs leave a range.
#pragma once

#include <cstdint>

#include <tcpmc/core/isn.hpp>
#include <tcpmc/core/rto.hpp>

namespace tcpmc::core {

// What a connection may negotiate or run, each switchable per connection
// (so that tests can compare with and without, and so that the explorer's
// SmallParams leaves out what its state space cannot hold). An option is
// used only if both sides offer it on their SYNs.
struct Features {
  bool window_scaling = false;  // RFC 7323 section 2
  bool timestamps = false;      // RFC 7323 sections 3 to 5; also needs Params::kTimestamps
  // RFC 2018: SACK-permitted offered on our SYN; once both SYNs carried
  // it, our ACKs report out-of-order data in SACK blocks, and the peer's
  // blocks feed the RFC 6675 scoreboard that loss recovery uses (with
  // congestion_control; without it there is no fast recovery to steer).
  bool sack = false;
  // RFC 5681 slow start and congestion avoidance, RFC 6928 initial window,
  // fast retransmit and NewReno fast recovery (RFC 6582).
  bool congestion_control = false;
  // RFC 9293 3.7.4 (RFC 1122 4.2.3.4): Nagle's algorithm.
  bool nagle = false;
  // RFC 9293 3.8.4 (RFC 1122 4.2.3.6): probe an idle connection and abort
  // it when the peer stays silent. Off unless asked for, as the RFC says.
  bool keepalive = false;
  constexpr bool operator==(const Features&) const = default;
};

// RFC 1122 4.2.3.6: the idle time MUST be configurable and default to no
// less than two hours; the interval and count are Linux's defaults.
template <class Time>
struct KeepaliveConfig {
  Time idle;             // silence from the peer before the first probe
  Time interval;         // between unanswered probes
  unsigned probes = 9;   // unanswered probes before the connection is aborted
  constexpr bool operator==(const KeepaliveConfig&) const = default;
};

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
  Features features{};
  KeepaliveConfig<Time> keepalive{};

  // RFC-aligned values for StackParams (microseconds): RTO 1 s initial, 200
  // ms minimum as Linux uses, 60 s maximum; MSL 30 s, so TIME-WAIT lasts
  // Linux's 60 s; 200 ms delayed ACK; challenge ACKs at most 10 per second;
  // window scaling, timestamps and SACK-permitted offered, as Linux does;
  // Nagle's algorithm on, as RFC 1122 4.2.3.4 asks. Congestion control
  // stays off for now: its slow go-back-N after a timeout exposes that a
  // bare ACK is numbered snd_nxt_ (the retransmission point), not the RFC's
  // SND.NXT (snd_max_), so two such peers can ignore each other's ACKs;
  // numbering ACKs snd_max_ changes what the explorer finds, so that change
  // is left to a separate decision.
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
            {},
            {.window_scaling = true, .timestamps = true, .sack = true, .nagle = true},
            {2 * 3600 * s, 75 * s, 9}};
  }

  // Small values for SmallParams (ticks), so that every timer can fire
  // within a short exploration; no options, so that the SYNs and the state
  // are what the explorer was built for.
  static constexpr Config small_defaults() {
    return {2, {1, 1, 4, 1}, 2, 2, 0, 0, 1, 4, static_cast<std::uint16_t>(P::kMaxSegment), {}, {},
            {8, 2, 2}};
  }

  constexpr bool operator==(const Config&) const = default;
};

}  // namespace tcpmc::core
