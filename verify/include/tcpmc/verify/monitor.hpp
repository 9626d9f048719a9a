// Watches one Connection from outside, call by call, and reports the first
// broken invariant (invariants.hpp). It sees only what the connection shows
// a caller: its state, the rows its last call fired, what it sends and what
// it delivers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <tcpmc/core/connection.hpp>
#include <tcpmc/verify/invariants.hpp>

namespace tcpmc::verify {

template <class C>
class ConnectionMonitor {
 public:
  using Time = typename C::Time;
  using Seg = typename C::Seg;
  using Seq = typename C::Seq;

  // `peer_byte(seq)` is what the peer's stream holds at sequence number
  // seq: the monitor checks every delivered byte against it.
  ConnectionMonitor(std::byte (*peer_byte)(Seq), Time two_msl)
      : peer_byte_(peer_byte), two_msl_(two_msl) {}

  const std::optional<Violation>& violation() const { return violation_; }

  // After any call on `c` that started in `before`, at time `now`.
  void after_call(const C& c, model::State before, Time now) {
    if (!c.last_rows_complete()) {
      fail(Invariant::StatesFollowTable, rows_cut(core::RowTrace::kMax));
      return;
    }
    model::State at = before;
    for (std::uint16_t index : c.last_rows()) {
      const model::Row& row = C::kSpec.row(index);
      if (!row.from.contains(at) || !row.fires()) {
        fail(Invariant::StatesFollowTable,
             "row " + std::to_string(index) + " fired in " + std::string(model::name(at)));
        return;
      }
      const model::State to = row.to.resolve(at);
      // A SYN taken starts the peer's stream at IRS + 1.
      if (row.acts.contains(model::Act::AcceptSyn)) next_delivered_ = c.irs() + 1U;
      if (row.acts.contains(model::Act::StartTimeWait)) time_wait_started_ = now;
      if (at == model::State::TimeWait && to == model::State::Closed &&
          row.event != model::Event::Abort && time_wait_started_ &&
          now - *time_wait_started_ < two_msl_) {
        fail(Invariant::TimeWaitLasts2Msl,
             "left TIME-WAIT " + std::to_string(now - *time_wait_started_) + " after its start");
        return;
      }
      if (at != to && to == model::State::TimeWait && !time_wait_started_) {
        time_wait_started_ = now;
      }
      at = to;
    }
    if (at != c.state()) {
      fail(Invariant::StatesFollowTable, std::string(model::name(before)) + " -> " +
                                             std::string(model::name(c.state())) +
                                             " is not what the fired rows lead to");
    }
    if (c.state() != model::State::TimeWait) time_wait_started_.reset();
  }

  void sent(const Seg& s) {
    if (s.flags.syn && !s.payload.empty()) {
      fail(Invariant::NoDataOnSyn, std::to_string(s.payload.size()) + " bytes on our SYN");
    }
  }

  // Bytes the user received, in order.
  void delivered(std::span<const std::byte> bytes) {
    for (std::byte b : bytes) {
      if (!next_delivered_) {
        fail(Invariant::NoByteDeliveredTwice, "data delivered before any SYN was taken");
        return;
      }
      if (b != peer_byte_(*next_delivered_)) {
        fail(Invariant::NoByteDeliveredTwice,
             "byte for sequence number " + std::to_string(next_delivered_->raw()) +
                 " is not the peer's");
        return;
      }
      *next_delivered_ += 1U;
    }
  }

 private:
  void fail(Invariant i, std::string detail) {
    if (!violation_) violation_ = Violation{i, std::move(detail)};
  }

  std::byte (*peer_byte_)(Seq);
  std::optional<Violation> violation_;
  std::optional<Time> time_wait_started_;
  Time two_msl_;
  std::optional<Seq> next_delivered_;
};

}  // namespace tcpmc::verify
