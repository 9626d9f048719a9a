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
};

inline constexpr std::size_t kInvariantCount = 4;

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
}};

constexpr std::string_view name(Invariant i) { return kInvariantDocs[static_cast<std::size_t>(i)].name; }

struct Violation {
  Invariant invariant;
  std::string detail;
};

}  // namespace tcpmc::verify
