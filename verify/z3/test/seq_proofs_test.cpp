// The sequence-space proofs, and that each can fail: a rule read with
// z3++'s signed `<` and windows reaching 2^31 are refuted (DESIGN.md,
// principle 5).
#include <gtest/gtest.h>
#include <z3++.h>

#include <cstdint>
#include <random>
#include <tcpmc/model/rules.hpp>
#include <tcpmc/model/seq.hpp>
#include <tcpmc/verify/z3/expr.hpp>
#include <tcpmc/verify/z3/seq_proofs.hpp>

namespace {

namespace vz = tcpmc::verify::z3;
using vz::LenExpr;
using vz::SeqExpr;
using vz::Verdict;
constexpr unsigned kTimeout = 10000;

}  // namespace

// The reading principle 5 warns about: z3++'s `<` on bit-vectors, which is
// the signed comparison of the raw values, not the modular order.
namespace wrong {

class SignedSeq {
 public:
  explicit SignedSeq(::z3::expr e) : e_(std::move(e)) {}
  const ::z3::expr& expr() const { return e_; }

 private:
  ::z3::expr e_;
};

inline SignedSeq operator+(const SignedSeq& s, const LenExpr& n) { return SignedSeq(s.expr() + n.expr()); }
inline SignedSeq operator-(const SignedSeq& s, const LenExpr& n) { return SignedSeq(s.expr() - n.expr()); }
inline SignedSeq operator-(const SignedSeq& s, std::uint32_t n) {
  return SignedSeq(s.expr() - vz::same_width(s.expr(), n));
}
inline ::z3::expr operator==(const SignedSeq& a, const SignedSeq& b) { return a.expr() == b.expr(); }
inline ::z3::expr before(const SignedSeq& a, const SignedSeq& b) { return a.expr() < b.expr(); }
inline ::z3::expr after(const SignedSeq& a, const SignedSeq& b) { return b.expr() < a.expr(); }
inline ::z3::expr before_or_eq(const SignedSeq& a, const SignedSeq& b) { return a.expr() <= b.expr(); }
inline ::z3::expr after_or_eq(const SignedSeq& a, const SignedSeq& b) { return b.expr() <= a.expr(); }

}  // namespace wrong

namespace {

// RFC 9293 3.4: the modular order is strict and total inside a window below 2^31.
TEST(SeqOrder, StrictTotalBelowHalf_Proved) {
  EXPECT_EQ(vz::order_is_strict<SeqExpr>(kTimeout).verdict, Verdict::Proved);
}

// RFC 9293 3.4: at distance 2^31 neither is before the other.
TEST(SeqOrder, WindowReachingHalf_RefutedAtDistanceHalf) {
  const auto o = vz::order_is_strict<SeqExpr>(kTimeout, true);
  ASSERT_EQ(o.verdict, Verdict::Counterexample);
  bool at_half = false;
  for (const auto& v : o.values) {
    if ((v.name == "c - a" || v.name == "b - a" || v.name == "c - b") &&
        v.value.starts_with("0x80000000 ")) {
      at_half = true;
    }
  }
  EXPECT_TRUE(at_half) << vz::values_text(o);
}

// RFC 9293 3.10.7.4: the four cases.
TEST(SegmentAcceptable, FourCases_Proved) {
  EXPECT_EQ((vz::segment_acceptable_is_rfc<SeqExpr, LenExpr>(kTimeout).verdict), Verdict::Proved);
}

// Principle 5: the same rule read with a signed `<` is wrong, and Z3 says so.
TEST(SegmentAcceptable, SignedComparison_Refuted) {
  const auto o = vz::segment_acceptable_is_rfc<wrong::SignedSeq, LenExpr>(kTimeout);
  EXPECT_EQ(o.verdict, Verdict::Counterexample);
  EXPECT_FALSE(o.failed_claims.empty());
}

TEST(SeqOrder, SignedComparison_Refuted) {
  EXPECT_EQ(vz::order_is_strict<wrong::SignedSeq>(kTimeout).verdict, Verdict::Counterexample);
}

// RFC 9293 3.4: a window of 2^31 is too large; x = RCV.NXT is then refused.
TEST(SegmentAcceptable, WindowOfHalf_Refuted) {
  EXPECT_EQ((vz::segment_acceptable_is_rfc<SeqExpr, LenExpr>(kTimeout, vz::kHalf32 + 1).verdict),
            Verdict::Counterexample);
}

// RFC 9293 3.10.7.4 fifth step.
TEST(AckRules, Acceptable_Proved) {
  EXPECT_EQ(vz::ack_acceptable_is_rfc<SeqExpr>(kTimeout).verdict, Verdict::Proved);
}

TEST(AckRules, AcceptableSignedComparison_Refuted) {
  EXPECT_EQ(vz::ack_acceptable_is_rfc<wrong::SignedSeq>(kTimeout).verdict, Verdict::Counterexample);
}

// RFC 5961 5.2.
TEST(AckRules, InRange_Proved) {
  EXPECT_EQ((vz::ack_in_range_is_rfc5961<SeqExpr, LenExpr>(kTimeout).verdict), Verdict::Proved);
}

TEST(AckRules, InRangeSignedComparison_Refuted) {
  EXPECT_EQ((vz::ack_in_range_is_rfc5961<wrong::SignedSeq, LenExpr>(kTimeout).verdict),
            Verdict::Counterexample);
}

// RFC 5961 3.2.
TEST(RstRules, ExactResetsInWindowChallenges_Proved) {
  EXPECT_EQ((vz::rst_rules_are_rfc5961<SeqExpr, LenExpr>(kTimeout).verdict), Verdict::Proved);
}

TEST(RstRules, SignedComparison_Refuted) {
  EXPECT_EQ((vz::rst_rules_are_rfc5961<wrong::SignedSeq, LenExpr>(kTimeout).verdict),
            Verdict::Counterexample);
}

// RFC 9293 3.10.7.4 fifth step (SND.WL1, SND.WL2).
TEST(WindowUpdate, NeverRecedes_Proved) {
  EXPECT_EQ((vz::window_update_never_recedes<SeqExpr, LenExpr>(kTimeout).verdict), Verdict::Proved);
}

// The exception the claim states: a reordered older segment with the same
// SEG.SEQ and SEG.ACK but a smaller window is taken, and the edge recedes.
TEST(WindowUpdate, SameSeqAndAck_RefutedWithoutTheException) {
  const auto o = vz::window_update_never_recedes<SeqExpr, LenExpr>(kTimeout, true);
  ASSERT_EQ(o.verdict, Verdict::Counterexample);
  ASSERT_EQ(o.failed_claims.size(), 1U);
  EXPECT_EQ(o.failed_claims[0], "an update never moves SND.WL2 + SND.WND back");
}

// The two instantiations agree: the engine's rule over Seq32 and the Z3
// one over numerals, on random values (windows below 2^31).
TEST(SegmentAcceptable, Seq32AndBitVectorInstantiationsAgree) {
  ::z3::context c;
  std::mt19937 gen(9);
  std::uniform_int_distribution<std::uint32_t> any;
  for (int i = 0; i < 500; ++i) {
    const std::uint32_t seq = any(gen), nxt = i % 2 == 0 ? seq - (any(gen) % 70000U) : any(gen);
    const std::uint32_t len = i % 5 == 0 ? 0 : any(gen) % 3000U;
    const std::uint32_t wnd = i % 7 == 0 ? 0 : any(gen) % 100000U;
    using tcpmc::model::Seq32;
    const bool engine = tcpmc::model::segment_acceptable(Seq32(seq), len, Seq32(nxt), wnd);
    const ::z3::expr e = tcpmc::model::segment_acceptable(
        SeqExpr(c.bv_val(seq, 32)), LenExpr(c.bv_val(len, 32)), SeqExpr(c.bv_val(nxt, 32)),
        LenExpr(c.bv_val(wnd, 32)));
    EXPECT_EQ(engine, e.simplify().is_true()) << seq << " " << len << " " << nxt << " " << wnd;
  }
}

}  // namespace
