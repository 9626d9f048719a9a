// Breadth-first search of the system's reachable states, level by level, so
// that the first counterexample found is a shortest one. The search is
// written once for both levels of DESIGN.md principle 9: the impl level
// (ImplModel, the engine in explore/system.hpp) and the table level
// (table::TableModel, the Spec's table alone in table/system.hpp); a level
// is any type that meets ExploreModel. States are stored
// as 64-bit fingerprints (hash compaction: a stored state costs its
// fingerprint slot, its parent and the move that reached it), with the
// probability of omitting a state reported; counterexamples are rebuilt by
// replaying the moves from the initial state. A level may name values that
// no future move or judgement reads (ForgetsDeadValues): they are set to a
// canonical value before a state is fingerprinted, so states that differ
// only in them are stored once; verdicts and the length of the shortest
// counterexample are those of the full state space (System::
// forget_dead_values gives the argument for the impl level).
//
// With several threads each level is split among them (they take blocks of
// the level from a shared cursor) and the fingerprints live in a sharded,
// locked set. The levels are the same sets of states whatever the number of
// threads, so a complete search stores the same number of states; and the
// violation reported is chosen by a rule that does not depend on which
// thread got where first: in the first level that has one, the violating
// move of smallest (fingerprint of the state it leaves, move order). The
// path that leads to that state may differ between runs (a state reached
// twice in one level keeps whichever parent was stored first), but never
// its length.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tcpmc/verify/explore/fingerprint_set.hpp>
#include <tcpmc/verify/explore/state_codec.hpp>
#include <tcpmc/verify/explore/system.hpp>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace tcpmc::verify::explore {

struct Statistics {
  std::uint64_t states = 0;       // distinct states stored
  std::uint64_t transitions = 0;  // moves applied
  std::uint64_t matched = 0;      // moves that led to a state already stored
  std::uint64_t depth = 0;        // BFS levels completed
  std::uint64_t max_depth = 0;    // depth of the deepest state stored
  std::uint64_t frontier = 0;     // states of the level being expanded
  std::size_t state_vector_bytes = 0;
  std::size_t memory_bytes = 0;    // stored states: fingerprint slots, parents, moves
  std::size_t frontier_bytes = 0;  // encoded states of the level and the next (peak)
  unsigned threads = 1;
  double seconds = 0;
  // Probability that hash compaction dropped some state: about n^2 / 2^65
  // for n states and 64-bit fingerprints.
  double omission_probability() const {
    const double n = static_cast<double>(states);
    return n * n / 36893488147419103232.0;
  }
  double rate() const { return seconds > 0 ? static_cast<double>(states) / seconds : 0; }
  double bytes_per_state() const {
    return states > 0 ? static_cast<double>(memory_bytes) / static_cast<double>(states) : 0;
  }
};

struct SearchResult {
  bool complete = false;  // the state space was exhausted
  // What cut an incomplete search short when no violation did.
  enum class Limit : std::uint8_t { None, MaxStates, MaxMemory };
  Limit limit = Limit::None;
  std::optional<Violation> violation;
  std::vector<Move> path;  // from the initial state to the violation
  Statistics stats;
};

// Called about once a second while searching, from the calling thread.
using Progress = std::function<void(const Statistics&)>;

struct SearchOptions {
  std::optional<Invariant> only;  // report violations of this invariant alone
  Progress progress;
  std::chrono::milliseconds progress_every{1000};
  unsigned threads = 1;
  // Store states with their dead values forgotten, if the level can
  // (ForgetsDeadValues: the impl level, System::forget_dead_values). It
  // changes no verdict and no counterexample's length, only how many
  // states are stored; off only to show that in tests.
  bool forget_dead_values = true;
  // Stop once the search's own memory passes this many bytes (0: no
  // limit): the stored states, the encoded states of the level being
  // expanded and of the next, and the nodes they hang from. The search then
  // ends incomplete, as at Bounds::max_states, with its statistics, rather
  // than be killed by the system with nothing said. Checked after every
  // block of states a thread expands, so it may be passed by what one block
  // adds: its successors, a new block of encoded states (1 MiB), or one
  // doubling of a worker's list of next states or of a shard of the
  // fingerprint set.
  std::size_t max_memory = 0;
};

// What a level of the explorer gives the search (DESIGN.md principle 9):
// a state that is trivially copyable (stored as bytes) and fingerprinted,
// the initial one for some bounds, and a stepper that lists the moves
// enabled in a state, in a fixed order, and applies one, judging the
// invariants. Both levels use the same Move, so the search, its
// statistics, counterexample replay and narration are written once.
template <class M>
concept ExploreModel =
    std::is_trivially_copyable_v<typename M::State> &&
    requires(const Bounds& b, const typename M::State& cs, typename M::State& s,
             typename M::Stepper& stepper, std::vector<Move>& moves, Move m,
             std::optional<Invariant> only, std::vector<std::string>* say) {
      { M::initial(b) } -> std::same_as<typename M::State>;
      { cs.fingerprint() } -> std::same_as<std::uint64_t>;
      typename M::Stepper;
      { typename M::Stepper(b, say) };
      { stepper.judge_only(only) };
      { stepper.moves(cs, moves) };
      { stepper.apply(s, m) } -> std::same_as<std::optional<Violation>>;
      { stepper.invalid() } -> std::same_as<bool>;
    };

// A level whose states may hold values that no future move or judgement
// reads, and that can set them to a canonical value (SearchOptions::
// forget_dead_values). The table level has none: its states are stored as
// they are.
template <class M>
concept ForgetsDeadValues = requires(typename M::State& s, const Bounds& b) {
  { M::forget_dead_values(s, b) };
};

// The impl level: the real engine, Connection<ExploreParams, S>.
template <const model::Spec& S>
struct ImplModel {
  using State = System<S>;
  using Stepper = explore::Stepper<S>;
  static State initial(const Bounds& b) { return State::initial(b); }
  static void forget_dead_values(State& s, const Bounds& b) { s.forget_dead_values(b); }
};

namespace detail {

template <ExploreModel M>
class LevelSearch {
 public:
  using Sys = typename M::State;
  using Step = typename M::Stepper;

  LevelSearch(const Bounds& bounds, const SearchOptions& options)
      : bounds_(bounds),
        options_(options),
        threads_(std::max(1U, options.threads)),
        initial_(M::initial(bounds)),
        codec_(initial_) {
    workers_.reserve(threads_);
    for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back(bounds, initial_, options.only);
    frontier_.resize(threads_);
  }

  SearchResult run() {
    start_ = std::chrono::steady_clock::now();
    last_progress_ = start_;
    SearchResult result;
    result.stats.state_vector_bytes = sizeof(Sys);
    result.stats.threads = threads_;

    const std::uint64_t fp = initial_.fingerprint();
    set_.insert(fp);
    stored_.store(1, std::memory_order_relaxed);
    nodes_.push_back({0, {}});
    frontier_[0].add(codec_, initial_, fp);

    for (;;) {
      level_size_ = 0;
      for (const auto& part : frontier_) level_size_ += part.size();
      if (level_size_ == 0) {
        result.complete = true;
        break;
      }
      start_memory_accounting();
      expand_level();
      if (const Found* f = best_found()) {
        result.violation = f->violation;
        result.path = as_run(path_to(f->parent, f->move));
        break;
      }
      if (stop_.load(std::memory_order_relaxed)) {
        result.limit = memory_cut_.load(std::memory_order_relaxed) ? SearchResult::Limit::MaxMemory
                                                                   : SearchResult::Limit::MaxStates;
        break;
      }
      merge_next_level();
      ++depth_;
    }
    fill(result.stats);
    return result;
  }

 private:
  // States waiting to be expanded, as one worker stored them: encoded one
  // after the other, each with its fingerprint and node.
  struct Part {
    struct Ref {
      const std::uint8_t* at;
      std::uint64_t fp;
      std::uint32_t id;
    };
    // Encoded states go into blocks that never move, so a level grows
    // without copying itself (a doubling vector would, and would hold
    // twice its size while doing it). Blocks are kept for later levels.
    static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
    static_assert(StateCodec<Sys>::kMaxEncodedBytes <= kBlockBytes);
    std::vector<std::unique_ptr<std::uint8_t[]>> blocks;
    std::size_t filled = 0;  // blocks in use, the last one partly
    std::size_t used = 0;    // bytes used of the last block in use
    std::vector<Ref> refs;

    // Encoded in place: a block is started whenever the one in use might
    // not hold the longest encoding.
    void add(const StateCodec<Sys>& codec, const Sys& s, std::uint64_t fp) {
      if (filled == 0 || used + StateCodec<Sys>::kMaxEncodedBytes > kBlockBytes) {
        if (filled == blocks.size()) {
          blocks.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(kBlockBytes));
        }
        ++filled;
        used = 0;
      }
      std::uint8_t* at = blocks[filled - 1].get() + used;
      used += codec.encode(s, at);
      refs.push_back({at, fp, 0});
    }
    std::size_t size() const { return refs.size(); }
    void clear() {
      filled = 0;
      used = 0;
      refs.clear();
    }
    std::size_t memory() const {
      return blocks.size() * kBlockBytes + refs.capacity() * sizeof(Ref);
    }
  };
  struct Node {
    std::uint32_t parent;
    Move move;
  };
  struct Found {
    std::uint64_t fp;  // of the state the move leaves
    std::size_t ordinal;
    std::uint32_t parent;
    Move move;
    Violation violation;
    bool before(std::uint64_t other_fp, std::size_t other_ordinal) const {
      return fp != other_fp ? fp < other_fp : ordinal < other_ordinal;
    }
  };
  // A successor of the state being expanded, before its lookup.
  struct Successor {
    Successor(const Sys& from, Move m) : state(from), move(m) {}
    Sys state;
    Move move;
    std::uint64_t fp = 0;
  };
  // Each worker on cache lines of its own: they update their counts on
  // every move.
  struct alignas(64) Worker {
    Worker(const Bounds& b, const Sys& initial, std::optional<Invariant> only)
        : stepper(b, nullptr), current(initial) {
      stepper.judge_only(only);
    }
    Step stepper;
    Sys current;  // the state being expanded, decoded
    std::vector<Move> moves;
    std::vector<Successor> successors;  // of `current`, not yet looked up
    Part next;  // states first stored by this worker, for the next level
    std::vector<Node> next_nodes;
    std::optional<Found> found;
    std::uint64_t transitions = 0;  // not yet added to the shared counts
    std::uint64_t matched = 0;
    std::uint64_t stored = 0;
    std::size_t accounted = 0;  // bytes of `next` and `next_nodes` in level_bytes_
  };

  static void forget_dead_values(Sys& s, const Bounds& bounds, const SearchOptions& options) {
    if constexpr (ForgetsDeadValues<M>) {
      if (options.forget_dead_values) M::forget_dead_values(s, bounds);
    }
  }

  static constexpr std::size_t kBlock = 64;
  static constexpr std::uint64_t kNoneFound = std::numeric_limits<std::uint64_t>::max();

  void expand_level() {
    cursor_.store(0, std::memory_order_relaxed);
    // Small levels (the first few) are not worth a thread.
    const unsigned n = level_size_ >= 4 * kBlock ? threads_ : 1;
    std::vector<std::thread> helpers;
    helpers.reserve(n - 1);
    for (unsigned i = 1; i < n; ++i) {
      helpers.emplace_back([this, i] { work(workers_[i], false); });
    }
    work(workers_[0], true);
    for (auto& t : helpers) t.join();
  }

  std::pair<const Part*, std::size_t> at(std::size_t i) const {
    for (const auto& part : frontier_) {
      if (i < part.size()) return {&part, i};
      i -= part.size();
    }
    return {nullptr, 0};  // not reached: i < level_size_
  }

  void work(Worker& w, bool reports) {
    while (!stop_.load(std::memory_order_relaxed)) {
      const std::size_t begin = cursor_.fetch_add(kBlock, std::memory_order_relaxed);
      if (begin >= level_size_) break;
      const std::size_t end = std::min(begin + kBlock, level_size_);
      for (std::size_t i = begin; i < end && !stop_.load(std::memory_order_relaxed); ++i) {
        const auto [part, k] = at(i);
        expand(w, part->refs[k]);
      }
      transitions_.fetch_add(std::exchange(w.transitions, 0), std::memory_order_relaxed);
      matched_.fetch_add(std::exchange(w.matched, 0), std::memory_order_relaxed);
      stored_.fetch_add(std::exchange(w.stored, 0), std::memory_order_relaxed);
      if (options_.max_memory != 0) account_memory(w);
      if (reports) report_progress();
    }
  }

  // --- SearchOptions::max_memory ---------------------------------------------------
  //
  // Within a level only the fingerprint set (whose size is an atomic) and
  // each worker's own next level grow; the rest is fixed until the level
  // is merged, so it is counted once, before the level is expanded.
  std::size_t worker_bytes(const Worker& w) const {
    return w.next.memory() + w.next_nodes.capacity() * sizeof(Node);
  }

  void start_memory_accounting() {
    if (options_.max_memory == 0) return;
    std::size_t fixed = nodes_.capacity() * sizeof(Node);
    for (const auto& part : frontier_) fixed += part.memory();
    for (auto& w : workers_) {
      w.accounted = worker_bytes(w);  // blocks kept from earlier levels
      fixed += w.accounted;
    }
    fixed_bytes_ = fixed;
    level_bytes_.store(0, std::memory_order_relaxed);
  }

  // A worker's next level only grows while the level is expanded.
  void account_memory(Worker& w) {
    const std::size_t now = worker_bytes(w);
    const std::size_t grown =
        level_bytes_.fetch_add(now - w.accounted, std::memory_order_relaxed) + now - w.accounted;
    w.accounted = now;
    if (fixed_bytes_ + grown + set_.bytes() > options_.max_memory) {
      memory_cut_.store(true, std::memory_order_relaxed);
      stop_.store(true, std::memory_order_relaxed);
    }
  }

  // In two passes: first every successor and its fingerprint, with the
  // fingerprint's slot fetched (prefetch) while the next successor is
  // computed; then the lookups, which mostly find their slots in cache.
  // A lookup in a set of millions of states is a cache miss, and one at a
  // time they were a third of a table-level search's time. The successors
  // are looked up in move order, as before, so a search stores the same
  // states with the same parents.
  void expand(Worker& w, const typename Part::Ref& e) {
    // A violation was found leaving a state of smaller fingerprint: this
    // state's could not be the one reported.
    if (e.fp > best_fp_.load(std::memory_order_relaxed)) return;
    codec_.decode(e.at, w.current);
    w.stepper.moves(w.current, w.moves);
    w.successors.clear();
    for (std::size_t k = 0; k < w.moves.size(); ++k) {
      const Move m = w.moves[k];
      Successor& next = w.successors.emplace_back(w.current, m);
      const auto violation = w.stepper.apply(next.state, m);
      if (w.stepper.invalid()) {
        w.successors.pop_back();
        continue;
      }
      ++w.transitions;
      if (violation && (!options_.only || violation->invariant == *options_.only)) {
        w.successors.pop_back();
        if (!w.found || !w.found->before(e.fp, k)) w.found = Found{e.fp, k, e.id, m, *violation};
        lower_best(e.fp);
        break;  // this state's later moves come after this one
      }
      // Once this level has a counterexample the next level is not needed.
      if (best_fp_.load(std::memory_order_relaxed) != kNoneFound) {
        w.successors.pop_back();
        continue;
      }
      forget_dead_values(next.state, bounds_, options_);
      next.fp = next.state.fingerprint();
      set_.prefetch(next.fp);
    }
    for (const Successor& next : w.successors) {
      if (!set_.insert(next.fp)) {
        ++w.matched;
        continue;
      }
      // Without a bound on states the count is kept per worker and added
      // up once a block: one shared counter for every new state would be a
      // cache line the threads pass to and fro.
      if (bounds_.max_states == 0) {
        ++w.stored;
      } else if (stored_.fetch_add(1, std::memory_order_relaxed) + 1 > bounds_.max_states) {
        stop_.store(true, std::memory_order_relaxed);
        return;
      }
      w.next_nodes.push_back({e.id, next.move});
      w.next.add(codec_, next.state, next.fp);
    }
  }

  void lower_best(std::uint64_t fp) {
    std::uint64_t seen = best_fp_.load(std::memory_order_relaxed);
    while (fp < seen && !best_fp_.compare_exchange_weak(seen, fp, std::memory_order_relaxed)) {
    }
  }

  const Found* best_found() const {
    const Found* best = nullptr;
    for (const auto& w : workers_) {
      if (w.found && (best == nullptr || w.found->before(best->fp, best->ordinal))) {
        best = &*w.found;
      }
    }
    return best;
  }

  // The next level becomes the frontier, its states numbered in the order
  // their nodes are stored.
  void merge_next_level() {
    note_frontier_bytes();
    bool any = false;
    for (unsigned i = 0; i < threads_; ++i) {
      Worker& w = workers_[i];
      for (std::size_t k = 0; k < w.next.size(); ++k) {
        w.next.refs[k].id = static_cast<std::uint32_t>(nodes_.size());
        nodes_.push_back(w.next_nodes[k]);
      }
      any = any || w.next.size() != 0;
      std::swap(frontier_[i], w.next);
      w.next.clear();
      w.next_nodes.clear();
    }
    if (any) max_depth_ = depth_ + 1;
  }

  void note_frontier_bytes() {
    std::size_t bytes = 0;
    for (const auto& part : frontier_) bytes += part.memory();
    for (const auto& w : workers_) bytes += w.next.memory();
    frontier_bytes_ = std::max(frontier_bytes_, bytes);
  }

  std::vector<Move> path_to(std::uint32_t id, Move last) const {
    std::vector<Move> path{last};
    for (; id != 0; id = nodes_[id].parent) path.push_back(nodes_[id].move);
    return {path.rbegin(), path.rend()};
  }

  // The path as found names segments by their place in the sorted network
  // of stored states, whose dead values were forgotten. Forgetting an age
  // can move a segment (ages sort before the incarnation ghost: two
  // segments equal on the wire but for their age, from two incarnations,
  // as a fixed ISN makes them), so an index may name another segment in
  // the state as it runs, and replay,
  // narration and the charts apply the moves to the states as they run.
  // Each move is therefore renamed: in the running state, the enabled move
  // whose successor, with its dead values forgotten, is the path's next
  // stored state with the same verdict. One exists, since the two states
  // are bisimilar (System::forget_dead_values); the found move itself is
  // tried first, and is nearly always the one.
  std::vector<Move> as_run(const std::vector<Move>& found) const {
    if constexpr (ForgetsDeadValues<M>) {
      if (!options_.forget_dead_values) return found;
      Step stepper(bounds_);
      stepper.judge_only(options_.only);
      Sys stored = initial_;
      Sys running = initial_;
      std::vector<Move> renamed;
      std::vector<Move> enabled;
      for (const Move m : found) {
        Sys next = stored;
        const auto verdict = stepper.apply(next, m);
        M::forget_dead_values(next, bounds_);
        stepper.moves(running, enabled);
        const auto same = std::find(enabled.begin(), enabled.end(), m);
        if (same != enabled.end()) std::iter_swap(enabled.begin(), same);
        bool kept = false;
        for (const Move e : enabled) {
          Sys ran = running;
          const auto v = stepper.apply(ran, e);
          if (stepper.invalid() || v.has_value() != verdict.has_value() ||
              (v && v->invariant != verdict->invariant)) {
            continue;
          }
          Sys canonical = ran;
          M::forget_dead_values(canonical, bounds_);
          if (!(canonical == next)) continue;
          renamed.push_back(e);
          running = ran;
          kept = true;
          break;
        }
        if (!kept) return found;  // not bisimilar after all: keep what the search saw
        stored = next;
      }
      return renamed;
    } else {
      return found;
    }
  }

  void fill(Statistics& st) {
    note_frontier_bytes();
    const std::uint64_t stored = stored_.load(std::memory_order_relaxed);
    st.states = bounds_.max_states != 0 ? std::min(stored, bounds_.max_states) : stored;
    st.transitions = transitions_.load(std::memory_order_relaxed);
    st.matched = matched_.load(std::memory_order_relaxed);
    st.depth = depth_;
    st.max_depth = max_depth_;
    st.frontier = level_size_;
    // The nodes of the level being built are counted too: they are stored
    // states as much as the merged ones.
    std::size_t pending = 0;
    for (const auto& w : workers_) pending += w.next_nodes.capacity();
    st.memory_bytes = set_.bytes() + (nodes_.capacity() + pending) * sizeof(Node);
    st.frontier_bytes = frontier_bytes_;
    st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  void report_progress() {
    if (!options_.progress) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_progress_ < options_.progress_every) return;
    last_progress_ = now;
    Statistics st;
    st.state_vector_bytes = sizeof(Sys);
    st.threads = threads_;
    st.states = stored_.load(std::memory_order_relaxed);
    st.transitions = transitions_.load(std::memory_order_relaxed);
    st.matched = matched_.load(std::memory_order_relaxed);
    st.depth = depth_;
    st.max_depth = max_depth_;
    st.frontier = level_size_;
    // Read without the other threads' vectors, which they are growing:
    // nodes of the level in progress are estimated at one per new state.
    const std::uint64_t pending = st.states > nodes_.size() ? st.states - nodes_.size() : 0;
    st.memory_bytes = set_.bytes() + (nodes_.capacity() + pending) * sizeof(Node);
    st.frontier_bytes = frontier_bytes_;
    st.seconds = std::chrono::duration<double>(now - start_).count();
    options_.progress(st);
  }

  const Bounds bounds_;
  const SearchOptions& options_;
  const unsigned threads_;
  const Sys initial_;
  const StateCodec<Sys> codec_;  // states as differences from the initial one
  std::vector<Worker> workers_;
  std::vector<Part> frontier_;  // one part per worker that stored it
  std::vector<Node> nodes_;     // by state number: how it was reached
  ShardedFingerprintSet set_;
  std::size_t level_size_ = 0;
  std::uint64_t depth_ = 0;
  std::uint64_t max_depth_ = 0;
  std::size_t frontier_bytes_ = 0;
  std::atomic<std::size_t> cursor_{0};
  std::atomic<std::uint64_t> stored_{0};
  std::atomic<std::uint64_t> transitions_{0};
  std::atomic<std::uint64_t> matched_{0};
  std::atomic<std::uint64_t> best_fp_{kNoneFound};
  std::atomic<bool> stop_{false};
  std::size_t fixed_bytes_ = 0;              // the memory a level's expansion does not grow
  std::atomic<std::size_t> level_bytes_{0};  // what the workers' next levels grew by
  std::atomic<bool> memory_cut_{false};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_progress_;
};

}  // namespace detail

// The search of any level.
template <ExploreModel M>
SearchResult search_model(const Bounds& bounds, const SearchOptions& options) {
  return detail::LevelSearch<M>(bounds, options).run();
}

// In a narration of a search that judged `judged` alone, marks every
// other breach on the way "(not checked)": shown, but not what the run is
// a counterexample of, nor where the search stopped.
inline void mark_not_checked(std::vector<std::string>& lines, std::string_view judged) {
  for (std::string& line : lines) {
    const auto at = line.find("*** ");
    if (at != std::string::npos && line.compare(at + 4, judged.size(), judged) != 0) {
      line += " (not checked)";
    }
  }
}

// The counterexample in words, at any level: each move, numbered, with
// what it caused.
template <ExploreModel M>
std::vector<std::string> narrate_model(const Bounds& bounds, const std::vector<Move>& path) {
  std::vector<std::string> lines;
  std::vector<std::string> said;
  typename M::Stepper stepper(bounds, &said);
  typename M::State s = M::initial(bounds);
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

// Is `path` a counterexample of M's states as they run, from the initial
// state of `bounds`? The invariant its last move breaks (judged as
// Stepper::judge_only(only) judges), if every move is enabled and kept and
// no earlier move breaks one; nullopt otherwise. How a run that another
// engine found (Z3's BMC) or a reduced search found is held to the
// stepper itself.
template <ExploreModel M>
std::optional<Invariant> replay_to_violation(const Bounds& bounds, const std::vector<Move>& path,
                                             std::optional<Invariant> only = std::nullopt) {
  typename M::Stepper stepper(bounds);
  stepper.judge_only(only);
  typename M::State s = M::initial(bounds);
  std::vector<Move> enabled;
  for (std::size_t i = 0; i < path.size(); ++i) {
    stepper.moves(s, enabled);
    if (std::find(enabled.begin(), enabled.end(), path[i]) == enabled.end()) return std::nullopt;
    const auto v = stepper.apply(s, path[i]);
    if (stepper.invalid()) return std::nullopt;
    if (v) return i + 1 == path.size() ? std::optional(v->invariant) : std::nullopt;
  }
  return std::nullopt;
}

template <const model::Spec& S>
SearchResult search(const Bounds& bounds, const SearchOptions& options) {
  return search_model<ImplModel<S>>(bounds, options);
}

template <const model::Spec& S>
SearchResult search(const Bounds& bounds, std::optional<Invariant> only = std::nullopt,
                    const Progress& progress = {}) {
  return search<S>(bounds, SearchOptions{only, progress, std::chrono::milliseconds{1000}, 1});
}

template <const model::Spec& S>
std::vector<std::string> narrate(const Bounds& bounds, const std::vector<Move>& path) {
  return narrate_model<ImplModel<S>>(bounds, path);
}

}  // namespace tcpmc::verify::explore
