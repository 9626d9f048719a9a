// Drives one Connection with a sequence of operations decoded from bytes:
// segments from a peer (flags, sequence and acknowledgment numbers near the
// connection's own or anywhere, payload, window), user calls and clock
// advances, checking the invariants after every step. The fuzzer feeds it
// arbitrary bytes; a test feeds it seeded random bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <tcpmc/core/connection.hpp>
#include <tcpmc/verify/monitor.hpp>

namespace tcpmc::verify {

// Reads the input a byte at a time; past the end it yields zeros.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> in) : in_(in) {}
  bool done() const { return pos_ >= in_.size(); }
  std::uint8_t u8() { return pos_ < in_.size() ? in_[pos_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() << 8 | u8()); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) << 16 | u16(); }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

// The peer's stream: the byte at each sequence number is fixed, so any
// byte delivered twice or out of place shows.
template <class Seq>
std::byte peer_byte(Seq s) {
  const std::uint32_t x = s.raw() * 2654435761U;
  return static_cast<std::byte>(x >> 24);
}

// What a run did, so that tests can tell it went somewhere.
struct OpsStats {
  std::array<std::uint64_t, model::kStateCount> visits{};  // per state, after each op
  std::uint64_t ops = 0;
  std::uint64_t segments_sent = 0;
  std::uint64_t bytes_delivered = 0;
};

template <class C>
std::optional<Violation> run_connection_ops(std::span<const std::uint8_t> input,
                                            std::size_t max_ops = 512,
                                            OpsStats* stats = nullptr) {
  using Seq = typename C::Seq;
  using Seg = typename C::Seg;
  using Time = typename C::Time;
  constexpr core::Endpoint kUs{0xC6120002, 80};
  constexpr core::Endpoint kPeer{0xC6120001, 40000};

  auto config = C::Params::kSeqBits == 32 ? core::Config<typename C::Params>::stack_defaults()
                                          : core::Config<typename C::Params>::small_defaults();
  C c(config);
  ConnectionMonitor<C> monitor(&peer_byte<Seq>,
                               static_cast<Time>(C::kSpec.time_wait_msl * config.msl));
  ByteReader in(input);
  Time now = 0;
  std::vector<std::byte> scratch(70000);
  std::array<std::byte, 256> payload{};

  const auto settle = [&](model::State before) {
    monitor.after_call(c, before, now);
    while (auto s = c.poll_transmit(now, scratch)) {
      monitor.sent(*s);
      if (stats != nullptr) ++stats->segments_sent;
    }
    while (c.poll_event()) {
    }
    if (stats != nullptr) {
      ++stats->ops;
      ++stats->visits[model::index(c.state())];
    }
  };

  for (std::size_t op = 0; op < max_ops && !in.done() && !monitor.violation(); ++op) {
    const model::State before = c.state();
    switch (in.u8() % 8) {
      case 0: {  // a segment from the peer
        const std::uint8_t f = in.u8();
        Seg s{};
        s.source = kPeer;
        s.destination = kUs;
        s.flags = {.syn = (f & 1) != 0, .ack = (f & 2) != 0, .fin = (f & 4) != 0,
                   .rst = (f & 8) != 0, .psh = (f & 16) != 0};
        const std::uint8_t how = in.u8();
        // Mostly exactly where the connection expects, sometimes a little
        // off either way: that is where the RFC's distinctions lie.
        const auto near = [&](Seq base) {
          const std::uint8_t d = in.u8();
          const int delta = (d & 3) != 0 ? 0 : static_cast<std::int8_t>(d) / 4;
          return base + static_cast<std::uint32_t>(delta);
        };
        s.seq = (how & 1) != 0 ? Seq(in.u32()) : near(c.rcv_nxt());
        s.ack = (how & 2) != 0 ? Seq(in.u32()) : near(c.snd_max());
        s.window = (how & 4) != 0 ? in.u16() : 65535;
        if ((how & 8) != 0) s.mss = in.u16();
        const std::size_t len = std::min<std::size_t>(in.u8() % 80, payload.size());
        const Seq first = s.flags.syn ? s.seq + 1U : s.seq;
        for (std::size_t i = 0; i < len; ++i) {
          payload[i] = peer_byte(first + static_cast<std::uint32_t>(i));
        }
        s.payload = std::span<const std::byte>(payload.data(), len);
        c.on_segment(now, s);
        break;
      }
      case 1: {
        const std::size_t n = in.u8() % 200;
        c.send(now, std::span<const std::byte>(scratch.data(), n));
        break;
      }
      case 2: {
        std::array<std::byte, 512> out{};
        const auto r = c.receive(now, out);
        monitor.delivered(std::span(out).first(r.bytes));
        if (stats != nullptr) stats->bytes_delivered += r.bytes;
        break;
      }
      case 3: c.close(now); break;
      case 4: c.abort(now); break;
      case 5: {  // time passes, by a little or up to a deadline and beyond
        const std::uint8_t k = in.u8();
        const auto deadline = c.next_deadline();
        if ((k & 1) != 0 && deadline && *deadline > now) {
          now = *deadline + static_cast<Time>(k >> 4);
        } else {
          now += static_cast<Time>(k) * (C::Params::kSecond / 100 + 1);
        }
        c.on_timer(now);
        break;
      }
      case 6: c.open_passive(now, kUs); break;
      default: c.open_active(now, {kUs, kPeer}); break;
    }
    settle(before);
  }
  return monitor.violation();
}

}  // namespace tcpmc::verify
