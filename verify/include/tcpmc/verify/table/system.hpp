// The system the explorer searches at the table level (DESIGN.md principle
// 9): the same client, server, network, attacker and users as the impl level
// (explore/system.hpp), but each endpoint is only the Spec's table stepped
// over abstract segments, not the engine.
//
// Sequence numbers are abstracted to a tag and a small offset. The tag
// names the initial sequence number a number counts from (which side chose
// it, and when, as the Spec's IsnPolicy decides); the offset is how far past
// it the number lies (SYN at 0, the i-th data byte at i + 1, then the FIN).
// Tags are ordered like the numbers they stand for, so the classifier
// (model/classify.hpp), the very function the engine calls, is run on a
// concrete image of the tags: every distinction the table names is made by
// the same code at both levels, and this file has no copy of a sequence
// rule. What stands in for the engine here is the meaning of the table's
// actions (Act), each written to do at this level what the engine does.
//
// The state is a fixed-size block of bytes with no padding and no pointer
// (static_asserts below), encoded and hashed byte by byte, and every move is
// deterministic: it is meant to be exported as one Promela process whose
// loop head is the only stored point, so that SPIN stores the same states.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <tcpmc/core/hash_mix.hpp>
#include <tcpmc/model/classify.hpp>
#include <tcpmc/model/table.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/system.hpp>
#include <tcpmc/verify/invariants.hpp>

namespace tcpmc::verify::table {

using explore::Bounds;
using explore::Ghost;
using explore::Move;
using explore::Step;

// --- Tags: what an abstract sequence number counts from -----------------------

// A number that belongs to no incarnation's space: the sequence number 0 of
// a RST that answers a segment without ACK (RFC 9293 3.10.7.1), and an
// off-path attacker's guess that missed the keyed hash (RFC 6528).
inline constexpr std::uint8_t kMissTag = 0;
// IsnPolicy::Zero: every incarnation of a side starts from the same number.
inline constexpr std::uint8_t kZeroTag = 1;
// IsnPolicy::Clock and ClockPlusKeyedHash: the ISN of a choice at tick t.
// Within a run the clock never comes round (Bounds::validate()), so a later
// tick's ISN lies after every number used before it (RFC 9293 3.4.1).
inline constexpr std::uint8_t kClockTag = 2;
// TIME-WAIT replaced by a newer SYN (RFC 1122 4.2.2.13): the engine starts
// the new incarnation above every number the old one used, not from the
// clock; such tags are after every clock tag of the run.
inline constexpr std::uint8_t kFloorTag = 2 + explore::ExploreParams::kMaxTicks + 1;
static_assert(kFloorTag + explore::ExploreParams::kMaxTicks < 64);

// The concrete image of an abstract number, for the classifier. Tags lie
// 2^20 apart (far more than any window or offset), in their order, all
// within half the circle of a 32-bit space; a miss lies half a circle away
// from them, so no window ever holds it.
inline model::Seq<32> number(std::uint8_t tag, std::uint8_t off) {
  const std::uint32_t base = tag == kMissTag ? 0x90000000U : std::uint32_t{tag} << 20;
  return model::Seq<32>(base + off);
}

// The window each endpoint offers: its receive buffer, as SmallParams has it
// (the explorer's users read every byte as soon as it is delivered).
inline constexpr std::uint8_t kBuffer = 3;
// The largest window a peer offered (RFC 5961 5.2's MAX.SND.WND): the
// buffer, which every SYN offers.
inline constexpr std::uint32_t kMaxSendWindow = kBuffer;

// --- The state -----------------------------------------------------------------

// A segment in flight. Flags as at the impl level: bit 0 SYN, 1 ACK, 2 FIN,
// 3 RST.
struct Seg {
  std::uint8_t to_server = 0;
  std::uint8_t flags = 0;
  std::uint8_t seq_tag = 0;  // SEG.SEQ: the sender's ISN tag...
  std::uint8_t seq_off = 0;  // ...and the offset from it
  std::uint8_t ack_tag = 0;  // SEG.ACK, if ACK: the incarnation it acknowledges
  std::uint8_t ack_off = 0;
  std::uint8_t payload = 0;  // one data octet (SmallParams' MSS) or none
  std::uint8_t age = 0;
  std::uint8_t incarnation = 0;  // ghost: the sender's incarnation
  std::uint8_t injected = 0;     // ghost: sent by the off-path attacker
  auto operator<=>(const Seg&) const = default;

  bool syn() const { return (flags & 1) != 0; }
  bool ack() const { return (flags & 2) != 0; }
  bool fin() const { return (flags & 4) != 0; }
  bool rst() const { return (flags & 8) != 0; }
};

// One endpoint: its control state, the abstract numbers the classifier
// reads, what its queues hold, and its timers as ticks left.
struct End {
  std::uint8_t state = 0;  // model::State
  std::uint8_t passive = 0;
  std::uint8_t has_iss = 0;
  std::uint8_t syn_acked = 0;
  std::uint8_t fin_queued = 0;
  std::uint8_t fin_sent = 0;
  std::uint8_t peer_fin = 0;
  std::uint8_t iss_tag = 0;   // ISS, and SND.UNA, SND.NXT, SND.MAX as offsets from it
  std::uint8_t snd_una = 0;
  std::uint8_t snd_nxt = 0;
  std::uint8_t snd_max = 0;
  std::uint8_t queued = 0;    // octets in the send queue (sent and not acknowledged, or unsent)
  std::uint8_t irs_tag = 0;   // IRS, and RCV.NXT, the advertised right edge as offsets
  std::uint8_t rcv_nxt = 0;
  std::uint8_t rcv_adv = 0;
  std::uint8_t queued_fin = 0;  // a FIN behind a hole: its offset + 1 (0: none)
  std::uint8_t readable = 0;    // octets received, not yet delivered...
  std::array<std::uint8_t, kBuffer> rbuf{};  // ...and which they are (byte_value)
  std::uint8_t retries = 0;
  std::uint8_t rto = 0;        // the retransmission timeout, backed off
  std::uint8_t rtx_left = 0;   // ticks until the retransmission timer fires (0: off)
  std::uint8_t tw_left = 0;    // ticks until the 2MSL timer fires (0: off)
  std::uint8_t chal_age = 0;   // 1 + ticks since the challenge-ACK window began, at most 5
  std::uint8_t chal_count = 0; // challenge ACKs sent in that window
  bool operator==(const End&) const = default;

  model::State st() const { return static_cast<model::State>(state); }
};

struct Sys {
  End client;
  End server;
  std::array<Seg, explore::kMaxInFlight> net{};
  std::uint8_t in_flight = 0;
  std::uint8_t elapsed = 0;
  static constexpr std::uint8_t kNever = 0xFF;
  std::uint8_t client_iss_at = kNever;  // as at the impl level
  std::uint8_t server_iss_at = kNever;
  std::uint8_t client_iss = 0;  // the tag each side chose then
  std::uint8_t server_iss = 0;
  std::uint8_t injections = 0;
  std::uint8_t losses = 0;
  std::uint8_t duplicates = 0;
  std::uint8_t aborts = 0;
  Ghost cg;
  Ghost sg;
  std::array<std::uint8_t, explore::kMaxIncarnations> from_client{};

  bool operator==(const Sys&) const = default;

  // The state's bytes are its value (no padding, checked below): hashing
  // them is hashing every field.
  std::uint64_t fingerprint() const {
    unsigned char bytes[sizeof(Sys)];
    std::memcpy(bytes, this, sizeof(Sys));
    core::HashMix h;
    std::size_t i = 0;
    for (; i + 8 <= sizeof(Sys); i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, bytes + i, 8);
      h.add(w);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, bytes + i, sizeof(Sys) - i);
    h.add(tail);
    return h.value();
  }
};

// Fixed size, no padding, no pointer: the encoding is the bytes, and two
// equal states have equal bytes (what the fingerprint and the Promela export
// rely on).
static_assert(std::is_trivially_copyable_v<Sys>);
static_assert(std::has_unique_object_representations_v<Seg>);
static_assert(std::has_unique_object_representations_v<End>);
static_assert(std::has_unique_object_representations_v<Ghost>);
static_assert(std::has_unique_object_representations_v<Sys>);

// --- Stepping ------------------------------------------------------------------

template <const model::Spec& S>
class Stepper {
 public:
  Stepper(const Bounds& bounds, std::vector<std::string>* narration = nullptr)
      : b_(bounds), say_(narration) {}

  static constexpr unsigned kRetryLimit = 2;  // Config::small_defaults(): SYN and data alike

  // RFC 6298 with SmallParams: no RTT samples, so the timeout starts at one
  // tick and only backs off, below MSL as explore/system.hpp explains.
  static std::uint8_t rto_initial(const Bounds& b) {
    return static_cast<std::uint8_t>(std::min(1, b.msl - 1));
  }
  static std::uint8_t rto_maximum(const Bounds& b) { return static_cast<std::uint8_t>(b.msl - 1); }

  static End fresh(const Bounds& b) {
    End e;
    e.rto = rto_initial(b);
    return e;
  }

  static Sys initial(const Bounds& b) {
    Sys s;
    s.client = fresh(b);
    s.server = fresh(b);
    Stepper st(b);
    st.call(s, true, [&](End&) { st.fire(s, true, model::Event::OpenPassive, nullptr); });
    return s;
  }

  bool invalid() const { return invalid_; }
  void judge_only(std::optional<Invariant> i) { only_ = i; }

  // Every move enabled in `s`, in a fixed order: the impl level's, read
  // from the abstract endpoints.
  void moves(const Sys& s, std::vector<Move>& out) const {
    using model::State;
    out.clear();
    for (std::uint8_t i = 0; i < s.in_flight; ++i) {
      if (i > 0 && s.net[i] == s.net[i - 1]) continue;
      out.push_back({Step::Deliver, i});
      if (s.losses < b_.losses) out.push_back({Step::Drop, i});
      if (s.duplicates < b_.duplicates && s.in_flight < b_.in_flight) {
        out.push_back({Step::Duplicate, i});
      }
    }
    if (s.elapsed < b_.ticks) out.push_back({Step::Tick, 0});
    const auto may_send = [](State st) {
      return st == State::Established || st == State::CloseWait || st == State::LastAck;
    };
    const bool syn_data = S.syn_payload == model::SynPayload::Deliver;
    const State c = s.client.st();
    const State v = s.server.st();
    if (c == State::Closed && s.cg.incarnation < 1 + b_.reconnects &&
        s.cg.incarnation < explore::kMaxIncarnations - 1 &&
        (s.client_iss_at == Sys::kNever || s.elapsed > s.client_iss_at)) {
      out.push_back({Step::ClientConnect, 0});
    }
    if ((may_send(c) || (syn_data && c == State::SynSent)) && s.cg.sent < b_.bytes &&
        !s.cg.closed) {
      out.push_back({Step::ClientSend, 0});
    }
    if (may_send(c) && s.cg.sent == b_.bytes && !s.cg.closed) out.push_back({Step::ClientClose, 0});
    if (s.aborts < b_.aborts && c != State::Closed) out.push_back({Step::ClientAbort, 0});
    if (v == State::Closed && (s.server_iss_at == Sys::kNever || s.elapsed > s.server_iss_at)) {
      out.push_back({Step::ServerListen, 0});
    }
    if (may_send(v) && s.sg.sent < b_.bytes && !s.sg.closed) out.push_back({Step::ServerSend, 0});
    if (may_send(v) && s.sg.sent == b_.bytes && !s.sg.closed) out.push_back({Step::ServerClose, 0});
    if (s.aborts < b_.aborts && v != State::Closed && v != State::Listen) {
      out.push_back({Step::ServerAbort, 0});
    }
    if (s.injections < b_.injections) {
      for (const bool to_server : {false, true}) {
        const State st = to_server ? v : c;
        if (st == State::Closed || st == State::Listen || st == State::SynSent) continue;
        out.push_back({Step::Inject, static_cast<std::uint8_t>(to_server ? 1 : 0)});
        out.push_back({Step::Inject, static_cast<std::uint8_t>(to_server ? 3 : 2)});
      }
    }
  }

  std::optional<Violation> apply(Sys& s, Move m) {
    violation_.reset();
    invalid_ = false;
    floor_ = false;  // a move's own: nothing of one move reaches the next but Sys
    switch (m.step) {
      case Step::Deliver: {
        const Seg p = s.net[m.index];
        remove(s, m.index);
        note([&] { return "deliver " + describe(p); });
        arrive(s, p);
        break;
      }
      case Step::Drop:
        note([&] { return "network loses " + describe(s.net[m.index]); });
        remove(s, m.index);
        ++s.losses;
        break;
      case Step::Duplicate:
        note([&] { return "network duplicates " + describe(s.net[m.index]); });
        add(s, s.net[m.index]);
        ++s.duplicates;
        break;
      case Step::Tick: tick(s); break;
      case Step::ClientConnect:
        s.cg = Ghost::fresh(static_cast<std::uint8_t>(s.cg.incarnation + 1));
        note([&] {
          return "client user: connect (incarnation " + std::to_string(s.cg.incarnation) + ")";
        });
        call(s, false, [&](End&) { fire(s, false, model::Event::OpenActive, nullptr); });
        new_iss(s, false);
        break;
      case Step::ClientSend: user_send(s, false); break;
      case Step::ClientClose:
        s.cg.closed = true;
        note([] { return std::string("client user: close"); });
        call(s, false, [&](End&) { fire(s, false, model::Event::Close, nullptr); });
        break;
      case Step::ClientAbort:
        s.cg.aborted = true;
        ++s.aborts;
        note([] { return std::string("client user: abort"); });
        call(s, false, [&](End&) { fire(s, false, model::Event::Abort, nullptr); });
        break;
      case Step::ServerListen:
        s.sg = Ghost::fresh(s.sg.incarnation);
        note([] { return std::string("server user: listen again"); });
        call(s, true, [&](End&) { fire(s, true, model::Event::OpenPassive, nullptr); });
        break;
      case Step::ServerSend: user_send(s, true); break;
      case Step::ServerClose:
        s.sg.closed = true;
        note([] { return std::string("server user: close"); });
        call(s, true, [&](End&) { fire(s, true, model::Event::Close, nullptr); });
        break;
      case Step::ServerAbort:
        s.sg.aborted = true;
        ++s.aborts;
        note([] { return std::string("server user: abort"); });
        call(s, true, [&](End&) { fire(s, true, model::Event::Abort, nullptr); });
        break;
      case Step::Inject: inject(s, m.index); break;
    }
    std::sort(s.net.begin(), s.net.begin() + s.in_flight);
    if (!violation_) check_agreement(s);
    return invalid_ ? std::nullopt : violation_;
  }

  // "ISN(T3)+1": the tag as the tick its ISN was chosen at.
  static std::string number_text(std::uint8_t tag, std::uint8_t off) {
    std::string t;
    if (tag == kMissTag) {
      t = "?";
    } else if (tag == kZeroTag) {
      t = "ISN(0)";
    } else if (tag >= kFloorTag) {
      t = "ISN(floor T" + std::to_string(tag - kFloorTag) + ")";
    } else {
      t = "ISN(T" + std::to_string(tag - kClockTag) + ")";
    }
    return off == 0 ? t : t + "+" + std::to_string(off);
  }

  static std::string describe(const Seg& p) {
    std::string t = std::string(p.injected ? "attacker" : p.to_server ? "client" : "server") +
                    " -> " + (p.to_server ? "server" : "client") + " <SEQ=" +
                    number_text(p.seq_tag, p.seq_off) + ">";
    if (p.ack()) t += "<ACK=" + number_text(p.ack_tag, p.ack_off) + ">";
    std::string f;
    for (auto [bit, name] : {std::pair{1, "SYN"}, {2, "ACK"}, {4, "FIN"}, {8, "RST"}}) {
      if ((p.flags & bit) != 0) f += f.empty() ? name : std::string(",") + name;
    }
    t += "<CTL=" + (f.empty() ? std::string("none") : f) + ">";
    if (p.payload != 0) t += "<DATA>";
    t += " (incarnation " + std::to_string(p.incarnation) + ", age " + std::to_string(p.age) + ")";
    return t;
  }

 private:
  // What one call owes at its end (the engine's transient flags): an ACK, a
  // RST, and the user signals, raised after the call's segments are out.
  struct Owed {
    bool ack_now = false;
    std::optional<Seg> rst;
    std::uint8_t signals = 0;  // bit per core::UserEvent
  };

  template <class F>
  void note(F&& line) {
    if (say_ != nullptr) say_->push_back(line());
  }

  void fail(Invariant i, std::string detail) {
    if (only_ && i != *only_) return;
    if (!violation_) violation_ = Violation{i, std::move(detail)};
  }

  static End& side(Sys& s, bool server) { return server ? s.server : s.client; }
  static const char* who(bool server) { return server ? "server" : "client"; }

  void add(Sys& s, const Seg& p) {
    if (s.in_flight < b_.in_flight && s.in_flight < explore::kMaxInFlight) {
      s.net[s.in_flight++] = p;
    } else {
      invalid_ = true;  // beyond the loss bound, as at the impl level
    }
  }

  static void remove(Sys& s, std::uint8_t i) {
    for (std::uint8_t k = i; k + 1 < s.in_flight; ++k) s.net[k] = s.net[k + 1];
    --s.in_flight;
    s.net[s.in_flight] = Seg{};
  }

  // --- The classifier's view ----------------------------------------------------

  static model::SegmentFacts<32> facts(const Seg& p) {
    model::SegmentFacts<32> f;
    f.flags = {.syn = p.syn(), .ack = p.ack(), .fin = p.fin(), .rst = p.rst()};
    f.seq = number(p.seq_tag, p.seq_off);
    f.ack = number(p.ack_tag, p.ack_off);
    f.payload = p.payload;
    return f;
  }

  static std::uint8_t offered_window(const End& c) {
    return c.rcv_adv > c.rcv_nxt ? static_cast<std::uint8_t>(c.rcv_adv - c.rcv_nxt) : 0;
  }

  static model::TcbNumbers<32> numbers(const End& c) {
    model::TcbNumbers<32> n;
    n.iss = number(c.iss_tag, 0);
    n.snd_una = number(c.iss_tag, c.snd_una);
    n.snd_nxt = number(c.iss_tag, c.snd_max);  // the highest sent, as the engine gives it
    n.max_snd_wnd = kMaxSendWindow;
    n.irs = number(c.irs_tag, 0);
    n.rcv_nxt = number(c.irs_tag, c.rcv_nxt);
    n.rcv_wnd = offered_window(c);
    n.fin_sent = c.fin_sent != 0;
    return n;
  }

  // --- One call on one side ------------------------------------------------------

  template <class F>
  void call(Sys& s, bool server, F&& f) {
    owed_ = Owed{};
    End& c = side(s, server);
    f(c);
    transmit(s, server);
    signal(s, server);
    // The user reads whatever is readable after every call, as at the impl
    // level: the table's RECEIVE row decides whether anything is handed over.
    fire(s, server, model::Event::Receive, nullptr, false);
  }

  // Looks the event up in the Spec, as the engine does (Spec::find with the
  // same guard facts), performs the row's actions in their order, moves to
  // the row's target, and judges the row.
  void fire(Sys& s, bool server, model::Event e, const Seg* seg, bool judged = true) {
    End& c = side(s, server);
    model::GuardFacts facts;
    facts.opened_passively = c.passive != 0;
    facts.retries_left = c.retries < kRetryLimit;
    // The server listens without naming its peer and forgets it on the way
    // back to LISTEN; the client always names it.
    facts.remote_specified = c.st() != model::State::Listen;
    const model::Row* row = S.find(c.st(), e, facts);
    if (row == nullptr || !row->fires()) {
      // The classifier never yields such a cell (model/test proves it); a
      // table level that did would be wrong, and says so.
      fail(Invariant::StatesFollowTable, std::string(who(server)) + ": no firing row for " +
                                             std::string(model::name(c.st())) + " x " +
                                             std::string(model::name(e)));
      return;
    }
    const model::State from = c.st();
    const model::State to = row->to.resolve(from);
    for (model::Act act : model::kAllActs) {
      if (row->acts.contains(act)) perform(s, server, act, e, seg, from, to);
    }
    c.state = static_cast<std::uint8_t>(to);
    if (to != from) {
      if (to == model::State::Listen) c.passive = 1;
      if (to == model::State::TimeWait) c.queued = 0;  // nothing of ours is outstanding
    }
    if (judged) judge_row(s, server, *row, from, to);
  }

  void perform(Sys& s, bool server, model::Act act, model::Event e, const Seg* seg,
               model::State from, model::State to) {
    using model::Act;
    End& c = side(s, server);
    switch (act) {
      case Act::NewIncarnation:
        // The old incarnation is forgotten; its numbers only raise the floor
        // of the next ISS (choose_iss below).
        c = fresh(b_);
        c.passive = 1;
        floor_ = true;
        break;
      case Act::AcceptSyn: accept_syn(c, *seg); break;
      case Act::ProcessSegment: process_segment(c, *seg, e, from); break;
      case Act::QueueData:
        if (c.queued < kBuffer) ++c.queued;
        break;
      case Act::Deliver: deliver(s, server); break;
      case Act::SendSyn:
        c.passive = 0;
        choose_iss(s, c);
        break;
      case Act::SendSynAck:
        if (from == model::State::Listen || from == model::State::TimeWait) choose_iss(s, c);
        c.snd_nxt = 0;  // (re)send the SYN-ACK
        break;
      case Act::SendAck: owed_.ack_now = true; break;
      case Act::SendFin:
        c.fin_queued = 1;
        if (S.fin == model::FinPolicy::Immediately) {
          c.queued = std::min(c.queued, sent_octets(c));
        }
        break;
      case Act::SendRst: owed_.rst = reset_for(c, seg, server, s); break;
      case Act::SendChallengeAck:
        // RFC 5961 section 7: one challenge ACK per window of 4 ticks
        // (Config::small_defaults()).
        if (c.chal_age == 0 || c.chal_age == 5) {
          c.chal_age = 1;
          c.chal_count = 0;
        }
        if (c.chal_count < 1) {
          ++c.chal_count;
          owed_.ack_now = true;
        }
        break;
      case Act::Retransmit:
        // RFC 6298 5.4 to 5.6: back to the oldest unacknowledged octet,
        // double the timeout, restart the timer.
        ++c.retries;
        c.rto = static_cast<std::uint8_t>(std::min(2 * c.rto, int{rto_maximum(b_)}));
        c.snd_nxt = c.snd_una;
        c.rtx_left = c.rto;
        break;
      case Act::CancelTimers: c.rtx_left = 0; break;
      case Act::StartTimeWait:
        // Fires at the first tick at or after now + time_wait_msl * MSL.
        c.tw_left = static_cast<std::uint8_t>(std::max(1U, S.time_wait_msl * b_.msl));
        break;
      case Act::SignalConnected: owed_.signals |= bit(core::UserEvent::Connected); break;
      case Act::SignalPeerFin: owed_.signals |= bit(core::UserEvent::PeerFinished); break;
      case Act::SignalReset: owed_.signals |= bit(core::UserEvent::Reset); break;
      case Act::SignalRefused: owed_.signals |= bit(core::UserEvent::Refused); break;
      case Act::SignalTimedOut: owed_.signals |= bit(core::UserEvent::TimedOut); break;
      case Act::SignalClosed: owed_.signals |= bit(core::UserEvent::Closed); break;
      case Act::FailExists:
      case Act::FailNoConnection:
      case Act::FailClosing: break;
      case Act::DeleteTcb:
        (void)to;
        c = fresh(b_);
        break;
    }
  }

  static std::uint8_t bit(core::UserEvent e) {
    return static_cast<std::uint8_t>(1U << static_cast<unsigned>(e));
  }

  // RFC 9293 3.4.1 as the Spec's policy has it: the tag says which ISN.
  void choose_iss(const Sys& s, End& c) {
    std::uint8_t tag = 0;
    if (floor_) {
      tag = static_cast<std::uint8_t>(kFloorTag + s.elapsed);
      floor_ = false;
    } else if (S.isn == model::IsnPolicy::Zero) {
      tag = kZeroTag;
    } else {
      tag = static_cast<std::uint8_t>(kClockTag + s.elapsed);
    }
    c.iss_tag = tag;
    c.snd_una = c.snd_nxt = 0;
    c.snd_max = 1;  // the SYN counts as sent
    c.has_iss = 1;
    c.syn_acked = 0;
  }

  void accept_syn(End& c, const Seg& seg) {
    c.irs_tag = seg.seq_tag;
    c.rcv_nxt = static_cast<std::uint8_t>(seg.seq_off + 1);
    c.rcv_adv = c.rcv_nxt;
    c.rcv_adv = static_cast<std::uint8_t>(c.rcv_nxt + advertised_window(c));
    // RFC 9293 3.10.7.2 lets payload on a SYN be kept; the Spec decides.
    if (S.syn_payload == model::SynPayload::Deliver && seg.payload != 0 && c.readable < kBuffer) {
      c.rbuf[c.readable++] = byte_of(seg);
      ++c.rcv_nxt;
    }
  }

  // The octet a segment carries: the sender's user's byte at its offset,
  // or the attacker's.
  static std::uint8_t byte_of(const Seg& p) {
    if (p.injected != 0) return explore::kAttackerByte;
    const unsigned first = p.seq_off + (p.syn() ? 1U : 0U);  // the octet after the SYN is 1
    return explore::byte_value(p.to_server == 0, p.incarnation,
                               static_cast<std::uint8_t>(first - 1));
  }

  // RFC 9293 3.10.7.4, fifth to eighth steps, for a segment the table took.
  void process_segment(End& c, const Seg& seg, model::Event event, model::State from) {
    if (seg.ack()) process_ack(c, seg);
    const bool may_take_data =
        !seg.syn() && (model::states::kMayReceive.contains(from) ||
                       from == model::State::SynReceived);
    if (may_take_data && seg.payload != 0) process_text(c, seg);
    if (seg.fin() && may_take_data) {
      const auto fin_seq = number(seg.seq_tag, static_cast<std::uint8_t>(seg.seq_off + seg.payload));
      const auto rcv_nxt = number(c.irs_tag, c.rcv_nxt);
      const bool processable = event == model::Event::Fin || event == model::Event::FinAckOfFin;
      if (processable && fin_seq == rcv_nxt) {
        ++c.rcv_nxt;
        c.peer_fin = 1;
        c.queued_fin = 0;
      } else if (!processable && model::after(fin_seq, rcv_nxt)) {
        c.queued_fin = static_cast<std::uint8_t>(seg.seq_off + seg.payload + 1);
      } else if (!processable) {
        owed_.ack_now = true;
      }
    }
  }

  void process_ack(End& c, const Seg& seg) {
    const auto ack = number(seg.ack_tag, seg.ack_off);
    if (model::after(ack, number(c.iss_tag, c.snd_una)) &&
        model::before_or_eq(ack, number(c.iss_tag, c.snd_max))) {
      int acked = seg.ack_off - c.snd_una;
      if (c.syn_acked == 0) {
        --acked;  // the first octet acknowledged is our SYN
        c.syn_acked = 1;
      }
      if (c.fin_sent != 0 && seg.ack_off == c.snd_max) --acked;
      c.queued = static_cast<std::uint8_t>(c.queued - std::clamp<int>(acked, 0, c.queued));
      c.snd_una = seg.ack_off;
      if (c.snd_nxt < c.snd_una) c.snd_nxt = c.snd_una;
      c.retries = 0;
      c.rtx_left = c.snd_una == c.snd_max ? 0 : c.rto;  // RFC 6298 5.2, 5.3
    }
  }

  // Seventh step: an octet at RCV.NXT inside the offered window is taken;
  // anything else is acknowledged at once. An octet beyond RCV.NXT is not
  // kept (the engine keeps one range for reassembly): with one octet per
  // incarnation, the default, none can arrive early.
  void process_text(End& c, const Seg& seg) {
    const auto seq = number(seg.seq_tag, seg.seq_off);
    const auto rcv_nxt = number(c.irs_tag, c.rcv_nxt);
    owed_.ack_now = true;  // delayed ACKs are off in the explorer's Config
    if (seq == rcv_nxt && offered_window(c) > 0 && c.readable < kBuffer) {
      c.rbuf[c.readable++] = byte_of(seg);
      ++c.rcv_nxt;
    }
  }

  static std::uint8_t sent_octets(const End& c) {
    const int data_start = c.syn_acked != 0 ? c.snd_una : c.snd_una + 1;
    return static_cast<std::uint8_t>(c.snd_nxt > data_start ? c.snd_nxt - data_start : 0);
  }

  // RFC 9293 3.8.6.2.2 as the engine does it: the right edge moves on only
  // by at least one octet (min(half the buffer, MSS)), never back.
  static std::uint8_t advertised_window(const End& c) {
    const int free = kBuffer - c.readable;
    const int current = offered_window(c);
    return static_cast<std::uint8_t>(free >= current + 1 ? free : current);
  }

  static void advertise(End& c) {
    c.rcv_adv = static_cast<std::uint8_t>(c.rcv_nxt + advertised_window(c));
  }

  // RFC 9293 3.5.2: a reset the offending segment's sender accepts; for
  // ABORT, one at SND.NXT.
  Seg reset_for(const End& c, const Seg* seg, bool server, const Sys& s) const {
    Seg r;
    r.to_server = server ? 0 : 1;
    r.flags = 8;
    r.incarnation = (server ? s.sg : s.cg).incarnation;
    if (seg == nullptr) {
      r.seq_tag = c.iss_tag;
      r.seq_off = c.snd_max;
    } else if (seg->ack()) {
      r.seq_tag = seg->ack_tag;
      r.seq_off = seg->ack_off;
    } else {
      r.flags |= 2;
      r.seq_tag = kMissTag;  // SEQ=0: no number of anyone's
      r.ack_tag = seg->seq_tag;
      r.ack_off = static_cast<std::uint8_t>(seg->seq_off + seg->payload + (seg->syn() ? 1 : 0) +
                                            (seg->fin() ? 1 : 0));
    }
    return r;
  }

  // --- What a call sends: the engine's poll_transmit, step for step ---------------

  Seg segment(const Sys& s, bool server) const {
    Seg p;
    p.to_server = server ? 0 : 1;
    p.incarnation = (server ? s.sg : s.cg).incarnation;
    return p;
  }

  void send(Sys& s, bool server, const Seg& p) {
    if (p.syn() && p.payload != 0 && S.syn_payload == model::SynPayload::AckSynOnly) {
      fail(Invariant::NoDataOnSyn, "a SYN of ours carries data");
    }
    note([&] { return "  " + std::string(who(server)) + " sends " + describe(p); });
    add(s, p);
  }

  void transmit(Sys& s, bool server) {
    End& c = side(s, server);
    // Each pass sends one segment or stops; a call owes at most a RST, a
    // SYN, its octets, a FIN and an ACK.
    for (unsigned pass = 0; pass < 2 * kBuffer + 4; ++pass) {
      if (owed_.rst) {
        send(s, server, *owed_.rst);
        owed_.rst.reset();
        continue;
      }
      if (c.has_iss != 0 && c.syn_acked == 0 && c.snd_nxt == 0) {
        send(s, server, transmit_syn(s, server, c));
        continue;
      }
      if (c.st() == model::State::SynSent) return;
      if (c.st() == model::State::SynReceived) {
        if (!owed_.ack_now) return;
        send(s, server, transmit_ack(s, server, c));
        continue;
      }
      if (model::states::kSynchronized.contains(c.st())) {
        if (auto data = transmit_data(s, server, c)) {
          send(s, server, *data);
          continue;
        }
      }
      if (owed_.ack_now) {
        send(s, server, transmit_ack(s, server, c));
        continue;
      }
      return;
    }
  }

  Seg transmit_syn(const Sys& s, bool server, End& c) {
    Seg p = segment(s, server);
    p.flags = 1;
    p.seq_tag = c.iss_tag;
    if (c.st() != model::State::SynSent) {
      p.flags |= 2;
      p.ack_tag = c.irs_tag;
      p.ack_off = c.rcv_nxt;
    }
    advertise(c);
    c.snd_nxt = 1;
    if (S.syn_payload == model::SynPayload::Deliver && c.st() == model::State::SynSent &&
        c.queued > 0) {
      p.payload = 1;
      c.snd_nxt = 2;
      c.snd_max = std::max(c.snd_max, c.snd_nxt);
    }
    owed_.ack_now = false;
    if (c.rtx_left == 0) c.rtx_left = c.rto;
    return p;
  }

  Seg transmit_ack(const Sys& s, bool server, End& c) {
    Seg p = segment(s, server);
    p.flags = 2;
    p.seq_tag = c.iss_tag;
    p.seq_off = c.snd_nxt;
    p.ack_tag = c.irs_tag;
    p.ack_off = c.rcv_nxt;
    advertise(c);
    owed_.ack_now = false;
    return p;
  }

  // One octet at a time (SmallParams' MSS), within the peer's window (its
  // buffer), the FIN on the last queued octet or alone.
  std::optional<Seg> transmit_data(const Sys& s, bool server, End& c) {
    const std::uint8_t sent = std::min(sent_octets(c), c.queued);
    const std::uint8_t unsent = static_cast<std::uint8_t>(c.queued - sent);
    const int in_flight = c.snd_nxt - c.snd_una;
    const int usable = kBuffer > in_flight ? kBuffer - in_flight : 0;
    if (unsent > 0 && usable == 0 && c.rtx_left == 0) c.rtx_left = c.rto;
    const std::uint8_t n = static_cast<std::uint8_t>(std::min({int{unsent}, usable, 1}));
    const bool send_fin =
        c.fin_queued != 0 && n == unsent && (c.fin_sent == 0 || c.snd_nxt + n < c.snd_max);
    if (n == 0 && !send_fin) return std::nullopt;
    Seg p = segment(s, server);
    p.flags = static_cast<std::uint8_t>(2 | (send_fin ? 4 : 0));
    p.seq_tag = c.iss_tag;
    p.seq_off = c.snd_nxt;
    p.ack_tag = c.irs_tag;
    p.ack_off = c.rcv_nxt;
    p.payload = n;
    advertise(c);
    c.snd_nxt = static_cast<std::uint8_t>(c.snd_nxt + n + (send_fin ? 1 : 0));
    if (send_fin) c.fin_sent = 1;
    c.snd_max = std::max(c.snd_max, c.snd_nxt);
    owed_.ack_now = false;
    if (c.rtx_left == 0) c.rtx_left = c.rto;
    return p;
  }

  void signal(Sys& s, bool server) {
    Ghost& g = server ? s.sg : s.cg;
    for (unsigned e = 0; e < 8; ++e) {
      if ((owed_.signals & (1U << e)) == 0) continue;
      const auto ev = static_cast<core::UserEvent>(e);
      if (ev == core::UserEvent::Reset || ev == core::UserEvent::Refused ||
          ev == core::UserEvent::TimedOut) {
        g.reset = true;
      }
      if (ev == core::UserEvent::TimedOut) g.timed_out = true;
      note([&] {
        return "  " + std::string(who(server)) + " user is told: " + std::string(core::name(ev));
      });
    }
    owed_.signals = 0;
  }

  // --- Network, users, time, attacker --------------------------------------------

  void arrive(Sys& s, const Seg& p) {
    incoming_ = p;
    const bool server = p.to_server != 0;
    call(s, server, [&](End& c) {
      fire(s, server, model::classify(c.st(), facts(p), numbers(c)), &p);
      // A FIN kept behind a hole is processed once the hole is filled.
      if (c.queued_fin != 0 && c.queued_fin - 1 == c.rcv_nxt &&
          model::states::kSynchronized.contains(c.st())) {
        Seg fin;
        fin.to_server = p.to_server;
        fin.flags = 2 | 4;
        fin.seq_tag = c.irs_tag;
        fin.seq_off = c.rcv_nxt;
        fin.ack_tag = c.iss_tag;
        fin.ack_off = c.snd_una;
        fin.incarnation = p.incarnation;
        c.queued_fin = 0;
        fire(s, server, model::classify(c.st(), facts(fin), numbers(c)), &fin);
      }
    });
    incoming_.reset();
  }

  void user_send(Sys& s, bool server) {
    Ghost& g = server ? s.sg : s.cg;
    const std::uint8_t b = explore::byte_value(server, g.incarnation, g.sent);
    ++g.sent;
    note([&] { return std::string(who(server)) + " user: send byte " + std::to_string(b); });
    call(s, server, [&](End&) { fire(s, server, model::Event::Send, nullptr); });
  }

  void tick(Sys& s) {
    note([] { return std::string("time passes: tick"); });
    for (std::uint8_t i = 0; i < s.in_flight;) {
      if (++s.net[i].age > b_.msl) {
        if (s.losses >= b_.losses) invalid_ = true;
        ++s.losses;
        note([&] { return "  " + describe(s.net[i]) + " expires"; });
        remove(s, i);
      } else {
        ++i;
      }
    }
    for (Ghost* g : {&s.cg, &s.sg}) {
      if (g->time_wait_age < 2 * b_.msl) ++g->time_wait_age;
    }
    for (End* c : {&s.client, &s.server}) {
      if (c->chal_age != 0 && c->chal_age < 5) ++c->chal_age;
    }
    ++s.elapsed;
    for (const bool server : {false, true}) {
      call(s, server, [&](End& c) {
        if (c.tw_left != 0) {
          if (c.tw_left <= 1) {
            c.tw_left = 0;
            fire(s, server, model::Event::TimeWaitTimeout, nullptr);
          } else {
            --c.tw_left;
          }
        }
        if (c.rtx_left != 0) {
          if (c.rtx_left <= 1) {
            c.rtx_left = 0;
            fire(s, server, model::Event::RetransmissionTimeout, nullptr);
          } else {
            --c.rtx_left;
          }
        }
      });
    }
  }

  // The attacker knows the ISN function but not the secret (RFC 6528), as
  // at the impl level: it guesses the clock part for the tick each side
  // chose its ISS at. Against the clock alone the guess is the ISS; against
  // the keyed hash it misses. Against IsnPolicy::Zero it is the ISS only
  // where the impl level's clock reads 0 (tick 0: 8 * (32 + 0) mod 256).
  std::uint8_t guess(std::uint8_t at) const {
    if (at == Sys::kNever) return kMissTag;
    switch (S.isn) {
      case model::IsnPolicy::Clock: return static_cast<std::uint8_t>(kClockTag + at);
      case model::IsnPolicy::Zero: return at == 0 ? kZeroTag : kMissTag;
      case model::IsnPolicy::ClockPlusKeyedHash: return kMissTag;
    }
    return kMissTag;
  }

  void inject(Sys& s, std::uint8_t how) {
    const bool to_server = (how & 1) != 0;
    const bool data = (how & 2) != 0;
    Seg p;
    p.to_server = to_server ? 1 : 0;
    p.injected = 1;
    p.seq_tag = guess(to_server ? s.client_iss_at : s.server_iss_at);
    p.seq_off = 1;
    if (data) {
      p.flags = 2;
      p.ack_tag = guess(to_server ? s.server_iss_at : s.client_iss_at);
      p.ack_off = 1;
      p.payload = 1;
    } else {
      p.flags = 8;
    }
    ++s.injections;
    note([&] { return "attacker injects " + describe(p); });
    arrive(s, p);
  }

  // --- Invariants, judged as at the impl level ------------------------------------

  void new_iss(Sys& s, bool server) {
    const End& c = side(s, server);
    std::uint8_t& last = server ? s.server_iss : s.client_iss;
    std::uint8_t& at = server ? s.server_iss_at : s.client_iss_at;
    if (at != Sys::kNever && s.elapsed > at && c.iss_tag == last) {
      fail(Invariant::IsnUnique, std::string(who(server)) + " chose " +
                                     number_text(c.iss_tag, 0) + " again, " +
                                     std::to_string(s.elapsed - at) + " ticks after the last");
    }
    last = c.iss_tag;
    at = s.elapsed;
  }

  void deliver(Sys& s, bool server) {
    End& c = side(s, server);
    for (std::uint8_t k = 0; k < c.readable; ++k) delivered(s, server, c.rbuf[k]);
    c.readable = 0;
    c.rbuf = {};
  }

  void delivered(Sys& s, bool server, std::uint8_t b) {
    Ghost& g = server ? s.sg : s.cg;
    note([&] {
      return "  " + std::string(who(server)) + " user receives byte " + std::to_string(b);
    });
    if (b == explore::kAttackerByte) {
      fail(Invariant::NoInjectionAccepted,
           std::string(who(server)) + " delivered the attacker's byte");
    }
    const std::uint8_t expected = explore::byte_value(!server, g.peer_incarnation, g.delivered);
    if (b != expected) {
      fail(Invariant::NoOldDuplicateAccepted,
           std::string(who(server)) + " delivered byte " + std::to_string(b) +
               " where the peer's incarnation " + std::to_string(g.peer_incarnation) + " sent " +
               std::to_string(expected));
    }
    if (server) {
      const std::uint8_t inc = (b >> 3) & 15U;
      const std::uint8_t index = b & 7U;
      if (inc < explore::kMaxIncarnations) {
        if (s.from_client[inc] > index) {
          fail(Invariant::NoOldDuplicateAccepted,
               "server delivered byte " + std::to_string(b) + " of client incarnation " +
                   std::to_string(inc) + " a second time");
        }
        s.from_client[inc] =
            std::max<std::uint8_t>(s.from_client[inc], static_cast<std::uint8_t>(index + 1));
      }
    }
    ++g.delivered;
  }

  void judge_row(Sys& s, bool server, const model::Row& row, model::State at, model::State to) {
    Ghost& g = server ? s.sg : s.cg;
    const Ghost& peer = server ? s.cg : s.sg;
    const End& other = side(s, !server);
    if (row.acts.contains(model::Act::AcceptSyn) && incoming_) {
      g.peer_incarnation = incoming_->incarnation;
      if (server) {
        new_iss(s, true);
        g.incarnation = static_cast<std::uint8_t>(g.incarnation + 1);
        g.delivered = 0;
        g.sent = 0;
        g.closed = false;
      }
    }
    if (at == model::State::TimeWait && to == model::State::Closed &&
        g.time_wait_age < 2 * b_.msl) {
      fail(Invariant::TimeWaitLasts2Msl,
           std::string(who(server)) + " left TIME-WAIT after " + std::to_string(g.time_wait_age) +
               " ticks, 2MSL is " + std::to_string(2 * b_.msl));
    }
    if (incoming_ && incoming_->injected != 0 && to != at) {
      fail(Invariant::NoInjectionAccepted,
           std::string(who(server)) + " went " + std::string(model::rfc_name(at)) + " -> " +
               std::string(model::rfc_name(to)) + " on the attacker's segment");
    }
    if (row.acts.contains(model::Act::StartTimeWait)) g.time_wait_age = 0;
    if (to != at) {
      note([&] {
        return "  " + std::string(who(server)) + " " + std::string(model::rfc_name(at)) + " -> " +
               std::string(model::rfc_name(to)) + " (" + std::string(model::name(row.event)) +
               ", RFC " + std::string(row.section) + ")";
      });
    }
    if (server && to == model::State::Established && at != to) {
      const bool asked = s.cg.incarnation == g.peer_incarnation &&
                         other.st() != model::State::Closed && other.st() != model::State::Listen;
      if (!asked) {
        fail(Invariant::NoPhantomConnection,
             "server ESTABLISHED for client incarnation " + std::to_string(g.peer_incarnation) +
                 ", but the client is in incarnation " + std::to_string(s.cg.incarnation) + ", " +
                 std::string(model::rfc_name(other.st())));
      }
    }
    if (to == model::State::Closed && at != to) closed(g, peer, server, at, row.event);
  }

  void closed(const Ghost& g, const Ghost& peer, bool server, model::State from,
              model::Event event) {
    const bool orderly = g.closed && peer.closed && !g.aborted && !peer.aborted && !g.timed_out &&
                         !peer.timed_out && peer.incarnation == g.peer_incarnation &&
                         g.peer_incarnation != 0;
    if (!orderly) return;
    if (event == model::Event::RstExact) {
      fail(Invariant::NothingLost, std::string(who(server)) + "'s orderly close ended in a reset (from " +
                                       std::string(model::rfc_name(from)) + ")");
      return;
    }
    const bool graceful = event == model::Event::AckOfFin || event == model::Event::FinAckOfFin ||
                          event == model::Event::TimeWaitTimeout;
    if (graceful && g.delivered != peer.sent) {
      fail(Invariant::NothingLost, std::string(who(server)) + " closed having received " +
                                       std::to_string(g.delivered) + " of the " +
                                       std::to_string(peer.sent) + " bytes its peer sent");
    }
  }

  // HandshakeAgreement: two ESTABLISHED ends of the same incarnation agree
  // on both ISNs, here on both tags.
  void check_agreement(const Sys& s) {
    if (s.client.st() == model::State::Established &&
        s.server.st() == model::State::Established && s.cg.incarnation == s.sg.peer_incarnation) {
      if (s.client.iss_tag != s.server.irs_tag || s.client.irs_tag != s.server.iss_tag) {
        fail(Invariant::HandshakeAgreement,
             "client ISS " + number_text(s.client.iss_tag, 0) + " / IRS " +
                 number_text(s.client.irs_tag, 0) + ", server IRS " +
                 number_text(s.server.irs_tag, 0) + " / ISS " + number_text(s.server.iss_tag, 0));
      }
    }
  }

  Bounds b_;
  std::vector<std::string>* say_;
  std::optional<Violation> violation_;
  std::optional<Invariant> only_;
  std::optional<Seg> incoming_;
  Owed owed_;
  // NewIncarnation: the next ISS this move chooses is above the old
  // incarnation's (the row that has it also sends the SYN-ACK).
  bool floor_ = false;
  bool invalid_ = false;
};

// Every state reachable under S, breadth-first from the initial state
// through every move Stepper::moves lists and Stepper::invalid keeps (a
// move's successor is kept even if the move breaks an invariant). States
// are as they ran: nothing dead is forgotten. The explorer's search stores
// fingerprints; this keeps the states, for Z3 to judge as a set
// (verify/z3/table_induction.hpp), so it is for small bounds.
template <const model::Spec& S>
std::vector<Sys> reachable_states(const Bounds& b) {
  const auto key = [](const Sys& s) {
    std::string k(sizeof(Sys), '\0');
    std::memcpy(k.data(), &s, sizeof(Sys));
    return k;
  };
  std::vector<Sys> states{Stepper<S>::initial(b)};
  std::unordered_set<std::string> seen{key(states.front())};
  Stepper<S> stepper(b);
  std::vector<Move> moves;
  for (std::size_t next = 0; next < states.size(); ++next) {
    const Sys s = states[next];
    stepper.moves(s, moves);
    for (const Move m : moves) {
      Sys t = s;
      stepper.apply(t, m);
      if (!stepper.invalid() && seen.insert(key(t)).second) states.push_back(t);
    }
  }
  return states;
}

}  // namespace tcpmc::verify::table
