// Breadth-first search of the system's reachable states, so that the first
// counterexample found is a shortest one. States are stored as 64-bit
// fingerprints (hash compaction: a state costs its fingerprint, its parent
// and the move that reached it, about 24 bytes), with the probability of
// omitting a state reported; counterexamples are rebuilt by replaying the
// moves from the initial state.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tcpmc/verify/explore/system.hpp>

namespace tcpmc::verify::explore {

// A set of 64-bit fingerprints, open addressing with linear probing.
class FingerprintSet {
 public:
  FingerprintSet() : slots_(1U << 16, 0) {}

  // True if `fp` was not in the set (and is now).
  bool insert(std::uint64_t fp) {
    if (fp == 0) fp = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 2 > slots_.size()) grow();
    return place(slots_, fp);
  }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return slots_.size() * sizeof(std::uint64_t); }

 private:
  bool place(std::vector<std::uint64_t>& slots, std::uint64_t fp) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(fp) & mask;; i = (i + 1) & mask) {
      if (slots[i] == fp) return false;
      if (slots[i] == 0) {
        slots[i] = fp;
        ++size_;
        return true;
      }
    }
  }
  void grow() {
    std::vector<std::uint64_t> bigger(slots_.size() * 2, 0);
    size_ = 0;
    for (std::uint64_t fp : slots_) {
      if (fp != 0) place(bigger, fp);
    }
    slots_.swap(bigger);
  }

  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

struct Statistics {
  std::uint64_t states = 0;       // distinct states stored
  std::uint64_t transitions = 0;  // moves applied
  std::uint64_t matched = 0;      // moves that led to a stored state
  std::uint64_t depth = 0;        // BFS levels completed
  std::size_t state_vector_bytes = 0;
  std::size_t memory_bytes = 0;   // stored states: fingerprints, parents, moves
  double seconds = 0;
  // Probability that hash compaction dropped some state: about n^2 / 2^65.
  double omission_probability() const {
    const double n = static_cast<double>(states);
    return n * n / 36893488147419103232.0;
  }
  double rate() const { return seconds > 0 ? static_cast<double>(states) / seconds : 0; }
};

struct SearchResult {
  bool complete = false;  // the state space was exhausted
  std::optional<Violation> violation;
  std::vector<Move> path;  // from the initial state to the violation
  Statistics stats;
};

// Called about once a second while searching.
using Progress = std::function<void(const Statistics&)>;

template <const model::Spec& S>
SearchResult search(const Bounds& bounds, std::optional<Invariant> only = std::nullopt,
                    const Progress& progress = {}) {
  using Sys = System<S>;
  struct Node {
    std::uint32_t parent;
    Move move;
  };
  const auto start = std::chrono::steady_clock::now();
  auto last_progress = start;
  SearchResult result;
  Statistics& st = result.stats;
  st.state_vector_bytes = sizeof(Sys);

  Stepper<S> stepper(bounds);
  FingerprintSet seen;
  std::vector<Node> nodes;
  std::vector<std::pair<Sys, std::uint32_t>> frontier, next;
  std::vector<Move> moves;

  const Sys first = Sys::initial(bounds);
  seen.insert(first.fingerprint());
  nodes.push_back({0, {}});
  frontier.emplace_back(first, 0);

  const auto finish = [&] {
    st.states = seen.size();
    st.memory_bytes = seen.bytes() + nodes.capacity() * sizeof(Node);
    st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const auto path_to = [&](std::uint32_t id, Move last) {
    std::vector<Move> path{last};
    for (; id != 0; id = nodes[id].parent) path.push_back(nodes[id].move);
    return std::vector<Move>(path.rbegin(), path.rend());
  };

  while (!frontier.empty()) {
    for (auto& [state, id] : frontier) {
      stepper.moves(state, moves);
      for (const Move m : moves) {
        Sys n = state;
        const auto violation = stepper.apply(n, m);
        if (stepper.invalid()) continue;
        ++st.transitions;
        if (violation && (!only || violation->invariant == *only)) {
          result.violation = violation;
          result.path = path_to(id, m);
          finish();
          return result;
        }
        if (!seen.insert(n.fingerprint())) {
          ++st.matched;
          continue;
        }
        nodes.push_back({id, m});
        next.emplace_back(std::move(n), static_cast<std::uint32_t>(nodes.size() - 1));
        if (bounds.max_states != 0 && seen.size() >= bounds.max_states) {
          finish();
          return result;  // incomplete
        }
      }
      if (progress) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress >= std::chrono::seconds(1)) {
          last_progress = now;
          finish();
          progress(st);
        }
      }
    }
    frontier.swap(next);
    next.clear();
    ++st.depth;
  }
  result.complete = true;
  finish();
  return result;
}

// The counterexample in words: each move, numbered, with what it caused.
template <const model::Spec& S>
std::vector<std::string> narrate(const Bounds& bounds, const std::vector<Move>& path) {
  std::vector<std::string> lines;
  std::vector<std::string> said;
  Stepper<S> stepper(bounds, &said);
  System<S> s = System<S>::initial(bounds);
  for (std::size_t i = 0; i < path.size(); ++i) {
    said.clear();
    const auto v = stepper.apply(s, path[i]);
    for (std::size_t k = 0; k < said.size(); ++k) {
      lines.push_back((k == 0 ? std::to_string(i + 1) + ". " : std::string("   ")) + said[k]);
    }
    if (v) lines.push_back("   *** " + std::string(name(v->invariant)) + ": " + v->detail);
  }
  return lines;
}

}  // namespace tcpmc::verify::explore
