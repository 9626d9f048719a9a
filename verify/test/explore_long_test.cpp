// Longer searches, run by scripts/explore-long rather than by ctest (each
// takes seconds to minutes): the seed's variants, each refuted by the
// consequence its rule prevents, and the RFC spec on the same
// configuration. That configuration (two in flight, a duplicate, a
// reconnect) is large: one invariant alone took 85M states and 8 GB. The
// configurations searched to the end in CI are in explore/catalog.hpp.
#include <gtest/gtest.h>

#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/table/level.hpp>
#include <utility>

namespace tcpmc::verify::explore {
namespace {

Bounds small() {
  Bounds b;
  b.in_flight = 2;
  b.losses = 0;
  b.duplicates = 1;
  b.bytes = 1;
  b.reconnects = 1;
  b.ticks = 10;
  return b;
}

template <const model::Spec& S>
void print(const SearchResult& r, const Bounds& b) {
  std::printf("%s: %s, %llu states, %llu transitions, depth %llu, %.2f s\n",
              std::string(S.name()).c_str(),
              r.violation ? std::string(name(r.violation->invariant)).c_str()
                          : (r.complete ? "no violation" : "incomplete"),
              static_cast<unsigned long long>(r.stats.states),
              static_cast<unsigned long long>(r.stats.transitions),
              static_cast<unsigned long long>(r.stats.depth), r.stats.seconds);
  if (r.violation) {
    for (const auto& line : narrate<S>(b, r.path)) std::printf("  %s\n", line.c_str());
  }
}

TEST(ExploreLong, Rfc9293_SmallConfiguration_NoViolation) {
  const auto r = search<model::kRfc9293>(small());
  print<model::kRfc9293>(r, small());
  EXPECT_TRUE(r.complete);
  EXPECT_FALSE(r.violation) << name(r.violation->invariant) << ": " << r.violation->detail;
  EXPECT_GT(r.stats.states, 1000U);
}

TEST(ExploreLong, TwoWayHandshake_PhantomConnection) {
  const auto r = search<specs::two_way_handshake()>(small(), Invariant::NoPhantomConnection);
  print<specs::two_way_handshake()>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, FixedIsn_OldDuplicateAccepted) {
  const auto r = search<specs::fixed_isn()>(small(), Invariant::NoOldDuplicateAccepted);
  print<specs::fixed_isn()>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, NoTimeWait_NothingLost) {
  const auto r = search<specs::no_time_wait()>(small(), Invariant::NothingLost);
  print<specs::no_time_wait()>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, DataOnSyn_OldDuplicateAccepted) {
  const auto r = search<specs::data_on_syn()>(small(), Invariant::NoOldDuplicateAccepted);
  print<specs::data_on_syn()>(r, small());
  ASSERT_TRUE(r.violation);
}

TEST(ExploreLong, ThreeWayClose_NothingLost) {
  const auto r = search<specs::three_way_close()>(small(), Invariant::NothingLost);
  print<specs::three_way_close()>(r, small());
  ASSERT_TRUE(r.violation);
}

// Both levels agree (DESIGN.md principle 9) beyond the catalog: the RFC
// spec and every variant, on each configuration CI searches to the end,
// for each invariant the explorer judges, one search per invariant so that
// an earlier breach of another does not hide it. Prints a markdown table
// of both verdicts, both counterexample lengths and both state counts.
template <const model::Spec& S>
void agree_on(const char* config, const Bounds& b) {
  for (Invariant i :
       {Invariant::NoPhantomConnection, Invariant::NoOldDuplicateAccepted, Invariant::IsnUnique,
        Invariant::NoInjectionAccepted, Invariant::NothingLost, Invariant::TimeWaitLasts2Msl,
        Invariant::HandshakeAgreement, Invariant::NoDataOnSyn}) {
    if (i == Invariant::NoInjectionAccepted && b.injections == 0) continue;
    const auto impl = search<S>(b, i);
    const auto table = table::search<S>(b, i);
    const auto v = [](const SearchResult& r) {
      return r.violation ? "violated" : r.complete ? "holds" : "incomplete";
    };
    std::printf("| %s | %s | %s | %s | %s | %zu | %zu | %llu | %llu |\n",
                std::string(S.name()).c_str(), config, std::string(name(i)).c_str(), v(impl),
                v(table), impl.path.size(), table.path.size(),
                static_cast<unsigned long long>(impl.stats.states),
                static_cast<unsigned long long>(table.stats.states));
    EXPECT_EQ(impl.violation.has_value(), table.violation.has_value())
        << S.name() << " on " << config << ": " << name(i);
    // Both shortest: the same length (the README's matrix).
    if (impl.violation && table.violation) {
      EXPECT_EQ(impl.path.size(), table.path.size())
          << S.name() << " on " << config << ": " << name(i);
    }
  }
}

template <const model::Spec& S>
void agree_on_every_config() {
  agree_on<S>("one-in-flight", configs::one_in_flight());
  agree_on<S>("duplicate", configs::duplicate());
  agree_on<S>("attack", configs::attack());
}

template <std::size_t... I>
void agree_for_every_variant(std::index_sequence<I...>) {
  (agree_on_every_config<kVariantSpec<I>>(), ...);
}

TEST(ExploreLong, EverySpecConfigInvariant_BothLevelsAgree) {
  std::printf(
      "| spec | config | invariant | impl | table | impl moves | table moves | "
      "impl states | table states |\n|---|---|---|---|---|---|---|---|---|\n");
  agree_on_every_config<model::kRfc9293>();
  agree_for_every_variant(std::make_index_sequence<model::kVariants.size()>{});
}

}  // namespace
}  // namespace tcpmc::verify::explore
