// A specification: the rows of the transition table plus the few protocol
// constants and policies that are not arrows (DESIGN.md principle 2). The
// RFC's own specification is rfc9293() in table.hpp; the seed's "why"
// questions are answered by functions Spec -> Spec in variants.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include <tcpmc/model/action.hpp>
#include <tcpmc/model/event.hpp>
#include <tcpmc/model/state.hpp>

namespace tcpmc::model {

// Where a row leads: a state, or back to the state it fired in (rows whose
// `from` is a set of states often stay put).
class Target {
 public:
  constexpr Target() = default;
  constexpr Target(State s) : stay_(false), state_(s) {}  // NOLINT: rows read like the diagram
  static constexpr Target stay() { return Target(); }

  constexpr bool is_stay() const { return stay_; }
  // The named state; meaningful only when !is_stay().
  constexpr State state() const { return state_; }
  constexpr State resolve(State from) const { return stay_ ? from : state_; }
  constexpr bool operator==(const Target&) const = default;

 private:
  bool stay_ = true;
  State state_ = State::Closed;
};

inline constexpr Target Stay = Target::stay();

// A remark attached to a row. RFC-AMBIGUITY notes say how the table decides
// a point the RFC leaves open; unreachable notes say why the classifier or
// the engine can never produce this cell, so it is listed, not fired.
enum class NoteKind : std::uint8_t { None, Ambiguity, Unreachable };

struct Note {
  NoteKind kind = NoteKind::None;
  std::string_view text;
  constexpr bool operator==(const Note&) const = default;
};

constexpr Note ambiguity(std::string_view text) { return {NoteKind::Ambiguity, text}; }
constexpr Note unreachable(std::string_view text) { return {NoteKind::Unreachable, text}; }

struct Row {
  constexpr Row() = default;
  constexpr Row(StateSet from_, Event event_, Guard guard_, Target to_, Acts acts_,
                std::string_view section_, Note note_ = {})
      : from(from_), event(event_), guard(guard_), to(to_), acts(acts_), section(section_),
        note(note_) {}

  StateSet from;
  Event event{};
  Guard guard = Guard::Always;
  Target to;
  Acts acts;
  std::string_view section;  // RFC section the arrow comes from
  Note note;

  constexpr bool matches(State s, Event e) const { return event == e && from.contains(s); }
  constexpr bool fires() const { return note.kind != NoteKind::Unreachable; }
  constexpr bool operator==(const Row&) const = default;
};

// How the initial sequence number is chosen (RFC 9293 section 3.4.1).
enum class IsnPolicy : std::uint8_t {
  ClockPlusKeyedHash,  // RFC 6528: M + F(4-tuple, secret), M a 4 us clock
  Clock,               // RFC 793's bare clock: predictable, but distinct over time
  Zero,                // every incarnation starts at 0
};

// What is done with payload that arrives on a SYN (RFC 9293 section 3.10.7.2
// allows queueing it; Linux without Fast Open acknowledges only the SYN).
enum class SynPayload : std::uint8_t {
  AckSynOnly,  // neither delivered nor buffered; the peer sends it again
  Deliver,     // delivered as soon as the connection is established
};

// When our FIN may go out after CLOSE.
enum class FinPolicy : std::uint8_t {
  AfterQueuedData,  // behind every byte queued before the CLOSE (RFC 9293 3.10.4)
  Immediately,      // at once, abandoning data still queued
};

inline constexpr std::size_t kMaxRows = 160;

// How the engine evaluates guards for one lookup.
struct GuardFacts {
  bool opened_passively = false;
  bool retries_left = true;
  bool remote_specified = true;

  constexpr bool holds(Guard g) const {
    switch (g) {
      case Guard::Always: return true;
      case Guard::OpenedPassively: return opened_passively;
      case Guard::OpenedActively: return !opened_passively;
      case Guard::RetriesLeft: return retries_left;
      case Guard::RetriesExhausted: return !retries_left;
      case Guard::RemoteSpecified: return remote_specified;
      case Guard::RemoteUnspecified: return !remote_specified;
    }
    return false;
  }
};

class Spec {
 public:
  constexpr explicit Spec(std::string_view name) : name_(name) {}

  constexpr std::string_view name() const { return name_; }
  constexpr std::span<const Row> rows() const { return {rows_.data(), count_}; }
  constexpr std::size_t size() const { return count_; }
  constexpr const Row& row(std::size_t i) const { return rows_[i]; }

  // Protocol constants and policies that are not arrows.
  unsigned time_wait_msl = 2;  // TIME-WAIT lasts this many MSL
  IsnPolicy isn = IsnPolicy::ClockPlusKeyedHash;
  SynPayload syn_payload = SynPayload::AckSynOnly;
  FinPolicy fin = FinPolicy::AfterQueuedData;

  constexpr Spec& named(std::string_view name) {
    name_ = name;
    return *this;
  }

  constexpr Spec& add(const Row& r) {
    if (count_ == kMaxRows) throw "Spec: more rows than kMaxRows";  // compile-time error
    rows_[count_++] = r;
    return *this;
  }

  // Replaces what (s, e, g) does: carves s out of every row that covers the
  // cell with that guard, then appends the new row. Variants are written
  // with this, so they read as edits of the RFC's arrows.
  constexpr Spec& set(State s, Event e, Guard g, Target to, Acts acts,
                      std::string_view section, Note note = {}) {
    carve(s, e, g);
    return add(Row{StateSet(s), e, g, to, acts, section, note});
  }

  // Removes the cell (s, e, g) entirely; used by tests that break a table.
  constexpr Spec& carve(State s, Event e, Guard g) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < count_; ++i) {
      Row r = rows_[i];
      if (r.matches(s, e) && r.guard == g) r.from = r.from - StateSet(s);
      if (!r.from.empty()) rows_[kept++] = r;
    }
    count_ = kept;
    return *this;
  }

  // The row that fires for state s and event e, given the guard facts; null
  // if none (a complete, deterministic table always has exactly one).
  constexpr const Row* find(State s, Event e, GuardFacts facts = {}) const {
    for (std::size_t i = 0; i < count_; ++i) {
      if (rows_[i].matches(s, e) && facts.holds(rows_[i].guard)) return &rows_[i];
    }
    return nullptr;
  }

 private:
  std::string_view name_;
  std::array<Row, kMaxRows> rows_{};
  std::size_t count_ = 0;
};

}  // namespace tcpmc::model
