// The engine's view of a TCP segment: the header fields and options that
// RFC 9293 processing reads, plus the payload, over the connection's own
// sequence type. It is not the wire codec's representation on purpose: the
// explorer builds segments of a 4-bit sequence space that no wire format
// has, and the runtime converts (wire_convert.hpp) at the edge.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <tcpmc/core/isn.hpp>
#include <tcpmc/model/classify.hpp>

namespace tcpmc::core {

struct SegmentFlags {
  bool syn = false;
  bool ack = false;
  bool fin = false;
  bool rst = false;
  bool psh = false;
  constexpr bool operator==(const SegmentFlags&) const = default;
};

template <class SeqT>
struct Segment {
  Endpoint source;
  Endpoint destination;
  SeqT seq;
  SeqT ack;
  SegmentFlags flags;
  std::uint32_t window = 0;             // as carried, before any scaling
  std::optional<std::uint16_t> mss;     // MSS option, on SYNs
  std::span<const std::byte> payload;

  // SEG.LEN: payload plus one for each of SYN and FIN.
  constexpr std::uint32_t length() const {
    return static_cast<std::uint32_t>(payload.size()) + (flags.syn ? 1U : 0U) +
           (flags.fin ? 1U : 0U);
  }

  // Equal headers and equal payload bytes (the span itself is not compared).
  friend constexpr bool operator==(const Segment& a, const Segment& b) {
    return a.source == b.source && a.destination == b.destination && a.seq == b.seq &&
           a.ack == b.ack && a.flags == b.flags && a.window == b.window && a.mss == b.mss &&
           std::equal(a.payload.begin(), a.payload.end(), b.payload.begin(), b.payload.end());
  }

  // What the classifier reads (model/classify.hpp).
  template <unsigned Bits>
  constexpr model::SegmentFacts<Bits> facts() const {
    return {{flags.syn, flags.ack, flags.fin, flags.rst}, seq, ack,
            static_cast<std::uint32_t>(payload.size())};
  }
};

}  // namespace tcpmc::core
