// The invariants every run must keep, written once (DESIGN.md principle 8)
// and named for what they forbid. The fuzzer, the tests and (later) the
// explorer report violations in these terms.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tcpmc::verify {

enum class Invariant : std::uint8_t {
  NoDataOnSyn,             // no SYN or SYN-ACK we send carries data
  NoByteDeliveredTwice,    // every delivered byte is the next one of the peer's stream
  StatesFollowTable,       // every change of state is a row of the table
  TimeWaitLasts2Msl,       // TIME-WAIT ends for CLOSED only after 2MSL since its last start
  NoOldDuplicateAccepted,  // delivered bytes come from the peer's same incarnation, once, in order
  NoPhantomConnection,     // a server is ESTABLISHED only for a client incarnation that asked
  HandshakeAgreement,      // both ESTABLISHED ends agree on both ISNs
  NothingLost,             // an orderly close delivers everything and ends in no reset
  IsnUnique,               // no side reuses an ISN for a new incarnation of the 4-tuple
  NoInjectionAccepted,     // nothing an off-path attacker sends changes a connection
};

inline constexpr std::size_t kInvariantCount = 10;

struct InvariantDoc {
  std::string_view name;
  std::string_view forbids;
};

inline constexpr std::array<InvariantDoc, kInvariantCount> kInvariantDocs = {{
    {"NoDataOnSyn", "a SYN or SYN-ACK of ours that carries data"},
    {"NoByteDeliveredTwice",
     "a byte handed to the user twice, out of order, or not sent by the peer"},
    {"StatesFollowTable", "a change of state that no row of the table allows"},
    {"TimeWaitLasts2Msl", "leaving TIME-WAIT for CLOSED before 2MSL have passed"},
    {"NoOldDuplicateAccepted",
     "a delivered byte that is not the next one sent by the peer's same incarnation"},
    {"NoPhantomConnection",
     "a server ESTABLISHED for a client incarnation that is not (or no longer) connecting"},
    {"HandshakeAgreement", "two ESTABLISHED ends that disagree on an ISN"},
    {"NothingLost", "an orderly close that loses sent bytes or ends in a reset"},
    {"IsnUnique", "a new incarnation of a 4-tuple starting from an ISN used before in the run"},
    {"NoInjectionAccepted",
     "an off-path attacker's segment that changes a connection's state or delivered data"},
}};

inline constexpr auto kAllInvariants = [] {
  std::array<Invariant, kInvariantCount> all{};
  for (std::size_t i = 0; i < kInvariantCount; ++i) all[i] = static_cast<Invariant>(i);
  return all;
}();

constexpr std::string_view name(Invariant i) { return kInvariantDocs[static_cast<std::size_t>(i)].name; }

struct Violation {
  Invariant invariant;
  std::string detail;
};

// StatesFollowTable's detail when one call fired more rows than the
// engine's RowTrace keeps (`kept`): the rows it dropped cannot be judged.
inline std::string rows_cut(std::size_t kept) {
  return "one call fired more than " + std::to_string(kept) +
         " rows, more than the engine's RowTrace keeps: raise RowTrace::kMax";
}

}  // namespace tcpmc::verify
