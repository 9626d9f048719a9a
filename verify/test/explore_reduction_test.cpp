// The impl level's state-space reductions change how many states are
// stored, never what the search concludes: System::forget_dead_values is a
// bisimulation (checked here move by move on every state of a small
// search), every Spec gives the same verdict and counterexample length with
// it and without it, and the frontier's StateCodec gives back exactly the
// state it was given.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/explore/instances.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/explore/specs.hpp>
#include <tcpmc/verify/explore/state_codec.hpp>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tcpmc::verify::explore {
namespace {

using Sys = System<model::kRfc9293>;

// Small enough for the sanitizer build, large enough that segments outlive
// the point where they could still expire (ticks close to MSL), that a
// connection reaches TIME-WAIT and that a second incarnation starts.
constexpr Bounds small_bounds() {
  return {.in_flight = 2,
          .losses = 1,
          .duplicates = 1,
          .msl = 2,
          .ticks = 5,
          .bytes = 1,
          .reconnects = 1};
}

// Up to `limit` states reachable from the initial one, breadth first,
// each as Stepper::apply left it (nothing forgotten).
std::vector<Sys> reachable(const Bounds& b, std::size_t limit) {
  Stepper<model::kRfc9293> stepper(b);
  std::vector<Sys> states{Sys::initial(b)};
  std::unordered_set<std::uint64_t> seen{states.front().fingerprint()};
  std::vector<Move> moves;
  for (std::size_t i = 0; i < states.size() && states.size() < limit; ++i) {
    stepper.moves(states[i], moves);
    for (const Move m : moves) {
      Sys n = states[i];
      stepper.apply(n, m);
      if (!stepper.invalid() && seen.insert(n.fingerprint()).second) states.push_back(n);
    }
  }
  return states;
}

Sys forgotten(Sys s, const Bounds& b) {
  s.forget_dead_values(b);
  return s;
}

// What a state can do in one move: each successor, with its dead values
// forgotten, and the invariant the move breaks (if any). Two moves that
// lead to equal successors with the same verdict count once, as they do
// for the search.
std::set<std::pair<std::uint64_t, int>> outcomes(const Sys& s, const Bounds& b) {
  Stepper<model::kRfc9293> stepper(b);
  std::vector<Move> moves;
  stepper.moves(s, moves);
  std::set<std::pair<std::uint64_t, int>> out;
  for (const Move m : moves) {
    Sys n = s;
    const auto v = stepper.apply(n, m);
    if (stepper.invalid()) continue;
    out.emplace(forgotten(n, b).fingerprint(), v ? static_cast<int>(v->invariant) : -1);
  }
  return out;
}

// A state and its canonical form can make the same moves, to states that
// are again the same up to dead values, judged the same: the argument of
// System::forget_dead_values, checked on every state of a small search.
TEST(ForgetDeadValues, EveryStateAndItsCanonicalFormHaveTheSameSuccessors) {
  const Bounds b = small_bounds();
  const std::vector<Sys> states = reachable(b, 30'000);
  ASSERT_GT(states.size(), 10'000U);
  std::size_t changed = 0;
  std::size_t ages = 0;
  std::size_t time_wait = 0;
  for (const Sys& s : states) {
    const Sys c = forgotten(s, b);
    if (c.fingerprint() == s.fingerprint()) continue;
    ++changed;
    for (std::size_t i = 0; i < s.in_flight; ++i) ages += s.net[i].age != c.net[i].age;
    time_wait += s.cg.time_wait_age != c.cg.time_wait_age || s.sg.time_wait_age != c.sg.time_wait_age;
    EXPECT_EQ(c.in_flight, s.in_flight);
    ASSERT_EQ(outcomes(s, b), outcomes(c, b))
        << "state " << &s - states.data() << " and its canonical form differ";
  }
  // The check means something only if both kinds of dead value occur.
  EXPECT_GT(changed, 1'000U);
  EXPECT_GT(ages, 0U);
  EXPECT_GT(time_wait, 0U);
}

// Forgetting twice forgets nothing more.
TEST(ForgetDeadValues, IsIdempotent) {
  const Bounds b = small_bounds();
  for (const Sys& s : reachable(b, 5'000)) {
    const Sys c = forgotten(s, b);
    EXPECT_TRUE(forgotten(c, b) == c);
  }
}

// The catalog's one-in-flight configuration (configs::one_in_flight) with
// 5 ticks instead of 12: every Spec's whole search takes well under a
// second, and four of the variants are refuted on it.
constexpr Bounds one_in_flight_bounds() {
  Bounds b = configs::one_in_flight();
  b.ticks = 5;
  return b;
}

using SearchFn = SearchResult (*)(const Bounds&, const SearchOptions&);
using ReplayFn = std::optional<Invariant> (*)(const Bounds&, const std::vector<Move>&,
                                              std::optional<Invariant>);
struct NamedSearch {
  std::string_view spec;
  SearchFn search;
  ReplayFn replay;
};

template <std::size_t... I>
std::array<NamedSearch, 1 + sizeof...(I)> every_spec(std::index_sequence<I...>) {
  return {{{"RFC 9293", &search<model::kRfc9293>, &replay_to_violation<ImplModel<model::kRfc9293>>},
           {kVariantSpec<I>.name(), &search<kVariantSpec<I>>, &replay_to_violation<ImplModel<kVariantSpec<I>>>}...}};
}

class EverySpec : public ::testing::TestWithParam<std::size_t> {};

// With and without the reduction the search reaches the same verdict, and
// a counterexample of the same (shortest) length; it stores no more
// states with it than without.
TEST_P(EverySpec, ForgettingDeadValuesKeepsTheVerdict) {
  const NamedSearch s =
      every_spec(std::make_index_sequence<model::kVariants.size()>{})[GetParam()];
  const Bounds b = one_in_flight_bounds();
  SearchOptions with;
  SearchOptions without;
  without.forget_dead_values = false;
  const SearchResult r = s.search(b, with);
  const SearchResult full = s.search(b, without);
  ASSERT_EQ(r.violation.has_value(), full.violation.has_value()) << s.spec;
  EXPECT_EQ(r.complete, full.complete) << s.spec;
  if (r.violation) {
    EXPECT_EQ(r.violation->invariant, full.violation->invariant) << s.spec;
    EXPECT_EQ(r.path.size(), full.path.size()) << s.spec;
    // The path was found among states with dead values forgotten; it must
    // still be a counterexample of the states as they run.
    EXPECT_EQ(s.replay(b, r.path, std::nullopt), r.violation->invariant) << s.spec;
  } else {
    EXPECT_LT(r.stats.states, full.stats.states) << s.spec;
  }
  EXPECT_LE(r.stats.states, full.stats.states) << s.spec;
  // Two segments in flight, where forgotten ages can reorder the network
  // (LevelSearch::as_run): a counterexample found among the stored states
  // still replays on the states as they run. Cut at 20,000 states, which
  // refutes most variants here.
  Bounds two_in_flight = small_bounds();
  two_in_flight.max_states = 20'000;
  const SearchResult two = s.search(two_in_flight, with);
  if (two.violation) {
    EXPECT_EQ(s.replay(two_in_flight, two.path, std::nullopt), two.violation->invariant) << s.spec;
  }
  std::printf("[ reduced  ] %s: %s, %llu states (%llu without forgetting)\n",
              std::string(s.spec).c_str(),
              r.violation ? std::string(name(r.violation->invariant)).c_str() : "holds",
              static_cast<unsigned long long>(r.stats.states),
              static_cast<unsigned long long>(full.stats.states));
}

INSTANTIATE_TEST_SUITE_P(Explore, EverySpec,
                         ::testing::Range<std::size_t>(0, 1 + model::kVariants.size()));

// The frontier keeps states as differences from the initial one; decoding
// gives back the very state, and a state costs far less than its bytes.
TEST(StateCodec, GivesBackEveryStateExactly) {
  const Bounds b = small_bounds();
  const std::vector<Sys> states = reachable(b, 5'000);
  const StateCodec<Sys> codec(states.front());
  std::vector<std::uint8_t> buffer(StateCodec<Sys>::kMaxEncodedBytes);
  std::size_t total = 0;
  for (const Sys& s : states) {
    const std::size_t written = codec.encode(s, buffer.data());
    ASSERT_LE(written, StateCodec<Sys>::kMaxEncodedBytes);
    Sys back = states.front();
    EXPECT_EQ(codec.decode(buffer.data(), back), written);
    EXPECT_TRUE(back == s);
    EXPECT_EQ(back.fingerprint(), s.fingerprint());
    total += written;
  }
  // The initial state costs its bitmap alone.
  EXPECT_EQ(codec.encode(states.front(), buffer.data()), StateCodec<Sys>::kBitmapBytes);
  EXPECT_LT(total / states.size(), sizeof(Sys) / 4);
}

// Every segment slot full, each field of each segment set: a codec that
// lost a member byte anywhere in the network would show it here (g++ 12's
// __builtin_clear_padding zeroed bytes of the fourth slot; state_codec.hpp).
TEST(StateCodec, GivesBackAFullNetworkExactly) {
  const Sys initial = Sys::initial(small_bounds());
  Sys s = initial;
  s.in_flight = kMaxInFlight;
  for (std::size_t i = 0; i < kMaxInFlight; ++i) {
    const auto v = static_cast<std::uint8_t>(16 * i + 1);
    s.net[i] = Packet{.to_server = true,
                      .flags = 15,
                      .seq = v,
                      .ack = static_cast<std::uint8_t>(v + 1),
                      .window = static_cast<std::uint8_t>(v + 2),
                      .mss = static_cast<std::uint8_t>(v + 3),
                      .len = 2,
                      .bytes = {static_cast<std::uint8_t>(v + 4), static_cast<std::uint8_t>(v + 5)},
                      .age = static_cast<std::uint8_t>(v + 6),
                      .incarnation = static_cast<std::uint8_t>(v + 7),
                      .injected = true};
  }
  s.from_client.fill(9);
  const StateCodec<Sys> codec(initial);
  std::vector<std::uint8_t> buffer(StateCodec<Sys>::kMaxEncodedBytes);
  codec.encode(s, buffer.data());
  Sys back = initial;
  codec.decode(buffer.data(), back);
  for (std::size_t i = 0; i < kMaxInFlight; ++i) {
    EXPECT_TRUE(back.net[i] == s.net[i]) << "slot " << i;
  }
  EXPECT_TRUE(back == s);
}

}  // namespace
}  // namespace tcpmc::verify::explore
