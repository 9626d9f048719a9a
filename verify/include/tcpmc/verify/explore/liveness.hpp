// Liveness under weak fairness, for any level of the explorer (any
// ExploreModel): properties of the form "always, once P, eventually Q",
//
//     G (P -> F Q),   which for P = true is   G F Q,
//
// checked on the explicit graph of the reachable states, with a lasso
// (a prefix from the initial state, then a cycle repeated for ever) when
// they fail.
//
// Runs and fairness. A run is an infinite sequence of moves, or a finite
// one that ends in a state where no fair move is enabled and then stays
// there ("stutters"): nothing the run is obliged to do is left, so stopping
// there for ever is a legitimate behaviour. Moves fall into fairness
// classes (the caller's: for TCP, deliveries to each side, each side's
// user, and time) or are unfair (loss, duplication, the attacker: moves
// the network or an adversary may take, never has to). A run is weakly
// fair when every class that is enabled in every state from some point on
// is taken infinitely often.
//
// The check. A counterexample to G (P -> F Q) is a fair run that reaches a
// state where P holds and Q does not, and from there never meets Q. In the
// graph: let W be the states not satisfying Q that are reachable, through
// states not satisfying Q, from a state satisfying P and not Q. The
// property fails iff W contains
//  - a final state (no fair move enabled) that the caller does not set
//    aside (below): the run stutters there; or
//  - a strongly connected component (with at least one edge inside) that
//    is fair: for every class, either some edge inside it is of the class
//    or some state of it does not enable the class. A run that, from some
//    point on, goes round every edge and through every state of such a
//    component for ever is weakly fair, and no fair run can stay inside a
//    component that fails this test (it would take only edges of the
//    component, and the class would be enabled in all of its states). So
//    for weak fairness no refinement of components (Emerson-Lei) is
//    needed; it is for strong fairness.
//
// Final states the bounds made. Time is bounded (Bounds::ticks), so a run
// ends when time runs out. A final state in which, say, a timer is still
// armed is not where the protocol would stay: time would go on and fire
// it. The caller's `cut` predicate names such states; they are counted and
// reported ("runs cut by the bounds"), not judged, so a verdict of "holds"
// reads: no fair cycle and no genuine final state breaks the property
// within the bounds; the cut runs are the part the bounds leave open.
//
// The graph is built breadth-first from the initial state, every state
// identified by its 64-bit fingerprint as in the safety search (the same
// hash compaction and omission probability, search.hpp); the states
// themselves are kept only while waiting to be expanded, and what the check
// needs of each (which properties' P and Q hold, whether it is cut, which
// classes it enables) is recorded then. Components are found by an
// iterative Tarjan (no recursion: millions of states would overflow the
// stack). The lasso's prefix is a shortest one, found by a breadth-first
// search of the graph with a second copy of W (before and after P was
// seen); its cycle goes from the component's entry through a witness of
// each class (a state that disables it, else an edge that takes it) and
// back, by shortest paths inside the component.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/explore/state_codec.hpp>

namespace tcpmc::verify::explore {

inline constexpr int kUnfair = -1;
inline constexpr unsigned kMaxFairClasses = 8;
inline constexpr unsigned kMaxLivenessProperties = 8;

// One property G (P -> F Q) as two predicates on a level's state.
template <class State>
struct ResponseProperty {
  std::function<bool(const State&)> trigger;  // P
  std::function<bool(const State&)> goal;     // Q
};

// What a liveness check needs beyond the ExploreModel: the fairness
// classes, and which final states the bounds made (see above).
template <class State>
struct LivenessSetup {
  unsigned classes = 0;                               // classes 0 .. classes - 1
  std::function<int(const State&, Move)> fairness;    // a move's class, or kUnfair
  std::function<bool(const State&)> cut;              // a final state not to judge
  std::vector<ResponseProperty<State>> properties;    // at most kMaxLivenessProperties
};

// prefix, then cycle repeated for ever; an empty cycle is a stutter in the
// state the prefix ends in, where no fair move is enabled.
struct Lasso {
  std::vector<Move> prefix;
  std::vector<Move> cycle;
  std::size_t trigger = 0;  // moves of the prefix before the state where P held and Q did not
  bool stutter() const { return cycle.empty(); }
};

struct LivenessStats {
  std::uint64_t states = 0;
  std::uint64_t edges = 0;  // moves between stored states
  std::size_t memory_bytes = 0;
  double seconds = 0;  // building the graph
};

struct PropertyVerdict {
  std::optional<Lasso> lasso;   // nullopt: no counterexample in the graph
  std::uint64_t cut = 0;        // final states in W set aside by `cut`
  std::uint64_t cyclic_components = 0;  // components inside W with an edge inside
  std::uint64_t fair_components = 0;    // those of them that are fair
  double seconds = 0;           // the check, after the graph was built
};

// The reachable graph with, per state, what the properties need.
class LivenessGraph {
 public:
  bool complete = false;  // every reachable state is in it (no max_states cut)
  SearchResult::Limit limit = SearchResult::Limit::None;  // what cut it, if incomplete
  LivenessStats stats;
  unsigned classes = 0;

  std::size_t size() const { return enabled_.size(); }

  // `max_memory` (bytes, 0: none) cuts the graph as Bounds::max_states
  // does, early enough that the states it has found, expanded, keep it
  // within the bound; checked every 4096 states.
  template <ExploreModel M>
  static LivenessGraph build(const Bounds& bounds, const LivenessSetup<typename M::State>& setup,
                             std::size_t max_memory = 0);

  PropertyVerdict check(std::size_t property) const;

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // Fingerprint -> state number, open addressing; a zero key marks a free
  // slot, so the state of fingerprint 0, if any, has a slot of its own.
  class Index {
   public:
    Index() : keys_(std::size_t{1} << 12), ids_(keys_.size()) {}
    // The state's number, inserting `next` if it is new.
    std::pair<std::uint32_t, bool> insert(std::uint64_t fp, std::uint32_t next) {
      if (fp == 0) {
        if (zero_ != kNone) return {zero_, false};
        zero_ = next;
        return {next, true};
      }
      if (2 * (used_ + 1) > keys_.size()) grow();
      const std::size_t i = slot(fp);
      if (keys_[i] == fp) return {ids_[i], false};
      keys_[i] = fp;
      ids_[i] = next;
      ++used_;
      return {next, true};
    }
    std::size_t bytes() const { return keys_.capacity() * 8 + ids_.capacity() * 4; }

   private:
    std::size_t slot(std::uint64_t fp) const {
      const std::size_t mask = keys_.size() - 1;
      std::size_t i = static_cast<std::size_t>(fp ^ (fp >> 29)) & mask;
      while (keys_[i] != 0 && keys_[i] != fp) i = (i + 1) & mask;
      return i;
    }
    void grow() {
      std::vector<std::uint64_t> keys(keys_.size() * 2);
      std::vector<std::uint32_t> ids(keys.size());
      std::swap(keys, keys_);
      std::swap(ids, ids_);
      for (std::size_t k = 0; k < keys.size(); ++k) {
        if (keys[k] == 0) continue;
        const std::size_t i = slot(keys[k]);
        keys_[i] = keys[k];
        ids_[i] = ids[k];
      }
    }
    std::vector<std::uint64_t> keys_;
    std::vector<std::uint32_t> ids_;
    std::size_t used_ = 0;
    std::uint32_t zero_ = kNone;
  };

  bool judged_final(std::size_t s) const { return enabled_[s] == 0 && !cut_[s]; }
  bool in_scc(std::uint32_t s, std::uint32_t c) const { return scc_[s] == c; }

  std::vector<std::uint32_t> first_;   // CSR: edges of state s are first_[s] .. first_[s + 1]
  std::vector<std::uint32_t> target_;
  std::vector<Move> move_;
  std::vector<std::int8_t> class_;
  std::vector<std::uint8_t> enabled_;  // bit c: class c has an enabled move
  std::vector<std::uint8_t> trigger_;  // bit k: property k's P holds
  std::vector<std::uint8_t> goal_;     // bit k: property k's Q holds
  std::vector<bool> cut_;
  // Per check (mutable: the graph is not changed by checking it).
  mutable std::vector<std::uint32_t> scc_;

  std::vector<bool> reach_w(std::size_t k) const;
  std::vector<bool> fair_targets(const std::vector<bool>& w, PropertyVerdict& v) const;
  std::optional<Lasso> lasso(std::size_t k, const std::vector<bool>& w,
                             const std::vector<bool>& targets) const;
  std::vector<Move> cycle_from(std::uint32_t entry) const;
  std::vector<std::uint32_t> path_in_scc(std::uint32_t from,
                                         const std::function<bool(std::uint32_t)>& stop,
                                         std::vector<Move>& moves) const;
};

template <ExploreModel M>
LivenessGraph LivenessGraph::build(const Bounds& bounds,
                                   const LivenessSetup<typename M::State>& setup,
                                   std::size_t max_memory) {
  using State = typename M::State;
  const auto start = std::chrono::steady_clock::now();
  LivenessGraph g;
  g.classes = setup.classes;
  const State initial = M::initial(bounds);
  const StateCodec<State> codec(initial);
  typename M::Stepper stepper(bounds, nullptr);

  // States waiting to be expanded, encoded; expanded in number order, which
  // is the order they were found (breadth-first), so edges are laid out in
  // state order (CSR) as they are made.
  std::vector<std::uint8_t> pending;
  std::vector<std::size_t> at;  // where each waiting state's encoding starts
  std::size_t consumed = 0;     // states expanded
  std::size_t base = 0;         // state number of at[0]
  Index index;
  index.insert(initial.fingerprint(), 0);
  codec.encode(initial, pending);
  at.push_back(0);

  State s = initial;
  std::vector<Move> moves;
  std::uint32_t count = 1;
  g.complete = true;
  bool over_memory = false;  // states found from now on are left out, as past max_states
  // The arrays that grow with each state expanded, and all the graph holds.
  const auto arrays = [&] {
    return g.first_.capacity() * 4 + g.target_.capacity() * 4 + g.move_.capacity() * sizeof(Move) +
           g.class_.capacity() + g.enabled_.capacity() * 3 + g.cut_.capacity() / 8;
  };
  const auto memory = [&] {
    return index.bytes() + arrays() + pending.capacity() + at.capacity() * sizeof(std::size_t);
  };
  while (consumed < count) {
    const std::size_t local = consumed - base;
    codec.decode(pending.data() + at[local], s);
    g.first_.push_back(static_cast<std::uint32_t>(g.target_.size()));
    std::uint8_t trig = 0;
    std::uint8_t goal = 0;
    for (std::size_t k = 0; k < setup.properties.size(); ++k) {
      if (setup.properties[k].trigger(s)) trig |= static_cast<std::uint8_t>(1U << k);
      if (setup.properties[k].goal(s)) goal |= static_cast<std::uint8_t>(1U << k);
    }
    g.trigger_.push_back(trig);
    g.goal_.push_back(goal);
    g.cut_.push_back(setup.cut(s));
    std::uint8_t enabled = 0;
    stepper.moves(s, moves);
    for (const Move m : moves) {
      State n = s;
      (void)stepper.apply(n, m);  // safety invariants are the safety search's
      if (stepper.invalid()) continue;
      const int c = setup.fairness(s, m);
      if (c != kUnfair) enabled |= static_cast<std::uint8_t>(1U << c);
      // A state found once max_states are stored is indexed as kNone, so
      // that every later edge to it is dropped too (not numbered past the end).
      const bool full = (bounds.max_states != 0 && count >= bounds.max_states) || over_memory;
      const auto [id, fresh] = index.insert(n.fingerprint(), full ? kNone : count);
      if (fresh) {
        if (full) {
          g.complete = false;
          g.limit = over_memory ? SearchResult::Limit::MaxMemory : SearchResult::Limit::MaxStates;
        } else {
          ++count;
          at.push_back(pending.size());
          codec.encode(n, pending);
        }
      }
      if (id == kNone) continue;  // beyond max_states: the graph stops here
      g.target_.push_back(id);
      g.move_.push_back(m);
      g.class_.push_back(static_cast<std::int8_t>(c));
    }
    g.enabled_.push_back(enabled);
    ++consumed;
    // Every state numbered is expanded, even after a cut, and an array may
    // double as it grows: the graph stops taking new states once what it
    // holds, with the arrays of the numbered states not yet expanded, passes
    // half the bound.
    if (max_memory != 0 && consumed % 4096 == 0 && !over_memory &&
        memory() + arrays() / consumed * (count - consumed) > max_memory / 2) {
      over_memory = true;
    }
    // Drop the expanded encodings once they are half of what is held.
    if (consumed - base > 4096 && 2 * (consumed - base) > at.size()) {
      const std::size_t cut_at = at[consumed - base];
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(cut_at));
      at.erase(at.begin(), at.begin() + static_cast<std::ptrdiff_t>(consumed - base));
      for (auto& a : at) a -= cut_at;
      base = consumed;
    }
  }
  g.first_.push_back(static_cast<std::uint32_t>(g.target_.size()));
  g.stats.states = count;
  g.stats.edges = g.target_.size();
  g.stats.memory_bytes = memory();
  g.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return g;
}

// W of the header comment: states without Q reachable, through states
// without Q, from one with P and without Q.
inline std::vector<bool> LivenessGraph::reach_w(std::size_t k) const {
  const std::uint8_t bit = static_cast<std::uint8_t>(1U << k);
  std::vector<bool> w(size());
  std::vector<std::uint32_t> todo;
  for (std::uint32_t s = 0; s < size(); ++s) {
    if ((trigger_[s] & bit) != 0 && (goal_[s] & bit) == 0) {
      w[s] = true;
      todo.push_back(s);
    }
  }
  while (!todo.empty()) {
    const std::uint32_t s = todo.back();
    todo.pop_back();
    for (std::uint32_t e = first_[s]; e < first_[s + 1]; ++e) {
      const std::uint32_t t = target_[e];
      if (!w[t] && (goal_[t] & bit) == 0) {
        w[t] = true;
        todo.push_back(t);
      }
    }
  }
  return w;
}

// The states a counterexample may end in: judged final states of W and
// the states of W's fair components (numbered in scc_).
inline std::vector<bool> LivenessGraph::fair_targets(const std::vector<bool>& w,
                                                     PropertyVerdict& v) const {
  const std::size_t n = size();
  std::vector<bool> targets(n);
  scc_.assign(n, kNone);
  std::vector<std::uint32_t> number(n, kNone);
  std::vector<std::uint32_t> low(n, 0);
  std::vector<bool> on_stack(n);
  std::vector<std::uint32_t> stack;
  struct Frame {
    std::uint32_t s;
    std::uint32_t e;  // next edge to look at
  };
  std::vector<Frame> calls;
  std::uint32_t counter = 0;
  std::uint32_t components = 0;
  std::vector<std::uint32_t> members;

  for (std::uint32_t root = 0; root < n; ++root) {
    if (!w[root]) continue;
    if (judged_final(root)) targets[root] = true;
    if (enabled_[root] == 0 && cut_[root]) ++v.cut;
    if (number[root] != kNone) continue;
    // Tarjan's algorithm with the call stack made explicit.
    calls.push_back({root, first_[root]});
    number[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!calls.empty()) {
      Frame& f = calls.back();
      if (f.e < first_[f.s + 1]) {
        const std::uint32_t t = target_[f.e++];
        if (!w[t]) continue;
        if (number[t] == kNone) {
          number[t] = low[t] = counter++;
          stack.push_back(t);
          on_stack[t] = true;
          calls.push_back({t, first_[t]});
        } else if (on_stack[t]) {
          low[f.s] = std::min(low[f.s], number[t]);
        }
        continue;
      }
      const std::uint32_t s = f.s;
      calls.pop_back();
      if (!calls.empty()) low[calls.back().s] = std::min(low[calls.back().s], low[s]);
      if (low[s] != number[s]) continue;
      // s roots a component: pop it, then judge it.
      members.clear();
      std::uint32_t t = kNone;
      do {
        t = stack.back();
        stack.pop_back();
        on_stack[t] = false;
        scc_[t] = components;
        members.push_back(t);
      } while (t != s);
      std::uint8_t taken = 0;
      std::uint8_t disabled = 0;
      bool has_edge = false;
      const std::uint8_t all = static_cast<std::uint8_t>((1U << classes) - 1U);
      for (const std::uint32_t m : members) {
        disabled |= static_cast<std::uint8_t>(~enabled_[m] & all);
        for (std::uint32_t e = first_[m]; e < first_[m + 1]; ++e) {
          if (scc_[target_[e]] != components) continue;
          has_edge = true;
          if (class_[e] != kUnfair) taken |= static_cast<std::uint8_t>(1U << class_[e]);
        }
      }
      if (has_edge) ++v.cyclic_components;
      if (has_edge && static_cast<std::uint8_t>(taken | disabled) == all) {
        ++v.fair_components;
        for (const std::uint32_t m : members) targets[m] = true;
      }
      ++components;
    }
  }
  return targets;
}

// A shortest prefix to a target, through a second copy of the graph
// entered where P holds and Q does not and confined to W; then the cycle.
inline std::optional<Lasso> LivenessGraph::lasso(std::size_t k, const std::vector<bool>& w,
                                                 const std::vector<bool>& targets) const {
  const std::uint8_t bit = static_cast<std::uint8_t>(1U << k);
  const std::size_t n = size();
  // Node 2s: state s before P; 2s + 1: state s after P (in W). Moves cost
  // one, the switch to "after P" none: a 0-1 breadth-first search.
  std::vector<std::uint32_t> dist(2 * n, kNone);
  std::vector<std::uint32_t> parent(2 * n, kNone);
  std::vector<std::uint32_t> via(2 * n, kNone);  // the edge taken, kNone: the switch to after
  std::deque<std::uint32_t> queue;
  const auto armed = [&](std::uint32_t s) {
    return (trigger_[s] & bit) != 0 && (goal_[s] & bit) == 0 && w[s];
  };
  dist[0] = 0;
  queue.push_back(0);
  std::uint32_t found = kNone;
  while (!queue.empty()) {
    const std::uint32_t node = queue.front();
    queue.pop_front();
    const std::uint32_t s = node / 2;
    const bool after = (node & 1U) != 0;
    if (after && targets[s]) {
      found = node;  // nodes leave the queue in order of distance
      break;
    }
    if (!after && armed(s) && dist[node] < dist[node + 1]) {
      dist[node + 1] = dist[node];
      parent[node + 1] = node;
      via[node + 1] = kNone;
      queue.push_front(node + 1);
    }
    for (std::uint32_t e = first_[s]; e < first_[s + 1]; ++e) {
      const std::uint32_t t = target_[e];
      if (after && !w[t]) continue;
      const std::uint32_t next = 2 * t + (after ? 1 : 0);
      if (dist[node] + 1 >= dist[next]) continue;
      dist[next] = dist[node] + 1;
      parent[next] = node;
      via[next] = e;
      queue.push_back(next);
    }
  }
  if (found == kNone) return std::nullopt;
  Lasso l;
  std::size_t switch_at = 0;
  for (std::uint32_t node = found; node != 0; node = parent[node]) {
    if (via[node] == kNone) {
      switch_at = l.prefix.size();  // moves after the switch, counted from the end
      continue;
    }
    l.prefix.push_back(move_[via[node]]);
  }
  std::reverse(l.prefix.begin(), l.prefix.end());
  l.trigger = l.prefix.size() - switch_at;
  const std::uint32_t entry = found / 2;
  if (!judged_final(entry)) l.cycle = cycle_from(entry);
  return l;
}

// Shortest path inside the component of `from` to the first state where
// `stop` holds; its states (from excluded), its moves appended to `moves`.
inline std::vector<std::uint32_t> LivenessGraph::path_in_scc(
    std::uint32_t from, const std::function<bool(std::uint32_t)>& stop,
    std::vector<Move>& moves) const {
  if (stop(from)) return {};
  const std::uint32_t c = scc_[from];
  std::unordered_map<std::uint32_t, std::uint32_t> edge_to;  // state -> the edge that reached it
  std::vector<std::uint32_t> order{from};
  edge_to.emplace(from, kNone);
  std::uint32_t end = kNone;
  for (std::size_t head = 0; head < order.size() && end == kNone; ++head) {
    const std::uint32_t s = order[head];
    for (std::uint32_t e = first_[s]; e < first_[s + 1]; ++e) {
      const std::uint32_t t = target_[e];
      if (!in_scc(t, c) || !edge_to.emplace(t, e).second) continue;
      order.push_back(t);
      if (stop(t)) {
        end = t;
        break;
      }
    }
  }
  std::vector<std::uint32_t> states;
  std::vector<Move> rev;
  for (std::uint32_t s = end; s != from && s != kNone;) {
    const std::uint32_t e = edge_to.at(s);
    rev.push_back(move_[e]);
    states.push_back(s);
    // The edge's source: the state whose range of edges holds e.
    s = static_cast<std::uint32_t>(std::upper_bound(first_.begin(), first_.end(), e) -
                                   first_.begin() - 1);
  }
  moves.insert(moves.end(), rev.rbegin(), rev.rend());
  return {states.rbegin(), states.rend()};
}

// From the entry of a fair component: through a witness of each class
// (a state that disables it, else an edge of the class) and back.
inline std::vector<Move> LivenessGraph::cycle_from(std::uint32_t entry) const {
  const std::uint32_t c = scc_[entry];
  std::vector<Move> moves;
  std::uint32_t at = entry;
  const auto walk = [&](const std::function<bool(std::uint32_t)>& stop) {
    const auto states = path_in_scc(at, stop, moves);
    if (!states.empty()) at = states.back();
  };
  for (unsigned k = 0; k < classes; ++k) {
    const std::uint8_t bit = static_cast<std::uint8_t>(1U << k);
    bool disabled_somewhere = false;
    for (std::uint32_t s = 0; s < size() && !disabled_somewhere; ++s) {
      disabled_somewhere = in_scc(s, c) && (enabled_[s] & bit) == 0;
    }
    if (disabled_somewhere) {
      walk([&](std::uint32_t s) { return (enabled_[s] & bit) == 0; });
      continue;
    }
    const auto takes = [&](std::uint32_t s) {
      for (std::uint32_t e = first_[s]; e < first_[s + 1]; ++e) {
        if (class_[e] == static_cast<int>(k) && in_scc(target_[e], c)) return true;
      }
      return false;
    };
    walk(takes);
    for (std::uint32_t e = first_[at]; e < first_[at + 1]; ++e) {
      if (class_[e] == static_cast<int>(k) && in_scc(target_[e], c)) {
        moves.push_back(move_[e]);
        at = target_[e];
        break;
      }
    }
  }
  if (moves.empty() && at == entry) {  // every witness was the entry: leave it once
    for (std::uint32_t e = first_[entry]; e < first_[entry + 1]; ++e) {
      if (in_scc(target_[e], c)) {
        moves.push_back(move_[e]);
        at = target_[e];
        break;
      }
    }
  }
  if (at != entry) walk([&](std::uint32_t s) { return s == entry; });
  return moves;
}

inline PropertyVerdict LivenessGraph::check(std::size_t property) const {
  const auto start = std::chrono::steady_clock::now();
  PropertyVerdict v;
  const std::vector<bool> w = reach_w(property);
  const std::vector<bool> targets = fair_targets(w, v);
  if (std::find(targets.begin(), targets.end(), true) != targets.end()) {
    v.lasso = lasso(property, w, targets);
  }
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

// What a lasso does when replayed with the level's own stepper,
// independently of the graph: whether its cycle comes back to the state it
// started from, whether it is weakly fair, and whether the property's Q
// fails all along the cycle (for a stutter: in the state it stays in,
// which must enable no fair move).
struct LassoReplay {
  bool valid = false;     // every move was enabled where it was taken
  bool returns = false;   // the cycle ends in the state it began (a stutter: trivially)
  bool fair = false;      // every class taken on the cycle or disabled in a state of it
  bool goal_never = false;  // Q holds in no state of the cycle
  bool trigger_seen = false;  // P held and Q did not at the trigger point
};

template <ExploreModel M>
LassoReplay replay(const Bounds& bounds, const LivenessSetup<typename M::State>& setup,
                   std::size_t property, const Lasso& l) {
  using State = typename M::State;
  LassoReplay r;
  typename M::Stepper stepper(bounds, nullptr);
  State s = M::initial(bounds);
  std::vector<Move> moves;
  const auto step = [&](Move m) {
    stepper.moves(s, moves);
    if (std::find(moves.begin(), moves.end(), m) == moves.end()) return false;
    (void)stepper.apply(s, m);
    return !stepper.invalid();
  };
  const ResponseProperty<State>& p = setup.properties[property];
  for (std::size_t i = 0; i < l.prefix.size(); ++i) {
    if (i == l.trigger) r.trigger_seen = p.trigger(s) && !p.goal(s);
    if (!step(l.prefix[i])) return r;
  }
  if (l.trigger == l.prefix.size()) r.trigger_seen = p.trigger(s) && !p.goal(s);
  const State entry = s;
  const std::uint8_t all = static_cast<std::uint8_t>((1U << setup.classes) - 1U);
  std::uint8_t taken = 0;
  std::uint8_t disabled = 0;
  bool goal = false;
  const auto enabled_here = [&] {
    std::uint8_t e = 0;
    stepper.moves(s, moves);
    for (const Move m : std::vector<Move>(moves)) {
      State n = s;
      (void)stepper.apply(n, m);
      if (stepper.invalid()) continue;
      const int c = setup.fairness(s, m);
      if (c != kUnfair) e |= static_cast<std::uint8_t>(1U << c);
    }
    return e;
  };
  for (const Move m : l.cycle) {
    goal = goal || p.goal(s);
    disabled |= static_cast<std::uint8_t>(~enabled_here() & all);
    const int c = setup.fairness(s, m);
    if (c != kUnfair) taken |= static_cast<std::uint8_t>(1U << c);
    if (!step(m)) return r;
  }
  goal = goal || p.goal(s);
  disabled |= static_cast<std::uint8_t>(~enabled_here() & all);
  r.valid = true;
  r.returns = s.fingerprint() == entry.fingerprint();
  r.fair = static_cast<std::uint8_t>(taken | disabled) == all;
  r.goal_never = !goal;
  return r;
}

// The lasso in words: the narration of its moves, numbered, with the point
// where P held and where the cycle begins (or the run stops) marked.
template <ExploreModel M>
std::vector<std::string> narrate_lasso(const Bounds& bounds, const Lasso& l) {
  std::vector<Move> all = l.prefix;
  all.insert(all.end(), l.cycle.begin(), l.cycle.end());
  const std::vector<std::string> said = narrate_model<M>(bounds, all);
  std::vector<std::string> lines;
  const auto marks = [&](std::size_t before) {
    if (before == l.trigger) lines.push_back("--- here the premise holds and the goal does not ---");
    if (before == l.prefix.size() && !l.cycle.empty()) {
      lines.push_back("--- cycle: moves " + std::to_string(l.prefix.size() + 1) + " to " +
                      std::to_string(all.size()) + " repeat for ever ---");
    }
  };
  std::size_t move = 0;
  for (const std::string& line : said) {
    if (!line.empty() && line[0] != ' ') {
      // "N. ...": move N begins.
      marks(move);
      ++move;
    }
    lines.push_back(line);
  }
  marks(move);
  if (l.cycle.empty()) {
    lines.push_back("--- then nothing the run must do is left: it stays in this state for ever ---");
  } else {
    lines.push_back("--- back to the state after move " + std::to_string(l.prefix.size()) + " ---");
  }
  return lines;
}

}  // namespace tcpmc::verify::explore
