#include "counterexample_chart.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace tcpmc::tools {

using graphs::ChartEvent;
using graphs::Side;
using verify::explore::Packet;
using verify::explore::Snapshot;
using verify::explore::Step;
using Kind = ChartEvent::Kind;

std::string segment_label(const Packet& p) {
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

graphs::SequenceChart counterexample_chart(const verify::explore::Replay& replay) {
  graphs::SequenceChart chart;
  chart.initial_state = {std::string(model::rfc_name(replay.initial.states[0])),
                         std::string(model::rfc_name(replay.initial.states[1]))};

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

  const Snapshot* before = &replay.initial;
  for (std::size_t k = 0; k < replay.moves.size(); ++k) {
    const auto step = static_cast<std::uint32_t>(k + 1);
    const auto& [m, now, violation] = replay.moves[k];
    const auto event = [&](Kind kind, Side side, std::string text, std::uint32_t message = 0,
                           std::uint32_t copy = 0) {
      chart.events.push_back({kind, step, side, message, copy, std::move(text)});
    };

    switch (m.step) {
      case Step::Deliver:
      case Step::Drop: {
        const Packet& p = before->net[m.index];
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
        const Packet& p = before->net[m.index];
        for (const auto& t : flying) {
          if (t.packet == p) {
            const auto copy = chart.add_message(segment_label(p), before->described[m.index]);
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
    std::vector<std::size_t> fresh;
    std::vector<Tracked> kept;
    for (std::size_t i = 0; i < now.net.size(); ++i) {
      if (const auto id = take(now.net[i])) {
        kept.push_back({now.net[i], *id});
      } else {
        fresh.push_back(i);
      }
    }
    for (const auto& t : flying) {
      event(Kind::Loss, receiver(t.packet), m.step == Step::Tick ? "expired" : "gone", t.message);
    }
    flying = std::move(kept);
    for (const std::size_t i : fresh) {
      const Packet& p = now.net[i];
      const auto id = chart.add_message(segment_label(p), now.described[i]);
      if (p.injected) {
        event(Kind::Inject, receiver(p), "", id);
      } else {
        event(Kind::Send, p.to_server ? Side::Client : Side::Server, "", id);
      }
      flying.push_back({p, id});
    }

    for (Side side : {Side::Client, Side::Server}) {
      const auto at = static_cast<std::size_t>(side == Side::Server ? 1 : 0);
      const auto& g0 = before->ghosts[at];
      const auto& g1 = now.ghosts[at];
      if (g1.incarnation == g0.incarnation && g1.delivered > g0.delivered) {
        const int n = g1.delivered - g0.delivered;
        event(Kind::UserNotice, side,
              "receives " + std::to_string(n) + (n == 1 ? " byte" : " bytes"));
      }
      if (g1.reset && !g0.reset) event(Kind::UserNotice, side, "told: reset");
      if (now.states[at] != before->states[at]) {
        event(Kind::StateChange, side, std::string(model::rfc_name(now.states[at])));
      }
    }
    if (violation && k + 1 == replay.moves.size()) {
      event(Kind::Violation, Side::Client,
            std::string(verify::name(violation->invariant)) + ": " + violation->detail);
    }
    before = &now;
  }
  return chart;
}

}  // namespace tcpmc::tools
