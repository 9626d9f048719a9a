// Helpers shared by the impl/wire tests: packets as byte vectors, a valid
// template segment to start from, and byte-level edits that keep or
// deliberately break the checksums.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <span>
#include <tcpmc/wire/wire.hpp>
#include <vector>

#include "data/linux_captures.hpp"

namespace tcpmc::wire::test {

using Packet = std::vector<std::byte>;

template <std::size_t N>
Packet packet_of(const std::array<unsigned char, N>& bytes) {
  Packet p(N);
  for (std::size_t i = 0; i < N; ++i) p[i] = static_cast<std::byte>(bytes[i]);
  return p;
}

inline Packet bytes(std::initializer_list<int> values) {
  Packet p;
  for (const int v : values) p.push_back(static_cast<std::byte>(v));
  return p;
}

inline constexpr Ipv4Address client{198, 18, 0, 1};
inline constexpr Ipv4Address server{198, 18, 0, 2};

// A plain ACK from client to server with no options and no payload.
inline SegmentRepr template_segment() {
  SegmentRepr r;
  r.ip.source = client;
  r.ip.destination = server;
  r.ip.identification = 0x1234;
  r.tcp.source_port = 40001;
  r.tcp.destination_port = 5001;
  r.tcp.seq = 1000;
  r.tcp.ack = 2000;
  r.tcp.flags = TcpFlag::Ack;
  r.tcp.window = 502;
  return r;
}

inline Packet emit_packet(const SegmentRepr& r, ChecksumPolicy policy = {}) {
  Packet p(r.wire_size());
  const auto n = emit(r, p, policy);
  if (!n || *n != p.size()) return {};
  return p;
}

// Recomputes both checksums of a packet whose IPv4 header is 20 bytes and
// whose total length is the packet's size, after a test edited its bytes.
inline void refill_checksums(Packet& p) {
  const auto view = Ipv4View::make(p);
  fill_ipv4_checksum(std::span(p).first(view->header_len()));
  fill_tcp_checksum(view->source(), view->destination(), std::span(p).subspan(view->header_len()));
}

inline void set_u8(Packet& p, std::size_t offset, unsigned value) {
  p.at(offset) = static_cast<std::byte>(value);
}

inline void set_be16(Packet& p, std::size_t offset, unsigned value) {
  set_u8(p, offset, (value >> 8) & 0xFFU);
  set_u8(p, offset + 1, value & 0xFFU);
}

// Replaces the options area of a packet built from template_segment() and
// fixes data offset, total length and checksums. `options` must have a
// length divisible by 4 for the data offset to describe it exactly.
inline Packet with_options(const Packet& base, const Packet& options) {
  // Sized up front: g++ 12 misreads a vector insert here as out of bounds.
  Packet p(40 + options.size());
  std::copy(base.begin(), base.begin() + 40, p.begin());
  std::copy(options.begin(), options.end(), p.begin() + 40);
  set_u8(p, 20 + tcp_layout::data_offset, static_cast<unsigned>((20 + options.size()) / 4) << 4);
  set_be16(p, ipv4_layout::total_length, static_cast<unsigned>(p.size()));
  refill_checksums(p);
  return p;
}

}  // namespace tcpmc::wire::test

namespace tcpmc::wire {
// So that failing expectations print names, not numbers.
inline void PrintTo(WireError e, std::ostream* os) { *os << to_string(e); }
}  // namespace tcpmc::wire
