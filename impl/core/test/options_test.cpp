// Option negotiation on the SYNs (RFC 7323 sections 2 and 3, RFC 2018
// section 2) and window scaling in use (RFC 7323 section 2).
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/listener.hpp>
#include <tcpmc/core/options.hpp>
#include <vector>

#include "pair.hpp"

namespace tcpmc::core {
namespace {

using model::State;
using C = Connection<StackParams>;
using Seg = C::Seg;
using Time = StackParams::Time;

constexpr Endpoint kClient{0xC6120001, 40000};  // 198.18.0.1
constexpr Endpoint kServer{0xC6120002, 80};     // 198.18.0.2

Config<StackParams> offering(bool ws, bool ts, bool sack) {
  auto c = Config<StackParams>::stack_defaults();
  c.isn_secret.fill(0x21);
  c.features = {.window_scaling = ws, .timestamps = ts, .sack = sack};
  return c;
}

// An active client and a passive server, and the three segments between
// them (none carries payload, so no buffer outlives the call).
struct Handshake {
  C client;
  C server;
  Seg syn{};
  Seg syn_ack{};
  Seg ack{};
};

Handshake handshake(const Config<StackParams>& client, const Config<StackParams>& server,
                    Time t = 5000) {
  Handshake h{C(client), C(server)};
  std::array<std::byte, 64> buf{};
  h.server.open_passive(t, kServer);
  h.client.open_active(t, {kClient, kServer});
  h.syn = *h.client.poll_transmit(t, buf);
  h.server.on_segment(t, h.syn);
  h.syn_ack = *h.server.poll_transmit(t, buf);
  h.client.on_segment(t, h.syn_ack);
  h.ack = *h.client.poll_transmit(t, buf);
  h.server.on_segment(t, h.ack);
  return h;
}

// --- The negotiation grid --------------------------------------------------

// Hand-written: what one option does for each combination of offers. An
// option rides on a SYN-ACK only if the SYN carried it, and is used only
// if both SYNs carried it (RFC 7323 2.2 for WS, 3.2 for TS; RFC 2018 2 for
// SACK-permitted).
struct Expectation {
  bool active_offers;
  bool passive_offers;
  bool in_syn;
  bool in_syn_ack;
  bool used;
};
constexpr std::array<Expectation, 4> kNegotiation = {{
    {false, false, false, false, false},
    {true, false, true, false, false},
    {false, true, false, false, false},  // a SYN-ACK may not offer what the SYN did not
    {true, true, true, true, true},
}};

const Expectation& expected(bool active_offers, bool passive_offers) {
  for (const Expectation& e : kNegotiation) {
    if (e.active_offers == active_offers && e.passive_offers == passive_offers) return e;
  }
  return kNegotiation[0];
}

// RFC 7323 2.2, 3.2 and RFC 2018 2, for each of 8 x 8 offer combinations.
TEST(OptionGrid, EachOption_UsedOnlyIfBothSynsCarryIt) {
  for (unsigned a = 0; a < 8; ++a) {
    for (unsigned p = 0; p < 8; ++p) {
      const std::array<bool, 3> ao{(a & 1) != 0, (a & 2) != 0, (a & 4) != 0};
      const std::array<bool, 3> po{(p & 1) != 0, (p & 2) != 0, (p & 4) != 0};
      SCOPED_TRACE(testing::Message() << "active ws,ts,sack=" << ao[0] << ao[1] << ao[2]
                                      << " passive=" << po[0] << po[1] << po[2]);
      Handshake h = handshake(offering(ao[0], ao[1], ao[2]), offering(po[0], po[1], po[2]));
      ASSERT_EQ(h.client.state(), State::Established);
      ASSERT_EQ(h.server.state(), State::Established);

      const Expectation& ws = expected(ao[0], po[0]);
      EXPECT_EQ(h.syn.window_scale.has_value(), ws.in_syn);
      EXPECT_EQ(h.syn_ack.window_scale.has_value(), ws.in_syn_ack);
      EXPECT_FALSE(h.ack.window_scale.has_value());  // RFC 7323 2.2: only on SYNs
      EXPECT_EQ(h.client.window_scaling(), ws.used);
      EXPECT_EQ(h.server.window_scaling(), ws.used);
      EXPECT_EQ(h.client.snd_wscale(), ws.used ? C::kOurWindowShift : 0);
      EXPECT_EQ(h.server.snd_wscale(), ws.used ? C::kOurWindowShift : 0);
      EXPECT_EQ(h.client.rcv_wscale(), ws.used ? C::kOurWindowShift : 0);

      const Expectation& ts = expected(ao[1], po[1]);
      EXPECT_EQ(h.syn.timestamps.has_value(), ts.in_syn);
      EXPECT_EQ(h.syn_ack.timestamps.has_value(), ts.in_syn_ack);
      EXPECT_EQ(h.ack.timestamps.has_value(), ts.used);  // RFC 7323 3.2: then on every segment
      EXPECT_EQ(h.client.timestamps(), ts.used);
      EXPECT_EQ(h.server.timestamps(), ts.used);
      if (ts.in_syn) {
        EXPECT_EQ(h.syn.timestamps->echo, 0U);  // no ACK: TSecr zero
      }
      if (ts.used) {
        EXPECT_EQ(h.syn_ack.timestamps->echo, h.syn.timestamps->value);
        EXPECT_EQ(h.ack.timestamps->echo, h.syn_ack.timestamps->value);
      }

      const Expectation& sack = expected(ao[2], po[2]);
      EXPECT_EQ(h.syn.sack_permitted, sack.in_syn);
      EXPECT_EQ(h.syn_ack.sack_permitted, sack.in_syn_ack);
      EXPECT_FALSE(h.ack.sack_permitted);  // RFC 2018 2: only on SYNs
      EXPECT_EQ(h.client.sack_permitted(), sack.used);
      EXPECT_EQ(h.server.sack_permitted(), sack.used);

      // The MSS option is independent of all three (RFC 9293 3.7.1).
      EXPECT_TRUE(h.syn.mss.has_value());
      EXPECT_TRUE(h.syn_ack.mss.has_value());
    }
  }
}

// RFC 7323 2.2: a SYN-ACK that offers a shift the SYN never asked for is
// not scaling; the active side ignores it (and the same for TS, SACK).
TEST(OptionGrid, SynSent_SynAckWithUnaskedOptions_Ignored) {
  C client(offering(false, false, false));
  std::array<std::byte, 64> buf{};
  client.open_active(0, {kClient, kServer});
  const Seg syn = *client.poll_transmit(0, buf);
  Seg syn_ack{};
  syn_ack.source = kServer;
  syn_ack.destination = kClient;
  syn_ack.seq = C::Seq(7000);
  syn_ack.ack = syn.seq + 1U;
  syn_ack.flags = {.syn = true, .ack = true};
  syn_ack.window = 1000;
  syn_ack.window_scale = 7;
  syn_ack.sack_permitted = true;
  syn_ack.timestamps = SegmentTimestamps{1, 1};
  client.on_segment(1, syn_ack);
  ASSERT_EQ(client.state(), State::Established);
  EXPECT_FALSE(client.window_scaling());
  EXPECT_FALSE(client.timestamps());
  EXPECT_FALSE(client.sack_permitted());
  const Seg ack = *client.poll_transmit(1, buf);
  EXPECT_FALSE(ack.timestamps.has_value());
  EXPECT_EQ(client.snd_wnd(), 1000U);
}

// --- Window scaling --------------------------------------------------------

// RFC 7323 2.2: our shift is the smallest that offers the whole buffer.
TEST(WindowScale, Shift_FromReceiveBuffer) {
  EXPECT_EQ(window_shift_for(65535), 0);
  EXPECT_EQ(window_shift_for(65536), 1);
  EXPECT_EQ(window_shift_for(256 * 1024), 3);  // 65535 << 2 is 4 octets short
  EXPECT_EQ(window_shift_for(std::size_t{1} << 30), 14);
  EXPECT_EQ(window_shift_for(std::size_t{1} << 34), 14);  // RFC 7323 2.3: at most 14
  EXPECT_EQ(C::kOurWindowShift, 3);
}

// RFC 7323 2.4: rounding never moves the right edge already offered back.
TEST(WindowScale, Field_RoundsUpOnlyToKeepTheRightEdge) {
  EXPECT_EQ(scaled_window_field(262144, 0, 3), 32768U);
  EXPECT_EQ(scaled_window_field(1000, 0, 3), 125U);
  EXPECT_EQ(scaled_window_field(1007, 0, 3), 125U);     // down: nothing offered beyond
  EXPECT_EQ(scaled_window_field(1007, 1007, 3), 126U);  // up: 1000 would retract 7
  EXPECT_EQ(scaled_window_field(1u << 30, 0, 14), 65535U);
}

// RFC 7323 2.3: a shift above 14 is used as 14.
TEST(WindowScale, Listen_SynAnnouncingShift15_ClampedTo14) {
  const auto config = offering(true, false, false);
  C server(config);
  std::array<std::byte, 64> buf{};
  server.open_passive(0, kServer);
  Seg syn{};
  syn.source = kClient;
  syn.destination = kServer;
  syn.seq = C::Seq(100);
  syn.flags = {.syn = true};
  syn.window = 500;
  syn.window_scale = 15;
  server.on_segment(0, syn);
  const Seg syn_ack = *server.poll_transmit(0, buf);
  ASSERT_TRUE(syn_ack.window_scale.has_value());
  EXPECT_EQ(*syn_ack.window_scale, C::kOurWindowShift);
  EXPECT_EQ(server.snd_wscale(), kMaxWindowShift);
  EXPECT_EQ(server.snd_wnd(), 500U);  // the SYN's window is not scaled
  Seg ack{};
  ack.source = kClient;
  ack.destination = kServer;
  ack.seq = C::Seq(101);
  ack.ack = syn_ack.seq + 1U;
  ack.flags = {.ack = true};
  ack.window = 3;
  server.on_segment(0, ack);
  ASSERT_EQ(server.state(), State::Established);
  EXPECT_EQ(server.snd_wnd(), 3U << 14);
}

// RFC 7323 2.2: the window of a SYN or SYN-ACK is never scaled, in either
// direction; every later window is.
TEST(WindowScale, SynWindows_Unscaled_LaterWindowsScaled) {
  Handshake h = handshake(offering(true, false, false), offering(true, false, false));
  EXPECT_EQ(h.syn.window, 65535U);      // the buffer is larger; the field is not scaled
  EXPECT_EQ(h.syn_ack.window, 65535U);
  EXPECT_EQ(h.client.snd_wnd(), 65535U);  // from the SYN-ACK, unscaled
  EXPECT_EQ(h.ack.window, (256U * 1024U) >> 3);
  EXPECT_EQ(h.server.snd_wnd(), 256U * 1024U);

  // A SYN-ACK whose window would mean something else if scaled.
  C client(offering(true, false, false));
  std::array<std::byte, 64> buf{};
  client.open_active(0, {kClient, kServer});
  const Seg syn = *client.poll_transmit(0, buf);
  Seg syn_ack{};
  syn_ack.source = kServer;
  syn_ack.destination = kClient;
  syn_ack.seq = C::Seq(7000);
  syn_ack.ack = syn.seq + 1U;
  syn_ack.flags = {.syn = true, .ack = true};
  syn_ack.window = 1000;
  syn_ack.window_scale = 7;
  client.on_segment(1, syn_ack);
  EXPECT_EQ(client.snd_wnd(), 1000U);
  Seg update = syn_ack;
  update.flags = {.ack = true};
  update.seq = C::Seq(7001);
  update.window_scale.reset();
  client.on_segment(2, update);
  EXPECT_EQ(client.snd_wnd(), 1000U << 7);
}

struct Flow {
  std::vector<std::byte> out;
  std::vector<std::byte> in;
  std::size_t sent = 0;
};

void pump(C& c, Time now, Flow& mine, Flow& theirs) {
  std::array<std::byte, 8192> buf{};
  for (;;) {
    const auto r = c.receive(now, buf);
    if (r.bytes == 0) break;
    theirs.in.insert(theirs.in.end(), buf.begin(),
                     buf.begin() + static_cast<std::ptrdiff_t>(r.bytes));
  }
  if (c.state() == State::Established && mine.sent < mine.out.size()) {
    mine.sent += c.send(now, std::span(mine.out).subspan(mine.sent)).accepted;
  }
}

// Both directions at once over a 2 ms round trip; returns the most octets
// each side had in flight.
std::array<std::uint32_t, 2> transfer(const Config<StackParams>& config, std::size_t bytes) {
  test::Pair<C> p(config, {.delay = 1000}, 7);
  Flow ab{test::pattern(bytes, 1), {}, 0};
  Flow ba{test::pattern(bytes, 2), {}, 0};
  p.b.open_passive(p.now, kServer);
  p.a.open_active(p.now, {kClient, kServer});
  std::array<std::uint32_t, 2> most{};
  const bool done = p.run_until([&] {
    pump(p.a, p.now, ab, ba);
    pump(p.b, p.now, ba, ab);
    for (int i = 0; i < 2; ++i) {
      const C& c = i == 0 ? p.a : p.b;
      most[static_cast<std::size_t>(i)] =
          std::max(most[static_cast<std::size_t>(i)], model::distance(c.snd_una(), c.snd_max()));
    }
    return ab.in.size() == bytes && ba.in.size() == bytes;
  });
  EXPECT_TRUE(done);
  EXPECT_EQ(ab.in, ab.out);
  EXPECT_EQ(ba.in, ba.out);
  return most;
}

// RFC 7323 2: with scaling, a 256 KiB window is usable in both directions:
// far more than 64 KiB is in flight each way.
TEST(WindowScale, Pair_BothDirections_MoreThan64KiBInFlight) {
  const auto most = transfer(offering(true, true, true), 4 * 1024 * 1024);
  EXPECT_GT(most[0], 65535U * 2);
  EXPECT_GT(most[1], 65535U * 2);
}

// Without it the 16-bit field caps what may be in flight (RFC 9293 3.8.6).
TEST(WindowScale, Pair_Unscaled_AtMost64KiBInFlight) {
  const auto most = transfer(offering(false, true, true), 1024 * 1024);
  EXPECT_LE(most[0], 65535U);
  EXPECT_LE(most[1], 65535U);
}

// --- The listener ----------------------------------------------------------

// Listener: the SYN-ACK of a queued half-open entry carries the options
// its SYN offered, and the accepted connection uses them.
TEST(ListenerOptions, HalfOpen_SynAckCarriesNegotiatedOptions) {
  const auto config = offering(true, true, true);
  Listener<StackParams> l(kServer, {4, 4}, config, false);
  C client(config);
  std::array<std::byte, 64> buf{};
  client.open_active(0, {kClient, kServer});
  l.on_segment(0, *client.poll_transmit(0, buf));
  const Seg syn_ack = *l.poll_transmit(0, buf);
  EXPECT_EQ(syn_ack.window_scale, std::optional<std::uint8_t>(C::kOurWindowShift));
  EXPECT_TRUE(syn_ack.sack_permitted);
  ASSERT_TRUE(syn_ack.timestamps.has_value());
  // Its retransmission, from the compact entry, offers the same.
  l.on_timer(config.rto.initial);
  const Seg again = *l.poll_transmit(config.rto.initial, buf);
  EXPECT_EQ(again.window_scale, syn_ack.window_scale);
  EXPECT_TRUE(again.sack_permitted);
  ASSERT_TRUE(again.timestamps.has_value());
  EXPECT_EQ(again.timestamps->echo, syn_ack.timestamps->echo);
  EXPECT_FALSE(ts_before(again.timestamps->value, syn_ack.timestamps->value));
  client.on_segment(config.rto.initial, again);
  l.on_segment(config.rto.initial, *client.poll_transmit(config.rto.initial, buf));
  auto server = l.accept();
  ASSERT_TRUE(server);
  EXPECT_TRUE(server->window_scaling());
  EXPECT_TRUE(server->timestamps());
  EXPECT_TRUE(server->sack_permitted());
  EXPECT_EQ(server->snd_wscale(), C::kOurWindowShift);
  EXPECT_EQ(server->snd_wnd(), client.rcv_wnd());
}

// RFC 4987 3.6 and this listener's cookie (syn_cookie.hpp): a cookie keeps
// only the MSS, so its SYN-ACK offers no other option and the connection
// runs without them (RFC 7323 2.2: never scale what the peer may not know).
TEST(ListenerOptions, Cookie_SynAckOffersNoOptions) {
  const auto config = offering(true, true, true);
  Listener<StackParams> l(kServer, {0, 4}, config, true);
  C client(config);
  std::array<std::byte, 64> buf{};
  client.open_active(0, {kClient, kServer});
  l.on_segment(0, *client.poll_transmit(0, buf));
  EXPECT_EQ(l.counters().cookies_sent, 1U);
  const Seg syn_ack = *l.poll_transmit(0, buf);
  EXPECT_FALSE(syn_ack.window_scale.has_value());
  EXPECT_FALSE(syn_ack.sack_permitted);
  EXPECT_FALSE(syn_ack.timestamps.has_value());
  client.on_segment(1, syn_ack);
  EXPECT_FALSE(client.window_scaling());
  EXPECT_FALSE(client.timestamps());
  l.on_segment(1, *client.poll_transmit(1, buf));
  EXPECT_EQ(l.counters().cookies_validated, 1U);
  auto server = l.accept();
  ASSERT_TRUE(server);
  EXPECT_FALSE(server->window_scaling());
  EXPECT_FALSE(server->timestamps());
  EXPECT_FALSE(server->sack_permitted());
}

}  // namespace
}  // namespace tcpmc::core
