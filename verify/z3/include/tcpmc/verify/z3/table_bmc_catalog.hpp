// The table level's bounded model checking as properties of `tcpmc prove`
// (issue 9, item 4): for the RFC spec, no run up to the depth bound breaks
// an invariant; for each variant of the explorer's catalog
// (explore/catalog.hpp), Z3 finds the variant's counterexample with
// exactly the length of the explorer's shortest one, and the run replays
// through table::Stepper to that very violation. With --long, the RFC spec
// is also proved at every depth (table_induction.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <tcpmc/model/spec.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/explore/system.hpp>
#include <tcpmc/verify/invariants.hpp>
#include <tcpmc/verify/z3/proof.hpp>

namespace tcpmc::verify::z3 {

// A variant's counterexample is looked for this deep at most (issue 9:
// depth 30, or the table level's diameter if smaller).
inline constexpr unsigned kTableBmcDepth = 30;

// The RFC spec is checked this deep in `tcpmc prove` and in CI: no run of
// up to this many moves breaks any invariant. Short of issue 9's 30 (the
// one-in-flight diameter is 49), because each depth costs Z3 more than the
// one before: depth 5 is done within 2-3 s, depth 10 at 44-66 s in all
// (scripts/bench bmc on a quiet machine; README figures).
inline constexpr unsigned kTableBmcRfcDepth = 5;

// The catalog's cases `tcpmc prove` runs: the RFC spec on one-in-flight,
// and the variants whose shortest counterexample is short enough for Z3
// to reach in seconds (6 moves at most).
std::vector<const explore::VerifyCase*> table_bmc_cases();

// The other six variants (12 to 19 moves on the catalog's bounds, out of
// Z3's reach), each on the smallest bounds found where it still breaks
// the catalog's invariant, config "small": 9 to 17 moves, minutes each.
// `tcpmc prove --long` and scripts/prove-long run them, CI does not.
std::span<const explore::VerifyCase> table_bmc_long_cases();

// The Spec a catalog case names ("RFC 9293", or a variant's name), or
// nullptr.
const model::Spec* table_spec_named(std::string_view name);

// Replays `path` through table::Stepper<spec> judging `only` alone (every
// invariant if nullopt): every move enabled and kept, none breaking the
// invariant but the last, which does. The invariant the last move breaks,
// or nullopt if the run is not such a counterexample.
std::optional<Invariant> table_replay(const model::Spec& spec, const explore::Bounds& bounds,
                                      const std::vector<explore::Move>& path,
                                      std::optional<Invariant> only);

// The properties, in the order `tcpmc prove` prints them: of
// table_bmc_cases(); and for --long, the RFC spec's case of
// table_bmc_cases() proved at every depth (table_induction.hpp: the
// explorer's reachable set, checked by Z3 as an inductive invariant, about
// a minute), then table_bmc_long_cases().
std::vector<Property> table_bmc_properties();
std::vector<Property> table_bmc_long_properties();

}  // namespace tcpmc::verify::z3
