// The classifier, RFC 9293 section 3.10.7: named cases at 32 bits, and an
// exhaustive run at a small width showing it never yields an event the
// table marks unreachable for that state.
#include <gtest/gtest.h>

#include <cstdint>
#include <tcpmc/model/classify.hpp>
#include <tcpmc/model/table.hpp>

namespace tcpmc::model {
namespace {

using S = Seq32;

SegmentFacts<32> seg(SegmentFlags f, std::uint32_t seq, std::uint32_t ack = 0,
                     std::uint32_t payload = 0) {
  return {f, S(seq), S(ack), payload};
}

constexpr SegmentFlags kSyn{.syn = true};
constexpr SegmentFlags kSynAck{.syn = true, .ack = true};
constexpr SegmentFlags kAck{.ack = true};
constexpr SegmentFlags kFinAck{.ack = true, .fin = true};
constexpr SegmentFlags kRst{.rst = true};
constexpr SegmentFlags kRstAck{.ack = true, .rst = true};
constexpr SegmentFlags kFin{.fin = true};

// ISS 1000 sent SYN; peer IRS 5000; both at the start of a transfer.
TcbNumbers<32> established_tcb() {
  TcbNumbers<32> t;
  t.iss = S(1000);
  t.snd_una = S(1001);
  t.snd_nxt = S(1001);
  t.max_snd_wnd = 1000;
  t.irs = S(5000);
  t.rcv_nxt = S(5001);
  t.rcv_wnd = 100;
  return t;
}

TcbNumbers<32> syn_sent_tcb() {
  TcbNumbers<32> t;
  t.iss = S(1000);
  t.snd_una = S(1000);
  t.snd_nxt = S(1001);
  return t;
}

// 3.10.7.2: LISTEN checks RST, then ACK, then SYN.
TEST(Classify, Listen_ByFlags) {
  const TcbNumbers<32> none;
  EXPECT_EQ(classify(State::Listen, seg(kSyn, 7), none), Event::Syn);
  EXPECT_EQ(classify(State::Listen, seg(kSynAck, 7, 9), none), Event::AckUnacceptable);
  EXPECT_EQ(classify(State::Listen, seg({.syn = true, .rst = true}, 7), none),
            Event::RstOutOfWindow);
  EXPECT_EQ(classify(State::Listen, seg(kFin, 7), none), Event::Stray);
}

// 3.10.7.3: a SYN-ACK must acknowledge exactly our SYN.
TEST(Classify, SynSent_SynAck_AcceptableOrNot) {
  const auto t = syn_sent_tcb();
  EXPECT_EQ(classify(State::SynSent, seg(kSynAck, 5000, 1001), t), Event::SynAck);
  EXPECT_EQ(classify(State::SynSent, seg(kSynAck, 5000, 1000), t), Event::AckUnacceptable);
  EXPECT_EQ(classify(State::SynSent, seg(kSynAck, 5000, 77), t), Event::AckUnacceptable);
  EXPECT_EQ(classify(State::SynSent, seg(kSyn, 5000), t), Event::Syn);
  EXPECT_EQ(classify(State::SynSent, seg(kAck, 5000, 1001), t), Event::Stray);
}

// 3.10.7.3: a RST counts only with an ACK of our SYN.
TEST(Classify, SynSent_Rst_NeedsAcceptableAck) {
  const auto t = syn_sent_tcb();
  EXPECT_EQ(classify(State::SynSent, seg(kRstAck, 0, 1001), t), Event::RstExact);
  EXPECT_EQ(classify(State::SynSent, seg(kRstAck, 0, 1002), t), Event::RstOutOfWindow);
  EXPECT_EQ(classify(State::SynSent, seg(kRst, 0), t), Event::RstOutOfWindow);
}

// RFC 5961 3.2: the three kinds of RST.
TEST(Classify, Established_Rst_ExactInWindowOutside) {
  const auto t = established_tcb();
  EXPECT_EQ(classify(State::Established, seg(kRst, 5001), t), Event::RstExact);
  EXPECT_EQ(classify(State::Established, seg(kRst, 5050), t), Event::RstInWindow);
  EXPECT_EQ(classify(State::Established, seg(kRst, 5101), t), Event::RstOutOfWindow);
  EXPECT_EQ(classify(State::Established, seg(kRst, 4000), t), Event::RstOutOfWindow);
}

// RFC 5961 4.2: a SYN is challenged wherever it falls.
TEST(Classify, Established_Syn_AnySequence_SynInSynchronized) {
  const auto t = established_tcb();
  for (std::uint32_t q : {0U, 5001U, 5050U, 90000U}) {
    EXPECT_EQ(classify(State::Established, seg(kSyn, q), t), Event::SynInSynchronized) << q;
  }
}

// 3.10.7.4 first step, then fifth.
TEST(Classify, Established_SequenceAndAck) {
  const auto t = established_tcb();
  EXPECT_EQ(classify(State::Established, seg(kAck, 5001, 1001, 10), t), Event::Ack);
  EXPECT_EQ(classify(State::Established, seg(kAck, 6000, 1001, 10), t), Event::Unacceptable);
  EXPECT_EQ(classify(State::Established, seg(kAck, 5001, 1002), t), Event::AckUnacceptable);
  // RFC 5961 5.2: older than SND.UNA - MAX.SND.WND.
  EXPECT_EQ(classify(State::Established, seg(kAck, 5001, 0), t), Event::AckUnacceptable);
  EXPECT_EQ(classify(State::Established, seg(kAck, 5001, 500), t), Event::Ack);
  EXPECT_EQ(classify(State::Established, seg(kFin, 5001), t), Event::Stray);
}

// 3.10.7.4 eighth step: a FIN counts once everything before it is in.
TEST(Classify, Established_Fin_InOrderOrNot) {
  const auto t = established_tcb();
  EXPECT_EQ(classify(State::Established, seg(kFinAck, 5001, 1001), t), Event::Fin);
  EXPECT_EQ(classify(State::Established, seg(kFinAck, 5001, 1001, 20), t), Event::Fin);
  // Data overlapping RCV.NXT brings the FIN into order.
  EXPECT_EQ(classify(State::Established, seg(kFinAck, 4990, 1001, 20), t), Event::Fin);
  // A hole before it: kept for later, not processed now.
  EXPECT_EQ(classify(State::Established, seg(kFinAck, 5010, 1001, 5), t), Event::Ack);
  // A FIN beyond the window is trimmed away.
  EXPECT_EQ(classify(State::Established, seg(kFinAck, 5001, 1001, 100), t), Event::Ack);
}

// FIN-WAIT-1: ACK and FIN combine (Figure 5 note 2).
TEST(Classify, FinWait1_AckOfFinAndFin) {
  auto t = established_tcb();
  t.snd_nxt = S(1002);  // our FIN is 1001
  t.fin_sent = true;
  EXPECT_EQ(classify(State::FinWait1, seg(kAck, 5001, 1002), t), Event::AckOfFin);
  EXPECT_EQ(classify(State::FinWait1, seg(kFinAck, 5001, 1002), t), Event::FinAckOfFin);
  EXPECT_EQ(classify(State::FinWait1, seg(kFinAck, 5001, 1001), t), Event::Fin);
  EXPECT_EQ(classify(State::FinWait1, seg(kAck, 5001, 1001), t), Event::Ack);
}

// FIN-WAIT-1 whose FIN still waits behind data: nothing acknowledges it.
TEST(Classify, FinWait1_FinNotYetSent_NoAckOfFin) {
  auto t = established_tcb();
  t.snd_nxt = S(1011);
  EXPECT_EQ(classify(State::FinWait1, seg(kAck, 5001, 1011), t), Event::Ack);
}

// RFC-AMBIGUITY (classify.hpp): a repeated FIN in TIME-WAIT is Fin.
TEST(Classify, TimeWait_RepeatedFin_IsFin) {
  auto t = established_tcb();
  t.snd_una = t.snd_nxt = S(1002);
  t.fin_sent = true;
  t.rcv_nxt = S(5002);  // the peer's FIN was 5001
  EXPECT_EQ(classify(State::TimeWait, seg(kFinAck, 5001, 1002), t), Event::Fin);
  // In ESTABLISHED the same numbers mean an old segment.
  EXPECT_EQ(classify(State::Established, seg(kFinAck, 5001, 1002), t), Event::Unacceptable);
}

// RFC 1122 4.2.2.13: a SYN after RCV.NXT in TIME-WAIT is a new incarnation.
TEST(Classify, TimeWait_Syn_NewerOrOld) {
  auto t = established_tcb();
  t.rcv_nxt = S(5002);
  EXPECT_EQ(classify(State::TimeWait, seg(kSyn, 9000), t), Event::SynNewerInTimeWait);
  EXPECT_EQ(classify(State::TimeWait, seg(kSyn, 5002), t), Event::SynInSynchronized);
  EXPECT_EQ(classify(State::TimeWait, seg(kSyn, 4000), t), Event::SynInSynchronized);
  EXPECT_EQ(classify(State::TimeWait, seg(kSynAck, 9000, 1002), t), Event::SynInSynchronized);
}

// SYN-RECEIVED: a repeat of the SYN, the ACK of ours, and a bad ACK.
TEST(Classify, SynReceived_Cases) {
  TcbNumbers<32> t;
  t.iss = t.snd_una = S(1000);
  t.snd_nxt = S(1001);
  t.irs = S(5000);
  t.rcv_nxt = S(5001);
  t.rcv_wnd = 100;
  EXPECT_EQ(classify(State::SynReceived, seg(kSyn, 5000), t), Event::Syn);
  EXPECT_EQ(classify(State::SynReceived, seg(kSyn, 5040), t), Event::SynInSynchronized);
  EXPECT_EQ(classify(State::SynReceived, seg(kAck, 5001, 1001), t), Event::AckOfSyn);
  EXPECT_EQ(classify(State::SynReceived, seg(kAck, 5001, 1001, 30), t), Event::AckOfSyn);
  EXPECT_EQ(classify(State::SynReceived, seg(kFinAck, 5001, 1001), t), Event::Fin);
  EXPECT_EQ(classify(State::SynReceived, seg(kAck, 5001, 1000), t), Event::AckUnacceptable);
}

// --- exhaustive at 3 bits -------------------------------------------------

constexpr unsigned kBits = 3;
using Small = Seq<kBits>;
constexpr std::uint32_t kSpace = 1U << kBits;

// Calls `visit` with every TCB consistent with `state` within small ranges.
template <class F>
void for_each_tcb(State state, F visit) {
  for (std::uint32_t iss : {0U, 6U}) {
    for (std::uint32_t acked : {0U, 1U, 2U}) {
      for (std::uint32_t outstanding : {0U, 1U, 2U}) {
        for (std::uint32_t received : {1U, 2U}) {
          for (std::uint32_t wnd : {0U, 1U, 3U}) {
            for (bool fin_sent : {false, true}) {
              TcbNumbers<kBits> t;
              t.iss = Small(iss);
              t.irs = Small(iss + 3);
              t.snd_una = t.iss + acked;
              t.snd_nxt = t.snd_una + outstanding;
              t.rcv_nxt = t.irs + received;
              t.rcv_wnd = wnd;
              t.max_snd_wnd = 2;
              t.fin_sent = fin_sent;
              const bool handshake = state == State::SynSent || state == State::SynReceived;
              if (handshake && (acked != 0 || outstanding != 1 || fin_sent)) continue;
              if (state == State::SynSent && received != 1) continue;
              if (fin_sent && !states::kOurFinSent.contains(state)) continue;
              if (fin_sent && outstanding == 0 &&
                  !(state == State::FinWait2 || state == State::TimeWait)) {
                continue;
              }
              if ((state == State::FinWait2 || state == State::TimeWait) &&
                  (!fin_sent || outstanding != 0)) {
                continue;
              }
              visit(t);
            }
          }
        }
      }
    }
  }
}

// Calls `visit(tcb, segment)` for every consistent TCB of `state` and every
// segment: all 16 flag combinations, every sequence and ACK number, 0 to 2
// octets of payload.
template <class F>
void for_each_case(State state, F visit) {
  for_each_tcb(state, [&](const TcbNumbers<kBits>& t) {
    for (unsigned flags = 0; flags < 16; ++flags) {
      for (std::uint32_t q = 0; q < kSpace; ++q) {
        for (std::uint32_t a = 0; a < kSpace; ++a) {
          for (std::uint32_t payload = 0; payload < 3; ++payload) {
            SegmentFacts<kBits> s;
            s.flags = {.syn = (flags & 1U) != 0, .ack = (flags & 2U) != 0,
                       .fin = (flags & 4U) != 0, .rst = (flags & 8U) != 0};
            s.seq = Small(q);
            s.ack = Small(a);
            s.payload = payload;
            visit(t, s);
          }
        }
      }
    }
  });
}

// The classifier's contract with the table: whatever arrives, the event it
// names has a row that can fire in that state.
TEST(Classify, Exhaustive3Bits_NeverYieldsAnUnreachableCell) {
  std::uint64_t cases = 0;
  for (State state : kAllStates) {
    for_each_case(state, [&](const TcbNumbers<kBits>& t, const SegmentFacts<kBits>& s) {
      const Event e = classify(state, s, t);
      ++cases;
      for (bool passive : {false, true}) {
        GuardFacts g;
        g.opened_passively = passive;
        const Row* r = kRfc9293.find(state, e, g);
        ASSERT_NE(r, nullptr);
        ASSERT_TRUE(r->fires()) << name(state) << " x " << name(e) << ": " << r->note.text
                                << " (seq " << s.seq.raw() << " ack " << s.ack.raw() << " len "
                                << s.payload << ")";
      }
    });
  }
  EXPECT_GT(cases, 100000U);
}

// And every firing segment cell of the table is produced by some segment,
// so no row is dead by accident.
TEST(Classify, Exhaustive3Bits_ProducesEveryFiringSegmentCell) {
  bool seen[kStateCount][kEventCount] = {};
  for (State state : kAllStates) {
    for_each_case(state, [&](const TcbNumbers<kBits>& t, const SegmentFacts<kBits>& s) {
      seen[index(state)][index(classify(state, s, t))] = true;
    });
  }
  for (const Row& r : kRfc9293.rows()) {
    if (event_class(r.event) != EventClass::Segment || !r.fires()) continue;
    for (State s : kAllStates) {
      if (r.from.contains(s)) {
        EXPECT_TRUE(seen[index(s)][index(r.event)]) << name(s) << " x " << name(r.event);
      }
    }
  }
}

}  // namespace
}  // namespace tcpmc::model
