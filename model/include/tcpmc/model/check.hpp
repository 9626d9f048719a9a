// Checks every specification must pass: the table is deterministic and
// complete, every state is reachable from CLOSED, CLOSED is reachable from
// every state, and every row names its source. They are constexpr so that
// table.hpp can static_assert them, and they return the offending cell so
// that the GoogleTest and `tcpmc verify` versions can say what is wrong.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include <tcpmc/model/spec.hpp>

namespace tcpmc::model {

enum class CheckId : std::uint8_t {
  Deterministic,
  Complete,
  ReachableFromClosed,
  ReachesClosed,
  RowsCiteSource,
};

inline constexpr std::size_t kCheckCount = 5;

inline constexpr std::array<std::string_view, kCheckCount> kCheckNames = {
    "deterministic: no two rows fire for the same state, event and guard",
    "complete: every state x event has a row, an explicit ignore included",
    "every state is reachable from CLOSED",
    "CLOSED is reachable from every state",
    "every row cites its RFC section",
};

constexpr std::string_view describe(CheckId c) {
  return kCheckNames[static_cast<std::size_t>(c)];
}

struct CheckResult {
  static constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);

  static constexpr CheckResult pass(CheckId id) { return CheckResult{id}; }
  static constexpr CheckResult fail(CheckId id, State s, Event e, std::size_t a, std::size_t b,
                                    std::string_view problem) {
    CheckResult r{id};
    r.ok = false;
    r.state = s;
    r.event = e;
    r.row_a = a;
    r.row_b = b;
    r.problem = problem;
    return r;
  }

  constexpr explicit CheckResult(CheckId check) : id(check) {}

  CheckId id{};
  bool ok = true;
  State state{};               // the offending state (and event, for cell checks)
  Event event{};
  std::size_t row_a = kNoRow;  // rows involved, if any
  std::size_t row_b = kNoRow;
  std::string_view problem;    // what is wrong, empty when ok
};

namespace detail {

constexpr bool guards_overlap(Guard a, Guard b) {
  return a == Guard::Always || b == Guard::Always || a == b || family(a) != family(b);
}

// True if the guards present are Always, or every member of one family.
constexpr bool covers_a_family(const std::array<bool, kGuardCount>& present) {
  if (present[index(Guard::Always)]) return true;
  for (Guard lead : kAllGuards) {
    if (lead == Guard::Always || !present[index(lead)]) continue;
    bool all = true;
    for (Guard g : kAllGuards) {
      if (family(g) == family(lead) && !present[index(g)]) all = false;
    }
    if (all) return true;
  }
  return false;
}

// Which states have an edge of a firing row to which.
using Adjacency = std::array<std::array<bool, kStateCount>, kStateCount>;

constexpr Adjacency edges(const Spec& spec) {
  Adjacency adj{};
  for (const Row& r : spec.rows()) {
    if (!r.fires()) continue;
    for (State from : kAllStates) {
      if (r.from.contains(from)) adj[index(from)][index(r.to.resolve(from))] = true;
    }
  }
  return adj;
}

// States from which `target` can be reached (reverse = false: states that
// can be reached from `target`).
constexpr std::array<bool, kStateCount> closure(const Adjacency& adj, State target, bool reverse) {
  std::array<bool, kStateCount> seen{};
  seen[index(target)] = true;
  for (bool grew = true; grew;) {
    grew = false;
    for (State a : kAllStates) {
      for (State b : kAllStates) {
        const bool edge = reverse ? adj[index(b)][index(a)] : adj[index(a)][index(b)];
        if (seen[index(a)] && edge && !seen[index(b)]) {
          seen[index(b)] = true;
          grew = true;
        }
      }
    }
  }
  return seen;
}

}  // namespace detail

constexpr CheckResult check_deterministic(const Spec& spec) {
    const auto rows = spec.rows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = i + 1; j < rows.size(); ++j) {
      if (rows[i].event != rows[j].event) continue;
      const StateSet both = rows[i].from & rows[j].from;
      if (both.empty() || !detail::guards_overlap(rows[i].guard, rows[j].guard)) continue;
      for (State s : kAllStates) {
        if (!both.contains(s)) continue;
        return CheckResult::fail(CheckId::Deterministic, s, rows[i].event, i, j,
                "two rows can fire for the same state, event and guard");
      }
    }
  }
  return CheckResult::pass(CheckId::Deterministic);
}

constexpr CheckResult check_complete(const Spec& spec) {
  // Which guards have a row, per cell: one pass over the rows.
  std::array<std::array<std::array<bool, kGuardCount>, kEventCount>, kStateCount> guards{};
  for (const Row& r : spec.rows()) {
    for (State s : kAllStates) {
      if (r.from.contains(s)) guards[index(s)][index(r.event)][index(r.guard)] = true;
    }
  }
  for (State s : kAllStates) {
    for (Event e : kAllEvents) {
      const auto& present = guards[index(s)][index(e)];
      if (detail::covers_a_family(present)) continue;
      bool any = false;
      for (bool p : present) any = any || p;
      return CheckResult::fail(CheckId::Complete, s, e, CheckResult::kNoRow, CheckResult::kNoRow,
                               any ? "the rows' guards leave a case uncovered"
                                   : "no row for this cell");
    }
  }
  return CheckResult::pass(CheckId::Complete);
}

constexpr CheckResult check_reachable_from_closed(const Spec& spec) {
  const auto seen = detail::closure(detail::edges(spec), State::Closed, false);
  for (State s : kAllStates) {
    if (!seen[index(s)]) {
      return CheckResult::fail(CheckId::ReachableFromClosed, s, {}, CheckResult::kNoRow,
              CheckResult::kNoRow, "no path of firing rows leads here from CLOSED");
    }
  }
  return CheckResult::pass(CheckId::ReachableFromClosed);
}

constexpr CheckResult check_reaches_closed(const Spec& spec) {
  const auto seen = detail::closure(detail::edges(spec), State::Closed, true);
  for (State s : kAllStates) {
    if (!seen[index(s)]) {
      return CheckResult::fail(CheckId::ReachesClosed, s, {}, CheckResult::kNoRow, CheckResult::kNoRow,
              "no path of firing rows leads from here to CLOSED");
    }
  }
  return CheckResult::pass(CheckId::ReachesClosed);
}

constexpr CheckResult check_rows_cite_source(const Spec& spec) {
  for (std::size_t i = 0; i < spec.size(); ++i) {
    if (spec.row(i).section.empty()) {
      const Row& r = spec.row(i);
      State first{};
      for (State s : kAllStates) {
        if (r.from.contains(s)) {
          first = s;
          break;
        }
      }
      return CheckResult::fail(CheckId::RowsCiteSource, first, r.event, i, CheckResult::kNoRow,
              "the row does not cite the section it comes from");
    }
  }
  return CheckResult::pass(CheckId::RowsCiteSource);
}

constexpr std::array<CheckResult, kCheckCount> check_all(const Spec& spec) {
  return {check_deterministic(spec), check_complete(spec), check_reachable_from_closed(spec),
          check_reaches_closed(spec), check_rows_cite_source(spec)};
}

constexpr bool passes_all(const Spec& spec) {
  for (const CheckResult& r : check_all(spec)) {
    if (!r.ok) return false;
  }
  return true;
}

}  // namespace tcpmc::model
