// The table level (verify/table/system.hpp) as a Z3 transition relation,
// and bounded model checking and k-induction over it (issue 9, item 4).
//
// A third rendering of table::Stepper, after the C++ one the explorer runs
// and the Promela one SPIN runs (table/promela.hpp), written by hand
// function for function in the same order, so that a disagreement between
// them is a bug in one of them: the differential test
// (test/table_bmc_test.cpp) steps both from the explorer's reachable
// states, move by move, and compares every field of the successor and the
// verdict. Like the proofs (proof.hpp), nothing here reads a clock or
// prints: `tcpmc prove` and the benchmarks time the runs.
//
// The state is Sys's bytes, one 8-bit vector per byte: Sys has no padding
// and every field is a byte (system.hpp checks both), so a concrete state
// converts both ways by memcpy, and a field is found by its offsetof. The
// Spec is read when the relation is built, as promela.hpp reads it when it
// writes its model: each firing of a table row becomes, per Act, "perform
// this act if the row that fires has it", so the relation grows with the
// number of acts, not rows. The classifier is model/classify.hpp's
// decision list rewritten as if-then-else over the engine's own rule
// templates (model/rules.hpp) instantiated with SeqExpr, on an image of
// the abstract numbers that answers every comparison as table::number's
// does, in fewer bits (NarrowNumber).
//
// A move is the explorer's Move: a step kind and an index, both symbolic;
// the relation says whether it is enabled (Stepper::moves), whether the
// explorer would discard it (Stepper::invalid), the first invariant it
// breaks under Stepper::judge_only's rule, and the successor, with the
// network sorted as the explorer sorts it, so that states correspond one
// to one.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tcpmc/model/spec.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/system.hpp>
#include <tcpmc/verify/invariants.hpp>
#include <tcpmc/verify/table/system.hpp>

namespace tcpmc::verify::z3 {

// One table-level state: an 8-bit vector per byte of table::Sys.
using SymbolicSys = std::vector<::z3::expr>;

// Where the relation's classifier puts an abstract number (tag, offset).
// table::number puts it on a 32-bit circle, tags 2^20 apart; bit-blasted,
// every 32-bit difference the classifier takes is a 32-bit subtractor, a
// large share of each step's clauses. This is the same layout on a 21-bit
// circle: tags 2^11 apart, all within a quarter of the circle, and a miss
// as far from them on both sides as on the 32-bit one. The classifier
// compares numbers moved by at most a segment's length or a window (an
// octet each) and a few units: equal, before or after, inside a window of
// at most 255. Such differences are below 2^10 within a tag, at least
// 2^11 - 2^10 across tags and half the circle away from a miss on both
// circles, so both circles give every comparison the same answer, for
// every byte a tag or an offset can hold, reachable or not (checked number
// by number in table_bmc_test.cpp). It saves a tenth of BMC's time to
// depth 10 and a twentieth of the induction proof's: a constant factor,
// where BMC's cost grows with each depth (README).
struct NarrowNumber {
  static constexpr unsigned kBits = 21;
  static constexpr unsigned kTagShift = 11;
  static constexpr std::uint32_t kMiss = (1U << 20) + (1U << 19) + (1U << 18);

  static constexpr std::uint32_t image(std::uint8_t tag, std::uint8_t off) {
    return (tag == table::kMissTag ? kMiss : std::uint32_t{tag} << kTagShift) + off;
  }
};

// What one move does, as formulas over the state and the move.
struct SymbolicStep {
  ::z3::expr enabled;    // Stepper::moves lists the move
  ::z3::expr discarded;  // Stepper::invalid() after applying it
  ::z3::expr violation;  // 8 bits: 0, or 1 + the first Invariant the move breaks
  SymbolicSys next;      // the successor (meaningless unless enabled and not discarded)
};

class TableRelation {
 public:
  // `only`: judge this invariant alone, as Stepper::judge_only does.
  TableRelation(::z3::context& ctx, const model::Spec& spec, const explore::Bounds& bounds,
                std::optional<Invariant> only);

  ::z3::context& ctx() const { return ctx_; }
  const explore::Bounds& bounds() const { return bounds_; }

  // Stepper::initial, rendered like the moves.
  SymbolicSys initial() const;
  SymbolicSys constant(const table::Sys& s) const;
  SymbolicSys fresh(const std::string& prefix) const;
  // The concrete state `s` denotes in `m` (every byte evaluated).
  table::Sys concrete(const ::z3::model& m, const SymbolicSys& s) const;
  ::z3::expr equal(const SymbolicSys& a, const SymbolicSys& b) const;

  // The move as two 8-bit vectors: its Step and its index.
  SymbolicStep step(const SymbolicSys& s, const ::z3::expr& kind, const ::z3::expr& index) const;

 private:
  ::z3::context& ctx_;
  const model::Spec& spec_;
  explore::Bounds bounds_;
  std::optional<Invariant> only_;
};

// A move in a few words, as `tcpmc prove` lists a run: "deliver 0", "tick",
// "client connect", "inject 3".
std::string move_text(explore::Move m);

// A state in a few words, as the proofs name the state a move starts from:
// "client ESTABLISHED, server SYN-RECEIVED, 1 in flight, elapsed 3". A
// state Z3 chose freely may hold a state byte that names no state; it is
// shown as that byte.
std::string state_text(const table::Sys& s);

// --- Bounded model checking ------------------------------------------------------

struct BmcResult {
  // The first depth (number of moves) at which a run breaks the invariant,
  // and that run; nullopt if none does up to `depth`.
  std::optional<Invariant> violated;
  std::vector<explore::Move> path;
  unsigned depth = 0;         // the depth reached: the counterexample's length, or the bound
  bool gave_up = false;       // Z3 answered unknown (timeout); `reason` says why
  std::string reason;
};

// Is there a run of k moves from the initial state whose last move breaks
// `only` (every invariant, the first one failing, if nullopt), for k = 1,
// 2, ..., max_depth? One solver, the transitions asserted as the depth
// grows and the target asked under an assumption, so the first satisfiable
// depth is the shortest counterexample, as the explorer's breadth-first
// search gives it. `timeout_ms` bounds each depth's check (0: none).
// `keep_going`, if given, is called after each depth found no violation,
// with that depth; returning false stops there (a benchmark's time budget:
// the caller keeps the clock).
BmcResult bmc(const model::Spec& spec, const explore::Bounds& bounds,
              std::optional<Invariant> only, unsigned max_depth, unsigned timeout_ms = 0,
              const std::function<bool(unsigned)>& keep_going = {});

// --- k-induction -----------------------------------------------------------------
//
// Without a strengthening invariant: its step case starts anywhere, and
// fails on unreachable states (README). With the reachable set as the
// strengthening invariant, induction at one step succeeds:
// table_induction.hpp.

struct InductionResult {
  // The smallest k at which the inductive step holds (no run of k moves
  // that keeps the invariant through k states, along distinct states, can
  // break it with the next move), together with the base case to k; nullopt
  // if none up to the bound.
  std::optional<unsigned> proved_at;
  unsigned tried = 0;  // the largest k tried
  // Why not, if not: a base-case counterexample, or the step case's
  // counterexample at the largest k (its first state, summarized).
  std::string why_not;
};

InductionResult k_induction(const model::Spec& spec, const explore::Bounds& bounds,
                            Invariant invariant, unsigned max_k, unsigned timeout_ms = 0);

}  // namespace tcpmc::verify::z3
