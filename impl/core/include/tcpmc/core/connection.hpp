// One TCP connection, sans-IO (DESIGN.md principles 1, 3 and 4).
//
// Inputs: user calls, an arriving segment, timer expiry, each with the
// current time. Outputs: segments to transmit (poll_transmit), user events
// (poll_event) and the next deadline. Every change of control state is a
// row of the Spec's table: an arriving segment is classified into a table
// event by model::classify, and the row found for it says where to go and
// what to do; this class gives each action its meaning and keeps the
// sequence variables, buffers and timers.
//
// A Connection is a value: copying it copies everything it owns, it holds
// no pointer to anything outside itself, and it compares and hashes by
// content, which is what lets the explorer store and revisit its states.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <tcpmc/core/config.hpp>
#include <tcpmc/core/hash_mix.hpp>
#include <tcpmc/core/isn.hpp>
#include <tcpmc/core/mss.hpp>
#include <tcpmc/core/options.hpp>
#include <tcpmc/core/params.hpp>
#include <tcpmc/core/receive_buffer.hpp>
#include <tcpmc/core/ring.hpp>
#include <tcpmc/core/rto.hpp>
#include <tcpmc/core/sack.hpp>
#include <tcpmc/core/segment.hpp>
#include <tcpmc/core/user.hpp>
#include <tcpmc/model/classify.hpp>
#include <tcpmc/model/table.hpp>

namespace tcpmc::core {

namespace test {
// Tests build connections directly in a state (STYLE.md item 10) through
// this; a test checks such fixtures against connections driven there.
template <class C>
struct Access;
}  // namespace test

// Which table rows the most recent call fired: for row coverage and for
// tests that check a call took the row they expect. It records history, not
// protocol state, so it takes no part in equality or hashing. It keeps the
// first kMax rows and says whether there were more, so that a monitor
// judging the rows never judges a cut trace as a whole one.
class RowTrace {
 public:
  static constexpr std::size_t kMax = 4;
  void clear() { count_ = 0; }
  void add(std::size_t row) {
    if (count_ < kMax) rows_[count_] = static_cast<std::uint16_t>(row);
    if (count_ <= kMax) ++count_;  // kMax + 1: at least one row was not kept
  }
  std::span<const std::uint16_t> rows() const { return {rows_.data(), std::min(count_, kMax)}; }
  bool complete() const { return count_ <= kMax; }
  bool operator==(const RowTrace&) const { return true; }

 private:
  std::array<std::uint16_t, kMax> rows_{};
  std::size_t count_ = 0;
};

// What a connection did, for runtimes and tests (in the spirit of Linux's
// TCP_INFO). Like RowTrace it is history, not protocol state: it takes no
// part in equality or hashing, so the explorer's state space is the same
// with or without it.
struct ConnectionCounters {
  std::uint64_t retransmitted_octets = 0;  // payload octets sent more than once
  std::uint32_t retransmission_timeouts = 0;
  std::uint32_t fast_recoveries = 0;  // NewReno episodes (RFC 6582)
  std::uint32_t sack_recoveries = 0;  // SACK-based episodes (RFC 6675)
  std::uint32_t keepalive_probes = 0;
  TimeoutCause timeout_cause = TimeoutCause::None;
  bool operator==(const ConnectionCounters&) const { return true; }
};

// What TIME-WAIT needs of a connection once its user has let go of it:
// the 4-tuple, the sequence numbers to acknowledge and to stay above, the
// deadline, and the timestamp state that lets a newer SYN replace it (RFC
// 6191) and keeps PAWS guarding it. A runtime keeps this instead of the Connection and turns it
// back into one (Connection::restore) when a segment for it arrives, so the
// same table rows decide what TIME-WAIT does.
template <class P>
struct TimeWaitEntry {
  using Seq = model::Seq<P::kSeqBits>;
  FourTuple tuple;
  Seq snd_max;  // our last sequence number + 1 (after our FIN)
  Seq rcv_nxt;  // the peer's FIN + 1
  typename P::Time deadline;
  typename P::Time ts_recent_stamp{};  // when TS.Recent was recorded (RFC 7323 5.5)
  std::uint32_t ts_recent = 0;         // RFC 7323 4.3: the peer's last TSval
  std::uint8_t rcv_wscale = 0;         // our shift, for the window of our ACKs
  bool passive = false;
  bool window_scaling = false;
  bool timestamps = false;
  bool operator==(const TimeWaitEntry&) const = default;
};

// A half-open connection as a listener's SYN queue keeps it: SYN received,
// SYN-ACK sent, no buffers. Like TimeWaitEntry it turns back into a
// Connection for each segment, so its transitions are the table's.
template <class P>
struct HalfOpenEntry {
  using Seq = model::Seq<P::kSeqBits>;
  FourTuple tuple;
  Seq iss;
  Seq irs;
  std::uint32_t snd_wnd = 0;
  std::uint16_t peer_mss = 0;
  std::uint8_t retries = 0;
  typename P::Time deadline{};  // SYN-ACK retransmission
  // What the peer's SYN offered and we accepted (RFC 7323, RFC 2018); our
  // own shift and TSval offset follow from the Config and the tuple.
  typename P::Time ts_recent_stamp{};
  std::uint32_t ts_recent = 0;
  std::uint8_t snd_wscale = 0;
  bool window_scaling = false;
  bool timestamps = false;
  bool sack_permitted = false;
  bool operator==(const HalfOpenEntry&) const = default;
};

template <class P, const model::Spec& S = model::kRfc9293>
class Connection {
 public:
  using Params = P;
  using Seq = model::Seq<P::kSeqBits>;
  using Time = typename P::Time;
  using Seg = Segment<Seq>;
  static constexpr const model::Spec& kSpec = S;

  // The gap between the last sequence number of an old incarnation and the
  // ISS of a new one opened from TIME-WAIT (RFC 1122 4.2.2.13: "larger than
  // the largest sequence number it used"); Linux leaves a 64 KiB window.
  static constexpr std::uint32_t kIncarnationGap =
      std::min<std::uint32_t>(65535 + 2, Seq::kHalf / 2);

  // Timestamps only where the Params can hold them (params.hpp).
  static constexpr bool kTimestampsAllowed = P::kTimestamps;

  // The shift we announce (RFC 7323 section 2.2): enough to offer the
  // whole receive buffer.
  static constexpr std::uint8_t kOurWindowShift = window_shift_for(
      ReceiveBuffer<typename P::ReceiveStorage, P::kMaxOutOfOrderRanges>::capacity());

  // RFC 7323 section 5.5: after 24 days without an update, TS.Recent may
  // lie on the other side of a wrapped TSval clock and is no longer valid.
  static constexpr Time kPawsIdleLimit = static_cast<Time>(24U * 24U * 3600U) * P::kSecond;

  explicit Connection(const Config<P>& config) : config_(config), rto_(config.rto) {}

  // --- User calls (RFC 9293 3.10.1 to 3.10.5) -------------------------------

  // A passive OPEN; naming `remote` makes it fully specified (RFC 9293
  // 3.9.1.1), so that a SEND in LISTEN can turn it active.
  CallError open_passive(Time now, Endpoint local, Endpoint remote = {}) {
    trace_.clear();
    Input in{now};
    if (state_ == model::State::Closed) tuple_ = {local, remote};
    step(in, model::Event::OpenPassive);
    return in.error;
  }

  CallError open_active(Time now, const FourTuple& tuple) {
    trace_.clear();
    Input in{now};
    if (state_ == model::State::Closed || state_ == model::State::Listen) tuple_ = tuple;
    step(in, model::Event::OpenActive);
    return in.error;
  }

  SendResult send(Time now, std::span<const std::byte> data) {
    trace_.clear();
    Input in{now};
    in.data = data;
    step(in, model::Event::Send);
    return {in.error, in.count};
  }

  ReceiveResult receive(Time now, std::span<std::byte> out) {
    trace_.clear();
    Input in{now};
    in.out = out;
    step(in, model::Event::Receive);
    const bool eos = peer_fin_ && recv_.readable() == 0;
    return {in.error, in.count, eos};
  }

  CallError close(Time now) {
    trace_.clear();
    Input in{now};
    step(in, model::Event::Close);
    return in.error;
  }

  CallError abort(Time now) {
    trace_.clear();
    Input in{now};
    step(in, model::Event::Abort);
    return in.error;
  }

  // --- Network and timers ---------------------------------------------------

  // RFC 9293 3.10.7: one arriving segment.
  void on_segment(Time now, const Seg& seg) {
    trace_.clear();
    Input in{now};
    in.seg = &seg;
    const std::optional<model::Event> event = classify_arrival(now, seg);
    if (!event) return;
    if (records_ts_recent(*event)) record_ts_recent(now, seg);
    step(in, *event);
    // RFC 1122 4.2.3.6: whatever the peer sends shows it is there.
    if (config_.features.keepalive) heard_from_peer(now);
    // A FIN kept behind a hole becomes processable once the hole is filled.
    if (queued_fin_ && *queued_fin_ == rcv_nxt_ && model::states::kSynchronized.contains(state_)) {
      Seg fin{};
      fin.source = tuple_.remote;
      fin.destination = tuple_.local;
      fin.seq = rcv_nxt_;
      fin.ack = snd_una_;
      fin.flags = {.ack = true, .fin = true};
      queued_fin_.reset();
      // The FIN's own window was taken when its segment arrived; this
      // stand-in carries none, so it must not pass for a window update
      // (it would close the send window to zero and stall our data until
      // the persist timer, several backed-off seconds later).
      const SendWindow window = send_window();
      Input again{now};
      again.seg = &fin;
      step(again, model::classify(state_, fin.template facts<P::kSeqBits>(), numbers()));
      restore_send_window(window);
    }
  }

  // Fires whatever deadline has passed; a call before any deadline does
  // nothing (STYLE.md item 7).
  void on_timer(Time now) {
    trace_.clear();
    if (time_wait_deadline_ && now >= *time_wait_deadline_) {
      time_wait_deadline_.reset();
      Input in{now};
      step(in, model::Event::TimeWaitTimeout);
    }
    if (user_deadline_ && now >= *user_deadline_) {
      user_deadline_.reset();
      Input in{now};
      step(in, model::Event::UserTimeout);
    }
    if (rtx_deadline_ && now >= *rtx_deadline_) {
      rtx_deadline_.reset();
      Input in{now};
      step(in, model::Event::RetransmissionTimeout);
    }
    if (ack_deadline_ && now >= *ack_deadline_) {
      ack_deadline_.reset();
      ack_now_ = true;
    }
    if (keepalive_deadline_ && now >= *keepalive_deadline_) {
      keepalive_deadline_.reset();
      keepalive_expired(now);
    }
  }

  std::optional<Time> next_deadline() const {
    std::optional<Time> next;
    for (const auto& d : {time_wait_deadline_, user_deadline_, rtx_deadline_, ack_deadline_,
                          keepalive_deadline_}) {
      if (d && (!next || *d < *next)) next = d;
    }
    return next;
  }

  // The next segment to send, its payload copied into `payload` (which
  // bounds its size), or nothing.
  std::optional<Seg> poll_transmit(Time now, std::span<std::byte> payload) {
    if (reply_rst_) {
      Seg rst{};
      rst.source = reply_rst_->source;
      rst.destination = reply_rst_->destination;
      rst.seq = reply_rst_->seq;
      rst.ack = reply_rst_->ack;
      rst.flags = {.ack = reply_rst_->with_ack, .rst = true};
      rst.window = 0;
      reply_rst_.reset();
      return rst;
    }
    if (has_iss_ && !syn_acked_ && snd_nxt_ == iss_) return transmit_syn(now, payload);
    if (state_ == model::State::SynSent) return std::nullopt;
    if (state_ == model::State::SynReceived) {
      return ack_now_ ? transmit_ack(now) : std::nullopt;  // data waits for ESTABLISHED
    }
    if (model::states::kSynchronized.contains(state_)) {
      if (auto data = transmit_data(now, payload)) return data;
      if (keepalive_probe_) return transmit_keepalive(now);
    }
    if (ack_now_) return transmit_ack(now);
    return std::nullopt;
  }

  std::optional<UserEvent> poll_event() {
    for (std::size_t i = 0; i < kUserEventCount; ++i) {
      if ((events_ & (1U << i)) != 0) {
        events_ &= static_cast<std::uint16_t>(~(1U << i));
        return static_cast<UserEvent>(i);
      }
    }
    return std::nullopt;
  }

  // --- TIME-WAIT without buffers ------------------------------------------------

  // The compact form of a connection in TIME-WAIT, or nothing in any other
  // state.
  std::optional<TimeWaitEntry<P>> time_wait_entry() const {
    if (state_ != model::State::TimeWait || !time_wait_deadline_) return std::nullopt;
    return TimeWaitEntry<P>{tuple_,           snd_max_,   rcv_nxt_,    *time_wait_deadline_,
                            ts_recent_stamp_, ts_recent_, rcv_wscale_, passive_,
                            ws_ok_,           ts_ok_};
  }

  // A connection in TIME-WAIT rebuilt from its compact form: it answers
  // segments and times out as the original would.
  static Connection restore(const TimeWaitEntry<P>& e, const Config<P>& config) {
    Connection c(config);
    c.state_ = model::State::TimeWait;
    c.tuple_ = e.tuple;
    c.passive_ = e.passive;
    c.has_iss_ = c.syn_acked_ = c.fin_queued_ = c.fin_sent_ = c.peer_fin_ = true;
    c.snd_una_ = c.snd_nxt_ = c.snd_max_ = e.snd_max;
    c.rcv_nxt_ = c.rcv_adv_ = e.rcv_nxt;
    c.time_wait_deadline_ = e.deadline;
    c.ws_ok_ = e.window_scaling;
    c.rcv_wscale_ = e.rcv_wscale;
    if (e.timestamps && kTimestampsAllowed) {
      c.ts_ok_ = true;
      c.ts_recent_ = e.ts_recent;
      c.ts_recent_stamp_ = e.ts_recent_stamp;
      c.last_ack_sent_ = e.rcv_nxt;  // the ACK of the peer's FIN went out
      c.ts_offset_ = ts_offset(e.tuple, config.isn_secret);
    }
    return c;
  }

  // The compact form of a passively opened connection in SYN-RECEIVED,
  // once its SYN-ACK is out and nothing else is owed; nothing otherwise.
  std::optional<HalfOpenEntry<P>> half_open_entry() const {
    if (state_ != model::State::SynReceived || !passive_ || !rtx_deadline_ || reply_rst_ ||
        !(snd_nxt_ == snd_max_) || sendq_.size() != 0 || recv_.readable() != 0) {
      return std::nullopt;
    }
    return HalfOpenEntry<P>{tuple_,
                            iss_,
                            irs_,
                            snd_wnd_,
                            peer_mss_,
                            static_cast<std::uint8_t>(std::min(retries_, 255U)),
                            *rtx_deadline_,
                            ts_recent_stamp_,
                            ts_recent_,
                            snd_wscale_,
                            ws_ok_,
                            ts_ok_,
                            sack_ok_};
  }

  static Connection restore(const HalfOpenEntry<P>& e, const Config<P>& config) {
    Connection c(config);
    c.state_ = model::State::SynReceived;
    c.tuple_ = e.tuple;
    c.passive_ = c.has_iss_ = true;
    c.iss_ = c.snd_una_ = e.iss;
    c.snd_nxt_ = c.snd_max_ = e.iss + 1U;
    c.irs_ = c.snd_wl1_ = e.irs;
    c.rcv_nxt_ = c.rcv_adv_ = e.irs + 1U;
    c.snd_wnd_ = c.max_snd_wnd_ = e.snd_wnd;
    c.peer_mss_ = e.peer_mss;
    c.retries_ = e.retries;
    c.ts_ok_ = e.timestamps && kTimestampsAllowed;  // before the window, which counts it
    c.init_congestion_control();
    for (unsigned i = 0; i < e.retries; ++i) c.rto_.back_off();
    c.rtx_deadline_ = e.deadline;
    c.ws_ok_ = e.window_scaling;
    if (c.ws_ok_) {
      c.snd_wscale_ = e.snd_wscale;
      c.rcv_wscale_ = kOurWindowShift;
    }
    // The right edge our SYN-ACK offered (its window is never scaled, and
    // the buffer was empty): data may follow the handshake at once.
    c.rcv_adv_ = c.rcv_nxt_ + std::min(c.advertised_window(), kMaxWindowField);
    c.sack_ok_ = e.sack_permitted;
    if (e.timestamps && kTimestampsAllowed) {
      c.ts_ok_ = true;
      c.ts_recent_ = e.ts_recent;
      c.ts_recent_stamp_ = e.ts_recent_stamp;
      c.last_ack_sent_ = c.rcv_nxt_;  // what our SYN-ACK acknowledged
      c.ts_offset_ = ts_offset(e.tuple, config.isn_secret);
    }
    return c;
  }

  // Moves every time the connection keeps from the clock reading `from` to
  // the reading `to`, as if the clock had been set back (or forward) by the
  // difference. The explorer keeps its clock small this way; a time before
  // `from` that would move below zero becomes zero.
  void retime(Time from, Time to) {
    const auto move = [&](std::optional<Time>& t) {
      if (!t) return;
      *t = (to >= from) ? *t + (to - from) : (*t > from - to ? *t - (from - to) : Time{0});
    };
    move(rtx_deadline_);
    move(user_deadline_);
    move(time_wait_deadline_);
    move(ack_deadline_);
    move(keepalive_deadline_);
    move(challenge_window_start_);
    if (ts_ok_) {
      std::optional<Time> stamp = ts_recent_stamp_;
      move(stamp);
      ts_recent_stamp_ = *stamp;
    }
    if (timing_) {
      std::optional<Time> sent = timing_->sent;
      move(sent);
      timing_->sent = *sent;
    }
  }

  // The next ISS this connection chooses will be `iss` rather than RFC
  // 6528's: a listener sending a SYN cookie uses this.
  void use_iss(Seq iss) { next_iss_ = iss; }

  // --- Observers --------------------------------------------------------------

  // Indices into kSpec.rows() of the rows the most recent call fired: all
  // of them if last_rows_complete(), else the first RowTrace::kMax.
  std::span<const std::uint16_t> last_rows() const { return trace_.rows(); }
  bool last_rows_complete() const { return trace_.complete(); }

  model::State state() const { return state_; }
  const FourTuple& tuple() const { return tuple_; }
  bool opened_passively() const { return passive_; }
  bool peer_finished() const { return peer_fin_; }
  Seq iss() const { return iss_; }
  Seq irs() const { return irs_; }
  Seq snd_una() const { return snd_una_; }
  Seq snd_nxt() const { return snd_nxt_; }
  Seq snd_max() const { return snd_max_; }
  Seq rcv_nxt() const { return rcv_nxt_; }
  std::uint32_t snd_wnd() const { return snd_wnd_; }
  std::uint32_t rcv_wnd() const { return offered_window(); }

  // RCV.WND as RFC 9293 3.8.6.2.2 means it: what we have offered the peer
  // (up to the right edge last advertised), not our free buffer space.
  std::uint32_t offered_window() const {
    return model::after(rcv_adv_, rcv_nxt_) ? model::distance(rcv_nxt_, rcv_adv_) : 0;
  }
  std::size_t send_queued() const { return sendq_.size(); }
  std::size_t readable() const { return recv_.readable(); }
  std::uint16_t peer_mss() const { return peer_mss_; }
  // What the SYNs negotiated (RFC 7323, RFC 2018): each is on only if both
  // sides offered it.
  bool window_scaling() const { return ws_ok_; }
  std::uint8_t snd_wscale() const { return snd_wscale_; }
  std::uint8_t rcv_wscale() const { return rcv_wscale_; }
  bool timestamps() const { return ts_ok_; }
  bool sack_permitted() const { return sack_ok_; }
  std::uint32_t ts_recent() const { return ts_recent_; }
  Seq last_ack_sent() const { return last_ack_sent_; }
  std::uint32_t cwnd() const { return cwnd_; }
  std::uint32_t ssthresh() const { return ssthresh_; }
  bool in_fast_recovery() const { return in_recovery_; }
  // RFC 6675: in loss recovery steered by the SACK scoreboard.
  bool in_sack_recovery() const { return sack_recovery_; }
  const SackScoreboard<Seq, P::kMaxSackedRanges>& scoreboard() const { return scoreboard_; }
  // RFC 6675 SetPipe, as the sender counts it now.
  std::uint32_t pipe() const {
    return scoreboard_.pipe(snd_una_, snd_max_, sack_recovery_ ? high_rxt_ : snd_una_, send_mss());
  }
  const ConnectionCounters& counters() const { return counters_; }
  std::optional<Time> keepalive_deadline() const { return keepalive_deadline_; }
  unsigned keepalive_probes_unanswered() const { return keepalive_probes_; }
  std::uint32_t send_mss_now() const { return send_mss(); }
  // Our TSval at `now` (RFC 7323 section 5.4).
  std::uint32_t ts_value(Time now) const { return P::ts_clock(now) + ts_offset_; }
  const RtoEstimator<Time>& rto() const { return rto_; }
  unsigned retries() const { return retries_; }
  std::uint32_t challenge_acks_sent() const { return challenge_acks_sent_; }
  std::uint32_t challenge_acks_suppressed() const { return challenge_acks_suppressed_; }
  std::optional<Time> time_wait_deadline() const { return time_wait_deadline_; }
  // True if any buffer memory is held (an idle connection holds none).
  bool holds_buffer_memory() const { return sendq_.holds_memory() || recv_.holds_memory(); }

  // The sequence variables the classifier reads (model/classify.hpp).
  model::TcbNumbers<P::kSeqBits> numbers() const {
    model::TcbNumbers<P::kSeqBits> n;
    n.iss = iss_;
    n.snd_una = snd_una_;
    n.snd_nxt = snd_max_;  // the highest sent, whatever is being resent
    n.max_snd_wnd = max_snd_wnd_;
    n.irs = irs_;
    n.rcv_nxt = rcv_nxt_;
    n.rcv_wnd = offered_window();
    n.fin_sent = fin_sent_;
    return n;
  }

  bool operator==(const Connection&) const = default;

  // Every field that equality compares, but the configuration (the same
  // for all connections of one run), the row trace and the counters (history).
  std::size_t hash() const {
    HashMix h;
    h.add(static_cast<std::uint64_t>(state_));
    h.add(std::uint64_t{tuple_.local.address} << 16 | tuple_.local.port);
    h.add(std::uint64_t{tuple_.remote.address} << 16 | tuple_.remote.port);
    h.add(std::uint64_t{passive_} | std::uint64_t{has_iss_} << 1 | std::uint64_t{syn_acked_} << 2 |
          std::uint64_t{fin_queued_} << 3 | std::uint64_t{fin_sent_} << 4 |
          std::uint64_t{probe_} << 5 | std::uint64_t{peer_fin_} << 6 |
          std::uint64_t{ack_now_} << 7);
    for (Seq v : {iss_, snd_una_, snd_nxt_, snd_max_, snd_wl1_, snd_wl2_, irs_, rcv_nxt_, rcv_adv_}) {
      h.add(v.raw());
    }
    h.add(std::uint64_t{snd_wnd_} << 32 | max_snd_wnd_);
    h.add(std::uint64_t{peer_mss_} << 32 | retries_);
    h.add(next_iss_ ? std::optional<std::uint32_t>(next_iss_->raw()) : std::nullopt);
    h.add(queued_fin_ ? std::optional<std::uint32_t>(queued_fin_->raw()) : std::nullopt);
    h.add(sendq_.hash());
    h.add(recv_.hash());
    h.add(rtx_deadline_);
    h.add(user_deadline_);
    h.add(time_wait_deadline_);
    h.add(ack_deadline_);
    h.add(static_cast<std::uint64_t>(rto_.rto()));
    h.add(timing_ ? std::optional<std::uint64_t>(timing_->seq.raw()) : std::nullopt);
    h.add(full_segments_unacked_);
    if (reply_rst_) {
      h.add(std::uint64_t{reply_rst_->seq.raw()} << 32 | reply_rst_->ack.raw());
      h.add(std::uint64_t{reply_rst_->destination.address} << 17 |
            std::uint64_t{reply_rst_->destination.port} << 1 | reply_rst_->with_ack);
    }
    h.add(events_);
    h.add(challenge_window_start_);
    h.add(challenge_acks_in_window_);
    h.add(std::uint64_t{ws_ok_} | std::uint64_t{ts_ok_} << 1 | std::uint64_t{sack_ok_} << 2 |
          std::uint64_t{snd_wscale_} << 8 | std::uint64_t{rcv_wscale_} << 16);
    h.add(std::uint64_t{ts_recent_} << 32 | ts_offset_);
    h.add(static_cast<std::uint64_t>(ts_recent_stamp_));
    h.add(last_ack_sent_.raw());
    h.add(std::uint64_t{cwnd_} << 32 | ssthresh_);
    h.add(std::uint64_t{recover_.raw()} << 16 | std::uint64_t{dupacks_} << 8 |
          std::uint64_t{in_recovery_} << 1 | std::uint64_t{fast_retransmit_});
    // SACK and keep-alive state stays at its defaults unless the Config
    // asks for them (the explorer's never does): hashed only then, so that
    // the explorer's fingerprints are what they were without them.
    if (config_.features.sack || config_.features.keepalive) {
      h.add(std::uint64_t{high_rxt_.raw()} << 32 | std::uint64_t{keepalive_probes_} << 8 |
            std::uint64_t{scoreboard_.size()} << 2 | std::uint64_t{keepalive_probe_} << 1 |
            std::uint64_t{sack_recovery_});
      for (const auto& r : scoreboard_) h.add(std::uint64_t{r.left.raw()} << 32 | r.right.raw());
      h.add(keepalive_deadline_);
    }
    return static_cast<std::size_t>(h.value());
  }

 private:
  template <class>
  friend struct test::Access;

  // One call's inputs and what the actions hand back to it.
  struct Input {
    explicit Input(Time t) : now(t) {}
    Time now;
    const Seg* seg = nullptr;
    std::span<const std::byte> data;
    std::span<std::byte> out;
    CallError error = CallError::None;
    std::size_t count = 0;
    bool keepalive = false;  // a UserTimeout raised by unanswered keep-alives
  };

  // A RST owed to the sender of a segment (or to the peer, on ABORT).
  struct Reply {
    Endpoint source;
    Endpoint destination;
    Seq seq;
    Seq ack;
    bool with_ack = false;
    bool operator==(const Reply&) const = default;
  };

  // What the timestamps decide before the classifier's sequence test (RFC
  // 7323 section 5.3 puts PAWS, R1, ahead of it). A segment PAWS rejects is
  // the table's Unacceptable, answered with an ACK as the first step
  // answers a segment outside the window; a SYN whose TSval is newer
  // replaces TIME-WAIT whatever its sequence number (RFC 6191 section 2).
  // Nothing: the segment is silently dropped.
  std::optional<model::Event> classify_arrival(Time now, const Seg& seg) const {
    if constexpr (kTimestampsAllowed) {
      if (ts_ok_ && !seg.flags.rst && model::states::kSynchronized.contains(state_)) {
        if (!seg.timestamps) {
          // RFC 7323 3.2: a non-RST segment without TSopt SHOULD be dropped;
          // a SYN may open a new incarnation without them (RFC 6191).
          if (!seg.flags.syn) return std::nullopt;
        } else {
          const std::uint32_t tsval = seg.timestamps->value;
          const bool valid = ts_recent_valid(now);
          // RFC 6191 section 2: newer by its timestamp; with an equal one,
          // the classifier's sequence-number rule decides.
          if (state_ == model::State::TimeWait && seg.flags.syn && !seg.flags.ack && valid &&
              ts_after(tsval, ts_recent_)) {
            return model::Event::SynNewerInTimeWait;
          }
          // RFC 7323 5.3 R1: older than TS.Recent, so an old duplicate.
          if (valid && ts_before(tsval, ts_recent_)) return model::Event::Unacceptable;
        }
      }
    }
    return model::classify(state_, seg.template facts<P::kSeqBits>(), numbers());
  }

  // RFC 7323 5.5: TS.Recent untouched for 24 days no longer guards PAWS.
  bool ts_recent_valid(Time now) const {
    return now < ts_recent_stamp_ || now - ts_recent_stamp_ <= kPawsIdleLimit;
  }

  // RFC 7323 5.3 R3 comes after the sequence test (R2): only a segment that
  // passed it, in a synchronized state, may update TS.Recent.
  bool records_ts_recent(model::Event e) const {
    using model::Event;
    if (!ts_ok_ || !model::states::kSynchronized.contains(state_)) return false;
    switch (e) {
      case Event::AckOfSyn:
      case Event::Ack:
      case Event::AckOfFin:
      case Event::Fin:
      case Event::FinAckOfFin:
      case Event::AckUnacceptable:
      case Event::Stray: return true;
      default: return false;
    }
  }

  // RFC 7323 4.3 (2): SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent,
  // so that TSecr echoes the earliest segment a delayed ACK covers.
  void record_ts_recent(Time now, const Seg& seg) {
    if (!seg.timestamps) return;
    const std::uint32_t tsval = seg.timestamps->value;
    if ((!ts_recent_valid(now) || !ts_before(tsval, ts_recent_)) &&
        model::before_or_eq(seg.seq, last_ack_sent_)) {
      ts_recent_ = tsval;
      ts_recent_stamp_ = now;
    }
  }

  // Looks the event up in the table, performs the row's actions in their
  // order, and moves to the row's target state.
  void step(Input& in, model::Event event) {
    model::GuardFacts facts;
    facts.opened_passively = passive_;
    facts.retries_left = retries_ < retry_limit();
    facts.remote_specified = tuple_.remote.port != 0;
    const model::Row* row = S.find(state_, event, facts);
    // The classifier never yields an unreachable cell (model/test proves
    // it exhaustively), and the table is complete.
    assert(row != nullptr && row->fires());
    if (row == nullptr) return;
    trace_.add(static_cast<std::size_t>(row - S.rows().data()));
    const model::State from = state_;
    const model::State to = row->to.resolve(from);
    for (model::Act act : model::kAllActs) {
      if (row->acts.contains(act)) perform(act, in, event, from, to);
    }
    state_ = to;
    if (to != from) entered(to);
  }

  void perform(model::Act act, Input& in, model::Event event, model::State from,
               model::State to) {
    using model::Act;
    switch (act) {
      case Act::NewIncarnation: new_incarnation(); break;
      case Act::AcceptSyn: accept_syn(in); break;
      case Act::ProcessSegment: process_segment(in, event, from); break;
      case Act::QueueData: in.count = sendq_.push(in.data); break;
      case Act::Deliver: in.count = recv_.read(in.out); break;
      case Act::SendSyn:
        passive_ = false;
        choose_iss(in.now);
        break;
      case Act::SendSynAck:
        if (from == model::State::Listen || from == model::State::TimeWait) choose_iss(in.now);
        snd_nxt_ = iss_;  // (re)send the SYN-ACK
        break;
      case Act::SendAck: ack_now_ = true; break;
      case Act::SendFin:
        fin_queued_ = true;
        if (S.fin == model::FinPolicy::Immediately) sendq_.truncate(sent_octets());
        break;
      case Act::SendRst: reply_rst_ = reset_for(in.seg); break;
      case Act::SendChallengeAck: challenge_ack(in.now); break;
      case Act::Retransmit: retransmit(in.now); break;
      case Act::CancelTimers:
        rtx_deadline_.reset();
        user_deadline_.reset();
        ack_deadline_.reset();
        break;
      case Act::StartTimeWait:
        time_wait_deadline_ = in.now + static_cast<Time>(S.time_wait_msl * config_.msl);
        break;
      case Act::SignalConnected: raise(UserEvent::Connected); break;
      case Act::SignalPeerFin: raise(UserEvent::PeerFinished); break;
      case Act::SignalReset: raise(UserEvent::Reset); break;
      case Act::SignalRefused: raise(UserEvent::Refused); break;
      case Act::SignalTimedOut:
        counters_.timeout_cause =
            in.keepalive ? TimeoutCause::Keepalive
            : event == model::Event::RetransmissionTimeout ? TimeoutCause::Retransmissions
                                                           : TimeoutCause::UserTimeout;
        raise(UserEvent::TimedOut);
        break;
      case Act::SignalClosed: raise(UserEvent::Closed); break;
      case Act::FailExists: in.error = CallError::ConnectionExists; break;
      case Act::FailNoConnection: in.error = CallError::NoConnection; break;
      case Act::FailClosing: in.error = CallError::ConnectionClosing; break;
      case Act::DeleteTcb: delete_tcb(to); break;
    }
  }

  // What entering a state implies beyond the row's actions.
  void entered(model::State s) {
    if (s == model::State::Listen) passive_ = true;
    if (!keepalive_applies()) {
      keepalive_deadline_.reset();
      keepalive_probe_ = false;
    }
    if (s == model::State::TimeWait) {
      // Nothing of ours is outstanding; only what TIME-WAIT needs stays.
      sendq_.clear();
    }
  }

  // --- Actions ----------------------------------------------------------------

  void choose_iss(Time now) {
    std::uint32_t isn = 0;
    switch (S.isn) {
      case model::IsnPolicy::ClockPlusKeyedHash:
        isn = P::isn_clock(now) + isn_offset(tuple_, config_.isn_secret);
        break;
      case model::IsnPolicy::Clock: isn = P::isn_clock(now); break;
      case model::IsnPolicy::Zero: isn = 0; break;
    }
    if (next_iss_) {
      isn = next_iss_->raw();
      next_iss_.reset();
    }
    iss_ = Seq(isn);
    // RFC 7323 7.1: our TSval clock's offset, for an active open (which
    // offers timestamps) or a passive one that accepted them.
    if (kTimestampsAllowed && (ts_ok_ || (!passive_ && config_.features.timestamps))) {
      ts_offset_ = ts_offset(tuple_, config_.isn_secret);
    }
    snd_una_ = snd_nxt_ = iss_;
    snd_max_ = iss_ + 1U;  // the SYN counts as sent; poll_transmit puts it on the wire
    if (cc_on()) recover_ = iss_;  // RFC 6582 3.2 step 1
    has_iss_ = true;
    syn_acked_ = false;
  }

  // TIME-WAIT gives way to a newer SYN: keep the 4-tuple and a floor for the
  // next ISS, forget the rest of the old incarnation.
  void new_incarnation() {
    const Seq floor = snd_max_ + kIncarnationGap;
    const FourTuple tuple = tuple_;
    reset_tcb();
    tuple_ = tuple;
    passive_ = true;
    next_iss_ = floor;
  }

  // RFC 7323 sections 2.2 and 3.2, RFC 2018 section 2: an option is used
  // only if both SYNs carry it. Our SYN carries what the Config offers; our
  // SYN-ACK, what the peer's SYN offered and the Config allows.
  void negotiate_options(Time now, const Seg& seg) {
    ws_ok_ = config_.features.window_scaling && seg.window_scale.has_value();
    snd_wscale_ = ws_ok_ ? clamp_window_shift(*seg.window_scale) : std::uint8_t{0};
    rcv_wscale_ = ws_ok_ ? kOurWindowShift : std::uint8_t{0};
    sack_ok_ = config_.features.sack && seg.sack_permitted;
    ts_ok_ = kTimestampsAllowed && config_.features.timestamps && seg.timestamps.has_value();
    if (ts_ok_) {
      ts_recent_ = seg.timestamps->value;  // RFC 7323 4.3: from the SYN
      ts_recent_stamp_ = now;
    }
  }

  void accept_syn(const Input& in) {
    const Seg& seg = *in.seg;
    if (passive_ || state_ == model::State::TimeWait) tuple_.remote = seg.source;
    irs_ = seg.seq;
    rcv_nxt_ = seg.seq + 1U;
    negotiate_options(in.now, seg);
    rcv_adv_ = rcv_nxt_;
    rcv_adv_ = rcv_nxt_ + std::min(advertised_window(), kMaxWindowField);  // our SYN's
    peer_mss_ = seg.mss.value_or(kDefaultPeerMss);
    if (peer_mss_ == 0) peer_mss_ = kDefaultPeerMss;
    init_congestion_control();
    snd_wnd_ = seg.window;
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
    // RFC 9293 3.10.7.2 allows keeping data that rides on a SYN; the Spec
    // decides (the seed notes explain why the RFC's own default is not to).
    if (S.syn_payload == model::SynPayload::Deliver && !seg.payload.empty()) {
      const std::size_t n = recv_.insert(0, seg.payload);
      rcv_nxt_ += static_cast<std::uint32_t>(n);
      if (n > 0) raise(UserEvent::Readable);
    }
  }

  // RFC 9293 3.10.7.4, fifth to seventh steps, and the FIN bookkeeping of
  // the eighth, for a segment the table has accepted.
  void process_segment(Input& in, model::Event event, model::State from) {
    const Seg& seg = *in.seg;
    if (seg.flags.ack) process_ack(in.now, seg);
    // Data is taken in the states where the peer may still send, and on
    // the ACK that completes the handshake (the seed's "third segment may
    // carry data"); never on a SYN.
    const bool may_take_data =
        !seg.flags.syn &&
        (model::states::kMayReceive.contains(from) || from == model::State::SynReceived);
    if (may_take_data && !seg.payload.empty()) process_text(in.now, seg);
    if (seg.flags.fin && may_take_data) {
      const Seq fin_seq = seg.seq + static_cast<std::uint32_t>(seg.payload.size());
      const bool processable =
          event == model::Event::Fin || event == model::Event::FinAckOfFin;
      if (processable && fin_seq == rcv_nxt_) {
        rcv_nxt_ += 1U;
        peer_fin_ = true;
        queued_fin_.reset();
      } else if (!processable && model::after(fin_seq, rcv_nxt_)) {
        queued_fin_ = fin_seq;  // behind a hole: processed when the hole fills
      } else if (!processable) {
        ack_now_ = true;  // refused by a zero window: say where we are
      }
    }
  }

  void process_ack(Time now, const Seg& seg) {
    const std::uint32_t seg_wnd = peer_window(seg);
    if (cc_on() && is_duplicate_ack(seg, seg_wnd)) on_duplicate_ack();
    process_ack_of_data(now, seg);
    if (sack_ok_) {
      // RFC 2018 section 4: the blocks are taken in after the cumulative
      // ACK, which may cover some of them.
      if (!seg.sack.empty() || !scoreboard_.empty()) {
        scoreboard_.update(snd_una_, snd_max_, seg.sack);
      }
      if (sack_in_use()) maybe_enter_sack_recovery();
    }
    // RFC 9293 3.8.6.1: a peer that answers our probes keeps a zero window
    // open indefinitely; only silence counts against the retry limit.
    if (snd_wnd_ == 0 && seg_wnd == 0) retries_ = 0;
    if (model::window_update_allowed(snd_una_, snd_max_, snd_wl1_, snd_wl2_, seg.seq, seg.ack)) {
      snd_wnd_ = seg_wnd;
      snd_wl1_ = seg.seq;
      snd_wl2_ = seg.ack;
      max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    }
  }

  // The part of the fifth step that moves SND.UNA.
  void process_ack_of_data(Time now, const Seg& seg) {
    if (model::after(seg.ack, snd_una_) && model::before_or_eq(seg.ack, snd_max_)) {
      const std::uint32_t flight = model::distance(snd_una_, snd_max_);
      std::uint32_t acked = model::distance(snd_una_, seg.ack);
      if (!syn_acked_) {  // the first octet acknowledged is our SYN
        --acked;
        syn_acked_ = true;
        // RFC 5681 3.1: after a SYN or SYN-ACK was lost, one segment.
        if (cc_on() && retries_ > 0) cwnd_ = send_mss();
      }
      const bool fin_acked = fin_sent_ && seg.ack == snd_max_;
      if (fin_acked) --acked;
      if (cc_on()) on_new_ack(seg.ack, acked);
      const bool was_full = sendq_.free() == 0;
      sendq_.pop(acked);
      if (was_full && acked > 0) raise(UserEvent::Writable);
      snd_una_ = seg.ack;
      if (model::before(snd_nxt_, snd_una_)) snd_nxt_ = snd_una_;
      if (ts_ok_ && seg.timestamps) {
        rtt_from_echo(now, seg.timestamps->echo, flight);
        timing_.reset();
      } else if (timing_ && model::after_or_eq(seg.ack, timing_->seq)) {
        if constexpr (P::kRttEstimation) rto_.on_sample(now - timing_->sent);
        timing_.reset();
      }
      retries_ = 0;
      if (snd_una_ == snd_max_) {
        rtx_deadline_.reset();  // RFC 6298 5.2
        user_deadline_.reset();
      } else {
        rtx_deadline_ = now + rto_.rto();  // RFC 6298 5.3
        if (config_.user_timeout != 0) user_deadline_ = now + config_.user_timeout;
      }
    }
  }

  // --- Congestion control (RFC 5681, RFC 6582, RFC 6928) ---------------------

  bool cc_on() const { return config_.features.congestion_control; }

  // RFC 9293 3.7.1: the MSS option counts no TCP options, so a sender
  // that adds them (timestamps: 10 octets and 2 of padding, RFC 7323
  // appendix A) carries that much less data in each segment.
  std::uint32_t send_mss() const {
    const std::uint32_t options = ts_ok_ ? 12U : 0U;
    return peer_mss_ > options ? peer_mss_ - options : 1U;
  }

  // RFC 6928: IW = min(10 * SMSS, max(2 * SMSS, 14600)); RFC 5681 3.1:
  // ssthresh starts arbitrarily high; RFC 6582 3.2: recover starts at ISS.
  void init_congestion_control() {
    if (!cc_on()) return;
    const std::uint32_t smss = send_mss();
    cwnd_ = std::min(10U * smss, std::max(2U * smss, 14600U));
    ssthresh_ = kMaxCwnd;
    recover_ = iss_;
    dupacks_ = 0;
    in_recovery_ = false;
  }

  // RFC 5681 section 2, DUPLICATE ACKNOWLEDGMENT: data outstanding, no
  // data, no SYN or FIN, the same ACK and the same window as before.
  bool is_duplicate_ack(const Seg& seg, std::uint32_t seg_wnd) const {
    return syn_acked_ && model::after(snd_max_, snd_una_) && seg.payload.empty() &&
           !seg.flags.syn && !seg.flags.fin && seg.ack == snd_una_ && seg_wnd == snd_wnd_;
  }

  void on_duplicate_ack() {
    const std::uint32_t smss = send_mss();
    if (dupacks_ < 255) ++dupacks_;
    // RFC 6675: with SACK, cwnd is not inflated (pipe counts what left the
    // network instead), and recovery starts once the scoreboard is updated.
    if (sack_in_use()) return;
    if (in_recovery_) {
      cwnd_ = std::min(cwnd_ + smss, kMaxCwnd);  // RFC 6582 3.2 step 4: inflate
      return;
    }
    // RFC 6582 3.2 step 2: only if the ACK covers more than recover (the
    // highest octet sent, one below recover_), so that duplicates of an
    // earlier episode do not start another.
    if (dupacks_ != kDupThresh || !model::after_or_eq(snd_una_, recover_)) return;
    const std::uint32_t flight = model::distance(snd_una_, snd_max_);
    ssthresh_ = std::max(flight / 2, 2U * smss);  // RFC 5681 equation (4)
    recover_ = snd_max_;
    in_recovery_ = true;
    cwnd_ = ssthresh_ + 3U * smss;  // RFC 5681 3.2 step 3
    fast_retransmit_ = true;
    ++counters_.fast_recoveries;
  }

  // --- SACK-based loss recovery (RFC 6675) -----------------------------------

  bool sack_in_use() const { return sack_ok_ && cc_on(); }

  // RFC 6675 section 5: recovery starts on the DupThresh-th duplicate ACK,
  // or as soon as the scoreboard says SND.UNA's segment is lost (which
  // RFC 6675 section 5 allows before DupThresh duplicates arrive, and which
  // also catches a loss reported on an ACK that advanced SND.UNA). Not
  // twice for one window: the cumulative ACK must have reached the last
  // RecoveryPoint. After a retransmission timeout SND.NXT is back below
  // SND.MAX and go-back-N is resending; recovery waits for that to end.
  void maybe_enter_sack_recovery() {
    if (in_recovery_ || !syn_acked_ || !model::after(snd_max_, snd_una_)) return;
    if (!(snd_nxt_ == snd_max_) || !model::after_or_eq(snd_una_, recover_)) return;
    const std::uint32_t smss = send_mss();
    if (dupacks_ < kDupThresh && !scoreboard_.is_lost(snd_una_, smss)) return;
    // (4.1) RecoveryPoint = HighData; (4.2) ssthresh = cwnd = FlightSize / 2,
    // as RFC 5681 equation (4) computes it.
    recover_ = snd_max_;
    ssthresh_ = std::max(model::distance(snd_una_, snd_max_) / 2, 2U * smss);
    cwnd_ = ssthresh_;
    in_recovery_ = true;
    sack_recovery_ = true;
    high_rxt_ = snd_una_;
    fast_retransmit_ = true;  // (4.3) the first segment, whatever pipe says
    ++counters_.sack_recoveries;
  }

  // RFC 6675 section 5 (C): while cwnd - pipe >= 1 SMSS, one segment by
  // NextSeg: a lost hole (rule 1), else new data (rule 2), else any hole
  // below the highest SACKed octet (rule 3). The rescue retransmission of
  // rule 4 is not made; a loss it would repair waits for the RTO.
  std::optional<Seg> transmit_sack_recovery(Time now, std::span<std::byte> payload) {
    const std::uint32_t smss = send_mss();
    if (fast_retransmit_) {
      fast_retransmit_ = false;
      const Seq end = scoreboard_.empty() ? snd_max_ : scoreboard_.begin()->left;
      if (model::after(end, snd_una_)) {
        if (auto seg = retransmit_hole(now, payload, snd_una_, model::distance(snd_una_, end))) {
          return seg;
        }
      }
    }
    if (cwnd_ < scoreboard_.pipe(snd_una_, snd_max_, high_rxt_, smss) + smss) return std::nullopt;
    if (auto hole = scoreboard_.next_hole(snd_una_, high_rxt_, smss, true)) {
      return retransmit_hole(now, payload, hole->start, hole->length);
    }
    if (auto seg = transmit_new_data(now, payload, smss)) return seg;
    if (auto hole = scoreboard_.next_hole(snd_una_, high_rxt_, smss, false)) {
      return retransmit_hole(now, payload, hole->start, hole->length);
    }
    return std::nullopt;
  }

  // RFC 6675 section 5.1: after a timeout the scoreboard starts empty, and
  // what ACKs SACK from then on (the receiver's current holdings) steers
  // the go-back-N resend: SND.NXT steps over SACKed octets, and a segment
  // stops where the next SACKed range starts.
  std::optional<std::uint32_t> skip_sacked(std::optional<std::uint32_t> cap) {
    for (const auto& r : scoreboard_) {
      if (model::after_or_eq(snd_nxt_, r.left) && model::before(snd_nxt_, r.right)) {
        snd_nxt_ = r.right;
      }
    }
    for (const auto& r : scoreboard_) {
      if (model::after(r.left, snd_nxt_) && model::before(snd_nxt_, snd_max_)) {
        const std::uint32_t gap = model::distance(snd_nxt_, r.left);
        return cap ? std::min(*cap, gap) : gap;
      }
    }
    return cap;
  }

  // RFC 3042, part of RFC 6675's algorithm (section 5): the first and
  // second duplicate ACKs each let one new segment out beyond cwnd, so
  // that a small window still draws DupThresh duplicates for a loss.
  std::uint32_t limited_transmit() const {
    if (!sack_in_use() || in_recovery_ || dupacks_ == 0 || dupacks_ >= kDupThresh) return 0;
    return dupacks_ * send_mss();
  }

  std::optional<Seg> retransmit_hole(Time now, std::span<std::byte> payload, Seq from,
                                     std::uint32_t length) {
    auto seg = transmit_range(now, payload, from, length);
    if (seg) {
      const Seq end = seg->seq + seg->length();
      if (model::after(end, high_rxt_)) high_rxt_ = end;  // RFC 6675 (C.3)
    }
    return seg;
  }

  void on_new_ack(Seq ack, std::uint32_t acked) {
    const std::uint32_t smss = send_mss();
    if (sack_recovery_) {
      // RFC 6675 section 5: recovery ends when RecoveryPoint is
      // acknowledged; cwnd stayed at ssthresh throughout. A partial ACK
      // only shrinks pipe.
      if (model::after_or_eq(ack, recover_)) {
        in_recovery_ = false;
        sack_recovery_ = false;
        dupacks_ = 0;
      }
      return;
    }
    if (in_recovery_) {
      if (model::after_or_eq(ack, recover_)) {
        // RFC 6582 3.2 step 3, full acknowledgment: deflate, option (1).
        const std::uint32_t flight = model::distance(ack, snd_max_);
        cwnd_ = std::min(ssthresh_, std::max(flight, smss) + smss);
        in_recovery_ = false;
        dupacks_ = 0;
      } else {
        // RFC 6582 3.2 step 5, partial acknowledgment: resend the next
        // hole, deflate by what was acknowledged, add back one SMSS.
        fast_retransmit_ = true;
        cwnd_ = (cwnd_ > acked ? cwnd_ - acked : 0U) + (acked >= smss ? smss : 0U);
        cwnd_ = std::max(cwnd_, smss);
      }
      return;
    }
    dupacks_ = 0;
    if (cwnd_ < ssthresh_) {
      cwnd_ += std::min(acked, smss);  // RFC 5681 equation (2), slow start
    } else {
      cwnd_ += std::max(1U, smss * smss / std::max(cwnd_, 1U));  // equation (3)
    }
    cwnd_ = std::min(cwnd_, kMaxCwnd);
  }

  // RFC 5681 equations (4) and (5), RFC 6582 section 4: on the first
  // timeout of a segment halve ssthresh; the loss window is one segment.
  void on_retransmission_timeout() {
    const std::uint32_t smss = send_mss();
    if (retries_ == 1) {
      ssthresh_ = std::max(model::distance(snd_una_, snd_max_) / 2, 2U * smss);
    }
    cwnd_ = smss;
    recover_ = snd_max_;
    in_recovery_ = false;
    fast_retransmit_ = false;
    dupacks_ = 0;
  }

  // --- Keep-alive (RFC 9293 3.8.4, RFC 1122 4.2.3.6) --------------------------

  // Only where the connection can sit idle with both sides open: a
  // connection that is closing has its own timers to end it.
  bool keepalive_applies() const {
    return config_.features.keepalive &&
           (state_ == model::State::Established || state_ == model::State::CloseWait);
  }

  void heard_from_peer(Time now) {
    keepalive_probes_ = 0;
    if (keepalive_applies()) {
      keepalive_deadline_ = now + config_.keepalive.idle;
    } else {
      keepalive_deadline_.reset();
      keepalive_probe_ = false;
    }
  }

  void keepalive_expired(Time now) {
    if (!keepalive_applies()) return;
    // Data outstanding or queued: the retransmission and persist timers
    // already watch the peer, so the connection is not idle.
    if (model::after(snd_max_, snd_una_) || sendq_.size() != 0) {
      keepalive_deadline_ = now + config_.keepalive.idle;
      return;
    }
    if (keepalive_probes_ >= config_.keepalive.probes) {
      // The table's UserTimeout row has the consequence RFC 1122 asks for
      // (the connection is aborted and the user told); the counters say
      // it was the keep-alive.
      Input in{now};
      in.keepalive = true;
      step(in, model::Event::UserTimeout);
      return;
    }
    ++keepalive_probes_;
    ++counters_.keepalive_probes;
    keepalive_probe_ = true;
    keepalive_deadline_ = now + config_.keepalive.interval;
  }

  // RFC 9293 3.8.4: SEG.SEQ = SND.NXT - 1 and no data, so that the peer,
  // finding it outside its window, answers with an ACK (RFC 9293 3.10.7.4,
  // first step). Our SND.NXT in that sense is SND.MAX.
  Seg transmit_keepalive(Time now) {
    keepalive_probe_ = false;
    Seg probe = base_segment();
    probe.seq = snd_max_ - 1U;
    probe.ack = rcv_nxt_;
    probe.flags.ack = true;
    probe.window = advertise();
    stamp(probe, now);
    acked_now();
    return probe;
  }

  // RFC 7323 2.3: SND.WND = SEG.WND << Snd.Wind.Shift, except on a SYN,
  // whose window field is never scaled.
  // SND.WND and what decides its next update (RFC 9293 3.10.7.4, fifth step).
  struct SendWindow {
    std::uint32_t wnd;
    std::uint32_t max_wnd;
    Seq wl1;
    Seq wl2;
  };
  SendWindow send_window() const { return {snd_wnd_, max_snd_wnd_, snd_wl1_, snd_wl2_}; }
  void restore_send_window(const SendWindow& w) {
    snd_wnd_ = w.wnd;
    max_snd_wnd_ = w.max_wnd;
    snd_wl1_ = w.wl1;
    snd_wl2_ = w.wl2;
  }

  std::uint32_t peer_window(const Seg& seg) const {
    if (seg.flags.syn || snd_wscale_ == 0) return seg.window;
    return static_cast<std::uint32_t>(
        std::min<std::uint64_t>(std::uint64_t{seg.window} << snd_wscale_, 0xFFFFFFFFU));
  }

  // RFC 7323 4.1: an ACK that advances SND.UNA gives an RTT sample from
  // its TSecr, whether or not the segment was retransmitted (no Karn). As
  // such ACKs come several per round trip, each sample weighs less
  // (RFC 7323 appendix G): ExpectedSamples = ceil(FlightSize / (2 * SMSS)).
  void rtt_from_echo(Time now, std::uint32_t echo, std::uint32_t flight) {
    if constexpr (P::kRttEstimation && kTimestampsAllowed) {
      const std::uint32_t ticks = ts_value(now) - echo;
      if (static_cast<std::int32_t>(ticks) < 0) return;  // not a TSval of ours
      const std::uint32_t per_sample = 2U * send_mss();
      const std::uint32_t expected =
          std::max<std::uint32_t>(1U, (flight + per_sample - 1) / per_sample);
      rto_.on_sample(static_cast<Time>(ticks) * P::kTsTick, expected);
    } else {
      (void)now;
      (void)echo;
      (void)flight;
    }
  }

  // Seventh step: put the payload into the receive buffer, in order or
  // kept for reassembly, and decide how soon to acknowledge.
  void process_text(Time now, const Seg& seg) {
    std::span<const std::byte> bytes = seg.payload;
    std::size_t offset = 0;
    if (model::before(seg.seq, rcv_nxt_)) {
      const std::uint32_t old = model::distance(seg.seq, rcv_nxt_);
      bytes = bytes.subspan(std::min<std::size_t>(old, bytes.size()));
    } else {
      offset = model::distance(rcv_nxt_, seg.seq);
    }
    // Only what lies inside the window we offered is taken (RFC 9293
    // 3.10.7.4: segments are trimmed to the window).
    const std::size_t offered = offered_window();
    const std::size_t room = offset < offered ? offered - offset : 0;
    if (bytes.size() > room) {
      bytes = bytes.first(room);
      ack_now_ = true;
    }
    const std::size_t advanced = recv_.insert(offset, bytes);
    rcv_nxt_ += static_cast<std::uint32_t>(advanced);
    if (advanced > 0) raise(UserEvent::Readable);
    // RFC 9293 3.8.6.3 and RFC 5681 4.2: out of order, or filling a hole,
    // is acknowledged at once; in order, at least every second full
    // segment, otherwise within the delayed-ACK time.
    const bool in_order = offset == 0 && advanced == bytes.size() && recv_.out_of_order().empty();
    if (!in_order || advanced == 0) {
      ack_now_ = true;
      return;
    }
    if (bytes.size() >= send_mss() || config_.delayed_ack == 0) ++full_segments_unacked_;
    if (full_segments_unacked_ >= 2 || config_.delayed_ack == 0) {
      ack_now_ = true;
    } else if (!ack_deadline_) {
      ack_deadline_ = now + config_.delayed_ack;
    }
  }

  // RFC 5961 section 7: at most so many challenge ACKs per window of time.
  void challenge_ack(Time now) {
    if (!challenge_window_start_ || now - *challenge_window_start_ >= config_.challenge_ack_window) {
      challenge_window_start_ = now;
      challenge_acks_in_window_ = 0;
    }
    if (challenge_acks_in_window_ < config_.challenge_acks_per_window) {
      ++challenge_acks_in_window_;
      ++challenge_acks_sent_;
      ack_now_ = true;
    } else {
      ++challenge_acks_suppressed_;
    }
  }

  // RFC 6298 5.4 to 5.6: go back to the oldest unacknowledged octet, double
  // the timeout, restart the timer. With nothing outstanding but data held
  // back by a zero window, the same timer sends a window probe (RFC 9293
  // 3.8.6.1).
  void retransmit(Time now) {
    ++retries_;
    ++counters_.retransmission_timeouts;
    rto_.back_off();
    timing_.reset();  // Karn: no sample from a retransmitted segment
    if (sack_ok_) {
      // RFC 6675 section 5.1: the receiver may have reneged; forget what it
      // SACKed and resend from SND.UNA.
      scoreboard_.clear();
      if (sack_recovery_) in_recovery_ = false;
      sack_recovery_ = false;
      high_rxt_ = snd_una_;
    }
    if (cc_on() && syn_acked_ && snd_wnd_ != 0 && model::after(snd_max_, snd_una_)) {
      on_retransmission_timeout();
    }
    snd_nxt_ = snd_una_;
    if (snd_wnd_ == 0) probe_ = true;
    rtx_deadline_ = now + rto_.rto();
  }

  // RFC 9293 3.5.2: a reset that the offending segment's sender accepts;
  // for ABORT, one at SND.NXT.
  Reply reset_for(const Seg* seg) const {
    if (seg == nullptr) return {tuple_.local, tuple_.remote, snd_max_, Seq{}, false};
    if (seg->flags.ack) return {seg->destination, seg->source, seg->ack, Seq{}, false};
    return {seg->destination, seg->source, Seq{}, seg->seq + seg->length(), true};
  }

  // RFC 9293: the TCB and its queues go. What is still owed (a RST, events
  // for the user) survives; a connection returning to LISTEN keeps its
  // local endpoint.
  void delete_tcb(model::State to) {
    const auto reply = reply_rst_;
    const auto events = events_;
    const FourTuple tuple = to == model::State::Listen ? FourTuple{tuple_.local, {}} : tuple_;
    reset_tcb();
    reply_rst_ = reply;
    events_ = events;
    tuple_ = tuple;
  }

  void reset_tcb() {
    const Config<P> config = config_;
    const auto challenge_sent = challenge_acks_sent_;
    const auto challenge_suppressed = challenge_acks_suppressed_;
    const RowTrace trace = trace_;
    const ConnectionCounters counters = counters_;
    *this = Connection(config);
    trace_ = trace;
    counters_ = counters;
    challenge_acks_sent_ = challenge_sent;
    challenge_acks_suppressed_ = challenge_suppressed;
  }

  // --- Output -----------------------------------------------------------------

  Seg base_segment() const {
    Seg s{};
    s.source = tuple_.local;
    s.destination = tuple_.remote;
    return s;
  }

  std::optional<Seg> transmit_syn(Time now, std::span<std::byte> payload) {
    Seg syn = base_segment();
    syn.seq = iss_;
    syn.flags.syn = true;
    if (state_ != model::State::SynSent) {
      syn.flags.ack = true;
      syn.ack = rcv_nxt_;
    }
    syn.mss = config_.mss;
    // RFC 7323 2.2: the window of a SYN is never scaled.
    const std::uint32_t window = std::min(advertised_window(), kMaxWindowField);
    rcv_adv_ = rcv_nxt_ + window;
    syn.window = window;
    // RFC 7323 2.2 and 3.2, RFC 2018 2: a SYN offers what the Config
    // allows; a SYN-ACK only what the peer's SYN offered too.
    const bool active = state_ == model::State::SynSent;
    if (active ? config_.features.window_scaling : ws_ok_) syn.window_scale = kOurWindowShift;
    syn.sack_permitted = active ? config_.features.sack : sack_ok_;
    if (active ? kTimestampsAllowed && config_.features.timestamps : ts_ok_) {
      // RFC 7323 3.2: TSecr is zero on a segment without ACK.
      syn.timestamps = SegmentTimestamps{ts_value(now), active ? 0U : ts_recent_};
      if (!active) last_ack_sent_ = rcv_nxt_;
    }
    snd_nxt_ = iss_ + 1U;
    // Our SYN and SYN-ACK carry no data, unless the Spec is the seed's
    // "data on SYN" variant, whose consequence the explorer shows.
    if (S.syn_payload == model::SynPayload::Deliver && state_ == model::State::SynSent) {
      const std::size_t n = std::min({sendq_.size(), static_cast<std::size_t>(config_.mss),
                                      payload.size()});
      sendq_.copy_out(0, payload.first(n));
      syn.payload = payload.first(n);
      snd_nxt_ += static_cast<std::uint32_t>(n);
      if (model::after(snd_nxt_, snd_max_)) snd_max_ = snd_nxt_;
    }
    ack_now_ = false;
    sent_sequence_space(now, iss_);
    return syn;
  }

  // Octets of the send queue start after our SYN; this many are sent.
  std::size_t sent_octets() const {
    const Seq data_start = syn_acked_ ? snd_una_ : snd_una_ + 1U;
    return model::after(snd_nxt_, data_start) ? model::distance(data_start, snd_nxt_) : 0;
  }

  std::optional<Seg> transmit_data(Time now, std::span<std::byte> payload) {
    if (sack_recovery_) return transmit_sack_recovery(now, payload);
    if (fast_retransmit_) {
      fast_retransmit_ = false;
      if (auto seg = transmit_first_unacknowledged(now, payload)) return seg;
    }
    return transmit_new_data(now, payload, std::nullopt);
  }

  // Data from SND.NXT (new, or resent after a timeout moved SND.NXT back),
  // as far as the windows allow and at most `cap` octets.
  std::optional<Seg> transmit_new_data(Time now, std::span<std::byte> payload,
                                       std::optional<std::uint32_t> cap) {
    // Going back after a timeout, octets SACKed since are not resent.
    if (sack_ok_ && model::before(snd_nxt_, snd_max_)) cap = skip_sacked(cap);
    const std::size_t sent = std::min(sent_octets(), sendq_.size());
    const std::size_t unsent = sendq_.size() - sent;
    const std::uint32_t in_flight = model::distance(snd_una_, snd_nxt_);
    // RFC 5681 section 3: at most min(cwnd, rwnd) outstanding.
    // In SACK recovery cwnd is weighed against pipe instead (RFC 6675 (C)).
    const std::uint32_t window =
        cc_on() && !sack_recovery_ ? std::min(snd_wnd_, cwnd_ + limited_transmit()) : snd_wnd_;
    std::size_t usable = window > in_flight ? window - in_flight : 0;
    if (cap) usable = std::min<std::size_t>(usable, *cap);
    if (probe_ && unsent > 0 && usable == 0) usable = 1;  // zero-window probe
    if (unsent > 0 && usable == 0 && !rtx_deadline_) {
      rtx_deadline_ = now + rto_.rto();  // the persist timer: probe when it fires
    }
    const std::size_t n =
        std::min({unsent, usable, static_cast<std::size_t>(send_mss()), payload.size()});
    // Our FIN follows the last queued octet: sent once, and again after a
    // retransmission timeout moved SND.NXT back before it.
    const bool send_fin = fin_queued_ && n == unsent &&
                          (!fin_sent_ || model::before(snd_nxt_ + static_cast<std::uint32_t>(n),
                                                       snd_max_));
    if (n == 0 && !send_fin) return std::nullopt;
    if (nagle_holds(n, unsent)) return std::nullopt;
    probe_ = false;
    Seg seg = base_segment();
    seg.seq = snd_nxt_;
    seg.ack = rcv_nxt_;
    seg.flags.ack = true;
    seg.flags.psh = n > 0 && n == unsent;
    seg.flags.fin = send_fin;
    sendq_.copy_out(sent, payload.first(n));
    seg.payload = payload.first(n);
    seg.window = advertise();
    stamp(seg, now);
    if (model::before(snd_nxt_, snd_max_)) {
      counters_.retransmitted_octets +=
          std::min<std::size_t>(n, model::distance(snd_nxt_, snd_max_));
    }
    const Seq first = snd_nxt_;
    snd_nxt_ += static_cast<std::uint32_t>(n) + (send_fin ? 1U : 0U);
    if (send_fin) fin_sent_ = true;
    if (model::after(snd_nxt_, snd_max_)) snd_max_ = snd_nxt_;
    acked_now();
    sent_sequence_space(now, first);
    return seg;
  }

  std::optional<Seg> transmit_ack(Time now) {
    Seg ack = base_segment();
    ack.seq = snd_nxt_;
    ack.ack = rcv_nxt_;
    ack.flags.ack = true;
    ack.window = advertise();
    stamp(ack, now);
    acked_now();
    return ack;
  }

  // RFC 9293 3.7.4: while data is unacknowledged, a segment shorter than
  // SMSS that would end the queued data waits for the ACK or for more
  // data. A retransmission, a window probe and the data before our FIN are
  // never held.
  bool nagle_holds(std::size_t n, std::size_t unsent) const {
    return config_.features.nagle && !fin_queued_ && !probe_ && n > 0 && n == unsent &&
           n < send_mss() && snd_nxt_ == snd_max_ && model::after(snd_max_, snd_una_);
  }

  // RFC 5681 3.2 step 2 and RFC 6582 3.2 step 5: one segment from
  // SND.UNA, sent again without moving SND.NXT (new data goes on after it).
  std::optional<Seg> transmit_first_unacknowledged(Time now, std::span<std::byte> payload) {
    if (!syn_acked_ || snd_una_ == snd_max_) return std::nullopt;
    return transmit_range(now, payload, snd_una_, model::distance(snd_una_, snd_max_));
  }

  // One segment of already sent sequence space from `from`, within
  // `limit` octets of sequence space (our FIN included if it lies there),
  // sent again without moving SND.NXT.
  std::optional<Seg> transmit_range(Time now, std::span<std::byte> payload, Seq from,
                                    std::uint32_t limit) {
    if (!syn_acked_ || model::before(from, snd_una_) || !model::before(from, snd_max_)) {
      return std::nullopt;
    }
    const std::size_t outstanding =
        std::min<std::size_t>(sendq_.size(), model::distance(snd_una_, snd_max_) -
                                                 (fin_sent_ ? 1U : 0U));
    const std::size_t offset = model::distance(snd_una_, from);
    if (offset > outstanding) return std::nullopt;
    const std::size_t n = std::min({outstanding - offset, static_cast<std::size_t>(send_mss()),
                                    static_cast<std::size_t>(limit), payload.size()});
    const bool fin = fin_sent_ && offset + n == outstanding && n < limit;
    if (n == 0 && !fin) return std::nullopt;
    Seg seg = base_segment();
    seg.seq = from;
    seg.ack = rcv_nxt_;
    seg.flags.ack = true;
    seg.flags.fin = fin;
    sendq_.copy_out(offset, payload.first(n));
    seg.payload = payload.first(n);
    counters_.retransmitted_octets += n;
    seg.window = advertise();
    stamp(seg, now);
    acked_now();
    timing_.reset();  // Karn: the timed segment may be this one
    return seg;
  }

  // RFC 7323 3.2 and 4.3: once negotiated, every segment but a RST carries
  // our TSval and TS.Recent as TSecr; Last.ACK.sent follows what it acks.
  void stamp(Seg& seg, Time now) {
    if (sack_ok_) report_sack(seg);
    if (!ts_ok_) return;
    seg.timestamps = SegmentTimestamps{ts_value(now), ts_recent_};
    last_ack_sent_ = seg.ack;
  }

  // RFC 2018 section 4: while out-of-order data is held, every ACK reports
  // it, the block holding the latest arrival first, then the others from
  // the most recent on, as many as fit in 40 octets of options beside the
  // timestamps' 12 (RFC 2018 section 3: 3 blocks with them, 4 without).
  void report_sack(Seg& seg) const {
    const auto ranges = recv_.out_of_order();
    if (ranges.empty()) return;
    const std::size_t room = ts_ok_ ? 3 : 4;
    for (std::size_t rank = 0; rank < ranges.size() && seg.sack.count < room; ++rank) {
      for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (recv_.rank(i) != rank) continue;
        const Seq left = rcv_nxt_ + static_cast<std::uint32_t>(ranges[i].offset);
        seg.sack.push_back({left, left + static_cast<std::uint32_t>(ranges[i].length)});
      }
    }
  }

  // Every segment we send carries the current ACK.
  void acked_now() {
    ack_now_ = false;
    ack_deadline_.reset();
    full_segments_unacked_ = 0;
  }

  // Sequence space went out starting at `first`: arm the retransmission
  // and user timers, and time one segment at a time for the RTT (Karn).
  void sent_sequence_space(Time now, Seq first) {
    if (!rtx_deadline_) rtx_deadline_ = now + rto_.rto();
    if (!user_deadline_ && config_.user_timeout != 0) user_deadline_ = now + config_.user_timeout;
    // With timestamps every ACK gives a sample (rtt_from_echo) instead.
    if (P::kRttEstimation && !ts_ok_ && !timing_ && retries_ == 0 &&
        model::after(snd_nxt_, first) && snd_nxt_ == snd_max_) {
      timing_ = Timing{snd_nxt_, now};
    }
  }

  // Receiver-side silly window avoidance (RFC 9293 3.8.6.2.2): the right
  // edge moves only by at least min(half the buffer, one MSS), and never
  // back.
  // With window scaling the field carries the window shifted right, rounded
  // so that the right edge already offered never moves back (RFC 7323 2.4).
  std::uint32_t advertise() {
    const std::uint32_t w = advertised_window();
    if (rcv_wscale_ == 0) {
      rcv_adv_ = rcv_nxt_ + w;
      return w;
    }
    const std::uint32_t field = scaled_window_field(w, offered_window(), rcv_wscale_);
    rcv_adv_ = rcv_nxt_ + (field << rcv_wscale_);
    return field;
  }

  std::uint32_t advertised_window() const {
    const std::uint32_t free = static_cast<std::uint32_t>(recv_.window());
    const std::uint32_t current =
        model::after(rcv_adv_, rcv_nxt_) ? model::distance(rcv_nxt_, rcv_adv_) : 0;
    const std::uint32_t step = std::min<std::uint32_t>(
        static_cast<std::uint32_t>(ReceiveBuffer<typename P::ReceiveStorage,
                                                 P::kMaxOutOfOrderRanges>::capacity() / 2),
        config_.mss);
    const std::uint32_t w = free >= current + std::max<std::uint32_t>(step, 1) ? free : current;
    return std::min<std::uint32_t>(w, window_limit());
  }

  // RFC 7323 2.3: a scaled window reaches 65535 << shift (under 2^30).
  std::uint32_t window_limit() const {
    if (!ws_ok_) return kMaxUnscaledWindow;
    return std::min<std::uint32_t>(kMaxWindowField << rcv_wscale_, Seq::kHalf - 1);
  }

  unsigned retry_limit() const {
    return state_ == model::State::SynSent || state_ == model::State::SynReceived
               ? config_.max_syn_retries
               : config_.max_retries;
  }

  void raise(UserEvent e) { events_ |= static_cast<std::uint16_t>(1U << static_cast<unsigned>(e)); }

  // Without window scaling the window field has 16 bits; it must also stay
  // under half the sequence space (rules.hpp).
  static constexpr std::uint32_t kMaxUnscaledWindow =
      std::min<std::uint32_t>(65535, Seq::kHalf - 1);

  struct Timing {
    Seq seq;   // the ACK that completes the timed segment
    Time sent;
    bool operator==(const Timing&) const = default;
  };

  Config<P> config_;
  model::State state_ = model::State::Closed;
  FourTuple tuple_;
  bool passive_ = false;
  bool has_iss_ = false;
  bool syn_acked_ = false;

  // Send sequence space (RFC 9293 3.3.1). snd_nxt_ is the next octet to
  // (re)transmit; snd_max_ the highest ever sent, which is what the RFC's
  // SND.NXT means in the acceptability tests.
  Seq iss_;
  Seq snd_una_;
  Seq snd_nxt_;
  Seq snd_max_;
  std::uint32_t snd_wnd_ = 0;
  std::uint32_t max_snd_wnd_ = 0;
  Seq snd_wl1_;
  Seq snd_wl2_;
  std::uint16_t peer_mss_ = kDefaultPeerMss;
  bool fin_queued_ = false;
  bool fin_sent_ = false;
  bool probe_ = false;
  std::optional<Seq> next_iss_;

  // Receive sequence space.
  Seq irs_;
  Seq rcv_nxt_;
  Seq rcv_adv_;
  bool peer_fin_ = false;
  std::optional<Seq> queued_fin_;

  // Options the SYNs negotiated (RFC 7323, RFC 2018).
  bool ws_ok_ = false;
  bool ts_ok_ = false;
  bool sack_ok_ = false;
  std::uint8_t snd_wscale_ = 0;  // the peer's shift (RFC 7323 2.3)
  std::uint8_t rcv_wscale_ = 0;  // ours
  std::uint32_t ts_recent_ = 0;  // RFC 7323 4.3: TSval to echo
  Time ts_recent_stamp_{};       // when TS.Recent was recorded (RFC 7323 5.5)
  Seq last_ack_sent_;            // RFC 7323 4.3: Last.ACK.sent
  std::uint32_t ts_offset_ = 0;  // of our TSval clock (RFC 7323 7.1)

  // Congestion control (RFC 5681, RFC 6582), with Features::congestion_control.
  static constexpr std::uint32_t kMaxCwnd = 1U << 30;
  std::uint32_t cwnd_ = 0;
  std::uint32_t ssthresh_ = 0;
  Seq recover_;
  std::uint8_t dupacks_ = 0;
  bool in_recovery_ = false;
  bool fast_retransmit_ = false;  // one segment from SND.UNA is owed

  // SACK-based recovery (RFC 6675), with Features::sack and
  // congestion_control: the scoreboard of what the peer SACKed, and
  // HighRxt, one past the highest octet retransmitted in this recovery.
  SackScoreboard<Seq, P::kMaxSackedRanges> scoreboard_;
  Seq high_rxt_;
  bool sack_recovery_ = false;

  // Keep-alive (Features::keepalive): probes sent since the peer was last
  // heard from, and one owed.
  std::optional<Time> keepalive_deadline_;
  unsigned keepalive_probes_ = 0;
  bool keepalive_probe_ = false;

  ByteRing<typename P::SendStorage> sendq_;
  ReceiveBuffer<typename P::ReceiveStorage, P::kMaxOutOfOrderRanges> recv_;

  // Timers, as absolute deadlines.
  std::optional<Time> rtx_deadline_;
  std::optional<Time> user_deadline_;
  std::optional<Time> time_wait_deadline_;
  std::optional<Time> ack_deadline_;
  RtoEstimator<Time> rto_;
  unsigned retries_ = 0;
  std::optional<Timing> timing_;

  // What is owed to the peer and the user.
  bool ack_now_ = false;
  unsigned full_segments_unacked_ = 0;
  std::optional<Reply> reply_rst_;
  std::uint16_t events_ = 0;

  // RFC 5961 section 7 rate limiting, and counters for the runtime.
  std::optional<Time> challenge_window_start_;
  unsigned challenge_acks_in_window_ = 0;
  std::uint32_t challenge_acks_sent_ = 0;
  std::uint32_t challenge_acks_suppressed_ = 0;

  RowTrace trace_;
  ConnectionCounters counters_;
};

}  // namespace tcpmc::core

template <class P, const tcpmc::model::Spec& S>
struct std::hash<tcpmc::core::Connection<P, S>> {
  std::size_t operator()(const tcpmc::core::Connection<P, S>& c) const noexcept { return c.hash(); }
};
