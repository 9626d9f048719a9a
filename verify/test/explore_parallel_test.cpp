// The parallel search must be the same search: the same levels, so the
// same number of stored states when complete, the same verdict and a
// counterexample as short; and the shared fingerprint set must lose no
// insertion and count none twice.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/fingerprint_set.hpp>
#include <tcpmc/verify/explore/instances.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/explore/state_codec.hpp>
#include <tcpmc/verify/table/level.hpp>
#include <thread>
#include <vector>

namespace tcpmc::verify::explore {
namespace {

// A search small enough to complete in a fraction of a second. Only
// NoDataOnSyn is judged, which the RFC spec's engine cannot break (it never
// puts data on a SYN), so the run goes to the end whatever else the lead's
// model work changes in the RFC spec's verdict.
Bounds complete_bounds() {
  Bounds b;
  b.in_flight = 1;
  b.losses = 0;
  b.duplicates = 0;
  b.bytes = 1;
  b.reconnects = 1;
  return b;
}

Bounds no_time_wait_bounds() {
  Bounds b;
  b.in_flight = 2;
  b.losses = 0;
  b.duplicates = 1;
  b.bytes = 1;
  b.reconnects = 1;
  return b;
}

SearchResult run_rfc(unsigned threads) {
  SearchOptions o;
  o.only = Invariant::NoDataOnSyn;
  o.threads = threads;
  return search<model::kRfc9293>(complete_bounds(), o);
}

TEST(ExploreParallel, CompleteSearch_TwoAndThreeThreads_StoreSameStatesAsOne) {
  const auto one = run_rfc(1);
  ASSERT_TRUE(one.complete);
  ASSERT_FALSE(one.violation);
  ASSERT_GT(one.stats.states, 10000U);  // enough levels wide enough to split
  for (unsigned threads : {2U, 3U}) {
    const auto many = run_rfc(threads);
    EXPECT_TRUE(many.complete) << threads;
    EXPECT_FALSE(many.violation) << threads;
    EXPECT_EQ(many.stats.states, one.stats.states) << threads;
    EXPECT_EQ(many.stats.transitions, one.stats.transitions) << threads;
    EXPECT_EQ(many.stats.matched, one.stats.matched) << threads;
    EXPECT_EQ(many.stats.max_depth, one.stats.max_depth) << threads;
    EXPECT_EQ(many.stats.threads, threads);
  }
  // Every move applied either stored a new state or matched a stored one.
  EXPECT_EQ(one.stats.transitions, one.stats.states - 1 + one.stats.matched);
}

// The table level shares the search: with threads it stores the same
// states, makes the same moves and matches as often as with one.
TEST(ExploreParallel, TableLevel_TwoThreads_StoreSameStatesAsOne) {
  Bounds b = complete_bounds();
  b.duplicates = 1;
  SearchOptions o;
  const auto one = table::search<model::kRfc9293>(b, o);
  ASSERT_TRUE(one.complete);
  ASSERT_GT(one.stats.states, 10000U);
  o.threads = 2;
  const auto two = table::search<model::kRfc9293>(b, o);
  EXPECT_TRUE(two.complete);
  EXPECT_EQ(two.stats.states, one.stats.states);
  EXPECT_EQ(two.stats.transitions, one.stats.transitions);
  EXPECT_EQ(two.stats.matched, one.stats.matched);
  EXPECT_EQ(one.stats.transitions, one.stats.states - 1 + one.stats.matched);
}

// The verdict and the counterexample's length do not depend on the threads;
// nor, by the choice rule, does the final move.
TEST(ExploreParallel, NoTimeWait_TwoThreads_SameViolationSameLength) {
  const auto one = search<specs::no_time_wait()>(no_time_wait_bounds());
  ASSERT_TRUE(one.violation);
  SearchOptions o;
  o.threads = 2;
  const auto two = search<specs::no_time_wait()>(no_time_wait_bounds(), o);
  ASSERT_TRUE(two.violation);
  EXPECT_EQ(two.violation->invariant, one.violation->invariant);
  EXPECT_EQ(two.violation->detail, one.violation->detail);
  EXPECT_EQ(two.path.size(), one.path.size());
  EXPECT_EQ(two.path.back(), one.path.back());
  EXPECT_EQ(two.stats.depth, one.stats.depth);
  // The path replays to the violation it claims.
  Stepper<specs::no_time_wait()> stepper(no_time_wait_bounds());
  auto s = System<specs::no_time_wait()>::initial(no_time_wait_bounds());
  std::optional<Violation> last;
  for (const Move m : two.path) last = stepper.apply(s, m);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->invariant, two.violation->invariant);
}

// A bound on stored states cuts the search short and says so.
TEST(ExploreParallel, MaxStates_CutsSearch_Incomplete) {
  for (unsigned threads : {1U, 2U}) {
    Bounds b = complete_bounds();
    b.max_states = 1000;
    SearchOptions o;
    o.only = Invariant::NoDataOnSyn;
    o.threads = threads;
    const auto r = search<model::kRfc9293>(b, o);
    EXPECT_FALSE(r.complete) << threads;
    EXPECT_FALSE(r.violation) << threads;
    EXPECT_EQ(r.stats.states, 1000U) << threads;
    EXPECT_EQ(r.limit, SearchResult::Limit::MaxStates) << threads;
  }
}

// A bound on memory cuts a search that would outgrow it, says which bound
// did, and holds the search's memory near it; a search that fits is not
// cut.
TEST(ExploreParallel, MaxMemory_CutsSearch_Incomplete) {
  constexpr std::size_t kLimit = std::size_t{24} << 20;
  for (unsigned threads : {1U, 2U}) {
    SearchOptions o;
    o.only = Invariant::NoDataOnSyn;
    o.threads = threads;
    o.max_memory = kLimit;
    const auto r = search<model::kRfc9293>(Bounds{}, o);  // the default bounds: far more
    EXPECT_FALSE(r.complete) << threads;
    EXPECT_FALSE(r.violation) << threads;
    EXPECT_EQ(r.limit, SearchResult::Limit::MaxMemory) << threads;
    EXPECT_GT(r.stats.states, 10'000U) << threads;
    const std::size_t used = r.stats.memory_bytes + r.stats.frontier_bytes;
    EXPECT_GT(used, kLimit / 2) << threads;
    EXPECT_LT(used, kLimit + kLimit / 4) << threads;

    const auto fits = search<model::kRfc9293>(complete_bounds(), o);
    EXPECT_TRUE(fits.complete) << threads;
    EXPECT_EQ(fits.limit, SearchResult::Limit::None) << threads;
  }
}

// Progress is reported from the search loop, with counts that only grow.
TEST(ExploreParallel, Progress_ReportedWithGrowingCounts) {
  std::vector<Statistics> seen;
  SearchOptions o;
  o.only = Invariant::NoDataOnSyn;
  o.threads = 2;
  o.progress_every = std::chrono::milliseconds{0};
  o.progress = [&](const Statistics& st) { seen.push_back(st); };
  const auto r = search<model::kRfc9293>(complete_bounds(), o);
  ASSERT_GE(seen.size(), 2U);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].states, seen[i - 1].states);
    EXPECT_GE(seen[i].transitions, seen[i - 1].transitions);
  }
  EXPECT_LE(seen.back().states, r.stats.states);
  EXPECT_GT(seen.back().memory_bytes, 0U);
}

// Threads inserting overlapping ranges: each fingerprint is new exactly
// once, and the set counts each once. As the search does, each thread
// hints a batch of fingerprints (prefetch) before inserting them, while
// the others grow the shards under it: a stale hint must cost nothing.
TEST(ShardedFingerprintSet, ConcurrentInserts_EachNewOnce) {
  ShardedFingerprintSet set;
  constexpr std::uint64_t kPerThread = 200000;
  constexpr unsigned kThreads = 4;
  std::atomic<std::uint64_t> fresh{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::uint64_t mine = 0;
      // Thread t inserts [t * kPerThread / 2, t * kPerThread / 2 + kPerThread):
      // each half overlaps a neighbour. Spread over all shards by a multiply.
      constexpr std::uint64_t kBatch = 8;
      const auto fingerprint = [t](std::uint64_t i) {
        return (t * kPerThread / 2 + i + 1) * 0x9E3779B97F4A7C15ULL;
      };
      for (std::uint64_t i = 0; i < kPerThread; i += kBatch) {
        for (std::uint64_t j = i; j < i + kBatch; ++j) set.prefetch(fingerprint(j));
        for (std::uint64_t j = i; j < i + kBatch; ++j) {
          if (set.insert(fingerprint(j))) ++mine;
        }
      }
      fresh.fetch_add(mine);
    });
  }
  for (auto& th : threads) th.join();
  const std::uint64_t distinct = (kThreads - 1) * kPerThread / 2 + kPerThread;
  EXPECT_EQ(fresh.load(), distinct);
  EXPECT_EQ(set.size(), distinct);
  EXPECT_LE(set.bytes(), 4 * distinct * sizeof(std::uint64_t));
}

// Frontier states are stored encoded: every state along a run decodes to
// itself, and takes far fewer bytes than its full form.
TEST(StateCodec, StatesAlongARun_RoundTrip_Smaller) {
  using Sys = System<specs::no_time_wait()>;
  const Bounds b = no_time_wait_bounds();
  const auto r = search<specs::no_time_wait()>(b);
  ASSERT_TRUE(r.violation);
  const Sys initial = Sys::initial(b);
  const StateCodec<Sys> codec(initial);
  Stepper<specs::no_time_wait()> stepper(b);
  Sys s = initial;
  std::vector<std::uint8_t> bytes;
  for (const Move m : r.path) {
    stepper.apply(s, m);
    bytes.clear();
    codec.encode(s, bytes);
    EXPECT_LT(bytes.size(), sizeof(Sys) / 2);
    Sys back = initial;
    EXPECT_EQ(codec.decode(bytes.data(), back), bytes.size());
    EXPECT_TRUE(back == s);
    EXPECT_EQ(back.fingerprint(), s.fingerprint());
  }
}

}  // namespace
}  // namespace tcpmc::verify::explore
