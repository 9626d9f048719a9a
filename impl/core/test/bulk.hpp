// One-way bulk transfer over a Pair (pair.hpp): the client sends `bytes`,
// the server reads as data arrives. What recovery tests measure: whether
// everything arrived intact, when, and what the sender had to resend.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "pair.hpp"

namespace tcpmc::core::test {

struct BulkResult {
  bool delivered = false;     // every byte arrived, in order, intact
  std::uint64_t elapsed = 0;  // virtual time from OPEN to the last byte read
  std::uint64_t retransmitted_octets = 0;
  std::uint32_t retransmission_timeouts = 0;
  std::uint32_t fast_recoveries = 0;
  std::uint32_t sack_recoveries = 0;
  std::size_t lost = 0;  // segments the link dropped (both ways)
};

template <class C>
BulkResult bulk_transfer(const Config<typename C::Params>& config, Impairment impairment,
                         std::uint64_t seed, std::size_t bytes,
                         std::size_t step_limit = 2'000'000) {
  constexpr Endpoint kClient{0xC6120001, 40000};  // 198.18.0.1
  constexpr Endpoint kServer{0xC6120002, 80};     // 198.18.0.2
  Pair<C> p(config, impairment, seed);
  const std::vector<std::byte> out = pattern(bytes, static_cast<std::uint32_t>(seed));
  std::vector<std::byte> got;
  got.reserve(bytes);
  std::size_t sent = 0;
  bool intact = true;
  p.b.open_passive(p.now, kServer);
  p.a.open_active(p.now, {kClient, kServer});
  const bool done = p.run_until(
      [&] {
        std::array<std::byte, 16384> buf{};
        for (;;) {
          const auto r = p.b.receive(p.now, buf);
          if (r.bytes == 0) break;
          for (std::size_t i = 0; i < r.bytes; ++i) {
            intact = intact && got.size() < out.size() && out[got.size()] == buf[i];
            got.push_back(buf[i]);
          }
        }
        if (p.a.state() == model::State::Established && sent < out.size()) {
          sent += p.a.send(p.now, std::span(out).subspan(sent)).accepted;
        }
        return got.size() >= out.size() || !intact;
      },
      step_limit);
  const auto& k = p.a.counters();
  return {done && intact && got.size() == out.size(),
          static_cast<std::uint64_t>(p.now),
          k.retransmitted_octets,
          k.retransmission_timeouts,
          k.fast_recoveries,
          k.sack_recoveries,
          p.lost};
}

}  // namespace tcpmc::core::test
