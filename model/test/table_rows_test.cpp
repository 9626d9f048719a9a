// What the table says, checked against expectations written by hand from
// RFC 9293 (Figure 5 and section 3.10), RFC 5961 and RFC 1337. The
// expectations never come from the table itself.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/model/table.hpp>

namespace tcpmc::model {
namespace {

struct Arrow {
  State from;
  Event event;
  Guard guard;
  State to;
  Acts must_do;  // actions the row must include
  const char* figure_label;
};

// RFC 9293 Figure 5, arrow by arrow, plus the transitions its notes add.
const Arrow kFigure5[] = {
    {State::Closed, Event::OpenPassive, Guard::Always, State::Listen, {}, "passive OPEN"},
    {State::Closed, Event::OpenActive, Guard::Always, State::SynSent, {Act::SendSyn},
     "active OPEN / snd SYN"},
    {State::Listen, Event::Close, Guard::Always, State::Closed, {Act::DeleteTcb},
     "CLOSE / delete TCB"},
    {State::Listen, Event::Syn, Guard::Always, State::SynReceived, {Act::SendSynAck},
     "rcv SYN / snd SYN,ACK"},
    {State::Listen, Event::Send, Guard::RemoteSpecified, State::SynSent, {Act::SendSyn},
     "SEND / snd SYN"},
    {State::SynReceived, Event::RstExact, Guard::OpenedPassively, State::Listen, {},
     "rcv RST (note 1)"},
    {State::SynSent, Event::Syn, Guard::Always, State::SynReceived, {Act::SendSynAck},
     "rcv SYN / snd SYN,ACK (simultaneous open)"},
    {State::SynSent, Event::SynAck, Guard::Always, State::Established, {Act::SendAck},
     "rcv SYN,ACK / snd ACK"},
    {State::SynSent, Event::Close, Guard::Always, State::Closed, {Act::DeleteTcb},
     "CLOSE / delete TCB"},
    {State::SynReceived, Event::AckOfSyn, Guard::Always, State::Established, {},
     "rcv ACK of SYN"},
    {State::SynReceived, Event::Close, Guard::Always, State::FinWait1, {Act::SendFin},
     "CLOSE / snd FIN"},
    {State::Established, Event::Close, Guard::Always, State::FinWait1, {Act::SendFin},
     "CLOSE / snd FIN"},
    {State::Established, Event::Fin, Guard::Always, State::CloseWait, {Act::SendAck},
     "rcv FIN / snd ACK"},
    {State::FinWait1, Event::AckOfFin, Guard::Always, State::FinWait2, {}, "rcv ACK of FIN"},
    {State::FinWait1, Event::Fin, Guard::Always, State::Closing, {Act::SendAck},
     "rcv FIN / snd ACK (simultaneous close)"},
    {State::FinWait1, Event::FinAckOfFin, Guard::Always, State::TimeWait,
     {Act::SendAck, Act::StartTimeWait}, "rcv FIN with ACK of FIN (note 2)"},
    {State::FinWait2, Event::Fin, Guard::Always, State::TimeWait,
     {Act::SendAck, Act::StartTimeWait}, "rcv FIN / snd ACK"},
    {State::Closing, Event::AckOfFin, Guard::Always, State::TimeWait, {Act::StartTimeWait},
     "rcv ACK of FIN"},
    {State::CloseWait, Event::Close, Guard::Always, State::LastAck, {Act::SendFin},
     "CLOSE / snd FIN"},
    {State::LastAck, Event::AckOfFin, Guard::Always, State::Closed, {Act::DeleteTcb},
     "rcv ACK of FIN"},
    {State::TimeWait, Event::TimeWaitTimeout, Guard::Always, State::Closed, {Act::DeleteTcb},
     "Timeout=2MSL / delete TCB"},
};

bool includes(Acts have, Acts need) {
  for (Act a : kAllActs) {
    if (need.contains(a) && !have.contains(a)) return false;
  }
  return true;
}

// RFC 9293 Figure 5: every arrow of the diagram is a row of the table.
TEST(TableRows, EveryFigure5Arrow_IsARow) {
  for (const Arrow& a : kFigure5) {
    GuardFacts facts;
    facts.opened_passively = a.guard == Guard::OpenedPassively;
    facts.remote_specified = a.guard != Guard::RemoteUnspecified;
    const Row* r = kRfc9293.find(a.from, a.event, facts);
    ASSERT_NE(r, nullptr) << a.figure_label;
    EXPECT_EQ(r->guard, a.guard) << a.figure_label;
    EXPECT_EQ(r->to.resolve(a.from), a.to) << name(a.from) << ": " << a.figure_label;
    EXPECT_TRUE(includes(r->acts, a.must_do)) << name(a.from) << ": " << a.figure_label;
    EXPECT_TRUE(r->fires()) << a.figure_label;
    EXPECT_FALSE(r->section.empty());
  }
}

State next(State s, Event e, GuardFacts facts = {}) {
  const Row* r = kRfc9293.find(s, e, facts);
  EXPECT_NE(r, nullptr) << name(s) << " x " << name(e);
  return r == nullptr ? s : r->to.resolve(s);
}

Acts acts(State s, Event e, GuardFacts facts = {}) {
  const Row* r = kRfc9293.find(s, e, facts);
  EXPECT_NE(r, nullptr) << name(s) << " x " << name(e);
  return r == nullptr ? Acts{} : r->acts;
}

constexpr State kSynchronizedList[] = {State::SynReceived, State::Established, State::FinWait1,
                                       State::FinWait2,    State::CloseWait,   State::Closing,
                                       State::LastAck,     State::TimeWait};

// RFC 5961 3.2: in every synchronized state but TIME-WAIT, an exact RST
// ends the connection, one elsewhere in the window is challenged, one
// outside is dropped without reply.
TEST(TableRows, SynchronizedStates_Rst_ThreeWaySplit) {
  for (State s : kSynchronizedList) {
    if (s == State::TimeWait) continue;
    GuardFacts active;
    active.opened_passively = false;
    EXPECT_EQ(next(s, Event::RstExact, active), State::Closed) << name(s);
    EXPECT_TRUE(acts(s, Event::RstExact, active).contains(Act::DeleteTcb)) << name(s);
    EXPECT_EQ(next(s, Event::RstInWindow), s) << name(s);
    EXPECT_EQ(acts(s, Event::RstInWindow), Acts{Act::SendChallengeAck}) << name(s);
    EXPECT_EQ(next(s, Event::RstOutOfWindow), s) << name(s);
    EXPECT_TRUE(acts(s, Event::RstOutOfWindow).empty()) << name(s);
  }
}

// RFC 1337: TIME-WAIT ignores every RST, so an old one cannot cut it short.
TEST(TableRows, TimeWait_AnyRst_Ignored) {
  for (Event e : {Event::RstExact, Event::RstInWindow, Event::RstOutOfWindow}) {
    EXPECT_EQ(next(State::TimeWait, e), State::TimeWait) << name(e);
    EXPECT_TRUE(acts(State::TimeWait, e).empty()) << name(e);
  }
}

// RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK (but
// SYN-RECEIVED reached from LISTEN goes back there, RFC 9293 3.10.7.4).
TEST(TableRows, SynchronizedStates_Syn_ChallengeAck) {
  for (State s : kSynchronizedList) {
    GuardFacts active;
    active.opened_passively = false;
    EXPECT_EQ(next(s, Event::SynInSynchronized, active), s) << name(s);
    EXPECT_EQ(acts(s, Event::SynInSynchronized, active), Acts{Act::SendChallengeAck}) << name(s);
  }
  GuardFacts passive;
  passive.opened_passively = true;
  EXPECT_EQ(next(State::SynReceived, Event::SynInSynchronized, passive), State::Listen);
}

// RFC 9293 3.10.7.4 eighth step: a repeated FIN in TIME-WAIT is
// acknowledged and the 2MSL timer restarted.
TEST(TableRows, TimeWait_RetransmittedFin_AckedAndTimerRestarted) {
  EXPECT_EQ(next(State::TimeWait, Event::Fin), State::TimeWait);
  EXPECT_EQ(acts(State::TimeWait, Event::Fin), (Acts{Act::SendAck, Act::StartTimeWait}));
}

// RFC 1122 4.2.2.13: a newer SYN in TIME-WAIT opens a new incarnation.
TEST(TableRows, TimeWait_NewerSyn_NewIncarnation) {
  EXPECT_EQ(next(State::TimeWait, Event::SynNewerInTimeWait), State::SynReceived);
  EXPECT_TRUE(acts(State::TimeWait, Event::SynNewerInTimeWait).contains(Act::NewIncarnation));
  EXPECT_TRUE(acts(State::TimeWait, Event::SynNewerInTimeWait).contains(Act::SendSynAck));
}

// RFC 9293 3.10.7.3: a SYN-ACK acknowledging something we never sent is
// answered with RST and SYN-SENT waits on (the seed's old duplicate).
TEST(TableRows, SynSent_SynAckOfUnsentData_RstAndStay) {
  EXPECT_EQ(next(State::SynSent, Event::AckUnacceptable), State::SynSent);
  EXPECT_EQ(acts(State::SynSent, Event::AckUnacceptable), Acts{Act::SendRst});
}

// RFC 9293 3.10.7.3: RST with an acceptable ACK refuses the connection.
TEST(TableRows, SynSent_RstAcceptable_Refused) {
  EXPECT_EQ(next(State::SynSent, Event::RstExact), State::Closed);
  EXPECT_TRUE(acts(State::SynSent, Event::RstExact).contains(Act::SignalRefused));
}

// RFC 9293 3.10.7.1: without a TCB, everything but a RST is answered by one.
TEST(TableRows, Closed_NonRst_AnsweredWithRst) {
  for (Event e : {Event::Syn, Event::AckUnacceptable, Event::Stray}) {
    EXPECT_EQ(acts(State::Closed, e), Acts{Act::SendRst}) << name(e);
  }
  EXPECT_TRUE(acts(State::Closed, Event::RstOutOfWindow).empty());
}

// RFC 9293 3.10.8 / RFC 1122 4.2.3.5: retransmission gives up after the limit.
TEST(TableRows, Retransmission_RetriesExhausted_TimesOut) {
  GuardFacts exhausted;
  exhausted.retries_left = false;
  for (State s : {State::SynSent, State::Established, State::LastAck}) {
    EXPECT_EQ(next(s, Event::RetransmissionTimeout), s);
    EXPECT_EQ(acts(s, Event::RetransmissionTimeout), Acts{Act::Retransmit});
    EXPECT_EQ(next(s, Event::RetransmissionTimeout, exhausted), State::Closed);
    EXPECT_TRUE(acts(s, Event::RetransmissionTimeout, exhausted).contains(Act::SignalTimedOut));
  }
}

// Every RFC-AMBIGUITY and unreachable note explains itself.
TEST(TableRows, Notes_CarryText) {
  int ambiguities = 0;
  for (const Row& r : kRfc9293.rows()) {
    if (r.note.kind != NoteKind::None) {
      EXPECT_GT(r.note.text.size(), 20U);
    }
    if (r.note.kind == NoteKind::Ambiguity) ++ambiguities;
    // An unreachable row does nothing: it documents a cell, it is no arrow.
    if (!r.fires()) {
      EXPECT_TRUE(r.acts.empty() && r.to.is_stay());
    }
  }
  EXPECT_GE(ambiguities, 8);
}

}  // namespace
}  // namespace tcpmc::model
