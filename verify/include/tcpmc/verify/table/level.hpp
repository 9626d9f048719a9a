// The table level as a model the explorer's search runs (DESIGN.md
// principle 9): the same breadth-first search, fingerprints, threads,
// statistics, counterexample replay and narration as the impl level
// (explore/search.hpp), over the abstract system of table/system.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/table/system.hpp>

namespace tcpmc::verify::table {

template <const model::Spec& S>
struct TableModel {
  using State = Sys;
  using Stepper = table::Stepper<S>;
  static State initial(const Bounds& b) { return Stepper::initial(b); }
};

static_assert(explore::ExploreModel<TableModel<model::kRfc9293>>);

template <const model::Spec& S>
explore::SearchResult search(const Bounds& bounds, const explore::SearchOptions& options) {
  return explore::search_model<TableModel<S>>(bounds, options);
}

template <const model::Spec& S>
explore::SearchResult search(const Bounds& bounds, std::optional<Invariant> only = std::nullopt,
                             const explore::Progress& progress = {}) {
  return table::search<S>(bounds,
                          explore::SearchOptions{only, progress, std::chrono::milliseconds{1000}, 1});
}

template <const model::Spec& S>
std::vector<std::string> narrate(const Bounds& bounds, const std::vector<Move>& path) {
  return explore::narrate_model<TableModel<S>>(bounds, path);
}

// What an invariant means at the table level, where that differs from the
// impl level; empty where it is judged the same way on the same ghosts.
constexpr std::string_view caveat(Invariant i) {
  switch (i) {
    case Invariant::StatesFollowTable:
      return "holds by construction: the table level changes state only by firing a row "
             "(it is judged only if no row fires, which the classifier rules out)";
    case Invariant::NoByteDeliveredTwice:
      return "judged by the connection monitor of the tests and the fuzzer, not by the "
             "explorer at either level";
    case Invariant::NoDataOnSyn:
      return "a table-level SYN carries data only where the Spec's SynPayload says it may, so "
             "this judges the policy, not an engine";
    case Invariant::HandshakeAgreement:
      return "judged on ISN tags: ends agree when each knows the other's tag";
    default: return "";
  }
}

}  // namespace tcpmc::verify::table
