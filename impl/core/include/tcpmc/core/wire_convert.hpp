// The edge between the codec and the engine: a parsed wire segment becomes
// the engine's Segment<Seq<32>> and back. Only the runtime and the tests
// call this; the explorer builds its small segments directly.
//
// What the engine does not read is dropped on the way in (URG and the urgent
// pointer, ECE/CWR, IP TTL and TOS) and set to the usual values on the way
// out (TTL 64, DF set, no urgent data), as RFC 9293 section 3.8.5 lets a
// stack that does not implement urgent data do.
#pragma once

#include <cstdint>

#include <tcpmc/core/segment.hpp>
#include <tcpmc/model/seq.hpp>
#include <tcpmc/wire/repr.hpp>

namespace tcpmc::core {

using WireSegment = Segment<model::Seq<32>>;

inline Endpoint endpoint_of(wire::Ipv4Address address, std::uint16_t port) {
  return {address.to_u32(), port};
}

// The payload span keeps pointing into the parsed buffer.
inline WireSegment from_wire(const wire::SegmentRepr& r) {
  using S = model::Seq<32>;
  WireSegment s;
  s.source = endpoint_of(r.ip.source, r.tcp.source_port);
  s.destination = endpoint_of(r.ip.destination, r.tcp.destination_port);
  s.seq = S(r.tcp.seq);
  s.ack = S(r.tcp.ack);
  s.flags = {r.tcp.flags.syn(), r.tcp.flags.ack(), r.tcp.flags.fin(), r.tcp.flags.rst(),
             r.tcp.flags.psh()};
  s.window = r.tcp.window;
  const wire::TcpOptions& o = r.tcp.options;
  s.mss = o.mss;
  if (o.window_scale) s.window_scale = o.window_scale->raw();
  s.sack_permitted = o.sack_permitted;
  if (o.timestamps) s.timestamps = SegmentTimestamps{o.timestamps->tsval, o.timestamps->tsecr};
  for (const wire::SackBlock& b : o.sack) s.sack.push_back({S(b.left), S(b.right)});
  s.payload = r.tcp.payload;
  return s;
}

// The window must already fit 16 bits (the engine scales before it builds a
// segment); a larger value is clamped rather than truncated.
inline wire::SegmentRepr to_wire(const WireSegment& s, std::uint8_t ttl = 64) {
  wire::SegmentRepr r;
  r.ip.source = wire::Ipv4Address::from_u32(s.source.address);
  r.ip.destination = wire::Ipv4Address::from_u32(s.destination.address);
  r.ip.ttl = ttl;
  r.ip.dont_fragment = true;
  r.tcp.source_port = s.source.port;
  r.tcp.destination_port = s.destination.port;
  r.tcp.seq = s.seq.raw();
  r.tcp.ack = s.flags.ack ? s.ack.raw() : 0;
  wire::TcpFlags f;
  if (s.flags.syn) f = f.with(wire::TcpFlag::Syn);
  if (s.flags.ack) f = f.with(wire::TcpFlag::Ack);
  if (s.flags.fin) f = f.with(wire::TcpFlag::Fin);
  if (s.flags.rst) f = f.with(wire::TcpFlag::Rst);
  if (s.flags.psh) f = f.with(wire::TcpFlag::Psh);
  r.tcp.flags = f;
  r.tcp.window = static_cast<std::uint16_t>(s.window > 0xFFFFU ? 0xFFFFU : s.window);
  wire::TcpOptions& o = r.tcp.options;
  o.mss = s.mss;
  if (s.window_scale) o.window_scale = wire::WindowScale(*s.window_scale);
  o.sack_permitted = s.sack_permitted;
  if (s.timestamps) o.timestamps = wire::Timestamps{s.timestamps->value, s.timestamps->echo};
  for (const auto& b : s.sack) o.sack.push_back({b.left.raw(), b.right.raw()});
  r.tcp.payload = s.payload;
  return r;
}

}  // namespace tcpmc::core
