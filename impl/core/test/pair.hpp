// Two Connections back to back over an in-memory link, on virtual time
// (STYLE.md item 13): step() delivers the next segment due, or jumps the
// clock to the earliest deadline. The link loses, duplicates, reorders and
// delays segments from a seeded generator, so every run is reproducible.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <tcpmc/core/connection.hpp>

namespace tcpmc::core::test {

struct Impairment {
  double loss = 0;       // probability a segment is dropped
  double duplicate = 0;  // probability it is delivered twice
  double reorder = 0;    // probability it is held back behind later ones
  std::uint64_t delay = 1;   // one-way delay, in Params time units
  std::uint64_t jitter = 0;  // extra random delay, up to this much
};

template <class C>
class Pair {
 public:
  using Time = typename C::Time;
  using Seg = typename C::Seg;

  Pair(const Config<typename C::Params>& config, Impairment impairment, std::uint64_t seed)
      : a(config), b(config), impairment_(impairment), rng_(seed) {}

  C a;  // by convention the client
  C b;  // and the server
  Time now = 0;

  // Flushes both sides' output onto the link, then does one thing: delivers
  // the segment due first, or advances time to the next deadline. Returns
  // false when nothing is left to do.
  bool step() {
    flush(a, true);
    flush(b, false);
    std::optional<Time> next;
    for (const auto& f : link_) next = next ? std::min(*next, f.due) : f.due;
    for (C* c : {&a, &b}) {
      if (auto d = c->next_deadline(); d && (!next || *d < *next)) next = d;
    }
    if (!next) return false;
    now = std::max(now, *next);
    auto due = std::find_if(link_.begin(), link_.end(), [&](const Flight& f) { return f.due <= now; });
    if (due != link_.end()) {
      Flight f = std::move(*due);
      link_.erase(due);
      f.seg.payload = f.bytes;
      (f.to_b ? b : a).on_segment(now, f.seg);
      ++delivered;
    } else {
      a.on_timer(now);
      b.on_timer(now);
    }
    return true;
  }

  // Steps until `done()` holds or `limit` steps pass; true if done.
  template <class Done>
  bool run_until(Done done, std::size_t limit = 200000) {
    for (std::size_t i = 0; i < limit; ++i) {
      if (done()) return true;
      if (!step()) return done();
    }
    return done();
  }

  std::size_t in_flight() const { return link_.size(); }

  // Segments for which this returns true are lost on the way (after the
  // seeded impairment): for scenarios that need one particular loss.
  std::function<bool(bool from_a, const Seg&)> drop;
  std::size_t delivered = 0;
  std::size_t sent = 0;
  std::size_t lost = 0;
  std::size_t duplicated = 0;
  std::size_t reordered = 0;
  std::vector<Seg> trace_a;  // every segment A sent (payload not kept)
  std::vector<Seg> trace_b;

 private:
  struct Flight {
    Time due;
    bool to_b;
    Seg seg;
    std::vector<std::byte> bytes;
  };

  void flush(C& c, bool from_a) {
    std::vector<std::byte> buf(65536);
    for (int guard = 0; guard < 10000; ++guard) {
      auto seg = c.poll_transmit(now, buf);
      if (!seg) break;
      ++sent;
      Seg copy = *seg;
      copy.payload = {};
      (from_a ? trace_a : trace_b).push_back(copy);
      if (drop && drop(from_a, *seg)) {
        ++lost;
        continue;
      }
      if (chance(impairment_.loss)) {
        ++lost;
        continue;
      }
      const int copies = chance(impairment_.duplicate) ? 2 : 1;
      duplicated += static_cast<std::size_t>(copies - 1);
      for (int k = 0; k < copies; ++k) {
        Flight f{now + static_cast<Time>(impairment_.delay + extra_delay()), from_a, *seg,
                 std::vector<std::byte>(seg->payload.begin(), seg->payload.end())};
        if (chance(impairment_.reorder)) {
          ++reordered;
          f.due += static_cast<Time>(impairment_.delay * 3 + 1);
        }
        link_.push_back(std::move(f));
      }
    }
  }

  bool chance(double p) {
    if (p <= 0) return false;
    return std::uniform_real_distribution<double>(0, 1)(rng_) < p;
  }
  std::uint64_t extra_delay() {
    if (impairment_.jitter == 0) return 0;
    return std::uniform_int_distribution<std::uint64_t>(0, impairment_.jitter)(rng_);
  }

  Impairment impairment_;
  std::mt19937_64 rng_;
  std::vector<Flight> link_;
};

inline std::vector<std::byte> pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::byte> v(n);
  std::uint32_t x = seed * 2654435761U + 1;
  for (auto& b : v) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::byte>(x);
  }
  return v;
}

}  // namespace tcpmc::core::test
