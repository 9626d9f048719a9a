// The table as an observer of a captured connection: for each segment seen
// on the wire, what the RFC 9293 table predicts at each end, and whether it
// can explain the segment at all.
//
// The observer keeps a shadow of each end's sequence variables (ISS, IRS,
// SND.UNA, SND.NXT, RCV.NXT and the windows), built only from what the
// segments show. A segment arriving at an end is classified by the very
// classifier the engine uses (model/classify.hpp) against that shadow, and
// the table row for the end's predicted state and that event gives the next
// state. A segment an end sends may imply a user call the capture cannot
// show: a first SYN from CLOSED is an active OPEN, a first FIN is a CLOSE,
// an unprovoked RST is an ABORT; the table's user-call row fires for it.
// A segment that the sender's predicted state could not have sent, or that
// no firing row covers at the receiver, is reported as unexplained with the
// reason.
//
// What a capture cannot show is assumed, and the assumptions are named: the
// end that receives the first SYN is in LISTEN (a passive OPEN); every
// captured segment reaches its receiver, at the moment it was captured; a
// capture that starts mid-connection starts both ends in ESTABLISHED with
// numbers taken from the first segments. No I/O, no clock: a value that
// tests feed by hand and that `tcpmc graph trace` and `tcpmc demo` feed
// from a pcap.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tcpmc/model/classify.hpp>
#include <tcpmc/model/seq.hpp>
#include <tcpmc/model/table.hpp>

namespace tcpmc::verify {

// The two ends of an observed connection. Client is the end that sent the
// first captured segment: for a capture from the start, the active opener.
enum class End : std::uint8_t { Client, Server };

constexpr End other(End e) { return e == End::Client ? End::Server : End::Client; }
constexpr std::size_t index(End e) { return static_cast<std::size_t>(e); }
constexpr std::string_view name(End e) { return e == End::Client ? "client" : "server"; }

// What a capture shows of one segment: the fields the classifier and the
// shadows read.
struct SeenSegment {
  End from = End::Client;
  model::SegmentFlags flags;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t payload = 0;                 // data octets
  std::uint32_t window = 0;                  // the raw 16-bit field
  std::optional<std::uint8_t> window_scale;  // the option's shift, on a SYN
};

// Why the table cannot explain a segment. X(name, description).
#define TCPMC_UNEXPLAINED(X)                                                                   \
  X(SentWithoutTcb, "the sender is CLOSED or LISTEN in the table, where only a RST may leave") \
  X(SynAfterHandshake, "a SYN from an end whose handshake is over (not a retransmission)")     \
  X(SynAckWithoutSyn, "a SYN,ACK from an end that is not in SYN-RECEIVED")                     \
  X(SentBeforeSynchronized, "data, ACK or FIN from an end still in SYN-SENT")                  \
  X(DataAfterFin, "new data or a second FIN after the sender's own FIN")                       \
  X(CloseRefused, "a first FIN from a state where the table refuses CLOSE")                    \
  X(NoRowFires, "no firing row of the table covers this state and event at the receiver")

enum class Unexplained : std::uint8_t {
#define TCPMC_UNEXPLAINED_ENUMERATOR(id, description) id,
  TCPMC_UNEXPLAINED(TCPMC_UNEXPLAINED_ENUMERATOR)
#undef TCPMC_UNEXPLAINED_ENUMERATOR
};

struct UnexplainedInfo {
  std::string_view name;
  std::string_view description;
};

inline constexpr std::array kUnexplainedInfo = {
#define TCPMC_UNEXPLAINED_INFO(id, description) UnexplainedInfo{#id, description},
    TCPMC_UNEXPLAINED(TCPMC_UNEXPLAINED_INFO)
#undef TCPMC_UNEXPLAINED_INFO
};
#undef TCPMC_UNEXPLAINED

constexpr std::string_view name(Unexplained u) {
  return kUnexplainedInfo[static_cast<std::size_t>(u)].name;
}
constexpr std::string_view describe(Unexplained u) {
  return kUnexplainedInfo[static_cast<std::size_t>(u)].description;
}

// One table lookup at one end: the event, the row that fired, the states.
struct TableStep {
  End end = End::Client;
  model::Event event{};
  model::State from = model::State::Closed;
  model::State to = model::State::Closed;
  const model::Row* row = nullptr;  // into the observer's Spec; never null once recorded

  constexpr bool changes_state() const { return from != to; }
};

// What the table makes of one segment.
struct Explanation {
  // The receiver's shadow missed a FIN that the sender's ACK shows it took
  // (from its reassembly queue, after a gap filled): that FIN's row, fired
  // at the sender before anything else.
  std::optional<TableStep> catch_up;
  std::optional<TableStep> user;  // the user call the segment implies at its sender
  // The segments crossed: the sender's FIN acknowledges less than the other
  // end's FIN, so its CLOSE came before that FIN arrived (a simultaneous
  // close). The FIN's row fires again after the CLOSE, in the state CLOSE
  // led to.
  std::optional<TableStep> crossed;
  std::optional<TableStep> arrival;  // the receiver's classification and row
  bool retransmission = false;       // it repeats sequence space already sent
  bool reply = false;                // a RST the receiver's last row asked for
  std::optional<Unexplained> unexplained;

  bool explained() const { return !unexplained.has_value(); }
};

// One end as the capture shows it.
struct Shadow {
  model::State state = model::State::Closed;
  bool opened_passively = false;
  bool iss_known = false;
  bool irs_known = false;
  model::Seq32 iss, snd_una, snd_nxt;
  model::Seq32 irs, rcv_nxt;
  std::uint32_t rcv_wnd = 0;                 // what this end last offered, scaled
  std::uint32_t max_snd_wnd = 0;             // the most the other end offered, scaled
  std::optional<std::uint8_t> window_scale;  // offered in its SYN
  bool fin_sent = false;
  model::Seq32 fin_seq;                                 // where its FIN sits, once sent
  bool peer_fin_taken = false;                          // its table took the other end's FIN
  model::State before_peer_fin = model::State::Closed;  // where it was when it took it
  bool owes_rst = false;                                // its last row sent a RST (SendRst)

  // What it sent: every segment, data octets new and repeated.
  std::uint64_t segments = 0;
  std::uint64_t data_bytes = 0;
  std::uint64_t retransmissions = 0;
  std::uint64_t syn_segments = 0;
  std::uint64_t fin_segments = 0;
  std::uint64_t rst_segments = 0;

  model::TcbNumbers<32> numbers() const {
    model::TcbNumbers<32> n;
    n.iss = iss;
    n.snd_una = snd_una;
    n.snd_nxt = snd_nxt;
    n.max_snd_wnd = max_snd_wnd;
    n.irs = irs;
    n.rcv_nxt = rcv_nxt;
    n.rcv_wnd = rcv_wnd;
    n.fin_sent = fin_sent;
    return n;
  }
};

class TraceObserver {
 public:
  explicit TraceObserver(const model::Spec& spec = model::kRfc9293) : spec_(&spec) {}

  Explanation on_segment(const SeenSegment& s) {
    if (!started_) start(s);
    Explanation ex;
    catch_up_fin(s, ex);
    judge_sender(s, ex);
    record_sent(s, ex);
    if (!ex.unexplained) classify_arrival(s, ends_[index(other(s.from))], ex);
    if (ex.unexplained) ++unexplained_;
    return ex;
  }

  const Shadow& shadow(End e) const { return ends_[index(e)]; }
  model::State state(End e) const { return ends_[index(e)].state; }
  // The states the ends are assumed to start in (set by the first segment).
  const std::array<model::State, 2>& initial_states() const { return initial_; }
  bool started_mid_connection() const { return mid_connection_; }
  std::uint64_t unexplained_count() const { return unexplained_; }
  // Both SYNs offered window scaling (RFC 7323 2.2), so windows are scaled.
  bool window_scaling() const {
    return ends_[0].window_scale.has_value() && ends_[1].window_scale.has_value();
  }

 private:
  using Seq = model::Seq32;
  using State = model::State;
  using Event = model::Event;
  using Act = model::Act;

  void start(const SeenSegment& s) {
    started_ = true;
    Shadow& x = ends_[index(s.from)];
    Shadow& y = ends_[index(other(s.from))];
    if (s.flags.syn && !s.flags.ack && !s.flags.rst) {
      // From the start: the sender opens actively, the receiver listens.
      x.state = State::Closed;
      y.state = State::Listen;
    } else {
      // Mid-connection: both synchronized, numbers from this segment (and
      // later ones, as they widen them).
      mid_connection_ = true;
      x.state = y.state = State::Established;
      x.iss_known = x.irs_known = y.iss_known = y.irs_known = true;
      x.iss = x.snd_una = x.snd_nxt = Seq(s.seq);
      y.irs = y.rcv_nxt = Seq(s.seq);
      x.irs = x.rcv_nxt = Seq(s.ack);
      y.iss = y.snd_una = y.snd_nxt = Seq(s.ack);
    }
    initial_ = {ends_[0].state, ends_[1].state};
  }

  // An end with no numbers yet, keeping its state; what it sent so far
  // still counts.
  static Shadow fresh(const Shadow& old, bool opened_passively) {
    Shadow s;
    s.state = old.state;
    s.opened_passively = opened_passively;
    s.segments = old.segments;
    s.data_bytes = old.data_bytes;
    s.retransmissions = old.retransmissions;
    s.syn_segments = old.syn_segments;
    s.fin_segments = old.fin_segments;
    s.rst_segments = old.rst_segments;
    return s;
  }

  TableStep fire(End e, Event event, State from) const {
    const Shadow& sh = ends_[index(e)];
    const model::GuardFacts facts{
        .opened_passively = sh.opened_passively, .retries_left = true, .remote_specified = true};
    const model::Row* row = spec_->find(from, event, facts);
    TableStep step{e, event, from, from, row};
    if (row != nullptr) step.to = row->to.resolve(from);
    return step;
  }

  // The sender's ACK covers the other end's FIN, which the shadow has not
  // seen taken: the sender took it from its reassembly queue. The FIN row
  // fires now, before the sender's own segment is judged.
  void catch_up_fin(const SeenSegment& s, Explanation& ex) {
    Shadow& x = ends_[index(s.from)];
    const Shadow& y = ends_[index(other(s.from))];
    if (!s.flags.ack || s.flags.rst || !y.fin_sent || x.peer_fin_taken || !x.irs_known) return;
    if (!(Seq(s.ack) == y.fin_seq + 1U)) return;
    if (!model::states::kSynchronized.contains(x.state)) return;
    const TableStep step = fire(s.from, Event::Fin, x.state);
    if (step.row == nullptr || !step.row->fires()) return;
    x.peer_fin_taken = true;
    x.before_peer_fin = step.from;
    x.rcv_nxt = y.fin_seq + 1U;
    x.state = step.to;
    ex.catch_up = step;
  }

  // May the sender, in its predicted state, send this? Fires the user call
  // the segment implies.
  void judge_sender(const SeenSegment& s, Explanation& ex) {
    Shadow& x = ends_[index(s.from)];
    const auto& f = s.flags;
    const std::uint32_t len = s.payload + (f.syn ? 1U : 0U) + (f.fin ? 1U : 0U);
    if (len > 0 && x.iss_known && before(Seq(s.seq), x.snd_nxt)) ex.retransmission = true;

    if (f.rst) {
      if (x.owes_rst) {
        ex.reply = true;
        x.owes_rst = false;
        return;
      }
      if (model::states::kSynchronized.contains(x.state) || x.state == State::SynSent) {
        user_call(s.from, Event::Abort, ex);
      }
      return;  // CLOSED and LISTEN answer stray segments with RSTs
    }
    if (f.syn && !f.ack) {
      if (x.state == State::Closed || x.state == State::Listen) {
        x = fresh(x, false);  // a new incarnation
        user_call(s.from, Event::OpenActive, ex);
        x.iss_known = true;
        x.iss = x.snd_una = x.snd_nxt = Seq(s.seq);
        x.window_scale = s.window_scale;
        ex.retransmission = false;
      } else if (!(x.state == State::SynSent && x.iss_known && Seq(s.seq) == x.iss)) {
        ex.unexplained = Unexplained::SynAfterHandshake;
      }
      return;
    }
    if (f.syn) {  // SYN,ACK
      if (x.state != State::SynReceived) {
        ex.unexplained = Unexplained::SynAckWithoutSyn;
      } else if (!x.iss_known) {
        x.iss_known = true;
        x.iss = x.snd_una = x.snd_nxt = Seq(s.seq);
        x.window_scale = s.window_scale;
      } else if (!(Seq(s.seq) == x.iss)) {
        ex.unexplained = Unexplained::SynAckWithoutSyn;
      }
      return;
    }
    if (x.state == State::Closed || x.state == State::Listen) {
      ex.unexplained = Unexplained::SentWithoutTcb;
      return;
    }
    if (x.state == State::SynSent) {
      ex.unexplained = Unexplained::SentBeforeSynchronized;
      return;
    }
    const Seq end = Seq(s.seq) + s.payload;
    // After its FIN an end sends ACKs (at FIN + 1) and repeats of what it
    // sent, never new data or a FIN somewhere else.
    const bool new_data = s.payload > 0 && after(end, x.fin_seq);
    if (x.fin_sent && (new_data || (f.fin && !(end == x.fin_seq)))) {
      ex.unexplained = Unexplained::DataAfterFin;
      return;
    }
    if (f.fin && !x.fin_sent) {
      const Shadow& y = ends_[index(other(s.from))];
      const bool crossed =
          x.peer_fin_taken && f.ack && y.fin_sent && before(Seq(s.ack), y.fin_seq + 1U);
      if (crossed) x.state = x.before_peer_fin;
      const State before_close = x.state;
      user_call(s.from, Event::Close, ex);
      if (x.state == before_close) {
        ex.unexplained = Unexplained::CloseRefused;
        return;
      }
      x.fin_sent = true;
      x.fin_seq = end;
      if (crossed) {
        const TableStep again = fire(s.from, Event::Fin, x.state);
        if (again.row == nullptr || !again.row->fires()) {
          ex.unexplained = Unexplained::NoRowFires;
          return;
        }
        x.state = again.to;
        ex.crossed = again;
      }
    }
  }

  void user_call(End e, Event call, Explanation& ex) {
    Shadow& x = ends_[index(e)];
    const TableStep step = fire(e, call, x.state);
    if (step.row == nullptr || !step.row->fires()) {
      ex.unexplained = Unexplained::NoRowFires;
      return;
    }
    x.state = step.to;
    ex.user = step;
  }

  // The sender's numbers as its segment shows them.
  void record_sent(const SeenSegment& s, const Explanation& ex) {
    Shadow& x = ends_[index(s.from)];
    Shadow& y = ends_[index(other(s.from))];
    const auto& f = s.flags;
    ++x.segments;
    x.data_bytes += s.payload;
    x.syn_segments += f.syn ? 1U : 0U;
    x.fin_segments += f.fin ? 1U : 0U;
    x.rst_segments += f.rst ? 1U : 0U;
    if (ex.retransmission) ++x.retransmissions;
    if (f.rst) return;
    const std::uint32_t len = s.payload + (f.syn ? 1U : 0U) + (f.fin ? 1U : 0U);
    if (x.iss_known && after(Seq(s.seq) + len, x.snd_nxt)) x.snd_nxt = Seq(s.seq) + len;
    // What it acknowledges is what it has received, whatever the shadow
    // made of the segments on the way.
    if (f.ack && x.irs_known && after(Seq(s.ack), x.rcv_nxt)) x.rcv_nxt = Seq(s.ack);
    // Windows on a SYN are never scaled (RFC 7323 2.2).
    const std::uint8_t shift = !f.syn && window_scaling() ? x.window_scale.value_or(0) : 0;
    x.rcv_wnd = s.window << std::min<std::uint8_t>(shift, 14);
    y.max_snd_wnd = std::max(y.max_snd_wnd, x.rcv_wnd);
  }

  void classify_arrival(const SeenSegment& s, Shadow& y, Explanation& ex) {
    const End to = other(s.from);
    model::SegmentFacts<32> facts;
    facts.flags = s.flags;
    facts.seq = Seq(s.seq);
    facts.ack = Seq(s.ack);
    facts.payload = s.payload;
    const Event event = model::classify(y.state, facts, y.numbers());
    const TableStep step = fire(to, event, y.state);
    if (step.row == nullptr || !step.row->fires()) {
      ex.unexplained = Unexplained::NoRowFires;
      ex.arrival = step;
      return;
    }
    apply(step, s, facts, y);
    ex.arrival = step;
  }

  // What the row's actions do to the receiver's shadow.
  void apply(const TableStep& step, const SeenSegment& s, const model::SegmentFacts<32>& facts,
             Shadow& y) {
    const model::Acts& acts = step.row->acts;
    if (acts.contains(Act::NewIncarnation)) {
      y = fresh(y, true);
    }
    if (acts.contains(Act::AcceptSyn)) {
      if (step.from == State::Listen || step.from == State::TimeWait) y.opened_passively = true;
      y.irs_known = true;
      y.irs = facts.seq;
      y.rcv_nxt = facts.seq + 1U;
      y.peer_fin_taken = false;
    }
    if (acts.contains(Act::ProcessSegment)) {
      if (s.flags.ack && y.iss_known && after(facts.ack, y.snd_una) &&
          before_or_eq(facts.ack, y.snd_nxt)) {
        y.snd_una = facts.ack;
      }
      // In-order text moves RCV.NXT; a FIN the row took moves it past the FIN.
      const Seq data_start = facts.seq + (s.flags.syn ? 1U : 0U);
      const Seq data_end = data_start + s.payload;
      if (y.irs_known && before_or_eq(data_start, y.rcv_nxt) && after(data_end, y.rcv_nxt)) {
        y.rcv_nxt = data_end;
      }
    }
    const bool takes_fin = step.event == Event::Fin || step.event == Event::FinAckOfFin;
    if (takes_fin && !y.peer_fin_taken) {
      y.peer_fin_taken = true;
      y.before_peer_fin = step.from;
      y.rcv_nxt = facts.fin_seq() + 1U;
    }
    if (step.event == Event::AckOfFin || step.event == Event::FinAckOfFin) y.snd_una = y.snd_nxt;
    y.owes_rst = acts.contains(Act::SendRst);
    y.state = step.to;
  }

  const model::Spec* spec_;
  std::array<Shadow, 2> ends_{};
  std::array<State, 2> initial_{State::Closed, State::Listen};
  bool started_ = false;
  bool mid_connection_ = false;
  std::uint64_t unexplained_ = 0;
};

}  // namespace tcpmc::verify
