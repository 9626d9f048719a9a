// Induction on an explicit invariant: Z3 checks that a set of table-level
// states is closed under the Z3 transition relation (table_bmc.hpp) and
// that no move from it breaks an invariant (issue 9, item 4: proving for
// all depths what BMC checks to a bound).
//
// Plain k-induction fails on the table level (table_bmc.hpp's
// k_induction): its step case starts from any assignment of Sys's bytes,
// most of them unreachable, and some of those break an invariant within
// any k moves. It needs a strengthening invariant, and the strongest one
// is the set of reachable states itself, which the explorer computes. So
// the explorer proposes the set and Z3 judges it, as a certificate:
//
//   1. the initial state is in the set;
//   2. no enabled, kept move from a state of the set breaks an invariant;
//   3. every such move leads back into the set.
//
// If all three hold, no run of any length breaks an invariant: by
// induction on the run, every state it passes is in the set. The
// explorer is only trusted to propose. A state missing from the set, a
// successor the explorer computed wrongly, a violation it did not see:
// each makes check 2 or 3 satisfiable, and Z3 names the state it starts
// from. What is trusted is the relation, held to table::Stepper move by
// move by the differential test.
//
// The set is given to Z3 as a decision diagram over Sys's bytes (each
// node tests one byte against the values its edges carry), built once and
// rendered twice: over the state and over its successor. Bytes are tested
// in order of how many values they take in the set, fewest first, which
// keeps the diagram small (on one-in-flight, 24,461 nodes for 132,190
// states, against 821,575 in the struct's order).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include <tcpmc/model/spec.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/table/system.hpp>

namespace tcpmc::verify::z3 {

struct SetInductionResult {
  bool proved = false;         // checks 1 to 3 hold: every invariant holds at every depth
  std::size_t states = 0;      // distinct states in the set
  std::size_t diagram_nodes = 0;
  unsigned checks = 0;         // Z3 checks made (a move kind, an index, a part of the set)
  // If not proved: which check failed, and for check 2 or 3 the state of
  // the set the move starts from.
  std::string why_not;
  std::optional<table::Sys> from;
};

// Checks 1 to 3 for `set` under `spec` and `bounds`, judging every
// invariant. `timeout_ms` bounds each Z3 check (0: none); a timeout is not
// a proof (why_not says so).
SetInductionResult prove_set_inductive(const model::Spec& spec, const explore::Bounds& bounds,
                                       std::span<const table::Sys> set,
                                       unsigned timeout_ms = 0);

}  // namespace tcpmc::verify::z3
