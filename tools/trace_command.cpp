#include "trace_command.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <tcpmc/graphs/render.hpp>
#include <tcpmc/model/event.hpp>
#include <tcpmc/model/state.hpp>
#include <tcpmc/net/tun.hpp>
#include <variant>

namespace tcpmc::tools {

namespace {

using verify::End;
using verify::Explanation;
using verify::TableStep;

constexpr int kUsageError = 2;

verify::SeenSegment seen(const ConnectionTrace& trace, const net::CapturedSegment& c) {
  verify::SeenSegment s;
  const bool from_client =
      c.source == trace.key.client.address && c.tcp.source_port == trace.key.client.port;
  s.from = from_client ? End::Client : End::Server;
  s.flags = {c.tcp.flags.syn(), c.tcp.flags.ack(), c.tcp.flags.fin(), c.tcp.flags.rst()};
  s.seq = c.tcp.seq;
  s.ack = c.tcp.ack;
  s.payload = c.payload_len;
  s.window = c.tcp.window;
  if (c.tcp.options.window_scale) s.window_scale = c.tcp.options.window_scale->shift();
  return s;
}

std::string flags_text(const wire::TcpFlags f) {
  std::string out;
  for (auto [on, text] : {std::pair{f.syn(), "SYN"},
                          {f.fin(), "FIN"},
                          {f.rst(), "RST"},
                          {f.psh(), "PSH"},
                          {f.ack(), "ACK"}}) {
    if (!on) continue;
    if (!out.empty()) out += ',';
    out += text;
  }
  return out.empty() ? "(no flags)" : out;
}

// The options a SYN offers, as tcpdump would list them.
std::string options_text(const wire::TcpOptions& o) {
  std::string out;
  const auto add = [&out](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  if (o.mss) add("mss " + std::to_string(*o.mss));
  if (o.window_scale) add("wscale " + std::to_string(o.window_scale->raw()));
  if (o.sack_permitted) add("sackOK");
  if (o.timestamps) add("TS");
  return out.empty() ? "no options" : out;
}

std::string step_text(const TableStep& s) {
  std::string out(model::rfc_name(s.from));
  out += " -> ";
  out += model::rfc_name(s.to);
  out += " on ";
  out += model::doc(s.event).label;
  if (s.row != nullptr) {
    out += " (";
    out += s.row->section;
    out += ")";
  }
  return out;
}

// Sequence numbers relative to the sender's ISS, as Wireshark shows them,
// once the observer knows it.
std::uint32_t relative(std::uint32_t n, const verify::Shadow& of) {
  return of.iss_known ? n - of.iss.raw() : n;
}

std::string segment_label(const net::CapturedSegment& c, const verify::Shadow& sender,
                          const verify::Shadow& receiver) {
  std::string label = flags_text(c.tcp.flags);
  label += " seq=" + std::to_string(relative(c.tcp.seq, sender));
  if (c.tcp.flags.ack()) label += " ack=" + std::to_string(relative(c.tcp.ack, receiver));
  if (c.payload_len > 0) label += " len=" + std::to_string(c.payload_len);
  if (c.tcp.flags.syn()) label += "\n" + options_text(c.tcp.options);
  return label;
}

std::string time_text(std::uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "+%llu.%03llu ms", static_cast<unsigned long long>(us / 1000),
                static_cast<unsigned long long>(us % 1000));
  return buf;
}

graphs::Side side(End e) { return e == End::Client ? graphs::Side::Client : graphs::Side::Server; }

}  // namespace

std::string to_string(const Endpoint& e) {
  return net::to_string(e.address) + ":" + std::to_string(e.port);
}

std::optional<ConnectionKey> parse_connection(std::string_view text) {
  const auto endpoint = [](std::string_view t) -> std::optional<Endpoint> {
    const auto colon = t.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto address = net::parse_ipv4(t.substr(0, colon));
    const std::string_view port_text = t.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (!address || ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return std::nullopt;
    }
    return Endpoint{*address, static_cast<std::uint16_t>(port)};
  };
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto a = endpoint(text.substr(0, dash));
  const auto b = endpoint(text.substr(dash + 1));
  if (!a || !b) return std::nullopt;
  return ConnectionKey{*a, *b};
}

std::vector<ConnectionTrace> split_connections(const net::Capture& capture) {
  std::vector<ConnectionTrace> out;
  for (const auto& c : capture.segments) {
    const ConnectionKey key{{c.source, c.tcp.source_port}, {c.destination, c.tcp.destination_port}};
    ConnectionTrace* found = nullptr;
    for (auto& t : out) {
      if (t.key.same_ends(key)) found = &t;
    }
    if (found == nullptr) found = &out.emplace_back(ConnectionTrace{key, {}});
    found->segments.push_back(c);
  }
  return out;
}

ObservedTrace observe(const ConnectionTrace& trace) {
  ObservedTrace out;
  out.explanations.reserve(trace.segments.size());
  for (const auto& c : trace.segments) {
    out.explanations.push_back(out.observer.on_segment(seen(trace, c)));
  }
  return out;
}

graphs::SequenceChart trace_chart(const ConnectionTrace& trace, const std::string& source,
                                  std::size_t max_segments) {
  using Kind = graphs::ChartEvent::Kind;
  graphs::SequenceChart chart;
  chart.title = to_string(trace.key.client) + " (client)  <->  " + to_string(trace.key.server) +
                " (server), captured in " + source;
  chart.notes.push_back(
      "Each box is the state the RFC 9293 table predicts, each note the table event that "
      "took the segment there; sequence numbers relative to each sender's ISN.");
  const std::size_t shown =
      max_segments == 0 ? trace.segments.size() : std::min(max_segments, trace.segments.size());
  if (shown < trace.segments.size()) {
    chart.notes.push_back("The first " + std::to_string(shown) + " of " +
                          std::to_string(trace.segments.size()) + " segments (--max-segments).");
  }

  verify::TraceObserver observer;
  std::uint64_t unexplained = 0;
  std::string first_unexplained;
  const std::uint64_t t0 = trace.segments.empty() ? 0 : trace.segments.front().time_us;
  for (std::size_t k = 0; k < shown; ++k) {
    const net::CapturedSegment& c = trace.segments[k];
    const verify::SeenSegment s = seen(trace, c);
    const Explanation ex = observer.on_segment(s);
    if (k == 0) {
      const auto& init = observer.initial_states();
      chart.initial_state = {std::string(model::rfc_name(init[0])),
                             std::string(model::rfc_name(init[1]))};
      chart.notes.push_back(observer.started_mid_connection()
                                ? "The capture starts mid-connection: both ends assumed "
                                  "ESTABLISHED."
                                : "The server is assumed to be in LISTEN (a passive OPEN).");
    }
    const auto send_step = static_cast<std::uint32_t>(2 * k + 1);
    const auto recv_step = send_step + 1;
    const End from = s.from;
    const End to = verify::other(from);
    const auto event = [&](Kind kind, std::uint32_t step, End e, std::string text,
                           std::uint32_t message = 0) {
      chart.events.push_back({kind, step, side(e), message, 0, std::move(text)});
    };

    std::string label = segment_label(c, observer.shadow(from), observer.shadow(to));
    std::string detail = "packet " + std::to_string(c.record) + ", " + time_text(c.time_us - t0) +
                         ": " + net::to_string(c.source) + ":" + std::to_string(c.tcp.source_port) +
                         " > " + net::to_string(c.destination) + ":" +
                         std::to_string(c.tcp.destination_port) + " " + flags_text(c.tcp.flags) +
                         " seq " + std::to_string(c.tcp.seq) + " ack " + std::to_string(c.tcp.ack) +
                         " win " + std::to_string(c.tcp.window) + " len " +
                         std::to_string(c.payload_len);
    if (ex.unexplained) label = "\u2715 " + label;
    if (ex.retransmission) label += " (retransmission)";

    event(Kind::Timer, send_step, from, time_text(c.time_us - t0));
    if (ex.catch_up) {
      event(Kind::UserNotice, send_step, from, "FIN taken from the reassembly queue");
      detail += "; " + std::string(verify::name(from)) + ": " + step_text(*ex.catch_up);
    }
    if (ex.user) {
      event(Kind::UserCall, send_step, from, std::string(model::doc(ex.user->event).label));
      detail += "; " + std::string(verify::name(from)) + ": " + step_text(*ex.user);
    }
    if (ex.crossed) {
      event(Kind::UserNotice, send_step, from,
            "the peer's FIN crossed ours: " + std::string(model::doc(ex.crossed->event).label));
      detail +=
          "; " + std::string(verify::name(from)) + ", segments crossed: " + step_text(*ex.crossed);
    }
    const auto after_send = ex.crossed ? ex.crossed : ex.user ? ex.user : ex.catch_up;
    if (after_send && after_send->changes_state()) {
      event(Kind::StateChange, send_step, from, std::string(model::rfc_name(after_send->to)));
    }
    const std::uint32_t id = chart.add_message(label, "");
    event(Kind::Send, send_step, from, "", id);
    event(Kind::Deliver, recv_step, to, "", id);
    if (ex.arrival) {
      const TableStep& a = *ex.arrival;
      detail += "; " + std::string(verify::name(to)) + ": " + step_text(a);
      // The plain ACK that changes nothing needs no note.
      if (a.changes_state() || a.event != model::Event::Ack) {
        std::string note(model::doc(a.event).label);
        if (a.row != nullptr) note += " (" + std::string(a.row->section) + ")";
        event(Kind::UserNotice, recv_step, to, note);
      }
      if (a.changes_state())
        event(Kind::StateChange, recv_step, to, std::string(model::rfc_name(a.to)));
    }
    if (ex.unexplained) {
      const std::string why = std::string(verify::name(*ex.unexplained)) + ": " +
                              std::string(describe(*ex.unexplained));
      event(Kind::UserNotice, recv_step, to, "\u2715 table cannot explain: " + why);
      detail += "; UNEXPLAINED " + why;
      if (unexplained++ == 0) first_unexplained = "packet " + std::to_string(c.record) + ": " + why;
    }
    chart.messages[id].detail = detail;
  }
  if (unexplained > 0) {
    chart.events.push_back(
        {Kind::Violation, static_cast<std::uint32_t>(2 * shown + 1), graphs::Side::Client, 0, 0,
         std::to_string(unexplained) + " segment(s) the table cannot explain; first, " +
             first_unexplained});
  }
  return chart;
}

ConnectionSummary summarize(const ConnectionTrace& trace, const std::array<std::string, 2>& names) {
  ConnectionSummary out;
  const ObservedTrace obs = observe(trace);
  const auto who = [&](End e) { return names[verify::index(e)]; };
  const auto arrow = [&](End from) { return who(from) + " -> " + who(verify::other(from)); };
  std::string& t = out.text;

  // Handshake: the first SYN each way, with what it offered.
  std::string handshake;
  std::array<bool, 2> syn_seen{};
  std::vector<std::string> close;
  std::array<bool, 2> fin_seen{};
  int acked_fins = 0;
  for (std::size_t i = 0; i < trace.segments.size(); ++i) {
    const auto& c = trace.segments[i];
    const auto s = seen(trace, c);
    const Explanation& ex = obs.explanations[i];
    if (s.flags.syn && !syn_seen[verify::index(s.from)]) {
      syn_seen[verify::index(s.from)] = true;
      handshake += handshake.empty() ? "  handshake  " : "\n             ";
      handshake +=
          flags_text(c.tcp.flags) + " " + arrow(s.from) + ": " + options_text(c.tcp.options);
    }
    if (s.flags.fin && !fin_seen[verify::index(s.from)]) {
      fin_seen[verify::index(s.from)] = true;
      close.push_back("FIN " + arrow(s.from));
    }
    if (ex.arrival && (ex.arrival->event == model::Event::AckOfFin ||
                       ex.arrival->event == model::Event::FinAckOfFin)) {
      ++acked_fins;
      if (ex.arrival->event == model::Event::FinAckOfFin && !close.empty() &&
          close.back() == "FIN " + arrow(s.from)) {
        close.back() = "FIN+ACK " + arrow(s.from);
      } else {
        close.push_back("ACK " + arrow(s.from));
      }
    }
  }
  out.handshake_seen = syn_seen[0] && syn_seen[1];
  t += handshake.empty() ? "  handshake  not captured\n" : handshake + "\n";

  for (End e : {End::Client, End::Server}) {
    const verify::Shadow& sh = obs.observer.shadow(e);
    std::uint64_t distinct = sh.data_bytes;
    if (sh.iss_known) {
      // SND.NXT - ISS counts the SYN, the data and the FIN once each.
      const std::uint32_t span = sh.snd_nxt.raw() - sh.iss.raw();
      distinct = span - 1U - (sh.fin_sent ? 1U : 0U);
    }
    out.data_bytes[verify::index(e)] = distinct;
    t += e == End::Client ? "  transfer   " : "             ";
    t += arrow(e) + ": " + std::to_string(distinct) + " bytes of data, " +
         std::to_string(sh.segments) + " segments in all, " + std::to_string(sh.retransmissions) +
         (sh.retransmissions == 1 ? " retransmission\n" : " retransmissions\n");
  }

  out.closed_both_ways = acked_fins == 2;
  out.four_way_close = out.closed_both_ways && close.size() == 4;
  t += "  close      ";
  if (close.empty()) {
    t += "not captured\n";
  } else {
    for (std::size_t i = 0; i < close.size(); ++i) t += (i == 0 ? "" : ", ") + close[i];
    t += out.four_way_close                          ? " (four-way close)\n"
         : out.closed_both_ways && close.size() == 3 ? " (three segments: the second FIN "
                                                       "carries the ACK of the first)\n"
         : out.closed_both_ways                      ? "\n"
                                                     : " (not closed both ways in the capture)\n";
  }

  for (End e : {End::Client, End::Server}) {
    if (obs.observer.state(e) == model::State::TimeWait) out.time_wait = e;
  }
  t += "  TIME-WAIT  ";
  if (out.time_wait) {
    const bool closed_first =
        !close.empty() && close.front().starts_with("FIN " + who(*out.time_wait));
    t += who(*out.time_wait) + (closed_first ? " (it closed first)" : "") +
         "; the other end ended " +
         std::string(model::rfc_name(obs.observer.state(verify::other(*out.time_wait)))) + "\n";
  } else {
    t += "neither end (final states: " +
         std::string(model::rfc_name(obs.observer.state(End::Client))) + ", " +
         std::string(model::rfc_name(obs.observer.state(End::Server))) + ")\n";
  }
  out.unexplained = obs.observer.unexplained_count();
  t += "  table      ";
  t += out.unexplained == 0
           ? "every one of the " + std::to_string(trace.segments.size()) +
                 " segments explained by the RFC 9293 table\n"
           : std::to_string(out.unexplained) + " of " + std::to_string(trace.segments.size()) +
                 " segments the table cannot explain (tcpmc graph trace "
                 "shows which)\n";
  return out;
}

TraceCommand::TraceCommand(CLI::App& graph) {
  cmd_ = graph.add_subcommand(
      "trace",
      "Draw the message sequence chart of one captured TCP connection, each segment annotated "
      "with the state change the RFC 9293 table predicts at each end");
  cmd_->add_option("--pcap", pcap_, "The capture (pcap or pcapng: RAW, EN10MB, LINUX_SLL/SLL2)")
      ->required();
  cmd_->add_option("--conn", conn_,
                   "The connection, A.B.C.D:P-A.B.C.D:P in either order (default: the first "
                   "in the file)");
  cmd_->add_option("--format", format_, "dot or svg (svg needs Graphviz)")
      ->check(CLI::IsMember({"dot", "svg"}));
  cmd_->add_option("--out", out_, "Write to this file instead of standard output");
  cmd_->add_option("--max-segments", max_segments_,
                   "Draw at most this many segments (default 200; 0: all)");
}

std::optional<int> TraceCommand::run() const {
  if (!cmd_->parsed()) return std::nullopt;
  std::optional<ConnectionKey> wanted;
  if (!conn_.empty()) {
    wanted = parse_connection(conn_);
    if (!wanted) {
      std::cerr << "tcpmc: --conn '" << conn_
                << "' is not A.B.C.D:P-A.B.C.D:P: write it as e.g. "
                   "198.18.0.1:40000-198.18.0.2:80\n";
      return kUsageError;
    }
  }
  auto capture = net::read_capture(pcap_);
  if (!capture) {
    std::cerr << "tcpmc: " << capture.error().message << "\n";
    return kUsageError;
  }
  if (capture->truncated_file) {
    std::cerr << "tcpmc: " << pcap_
              << " is cut short or unreadable past some point; drawing what came before\n";
  }
  if (const std::string skipped = capture->skipped.text(); !skipped.empty()) {
    std::cerr << "tcpmc: " << pcap_ << ": " << capture->records << " packets, " << skipped << "\n";
  }
  const auto connections = split_connections(*capture);
  if (connections.empty()) {
    std::cerr << "tcpmc: " << pcap_ << " holds no TCP segment: capture a TCP connection\n";
    return 1;
  }
  const ConnectionTrace* chosen = &connections.front();
  if (wanted) {
    chosen = nullptr;
    for (const auto& c : connections) {
      if (c.key.same_ends(*wanted)) chosen = &c;
    }
    if (chosen == nullptr) {
      std::cerr << "tcpmc: --conn " << conn_ << ": no such connection in " << pcap_ << "; it holds "
                << to_string(connections.front().key.client) << "-"
                << to_string(connections.front().key.server)
                << (connections.size() > 1 ? " and others" : "") << "\n";
      return 1;
    }
  } else if (connections.size() > 1) {
    std::cerr << "tcpmc: " << pcap_ << " holds " << connections.size()
              << " connections; drawing the first, " << to_string(chosen->key.client) << "-"
              << to_string(chosen->key.server) << " (choose with --conn)\n";
  }
  const std::string source = std::filesystem::path(pcap_).filename().string();
  const std::string dot = graphs::sequence_chart_dot(trace_chart(*chosen, source, max_segments_));
  std::string text = dot;
  if (format_ == "svg") {
    auto svg = graphs::render(dot, graphs::RenderFormat::Svg);
    if (auto* err = std::get_if<graphs::RenderError>(&svg)) {
      std::cerr << "tcpmc: " << err->message << "\n";
      return 1;
    }
    text = std::get<std::string>(std::move(svg));
  }
  if (out_.empty()) {
    std::cout << text;
    return 0;
  }
  std::ofstream out(out_, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "tcpmc: cannot write " << out_ << ": check the directory exists and is writable\n";
    return 1;
  }
  return 0;
}

}  // namespace tcpmc::tools
