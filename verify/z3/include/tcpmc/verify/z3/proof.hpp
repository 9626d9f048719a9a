// The Z3 proofs as data: each property has a name, what it states, its
// premises, the verdict expected of it and a function that asks Z3. The
// catalog (catalog.hpp) lists them; `tcpmc prove` and `tcpmc verify` print
// them. Nothing here prints or reads a clock: the command times each run.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcpmc::verify::z3 {

enum class Verdict : std::uint8_t {
  Proved,          // no assignment satisfies the premises and breaks the claim
  Counterexample,  // Z3 found one; Outcome holds it
  Bounded,         // no counterexample up to Outcome::depth steps (bounded model checking)
  Unknown,         // Z3 gave up (timeout, or an error); Outcome::reason says why
};

std::string_view name(Verdict v);

// One run of a counterexample, in time order, for the timed models (ISN
// clock, TIME-WAIT). `a` and `b` name the two ends; a message is sent,
// then delivered or lost.
struct TimelineEvent {
  enum class Actor : std::uint8_t { A, B };
  enum class Kind : std::uint8_t {
    Send,       // `actor` sends `message`
    Deliver,    // `message` arrives at `actor`
    Loss,       // the network loses `message` (`actor`: its sender)
    State,      // `actor` enters the state or condition in `text`
    Note,       // something `actor` does or learns, in `text`
    Violation,  // what the claim forbids happens here; `text` says what
  };
  std::int64_t time = 0;
  Actor actor = Actor::A;
  Kind kind = Kind::Note;
  std::uint32_t message = 0;  // index into Timeline::messages
  std::string text;
};

struct Timeline {
  std::string unit;  // of `time`: "s", "us"
  std::string a;     // who A is: "A (active closer)"
  std::string b;
  std::vector<std::string> messages;  // labels: "FIN (copy 2)"
  std::vector<TimelineEvent> events;  // sorted by time (stable)
};

// A named value from Z3's model: "seg_seq", "0x7fffffff (2147483647)".
struct Assignment {
  std::string name;
  std::string value;
};

struct Outcome {
  Verdict verdict = Verdict::Unknown;
  unsigned depth = 0;                      // Bounded: the depth checked
  std::string reason;                      // Unknown: Z3's reason
  std::vector<std::string> failed_claims;  // Counterexample: the claims the model breaks
  std::vector<Assignment> values;          // Counterexample: the model, named
  std::optional<Timeline> timeline;        // Counterexample of a timed model
  // Counterexample of the table level (table_bmc_catalog.hpp): the moves
  // Z3 chose ("deliver 0", "tick", ...) and the explorer's narration of
  // them, replayed through table::Stepper.
  std::vector<std::string> moves;
  std::vector<std::string> run;
};

struct Property {
  std::string_view name;       // "seq.order.strict-below-half", a flag value for --only
  std::string_view statement;  // the claim, one line
  std::string_view premises;   // what is assumed, one line
  std::string_view rfc;        // where the rule comes from
  Verdict expected;            // Proved for an RFC property; Counterexample for a demonstration
  std::function<Outcome(unsigned timeout_ms)> run;
};

// --- The checking helper the proofs share. ---

struct Claim {
  std::string name;
  ::z3::expr holds;
};

// A value shown with a counterexample; bit-vectors print in hex and
// decimal, integers in decimal.
struct Shown {
  std::string name;
  ::z3::expr value;
};

// Proved if premises => every claim is valid; else the counterexample,
// with the claims it breaks, the shown values and, if `timeline` is given,
// the run it describes. A Z3 error or timeout is Unknown.
Outcome check_claims(::z3::context& c, const ::z3::expr& premises, const std::vector<Claim>& claims,
                     const std::vector<Shown>& shown, unsigned timeout_ms,
                     const std::function<Timeline(const ::z3::model&)>& timeline = {});

// The same, one query per claim: Z3's bit-blaster settles one equivalence
// of adder circuits far faster than their conjunction. Proved if each is;
// otherwise the outcome of the first that is not.
Outcome check_each(::z3::context& c, const ::z3::expr& premises, const std::vector<Claim>& claims,
                   const std::vector<Shown>& shown, unsigned timeout_ms,
                   const std::function<Timeline(const ::z3::model&)>& timeline = {});

// Integer value of `e` in `m` (a numeral of either sort), for timelines.
std::int64_t int_value(const ::z3::model& m, const ::z3::expr& e);
bool bool_value(const ::z3::model& m, const ::z3::expr& e);

// --- Rendering counterexamples (strings; the command writes them). ---

// The timeline as text, one event a line: "t=240 s  B  sends FIN (copy 2)".
std::string timeline_text(const Timeline& t);

// A counterexample without a timeline, as text and as a DOT record of its
// values, its broken claims and the property's statement.
std::string values_text(const Outcome& o);
std::string values_dot(const Property& p, const Outcome& o);

}  // namespace tcpmc::verify::z3
