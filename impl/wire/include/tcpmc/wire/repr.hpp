// Parsed representations: what an IPv4 + TCP packet says, as plain values
// the engine can read and build. parse() produces them from bytes after
// validating everything; emit() turns them back into bytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tcpmc/wire/address.hpp>
#include <tcpmc/wire/options.hpp>
#include <tcpmc/wire/view.hpp>

namespace tcpmc::wire {

// Bit values in the TCP header's flags byte (RFC 9293 section 3.1; CWR and
// ECE from RFC 3168).
enum class TcpFlag : std::uint8_t {
  Fin = 0x01,
  Syn = 0x02,
  Rst = 0x04,
  Psh = 0x08,
  Ack = 0x10,
  Urg = 0x20,
  Ece = 0x40,
  Cwr = 0x80,
};

// Any combination is representable: whether SYN+FIN means anything is the
// engine's question, not the codec's.
class TcpFlags {
 public:
  constexpr TcpFlags() = default;
  constexpr TcpFlags(TcpFlag f)
      : bits_(static_cast<std::uint8_t>(f)) {}  // NOLINT: a flag is a set of one
  static constexpr TcpFlags from_bits(std::uint8_t bits) {
    TcpFlags f;
    f.bits_ = bits;
    return f;
  }

  constexpr std::uint8_t bits() const { return bits_; }
  constexpr bool has(TcpFlag f) const { return (bits_ & static_cast<std::uint8_t>(f)) != 0; }
  constexpr bool none() const { return bits_ == 0; }
  constexpr TcpFlags with(TcpFlag f) const {
    return from_bits(bits_ | static_cast<std::uint8_t>(f));
  }
  constexpr TcpFlags without(TcpFlag f) const {
    return from_bits(static_cast<std::uint8_t>(bits_ & ~static_cast<unsigned>(f)));
  }

  constexpr bool fin() const { return has(TcpFlag::Fin); }
  constexpr bool syn() const { return has(TcpFlag::Syn); }
  constexpr bool rst() const { return has(TcpFlag::Rst); }
  constexpr bool psh() const { return has(TcpFlag::Psh); }
  constexpr bool ack() const { return has(TcpFlag::Ack); }
  constexpr bool urg() const { return has(TcpFlag::Urg); }
  constexpr bool ece() const { return has(TcpFlag::Ece); }
  constexpr bool cwr() const { return has(TcpFlag::Cwr); }

  friend constexpr TcpFlags operator|(TcpFlags a, TcpFlags b) {
    return from_bits(a.bits_ | b.bits_);
  }
  constexpr bool operator==(const TcpFlags&) const = default;

 private:
  std::uint8_t bits_ = 0;
};

constexpr TcpFlags operator|(TcpFlag a, TcpFlag b) { return TcpFlags(a) | TcpFlags(b); }

// The IPv4 fields a TCP stack reads or sets. IP options are validated by
// length and skipped, MF and the fragment offset are always zero (fragments
// are rejected), and the reserved flag bit is ignored on parse and sent as
// zero; none of them is kept, so emit() writes a 20-byte header.
struct Ipv4Repr {
  Ipv4Address source;
  Ipv4Address destination;
  std::uint8_t ttl = 64;
  bool dont_fragment = true;
  std::uint16_t identification = 0;
  std::uint8_t tos = 0;  // DSCP and ECN, as carried

  constexpr bool operator==(const Ipv4Repr&) const = default;
};

// The TCP header as values. The window is the raw 16-bit field: scaling it
// by the negotiated shift is the engine's job. The four reserved bits of
// byte 12 are ignored on parse and sent as zero.
struct TcpRepr {
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  TcpFlags flags;
  std::uint16_t window = 0;
  std::uint16_t urgent_pointer = 0;  // kept even without URG, for exact round trips
  TcpOptions options;
  // Points into the parsed buffer (or the caller's data for emit): the
  // representation is only valid as long as those bytes are.
  std::span<const std::byte> payload;

  std::size_t header_len() const { return tcp_layout::min_header_len + options.wire_size(); }

  // Payload bytes are compared, not where they live.
  friend bool operator==(const TcpRepr& a, const TcpRepr& b) {
    return a.source_port == b.source_port && a.destination_port == b.destination_port &&
           a.seq == b.seq && a.ack == b.ack && a.flags == b.flags && a.window == b.window &&
           a.urgent_pointer == b.urgent_pointer && a.options == b.options &&
           std::equal(a.payload.begin(), a.payload.end(), b.payload.begin(), b.payload.end());
  }
};

struct SegmentRepr {
  Ipv4Repr ip;
  TcpRepr tcp;

  // Bytes emit() writes.
  std::size_t wire_size() const {
    return ipv4_layout::min_header_len + tcp.header_len() + tcp.payload.size();
  }

  friend bool operator==(const SegmentRepr&, const SegmentRepr&) = default;
};

}  // namespace tcpmc::wire
