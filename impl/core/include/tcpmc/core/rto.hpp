// The retransmission timeout of RFC 6298: smoothed RTT and its variance
// from samples, exponential backoff on expiry. Karn's rule (no sample from
// a retransmitted segment) is the caller's: it decides what to feed in.
#pragma once

#include <algorithm>
#include <cstdint>

namespace tcpmc::core {

template <class Time>
struct RtoConfig {
  Time initial;      // before any sample (RFC 6298 2.1: one second)
  Time minimum;      // floor of the computed value (RFC 6298 2.4)
  Time maximum;      // ceiling, also for backoff (RFC 6298 2.5: at least 60 s)
  Time granularity;  // G, the clock granularity
  constexpr bool operator==(const RtoConfig&) const = default;
};

template <class Time>
class RtoEstimator {
 public:
  constexpr explicit RtoEstimator(const RtoConfig<Time>& config)
      : rto_(config.initial), min_(config.minimum), max_(config.maximum),
        granularity_(config.granularity) {}

  // RFC 6298 2.2 and 2.3, with alpha = 1/8, beta = 1/4, K = 4. When
  // several samples come per round trip (timestamps), each weighs
  // 1/expected_samples of one (RFC 7323 appendix G).
  constexpr void on_sample(Time rtt, std::uint32_t expected_samples = 1) {
    const Time n = static_cast<Time>(expected_samples == 0 ? 1U : expected_samples);
    if (!measured_) {
      srtt_ = rtt;
      rttvar_ = rtt / 2;
      measured_ = true;
    } else {
      const Time error = srtt_ > rtt ? srtt_ - rtt : rtt - srtt_;
      rttvar_ = ((4 * n - 1) * rttvar_ + error) / (4 * n);
      srtt_ = ((8 * n - 1) * srtt_ + rtt) / (8 * n);
    }
    rto_ = std::clamp<Time>(srtt_ + std::max<Time>(granularity_, 4 * rttvar_), min_, max_);
  }

  // RFC 6298 5.5: the timer expired, so the next wait is twice as long.
  constexpr void back_off() { rto_ = std::min<Time>(rto_ * 2, max_); }

  constexpr Time rto() const { return rto_; }
  constexpr bool measured() const { return measured_; }
  constexpr Time srtt() const { return srtt_; }
  constexpr Time rttvar() const { return rttvar_; }

  constexpr bool operator==(const RtoEstimator&) const = default;

 private:
  Time srtt_{};
  Time rttvar_{};
  Time rto_;
  Time min_;
  Time max_;
  Time granularity_;
  bool measured_ = false;
};

}  // namespace tcpmc::core
