// The engine's view of a TCP segment: the header fields and options that
// RFC 9293 processing reads, plus the payload, over the connection's own
// sequence type. It is not the wire codec's representation on purpose: the
// explorer builds segments of a 4-bit sequence space that no wire format
// has, and the runtime converts (wire_convert.hpp) at the edge.
#pragma once

#include <algorithm>
#include <array>
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

// RFC 7323 section 3.2: TSval and TSecr as carried.
struct SegmentTimestamps {
  std::uint32_t value = 0;
  std::uint32_t echo = 0;
  constexpr bool operator==(const SegmentTimestamps&) const = default;
};

// RFC 2018 section 3: [left, right) of data the receiver holds above
// RCV.NXT, most recent first. At most four fit in a TCP header; the engine
// never allocates per segment, so they are stored inline.
template <class SeqT>
struct SackBlocks {
  struct Block {
    SeqT left;
    SeqT right;
    constexpr bool operator==(const Block&) const = default;
  };
  static constexpr std::size_t kCapacity = 4;

  std::array<Block, kCapacity> blocks{};
  std::uint8_t count = 0;

  constexpr bool push_back(Block b) {
    if (count == kCapacity) return false;
    blocks[count++] = b;
    return true;
  }
  constexpr const Block* begin() const { return blocks.data(); }
  constexpr const Block* end() const { return blocks.data() + count; }
  constexpr bool empty() const { return count == 0; }
  friend constexpr bool operator==(const SackBlocks& a, const SackBlocks& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
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
  std::optional<std::uint8_t> window_scale;  // RFC 7323 section 2, on SYNs; raw shift
  bool sack_permitted = false;               // RFC 2018 section 2, on SYNs
  std::optional<SegmentTimestamps> timestamps;
  SackBlocks<SeqT> sack;
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
           a.window_scale == b.window_scale && a.sack_permitted == b.sack_permitted &&
           a.timestamps == b.timestamps && a.sack == b.sack &&
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
