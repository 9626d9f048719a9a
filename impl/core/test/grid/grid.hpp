// The grid (STYLE.md item 11): every state x segment kind x sequence
// position x window, each cell a fresh copy of a fixture hit by one
// segment. The cells are enumerated here from model::kAllStates and the
// kinds and positions below; what each cell must do comes from rules.hpp,
// written from the RFC text, never from the table, the classifier or the
// engine.
//
// Positions. In the synchronized states a segment starts at an offset from
// RCV.NXT: one left of the window, at its left edge, inside, at its right
// edge (the last octet of the window), one right of it. With a zero window
// only left, edge and right exist. In CLOSED, LISTEN and SYN-SENT the
// sequence number decides nothing; there the position is the ACK field:
// at ISS (too old), ISS + 1 (acceptable in SYN-SENT), ISS + 2 (never sent).
//
// Windows. "Zero" closes our receive window where a conforming peer can
// close it: ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 with the buffer full and
// unread. Elsewhere our window cannot be zero (no data has been taken
// before the handshake completes, and after the peer's FIN the buffer
// never fills further), so there "Zero" is the window the peer offers
// (SEG.WND = 0), which the RFC says changes no answer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/drive.hpp"
#include "support/segments.hpp"
#include "support/states.hpp"

namespace tcpmc::core::test::grid {

using model::State;

enum class Kind : std::uint8_t { Syn, SynAck, Ack, Data, Fin, Rst, RstAck, SynFin, NoFlags };
inline constexpr std::array kAllKinds = {Kind::Syn,    Kind::SynAck, Kind::Ack,
                                         Kind::Data,   Kind::Fin,    Kind::Rst,
                                         Kind::RstAck, Kind::SynFin, Kind::NoFlags};

enum class Position : std::uint8_t {
  AckBelow,
  AckAcceptable,
  AckAbove,  // CLOSED, LISTEN, SYN-SENT
  Left,
  LeftEdge,
  Inside,
  RightEdge,
  Right,  // synchronized states
};

enum class Window : std::uint8_t { Open, Zero };

// What the connection answers with.
enum class Reply : std::uint8_t {
  Nothing,
  Ack,           // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, not counted as a challenge
  ChallengeAck,  // the same segment, sent under RFC 5961 (counted, rate-limited)
  AckOrNothing,  // RFC 9293 MAY-13: an ACK is allowed, not required
  Rst,           // <SEQ=SEG.ACK><CTL=RST>
  RstAck,        // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
  SynAck,
};

constexpr std::string_view name(Kind k) {
  constexpr std::string_view n[] = {"SYN", "SYN-ACK", "ACK",     "data",    "FIN",
                                    "RST", "RST-ACK", "SYN-FIN", "no-flags"};
  return n[static_cast<std::size_t>(k)];
}
constexpr std::string_view name(Position p) {
  constexpr std::string_view n[] = {"ack=ISS",   "ack=ISS+1", "ack=ISS+2",  "left",
                                    "left-edge", "inside",    "right-edge", "right"};
  return n[static_cast<std::size_t>(p)];
}
constexpr std::string_view name(Reply r) {
  constexpr std::string_view n[] = {"nothing", "ACK",     "challenge-ACK", "ACK-or-nothing",
                                    "RST",     "RST,ACK", "SYN-ACK"};
  return n[static_cast<std::size_t>(r)];
}

constexpr bool has_syn(Kind k) { return k == Kind::Syn || k == Kind::SynAck || k == Kind::SynFin; }
constexpr bool has_rst(Kind k) { return k == Kind::Rst || k == Kind::RstAck; }
constexpr bool has_fin(Kind k) { return k == Kind::Fin || k == Kind::SynFin; }
constexpr bool has_ack(Kind k) {
  return k == Kind::SynAck || k == Kind::Ack || k == Kind::Data || k == Kind::Fin ||
         k == Kind::RstAck;
}
// SEG.LEN: the data octet, SYN and FIN each count one.
constexpr std::uint32_t length(Kind k) {
  return (k == Kind::Data ? 1U : 0U) + (has_syn(k) ? 1U : 0U) + (has_fin(k) ? 1U : 0U);
}

// A cell as the rules see it: its coordinates and the fixture's numbers,
// all known by construction.
template <class Seq>
struct Cell {
  State state;
  bool passive;  // the fixture came from LISTEN
  Kind kind;
  Position position;
  Window window;
  bool our_window_zero;
  // The segment.
  Seq seq;
  Seq ack;
  // Synchronized states: SEG.SEQ - RCV.NXT, and RCV.WND, the window we
  // offered (RFC 9293 3.8.6.2.2: kept apart from the free buffer space).
  std::int64_t offset;
  std::uint32_t rcv_wnd;
  // The fixture's sequence variables.
  Seq iss;
  Seq irs;
  Seq snd_nxt;
  Seq rcv_nxt;
};

template <class Seq>
struct Expect {
  Reply reply = Reply::Nothing;
  State next = State::Closed;
  std::optional<Seq> seq;        // checked if set
  std::optional<Seq> ack;        // checked if set
  std::optional<Seq> seq_above;  // SEQ must come after this (a new incarnation's ISS)
  std::string_view clause;       // where the RFC says so
};

// One fixture the grid starts from, with the numbers the rules need,
// written down by hand (support/states.hpp says how it is built).
template <class C>
struct Subject {
  State state;
  std::string_view label;
  bool passive = false;
  bool window_can_close = false;  // our window can be zero here (see above)
  typename C::Seq snd_nxt{};
  typename C::Seq rcv_nxt{};
  C (*make)(Buffer) = nullptr;
};

template <class C>
std::vector<Subject<C>> subjects() {
  using S = Subject<C>;
  const auto i = iss<C>();
  const auto r = irs<C>();
  std::vector<S> v = {
      {State::Closed, "CLOSED", false, false, {}, {}, [](Buffer) { return closed<C>(); }},
      {State::Listen, "LISTEN", true, false, {}, {}, [](Buffer) { return listen<C>(); }},
      {State::SynSent, "SYN-SENT", false, false, i + 1U, {}, [](Buffer) { return syn_sent<C>(); }},
      {State::SynReceived, "SYN-RECEIVED(passive)", true, false, i + 1U, r + 1U,
       [](Buffer) { return syn_received<C>(); }},
      {State::SynReceived, "SYN-RECEIVED(active)", false, false, i + 1U, r + 1U,
       [](Buffer) { return syn_received_active<C>(); }},
      {State::Established, "ESTABLISHED", false, true, i + 1U, r + 1U,
       [](Buffer b) { return established<C>(test_config<typename C::Params>(), b); }},
      {State::FinWait1, "FIN-WAIT-1", false, true, i + 2U, r + 1U,
       [](Buffer b) { return fin_wait_1<C>(test_config<typename C::Params>(), b); }},
      {State::FinWait2, "FIN-WAIT-2", false, true, i + 2U, r + 1U,
       [](Buffer b) { return fin_wait_2<C>(test_config<typename C::Params>(), b); }},
      {State::CloseWait, "CLOSE-WAIT", false, false, i + 1U, r + 2U,
       [](Buffer) { return close_wait<C>(); }},
      {State::Closing, "CLOSING", false, false, i + 2U, r + 2U,
       [](Buffer) { return closing<C>(); }},
      {State::LastAck, "LAST-ACK", false, false, i + 2U, r + 2U,
       [](Buffer) { return last_ack<C>(); }},
      {State::TimeWait, "TIME-WAIT", false, false, i + 2U, r + 2U,
       [](Buffer) { return time_wait<C>(); }},
  };
  return v;
}

constexpr bool synchronized(State s) { return model::states::kSynchronized.contains(s); }

inline std::vector<Position> positions(State s, Window w, bool window_can_close) {
  if (!synchronized(s)) return {Position::AckBelow, Position::AckAcceptable, Position::AckAbove};
  if (w == Window::Zero && window_can_close) {
    return {Position::Left, Position::LeftEdge, Position::Right};
  }
  return {Position::Left, Position::LeftEdge, Position::Inside, Position::RightEdge,
          Position::Right};
}

// SEG.SEQ - RCV.NXT for a position, given RCV.WND.
inline std::int64_t offset(Position p, std::uint32_t wnd) {
  const std::int64_t w = wnd;
  switch (p) {
    case Position::Left: return -1;
    case Position::LeftEdge: return 0;
    case Position::Inside: return w / 2;
    case Position::RightEdge: return w - 1;
    case Position::Right: return w == 0 ? 1 : w;
    default: return 0;
  }
}

inline SegmentFlags flags_of(Kind k) {
  switch (k) {
    case Kind::Syn: return flags::kSyn;
    case Kind::SynAck: return flags::kSynAck;
    case Kind::Ack: return flags::kAck;
    case Kind::Data: return flags::kAck;
    case Kind::Fin: return flags::kFin;
    case Kind::Rst: return flags::kRst;
    case Kind::RstAck: return flags::kRstAck;
    case Kind::SynFin: return flags::kSynFin;
    case Kind::NoFlags: return flags::kNone;
  }
  return {};
}

template <class C>
Cell<typename C::Seq> make_cell(const Subject<C>& s, Kind k, Position p, Window w) {
  using P = typename C::Params;
  using Seq = typename C::Seq;
  Cell<Seq> c{};
  c.state = s.state;
  c.passive = s.passive;
  c.kind = k;
  c.position = p;
  c.window = w;
  c.our_window_zero = w == Window::Zero && s.window_can_close;
  c.iss = iss<C>();
  c.irs = irs<C>();
  c.snd_nxt = s.snd_nxt;
  c.rcv_nxt = s.rcv_nxt + (c.our_window_zero ? Canon<P>::kFill : 0U);
  c.rcv_wnd = c.our_window_zero ? 0U : Canon<P>::kOfferedWindow;
  if (synchronized(s.state)) {
    c.offset = offset(p, c.rcv_wnd);
    c.seq = c.rcv_nxt + static_cast<std::uint32_t>(c.offset);
    c.ack = s.snd_nxt;
  } else {
    c.seq = irs<C>();
    c.ack = iss<C>() + (p == Position::AckBelow ? 0U : p == Position::AckAcceptable ? 1U : 2U);
  }
  return c;
}

template <class C>
typename C::Seg segment_for(const Cell<typename C::Seq>& c) {
  using P = typename C::Params;
  typename C::Seg s = from_peer<C>(flags_of(c.kind));
  s.seq = c.seq;
  s.ack = c.ack;
  s.window = c.window == Window::Zero && !c.our_window_zero ? 0U : Canon<P>::kPeerWindow;
  if (has_syn(c.kind)) s.mss = Canon<P>::kPeerMss;
  if (c.kind == Kind::Data) s.payload = kOneOctet;
  return s;
}

// What the connection did with a cell's segment.
template <class C>
struct Outcome {
  std::vector<Sent<C>> sent;
  std::uint32_t challenges = 0;  // challenge ACKs counted by the connection
  State next;
};

template <class C>
Outcome<C> run_cell(const C& fixture, const typename C::Seg& seg) {
  C c = fixture;
  const auto before = c.challenge_acks_sent();
  c.on_segment(0, seg);
  Outcome<C> o{transmitted(c, 0), 0, c.state()};
  o.challenges = c.challenge_acks_sent() - before;
  return o;
}

// A reply that is a bare ACK with these numbers.
template <class C>
bool is_ack(const Sent<C>& s, typename C::Seq seq, typename C::Seq ack) {
  return s.seg.flags == SegmentFlags{.ack = true} && s.payload.empty() && s.seg.seq == seq &&
         s.seg.ack == ack;
}

template <class C>
bool matches(const Expect<typename C::Seq>& e, const Outcome<C>& o) {
  if (o.next != e.next) return false;
  const auto one = [&](SegmentFlags f) {
    if (o.sent.size() != 1 || !(o.sent[0].seg.flags == f)) return false;
    const auto& s = o.sent[0].seg;
    if (e.seq && !(s.seq == *e.seq)) return false;
    if (e.ack && !(s.ack == *e.ack)) return false;
    return !e.seq_above || model::after(s.seq, *e.seq_above);
  };
  switch (e.reply) {
    case Reply::Nothing: return o.sent.empty();
    case Reply::Ack: return o.challenges == 0 && one(flags::kAck);
    case Reply::ChallengeAck: return o.challenges == 1 && one(flags::kAck);
    case Reply::AckOrNothing:
      return o.challenges == 0 &&
             (o.sent.empty() || (o.sent.size() == 1 && is_ack<C>(o.sent[0], *e.seq, *e.ack)));
    case Reply::Rst: return one(flags::kRst);
    case Reply::RstAck: return one(flags::kRstAck);
    case Reply::SynAck: return one(flags::kSynAck);
  }
  return false;
}

template <class Seq>
std::string describe(const Expect<Seq>& e) {
  std::ostringstream s;
  s << name(e.reply);
  if (e.seq) s << " seq=" << e.seq->raw();
  if (e.ack) s << " ack=" << e.ack->raw();
  if (e.seq_above) s << " seq>" << e.seq_above->raw();
  s << ", " << model::rfc_name(e.next);
  return s.str();
}

template <class C>
std::string describe(const Outcome<C>& o) {
  std::ostringstream s;
  if (o.sent.empty()) s << "nothing";
  for (const auto& x : o.sent) {
    const SegmentFlags f = x.seg.flags;
    s << (f.syn ? "SYN," : "") << (f.rst ? "RST," : "") << (f.fin ? "FIN," : "")
      << (f.ack ? "ACK" : "") << " seq=" << x.seg.seq.raw() << " ack=" << x.seg.ack.raw();
    if (!x.payload.empty()) s << " len=" << x.payload.size();
    s << "; ";
  }
  if (o.challenges != 0) s << " (challenge)";
  s << ", " << model::rfc_name(o.next);
  return s.str();
}

}  // namespace tcpmc::core::test::grid
