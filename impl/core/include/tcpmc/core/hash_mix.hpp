// A 64-bit hash accumulated field by field. Connection and the explorer's
// states hash every protocol-relevant field through it, so that the
// explorer's fingerprints (hash compaction) tell states apart.
#pragma once

#include <cstdint>
#include <optional>

namespace tcpmc::core {

class HashMix {
 public:
  constexpr void add(std::uint64_t v) {
    h_ ^= v + 0x9E3779B97F4A7C15ULL + (h_ << 6) + (h_ >> 2);
    h_ *= 0xBF58476D1CE4E5B9ULL;
    h_ ^= h_ >> 31;
  }
  template <class T>
  constexpr void add(const std::optional<T>& v) {
    add(v ? 1U : 0U);
    if (v) add(static_cast<std::uint64_t>(*v));
  }
  constexpr std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0x243F6A8885A308D3ULL;
};

}  // namespace tcpmc::core
