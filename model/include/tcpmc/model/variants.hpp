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

}  // namespace tcpmc::model
