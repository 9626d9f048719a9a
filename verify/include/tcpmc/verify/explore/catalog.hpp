// The runs that answer the seed notes' questions: the RFC spec on each
// configuration, expected to hold, and each variant on the smallest
// configuration where its consequence shows, expected to be refuted by the
// invariant the question is about. `tcpmc verify` runs them all and the
// tests hold each one to its verdict. The searches are compiled once, in
// tcpmc::verify_instances (explore/instances.hpp).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/instances.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/explore/specs.hpp>
#include <tcpmc/verify/table/level.hpp>
#include <vector>

namespace tcpmc::verify::explore {

// Configurations, each named for what it lets happen.
namespace configs {
// One segment in flight, a loss, a duplicate, a byte each way, a reconnect:
// the handshake, a lost segment, the close, TIME-WAIT and a new incarnation.
constexpr Bounds one_in_flight() {
  return {.in_flight = 1,
          .losses = 1,
          .duplicates = 1,
          .msl = 2,
          .ticks = 12,
          .bytes = 1,
          .reconnects = 1};
}
// Two in flight and a duplicate, no loss: an old duplicate SYN with data
// can meet a new server connection.
constexpr Bounds duplicate() {
  return {.in_flight = 2,
          .losses = 0,
          .duplicates = 1,
          .msl = 2,
          .ticks = 4,
          .bytes = 1,
          .reconnects = 0};
}
// Two in flight, a loss, a duplicate and a reconnect: an old incarnation's
// segments can meet the next one. Too large to search to the end quickly,
// so only variants are run on it.
constexpr Bounds reconnect() {
  return {.in_flight = 2,
          .losses = 1,
          .duplicates = 1,
          .msl = 2,
          .ticks = 8,
          .bytes = 1,
          .reconnects = 1};
}
// Two in flight, a loss, and an off-path attacker with one segment.
constexpr Bounds attack() {
  return {.in_flight = 2,
          .losses = 1,
          .duplicates = 0,
          .msl = 2,
          .ticks = 5,
          .bytes = 0,
          .reconnects = 0,
          .injections = 1};
}
}  // namespace configs

struct VerifyCase {
  std::string_view spec;      // "RFC 9293" or the variant's name
  std::string_view config;    // the configs:: function's name
  std::string_view question;  // what the run answers
  Bounds bounds;
  std::optional<Invariant> expected;  // nullopt: every invariant holds
  SearchResult (*run)(const Bounds&, std::optional<Invariant>, const Progress&);
  std::vector<std::string> (*narrate)(const Bounds&, const std::vector<Move>&);
  // The same run at the table level (DESIGN.md principle 9), which must
  // give the same verdict.
  SearchResult (*run_table)(const Bounds&, std::optional<Invariant>, const Progress&);
  std::vector<std::string> (*narrate_table)(const Bounds&, const std::vector<Move>&);

  // The search a variant's run makes is for its expected invariant alone,
  // so that an earlier violation of another one does not hide it.
  SearchResult search(const Progress& progress = {}) const {
    return run(bounds, expected, progress);
  }
  SearchResult search_table(const Progress& progress = {}) const {
    return run_table(bounds, expected, progress);
  }
  bool as_expected(const SearchResult& r) const {
    if (!expected) return r.complete && !r.violation;
    return r.violation && r.violation->invariant == *expected;
  }
};

template <const model::Spec& S>
constexpr VerifyCase make_case(std::string_view spec, std::string_view config,
                               std::string_view question, Bounds bounds,
                               std::optional<Invariant> expected) {
  return {spec,
          config,
          question,
          bounds,
          expected,
          &explore::search<S>,
          &explore::narrate<S>,
          &table::search<S>,
          &table::narrate<S>};
}

inline const std::array<VerifyCase, 12>& verify_cases() {
  using enum Invariant;
  static const std::array<VerifyCase, 12> cases = {{
      make_case<model::kRfc9293>("RFC 9293", "one-in-flight", "does the RFC hold?",
                                 configs::one_in_flight(), std::nullopt),
      make_case<model::kRfc9293>("RFC 9293", "duplicate", "does the RFC hold?",
                                 configs::duplicate(), std::nullopt),
      make_case<model::kRfc9293>("RFC 9293", "attack", "does the RFC hold?", configs::attack(),
                                 std::nullopt),
      make_case<specs::two_way_handshake()>("two-way handshake", "reconnect",
                                            "why three segments to open, not two?",
                                            configs::reconnect(), NoPhantomConnection),
      make_case<specs::fixed_isn()>("fixed ISN", "reconnect",
                                    "why not start every connection at ISN 0?",
                                    configs::reconnect(), NoOldDuplicateAccepted),
      make_case<specs::fixed_isn()>("fixed ISN", "attack",
                                    "why not start every connection at ISN 0?", configs::attack(),
                                    IsnUnique),
      make_case<specs::predictable_isn()>("predictable ISN", "attack",
                                          "why a keyed hash in the ISN, not the clock alone?",
                                          configs::attack(), NoInjectionAccepted),
      make_case<specs::no_time_wait()>("no TIME-WAIT", "one-in-flight", "why TIME-WAIT at all?",
                                       configs::one_in_flight(), NothingLost),
      make_case<specs::short_time_wait()>("short TIME-WAIT", "attack", "why 2MSL and not 1MSL?",
                                          configs::attack(), NothingLost),
      make_case<specs::data_on_syn()>("data on SYN", "duplicate",
                                      "why may the SYN's data not be delivered at once?",
                                      configs::duplicate(), NoOldDuplicateAccepted),
      make_case<specs::three_way_close()>("three-way close", "one-in-flight",
                                          "why four segments to close, not three?",
                                          configs::one_in_flight(), NothingLost),
      make_case<specs::time_wait_yields_to_rst()>("TIME-WAIT yields to RST", "attack",
                                                  "why does TIME-WAIT ignore RST (RFC 1337)?",
                                                  configs::attack(), NothingLost),
  }};
  return cases;
}

}  // namespace tcpmc::verify::explore
