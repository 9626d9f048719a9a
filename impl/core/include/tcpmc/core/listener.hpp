// A listening endpoint (RFC 9293 LISTEN) with the two queues the seed notes
// describe: the SYN queue of half-open connections (SYN received, SYN-ACK
// sent) and the accept queue of established connections the user has not
// taken yet, each bounded by the user's backlog. When the SYN queue is
// full, SYN cookies (syn_cookie.hpp) answer without keeping anything; when
// the accept queue is full, the ACK that would complete a handshake is
// dropped, as Linux does by default, so the peer's retransmission is served
// once the user accepts.
//
// Every transition is still the table's: a SYN goes to a copy of a LISTEN
// connection, and a segment for a half-open entry goes to the entry turned
// back into a SYN-RECEIVED connection. The Listener only files the results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/mss.hpp>
#include <tcpmc/core/syn_cookie.hpp>

namespace tcpmc::core {

struct Backlog {
  std::size_t syn_queue = 256;    // half-open connections kept
  std::size_t accept_queue = 128; // established connections waiting for accept()
  bool operator==(const Backlog&) const = default;
};

// One counter for every way a segment is answered or dropped.
struct ListenerCounters {
  std::uint64_t syns = 0;                    // connection requests seen
  std::uint64_t syn_acks_sent = 0;           // SYN-ACKs for SYN-queue entries
  std::uint64_t syn_ack_retransmits = 0;
  std::uint64_t half_open_timeouts = 0;      // entries whose retries ran out
  std::uint64_t half_open_resets = 0;        // entries ended by RST or SYN (RFC 9293)
  std::uint64_t syn_queue_overflows = 0;     // SYNs that found the SYN queue full
  std::uint64_t syns_dropped = 0;            // ... and got no answer (cookies off)
  std::uint64_t cookies_sent = 0;
  std::uint64_t cookies_validated = 0;
  std::uint64_t cookies_rejected = 0;        // bad hash or too old: dropped
  std::uint64_t accept_queue_overflows = 0;  // completing ACKs dropped
  std::uint64_t established = 0;             // connections put in the accept queue
  std::uint64_t accepted = 0;
  std::uint64_t resets_sent = 0;             // e.g. an ACK for no connection
  bool operator==(const ListenerCounters&) const = default;
};

template <class P, const model::Spec& S = model::kRfc9293>
class Listener {
 public:
  using C = Connection<P, S>;
  using Seq = typename C::Seq;
  using Seg = typename C::Seg;
  using Time = typename P::Time;

  // A cookie tick lasts 64 seconds (Linux uses the same coarse clock).
  static constexpr Time kCookieTick = 64 * P::kSecond;

  Listener(Endpoint local, Backlog backlog, const Config<P>& config, bool syn_cookies = true)
      : local_(local), backlog_(backlog), config_(config), cookies_(syn_cookies), listen_(config),
        listen_cookie_(without_options(config)) {
    listen_.open_passive(0, local);
    listen_cookie_.open_passive(0, local);
  }

  void on_segment(Time now, const Seg& seg) {
    const FourTuple tuple{local_, seg.source};
    if (auto it = half_open_.find(tuple); it != half_open_.end()) {
      to_half_open(now, seg, it);
      return;
    }
    // Established but not yet accepted: the connection runs on (data and
    // a FIN may arrive before the user calls accept).
    for (C& c : accept_) {
      if (c.tuple() == tuple) {
        c.on_segment(now, seg);
        collect(c, now);
        return;
      }
    }
    if (cookies_ && might_carry_cookie(seg, now) && try_cookie(now, seg, tuple)) return;
    C c = listen_;
    c.on_segment(now, seg);
    if (c.state() != model::State::SynReceived) {  // RST ignored, ACK answered by RST, ...
      counters_.resets_sent += collect(c, now);
      return;
    }
    ++counters_.syns;
    if (half_open_.size() < backlog_.syn_queue) {
      counters_.syn_acks_sent += collect(c, now);
      if (auto entry = c.half_open_entry()) half_open_.emplace(tuple, *entry);
      return;
    }
    ++counters_.syn_queue_overflows;
    if (!cookies_) {
      ++counters_.syns_dropped;
      return;
    }
    // The same SYN again, into a LISTEN connection told to choose the
    // cookie as its ISS; its SYN-ACK goes out and the connection is dropped.
    C stateless = listen_cookie_;
    const std::uint16_t mss = seg.mss.value_or(kDefaultPeerMss);
    stateless.use_iss(Seq(make_cookie(tuple, seg.seq.raw(), mss,
                                      static_cast<std::uint32_t>(tick(now)), config_.isn_secret)));
    stateless.on_segment(now, seg);
    collect(stateless, now);
    ++counters_.cookies_sent;
    last_cookie_tick_ = tick(now);
  }

  // SYN-ACK retransmission for half-open entries, by the table's
  // RetransmissionTimeout rows (with the retry limit as their guard).
  void on_timer(Time now) {
    for (auto it = half_open_.begin(); it != half_open_.end();) {
      if (it->second.deadline > now) {
        ++it;
        continue;
      }
      C c = C::restore(it->second, config_);
      c.on_timer(now);
      counters_.syn_ack_retransmits += collect(c, now);
      if (auto entry = c.half_open_entry()) {
        it->second = *entry;
        ++it;
      } else {
        ++counters_.half_open_timeouts;
        it = half_open_.erase(it);
      }
    }
    for (C& c : accept_) {
      c.on_timer(now);
      collect(c, now);
    }
  }

  std::optional<Time> next_deadline() const {
    std::optional<Time> next;
    for (const auto& [tuple, e] : half_open_) {
      if (!next || e.deadline < *next) next = e.deadline;
    }
    for (const C& c : accept_) {
      if (auto d = c.next_deadline(); d && (!next || *d < *next)) next = d;
    }
    return next;
  }

  std::optional<Seg> poll_transmit(Time /*now*/, std::span<std::byte> /*payload*/) {
    if (out_.empty()) return std::nullopt;
    Seg s = out_.front();
    out_.pop_front();
    return s;
  }

  // The oldest established connection, handed to the user.
  std::optional<C> accept() {
    if (accept_.empty()) return std::nullopt;
    C c = std::move(accept_.front());
    accept_.pop_front();
    ++counters_.accepted;
    return c;
  }

  std::size_t syn_queue_size() const { return half_open_.size(); }
  std::size_t accept_queue_size() const { return accept_.size(); }
  const ListenerCounters& counters() const { return counters_; }
  Endpoint local() const { return local_; }

  bool operator==(const Listener&) const = default;

 private:
  using Queue = std::unordered_map<FourTuple, HalfOpenEntry<P>, FourTupleHash>;

  Time tick(Time now) const { return now / kCookieTick; }

  // A cookie encodes only the MSS (syn_cookie.hpp). Window scaling, SACK-
  // permitted and timestamps need state that would be lost: offering a
  // shift and forgetting it would make the peer read our windows too large
  // (RFC 7323 2.2), so a cookie's SYN-ACK offers none of them and its
  // connection runs without. (Linux keeps them by encoding them in the
  // low bits of the SYN-ACK's TSval when the SYN has timestamps; not done
  // here yet.)
  static Config<P> without_options(Config<P> config) {
    config.features.window_scaling = false;
    config.features.timestamps = false;
    config.features.sack = false;
    return config;
  }

  // A bare ACK while cookies were recently sent may be a cookie coming back.
  bool might_carry_cookie(const Seg& seg, Time now) const {
    return seg.flags.ack && !seg.flags.syn && !seg.flags.rst && last_cookie_tick_ &&
           tick(now) - *last_cookie_tick_ <= kCookieMaxAgeTicks;
  }

  // Builds the connection a valid cookie stands for and lets the ACK
  // complete it; an invalid or stale cookie is dropped. True if the segment
  // was consumed either way.
  bool try_cookie(Time now, const Seg& seg, const FourTuple& tuple) {
    const Seq peer_isn = seg.seq - 1U;
    const auto content = check_cookie((seg.ack - 1U).raw(), tuple, peer_isn.raw(),
                                      static_cast<std::uint32_t>(tick(now)), config_.isn_secret);
    if (!content) {
      ++counters_.cookies_rejected;
      return true;
    }
    HalfOpenEntry<P> entry{tuple, seg.ack - 1U, peer_isn, seg.window, content->mss, 0,
                           now + config_.rto.initial};
    C c = C::restore(entry, config_);
    c.on_segment(now, seg);
    if (!file_established(c, now)) return true;
    ++counters_.cookies_validated;
    return true;
  }

  void to_half_open(Time now, const Seg& seg, typename Queue::iterator it) {
    C c = C::restore(it->second, config_);
    c.on_segment(now, seg);
    const model::State s = c.state();
    if (s == model::State::SynReceived) {
      collect(c, now);
      if (auto entry = c.half_open_entry()) it->second = *entry;
      return;
    }
    if (s == model::State::Established || s == model::State::CloseWait) {
      if (file_established(c, now)) half_open_.erase(it);
      return;
    }
    collect(c, now);  // reset, or sent back to LISTEN: the entry goes
    ++counters_.half_open_resets;
    half_open_.erase(it);
  }

  // Puts a connection that just completed its handshake into the accept
  // queue, or drops the completing segment if the queue is full.
  bool file_established(C& c, Time now) {
    if (c.state() != model::State::Established && c.state() != model::State::CloseWait) {
      collect(c, now);
      return false;
    }
    if (accept_.size() >= backlog_.accept_queue) {
      ++counters_.accept_queue_overflows;
      return false;
    }
    collect(c, now);
    accept_.push_back(std::move(c));
    ++counters_.established;
    return true;
  }

  // Moves what `c` has to send to the listener's output; returns how many.
  std::uint64_t collect(C& c, Time now) {
    std::uint64_t n = 0;
    std::byte none[1];
    while (auto s = c.poll_transmit(now, std::span<std::byte>(none, 0))) {
      out_.push_back(*s);
      ++n;
    }
    return n;
  }

  Endpoint local_;
  Backlog backlog_;
  Config<P> config_;
  bool cookies_;
  C listen_;  // a connection in LISTEN, copied for every new SYN
  C listen_cookie_;  // the same without options, for SYNs answered by a cookie
  Queue half_open_;
  std::deque<C> accept_;
  std::deque<Seg> out_;
  std::optional<Time> last_cookie_tick_;
  ListenerCounters counters_;
};

}  // namespace tcpmc::core
