// Every bound of a search in one place (STYLE.md item 14), each with the
// reason it exists. They are flags of `tcpmc explore` and are printed with
// every result, since a verdict means nothing without them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tcpmc/verify/explore/params.hpp>

namespace tcpmc::verify::explore {

struct Bounds {
  // In-flight segments the network holds at once; more are lost. Three
  // let a duplicate coexist with a retransmission and a fresh segment.
  std::uint8_t in_flight = 3;
  // Segments the network may lose in a whole run: one loss already shows
  // why every retransmission rule is there.
  std::uint8_t losses = 1;
  // Segments it may duplicate: old duplicates are what the handshake,
  // the ISN and TIME-WAIT defend against.
  std::uint8_t duplicates = 1;
  // Maximum segment lifetime, in ticks: a segment older than this is gone.
  std::uint8_t msl = 2;
  // Ticks a run may last. Time must be bounded for the search to end, and
  // must stay below ExploreParams::kMaxTicks for the ISN clock to keep RFC
  // 9293 3.4.1's premise (params.hpp). Twelve hold a connection with a
  // retransmission, a full TIME-WAIT (2MSL) and a reconnect.
  std::uint8_t ticks = 12;
  // Bytes each user sends per incarnation: two show order and duplication.
  std::uint8_t bytes = 1;
  // Connections the client opens after its first, to the same 4-tuple.
  std::uint8_t reconnects = 1;
  // ABORT calls allowed in a run (each resets a connection).
  std::uint8_t aborts = 0;
  // Segments an off-path attacker may inject (0: no attacker).
  std::uint8_t injections = 0;
  // Stop after this many stored states (0: no limit); a search cut short
  // says so and exits 3.
  std::uint64_t max_states = 0;

  // Limits of the model itself, not of the search: past them a verdict
  // would be about the model's arithmetic rather than about TCP. nullopt
  // when the bounds are usable, else what is wrong and what to do.
  std::optional<std::string> validate() const {
    constexpr unsigned kMaxBytes = 3;  // the send and receive buffers hold 3
    if (in_flight < 1 || in_flight > 6) return "in-flight must be 1 to 6";
    // The retransmission timeout must stay below MSL (system.hpp) and be a
    // tick at least.
    if (msl < 2) return "msl must be at least 2 ticks";
    // RFC 9293 3.4.1's premise: M must not come round while old segments
    // (MSL) or TIME-WAIT's memory of them (2MSL) live.
    if (ticks > ExploreParams::kMaxTicks) {
      return "ticks must be at most " + std::to_string(ExploreParams::kMaxTicks) +
             ": beyond, the ISN clock goes half-way round within a run";
    }
    if (bytes > kMaxBytes) return "bytes must be 0 to " + std::to_string(kMaxBytes);
    // The ISN clock outpaces one incarnation's SYN + bytes + FIN per tick.
    static_assert(kMaxBytes + 2 == ExploreParams::kMaxUsedPerIncarnation);
    if (reconnects > 5) return "reconnects must be 0 to 5";
    return std::nullopt;
  }

  std::string describe() const {
    return "in-flight=" + std::to_string(in_flight) + " losses=" + std::to_string(losses) +
           " duplicates=" + std::to_string(duplicates) + " msl=" + std::to_string(msl) +
           " ticks=" + std::to_string(ticks) +
           " bytes=" + std::to_string(bytes) + " reconnects=" + std::to_string(reconnects) +
           " aborts=" + std::to_string(aborts) + " injections=" + std::to_string(injections) +
           " max-states=" + std::to_string(max_states);
  }
};

}  // namespace tcpmc::verify::explore
