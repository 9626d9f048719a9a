// Segments from the scripted peer as templates plus overrides (STYLE.md
// item 12): each builder gives the segment a well-behaved peer would send
// right after the canonical handshake (numbers.hpp), and with() changes
// only what a test is about:
//
//   send(c, t, with(ack<C>(), {.seq = irs<C>() + 7}));
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tcpmc/core/segment.hpp>
#include <type_traits>

#include "numbers.hpp"

namespace tcpmc::core::test {

// One octet of payload, for data segments that only need to occupy a
// sequence number.
inline constexpr std::array<std::byte, 1> kOneOctet{std::byte{0x5A}};

namespace flags {
inline constexpr SegmentFlags kSyn{.syn = true};
inline constexpr SegmentFlags kSynAck{.syn = true, .ack = true};
inline constexpr SegmentFlags kAck{.ack = true};
inline constexpr SegmentFlags kFin{.ack = true, .fin = true};
inline constexpr SegmentFlags kRst{.rst = true};
inline constexpr SegmentFlags kRstAck{.ack = true, .rst = true};
inline constexpr SegmentFlags kSynFin{.syn = true, .fin = true};
inline constexpr SegmentFlags kNone{};
}  // namespace flags

// Fields a test may override; unset ones keep the template's value.
template <class SeqT>
struct Fields {
  std::optional<SeqT> seq{};
  std::optional<SeqT> ack{};
  std::optional<SegmentFlags> flags{};
  std::optional<std::uint32_t> window{};
  std::optional<std::optional<std::uint16_t>> mss{};
  std::optional<std::span<const std::byte>> payload{};
};

template <class SeqT>
Segment<SeqT> with(Segment<SeqT> s, const std::type_identity_t<Fields<SeqT>>& f) {
  if (f.seq) s.seq = *f.seq;
  if (f.ack) s.ack = *f.ack;
  if (f.flags) s.flags = *f.flags;
  if (f.window) s.window = *f.window;
  if (f.mss) s.mss = *f.mss;
  if (f.payload) s.payload = *f.payload;
  return s;
}

// The peer's segment with the given flags, numbered as after the handshake.
template <class C>
typename C::Seg from_peer(SegmentFlags f) {
  typename C::Seg s{};
  s.source = kPeer;
  s.destination = kUs;
  s.flags = f;
  s.seq = irs<C>() + 1U;
  if (f.ack) s.ack = iss<C>() + 1U;
  s.window = Canon<typename C::Params>::kPeerWindow;
  return s;
}

// The peer's connection request: SEQ = IRS, our MSS option honoured.
template <class C>
typename C::Seg syn() {
  return with(from_peer<C>(flags::kSyn),
              {.seq = irs<C>(), .mss = Canon<typename C::Params>::kPeerMss});
}

// The peer's answer to our SYN: it acknowledges ISS.
template <class C>
typename C::Seg syn_ack() {
  return with(from_peer<C>(flags::kSynAck),
              {.seq = irs<C>(), .mss = Canon<typename C::Params>::kPeerMss});
}

template <class C>
typename C::Seg ack() {
  return from_peer<C>(flags::kAck);
}

template <class C>
typename C::Seg data(std::span<const std::byte> payload = kOneOctet) {
  return with(from_peer<C>(flags::kAck), {.payload = payload});
}

template <class C>
typename C::Seg fin() {
  return from_peer<C>(flags::kFin);
}

template <class C>
typename C::Seg rst() {
  return from_peer<C>(flags::kRst);
}

template <class C>
typename C::Seg rst_ack() {
  return from_peer<C>(flags::kRstAck);
}

// Never sent by a correct TCP: a probe that scanners and fuzzers use.
template <class C>
typename C::Seg syn_fin() {
  return with(from_peer<C>(flags::kSynFin), {.seq = irs<C>()});
}

template <class C>
typename C::Seg no_flags() {
  return from_peer<C>(flags::kNone);
}

}  // namespace tcpmc::core::test
