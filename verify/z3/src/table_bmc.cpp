// The table level's Stepper as formulas (table_bmc.hpp says why and how),
// then bounded model checking and k-induction over them.
//
// The rendering is symbolic execution with a path condition: `when(c, f)`
// runs f's assignments only where c holds (each `set` is
// x := ite(guard, v, x)), so the code below reads like table::Stepper's,
// branch for branch, with every branch taken under its condition instead
// of one chosen. Loops run to their static bound (the network's size, the
// passes of transmit) under the loop's own condition.
#include <tcpmc/verify/z3/table_bmc.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <tcpmc/model/rules.hpp>
#include <tcpmc/verify/z3/expr.hpp>

namespace tcpmc::verify::z3 {
namespace {

using ::z3::expr;
using explore::Step;
using model::Act;
using model::Event;
using model::State;
using table::End;
using table::Seg;
using table::Sys;

// Where each field lies in Sys's bytes.
namespace at_end {
constexpr std::size_t state = offsetof(End, state), passive = offsetof(End, passive),
                      has_iss = offsetof(End, has_iss), syn_acked = offsetof(End, syn_acked),
                      fin_queued = offsetof(End, fin_queued), fin_sent = offsetof(End, fin_sent),
                      peer_fin = offsetof(End, peer_fin), iss_tag = offsetof(End, iss_tag),
                      snd_una = offsetof(End, snd_una), snd_nxt = offsetof(End, snd_nxt),
                      snd_max = offsetof(End, snd_max), queued = offsetof(End, queued),
                      irs_tag = offsetof(End, irs_tag), rcv_nxt = offsetof(End, rcv_nxt),
                      rcv_adv = offsetof(End, rcv_adv), queued_fin = offsetof(End, queued_fin),
                      readable = offsetof(End, readable), rbuf = offsetof(End, rbuf),
                      retries = offsetof(End, retries), rto = offsetof(End, rto),
                      rtx_left = offsetof(End, rtx_left), tw_left = offsetof(End, tw_left),
                      chal_age = offsetof(End, chal_age), chal_count = offsetof(End, chal_count);
}  // namespace at_end
namespace at_seg {
constexpr std::size_t to_server = offsetof(Seg, to_server), flags = offsetof(Seg, flags),
                      seq_tag = offsetof(Seg, seq_tag), seq_off = offsetof(Seg, seq_off),
                      ack_tag = offsetof(Seg, ack_tag), ack_off = offsetof(Seg, ack_off),
                      payload = offsetof(Seg, payload), age = offsetof(Seg, age),
                      incarnation = offsetof(Seg, incarnation), injected = offsetof(Seg, injected);
}  // namespace at_seg
namespace at_ghost {
using explore::Ghost;
constexpr std::size_t incarnation = offsetof(Ghost, incarnation),
                      peer_incarnation = offsetof(Ghost, peer_incarnation),
                      sent = offsetof(Ghost, sent), delivered = offsetof(Ghost, delivered),
                      time_wait_age = offsetof(Ghost, time_wait_age),
                      closed = offsetof(Ghost, closed), aborted = offsetof(Ghost, aborted),
                      reset = offsetof(Ghost, reset), timed_out = offsetof(Ghost, timed_out);
}  // namespace at_ghost
namespace at_sys {
constexpr std::size_t client = offsetof(Sys, client), server = offsetof(Sys, server),
                      net = offsetof(Sys, net), in_flight = offsetof(Sys, in_flight),
                      elapsed = offsetof(Sys, elapsed), client_iss_at = offsetof(Sys, client_iss_at),
                      server_iss_at = offsetof(Sys, server_iss_at),
                      client_iss = offsetof(Sys, client_iss), server_iss = offsetof(Sys, server_iss),
                      injections = offsetof(Sys, injections), losses = offsetof(Sys, losses),
                      duplicates = offsetof(Sys, duplicates), aborts = offsetof(Sys, aborts),
                      cg = offsetof(Sys, cg), sg = offsetof(Sys, sg),
                      from_client = offsetof(Sys, from_client);
}  // namespace at_sys

// A record inside a vector of byte expressions: Sys, or a Seg held apart.
struct Rec {
  std::vector<expr>* bytes;
  std::size_t base;
  expr& operator[](std::size_t field) const { return (*bytes)[base + field]; }
};

std::vector<expr> zero_bytes(::z3::context& c, std::size_t n) {
  std::vector<expr> v;
  v.reserve(n);
  for (std::size_t i = 0; i < n; ++i) v.push_back(c.bv_val(0, 8));
  return v;
}

expr any_of(::z3::context& c, model::StateSet set, const expr& state) {
  expr r = c.bool_val(false);
  for (State s : model::kAllStates) {
    if (set.contains(s)) r = r || state == c.bv_val(static_cast<unsigned>(s), 8);
  }
  return r;
}

// One application of the Stepper: the state, the path condition and what
// the Stepper keeps in members while it applies a move.
class Exec {
 public:
  Exec(::z3::context& c, const model::Spec& spec, const explore::Bounds& b,
       std::optional<Invariant> only, SymbolicSys s)
      : c_(c), spec_(spec), b_(b), only_(only), s_(std::move(s)), guard_(c.bool_val(true)),
        violation_(u8(0)), invalid_(c.bool_val(false)), floor_(c.bool_val(false)),
        ack_now_(c.bool_val(false)), rst_owed_(c.bool_val(false)), rst_(zero_bytes(c, sizeof(Seg))),
        signal_reset_(c.bool_val(false)), signal_timed_out_(c.bool_val(false)),
        incoming_(c.bool_val(false)), incoming_seg_(zero_bytes(c, sizeof(Seg))) {}

  SymbolicSys& sys() { return s_; }
  const expr& violation() const { return violation_; }
  const expr& invalid() const { return invalid_; }

  // Stepper::initial: the server's user listens.
  void initial() {
    fresh(end(false));
    fresh(end(true));
    call(true, [&] { fire(true, event(Event::OpenPassive), true); });
  }

  expr enabled(const expr& kind, const expr& index) {
    const Rec cl = end(false), sv = end(true), cg = ghost(false), sg = ghost(true);
    expr any = c_.bool_val(false);
    const auto move = [&](Step k, unsigned i, const expr& when_enabled) {
      any = any || (kind == u8(static_cast<unsigned>(k)) && index == u8(i) && when_enabled);
    };
    const expr in_flight = sys(at_sys::in_flight);
    for (unsigned i = 0; i < b_.in_flight; ++i) {
      expr listed = ult(u8(i), in_flight);
      if (i > 0) listed = listed && !seg_equal(slot(i), slot(i - 1));
      move(Step::Deliver, i, listed);
      move(Step::Drop, i, listed && ult(sys(at_sys::losses), u8(b_.losses)));
      move(Step::Duplicate, i,
           listed && ult(sys(at_sys::duplicates), u8(b_.duplicates)) &&
               ult(in_flight, u8(b_.in_flight)));
    }
    move(Step::Tick, 0, ult(sys(at_sys::elapsed), u8(b_.ticks)));
    const auto may_send = [&](const expr& st) {
      return st == state(State::Established) || st == state(State::CloseWait) ||
             st == state(State::LastAck);
    };
    const bool syn_data = spec_.syn_payload == model::SynPayload::Deliver;
    const expr c = cl[at_end::state], v = sv[at_end::state];
    const expr never = u8(Sys::kNever);
    move(Step::ClientConnect, 0,
         c == state(State::Closed) && ult(cg[at_ghost::incarnation], u8(1 + b_.reconnects)) &&
             ult(cg[at_ghost::incarnation], u8(explore::kMaxIncarnations - 1)) &&
             (sys(at_sys::client_iss_at) == never ||
              ugt(sys(at_sys::elapsed), sys(at_sys::client_iss_at))));
    move(Step::ClientSend, 0,
         (may_send(c) || (syn_data ? c == state(State::SynSent) : c_.bool_val(false))) &&
             ult(cg[at_ghost::sent], u8(b_.bytes)) && cg[at_ghost::closed] == u8(0));
    move(Step::ClientClose, 0,
         may_send(c) && cg[at_ghost::sent] == u8(b_.bytes) && cg[at_ghost::closed] == u8(0));
    move(Step::ClientAbort, 0, ult(sys(at_sys::aborts), u8(b_.aborts)) && c != state(State::Closed));
    move(Step::ServerListen, 0,
         v == state(State::Closed) && (sys(at_sys::server_iss_at) == never ||
                                       ugt(sys(at_sys::elapsed), sys(at_sys::server_iss_at))));
    move(Step::ServerSend, 0,
         may_send(v) && ult(sg[at_ghost::sent], u8(b_.bytes)) && sg[at_ghost::closed] == u8(0));
    move(Step::ServerClose, 0,
         may_send(v) && sg[at_ghost::sent] == u8(b_.bytes) && sg[at_ghost::closed] == u8(0));
    move(Step::ServerAbort, 0,
         ult(sys(at_sys::aborts), u8(b_.aborts)) && v != state(State::Closed) &&
             v != state(State::Listen));
    const expr attacker = ult(sys(at_sys::injections), u8(b_.injections));
    for (const bool to_server : {false, true}) {
      const expr st = to_server ? v : c;
      const expr open = st != state(State::Closed) && st != state(State::Listen) &&
                        st != state(State::SynSent);
      move(Step::Inject, to_server ? 1 : 0, attacker && open);
      move(Step::Inject, to_server ? 3 : 2, attacker && open);
    }
    return any;
  }

  // Stepper::apply, for a move known to be enabled.
  void apply(const expr& kind, const expr& index) {
    const auto is = [&](Step k) { return kind == u8(static_cast<unsigned>(k)); };
    // The segment that arrives, if one does: the delivered one, taken
    // before it leaves the network, or the attacker's.
    const std::vector<expr> delivered = select(index);
    const std::vector<expr> injected = injection(index);
    std::vector<expr> arriving;
    for (std::size_t f = 0; f < sizeof(Seg); ++f) {
      arriving.push_back(::z3::ite(is(Step::Deliver), delivered[f], injected[f]));
    }
    const expr arrives = is(Step::Deliver) || is(Step::Inject);

    // What happens before the calls.
    when(is(Step::Deliver), [&] { remove(index); });
    when(is(Step::Drop), [&] {
      remove(index);
      inc(sys(at_sys::losses));
    });
    when(is(Step::Duplicate), [&] {
      add(delivered);
      inc(sys(at_sys::duplicates));
    });
    when(is(Step::Tick), [&] { tick_before_calls(); });
    when(is(Step::ClientConnect), [&] {
      const expr next = ghost(false)[at_ghost::incarnation] + u8(1);
      fresh_ghost(ghost(false), next);
    });
    when(is(Step::ClientSend), [&] { inc(ghost(false)[at_ghost::sent]); });
    when(is(Step::ClientClose), [&] { set(ghost(false)[at_ghost::closed], u8(1)); });
    when(is(Step::ClientAbort), [&] {
      set(ghost(false)[at_ghost::aborted], u8(1));
      inc(sys(at_sys::aborts));
    });
    when(is(Step::ServerListen), [&] {
      const expr same = ghost(true)[at_ghost::incarnation];
      fresh_ghost(ghost(true), same);
    });
    when(is(Step::ServerSend), [&] { inc(ghost(true)[at_ghost::sent]); });
    when(is(Step::ServerClose), [&] { set(ghost(true)[at_ghost::closed], u8(1)); });
    when(is(Step::ServerAbort), [&] {
      set(ghost(true)[at_ghost::aborted], u8(1));
      inc(sys(at_sys::aborts));
    });
    when(is(Step::Inject), [&] { inc(sys(at_sys::injections)); });

    // The calls: the client's, then the server's (the order of a tick).
    for (const bool server : {false, true}) {
      const Step connect = server ? Step::ServerListen : Step::ClientConnect;
      const Step send = server ? Step::ServerSend : Step::ClientSend;
      const Step close = server ? Step::ServerClose : Step::ClientClose;
      const Step abort = server ? Step::ServerAbort : Step::ClientAbort;
      const expr user = is(connect) || is(send) || is(close) || is(abort);
      const expr to_me = arriving[at_seg::to_server] == u8(server ? 1 : 0);
      const expr here = arrives && to_me;
      when(user || is(Step::Tick) || here, [&] {
        incoming_ = here;
        incoming_seg_ = arriving;
        call(server, [&] {
          const Rec c = end(server);
          // The first event: the user's call, the 2MSL timer, or the
          // segment's class.
          const expr user_event = ::z3::ite(
              is(connect), event(server ? Event::OpenPassive : Event::OpenActive),
              ::z3::ite(is(send), event(Event::Send),
                        ::z3::ite(is(close), event(Event::Close), event(Event::Abort))));
          const expr tw_fires =
              c[at_end::tw_left] != u8(0) && ule(c[at_end::tw_left], u8(1));
          when(is(Step::Tick) && c[at_end::tw_left] != u8(0) && !tw_fires,
               [&] { set(c[at_end::tw_left], c[at_end::tw_left] - u8(1)); });
          when(is(Step::Tick) && tw_fires, [&] { set(c[at_end::tw_left], u8(0)); });
          const expr first =
              ::z3::ite(here, classify(c[at_end::state], arriving, c),
                        ::z3::ite(is(Step::Tick), event(Event::TimeWaitTimeout), user_event));
          segment_ = arriving;
          has_segment_ = here;
          when(user || here || tw_fires, [&] { fire(server, first, true); });
          // Then the retransmission timer, or a FIN kept behind a hole.
          when(is(Step::Tick) && c[at_end::rtx_left] != u8(0), [&] {
            const expr fires = ule(c[at_end::rtx_left], u8(1));
            when(!fires, [&] { set(c[at_end::rtx_left], c[at_end::rtx_left] - u8(1)); });
            when(fires, [&] {
              set(c[at_end::rtx_left], u8(0));
              has_segment_ = c_.bool_val(false);
              fire(server, event(Event::RetransmissionTimeout), true);
            });
          });
          when(here && c[at_end::queued_fin] != u8(0) &&
                   c[at_end::queued_fin] - u8(1) == c[at_end::rcv_nxt] &&
                   any_of(c_, model::states::kSynchronized, c[at_end::state]),
               [&] {
                 std::vector<expr> fin = zero_bytes(c_, sizeof(Seg));
                 fin[at_seg::to_server] = arriving[at_seg::to_server];
                 fin[at_seg::flags] = u8(2 | 4);
                 fin[at_seg::seq_tag] = c[at_end::irs_tag];
                 fin[at_seg::seq_off] = c[at_end::rcv_nxt];
                 fin[at_seg::ack_tag] = c[at_end::iss_tag];
                 fin[at_seg::ack_off] = c[at_end::snd_una];
                 fin[at_seg::incarnation] = arriving[at_seg::incarnation];
                 set(c[at_end::queued_fin], u8(0));
                 segment_ = fin;
                 has_segment_ = c_.bool_val(true);
                 fire(server, classify(c[at_end::state], fin, c), true);
               });
        });
        incoming_ = c_.bool_val(false);
      });
    }

    when(is(Step::ClientConnect), [&] { new_iss(false); });
    sort_network();
    when(violation_ == u8(0), [&] { check_agreement(); });
  }

 private:
  ::z3::context& c_;
  const model::Spec& spec_;
  explore::Bounds b_;
  std::optional<Invariant> only_;
  SymbolicSys s_;
  expr guard_;
  expr violation_;
  expr invalid_;
  expr floor_;  // NewIncarnation: the next ISS is above the old incarnation's
  // What a call owes at its end (Stepper::Owed).
  expr ack_now_;
  expr rst_owed_;
  std::vector<expr> rst_;
  expr signal_reset_;
  expr signal_timed_out_;
  // The segment that arrived in this call (Stepper::incoming_), and the
  // one the current firing reads (the arrived one, or a FIN kept behind a
  // hole).
  expr incoming_;
  std::vector<expr> incoming_seg_;
  expr has_segment_{c_.bool_val(false)};
  std::vector<expr> segment_{zero_bytes(c_, sizeof(Seg))};

  // --- Helpers --------------------------------------------------------------------

  expr u8(unsigned v) const { return c_.bv_val(v, 8); }
  expr state(State s) const { return u8(static_cast<unsigned>(s)); }
  expr event(Event e) const { return u8(static_cast<unsigned>(e)); }
  static expr bit(const expr& b) { return b != b.ctx().bv_val(0, 8); }
  expr byte(const expr& b) const { return ::z3::ite(b, u8(1), u8(0)); }
  static expr ult(const expr& a, const expr& b) { return ::z3::ult(a, b); }
  static expr ule(const expr& a, const expr& b) { return ::z3::ule(a, b); }
  static expr ugt(const expr& a, const expr& b) { return ::z3::ugt(a, b); }
  static expr umin(const expr& a, const expr& b) { return ::z3::ite(ult(a, b), a, b); }
  static expr umax(const expr& a, const expr& b) { return ::z3::ite(ult(a, b), b, a); }
  // The Stepper's int arithmetic, where a difference may go negative.
  static expr wide(const expr& a) { return ::z3::zext(a, 8); }
  expr i16(int v) const { return c_.bv_val(v, 16); }

  expr& sys(std::size_t field) { return s_[field]; }
  Rec end(bool server) { return {&s_, server ? at_sys::server : at_sys::client}; }
  Rec ghost(bool server) { return {&s_, server ? at_sys::sg : at_sys::cg}; }
  Rec slot(unsigned i) { return {&s_, at_sys::net + i * sizeof(Seg)}; }
  static Rec rec(std::vector<expr>& seg) { return {&seg, 0}; }

  void set(expr& x, const expr& v) { x = ::z3::ite(guard_, v, x); }
  void inc(expr& x) { set(x, x + u8(1)); }
  template <class F>
  void when(const expr& cond, F&& f) {
    const expr saved = guard_;
    guard_ = guard_ && cond;
    f();
    guard_ = saved;
  }

  void fail(Invariant i) {
    if (only_ && i != *only_) return;
    violation_ =
        ::z3::ite(guard_ && violation_ == u8(0), u8(static_cast<unsigned>(i) + 1), violation_);
  }

  expr seg_equal(const Rec& a, const Rec& b) const {
    expr r = c_.bool_val(true);
    for (std::size_t f = 0; f < sizeof(Seg); ++f) r = r && a[f] == b[f];
    return r;
  }

  // a < b as Seg's defaulted operator<=> orders them: field by field.
  expr seg_less(const Rec& a, const Rec& b) const {
    expr r = c_.bool_val(false);
    for (std::size_t f = sizeof(Seg); f-- > 0;) r = ult(a[f], b[f]) || (a[f] == b[f] && r);
    return r;
  }

  void fresh(const Rec& e) {
    for (std::size_t f = 0; f < sizeof(End); ++f) set(e[f], u8(0));
    set(e[at_end::rto], u8(static_cast<unsigned>(std::min(1, b_.msl - 1))));
  }

  void fresh_ghost(const Rec& g, const expr& incarnation) {
    for (std::size_t f = 0; f < sizeof(explore::Ghost); ++f) set(g[f], u8(0));
    set(g[at_ghost::incarnation], incarnation);
  }

  // --- Network -------------------------------------------------------------------

  std::vector<expr> select(const expr& index) {
    std::vector<expr> p = zero_bytes(c_, sizeof(Seg));
    for (unsigned i = b_.in_flight; i-- > 0;) {
      const Rec s = slot(i);
      for (std::size_t f = 0; f < sizeof(Seg); ++f) p[f] = ::z3::ite(index == u8(i), s[f], p[f]);
    }
    return p;
  }

  void add(const std::vector<expr>& p) {
    const expr n = sys(at_sys::in_flight);
    when(ult(n, u8(b_.in_flight)), [&] {
      for (unsigned i = 0; i < b_.in_flight; ++i) {
        when(n == u8(i), [&] {
          const Rec s = slot(i);
          for (std::size_t f = 0; f < sizeof(Seg); ++f) set(s[f], p[f]);
        });
      }
      inc(sys(at_sys::in_flight));
    });
    when(!ult(n, u8(b_.in_flight)), [&] { set(invalid_, c_.bool_val(true)); });
  }

  void remove(const expr& index) {
    const expr n = sys(at_sys::in_flight);
    for (unsigned k = 0; k < b_.in_flight; ++k) {
      const Rec s = slot(k);
      const bool has_next = k + 1 < b_.in_flight;
      for (std::size_t f = 0; f < sizeof(Seg); ++f) {
        const expr shifted = has_next ? slot(k + 1)[f] : u8(0);
        const expr moves = ule(index, u8(k)) && ult(u8(k + 1), n);
        const expr last = n - u8(1) == u8(k);
        set(s[f], ::z3::ite(moves, shifted, ::z3::ite(last, u8(0), s[f])));
      }
    }
    set(sys(at_sys::in_flight), n - u8(1));
  }

  // Sorting with the unused slots (zero, past in_flight) as +infinity: a
  // comparator swaps only two slots in use, so those stay a sorted prefix.
  void sort_network() {
    const expr n = sys(at_sys::in_flight);
    for (unsigned pass = 0; pass + 1 < b_.in_flight; ++pass) {
      for (unsigned j = 0; j + 1 + pass < b_.in_flight; ++j) {
        const Rec a = slot(j), b = slot(j + 1);
        const expr swap = ult(u8(j + 1), n) && seg_less(b, a);
        for (std::size_t f = 0; f < sizeof(Seg); ++f) {
          const expr x = a[f], y = b[f];
          a[f] = ::z3::ite(swap, y, x);
          b[f] = ::z3::ite(swap, x, y);
        }
      }
    }
  }

  // --- Time and the attacker ------------------------------------------------------

  void tick_before_calls() {
    const expr n = sys(at_sys::in_flight);
    for (unsigned i = 0; i < b_.in_flight; ++i) {
      when(ult(u8(i), n), [&] { inc(slot(i)[at_seg::age]); });
    }
    // Removing from the back keeps the indices in front valid; the
    // survivors keep their order, as in the Stepper's forward loop.
    for (unsigned i = b_.in_flight; i-- > 0;) {
      when(ult(u8(i), sys(at_sys::in_flight)) && ugt(slot(i)[at_seg::age], u8(b_.msl)), [&] {
        when(!ult(sys(at_sys::losses), u8(b_.losses)), [&] { set(invalid_, c_.bool_val(true)); });
        inc(sys(at_sys::losses));
        remove(u8(i));
      });
    }
    for (const bool server : {false, true}) {
      expr& age = ghost(server)[at_ghost::time_wait_age];
      when(ult(age, u8(2 * b_.msl)), [&] { inc(age); });
      expr& chal = end(server)[at_end::chal_age];
      when(chal != u8(0) && ult(chal, u8(5)), [&] { inc(chal); });
    }
    inc(sys(at_sys::elapsed));
  }

  expr guess(const expr& iss_at) const {
    const expr miss = u8(table::kMissTag);
    expr known = miss;
    switch (spec_.isn) {
      case model::IsnPolicy::Clock: known = u8(table::kClockTag) + iss_at; break;
      case model::IsnPolicy::Zero:
        known = ::z3::ite(iss_at == u8(0), u8(table::kZeroTag), miss);
        break;
      case model::IsnPolicy::ClockPlusKeyedHash: known = miss; break;
    }
    return ::z3::ite(iss_at == u8(Sys::kNever), miss, known);
  }

  std::vector<expr> injection(const expr& how) {
    const expr to_server = (how & u8(1)) != u8(0);
    const expr data = (how & u8(2)) != u8(0);
    const expr client_at = sys(at_sys::client_iss_at), server_at = sys(at_sys::server_iss_at);
    std::vector<expr> p = zero_bytes(c_, sizeof(Seg));
    p[at_seg::to_server] = byte(to_server);
    p[at_seg::injected] = u8(1);
    p[at_seg::seq_tag] = guess(::z3::ite(to_server, client_at, server_at));
    p[at_seg::seq_off] = u8(1);
    p[at_seg::flags] = ::z3::ite(data, u8(2), u8(8));
    p[at_seg::ack_tag] = ::z3::ite(data, guess(::z3::ite(to_server, server_at, client_at)), u8(0));
    p[at_seg::ack_off] = ::z3::ite(data, u8(1), u8(0));
    p[at_seg::payload] = ::z3::ite(data, u8(1), u8(0));
    return p;
  }

  // --- The classifier: model/classify.hpp on NarrowNumber's image ------------------

  // NarrowNumber::image, symbolically.
  expr number(const expr& tag, const expr& off) const {
    constexpr unsigned kBits = NarrowNumber::kBits;
    const expr base = ::z3::ite(tag == u8(table::kMissTag), c_.bv_val(NarrowNumber::kMiss, kBits),
                                ::z3::shl(::z3::zext(tag, kBits - 8),
                                          c_.bv_val(NarrowNumber::kTagShift, kBits)));
    return base + ::z3::zext(off, kBits - 8);
  }
  static SeqExpr seq(const expr& e) { return SeqExpr(e); }
  static LenExpr len(const expr& e) { return LenExpr(::z3::zext(e, NarrowNumber::kBits - 8)); }

  static expr offered_window(const Rec& c) {
    return ::z3::ite(ugt(c[at_end::rcv_adv], c[at_end::rcv_nxt]),
                     c[at_end::rcv_adv] - c[at_end::rcv_nxt], c[at_end::rcv_nxt].ctx().bv_val(0, 8));
  }

  expr classify(const expr& st, const std::vector<expr>& p, const Rec& c) const {
    const auto flag = [&](unsigned m) { return (p[at_seg::flags] & u8(m)) != u8(0); };
    const expr syn = flag(1), ack = flag(2), fin = flag(4), rst = flag(8);
    const auto in = [&](State s) { return st == state(s); };
    const auto ev = [&](Event e) { return event(e); };
    const SeqExpr seg_seq = seq(number(p[at_seg::seq_tag], p[at_seg::seq_off]));
    const SeqExpr seg_ack = seq(number(p[at_seg::ack_tag], p[at_seg::ack_off]));
    const expr payload = p[at_seg::payload];
    const LenExpr seg_len = len(payload + byte(syn) + byte(fin));
    const SeqExpr fin_seq = seg_seq + len(payload + byte(syn));
    // TcbNumbers, as Stepper::numbers gives them.
    const SeqExpr iss = seq(number(c[at_end::iss_tag], u8(0)));
    const SeqExpr snd_una = seq(number(c[at_end::iss_tag], c[at_end::snd_una]));
    const SeqExpr snd_nxt = seq(number(c[at_end::iss_tag], c[at_end::snd_max]));
    const LenExpr max_snd_wnd = len(u8(table::kMaxSendWindow));
    const SeqExpr irs = seq(number(c[at_end::irs_tag], u8(0)));
    const SeqExpr rcv_nxt = seq(number(c[at_end::irs_tag], c[at_end::rcv_nxt]));
    const LenExpr rcv_wnd = len(offered_window(c));
    const expr fin_sent = bit(c[at_end::fin_sent]);

    // CLOSED and LISTEN.
    const expr unsynchronized = ::z3::ite(
        rst, ev(Event::RstOutOfWindow),
        ::z3::ite(ack, ev(Event::AckUnacceptable), ::z3::ite(syn, ev(Event::Syn), ev(Event::Stray))));
    // SYN-SENT.
    const expr syn_sent = ::z3::ite(
        ack && !model::ack_acceptable(iss, seg_ack, snd_nxt),
        ::z3::ite(rst, ev(Event::RstOutOfWindow), ev(Event::AckUnacceptable)),
        ::z3::ite(rst, ::z3::ite(ack, ev(Event::RstExact), ev(Event::RstOutOfWindow)),
                  ::z3::ite(syn, ::z3::ite(ack, ev(Event::SynAck), ev(Event::Syn)),
                            ev(Event::Stray))));
    // SYN-RECEIVED and later, from the last step back to the first.
    const expr repeated_fin =
        fin && any_of(c_, model::states::kPeerFinReceived, st) && fin_seq + 1U == rcv_nxt;
    const expr fin_in_order = fin && before_or_eq(seg_seq, rcv_nxt) &&
                              model::in_window(fin_seq, rcv_nxt, rcv_wnd);
    const expr any_fin = repeated_fin || fin_in_order;
    const expr acks_our_fin = any_of(c_, model::states::kOurFinSent, st) && fin_sent &&
                              !(snd_una == snd_nxt) && seg_ack == snd_nxt;
    const expr fifth_on =
        ::z3::ite(in(State::SynReceived),
                  ::z3::ite(!model::ack_acceptable(snd_una, seg_ack, snd_nxt),
                            ev(Event::AckUnacceptable),
                            ::z3::ite(any_fin, ev(Event::Fin), ev(Event::AckOfSyn))),
                  ::z3::ite(!model::ack_in_range(snd_una, max_snd_wnd, seg_ack, snd_nxt),
                            ev(Event::AckUnacceptable),
                            ::z3::ite(any_fin && acks_our_fin, ev(Event::FinAckOfFin),
                                      ::z3::ite(acks_our_fin, ev(Event::AckOfFin),
                                                ::z3::ite(any_fin, ev(Event::Fin), ev(Event::Ack))))));
    const expr ack_of_refused = is_zero(rcv_wnd) && ack && seg_seq == rcv_nxt;
    const expr acceptable = model::segment_acceptable(seg_seq, seg_len, rcv_nxt, rcv_wnd);
    const expr first_on =
        ::z3::ite(!repeated_fin && !ack_of_refused && !acceptable, ev(Event::Unacceptable),
                  ::z3::ite(!ack, ev(Event::Stray), fifth_on));
    const expr fourth_on = ::z3::ite(
        syn,
        ::z3::ite(in(State::SynReceived) && !ack && seg_seq == irs, ev(Event::Syn),
                  ::z3::ite(in(State::SynReceived) && !acceptable, ev(Event::Unacceptable),
                            ev(Event::SynInSynchronized))),
        first_on);
    const expr second_on = ::z3::ite(
        rst,
        ::z3::ite(model::rst_exact(seg_seq, rcv_nxt), ev(Event::RstExact),
                  ::z3::ite(model::rst_in_window(seg_seq, rcv_nxt, rcv_wnd), ev(Event::RstInWindow),
                            ev(Event::RstOutOfWindow))),
        fourth_on);
    const expr synchronized = ::z3::ite(
        in(State::TimeWait) && syn && !ack && !rst && model::syn_newer(seg_seq, rcv_nxt),
        ev(Event::SynNewerInTimeWait), second_on);

    return ::z3::ite(in(State::Closed) || in(State::Listen), unsynchronized,
                     ::z3::ite(in(State::SynSent), syn_sent, synchronized));
  }

  // --- One call on one side --------------------------------------------------------

  template <class F>
  void call(bool server, F&& f) {
    ack_now_ = c_.bool_val(false);
    rst_owed_ = c_.bool_val(false);
    signal_reset_ = c_.bool_val(false);
    signal_timed_out_ = c_.bool_val(false);
    f();
    transmit(server);
    signal(server);
    has_segment_ = c_.bool_val(false);
    fire(server, event(Event::Receive), false);
  }

  // Spec::find with the same guard facts, then the row's acts in their
  // order: each act is performed where the row that fires has it.
  void fire(bool server, const expr& e, bool judged) {
    const Rec c = end(server);
    const expr from = c[at_end::state];
    const expr passive = bit(c[at_end::passive]);
    const expr retries_left = ult(c[at_end::retries], u8(2));  // Stepper::kRetryLimit
    const expr remote = from != state(State::Listen);
    const auto holds = [&](model::Guard g) {
      switch (g) {
        case model::Guard::Always: return c_.bool_val(true);
        case model::Guard::OpenedPassively: return passive;
        case model::Guard::OpenedActively: return !passive;
        case model::Guard::RetriesLeft: return retries_left;
        case model::Guard::RetriesExhausted: return !retries_left;
        case model::Guard::RemoteSpecified: return remote;
        case model::Guard::RemoteUnspecified: return !remote;
      }
      return c_.bool_val(false);
    };
    const bool known_event = e.is_numeral();
    const unsigned event_value = known_event ? e.get_numeral_uint() : 0;
    expr matched = c_.bool_val(false);
    expr fires = c_.bool_val(false);
    expr to = from;
    std::vector<expr> has(model::kActCount, c_.bool_val(false));
    for (const model::Row& row : spec_.rows()) {
      if (known_event && static_cast<unsigned>(row.event) != event_value) continue;
      const expr matches = any_of(c_, row.from, from) &&
                           (known_event ? c_.bool_val(true) : e == event(row.event)) &&
                           holds(row.guard);
      const expr first = matches && !matched;
      matched = matched || matches;
      if (!row.fires()) continue;
      fires = fires || first;
      if (!row.to.is_stay()) to = ::z3::ite(first, state(row.to.state()), to);
      for (Act act : model::kAllActs) {
        if (row.acts.contains(act)) {
          auto& h = has[static_cast<std::size_t>(act)];
          h = h || first;
        }
      }
    }
    when(!fires, [&] { fail(Invariant::StatesFollowTable); });
    when(fires, [&] {
      for (Act act : model::kAllActs) {
        when(has[static_cast<std::size_t>(act)], [&] { perform(server, act, e, from); });
      }
      set(c[at_end::state], to);
      when(to != from && to == state(State::Listen), [&] { set(c[at_end::passive], u8(1)); });
      when(to != from && to == state(State::TimeWait), [&] { set(c[at_end::queued], u8(0)); });
      if (judged) {
        judge_row(server, has[static_cast<std::size_t>(Act::AcceptSyn)],
                  has[static_cast<std::size_t>(Act::StartTimeWait)], e, from, to);
      }
    });
  }

  void perform(bool server, Act act, const expr& e, const expr& from) {
    const Rec c = end(server);
    std::vector<expr> seg = segment_;
    const Rec p = rec(seg);
    switch (act) {
      case Act::NewIncarnation:
        fresh(c);
        set(c[at_end::passive], u8(1));
        set(floor_, c_.bool_val(true));
        break;
      case Act::AcceptSyn: accept_syn(c, p); break;
      case Act::ProcessSegment: process_segment(c, p, e, from); break;
      case Act::QueueData:
        when(ult(c[at_end::queued], u8(table::kBuffer)), [&] { inc(c[at_end::queued]); });
        break;
      case Act::Deliver: deliver(server); break;
      case Act::SendSyn:
        set(c[at_end::passive], u8(0));
        choose_iss(c);
        break;
      case Act::SendSynAck:
        when(from == state(State::Listen) || from == state(State::TimeWait), [&] { choose_iss(c); });
        set(c[at_end::snd_nxt], u8(0));
        break;
      case Act::SendAck: set(ack_now_, c_.bool_val(true)); break;
      case Act::SendFin:
        set(c[at_end::fin_queued], u8(1));
        if (spec_.fin == model::FinPolicy::Immediately) {
          set(c[at_end::queued], umin(c[at_end::queued], sent_octets(c)));
        }
        break;
      case Act::SendRst: {
        const std::vector<expr> r = reset_for(c, p, server);
        set(rst_owed_, c_.bool_val(true));
        for (std::size_t f = 0; f < sizeof(Seg); ++f) set(rst_[f], r[f]);
        break;
      }
      case Act::SendChallengeAck:
        when(c[at_end::chal_age] == u8(0) || c[at_end::chal_age] == u8(5), [&] {
          set(c[at_end::chal_age], u8(1));
          set(c[at_end::chal_count], u8(0));
        });
        when(ult(c[at_end::chal_count], u8(1)), [&] {
          inc(c[at_end::chal_count]);
          set(ack_now_, c_.bool_val(true));
        });
        break;
      case Act::Retransmit: {
        inc(c[at_end::retries]);
        const expr doubled = c[at_end::rto] * u8(2);
        set(c[at_end::rto], umin(doubled, u8(static_cast<unsigned>(b_.msl - 1))));
        set(c[at_end::snd_nxt], c[at_end::snd_una]);
        set(c[at_end::rtx_left], c[at_end::rto]);
        break;
      }
      case Act::CancelTimers: set(c[at_end::rtx_left], u8(0)); break;
      case Act::StartTimeWait:
        set(c[at_end::tw_left], u8(std::max(1U, spec_.time_wait_msl * b_.msl)));
        break;
      case Act::SignalReset:
      case Act::SignalRefused: set(signal_reset_, c_.bool_val(true)); break;
      case Act::SignalTimedOut:
        set(signal_reset_, c_.bool_val(true));
        set(signal_timed_out_, c_.bool_val(true));
        break;
      case Act::SignalConnected:
      case Act::SignalPeerFin:
      case Act::SignalClosed:
      case Act::FailExists:
      case Act::FailNoConnection:
      case Act::FailClosing: break;
      case Act::DeleteTcb: fresh(c); break;
    }
  }

  void choose_iss(const Rec& c) {
    const expr elapsed = sys(at_sys::elapsed);
    const expr policy = spec_.isn == model::IsnPolicy::Zero ? u8(table::kZeroTag)
                                                            : u8(table::kClockTag) + elapsed;
    const expr tag = ::z3::ite(floor_, u8(table::kFloorTag) + elapsed, policy);
    set(floor_, c_.bool_val(false));
    set(c[at_end::iss_tag], tag);
    set(c[at_end::snd_una], u8(0));
    set(c[at_end::snd_nxt], u8(0));
    set(c[at_end::snd_max], u8(1));
    set(c[at_end::has_iss], u8(1));
    set(c[at_end::syn_acked], u8(0));
  }

  // The octet a segment carries (Stepper::byte_of).
  expr byte_of(const Rec& p) const {
    const expr first = p[at_seg::seq_off] + byte(bit(p[at_seg::flags] & u8(1)));
    return ::z3::ite(p[at_seg::injected] != u8(0), u8(explore::kAttackerByte),
                     byte_value(p[at_seg::to_server] == u8(0), p[at_seg::incarnation], first - u8(1)));
  }

  expr byte_value(const expr& from_server, const expr& incarnation, const expr& i) const {
    return ::z3::ite(from_server, u8(0x80), u8(0)) |
           ::z3::shl(incarnation & u8(15), u8(3)) | (i & u8(7));
  }

  void append_readable(const Rec& c, const expr& b) {
    const expr readable = c[at_end::readable];
    for (unsigned k = 0; k < table::kBuffer; ++k) {
      when(readable == u8(k), [&] { set(c[at_end::rbuf + k], b); });
    }
    inc(c[at_end::readable]);
    inc(c[at_end::rcv_nxt]);
  }

  void accept_syn(const Rec& c, const Rec& seg) {
    set(c[at_end::irs_tag], seg[at_seg::seq_tag]);
    set(c[at_end::rcv_nxt], seg[at_seg::seq_off] + u8(1));
    set(c[at_end::rcv_adv], c[at_end::rcv_nxt]);
    set(c[at_end::rcv_adv], c[at_end::rcv_nxt] + advertised_window(c));
    if (spec_.syn_payload == model::SynPayload::Deliver) {
      when(seg[at_seg::payload] != u8(0) && ult(c[at_end::readable], u8(table::kBuffer)),
           [&] { append_readable(c, byte_of(seg)); });
    }
  }

  void process_segment(const Rec& c, const Rec& seg, const expr& e, const expr& from) {
    const expr syn = bit(seg[at_seg::flags] & u8(1));
    const expr ack = bit(seg[at_seg::flags] & u8(2));
    const expr fin = bit(seg[at_seg::flags] & u8(4));
    when(ack, [&] { process_ack(c, seg); });
    const expr may_take_data =
        !syn && (any_of(c_, model::states::kMayReceive, from) || from == state(State::SynReceived));
    when(may_take_data && seg[at_seg::payload] != u8(0), [&] { process_text(c, seg); });
    when(fin && may_take_data, [&] {
      const expr fin_seq = number(seg[at_seg::seq_tag], seg[at_seg::seq_off] + seg[at_seg::payload]);
      const expr rcv_nxt = number(c[at_end::irs_tag], c[at_end::rcv_nxt]);
      const expr processable = e == event(Event::Fin) || e == event(Event::FinAckOfFin);
      const expr in_order = processable && fin_seq == rcv_nxt;
      const expr early = !processable && after(seq(fin_seq), seq(rcv_nxt));
      const expr repeat = !processable && !early;
      when(in_order, [&] {
        inc(c[at_end::rcv_nxt]);
        set(c[at_end::peer_fin], u8(1));
        set(c[at_end::queued_fin], u8(0));
      });
      when(early, [&] {
        set(c[at_end::queued_fin], seg[at_seg::seq_off] + seg[at_seg::payload] + u8(1));
      });
      when(repeat, [&] { set(ack_now_, c_.bool_val(true)); });
    });
  }

  void process_ack(const Rec& c, const Rec& seg) {
    const SeqExpr ack = seq(number(seg[at_seg::ack_tag], seg[at_seg::ack_off]));
    const expr acceptable =
        after(ack, seq(number(c[at_end::iss_tag], c[at_end::snd_una]))) &&
        before_or_eq(ack, seq(number(c[at_end::iss_tag], c[at_end::snd_max])));
    when(acceptable, [&] {
      // In the Stepper's int arithmetic: the difference may be negative.
      expr acked = wide(seg[at_seg::ack_off]) - wide(c[at_end::snd_una]);
      acked = ::z3::ite(c[at_end::syn_acked] == u8(0), acked - i16(1), acked);
      set(c[at_end::syn_acked], u8(1));
      acked = ::z3::ite(c[at_end::fin_sent] != u8(0) && seg[at_seg::ack_off] == c[at_end::snd_max],
                        acked - i16(1), acked);
      const expr queued = wide(c[at_end::queued]);
      const expr clamped = ::z3::ite(acked < i16(0), i16(0), ::z3::ite(acked > queued, queued, acked));
      set(c[at_end::queued], c[at_end::queued] - clamped.extract(7, 0));
      set(c[at_end::snd_una], seg[at_seg::ack_off]);
      when(ult(c[at_end::snd_nxt], c[at_end::snd_una]),
           [&] { set(c[at_end::snd_nxt], c[at_end::snd_una]); });
      set(c[at_end::retries], u8(0));
      set(c[at_end::rtx_left],
          ::z3::ite(c[at_end::snd_una] == c[at_end::snd_max], u8(0), c[at_end::rto]));
    });
  }

  void process_text(const Rec& c, const Rec& seg) {
    const expr at_rcv_nxt = number(seg[at_seg::seq_tag], seg[at_seg::seq_off]) ==
                            number(c[at_end::irs_tag], c[at_end::rcv_nxt]);
    set(ack_now_, c_.bool_val(true));
    when(at_rcv_nxt && offered_window(c) != u8(0) && ult(c[at_end::readable], u8(table::kBuffer)),
         [&] { append_readable(c, byte_of(seg)); });
  }

  expr sent_octets(const Rec& c) const {
    const expr data_start =
        ::z3::ite(c[at_end::syn_acked] != u8(0), c[at_end::snd_una], c[at_end::snd_una] + u8(1));
    return ::z3::ite(ugt(c[at_end::snd_nxt], data_start), c[at_end::snd_nxt] - data_start, u8(0));
  }

  expr advertised_window(const Rec& c) const {
    const expr free = i16(table::kBuffer) - wide(c[at_end::readable]);
    const expr current = wide(offered_window(c));
    return ::z3::ite(free >= current + i16(1), free, current).extract(7, 0);
  }

  void advertise(const Rec& c) {
    set(c[at_end::rcv_adv], c[at_end::rcv_nxt] + advertised_window(c));
  }

  std::vector<expr> reset_for(const Rec& c, const Rec& seg, bool server) {
    std::vector<expr> r = zero_bytes(c_, sizeof(Seg));
    const expr has_ack = has_segment_ && bit(seg[at_seg::flags] & u8(2));
    const expr answers_no_ack = has_segment_ && !has_ack;
    r[at_seg::to_server] = u8(server ? 0 : 1);
    r[at_seg::incarnation] = ghost(server)[at_ghost::incarnation];
    r[at_seg::flags] = ::z3::ite(answers_no_ack, u8(8 | 2), u8(8));
    const expr seg_len = seg[at_seg::seq_off] + seg[at_seg::payload] +
                         byte(bit(seg[at_seg::flags] & u8(1))) + byte(bit(seg[at_seg::flags] & u8(4)));
    r[at_seg::seq_tag] = ::z3::ite(
        has_ack, seg[at_seg::ack_tag], ::z3::ite(answers_no_ack, u8(table::kMissTag), c[at_end::iss_tag]));
    r[at_seg::seq_off] =
        ::z3::ite(has_ack, seg[at_seg::ack_off], ::z3::ite(answers_no_ack, u8(0), c[at_end::snd_max]));
    r[at_seg::ack_tag] = ::z3::ite(answers_no_ack, seg[at_seg::seq_tag], u8(0));
    r[at_seg::ack_off] = ::z3::ite(answers_no_ack, seg_len, u8(0));
    return r;
  }

  // --- What a call sends -------------------------------------------------------------

  std::vector<expr> segment(bool server) {
    std::vector<expr> p = zero_bytes(c_, sizeof(Seg));
    p[at_seg::to_server] = u8(server ? 0 : 1);
    p[at_seg::incarnation] = ghost(server)[at_ghost::incarnation];
    return p;
  }

  void send(const std::vector<expr>& p) {
    if (spec_.syn_payload == model::SynPayload::AckSynOnly) {
      when(bit(p[at_seg::flags] & u8(1)) && p[at_seg::payload] != u8(0),
           [&] { fail(Invariant::NoDataOnSyn); });
    }
    add(p);
  }

  void transmit(bool server) {
    const Rec c = end(server);
    expr done = c_.bool_val(false);
    // Each pass sends one segment or stops. More sends than the network
    // holds make the move one the explorer discards, whatever follows.
    const unsigned passes = std::min<unsigned>(2 * table::kBuffer + 4, b_.in_flight + 1U);
    for (unsigned pass = 0; pass < passes; ++pass) {
      when(!done, [&] {
        const expr st = c[at_end::state];
        const expr rst = rst_owed_;
        const expr syn = !rst && c[at_end::has_iss] != u8(0) && c[at_end::syn_acked] == u8(0) &&
                         c[at_end::snd_nxt] == u8(0);
        const expr rest = !rst && !syn;
        const expr syn_sent = rest && st == state(State::SynSent);
        const expr syn_received = rest && st == state(State::SynReceived);
        const expr later = rest && !syn_sent && !syn_received;
        const expr synchronized = later && any_of(c_, model::states::kSynchronized, st);
        when(rst, [&] {
          send(rst_);
          set(rst_owed_, c_.bool_val(false));
        });
        when(syn, [&] { send(transmit_syn(server)); });
        when(syn_sent, [&] { set(done, c_.bool_val(true)); });
        when(syn_received, [&] {
          const expr ack = ack_now_;
          when(!ack, [&] { set(done, c_.bool_val(true)); });
          when(ack, [&] { send(transmit_ack(server)); });
        });
        // transmit_data may arm the timer even when it sends nothing.
        expr data_sent = c_.bool_val(false);
        when(synchronized, [&] { data_sent = synchronized && transmit_data(server); });
        when(later && !data_sent, [&] {
          const expr ack = ack_now_;
          when(ack, [&] { send(transmit_ack(server)); });
          when(!ack, [&] { set(done, c_.bool_val(true)); });
        });
      });
    }
  }

  std::vector<expr> transmit_syn(bool server) {
    const Rec c = end(server);
    std::vector<expr> p = segment(server);
    const expr answering = c[at_end::state] != state(State::SynSent);
    p[at_seg::flags] = ::z3::ite(answering, u8(1 | 2), u8(1));
    p[at_seg::seq_tag] = c[at_end::iss_tag];
    p[at_seg::ack_tag] = ::z3::ite(answering, c[at_end::irs_tag], u8(0));
    p[at_seg::ack_off] = ::z3::ite(answering, c[at_end::rcv_nxt], u8(0));
    advertise(c);
    set(c[at_end::snd_nxt], u8(1));
    if (spec_.syn_payload == model::SynPayload::Deliver) {
      const expr data = !answering && c[at_end::queued] != u8(0);
      p[at_seg::payload] = byte(data);
      when(data, [&] {
        set(c[at_end::snd_nxt], u8(2));
        set(c[at_end::snd_max], umax(c[at_end::snd_max], c[at_end::snd_nxt]));
      });
    }
    set(ack_now_, c_.bool_val(false));
    when(c[at_end::rtx_left] == u8(0), [&] { set(c[at_end::rtx_left], c[at_end::rto]); });
    return p;
  }

  std::vector<expr> transmit_ack(bool server) {
    const Rec c = end(server);
    std::vector<expr> p = segment(server);
    p[at_seg::flags] = u8(2);
    p[at_seg::seq_tag] = c[at_end::iss_tag];
    p[at_seg::seq_off] = c[at_end::snd_nxt];
    p[at_seg::ack_tag] = c[at_end::irs_tag];
    p[at_seg::ack_off] = c[at_end::rcv_nxt];
    advertise(c);
    set(ack_now_, c_.bool_val(false));
    return p;
  }

  // Sends a segment where the Stepper's transmit_data returns one; the
  // condition under which it does.
  expr transmit_data(bool server) {
    const Rec c = end(server);
    const expr sent = umin(sent_octets(c), c[at_end::queued]);
    const expr unsent = c[at_end::queued] - sent;
    const expr in_flight = wide(c[at_end::snd_nxt]) - wide(c[at_end::snd_una]);
    const expr usable = ::z3::ite(i16(table::kBuffer) > in_flight, i16(table::kBuffer) - in_flight,
                                  i16(0));
    when(unsent != u8(0) && usable == i16(0) && c[at_end::rtx_left] == u8(0),
         [&] { set(c[at_end::rtx_left], c[at_end::rto]); });
    const expr n = ::z3::ite(unsent != u8(0) && usable != i16(0), u8(1), u8(0));
    const expr send_fin =
        c[at_end::fin_queued] != u8(0) && n == unsent &&
        (c[at_end::fin_sent] == u8(0) || ult(c[at_end::snd_nxt] + n, c[at_end::snd_max]));
    const expr sends = n != u8(0) || send_fin;
    when(sends, [&] {
      std::vector<expr> p = segment(server);
      p[at_seg::flags] = ::z3::ite(send_fin, u8(2 | 4), u8(2));
      p[at_seg::seq_tag] = c[at_end::iss_tag];
      p[at_seg::seq_off] = c[at_end::snd_nxt];
      p[at_seg::ack_tag] = c[at_end::irs_tag];
      p[at_seg::ack_off] = c[at_end::rcv_nxt];
      p[at_seg::payload] = n;
      advertise(c);
      set(c[at_end::snd_nxt], c[at_end::snd_nxt] + n + byte(send_fin));
      when(send_fin, [&] { set(c[at_end::fin_sent], u8(1)); });
      set(c[at_end::snd_max], umax(c[at_end::snd_max], c[at_end::snd_nxt]));
      set(ack_now_, c_.bool_val(false));
      when(c[at_end::rtx_left] == u8(0), [&] { set(c[at_end::rtx_left], c[at_end::rto]); });
      send(p);
    });
    return sends;
  }

  void signal(bool server) {
    const Rec g = ghost(server);
    when(signal_reset_, [&] { set(g[at_ghost::reset], u8(1)); });
    when(signal_timed_out_, [&] { set(g[at_ghost::timed_out], u8(1)); });
  }

  // --- Invariants, judged as the Stepper judges them ---------------------------------

  void new_iss(bool server) {
    const Rec c = end(server);
    expr& last = sys(server ? at_sys::server_iss : at_sys::client_iss);
    expr& at = sys(server ? at_sys::server_iss_at : at_sys::client_iss_at);
    const expr elapsed = sys(at_sys::elapsed);
    when(at != u8(Sys::kNever) && ugt(elapsed, at) && c[at_end::iss_tag] == last,
         [&] { fail(Invariant::IsnUnique); });
    set(last, c[at_end::iss_tag]);
    set(at, elapsed);
  }

  void deliver(bool server) {
    const Rec c = end(server);
    const expr readable = c[at_end::readable];
    for (unsigned k = 0; k < table::kBuffer; ++k) {
      const expr b = c[at_end::rbuf + k];
      when(ult(u8(k), readable), [&] { delivered(server, b); });
    }
    set(c[at_end::readable], u8(0));
    for (unsigned k = 0; k < table::kBuffer; ++k) set(c[at_end::rbuf + k], u8(0));
  }

  void delivered(bool server, const expr& b) {
    const Rec g = ghost(server);
    when(b == u8(explore::kAttackerByte), [&] { fail(Invariant::NoInjectionAccepted); });
    const expr expected =
        byte_value(c_.bool_val(!server), g[at_ghost::peer_incarnation], g[at_ghost::delivered]);
    when(b != expected, [&] { fail(Invariant::NoOldDuplicateAccepted); });
    if (server) {
      const expr inc = ::z3::lshr(b, u8(3)) & u8(15);
      const expr index = b & u8(7);
      for (unsigned k = 0; k < explore::kMaxIncarnations; ++k) {
        expr& seen = sys(at_sys::from_client + k);
        when(inc == u8(k), [&] {
          when(ugt(seen, index), [&] { fail(Invariant::NoOldDuplicateAccepted); });
          set(seen, umax(seen, index + u8(1)));
        });
      }
    }
    inc(g[at_ghost::delivered]);
  }

  void judge_row(bool server, const expr& accepts_syn, const expr& starts_time_wait,
                 const expr& e, const expr& from, const expr& to) {
    const Rec g = ghost(server), peer = ghost(!server), other = end(!server);
    const Rec incoming = rec(incoming_seg_);
    when(accepts_syn && incoming_, [&] {
      set(g[at_ghost::peer_incarnation], incoming[at_seg::incarnation]);
      if (server) {
        new_iss(true);
        inc(g[at_ghost::incarnation]);
        set(g[at_ghost::delivered], u8(0));
        set(g[at_ghost::sent], u8(0));
        set(g[at_ghost::closed], u8(0));
      }
    });
    when(from == state(State::TimeWait) && to == state(State::Closed) &&
             ult(g[at_ghost::time_wait_age], u8(2 * b_.msl)),
         [&] { fail(Invariant::TimeWaitLasts2Msl); });
    when(incoming_ && incoming[at_seg::injected] != u8(0) && to != from,
         [&] { fail(Invariant::NoInjectionAccepted); });
    when(starts_time_wait, [&] { set(g[at_ghost::time_wait_age], u8(0)); });
    if (server) {
      when(to == state(State::Established) && to != from, [&] {
        const expr asked = ghost(false)[at_ghost::incarnation] == g[at_ghost::peer_incarnation] &&
                           other[at_end::state] != state(State::Closed) &&
                           other[at_end::state] != state(State::Listen);
        when(!asked, [&] { fail(Invariant::NoPhantomConnection); });
      });
    }
    when(to == state(State::Closed) && to != from, [&] {
      const auto yes = [](const expr& b) { return b != b.ctx().bv_val(0, 8); };
      const expr orderly = yes(g[at_ghost::closed]) && yes(peer[at_ghost::closed]) &&
                           !yes(g[at_ghost::aborted]) && !yes(peer[at_ghost::aborted]) &&
                           !yes(g[at_ghost::timed_out]) && !yes(peer[at_ghost::timed_out]) &&
                           peer[at_ghost::incarnation] == g[at_ghost::peer_incarnation] &&
                           g[at_ghost::peer_incarnation] != u8(0);
      when(orderly, [&] {
        const expr reset = e == event(Event::RstExact);
        when(reset, [&] { fail(Invariant::NothingLost); });
        const expr graceful = e == event(Event::AckOfFin) || e == event(Event::FinAckOfFin) ||
                              e == event(Event::TimeWaitTimeout);
        when(!reset && graceful && g[at_ghost::delivered] != peer[at_ghost::sent],
             [&] { fail(Invariant::NothingLost); });
      });
    });
  }

  void check_agreement() {
    const Rec cl = end(false), sv = end(true);
    when(cl[at_end::state] == state(State::Established) &&
             sv[at_end::state] == state(State::Established) &&
             ghost(false)[at_ghost::incarnation] == ghost(true)[at_ghost::peer_incarnation],
         [&] {
           when(cl[at_end::iss_tag] != sv[at_end::irs_tag] || cl[at_end::irs_tag] != sv[at_end::iss_tag],
                [&] { fail(Invariant::HandshakeAgreement); });
         });
  }
};

}  // namespace

// --- The relation ---------------------------------------------------------------------

TableRelation::TableRelation(::z3::context& ctx, const model::Spec& spec,
                             const explore::Bounds& bounds, std::optional<Invariant> only)
    : ctx_(ctx), spec_(spec), bounds_(bounds), only_(only) {
  if (auto bad = bounds.validate()) throw std::invalid_argument(*bad);
}

SymbolicSys TableRelation::constant(const Sys& s) const {
  unsigned char bytes[sizeof(Sys)];
  std::memcpy(bytes, &s, sizeof(Sys));
  SymbolicSys v;
  v.reserve(sizeof(Sys));
  for (unsigned char b : bytes) v.push_back(ctx_.bv_val(unsigned{b}, 8));
  return v;
}

SymbolicSys TableRelation::fresh(const std::string& prefix) const {
  SymbolicSys v;
  v.reserve(sizeof(Sys));
  for (std::size_t i = 0; i < sizeof(Sys); ++i) {
    v.push_back(ctx_.bv_const((prefix + "_" + std::to_string(i)).c_str(), 8));
  }
  return v;
}

Sys TableRelation::concrete(const ::z3::model& m, const SymbolicSys& s) const {
  unsigned char bytes[sizeof(Sys)];
  for (std::size_t i = 0; i < sizeof(Sys); ++i) {
    bytes[i] = static_cast<unsigned char>(m.eval(s[i], true).get_numeral_uint());
  }
  Sys out;
  std::memcpy(&out, bytes, sizeof(Sys));
  return out;
}

::z3::expr TableRelation::equal(const SymbolicSys& a, const SymbolicSys& b) const {
  ::z3::expr_vector all(ctx_);
  for (std::size_t i = 0; i < a.size(); ++i) all.push_back(a[i] == b[i]);
  return ::z3::mk_and(all);
}

SymbolicSys TableRelation::initial() const {
  Exec x(ctx_, spec_, bounds_, std::nullopt, constant(Sys{}));
  x.initial();
  SymbolicSys s = x.sys();
  for (auto& b : s) b = b.simplify();
  return s;
}

SymbolicStep TableRelation::step(const SymbolicSys& s, const ::z3::expr& kind,
                                 const ::z3::expr& index) const {
  Exec x(ctx_, spec_, bounds_, only_, s);
  const ::z3::expr enabled = x.enabled(kind, index);
  x.apply(kind, index);
  return {enabled, x.invalid(), x.violation(), x.sys()};
}

// --- Bounded model checking --------------------------------------------------------

namespace {

::z3::params solver_params(::z3::context& c, unsigned timeout_ms) {
  ::z3::params p(c);
  if (timeout_ms != 0) p.set("timeout", timeout_ms);
  return p;
}

// "move3_kind": a constant's name. (Appended, not `"s" + to_string(k)`,
// which g++ 12 misreads as an overlapping copy under -Wrestrict.)
std::string numbered(std::string_view prefix, unsigned k, std::string_view suffix = "") {
  std::string name(prefix);
  name += std::to_string(k);
  name += suffix;
  return name;
}

// A run of transitions, unrolled one step at a time: state k+1 is the
// successor of state k under move k, which is enabled and not discarded.
class Unrolling {
 public:
  Unrolling(const TableRelation& rel, ::z3::solver& solver, SymbolicSys first)
      : rel_(rel), solver_(solver) {
    states_.push_back(std::move(first));
  }

  // Adds move `steps()` and the state after it; returns the step's formulas.
  const SymbolicStep& extend() {
    ::z3::context& c = rel_.ctx();
    const unsigned k = steps();
    kinds_.push_back(c.bv_const(numbered("move", k, "_kind").c_str(), 8));
    indices_.push_back(c.bv_const(numbered("move", k, "_index").c_str(), 8));
    steps_.push_back(rel_.step(states_.back(), kinds_.back(), indices_.back()));
    states_.push_back(rel_.fresh(numbered("s", k + 1)));
    const SymbolicStep& st = steps_.back();
    solver_.add(st.enabled && !st.discarded);
    solver_.add(rel_.equal(states_.back(), st.next));
    return st;
  }

  unsigned steps() const { return static_cast<unsigned>(steps_.size()); }
  const SymbolicSys& state(unsigned k) const { return states_[k]; }
  const SymbolicStep& step(unsigned k) const { return steps_[k]; }

  std::vector<explore::Move> moves(const ::z3::model& m) const {
    std::vector<explore::Move> path;
    for (unsigned k = 0; k < steps(); ++k) {
      path.push_back({static_cast<explore::Step>(m.eval(kinds_[k], true).get_numeral_uint()),
                      static_cast<std::uint8_t>(m.eval(indices_[k], true).get_numeral_uint())});
    }
    return path;
  }

 private:
  const TableRelation& rel_;
  ::z3::solver& solver_;
  std::vector<SymbolicSys> states_;
  std::vector<::z3::expr> kinds_;
  std::vector<::z3::expr> indices_;
  std::vector<SymbolicStep> steps_;
};


}  // namespace

BmcResult bmc(const model::Spec& spec, const explore::Bounds& bounds,
              std::optional<Invariant> only, unsigned max_depth, unsigned timeout_ms,
              const std::function<bool(unsigned)>& keep_going) {
  ::z3::context c;
  const TableRelation rel(c, spec, bounds, only);
  ::z3::solver solver(c, "QF_BV");
  solver.set(solver_params(c, timeout_ms));
  Unrolling run(rel, solver, rel.initial());
  BmcResult r;
  for (unsigned depth = 1; depth <= max_depth; ++depth) {
    // The moves before this one broke nothing (else a shorter run would
    // have been found); this one breaks the invariant.
    if (depth > 1) solver.add(run.step(depth - 2).violation == c.bv_val(0, 8));
    const SymbolicStep& last = run.extend();
    const ::z3::expr target = c.bool_const(numbered("violated_at_", depth).c_str());
    solver.add(::z3::implies(target, last.violation != c.bv_val(0, 8)));
    ::z3::expr_vector assume(c);
    assume.push_back(target);
    const ::z3::check_result answer = solver.check(assume);
    r.depth = depth;
    if (answer == ::z3::unknown) {
      r.gave_up = true;
      r.reason = solver.reason_unknown();
      break;
    }
    if (answer == ::z3::sat) {
      const ::z3::model m = solver.get_model();
      r.path = run.moves(m);
      r.violated = static_cast<Invariant>(m.eval(last.violation, true).get_numeral_uint() - 1);
      break;
    }
    if (keep_going && !keep_going(depth)) break;
  }
  return r;
}

// --- k-induction ---------------------------------------------------------------------

InductionResult k_induction(const model::Spec& spec, const explore::Bounds& bounds,
                            Invariant invariant, unsigned max_k, unsigned timeout_ms) {
  InductionResult r;
  ::z3::context c;
  const TableRelation rel(c, spec, bounds, invariant);
  const ::z3::expr none = c.bv_val(0, 8);

  // Base case, incrementally: no run of up to k + 1 moves breaks it.
  ::z3::solver base(c, "QF_BV");
  base.set(solver_params(c, timeout_ms));
  Unrolling from_initial(rel, base, rel.initial());

  // Step case: from any state, k moves that keep the invariant through
  // distinct states, then one more move that breaks it.
  ::z3::solver step(c, "QF_BV");
  step.set(solver_params(c, timeout_ms));
  Unrolling from_any(rel, step, rel.fresh("a0"));

  for (unsigned k = 0; k <= max_k; ++k) {
    r.tried = k;
    if (k > 0) base.add(from_initial.step(k - 1).violation == none);
    const SymbolicStep& b = from_initial.extend();
    ::z3::expr_vector assume(c);
    const ::z3::expr target = c.bool_const(numbered("base_violated_", k).c_str());
    base.add(::z3::implies(target, b.violation != none));
    assume.push_back(target);
    const ::z3::check_result base_answer = base.check(assume);
    if (base_answer != ::z3::unsat) {
      r.why_not = base_answer == ::z3::sat
                      ? "a run of " + std::to_string(k + 1) + " moves breaks it"
                      : "Z3 gave up on the base case: " + base.reason_unknown();
      break;
    }

    if (k > 0) step.add(from_any.step(k - 1).violation == none);
    const SymbolicStep& s = from_any.extend();
    // Distinct states along the run (the simple-path constraint): without
    // it no k could ever suffice on a model with self-loops.
    for (unsigned i = 0; i < k; ++i) {
      step.add(!rel.equal(from_any.state(i), from_any.state(k)));
    }
    const ::z3::expr step_target = c.bool_const(numbered("step_violated_", k).c_str());
    step.add(::z3::implies(step_target, s.violation != none));
    ::z3::expr_vector step_assume(c);
    step_assume.push_back(step_target);
    const ::z3::check_result step_answer = step.check(step_assume);
    if (step_answer == ::z3::unsat) {
      r.proved_at = k;
      r.why_not.clear();
      break;
    }
    if (step_answer == ::z3::unknown) {
      r.why_not = "Z3 gave up on the step case at k = " + std::to_string(k) + ": " +
                  step.reason_unknown();
      break;
    }
    const Sys from = rel.concrete(step.get_model(), from_any.state(0));
    // The step case starts anywhere: its start state need not be reachable
    // (k-induction without a strengthening invariant cannot tell), nor even
    // well formed: a state byte may name no state.
    r.why_not = "step case fails at k = " + std::to_string(k) +
                ": from an arbitrary start state (" + state_text(from) + ") a run of " +
                std::to_string(k + 1) +
                " moves keeps the invariant, then breaks it";
  }
  return r;
}

std::string state_text(const table::Sys& s) {
  const auto state = [](std::uint8_t st) {
    if (st < model::kStateCount) return std::string(model::name(static_cast<model::State>(st)));
    std::string t = "state byte ";
    t += std::to_string(st);
    t += " (no state)";
    return t;
  };
  return "client " + state(s.client.state) + ", server " + state(s.server.state) + ", " +
         std::to_string(s.in_flight) + " in flight, elapsed " + std::to_string(s.elapsed);
}

std::string move_text(explore::Move m) {
  using explore::Step;
  const std::string i = std::to_string(m.index);
  switch (m.step) {
    case Step::Deliver: return "deliver " + i;
    case Step::Drop: return "drop " + i;
    case Step::Duplicate: return "duplicate " + i;
    case Step::Tick: return "tick";
    case Step::ClientConnect: return "client connect";
    case Step::ClientSend: return "client send";
    case Step::ClientClose: return "client close";
    case Step::ClientAbort: return "client abort";
    case Step::ServerListen: return "server listen";
    case Step::ServerSend: return "server send";
    case Step::ServerClose: return "server close";
    case Step::ServerAbort: return "server abort";
    case Step::Inject: return "inject " + i;
  }
  return "?";
}

}  // namespace tcpmc::verify::z3
