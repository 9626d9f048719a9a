// The four liveness properties of TCP the explorer checks, after the four
// that the RFCNLP work (Pacheco et al., IEEE S&P 2022) checks on its
// canonical TCP model, stated here in our own terms over the explorer's
// systems at both levels, with the fairness they assume.
//
// Notation: c and v are the client's and the server's control states; G is
// "always", F "eventually"; every formula is read over the fair runs of
// liveness.hpp. None = {CLOSED, LISTEN}: the side holds no connection.
// Open = {ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING,
// LAST-ACK}: the side holds a connection and still waits for its peer
// (TIME-WAIT is left out: there both FINs are through, and it waits for
// old segments, not for the peer). Est+ = Open + TIME-WAIT: the side has
// completed the handshake (model::states::kEstablishedOrLater).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include <tcpmc/model/state.hpp>
#include <tcpmc/verify/explore/liveness.hpp>
#include <tcpmc/verify/explore/system.hpp>
#include <tcpmc/verify/table/system.hpp>

namespace tcpmc::verify::explore {

enum class Liveness : std::uint8_t {
  NoHalfOpen,
  OpenSucceeds,
  NeverStuck,
  SynReceivedResolves,
};

inline constexpr std::size_t kLivenessCount = 4;

// What the property assumes of the run besides fairness.
enum class Premise : std::uint8_t {
  None,
  // The network loses nothing, for the whole run: no loss, no expiry, no
  // attacker. Encoded in the bounds (losses = injections = 0): with no loss
  // left, time cannot pass while a segment would die of old age, so every
  // segment is delivered. Duplicates are still allowed.
  LossFree,
};

struct LivenessDoc {
  std::string_view name;
  std::string_view sentence;
  std::string_view formula;
  Premise premise;
};

inline constexpr std::array<LivenessDoc, kLivenessCount> kLivenessDocs = {{
    {"NoHalfOpen",
     "In a loss-free run, a connection never stays half-open: whenever one side holds a "
     "connection and waits for its peer while the peer holds none, that ends",
     "G F !((c in Open && v in None) || (v in Open && c in None)), runs without loss",
     Premise::LossFree},
    {"OpenSucceeds",
     "An active open towards a listening server is never left hanging: both ends complete the "
     "handshake (each reaches ESTABLISHED or a later state), unless the client's user is told "
     "the open failed (refused, reset, timed out)",
     "G ((c = SYN-SENT && v = LISTEN) -> F ((c in Est+ && v in Est+) || client told failure))",
     Premise::None},
    {"NeverStuck",
     "The two ends never stay for ever away from closed: again and again the client is CLOSED "
     "and the server CLOSED or LISTEN",
     "G F (c = CLOSED && v in None)", Premise::None},
    {"SynReceivedResolves",
     "A server in SYN-RECEIVED always leaves it: for ESTABLISHED or FIN-WAIT-1 (the handshake "
     "completed, or was closed at once), or for LISTEN or CLOSED (it was abandoned)",
     "G (v = SYN-RECEIVED -> F v != SYN-RECEIVED)", Premise::None},
}};

inline constexpr std::array<Liveness, kLivenessCount> kAllLiveness = {
    Liveness::NoHalfOpen, Liveness::OpenSucceeds, Liveness::NeverStuck,
    Liveness::SynReceivedResolves};

constexpr std::string_view name(Liveness p) {
  return kLivenessDocs[static_cast<std::size_t>(p)].name;
}
constexpr const LivenessDoc& doc(Liveness p) { return kLivenessDocs[static_cast<std::size_t>(p)]; }

// The bounds a property is checked with: its premise, where it is one on
// the network, is a bound.
constexpr Bounds liveness_bounds(Liveness p, Bounds b) {
  if (doc(p).premise == Premise::LossFree) {
    b.losses = 0;
    b.injections = 0;
  }
  return b;
}

// Fairness classes of the explorer's moves. Weak fairness on the endpoints:
// a segment to a side is delivered (if deliveries to it stay possible, some
// is made), a side's user does what it still has to do (connect, send its
// bytes, close, listen again); and on time: time passes while it may, so
// timers fire. The network's losses and duplicates, the attacker and ABORT
// are unfair: they may happen, never must.
enum class FairClass : std::uint8_t { ToClient, ToServer, ClientUser, ServerUser, Time };
inline constexpr unsigned kFairClassCount = 5;
inline constexpr std::array<std::string_view, kFairClassCount> kFairClassNames = {
    "deliveries to the client", "deliveries to the server", "the client's user",
    "the server's user", "time"};

// --- The two levels seen alike ---------------------------------------------------

template <const model::Spec& S>
model::State control(const System<S>& s, bool server) {
  return server ? s.server.state() : s.client.state();
}
inline model::State control(const table::Sys& s, bool server) {
  return server ? s.server.st() : s.client.st();
}

// A timer is armed on either side: time would change something.
template <const model::Spec& S>
bool timer_armed(const System<S>& s) {
  return s.client.next_deadline().has_value() || s.server.next_deadline().has_value();
}
inline bool timer_armed(const table::Sys& s) {
  return s.client.rtx_left != 0 || s.client.tw_left != 0 || s.server.rtx_left != 0 ||
         s.server.tw_left != 0;
}

template <class Sys>
int fair_class(const Sys& s, Move m) {
  switch (m.step) {
    case Step::Deliver:
      return static_cast<int>(s.net[m.index].to_server ? FairClass::ToServer : FairClass::ToClient);
    case Step::Tick: return static_cast<int>(FairClass::Time);
    case Step::ClientConnect:
    case Step::ClientSend:
    case Step::ClientClose: return static_cast<int>(FairClass::ClientUser);
    case Step::ServerListen:
    case Step::ServerSend:
    case Step::ServerClose: return static_cast<int>(FairClass::ServerUser);
    case Step::Drop:
    case Step::Duplicate:
    case Step::Inject:
    case Step::ClientAbort:
    case Step::ServerAbort: return kUnfair;
  }
  return kUnfair;
}

// --- The properties' P and Q -----------------------------------------------------

namespace liveness_sets {
using model::State;
inline constexpr model::StateSet kNone = State::Closed | State::Listen;
inline constexpr model::StateSet kOpen = State::Established | State::FinWait1 | State::FinWait2 |
                                         State::CloseWait | State::Closing | State::LastAck;
}  // namespace liveness_sets

template <class Sys>
bool half_open(const Sys& s) {
  using namespace liveness_sets;
  const model::State c = control(s, false);
  const model::State v = control(s, true);
  return (kOpen.contains(c) && kNone.contains(v)) || (kOpen.contains(v) && kNone.contains(c));
}

template <class Sys>
ResponseProperty<Sys> response(Liveness p) {
  using model::State;
  using namespace liveness_sets;
  const auto always = [](const auto&) { return true; };
  switch (p) {
    case Liveness::NoHalfOpen:
      return {always, [](const auto& s) { return !half_open(s); }};
    case Liveness::OpenSucceeds:
      return {[](const auto& s) {
                return control(s, false) == State::SynSent && control(s, true) == State::Listen;
              },
              [](const auto& s) {
                return (model::states::kEstablishedOrLater.contains(control(s, false)) &&
                        model::states::kEstablishedOrLater.contains(control(s, true))) ||
                       s.cg.reset;
              }};
    case Liveness::NeverStuck:
      return {always, [](const auto& s) {
                return control(s, false) == State::Closed && kNone.contains(control(s, true));
              }};
    case Liveness::SynReceivedResolves:
      return {[](const auto& s) { return control(s, true) == State::SynReceived; },
              [](const auto& s) { return control(s, true) != State::SynReceived; }};
  }
  return {always, always};
}

// The setup for some of the properties, at the level whose state is State.
// A final state is cut (not judged) when time ran out with a timer armed.
template <class Sys>
LivenessSetup<Sys> liveness_setup(std::span<const Liveness> properties) {
  LivenessSetup<Sys> setup;
  setup.classes = kFairClassCount;
  setup.fairness = [](const Sys& s, Move m) { return fair_class(s, m); };
  setup.cut = [](const Sys& s) { return timer_armed(s); };
  for (const Liveness p : properties) setup.properties.push_back(response<Sys>(p));
  return setup;
}

}  // namespace tcpmc::verify::explore
