// The definition of test::Access, which connection.hpp declares and
// befriends: the one place where tests write a Connection's private state,
// so that fixtures (states.hpp) can build a connection directly in a state
// (STYLE.md item 10). Each step below writes what one event of the
// canonical exchange (numbers.hpp) leaves behind; fixtures_test.cpp checks
// every fixture against the same exchange driven through the public API,
// so a step that drifts from the engine fails there.
#pragma once

#include <cstdint>
#include <span>
#include <tcpmc/core/connection.hpp>

#include "numbers.hpp"

namespace tcpmc::core::test {

template <class C>
struct Access {
  using P = typename C::Params;
  using Seq = typename C::Seq;
  using Time = typename C::Time;
  using State = model::State;
  static constexpr std::uint32_t kOffered = Canon<P>::kOfferedWindow;

  // OPEN (passive): a TCB that knows only its local endpoint.
  static void listen(C& c) {
    c.state_ = State::Listen;
    c.tuple_ = {kUs, {}};
    c.passive_ = true;
  }

  // Our SYN (or, from LISTEN, our SYN-ACK) is out at `t`: ISS chosen, one
  // sequence number outstanding, the retransmission timer running, and the
  // round trip being timed (RFC 6298).
  static void our_syn_sent(C& c, Time t, bool passive) {
    c.state_ = passive ? State::SynReceived : State::SynSent;
    c.tuple_ = {kUs, kPeer};
    c.passive_ = passive;
    c.has_iss_ = true;
    c.iss_ = c.snd_una_ = iss<C>();
    c.snd_nxt_ = c.snd_max_ = iss<C>() + 1U;
    // Sending advertises a window: its right edge is remembered even before
    // RCV.NXT is known (it is then relative to zero).
    c.rcv_adv_ = c.rcv_nxt_ + kOffered;
    sent(c, t);
  }

  // The peer's SYN (seq IRS, its window and MSS, no ACK) is taken in.
  static void peer_syn_taken(C& c, bool with_ack) {
    c.irs_ = irs<C>();
    c.rcv_nxt_ = irs<C>() + 1U;
    c.rcv_adv_ = c.rcv_nxt_ + kOffered;  // our SYN-ACK or ACK advertised it
    c.peer_mss_ = Canon<P>::kPeerMss;
    c.snd_wnd_ = c.max_snd_wnd_ = Canon<P>::kPeerWindow;
    c.snd_wl1_ = irs<C>();
    c.snd_wl2_ = with_ack ? iss<C>() + 1U : Seq{};
  }

  // In SYN-SENT the peer's own SYN crossed ours: SYN-RECEIVED, our SYN
  // repeated as a SYN-ACK (the timers keep running from our SYN).
  static void simultaneous_open(C& c) {
    c.state_ = State::SynReceived;
    peer_syn_taken(c, false);
  }

  // Our SYN is acknowledged at the time it was sent (a zero round trip).
  static void syn_acked(C& c) {
    c.state_ = State::Established;
    c.syn_acked_ = true;
    c.snd_una_ = iss<C>() + 1U;
    c.snd_wl2_ = iss<C>() + 1U;
    everything_acked(c);
  }

  // The peer fills our receive buffer with `bytes`, one window at a time,
  // each segment acknowledged.
  static void received_unread(C& c, std::span<const std::byte> bytes) {
    c.recv_.insert(0, bytes);
    c.snd_wl1_ = c.rcv_nxt_ + static_cast<std::uint32_t>(bytes.size() - last_chunk(bytes.size()));
    c.rcv_nxt_ += static_cast<std::uint32_t>(bytes.size());
    c.rcv_adv_ = c.rcv_nxt_;  // the window is closed: nothing more offered
  }

  // CLOSE: our FIN follows everything sent and is out at `t`.
  static void our_fin_sent(C& c, Time t) {
    c.state_ = c.state_ == State::CloseWait ? State::LastAck : State::FinWait1;
    c.fin_queued_ = c.fin_sent_ = true;
    c.snd_nxt_ = c.snd_max_ = c.snd_una_ + 1U;
    sent(c, t);
  }

  // The peer acknowledges our FIN with a bare ACK at RCV.NXT.
  static void our_fin_acked(C& c) {
    c.state_ = State::FinWait2;
    c.snd_una_ = c.snd_max_;
    c.snd_wl1_ = c.rcv_nxt_;
    c.snd_wl2_ = c.snd_una_;
    everything_acked(c);
  }

  // The peer's FIN arrives at RCV.NXT, acknowledging only what `acks`
  // says, and is acknowledged by us.
  static void peer_fin_taken(C& c, Seq acks, Time t, const Config<P>& config) {
    const State before = c.state_;
    c.snd_wl1_ = c.rcv_nxt_;
    c.snd_wl2_ = acks;
    c.rcv_nxt_ += 1U;
    c.peer_fin_ = true;
    c.rcv_adv_ = c.rcv_nxt_ + free_window(c);
    if (before == State::Established) c.state_ = State::CloseWait;
    if (before == State::FinWait1) c.state_ = State::Closing;
    if (before == State::FinWait2) {
      // The 2 MSL wait starts; nothing of ours is outstanding any more.
      c.state_ = State::TimeWait;
      c.time_wait_deadline_ = t + static_cast<Time>(C::kSpec.time_wait_msl * config.msl);
      c.rtx_deadline_.reset();
      c.user_deadline_.reset();
      c.ack_deadline_.reset();
    }
  }

 private:
  // Sequence space went out at `t`: arm the timers and time it.
  static void sent(C& c, Time t) {
    c.rtx_deadline_ = t + c.rto_.rto();
    if (c.config_.user_timeout != 0) c.user_deadline_ = t + c.config_.user_timeout;
    if constexpr (P::kRttEstimation) c.timing_ = typename C::Timing{c.snd_max_, t};
  }

  // Nothing outstanding: timers stop, and the timed segment gave a sample.
  static void everything_acked(C& c) {
    c.rtx_deadline_.reset();
    c.user_deadline_.reset();
    c.retries_ = 0;
    if constexpr (P::kRttEstimation) {
      if (c.timing_) c.rto_.on_sample(Time{0});
    }
    c.timing_.reset();
  }

  // The window the buffer allows, as the engine offers it after our ACK.
  static std::uint32_t free_window(const C& c) {
    const auto free = static_cast<std::uint32_t>(c.recv_.window());
    return free < kOffered ? free : kOffered;
  }

  // Octets in the last segment of a fill that went a window at a time.
  static std::size_t last_chunk(std::size_t total) {
    const std::size_t rest = total % kOffered;
    return rest == 0 ? kOffered : rest;
  }
};

}  // namespace tcpmc::core::test
