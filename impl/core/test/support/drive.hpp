// Drivers for a connection under test (STYLE.md item 12): hand it a
// segment, take what it transmits, and check that against what a test
// expects. The GoogleTest-checking ones (expect_*) report at the caller's
// line through non-fatal EXPECTs; the grid uses transmitted(),
// which only observes.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <tcpmc/core/connection.hpp>
#include <vector>

namespace tcpmc::core::test {

// A segment the connection sent, with its payload copied out (the span in
// a Segment points into the caller's buffer).
template <class C>
struct Sent {
  typename C::Seg seg;
  std::vector<std::byte> payload;
};

// Hands `seg` to `c` at time `t`; returns the table rows that fired.
template <class C>
std::vector<std::uint16_t> send(C& c, typename C::Time t, const typename C::Seg& seg) {
  c.on_segment(t, seg);
  const auto rows = c.last_rows();
  return {rows.begin(), rows.end()};
}

// Everything `c` transmits at time `t`, in order.
template <class C>
std::vector<Sent<C>> transmitted(C& c, typename C::Time t) {
  std::vector<Sent<C>> out;
  std::vector<std::byte> buf(65536);
  // Bounded: a connection that never stops sending is itself a failure.
  for (int i = 0; i < 1000; ++i) {
    auto s = c.poll_transmit(t, buf);
    if (!s) break;
    Sent<C> sent{*s, {s->payload.begin(), s->payload.end()}};
    sent.seg.payload = {};
    out.push_back(std::move(sent));
  }
  return out;
}

// What a test expects of a segment; unset fields are not checked.
template <class SeqT>
struct Expected {
  std::optional<SegmentFlags> flags{};
  std::optional<SeqT> seq{};
  std::optional<SeqT> ack{};
  std::optional<std::size_t> payload{};
  std::optional<std::uint32_t> window{};
};

// The next segment `c` transmits at `t` must exist and match `e`.
template <class C>
std::optional<typename C::Seg> expect_sent(C& c, typename C::Time t,
                                           const Expected<typename C::Seq>& e) {
  std::vector<std::byte> buf(65536);
  auto s = c.poll_transmit(t, buf);
  EXPECT_TRUE(s.has_value()) << "expected a segment, nothing was sent";
  if (!s) return std::nullopt;
  if (e.flags) {
    EXPECT_EQ(s->flags.syn, e.flags->syn) << "SYN flag";
    EXPECT_EQ(s->flags.ack, e.flags->ack) << "ACK flag";
    EXPECT_EQ(s->flags.fin, e.flags->fin) << "FIN flag";
    EXPECT_EQ(s->flags.rst, e.flags->rst) << "RST flag";
  }
  if (e.seq) {
    EXPECT_EQ(s->seq.raw(), e.seq->raw()) << "SEQ";
  }
  if (e.ack) {
    EXPECT_EQ(s->ack.raw(), e.ack->raw()) << "ACK";
  }
  if (e.payload) {
    EXPECT_EQ(s->payload.size(), *e.payload) << "payload length";
  }
  if (e.window) {
    EXPECT_EQ(s->window, *e.window) << "window";
  }
  s->payload = {};
  return s;
}

// `c` has nothing to transmit at `t`.
template <class C>
void expect_nothing(C& c, typename C::Time t) {
  const auto out = transmitted(c, t);
  EXPECT_TRUE(out.empty()) << "expected silence, " << out.size() << " segment(s) sent; first "
                           << "SEQ=" << out.front().seg.seq.raw()
                           << " ACK=" << out.front().seg.ack.raw();
}

// The user events `c` has raised, taken.
template <class C>
std::vector<UserEvent> events(C& c) {
  std::vector<UserEvent> out;
  while (auto e = c.poll_event()) out.push_back(*e);
  return out;
}

}  // namespace tcpmc::core::test
