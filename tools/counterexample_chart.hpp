// A counterexample of the explorer as a message sequence chart. The moves
// are replayed and each state compared with the one before: what left the
// network, what entered it, which side changed state, what its user did or
// was told. Reading the states rather than the narration keeps the chart
// independent of how the narration is worded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tcpmc/graphs/sequence_chart.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <vector>

namespace tcpmc::tools {

inline std::string segment_label(const verify::explore::Packet& p) {
  std::string flags;
  for (auto [bit, name] : {std::pair{1, "SYN"}, {2, "ACK"}, {4, "FIN"}, {8, "RST"}}) {
    if ((p.flags & bit) != 0) {
      if (!flags.empty()) flags += ',';
      flags += name;
    }
  }
  std::string label = flags.empty() ? std::string("(no flags)") : flags;
  label += " seq=" + std::to_string(p.seq);
  if ((p.flags & 2) != 0) label += " ack=" + std::to_string(p.ack);
  for (std::uint8_t i = 0; i < p.len; ++i) {
    label += i == 0 ? " data=" : ",";
    label += std::to_string(p.bytes[i]);
  }
  return label;
}

template <const model::Spec& S>
graphs::SequenceChart counterexample_chart(const verify::explore::Bounds& bounds,
                                           const std::vector<verify::explore::Move>& path) {
  using namespace verify::explore;
  using graphs::ChartEvent;
  using graphs::Side;
  using Kind = ChartEvent::Kind;

  graphs::SequenceChart chart;
  Stepper<S> stepper(bounds);
  System<S> s = System<S>::initial(bounds);
  chart.initial_state = {std::string(model::rfc_name(s.client.state())),
                         std::string(model::rfc_name(s.server.state()))};

  // The segments in flight, each with the chart message it is.
  struct Tracked {
    Packet packet;
    std::uint32_t message;
  };
  std::vector<Tracked> flying;
  const auto take = [&](const Packet& p) -> std::optional<std::uint32_t> {
    for (std::size_t i = 0; i < flying.size(); ++i) {
      if (flying[i].packet == p) {
        const std::uint32_t m = flying[i].message;
        flying.erase(flying.begin() + static_cast<std::ptrdiff_t>(i));
        return m;
      }
    }
    return std::nullopt;
  };
  const auto receiver = [](const Packet& p) { return p.to_server ? Side::Server : Side::Client; };

  for (std::size_t k = 0; k < path.size(); ++k) {
    const auto step = static_cast<std::uint32_t>(k + 1);
    const Move m = path[k];
    const System<S> before = s;
    const auto violation = stepper.apply(s, m);
    const auto event = [&](Kind kind, Side side, std::string text, std::uint32_t message = 0,
                           std::uint32_t copy = 0) {
      chart.events.push_back({kind, step, side, message, copy, std::move(text)});
    };

    switch (m.step) {
      case Step::Deliver:
      case Step::Drop: {
        const Packet& p = before.net[m.index];
        if (const auto id = take(p)) {
          if (m.step == Step::Deliver) {
            event(Kind::Deliver, receiver(p), "", *id);
          } else {
            event(Kind::Loss, receiver(p), "dropped", *id);
          }
        }
        break;
      }
      case Step::Duplicate: {
        const Packet& p = before.net[m.index];
        for (const auto& t : flying) {
          if (t.packet == p) {
            const auto copy = chart.add_message(segment_label(p), Stepper<S>::describe(p));
            event(Kind::Duplicate, receiver(p), "", t.message, copy);
            flying.push_back({p, copy});
            break;
          }
        }
        break;
      }
      case Step::Tick:
        event(Kind::Timer, Side::Client, "tick");
        for (auto& t : flying) ++t.packet.age;
        break;
      case Step::ClientConnect: event(Kind::UserCall, Side::Client, "connect"); break;
      case Step::ClientSend: event(Kind::UserCall, Side::Client, "send"); break;
      case Step::ClientClose: event(Kind::UserCall, Side::Client, "close"); break;
      case Step::ClientAbort: event(Kind::UserCall, Side::Client, "abort"); break;
      case Step::ServerListen: event(Kind::UserCall, Side::Server, "listen"); break;
      case Step::ServerSend: event(Kind::UserCall, Side::Server, "send"); break;
      case Step::ServerClose: event(Kind::UserCall, Side::Server, "close"); break;
      case Step::ServerAbort: event(Kind::UserCall, Side::Server, "abort"); break;
      default: break;  // moves added later: what they do shows in the state below
    }

    // What the network holds now that it did not (sent or injected), and
    // what it held that is gone without a move naming it (expired).
    std::vector<Packet> fresh;
    std::vector<Tracked> kept;
    for (std::uint8_t i = 0; i < s.in_flight; ++i) {
      const Packet& p = s.net[i];
      if (const auto id = take(p)) {
        kept.push_back({p, *id});
      } else {
        fresh.push_back(p);
      }
    }
    for (const auto& t : flying) {
      event(Kind::Loss, receiver(t.packet), m.step == Step::Tick ? "expired" : "gone", t.message);
    }
    flying = std::move(kept);
    for (const Packet& p : fresh) {
      const auto id = chart.add_message(segment_label(p), Stepper<S>::describe(p));
      if (p.injected) {
        event(Kind::Inject, receiver(p), "", id);
      } else {
        event(Kind::Send, p.to_server ? Side::Client : Side::Server, "", id);
      }
      flying.push_back({p, id});
    }

    for (Side side : {Side::Client, Side::Server}) {
      const bool server = side == Side::Server;
      const auto& was = server ? before.server : before.client;
      const auto& is = server ? s.server : s.client;
      const Ghost& g0 = server ? before.sg : before.cg;
      const Ghost& g1 = server ? s.sg : s.cg;
      if (g1.incarnation == g0.incarnation && g1.delivered > g0.delivered) {
        const int n = g1.delivered - g0.delivered;
        event(Kind::UserNotice, side,
              "receives " + std::to_string(n) + (n == 1 ? " byte" : " bytes"));
      }
      if (g1.reset && !g0.reset) event(Kind::UserNotice, side, "told: reset");
      if (is.state() != was.state()) {
        event(Kind::StateChange, side, std::string(model::rfc_name(is.state())));
      }
    }
    if (violation && k + 1 == path.size()) {
      event(Kind::Violation, Side::Client,
            std::string(verify::name(violation->invariant)) + ": " + violation->detail);
    }
  }
  return chart;
}

}  // namespace tcpmc::tools
