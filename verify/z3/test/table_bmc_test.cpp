// The Z3 rendering of the table level against the explorer's
// (table_bmc.hpp):
//  - differential: from states the explorer reaches, every move, enabled or
//    not, is stepped by both table::Stepper and the Z3 relation, which must
//    agree on whether it is enabled, whether it is discarded, the invariant
//    it breaks and every byte of the successor;
//  - agreement: for each variant of the catalog, bounded model checking
//    finds a counterexample of exactly the explorer's shortest length, for
//    the same invariant, and the run it finds replays through the Stepper
//    to that violation; for the RFC spec it finds none.
#include <gtest/gtest.h>

#include <z3++.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_set>
#include <vector>

#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/explore/specs.hpp>
#include <tcpmc/verify/table/system.hpp>
#include <tcpmc/verify/z3/table_bmc.hpp>
#include <tcpmc/verify/z3/table_bmc_catalog.hpp>

namespace {

namespace ex = tcpmc::verify::explore;
namespace tb = tcpmc::verify::table;
namespace vz = tcpmc::verify::z3;
using tcpmc::verify::Invariant;

std::string bytes_of(const tb::Sys& s) {
  std::string b(sizeof(tb::Sys), '\0');
  std::memcpy(b.data(), &s, sizeof(tb::Sys));
  return b;
}

// Breadth-first, as the explorer searches, keeping every `stride`-th state
// of the first `limit`: a sample of every depth the limit reaches.
template <const tcpmc::model::Spec& S>
std::vector<tb::Sys> reachable_sample(const ex::Bounds& b, std::size_t limit, std::size_t stride) {
  std::vector<tb::Sys> sample;
  std::unordered_set<std::string> seen;
  std::deque<tb::Sys> queue;
  tb::Stepper<S> stepper(b);
  queue.push_back(tb::Stepper<S>::initial(b));
  seen.insert(bytes_of(queue.front()));
  std::vector<ex::Move> moves;
  std::size_t visited = 0;
  while (!queue.empty() && visited < limit) {
    const tb::Sys s = queue.front();
    queue.pop_front();
    if (visited++ % stride == 0) sample.push_back(s);
    stepper.moves(s, moves);
    for (const ex::Move m : moves) {
      tb::Sys t = s;
      const auto v = stepper.apply(t, m);
      if (stepper.invalid() || v) continue;
      if (seen.insert(bytes_of(t)).second) queue.push_back(t);
    }
  }
  return sample;
}

// Every move a state can name: the network moves on each slot the bounds
// allow, time, the users, the attacker.
std::vector<ex::Move> every_move(const ex::Bounds& b) {
  std::vector<ex::Move> all;
  for (std::uint8_t i = 0; i < b.in_flight; ++i) {
    for (ex::Step k : {ex::Step::Deliver, ex::Step::Drop, ex::Step::Duplicate}) all.push_back({k, i});
  }
  for (ex::Step k : {ex::Step::Tick, ex::Step::ClientConnect, ex::Step::ClientSend,
                     ex::Step::ClientClose, ex::Step::ClientAbort, ex::Step::ServerListen,
                     ex::Step::ServerSend, ex::Step::ServerClose, ex::Step::ServerAbort}) {
    all.push_back({k, 0});
  }
  for (std::uint8_t how = 0; how < 4; ++how) all.push_back({ex::Step::Inject, how});
  return all;
}

// The relation's answer for one concrete state and move, read from a
// single evaluation of all its outputs packed into one bit-vector.
struct Answer {
  bool enabled = false;
  bool discarded = false;
  unsigned violation = 0;
  tb::Sys next;
};

class ConcreteStepper {
 public:
  ConcreteStepper(const tcpmc::model::Spec& spec, const ex::Bounds& b)
      : rel_(c_, spec, b, std::nullopt), state_(rel_.fresh("x")), kind_(c_.bv_const("kind", 8)),
        index_(c_.bv_const("index", 8)), packed_(c_) {
    const vz::SymbolicStep st = rel_.step(state_, kind_, index_);
    ::z3::expr_vector parts(c_);
    parts.push_back(::z3::ite(st.enabled, c_.bv_val(1, 8), c_.bv_val(0, 8)));
    parts.push_back(::z3::ite(st.discarded, c_.bv_val(1, 8), c_.bv_val(0, 8)));
    parts.push_back(st.violation);
    for (const auto& byte : st.next) parts.push_back(byte);
    packed_ = ::z3::concat(parts);
  }

  Answer step(const tb::Sys& s, ex::Move m) {
    ::z3::model model(c_);
    vz::SymbolicSys value = rel_.constant(s);
    const auto give = [&](const ::z3::expr& constant, ::z3::expr v) {
      ::z3::func_decl d = constant.decl();
      model.add_const_interp(d, v);
    };
    for (std::size_t i = 0; i < state_.size(); ++i) give(state_[i], value[i]);
    give(kind_, c_.bv_val(static_cast<unsigned>(m.step), 8));
    give(index_, c_.bv_val(unsigned{m.index}, 8));
    const ::z3::expr v = model.eval(packed_, true);
    const unsigned width = v.get_sort().bv_size();
    std::string bits = Z3_get_numeral_binary_string(c_, v);
    bits.insert(0, width - bits.size(), '0');
    std::vector<unsigned char> bytes(width / 8);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      bytes[i] = static_cast<unsigned char>(std::stoul(bits.substr(8 * i, 8), nullptr, 2));
    }
    Answer a;
    a.enabled = bytes[0] != 0;
    a.discarded = bytes[1] != 0;
    a.violation = bytes[2];
    std::memcpy(&a.next, bytes.data() + 3, sizeof(tb::Sys));
    return a;
  }

  tb::Sys initial() {
    const vz::SymbolicSys s = rel_.initial();
    ::z3::model empty(c_);
    return rel_.concrete(empty, s);
  }

 private:
  ::z3::context c_;
  vz::TableRelation rel_;
  vz::SymbolicSys state_;
  ::z3::expr kind_;
  ::z3::expr index_;
  ::z3::expr packed_;
};

std::string first_difference(const tb::Sys& a, const tb::Sys& b) {
  const std::string x = bytes_of(a), y = bytes_of(b);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] != y[i]) {
      return "byte " + std::to_string(i) + ": stepper " +
             std::to_string(static_cast<unsigned char>(x[i])) + ", z3 " +
             std::to_string(static_cast<unsigned char>(y[i]));
    }
  }
  return "none";
}

struct Compared {
  std::size_t pairs = 0;       // (state, move) pairs, enabled or not
  std::size_t successors = 0;  // of them, moves both step to a kept successor
  std::size_t changed = 0;     // of those, successors that differ from the state
};

template <const tcpmc::model::Spec& S>
Compared expect_same_steps(const ex::Bounds& b, std::size_t limit, std::size_t stride) {
  ConcreteStepper z3_step(S, b);
  EXPECT_EQ(bytes_of(z3_step.initial()), bytes_of(tb::Stepper<S>::initial(b)))
      << S.name() << " initial state, first difference at " +
             first_difference(tb::Stepper<S>::initial(b), z3_step.initial());
  tb::Stepper<S> stepper(b);
  std::vector<ex::Move> listed;
  Compared compared;
  int failures = 0;
  for (const tb::Sys& s : reachable_sample<S>(b, limit, stride)) {
    stepper.moves(s, listed);
    for (const ex::Move m : every_move(b)) {
      const bool enabled = std::find(listed.begin(), listed.end(), m) != listed.end();
      const Answer a = z3_step.step(s, m);
      ++compared.pairs;
      const std::string where = std::string(S.name()) + ", move " +
                                std::to_string(static_cast<int>(m.step)) + "/" +
                                std::to_string(m.index) + " from state with elapsed " +
                                std::to_string(s.elapsed);
      EXPECT_EQ(a.enabled, enabled) << where;
      if (!enabled || !a.enabled) continue;
      tb::Sys t = s;
      const auto v = stepper.apply(t, m);
      EXPECT_EQ(a.discarded, stepper.invalid()) << where;
      if (stepper.invalid()) continue;
      EXPECT_EQ(a.violation, v ? static_cast<unsigned>(v->invariant) + 1 : 0U) << where;
      ++compared.successors;
      if (bytes_of(t) != bytes_of(s)) ++compared.changed;
      const bool same = bytes_of(a.next) == bytes_of(t);
      EXPECT_TRUE(same) << where << ": first difference at " << first_difference(t, a.next);
      if (!same && ++failures > 5) return compared;
    }
  }
  return compared;
}

// The RFC spec where a loss, a duplicate, a reconnect and TIME-WAIT
// happen; then two variants whose policies take the other branches of the
// rendering (an ISN of zero against an attacker; data on a SYN, delivered).
TEST(TableBmcDifferential, RfcOneInFlight) {
  const Compared c =
      expect_same_steps<tcpmc::model::kRfc9293>(ex::configs::one_in_flight(), 4000, 50);
  EXPECT_GT(c.changed, 50U) << c.pairs << " pairs, " << c.successors << " successors";
}

TEST(TableBmcDifferential, RfcUnderAttack) {
  const Compared c = expect_same_steps<tcpmc::model::kRfc9293>(ex::configs::attack(), 4000, 50);
  EXPECT_GT(c.changed, 50U) << c.pairs << " pairs, " << c.successors << " successors";
}

TEST(TableBmcDifferential, FixedIsnUnderAttack) {
  const Compared c = expect_same_steps<ex::specs::fixed_isn()>(ex::configs::attack(), 4000, 50);
  EXPECT_GT(c.changed, 50U) << c.pairs << " pairs, " << c.successors << " successors";
}

TEST(TableBmcDifferential, DataOnSynWithDuplicates) {
  const Compared c = expect_same_steps<ex::specs::data_on_syn()>(ex::configs::duplicate(), 4000, 50);
  EXPECT_GT(c.changed, 50U) << c.pairs << " pairs, " << c.successors << " successors";
}

// What a comparison of two numbers can learn from their difference on a
// circle of `bits` bits: the difference itself while it is small (equal,
// before or after, inside a window of up to 255), only its side when it is
// large.
int what_a_comparison_sees(std::uint32_t a, std::uint32_t b, unsigned bits) {
  const std::uint64_t circle = std::uint64_t{1} << bits;
  const std::uint64_t d = (std::uint64_t{a} + circle - b) & (circle - 1);
  const std::int64_t v =
      d < circle / 2 ? static_cast<std::int64_t>(d) : static_cast<std::int64_t>(d) -
                                                          static_cast<std::int64_t>(circle);
  constexpr std::int64_t kSmall = 1024, kLarge = 1 << 20;
  if (v > -kSmall && v < kSmall) return static_cast<int>(v);
  return v > 0 ? kLarge : -kLarge;
}

// The relation's narrower numbers answer every comparison the classifier
// makes as table::number's do: every tag (the miss too), offsets at both
// ends and between, each moved by what the classifier adds (a length, a
// window, the SYN and FIN, the send window it subtracts).
TEST(TableBmcNumbers, NarrowImageComparesAsTheThirtyTwoBitOne) {
  struct Number {
    std::uint32_t wide, narrow;
  };
  std::vector<Number> numbers;
  for (unsigned tag = 0; tag <= 255; ++tag) {
    for (const unsigned off : {0U, 1U, 128U, 255U}) {
      const auto t = static_cast<std::uint8_t>(tag), o = static_cast<std::uint8_t>(off);
      numbers.push_back({tb::number(t, o).raw(), vz::NarrowNumber::image(t, o)});
    }
  }
  const std::int32_t moved_by[] = {-3, 0, 1, 256, 511};
  int mismatches = 0;
  for (const Number& a : numbers) {
    for (const Number& b : numbers) {
      for (const std::int32_t da : moved_by) {
        for (const std::int32_t db : moved_by) {
          const auto move = [](std::uint32_t x, std::int32_t d) {
            return x + static_cast<std::uint32_t>(d);
          };
          const int wide = what_a_comparison_sees(move(a.wide, da), move(b.wide, db), 32);
          const int narrow = what_a_comparison_sees(move(a.narrow, da), move(b.narrow, db),
                                                    vz::NarrowNumber::kBits);
          if (wide != narrow && ++mismatches <= 5) {
            ADD_FAILURE() << a.wide << "+" << da << " against " << b.wide << "+" << db
                          << ": 32 bits see " << wide << ", " << vz::NarrowNumber::kBits
                          << " bits see " << narrow;
          }
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Each variant `tcpmc prove` runs: Z3's first satisfiable depth is the
// explorer's shortest counterexample, for the same invariant, and Z3's
// run replays through the Stepper to that violation. (The variants whose
// counterexamples are 12 to 19 moves long take Z3 minutes; README.)
TEST(TableBmcAgreement, VariantsAtTheExplorersLength) {
  int variants = 0;
  for (const ex::VerifyCase* vc : vz::table_bmc_cases()) {
    if (!vc->expected) continue;
    ++variants;
    const tcpmc::model::Spec* spec = vz::table_spec_named(vc->spec);
    ASSERT_NE(spec, nullptr) << vc->spec;
    const auto t0 = std::chrono::steady_clock::now();
    const vz::BmcResult r = vz::bmc(*spec, vc->bounds, vc->expected, vz::kTableBmcDepth);
    const double z3_seconds = seconds_since(t0);
    const ex::SearchResult shortest = vc->search_table();
    std::cout << vc->spec << " / " << vc->config << ": Z3 " << r.path.size() << " moves in "
              << z3_seconds << " s, explorer " << shortest.path.size() << " moves\n";
    ASSERT_TRUE(r.violated.has_value()) << vc->spec << ": none up to depth " << r.depth;
    EXPECT_EQ(*r.violated, *vc->expected) << vc->spec;
    ASSERT_TRUE(shortest.violation.has_value()) << vc->spec;
    EXPECT_EQ(r.path.size(), shortest.path.size()) << vc->spec << " / " << vc->config;
    EXPECT_EQ(vz::table_replay(*spec, vc->bounds, r.path, vc->expected), vc->expected)
        << vc->spec;
  }
  EXPECT_GE(variants, 3);
}

// The RFC spec: nothing breaks within the bound, and the explorer agrees
// that nothing breaks at all.
TEST(TableBmcAgreement, RfcHoldsToTheBound) {
  const auto t0 = std::chrono::steady_clock::now();
  const vz::BmcResult r = vz::bmc(tcpmc::model::kRfc9293, ex::configs::one_in_flight(),
                                  std::nullopt, vz::kTableBmcRfcDepth);
  std::cout << "RFC 9293 / one-in-flight: no violation to depth " << r.depth << " in "
            << seconds_since(t0) << " s\n";
  EXPECT_FALSE(r.violated.has_value());
  EXPECT_FALSE(r.gave_up) << r.reason;
  EXPECT_EQ(r.depth, vz::kTableBmcRfcDepth);
}

}  // namespace

namespace {

// k-induction's base case is BMC: on a variant it stops at the run that
// breaks the invariant, one move longer than the k it was trying, and
// proves nothing.
TEST(TableKInduction, BaseCaseStopsAtTheVariantsCounterexample) {
  const ex::VerifyCase* predictable = nullptr;
  for (const ex::VerifyCase* vc : vz::table_bmc_cases()) {
    if (vc->spec == "predictable ISN") predictable = vc;
  }
  ASSERT_NE(predictable, nullptr);
  const tcpmc::model::Spec* spec = vz::table_spec_named(predictable->spec);
  ASSERT_NE(spec, nullptr);
  const vz::InductionResult r =
      vz::k_induction(*spec, predictable->bounds, *predictable->expected, 5);
  EXPECT_FALSE(r.proved_at.has_value());
  EXPECT_EQ(r.tried, 2U);
  EXPECT_EQ(r.why_not, "a run of 3 moves breaks it");
}

// The long cases (`tcpmc prove --long`, scripts/prove-long) on their small
// bounds: six variants, none of them a row `tcpmc prove` runs by default,
// each refuted there by the explorer at the table level with the catalog's
// invariant, in the number of moves the long runs expect Z3 to match. The
// explorer takes milliseconds on these bounds, so CI checks them.
TEST(TableBmcLongCases, EachBreaksItsInvariantOnItsSmallBounds) {
  const std::pair<std::string_view, std::size_t> kLength[] = {
      {"no TIME-WAIT", 13}, {"TIME-WAIT yields to RST", 13}, {"three-way close", 17},
      {"short TIME-WAIT", 14}, {"data on SYN", 10}, {"fixed ISN", 9}};
  const auto cases = vz::table_bmc_long_cases();
  ASSERT_EQ(cases.size(), std::size(kLength));
  std::set<std::string_view> seen;
  for (const ex::VerifyCase& vc : cases) {
    SCOPED_TRACE(std::string(vc.spec));
    ASSERT_TRUE(vc.expected.has_value());
    EXPECT_TRUE(seen.insert(vc.spec).second);
    EXPECT_EQ(vc.config, "small");
    for (const ex::VerifyCase* quick : vz::table_bmc_cases()) {
      EXPECT_FALSE(quick->spec == vc.spec && quick->expected == vc.expected);
    }
    const ex::SearchResult r = vc.search_table();
    ASSERT_TRUE(r.violation.has_value());
    EXPECT_EQ(r.violation->invariant, *vc.expected);
    std::size_t length = 0;
    for (const auto& [spec, moves] : kLength) length = spec == vc.spec ? moves : length;
    EXPECT_EQ(r.path.size(), length);
  }
}

}  // namespace
