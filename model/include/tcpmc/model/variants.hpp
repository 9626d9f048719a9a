// The seed's "why" questions as edits of the specification (DESIGN.md
// principle 2). Each variant removes one rule of RFC 9293; the explorer runs
// it and must find the consequence that rule prevents. Every variant is still
// a well-formed table: the checks of check.hpp pass on each (model/test).
#pragma once

#include <array>

#include <tcpmc/model/table.hpp>

namespace tcpmc::model {

// Why not a two-way handshake? The passive side counts itself connected as
// soon as it has answered a SYN, so an old duplicate SYN opens a connection
// nobody asked for.
constexpr Spec two_way_handshake(Spec s) {
  using enum Act;
  s.named("two-way handshake");
  s.set(State::Listen, Event::Syn, Guard::Always, State::Established,
        {AcceptSyn, SendSynAck, SignalConnected}, "variant");
  return s;
}

// Why a random ISN? Every incarnation of a 4-tuple starts from zero, so
// segments of an old incarnation fall into the new one's window.
constexpr Spec fixed_isn(Spec s) {
  s.named("fixed ISN");
  s.isn = IsnPolicy::Zero;
  return s;
}

// Why 2MSL? TIME-WAIT ends at once, so the 4-tuple can be reused while old
// duplicates are still in flight, and a lost last ACK cannot be repeated.
constexpr Spec no_time_wait(Spec s) {
  s.named("no TIME-WAIT");
  s.time_wait_msl = 0;
  return s;
}

// Why 2MSL and not less? TIME-WAIT lasts one MSL, so a FIN retransmitted
// after the last ACK was lost can arrive when it is over.
constexpr Spec short_time_wait(Spec s) {
  s.named("short TIME-WAIT");
  s.time_wait_msl = 1;
  return s;
}

// Why a keyed hash in the ISN (RFC 6528)? With the clock alone, anyone who
// knows the time knows the ISN, and an off-path attacker's RST or data
// lands in the window.
constexpr Spec predictable_isn(Spec s) {
  s.named("predictable ISN");
  s.isn = IsnPolicy::Clock;
  return s;
}

// Why no data on SYN? Payload of a SYN is delivered at once, before the
// handshake has shown the SYN to be new, so an old duplicate SYN hands
// stale data to a server application.
constexpr Spec data_on_syn(Spec s) {
  s.named("data on SYN");
  s.syn_payload = SynPayload::Deliver;
  s.set(State::SynReceived, Event::Receive, Guard::Always, Stay, {Act::Deliver}, "variant");
  return s;
}

// Why four segments to close? The passive closer answers the peer's FIN
// with its own at once (FIN and ACK in one segment, skipping CLOSE-WAIT), so
// whatever it still had to send is lost.
constexpr Spec three_way_close(Spec s) {
  using enum Act;
  s.named("three-way close");
  s.set(State::Established, Event::Fin, Guard::Always, State::LastAck,
        {ProcessSegment, SendAck, SignalPeerFin, SendFin}, "variant");
  s.fin = FinPolicy::Immediately;
  return s;
}

// Why RFC 1337? TIME-WAIT yields to any RST, so an old RST cuts it short.
constexpr Spec time_wait_yields_to_rst(Spec s) {
  using enum Act;
  s.named("TIME-WAIT yields to RST");
  s.set(State::TimeWait, Event::RstExact, Guard::Always, State::Closed, {DeleteTcb}, "variant");
  s.set(State::TimeWait, Event::RstInWindow, Guard::Always, State::Closed, {DeleteTcb}, "variant");
  return s;
}

// Why RFC 5961? Any RST inside the window resets the connection, so a blind
// attacker needs only to land somewhere in the window.
constexpr Spec rst_in_window_resets(Spec s) {
  using enum Act;
  s.named("RST in window resets");
  for (State st : {State::Established, State::FinWait1, State::FinWait2, State::CloseWait}) {
    s.set(st, Event::RstInWindow, Guard::Always, State::Closed, {SignalReset, DeleteTcb},
          "variant");
  }
  return s;
}

using Variant = Spec (*)(Spec);

inline constexpr std::array<Variant, 9> kVariants = {
    two_way_handshake, fixed_isn,       no_time_wait,         data_on_syn,
    three_way_close,   time_wait_yields_to_rst, rst_in_window_resets,
    short_time_wait,   predictable_isn,
};

static_assert(passes_all(two_way_handshake(rfc9293())));
static_assert(passes_all(fixed_isn(rfc9293())));
static_assert(passes_all(no_time_wait(rfc9293())));
static_assert(passes_all(data_on_syn(rfc9293())));
static_assert(passes_all(three_way_close(rfc9293())));
static_assert(passes_all(time_wait_yields_to_rst(rfc9293())));
static_assert(passes_all(rst_in_window_resets(rfc9293())));
static_assert(passes_all(short_time_wait(rfc9293())));
static_assert(passes_all(predictable_isn(rfc9293())));

// --- Variants that break a liveness property --------------------------------
//
// The variants above each remove a rule whose loss shows as a bad state (a
// safety invariant). These remove a rule whose loss shows only as a run that
// never gets anywhere: an endpoint left waiting for ever. The explorer's
// liveness check (verify/explore/liveness.hpp) must find, on each, a lasso
// that the RFC's table has none of. They are a list of their own because
// every safety invariant may well hold on them: the safety catalog and its
// level-agreement tests run kVariants, the liveness catalog runs these.

// Why retransmit the SYN (RFC 9293 3.8.1)? A client whose SYN is lost and
// that never sends it again, nor gives up, waits in SYN-SENT for ever.
constexpr Spec syn_never_retransmitted(Spec s) {
  s.named("SYN never retransmitted");
  for (Guard g : {Guard::RetriesLeft, Guard::RetriesExhausted}) {
    s.set(State::SynSent, Event::RetransmissionTimeout, g, Stay, {}, "variant");
  }
  return s;
}

// Why must SYN-RECEIVED time out (3.10.8) and take the final ACK
// (3.10.7.4)? A server that ignores every ACK and FIN in SYN-RECEIVED and
// never times out stays there for ever once the client has given up.
constexpr Spec syn_received_waits_forever(Spec s) {
  s.named("SYN-RECEIVED waits forever");
  s.set(State::SynReceived, Event::AckOfSyn, Guard::Always, Stay, {}, "variant");
  s.set(State::SynReceived, Event::Fin, Guard::Always, Stay, {}, "variant");
  for (Guard g : {Guard::RetriesLeft, Guard::RetriesExhausted}) {
    s.set(State::SynReceived, Event::RetransmissionTimeout, g, Stay, {}, "variant");
  }
  return s;
}

// Why must FIN-WAIT-2 take the peer's FIN (3.10.7.4, eighth step)? One
// that ignores it leaves the passive closer to retransmit its FIN until it
// gives up and forgets the connection, while the active closer waits in
// FIN-WAIT-2, which has no timer in the RFC, for ever: a half-open
// connection.
constexpr Spec fin_wait_2_ignores_fin(Spec s) {
  s.named("FIN-WAIT-2 ignores FIN");
  s.set(State::FinWait2, Event::Fin, Guard::Always, Stay, {}, "variant");
  return s;
}

// Why does TIME-WAIT end (3.10.8)? One whose 2MSL timeout is ignored holds
// the connection for ever.
constexpr Spec endless_time_wait(Spec s) {
  s.named("endless TIME-WAIT");
  s.set(State::TimeWait, Event::TimeWaitTimeout, Guard::Always, Stay, {}, "variant");
  return s;
}

inline constexpr std::array<Variant, 4> kLivenessVariants = {
    syn_never_retransmitted,
    syn_received_waits_forever,
    fin_wait_2_ignores_fin,
    endless_time_wait,
};

static_assert(passes_all(syn_never_retransmitted(rfc9293())));
static_assert(passes_all(syn_received_waits_forever(rfc9293())));
static_assert(passes_all(fin_wait_2_ignores_fin(rfc9293())));
static_assert(passes_all(endless_time_wait(rfc9293())));

}  // namespace tcpmc::model
