// The liveness checks as the tool and the tests call them: by the name of
// a spec and a level, without instantiating the explorer again in every
// caller. The instantiations (the RFC spec and each liveness variant, at
// both levels) live in one library, tcpmc::verify_liveness.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/liveness.hpp>
#include <tcpmc/verify/explore/liveness_properties.hpp>

namespace tcpmc::verify::explore {

enum class Level : std::uint8_t { Impl, Table };

constexpr std::string_view name(Level l) { return l == Level::Impl ? "impl" : "table"; }

struct LivenessSpecInfo {
  std::string slug;  // as --variant takes it: "rfc9293", "endless-time-wait"
  std::string name;  // the Spec's own name
};

// The specs liveness is checked on: the RFC's, then model::kLivenessVariants.
const std::vector<LivenessSpecInfo>& liveness_specs();

enum class LivenessVerdict : std::uint8_t { Holds, Violated, Incomplete };

constexpr std::string_view name(LivenessVerdict v) {
  switch (v) {
    case LivenessVerdict::Holds: return "holds";
    case LivenessVerdict::Violated: return "violated";
    case LivenessVerdict::Incomplete: return "incomplete";
  }
  return "";
}

struct LivenessOutcome {
  Liveness property = Liveness::NoHalfOpen;
  Bounds bounds;  // as checked: the premise applied
  bool complete = false;
  SearchResult::Limit limit = SearchResult::Limit::None;  // what cut the graph, if incomplete
  PropertyVerdict verdict;
  std::vector<std::string> narration;  // the lasso in words, if any
  LassoReplay replay;                  // the lasso replayed by the level's stepper, if any
  LivenessStats graph;  // the graph it was checked on (properties of equal bounds share one)

  LivenessVerdict result() const {
    if (verdict.lasso) return LivenessVerdict::Violated;
    return complete ? LivenessVerdict::Holds : LivenessVerdict::Incomplete;
  }
};

// Checks `properties` of the spec named `spec` (a liveness_specs() slug) at
// `level`; one graph per distinct premise, each cut once its memory passes
// `max_memory` bytes (0: no limit). Empty if the spec is unknown.
std::vector<LivenessOutcome> check_liveness(std::string_view spec, Level level, const Bounds& bounds,
                                            std::span<const Liveness> properties,
                                            std::size_t max_memory = 0);

// The bounds of the liveness catalog, each property on each spec: one
// segment in flight (with two, the graph of the impl level has millions of
// states and takes a minute: scripts/bench liveness), a loss, a byte each
// way, and the time for a retransmission, a close and a full TIME-WAIT.
// With one segment in flight nothing can be duplicated.
constexpr Bounds liveness_config() {
  return {.in_flight = 1, .losses = 1, .duplicates = 0, .msl = 2, .ticks = 8, .bytes = 1,
          .reconnects = 0};
}

struct LivenessCase {
  std::string_view spec;  // slug
  Liveness property;
  bool holds;  // expected
  std::string_view why;
};

// The RFC spec must keep every property; each liveness variant must break
// the property it was built to break.
inline constexpr std::array<LivenessCase, 8> kLivenessCases = {{
    {"rfc9293", Liveness::NoHalfOpen, true, "does the RFC hold?"},
    {"rfc9293", Liveness::OpenSucceeds, true, "does the RFC hold?"},
    {"rfc9293", Liveness::NeverStuck, true, "does the RFC hold?"},
    {"rfc9293", Liveness::SynReceivedResolves, true, "does the RFC hold?"},
    {"fin-wait-2-ignores-fin", Liveness::NoHalfOpen, false,
     "why must FIN-WAIT-2 take the peer's FIN?"},
    {"syn-never-retransmitted", Liveness::OpenSucceeds, false, "why retransmit the SYN?"},
    {"endless-time-wait", Liveness::NeverStuck, false, "why must TIME-WAIT end?"},
    {"syn-received-waits-forever", Liveness::SynReceivedResolves, false,
     "why must SYN-RECEIVED time out and take the final ACK?"},
}};

}  // namespace tcpmc::verify::explore
