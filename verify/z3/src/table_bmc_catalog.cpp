// The table level's BMC properties of `tcpmc prove` (table_bmc_catalog.hpp).
//
// Each variant's run is held to the explorer twice: its length must be the
// explorer's shortest (table::search, breadth-first), and the moves Z3
// chose must replay through table::Stepper, with the invariant judged
// alone as the explorer judges it, to the very violation. Either failing
// is not the expected verdict, with the reason said.
#include <tcpmc/verify/z3/table_bmc_catalog.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <deque>
#include <stdexcept>
#include <string>
#include <utility>

#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/explore/specs.hpp>
#include <tcpmc/verify/table/level.hpp>
#include <tcpmc/verify/table/system.hpp>
#include <tcpmc/verify/z3/table_bmc.hpp>
#include <tcpmc/verify/z3/table_induction.hpp>

namespace tcpmc::verify::z3 {
namespace {

struct SpecEntry {
  const model::Spec* spec;
  std::optional<Invariant> (*replay)(const explore::Bounds&, const std::vector<explore::Move>&,
                                     std::optional<Invariant>);
};

template <std::size_t... I>
constexpr std::array<SpecEntry, 1 + sizeof...(I)> spec_entries(std::index_sequence<I...>) {
  return {{{&model::kRfc9293, &explore::replay_to_violation<table::TableModel<model::kRfc9293>>},
           {&explore::kVariantSpec<I>,
            &explore::replay_to_violation<table::TableModel<explore::kVariantSpec<I>>>}...}};
}

const auto& specs() {
  static constexpr auto all =
      spec_entries(std::make_index_sequence<model::kVariants.size()>{});
  return all;
}

const SpecEntry* entry(const model::Spec& spec) {
  for (const SpecEntry& e : specs()) {
    if (e.spec == &spec) return &e;
  }
  return nullptr;
}

// Property names and statements are views: their text lives here.
std::string_view keep(std::string text) {
  static std::deque<std::string> kept;
  return kept.emplace_back(std::move(text));
}

Outcome unknown(std::string reason) {
  Outcome o;
  o.verdict = Verdict::Unknown;
  o.reason = std::move(reason);
  return o;
}

// Z3's limit on one check, for the table rows. One check is a whole depth,
// and the deepest here takes a few seconds alone: under a sanitizer on a
// shared machine that can pass the proofs' 10 s, so these rows allow at
// least 60 s. The long rows' deepest checks take minutes (README figures):
// they allow at least half an hour. 0 stays "no limit".
constexpr unsigned kBmcCheckTimeoutMs = 60'000;
constexpr unsigned kLongBmcCheckTimeoutMs = 30 * 60'000;
unsigned check_timeout(unsigned ms, unsigned at_least) {
  return ms == 0 ? 0 : std::max(ms, at_least);
}

// The RFC spec: no run of at most kTableBmcRfcDepth moves breaks any
// invariant.
Outcome rfc_bounded(const explore::VerifyCase& vc, unsigned timeout_ms) {
  const BmcResult r = bmc(model::kRfc9293, vc.bounds, std::nullopt, kTableBmcRfcDepth, timeout_ms);
  if (r.gave_up) return unknown("Z3 at depth " + std::to_string(r.depth) + ": " + r.reason);
  Outcome o;
  o.depth = r.depth;
  if (!r.violated) {
    o.verdict = Verdict::Bounded;
    return o;
  }
  o.verdict = Verdict::Counterexample;
  o.failed_claims = {std::string(name(*r.violated))};
  o.run = vc.narrate_table(vc.bounds, r.path);
  for (const explore::Move m : r.path) o.moves.push_back(move_text(m));
  return o;
}

Outcome variant_counterexample(const explore::VerifyCase& vc, const model::Spec& spec,
                               unsigned timeout_ms) {
  const BmcResult r = bmc(spec, vc.bounds, vc.expected, kTableBmcDepth, timeout_ms);
  if (r.gave_up) return unknown("Z3 at depth " + std::to_string(r.depth) + ": " + r.reason);
  if (!r.violated) {
    Outcome o;
    o.verdict = Verdict::Bounded;
    o.depth = r.depth;
    return o;
  }
  const SpecEntry* e = entry(spec);
  if (e == nullptr || e->replay(vc.bounds, r.path, vc.expected) != vc.expected) {
    return unknown("the run Z3 found does not replay through table::Stepper to " +
                   std::string(name(*vc.expected)));
  }
  const explore::SearchResult shortest = vc.search_table();
  if (!shortest.violation) return unknown("the explorer found no counterexample");
  if (shortest.path.size() != r.path.size()) {
    return unknown("Z3's counterexample has " + std::to_string(r.path.size()) +
                   " moves, the explorer's shortest " + std::to_string(shortest.path.size()));
  }
  Outcome o;
  o.verdict = Verdict::Counterexample;
  o.depth = static_cast<unsigned>(r.path.size());
  o.failed_claims = {std::string(name(*r.violated))};
  o.values = {{"moves (Z3)", std::to_string(r.path.size())},
              {"moves (explorer's shortest)", std::to_string(shortest.path.size())}};
  o.run = vc.narrate_table(vc.bounds, r.path);
  explore::mark_not_checked(o.run, name(*vc.expected));
  for (const explore::Move m : r.path) o.moves.push_back(move_text(m));
  return o;
}

}  // namespace

const model::Spec* table_spec_named(std::string_view name) {
  for (const SpecEntry& e : specs()) {
    if (e.spec->name() == name) return e.spec;
  }
  return nullptr;
}

std::optional<Invariant> table_replay(const model::Spec& spec, const explore::Bounds& bounds,
                                      const std::vector<explore::Move>& path,
                                      std::optional<Invariant> only) {
  const SpecEntry* e = entry(spec);
  return e == nullptr ? std::nullopt : e->replay(bounds, path, only);
}

std::vector<const explore::VerifyCase*> table_bmc_cases() {
  struct Pick {
    std::string_view spec;
    std::string_view config;
  };
  static constexpr Pick kPicked[] = {{"RFC 9293", "one-in-flight"},
                                     {"two-way handshake", "reconnect"},
                                     {"fixed ISN", "attack"},
                                     {"predictable ISN", "attack"}};
  std::vector<const explore::VerifyCase*> cases;
  for (const explore::VerifyCase& vc : explore::verify_cases()) {
    for (const Pick& p : kPicked) {
      if (vc.spec == p.spec && vc.config == p.config) cases.push_back(&vc);
    }
  }
  return cases;
}

namespace {

// The catalog's case (spec, config) on `bounds` instead, as config "small".
explore::VerifyCase on_small_bounds(std::string_view spec, std::string_view config,
                                    const explore::Bounds& bounds) {
  for (const explore::VerifyCase& vc : explore::verify_cases()) {
    if (vc.spec == spec && vc.config == config) {
      explore::VerifyCase small = vc;
      small.config = "small";
      small.bounds = bounds;
      return small;
    }
  }
  throw std::logic_error("no catalog case " + std::string(spec) + ", " + std::string(config));
}

// One segment in flight, one loss, no duplicate, 4 ticks, no byte, no
// reconnect: enough for a close whose last ACK is lost.
constexpr explore::Bounds kLossyClose = {.in_flight = 1,
                                         .losses = 1,
                                         .duplicates = 0,
                                         .msl = 2,
                                         .ticks = 4,
                                         .bytes = 0,
                                         .reconnects = 0};

std::vector<explore::VerifyCase> make_long_cases() {
  explore::Bounds rst = kLossyClose;  // a tick more, and the attacker's one RST
  rst.ticks = 5;
  rst.injections = 1;
  explore::Bounds byte = kLossyClose;  // no loss at all, and a byte to send
  byte.losses = 0;
  byte.bytes = 1;
  // Short TIME-WAIT, data on SYN and fixed ISN's reconnect case break only
  // with two segments in flight. Their bounds are the smallest found by
  // searching the table level on a grid (in-flight 1-2, MSL 1-2, losses,
  // duplicates, bytes, reconnects and aborts 0-1, 1-6 ticks, no attacker,
  // whose own byte would stand in for the old duplicate) for the shortest
  // counterexample, then the fewest states.
  explore::Bounds two = kLossyClose;  // two in flight, 2 ticks
  two.in_flight = 2;
  two.ticks = 2;
  explore::Bounds syn_byte = two;  // a tick more, and a byte to send
  syn_byte.ticks = 3;
  syn_byte.bytes = 1;
  explore::Bounds reopen = two;  // one tick, no loss; a byte, a reconnect, an abort
  reopen.ticks = 1;
  reopen.losses = 0;
  reopen.bytes = 1;
  reopen.reconnects = 1;
  reopen.aborts = 1;
  return {
      // The final ACK lost, the FIN's retransmission finds no TIME-WAIT
      // (13 moves).
      on_small_bounds("no TIME-WAIT", "one-in-flight", kLossyClose),
      // The same, and TIME-WAIT obeys the attacker's RST (13 moves).
      on_small_bounds("TIME-WAIT yields to RST", "attack", rst),
      // The passive closer's FIN+ACK discards its unsent byte (17 moves).
      on_small_bounds("three-way close", "one-in-flight", byte),
      // TIME-WAIT of 1MSL ends before the peer's FIN, retransmitted after
      // the last ACK was lost, arrives and is answered with a reset (14).
      on_small_bounds("short TIME-WAIT", "attack", two),
      // A SYN's byte delivered, the server reset back to LISTEN, and the
      // byte delivered again from the SYN's old duplicate (10 moves).
      on_small_bounds("data on SYN", "duplicate", syn_byte),
      // The client aborts its first connection; that connection's SYN,
      // still in flight, opens the server, and the second incarnation,
      // which chose the same ISN, completes that handshake and has its
      // byte delivered as the first's (9 moves).
      on_small_bounds("fixed ISN", "reconnect", reopen),
  };
}

Property variant_property(const explore::VerifyCase& vc, const model::Spec& spec,
                          unsigned check_at_least_ms) {
  const std::string premises =
      "table level, " + std::string(vc.config) + ": " + vc.bounds.describe();
  return {keep("table.bmc." + explore::variant_slug(vc.spec) + "." + std::string(vc.config)),
          keep("Z3 breaks " + std::string(name(*vc.expected)) +
               " in as many moves as the explorer's shortest counterexample"),
          keep(premises), keep(std::string(vc.question)), Verdict::Counterexample,
          [&vc, &spec, check_at_least_ms](unsigned ms) {
            return variant_counterexample(vc, spec, check_timeout(ms, check_at_least_ms));
          }};
}

// The RFC spec at every depth: the explorer's reachable set, checked by
// Z3 to be an inductive invariant that implies every invariant.
Property rfc_inductive(const explore::VerifyCase& vc) {
  const std::string premises =
      "table level, " + std::string(vc.config) + ": " + vc.bounds.describe();
  return {keep("table.induction.rfc." + std::string(vc.config)),
          keep("no run of the RFC table level breaks any invariant, at any depth: the "
               "explorer's reachable states are closed under Z3's relation"),
          keep(premises), "RFC 9293 (the table)", Verdict::Proved,
          [&vc](unsigned ms) {
            const auto states = table::reachable_states<model::kRfc9293>(vc.bounds);
            const SetInductionResult r =
                prove_set_inductive(model::kRfc9293, vc.bounds, states,
                                    check_timeout(ms, kLongBmcCheckTimeoutMs));
            if (!r.proved) return unknown("not an inductive invariant: " + r.why_not);
            Outcome o;
            o.verdict = Verdict::Proved;
            o.values = {{"states in the set", std::to_string(r.states)},
                        {"decision diagram nodes", std::to_string(r.diagram_nodes)},
                        {"Z3 checks", std::to_string(r.checks)}};
            return o;
          }};
}

}  // namespace

std::span<const explore::VerifyCase> table_bmc_long_cases() {
  static const std::vector<explore::VerifyCase> cases = make_long_cases();
  return cases;
}

std::vector<Property> table_bmc_long_properties() {
  std::vector<Property> all;
  for (const explore::VerifyCase* vc : table_bmc_cases()) {
    if (!vc->expected) all.push_back(rfc_inductive(*vc));
  }
  for (const explore::VerifyCase& vc : table_bmc_long_cases()) {
    if (const model::Spec* spec = table_spec_named(vc.spec)) {
      all.push_back(variant_property(vc, *spec, kLongBmcCheckTimeoutMs));
    }
  }
  return all;
}

std::vector<Property> table_bmc_properties() {
  std::vector<Property> all;
  for (const explore::VerifyCase* c : table_bmc_cases()) {
    const explore::VerifyCase& vc = *c;
    const model::Spec* spec = table_spec_named(vc.spec);
    if (spec == nullptr) continue;
    const std::string premises =
        "table level, " + std::string(vc.config) + ": " + vc.bounds.describe();
    if (!vc.expected) {
      all.push_back({keep("table.bmc.rfc." + std::string(vc.config)),
                     keep("no run of the RFC table level breaks any invariant, up to " +
                          std::to_string(kTableBmcRfcDepth) + " moves"),
                     keep(premises), "RFC 9293 (the table)", Verdict::Bounded,
                     [&vc](unsigned ms) {
                       return rfc_bounded(vc, check_timeout(ms, kBmcCheckTimeoutMs));
                     }});
      continue;
    }
    all.push_back(variant_property(vc, *spec, kBmcCheckTimeoutMs));
  }
  return all;
}

}  // namespace tcpmc::verify::z3
