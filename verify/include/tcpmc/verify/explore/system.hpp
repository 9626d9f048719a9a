// The system the explorer searches (impl level): a client and a server
// running the real engine, Connection<ExploreParams, Spec>, over a network
// that holds a bounded multiset of in-flight segments with ages and may
// lose, duplicate, reorder (any in-flight segment may be delivered next)
// and expire them; time advancing in ticks; and users that connect, send a
// byte at a time, close, abort, listen again and reconnect the same 4-tuple.
//
// Beside the protocol state the system carries ghost variables: which
// incarnation each segment and each byte came from, and what each side has
// sent and delivered. The invariants (invariants.hpp) are judged on them.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/hash_mix.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/params.hpp>
#include <tcpmc/verify/invariants.hpp>
#include <vector>

namespace tcpmc::verify::explore {

inline constexpr core::Endpoint kClientEndpoint{0xC6120001, 40000};  // 198.18.0.1
inline constexpr core::Endpoint kServerEndpoint{0xC6120002, 80};     // 198.18.0.2
inline constexpr std::size_t kMaxInFlight = 6;
inline constexpr std::size_t kMaxIncarnations = 8;

// The connections' clocks read kClockBase + the ticks elapsed in the run.
inline constexpr std::uint32_t kClockBase = 32;

// A segment in flight, in the canonical form the state stores.
struct Packet {
  bool to_server = false;
  std::uint8_t flags = 0;  // bit 0 SYN, 1 ACK, 2 FIN, 3 RST
  std::uint8_t seq = 0;
  std::uint8_t ack = 0;
  std::uint8_t window = 0;
  std::uint8_t mss = 0;  // 0: no MSS option
  std::uint8_t len = 0;
  std::array<std::uint8_t, 2> bytes{};
  std::uint8_t age = 0;
  std::uint8_t incarnation = 0;  // ghost: the sender's incarnation
  bool injected = false;         // ghost: sent by the off-path attacker
  auto operator<=>(const Packet&) const = default;
};

enum class Step : std::uint8_t {
  Deliver,
  Drop,
  Duplicate,
  Tick,
  ClientConnect,
  ClientSend,
  ClientClose,
  ClientAbort,
  ServerListen,
  ServerSend,
  ServerClose,
  ServerAbort,
  Inject,  // the off-path attacker sends; index: bit 0 to the server, bit 1 data (else RST)
};

struct Move {
  Step step = Step::Tick;
  std::uint8_t index = 0;  // the packet, for network steps
  bool operator==(const Move&) const = default;
};

// What a side has done in its current connection, for the invariants.
struct Ghost {
  std::uint8_t incarnation = 0;       // connections this side has had (client: opened)
  std::uint8_t peer_incarnation = 0;  // the peer incarnation its connection talks to (0: none)
  std::uint8_t sent = 0;              // bytes its user sent in this connection
  std::uint8_t delivered = 0;         // bytes delivered to its user in this connection
  std::uint8_t time_wait_age = 0;     // ticks since TIME-WAIT last (re)started
  bool closed = false;                // its user called CLOSE
  bool aborted = false;               // its user called ABORT
  bool reset = false;                 // it was told reset, refused or timed out
  bool timed_out = false;             // it gave up after its retries
  bool operator==(const Ghost&) const = default;

  // The ghost of a new connection of a side that has had `n` before.
  static Ghost fresh(std::uint8_t n) {
    Ghost g;
    g.incarnation = n;
    return g;
  }
};

// The byte a side's user sends as the i-th of an incarnation: it names its
// origin, so a byte delivered in the wrong place is recognized.
constexpr std::uint8_t byte_value(bool from_server, std::uint8_t incarnation, std::uint8_t i) {
  return static_cast<std::uint8_t>((from_server ? 0x80U : 0U) | (incarnation & 15U) << 3 |
                                   (i & 7U));
}

// The attacker's byte: byte_value() never yields it (incarnation 15).
inline constexpr std::uint8_t kAttackerByte = 0x7F;

// Whether every row of S that enters TIME-WAIT from another state starts
// TIME-WAIT's clock: then a ghost's TIME-WAIT age outside TIME-WAIT is
// never read before it is reset (System::forget_dead_values).
template <const model::Spec& S>
constexpr bool every_entry_starts_time_wait() {
  for (const model::Row& row : S.rows()) {
    for (const model::State from : model::kAllStates) {
      if (from != model::State::TimeWait && row.from.contains(from) &&
          row.to.resolve(from) == model::State::TimeWait &&
          !row.acts.contains(model::Act::StartTimeWait)) {
        return false;
      }
    }
  }
  return true;
}

template <const model::Spec& S>
struct System {
  using C = core::Connection<ExploreParams, S>;
  using Seq = typename C::Seq;
  using Seg = typename C::Seg;
  using Time = ExploreParams::Time;

  explicit System(const core::Config<ExploreParams>& c) : client(c), server(c) {}

  C client;
  C server;
  std::array<Packet, kMaxInFlight> net{};
  std::uint8_t in_flight = 0;
  std::uint8_t elapsed = 0;  // ticks since the run began, at most Bounds::ticks
  // The tick at which each side last chose an ISS (kNever: not yet). A
  // tick is the ISN clock's granule; RFC 6528's M ticks every 4 µs, far
  // less than any round trip, so a side never opens two incarnations of
  // the 4-tuple within one tick, and the model does not either.
  static constexpr std::uint8_t kNever = 0xFF;
  std::uint8_t client_iss_at = kNever;
  std::uint8_t server_iss_at = kNever;
  std::uint8_t client_iss = 0;  // the ISS each side chose then
  std::uint8_t server_iss = 0;
  std::uint8_t injections = 0;  // segments the attacker has sent
  std::uint8_t losses = 0;
  std::uint8_t duplicates = 0;
  std::uint8_t aborts = 0;
  Ghost cg;  // the client's ghost
  Ghost sg;  // the server's
  // Bytes of each client incarnation delivered to the server, over all of
  // the server's connections: more than once is a duplicate accepted.
  std::array<std::uint8_t, kMaxIncarnations> from_client{};

  static core::Config<ExploreParams> config(const Bounds& b) {
    auto c = core::Config<ExploreParams>::small_defaults();
    c.msl = b.msl;
    // 2MSL covers a lost last ACK only if the peer's retransmitted FIN
    // leaves within MSL of that ACK (RFC 9293 3.6: the ACK and the FIN that
    // replaces it each live at most MSL). So the retransmission timeout,
    // backed off or not, stays below MSL here. Real stacks keep this only
    // while not backed off far (Linux: RTO up to 120 s, TIME-WAIT 60 s);
    // with a longer RTO the explorer finds the close ending in a reset.
    c.rto.maximum = static_cast<Time>(b.msl - 1);
    c.rto.initial = std::min(c.rto.initial, c.rto.maximum);
    c.rto.minimum = std::min(c.rto.minimum, c.rto.maximum);
    c.isn_secret.fill(0x42);
    return c;
  }

  static System initial(const Bounds& b) {
    System s(config(b));
    s.server.open_passive(s.now(), kServerEndpoint);
    return s;
  }

  Time now() const { return kClockBase + elapsed; }

  bool operator==(const System&) const = default;

  // Dead-value canonicalization: values that no future move and no future
  // judgement can read are set to one canonical value, so that states that
  // differ only in them are stored once. The search calls this on every
  // state before it fingerprints and stores it (SearchOptions::
  // forget_dead_values); Stepper::apply never does, so narration, replay,
  // the charts and the liveness graph see the states as they ran.
  //
  // Why no verdict changes. The state and its canonical form are
  // bisimilar: the same moves are enabled in both (up to which of two
  // segments that now compare equal is named), each move leads to states
  // that are again equal up to dead values, and it breaks the same
  // invariants, because no judgement reads a value this forgets. So a
  // violation is reachable from one iff from the other, in as many moves:
  // the breadth-first search still finds a shortest counterexample, and
  // replaying its moves from the real initial state (replay.hpp) meets the
  // same violation. explore_reduction_test.cpp checks this move by move.
  //
  // What is forgotten:
  //  - a segment's age, once it cannot reach MSL before time runs out. The
  //    age is read only by the tick that expires the segment (age > MSL).
  //    With `left` ticks to come a segment of age a expires in some run iff
  //    a + left > MSL; otherwise no run reads its age, and age 0 (which
  //    cannot expire either) stands for it. Two copies of one segment that
  //    differed only in age become one entry of the multiset: delivering,
  //    dropping or duplicating either leads to states equal up to the
  //    remaining copy's age, itself dead. The network is re-sorted, as
  //    its order (by every field) is part of the canonical form;
  //  - a ghost's TIME-WAIT age while its side is not in TIME-WAIT. It is
  //    read only when a row leaves TIME-WAIT (TimeWaitLasts2Msl); a side
  //    gets there only through a row that enters TIME-WAIT, and each such
  //    row restarts the clock (checked on the Spec at compile time: a Spec
  //    where one does not keeps the age). This assumes, as every judgement
  //    of Stepper::judge_rows does, that the engine's RowTrace records every
  //    row a call fires (it keeps RowTrace::kMax; judge_rows fails
  //    StatesFollowTable on a call that fires more).
  //
  // Not forgotten: the engine's own fields that are dead in some states
  // (the send window and SND.WL1/WL2 once nothing is left to send,
  // deadlines past the end of time). They are private to core/ and hashed
  // by Connection::hash(); forgetting them needs the engine's help.
  void forget_dead_values(const Bounds& b) {
    const unsigned left = b.ticks > elapsed ? unsigned{b.ticks} - elapsed : 0U;
    bool aged = false;
    for (std::size_t i = 0; i < in_flight; ++i) {
      if (net[i].age != 0 && net[i].age + left <= b.msl) {
        net[i].age = 0;
        aged = true;
      }
    }
    if (aged) std::sort(net.begin(), net.begin() + in_flight);
    if constexpr (every_entry_starts_time_wait<S>()) {
      if (client.state() != model::State::TimeWait) cg.time_wait_age = 0;
      if (server.state() != model::State::TimeWait) sg.time_wait_age = 0;
    }
  }

  std::uint64_t fingerprint() const {
    core::HashMix h;
    h.add(client.hash());
    h.add(server.hash());
    for (std::size_t i = 0; i < in_flight; ++i) {
      const Packet& p = net[i];
      h.add(std::uint64_t{p.to_server} | std::uint64_t{p.flags} << 1 | std::uint64_t{p.seq} << 8 |
            std::uint64_t{p.ack} << 16 | std::uint64_t{p.window} << 24 |
            std::uint64_t{p.mss} << 32 | std::uint64_t{p.len} << 40 |
            std::uint64_t{p.bytes[0]} << 48 | std::uint64_t{p.bytes[1]} << 56);
      h.add(std::uint64_t{p.age} | std::uint64_t{p.incarnation} << 8 |
            std::uint64_t{p.injected} << 16);
    }
    h.add(std::uint64_t{in_flight} | std::uint64_t{elapsed} << 8 | std::uint64_t{losses} << 16 |
          std::uint64_t{duplicates} << 24 | std::uint64_t{aborts} << 32 |
          std::uint64_t{client_iss_at} << 40 | std::uint64_t{server_iss_at} << 48);
    h.add(std::uint64_t{client_iss} | std::uint64_t{server_iss} << 8 |
          std::uint64_t{injections} << 16);
    for (const Ghost* g : {&cg, &sg}) {
      h.add(std::uint64_t{g->incarnation} | std::uint64_t{g->peer_incarnation} << 8 |
            std::uint64_t{g->sent} << 16 | std::uint64_t{g->delivered} << 24 |
            std::uint64_t{g->time_wait_age} << 32 | std::uint64_t{g->closed} << 40 |
            std::uint64_t{g->aborted} << 41 | std::uint64_t{g->reset} << 42 |
            std::uint64_t{g->timed_out} << 43);
    }
    for (std::uint8_t n : from_client) h.add(n);
    return h.value();
  }
};

// Applies one move to a copy of a state and judges the invariants; the
// narrator, if any, is told what happened in words, for counterexamples.
template <const model::Spec& S>
class Stepper {
 public:
  using Sys = System<S>;
  using C = typename Sys::C;
  using Seg = typename Sys::Seg;
  using Seq = typename Sys::Seq;

  Stepper(const Bounds& bounds, std::vector<std::string>* narration = nullptr)
      : b_(bounds), say_(narration) {}

  // Every move enabled in `s`, in a fixed order.
  void moves(const Sys& s, std::vector<Move>& out) const {
    out.clear();
    for (std::uint8_t i = 0; i < s.in_flight; ++i) {
      // Of equal packets only the first is moved: the multiset needs no more.
      if (i > 0 && s.net[i] == s.net[i - 1]) continue;
      out.push_back({Step::Deliver, i});
      if (s.losses < b_.losses) out.push_back({Step::Drop, i});
      if (s.duplicates < b_.duplicates && s.in_flight < b_.in_flight) {
        out.push_back({Step::Duplicate, i});
      }
    }
    if (s.elapsed < b_.ticks) out.push_back({Step::Tick, 0});
    using model::State;
    // A user that has not closed may hand over bytes. In the RFC spec that
    // is ESTABLISHED or CLOSE-WAIT; a variant that closes for the user
    // (three-way-close) reaches LAST-ACK without it, and what the user then
    // hands over is what that variant loses.
    const auto may_send = [](State st) {
      return st == State::Established || st == State::CloseWait || st == State::LastAck;
    };
    const bool syn_data = S.syn_payload == model::SynPayload::Deliver;
    if (s.client.state() == State::Closed && s.cg.incarnation < 1 + b_.reconnects &&
        s.cg.incarnation < kMaxIncarnations - 1 &&
        (s.client_iss_at == Sys::kNever || s.elapsed > s.client_iss_at)) {
      out.push_back({Step::ClientConnect, 0});
    }
    if ((may_send(s.client.state()) || (syn_data && s.client.state() == State::SynSent)) &&
        s.cg.sent < b_.bytes && !s.cg.closed) {
      out.push_back({Step::ClientSend, 0});
    }
    if (may_send(s.client.state()) && s.cg.sent == b_.bytes && !s.cg.closed) {
      out.push_back({Step::ClientClose, 0});
    }
    if (s.aborts < b_.aborts && s.client.state() != State::Closed) {
      out.push_back({Step::ClientAbort, 0});
    }
    if (s.server.state() == State::Closed &&
        (s.server_iss_at == Sys::kNever || s.elapsed > s.server_iss_at)) {
      out.push_back({Step::ServerListen, 0});
    }
    if (may_send(s.server.state()) && s.sg.sent < b_.bytes && !s.sg.closed) {
      out.push_back({Step::ServerSend, 0});
    }
    if (may_send(s.server.state()) && s.sg.sent == b_.bytes && !s.sg.closed) {
      out.push_back({Step::ServerClose, 0});
    }
    if (s.aborts < b_.aborts && s.server.state() != State::Closed &&
        s.server.state() != State::Listen) {
      out.push_back({Step::ServerAbort, 0});
    }
    if (s.injections < b_.injections) {
      for (const bool to_server : {false, true}) {
        const State st = to_server ? s.server.state() : s.client.state();
        if (st == State::Closed || st == State::Listen || st == State::SynSent) continue;
        out.push_back({Step::Inject, static_cast<std::uint8_t>(to_server ? 1 : 0)});
        out.push_back({Step::Inject, static_cast<std::uint8_t>(to_server ? 3 : 2)});
      }
    }
  }

  // The state after `m`, and the first invariant it breaks, if any.
  std::optional<Violation> apply(Sys& s, Move m) {
    violation_.reset();
    invalid_ = false;
    switch (m.step) {
      case Step::Deliver: deliver(s, m.index); break;
      case Step::Drop:
        note([&] { return std::string("network loses " + describe(s.net[m.index])); });
        remove(s, m.index);
        ++s.losses;
        break;
      case Step::Duplicate:
        note([&] { return std::string("network duplicates " + describe(s.net[m.index])); });
        add(s, s.net[m.index]);
        ++s.duplicates;
        break;
      case Step::Tick: tick(s); break;
      case Step::ClientConnect:
        s.cg = Ghost::fresh(static_cast<std::uint8_t>(s.cg.incarnation + 1));
        note([&] {
          return std::string("client user: connect (incarnation " +
                             std::to_string(s.cg.incarnation) + ")");
        });
        call(s, false, [&](C& c) { c.open_active(s.now(), {kClientEndpoint, kServerEndpoint}); });
        new_iss(s, false);
        break;
      case Step::ClientSend: user_send(s, false); break;
      case Step::ClientClose:
        s.cg.closed = true;
        note([&] { return std::string("client user: close"); });
        call(s, false, [&](C& c) { c.close(s.now()); });
        break;
      case Step::ClientAbort:
        s.cg.aborted = true;
        ++s.aborts;
        note([&] { return std::string("client user: abort"); });
        call(s, false, [&](C& c) { c.abort(s.now()); });
        break;
      case Step::ServerListen:
        s.sg = Ghost::fresh(s.sg.incarnation);
        note([&] { return std::string("server user: listen again"); });
        call(s, true, [&](C& c) { c.open_passive(s.now(), kServerEndpoint); });
        break;
      case Step::ServerSend: user_send(s, true); break;
      case Step::ServerClose:
        s.sg.closed = true;
        note([&] { return std::string("server user: close"); });
        call(s, true, [&](C& c) { c.close(s.now()); });
        break;
      case Step::Inject: inject(s, m.index); break;
      case Step::ServerAbort:
        s.sg.aborted = true;
        ++s.aborts;
        note([&] { return std::string("server user: abort"); });
        call(s, true, [&](C& c) { c.abort(s.now()); });
        break;
    }
    std::sort(s.net.begin(), s.net.begin() + s.in_flight);
    if (!violation_) check_agreement(s);
    return invalid_ ? std::nullopt : violation_;
  }

  // The last move would have lost segments beyond the bound: not taken.
  bool invalid() const { return invalid_; }

  // Judge this invariant alone: a move that breaks another one first (a
  // variant's rule, say) must not hide the consequence asked about.
  void judge_only(std::optional<Invariant> i) { only_ = i; }

 private:
  static std::string flags_text(std::uint8_t f) {
    std::string t;
    for (auto [bit, name] : {std::pair{1, "SYN"}, {2, "ACK"}, {4, "FIN"}, {8, "RST"}}) {
      if ((f & bit) != 0) t += t.empty() ? name : std::string(",") + name;
    }
    return t.empty() ? "none" : t;
  }

 public:
  static std::string describe(const Packet& p) {
    std::string t = std::string(p.injected    ? "attacker"
                                : p.to_server ? "client"
                                              : "server") +
                    " -> " + (p.to_server ? "server" : "client") +
                    " <SEQ=" + std::to_string(p.seq) + ">";
    if ((p.flags & 2) != 0) t += "<ACK=" + std::to_string(p.ack) + ">";
    t += "<CTL=" + flags_text(p.flags) + ">";
    if (p.len > 0) {
      t += "<DATA=";
      for (std::uint8_t i = 0; i < p.len; ++i) t += (i ? "," : "") + std::to_string(p.bytes[i]);
      t += ">";
    }
    t += " (incarnation " + std::to_string(p.incarnation) + ", age " + std::to_string(p.age) + ")";
    return t;
  }

 private:
  // Narration is built only when someone listens: the search itself runs
  // without it, and pays for no strings.
  template <class F>
  void note(F&& line) {
    if (say_ != nullptr) say_->push_back(line());
  }

  void fail(Invariant i, std::string detail) {
    if (only_ && i != *only_) return;
    if (!violation_) violation_ = Violation{i, std::move(detail)};
  }

  void add(Sys& s, const Packet& p) {
    if (s.in_flight < b_.in_flight && s.in_flight < kMaxInFlight) {
      s.net[s.in_flight++] = p;
    } else {
      // A full network would lose the segment beyond the loss bound: the
      // search does not take this move.
      invalid_ = true;
    }
  }

  static void remove(Sys& s, std::uint8_t i) {
    for (std::uint8_t k = i; k + 1 < s.in_flight; ++k) s.net[k] = s.net[k + 1];
    --s.in_flight;
    s.net[s.in_flight] = Packet{};
  }

  Seg to_segment(const Packet& p) {
    Seg g{};
    g.source = p.to_server ? kClientEndpoint : kServerEndpoint;
    g.destination = p.to_server ? kServerEndpoint : kClientEndpoint;
    g.flags = {.syn = (p.flags & 1) != 0,
               .ack = (p.flags & 2) != 0,
               .fin = (p.flags & 4) != 0,
               .rst = (p.flags & 8) != 0};
    g.seq = Seq(p.seq);
    g.ack = Seq(p.ack);
    g.window = p.window;
    if (p.mss != 0) g.mss = p.mss;
    for (std::uint8_t i = 0; i < p.len; ++i) payload_[i] = static_cast<std::byte>(p.bytes[i]);
    g.payload = std::span<const std::byte>(payload_.data(), p.len);
    return g;
  }

  // IsnUnique: a side choosing the ISS of a new incarnation never repeats
  // the one before. Bounds keep a run shorter than half the ISN clock's
  // cycle, so within a run any repeat is one RFC 9293 3.4.1 forbids. Two
  // choices within one tick are below the model's resolution: in real time
  // a round trip lies between them (a SYN-RECEIVED reset back to LISTEN
  // and a new SYN), and M ticks every 4 us; the model does not judge them.
  void new_iss(Sys& s, bool server) {
    const C& c = server ? s.server : s.client;
    std::uint8_t& last = server ? s.server_iss : s.client_iss;
    std::uint8_t& at = server ? s.server_iss_at : s.client_iss_at;
    const auto iss = static_cast<std::uint8_t>(c.iss().raw());
    if (at != Sys::kNever && s.elapsed > at && iss == last) {
      fail(Invariant::IsnUnique, std::string(server ? "server" : "client") +
                                     " chose ISS " + std::to_string(iss) + " again, " +
                                     std::to_string(s.elapsed - at) + " ticks after the last");
    }
    last = iss;
    at = s.elapsed;
  }

  // The off-path attacker knows the ISN function but not the secret (RFC
  // 6528): it computes the clock part M for the tick each side opened at,
  // and sends an RST, or a byte of data with an ACK, at the sequence
  // numbers that would be right if F were zero. Against the keyed hash the
  // guess misses; against a clock-only ISN it is exact.
  void inject(Sys& s, std::uint8_t how) {
    const bool to_server = (how & 1) != 0;
    const bool data = (how & 2) != 0;
    const auto guess = [](std::uint8_t at) {
      return static_cast<std::uint8_t>(
          at == Sys::kNever ? 0 : ExploreParams::isn_clock(kClockBase + at));
    };
    const std::uint8_t peer_iss = guess(to_server ? s.client_iss_at : s.server_iss_at);
    const std::uint8_t victim_iss = guess(to_server ? s.server_iss_at : s.client_iss_at);
    Packet p;
    p.to_server = to_server;
    p.injected = true;
    p.seq = static_cast<std::uint8_t>(peer_iss + 1);
    if (data) {
      p.flags = 2;  // ACK
      p.ack = static_cast<std::uint8_t>(victim_iss + 1);
      p.window = 3;
      p.len = 1;
      p.bytes[0] = kAttackerByte;
    } else {
      p.flags = 8;  // RST
    }
    ++s.injections;
    note([&] { return std::string("attacker injects " + describe(p)); });
    incoming_ = p;
    call(s, to_server, [&](C& c) { c.on_segment(s.now(), to_segment(p)); });
    incoming_.reset();
  }

  void deliver(Sys& s, std::uint8_t i) {
    const Packet p = s.net[i];
    remove(s, i);
    note([&] { return std::string("deliver " + describe(p)); });
    incoming_ = p;
    call(s, p.to_server, [&](C& c) { c.on_segment(s.now(), to_segment(p)); });
    incoming_.reset();
  }

  void user_send(Sys& s, bool server) {
    Ghost& g = server ? s.sg : s.cg;
    const std::byte b{byte_value(server, g.incarnation, g.sent)};
    ++g.sent;
    note([&] {
      return std::string(std::string(server ? "server" : "client") + " user: send byte " +
                         std::to_string(std::to_integer<unsigned>(b)));
    });
    call(s, server, [&](C& c) { c.send(s.now(), std::span<const std::byte>(&b, 1)); });
  }

  // Time passes by one tick: segments age (and die after MSL), timers fire.
  void tick(Sys& s) {
    note([&] { return std::string("time passes: tick"); });
    for (std::uint8_t i = 0; i < s.in_flight;) {
      if (++s.net[i].age > b_.msl) {
        // A segment that dies of old age is lost: it counts against the
        // loss bound, and time cannot pass beyond it.
        if (s.losses >= b_.losses) invalid_ = true;
        ++s.losses;
        note([&] { return std::string("  " + describe(s.net[i]) + " expires"); });
        remove(s, i);
      } else {
        ++i;
      }
    }
    // Only whether 2MSL has passed matters: counting beyond it would only
    // tell apart states that behave the same.
    for (Ghost* g : {&s.cg, &s.sg}) {
      if (g->time_wait_age < 2 * b_.msl) ++g->time_wait_age;
    }
    ++s.elapsed;
    call(s, false, [&](C& c) { c.on_timer(s.now()); });
    call(s, true, [&](C& c) { c.on_timer(s.now()); });
  }

  // One call on one side; then the rows it fired are judged, what it sent
  // goes into the network, and what it delivered is read by its user.
  template <class F>
  void call(Sys& s, bool server, F&& f) {
    C& c = server ? s.server : s.client;
    Ghost& g = server ? s.sg : s.cg;
    const model::State before = c.state();
    f(c);
    judge_rows(s, server, before);
    while (auto seg = c.poll_transmit(s.now(), scratch_)) {
      Packet p;
      p.to_server = !server;
      p.flags = static_cast<std::uint8_t>((seg->flags.syn ? 1 : 0) | (seg->flags.ack ? 2 : 0) |
                                          (seg->flags.fin ? 4 : 0) | (seg->flags.rst ? 8 : 0));
      p.seq = static_cast<std::uint8_t>(seg->seq.raw());
      p.ack = seg->flags.ack ? static_cast<std::uint8_t>(seg->ack.raw()) : 0;
      p.window = static_cast<std::uint8_t>(seg->window);
      p.mss = seg->mss ? static_cast<std::uint8_t>(*seg->mss) : 0;
      p.len = static_cast<std::uint8_t>(std::min<std::size_t>(seg->payload.size(), 2));
      for (std::uint8_t k = 0; k < p.len; ++k)
        p.bytes[k] = std::to_integer<std::uint8_t>(seg->payload[k]);
      p.incarnation = g.incarnation;
      if (seg->flags.syn && !seg->payload.empty() &&
          S.syn_payload == model::SynPayload::AckSynOnly) {
        fail(Invariant::NoDataOnSyn, "a SYN of ours carries data");
      }
      note([&] {
        return std::string("  " + std::string(server ? "server" : "client") + " sends " +
                           describe(p));
      });
      add(s, p);
    }
    while (auto e = c.poll_event()) {
      if (*e == core::UserEvent::Reset || *e == core::UserEvent::Refused ||
          *e == core::UserEvent::TimedOut) {
        g.reset = true;
      }
      if (*e == core::UserEvent::TimedOut) g.timed_out = true;
      note([&] {
        return std::string("  " + std::string(server ? "server" : "client") +
                           " user is told: " + std::string(core::name(*e)));
      });
    }
    std::array<std::byte, 8> out{};
    const auto r = c.receive(s.now(), out);
    for (std::size_t k = 0; k < r.bytes; ++k)
      delivered(s, server, std::to_integer<std::uint8_t>(out[k]));
  }

  void delivered(Sys& s, bool server, std::uint8_t b) {
    Ghost& g = server ? s.sg : s.cg;
    note([&] {
      return std::string("  " + std::string(server ? "server" : "client") + " user receives byte " +
                         std::to_string(b));
    });
    if (b == kAttackerByte) {
      fail(Invariant::NoInjectionAccepted,
           std::string(server ? "server" : "client") + " delivered the attacker's byte");
    }
    const std::uint8_t expected = byte_value(!server, g.peer_incarnation, g.delivered);
    if (b != expected) {
      fail(Invariant::NoOldDuplicateAccepted,
           std::string(server ? "server" : "client") + " delivered byte " + std::to_string(b) +
               " where the peer's incarnation " + std::to_string(g.peer_incarnation) + " sent " +
               std::to_string(expected));
    }
    if (server) {
      const std::uint8_t inc = (b >> 3) & 15U;
      const std::uint8_t index = b & 7U;
      if (inc < kMaxIncarnations) {
        if (s.from_client[inc] > index) {
          fail(Invariant::NoOldDuplicateAccepted, "server delivered byte " + std::to_string(b) +
                                                      " of client incarnation " +
                                                      std::to_string(inc) + " a second time");
        }
        s.from_client[inc] =
            std::max<std::uint8_t>(s.from_client[inc], static_cast<std::uint8_t>(index + 1));
      }
    }
    ++g.delivered;
  }

  // The rows a call fired: state changes, TIME-WAIT's clock, who the peer
  // is, and the invariants judged at a change of state.
  void judge_rows(Sys& s, bool server, model::State before) {
    C& c = server ? s.server : s.client;
    Ghost& g = server ? s.sg : s.cg;
    const Ghost& peer = server ? s.cg : s.sg;
    const C& other = server ? s.client : s.server;
    if (!c.last_rows_complete()) {
      // Every judgement below reads the rows; a cut trace would pass
      // unjudged rows silently.
      fail(Invariant::StatesFollowTable,
           std::string(server ? "server" : "client") + ": " + rows_cut(core::RowTrace::kMax));
      return;
    }
    model::State at = before;
    for (std::uint16_t index : c.last_rows()) {
      const model::Row& row = C::kSpec.row(index);
      const model::State to = row.to.resolve(at);
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
      // Whatever ends it (the timer, or an RST that RFC 1337 says to
      // ignore), TIME-WAIT must have lasted 2MSL.
      if (at == model::State::TimeWait && to == model::State::Closed &&
          g.time_wait_age < 2 * b_.msl) {
        fail(Invariant::TimeWaitLasts2Msl,
             std::string(server ? "server" : "client") + " left TIME-WAIT after " +
                 std::to_string(g.time_wait_age) + " ticks, 2MSL is " + std::to_string(2 * b_.msl));
      }
      if (incoming_ && incoming_->injected && to != at) {
        fail(Invariant::NoInjectionAccepted,
             std::string(server ? "server" : "client") + " went " +
                 std::string(model::rfc_name(at)) + " -> " + std::string(model::rfc_name(to)) +
                 " on the attacker's segment");
      }
      if (row.acts.contains(model::Act::StartTimeWait)) g.time_wait_age = 0;
      if (to != at) {
        note([&] {
          return std::string(
              "  " + std::string(server ? "server" : "client") + " " +
              std::string(model::rfc_name(at)) + " -> " + std::string(model::rfc_name(to)) + " (" +
              std::string(model::name(row.event)) + ", RFC " + std::string(row.section) + ")");
        });
      }
      if (server && to == model::State::Established && at != to) {
        const bool asked = s.cg.incarnation == g.peer_incarnation &&
                           other.state() != model::State::Closed &&
                           other.state() != model::State::Listen;
        if (!asked) {
          fail(Invariant::NoPhantomConnection,
               "server ESTABLISHED for client incarnation " + std::to_string(g.peer_incarnation) +
                   ", but the client is in incarnation " + std::to_string(s.cg.incarnation) + ", " +
                   std::string(model::rfc_name(other.state())));
        }
      }
      if (to == model::State::Closed && at != to) closed(g, peer, server, at, row.event);
      at = to;
    }
  }

  // An orderly close (both users closed, nobody aborted, neither side gave
  // up after its retries) ends with every byte delivered and no reset. A
  // side that gave up answers its peer with a reset, as it must (RFC 9293
  // 3.10.7.1): a slow network, not a protocol fault.
  void closed(const Ghost& g, const Ghost& peer, bool server, model::State from,
              model::Event event) {
    const bool orderly = g.closed && peer.closed && !g.aborted && !peer.aborted &&
                         !g.timed_out && !peer.timed_out &&
                         peer.incarnation == g.peer_incarnation && g.peer_incarnation != 0;
    if (!orderly) return;
    if (event == model::Event::RstExact) {
      fail(Invariant::NothingLost, std::string(server ? "server" : "client") +
                                       "'s orderly close ended in a reset (from " +
                                       std::string(model::rfc_name(from)) + ")");
      return;
    }
    const bool graceful = event == model::Event::AckOfFin || event == model::Event::FinAckOfFin ||
                          event == model::Event::TimeWaitTimeout;
    if (graceful && g.delivered != peer.sent) {
      fail(Invariant::NothingLost, std::string(server ? "server" : "client") + " closed having " +
                                       "received " + std::to_string(g.delivered) + " of the " +
                                       std::to_string(peer.sent) + " bytes its peer sent");
    }
  }

  void check_agreement(const Sys& s) {
    if (s.client.state() == model::State::Established &&
        s.server.state() == model::State::Established &&
        s.cg.incarnation == s.sg.peer_incarnation) {
      if (!(s.client.iss() == s.server.irs()) || !(s.client.irs() == s.server.iss())) {
        fail(Invariant::HandshakeAgreement, "client ISS " + std::to_string(s.client.iss().raw()) +
                                                " / IRS " + std::to_string(s.client.irs().raw()) +
                                                ", server IRS " +
                                                std::to_string(s.server.irs().raw()) + " / ISS " +
                                                std::to_string(s.server.iss().raw()));
      }
    }
  }

  Bounds b_;
  std::vector<std::string>* say_;
  std::optional<Violation> violation_;
  std::optional<Invariant> only_;
  std::optional<Packet> incoming_;
  bool invalid_ = false;
  std::array<std::byte, 4> payload_{};
  std::array<std::byte, 64> scratch_{};
};

}  // namespace tcpmc::verify::explore
