// The sequence rules of RFC 9293 section 3.10.7 and RFC 5961, checked
// against reference definitions that enumerate sequence numbers one by one
// (no modular comparison at all), exhaustively at small widths, and on the
// corners that matter at 32 bits.
#include <gtest/gtest.h>

#include <cstdint>
#include <tcpmc/model/rules.hpp>

namespace tcpmc::model {
namespace {

// x is one of left, left+1, ..., left+size-1 (by walking, not comparing).
template <unsigned Bits>
bool ref_in_window(Seq<Bits> x, Seq<Bits> left, std::uint32_t size) {
  for (std::uint32_t k = 0; k < size; ++k) {
    if (left + k == x) return true;
  }
  return false;
}

// RFC 9293 3.10.7.4, the four cases of the acceptability table.
template <unsigned Bits>
bool ref_acceptable(Seq<Bits> seq, std::uint32_t len, Seq<Bits> nxt, std::uint32_t wnd) {
  if (len == 0 && wnd == 0) return seq == nxt;
  if (len == 0) return ref_in_window(seq, nxt, wnd);
  if (wnd == 0) return false;
  return ref_in_window(seq, nxt, wnd) || ref_in_window(seq + (len - 1), nxt, wnd);
}

template <unsigned Bits>
void acceptability_exhaustive() {
  using S = Seq<Bits>;
  constexpr std::uint32_t n = std::uint32_t{1} << Bits;
  for (std::uint32_t nxt = 0; nxt < n; ++nxt) {
    for (std::uint32_t wnd = 0; wnd < n / 2; ++wnd) {
      for (std::uint32_t seq = 0; seq < n; ++seq) {
        for (std::uint32_t len = 0; len < n / 2; ++len) {
          ASSERT_EQ(segment_acceptable(S(seq), len, S(nxt), wnd),
                    ref_acceptable(S(seq), len, S(nxt), wnd))
              << "seq=" << seq << " len=" << len << " nxt=" << nxt << " wnd=" << wnd;
        }
      }
    }
  }
}

// RFC 9293 3.10.7.4: acceptability equals the four cases for every window
// below half the sequence space.
TEST(Acceptability, FourCases_Exhaustive4Bits_MatchReference) { acceptability_exhaustive<4>(); }
TEST(Acceptability, FourCases_Exhaustive5Bits_MatchReference) { acceptability_exhaustive<5>(); }

// RFC 9293 3.10.7.4: zero window accepts only an empty segment at RCV.NXT.
TEST(Acceptability, ZeroWindow_OnlyEmptySegmentAtRcvNxt) {
  const Seq32 nxt(1000);
  EXPECT_TRUE(segment_acceptable(nxt, 0U, nxt, 0U));
  EXPECT_FALSE(segment_acceptable(nxt + 1U, 0U, nxt, 0U));
  EXPECT_FALSE(segment_acceptable(nxt, 1U, nxt, 0U));
}

// RFC 9293 3.10.7.4: a segment overlapping the left edge is acceptable
// (its tail is new), one wholly left of it is not.
TEST(Acceptability, LeftEdgeOverlap_Accepted_WhollyOld_Rejected) {
  const Seq32 nxt(0xfffffff0U);
  EXPECT_TRUE(segment_acceptable(nxt - 10U, 11U, nxt, 100U));
  EXPECT_FALSE(segment_acceptable(nxt - 10U, 10U, nxt, 100U));
  EXPECT_TRUE(segment_acceptable(nxt + 99U, 1000U, nxt, 100U));
  EXPECT_FALSE(segment_acceptable(nxt + 100U, 1U, nxt, 100U));
}

// RFC 9293 3.10.7.4 fifth step: SND.UNA < SEG.ACK =< SND.NXT.
TEST(AckAcceptable, Exhaustive4Bits_MatchesReference) {
  using S = Seq<4>;
  for (std::uint32_t una = 0; una < 16; ++una) {
    for (std::uint32_t out = 0; out < 8; ++out) {
      const S u(una), nxt = S(una) + out;
      for (std::uint32_t a = 0; a < 16; ++a) {
        // Reference: the ACK is one of una+1 ... una+out.
        bool ref = false;
        for (std::uint32_t k = 1; k <= out; ++k) ref = ref || (u + k == S(a));
        ASSERT_EQ(ack_acceptable(u, S(a), nxt), ref) << una << " " << out << " " << a;
      }
    }
  }
}

// RFC 5961 5.2: SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT.
TEST(AckInRange, Exhaustive4Bits_MatchesReference) {
  using S = Seq<4>;
  for (std::uint32_t una = 0; una < 16; ++una) {
    for (std::uint32_t out = 0; out < 4; ++out) {
      for (std::uint32_t maxwnd = 0; maxwnd < 4; ++maxwnd) {
        const S u(una), nxt = S(una) + out;
        for (std::uint32_t a = 0; a < 16; ++a) {
          const bool ref = ref_in_window(S(a), u - maxwnd, maxwnd + out + 1);
          ASSERT_EQ(ack_in_range(u, maxwnd, S(a), nxt), ref) << una << " " << out << " " << a;
        }
      }
    }
  }
}

// RFC 5961 3.2: exact resets, elsewhere in the window challenges, outside drops.
TEST(RstVerdict, Exhaustive4Bits_MatchesRfc5961) {
  using S = Seq<4>;
  for (std::uint32_t nxt = 0; nxt < 16; ++nxt) {
    for (std::uint32_t wnd = 0; wnd < 8; ++wnd) {
      for (std::uint32_t seq = 0; seq < 16; ++seq) {
        const Verdict expected = seq == nxt ? Verdict::Reset
                                 : ref_in_window(S(seq), S(nxt), wnd) ? Verdict::ChallengeAck
                                                                      : Verdict::Drop;
        ASSERT_EQ(rst_verdict(S(seq), S(nxt), wnd), expected) << nxt << " " << wnd << " " << seq;
      }
    }
  }
}

// RFC 5961 3.2 at 32 bits: the window's right edge is outside it.
TEST(RstVerdict, Seq32_RightEdge_Drops_LastInside_Challenges) {
  const Seq32 nxt(0xffffff00U);
  EXPECT_EQ(rst_verdict(nxt, nxt, 0x200U), Verdict::Reset);
  EXPECT_EQ(rst_verdict(nxt + 0x1ffU, nxt, 0x200U), Verdict::ChallengeAck);
  EXPECT_EQ(rst_verdict(nxt + 0x200U, nxt, 0x200U), Verdict::Drop);
  EXPECT_EQ(rst_verdict(nxt - 1U, nxt, 0x200U), Verdict::Drop);
  // With a zero window only the exact RST is honoured.
  EXPECT_EQ(rst_verdict(nxt + 1U, nxt, 0U), Verdict::Drop);
}

// RFC 5961 4.2: a SYN in a synchronized state is always challenged.
TEST(SynVerdict, AnySequenceNumber_Challenged) {
  for (std::uint32_t s = 0; s < 16; ++s) {
    EXPECT_EQ(syn_verdict(Seq<4>(s), Seq<4>(3)), Verdict::ChallengeAck);
  }
}

// RFC 1122 4.2.2.13: only a SYN after RCV.NXT may replace TIME-WAIT.
TEST(SynNewer, OnlyAfterRcvNxt) {
  const Seq32 nxt(0xfffffffeU);
  EXPECT_TRUE(syn_newer(nxt + 1U, nxt));
  EXPECT_TRUE(syn_newer(nxt + 100U, nxt));
  EXPECT_FALSE(syn_newer(nxt, nxt));
  EXPECT_FALSE(syn_newer(nxt - 1U, nxt));
}

// RFC 9293 3.10.7.4 fifth step: (SND.WL1, SND.WL2) only move forward.
TEST(WindowUpdate, OlderSegment_Refused_NewerOrSame_Taken) {
  const Seq32 una(100), nxt(200), wl1(5000), wl2(150);
  EXPECT_TRUE(window_update_allowed(una, nxt, wl1, wl2, wl1 + 1U, Seq32(120)));
  EXPECT_TRUE(window_update_allowed(una, nxt, wl1, wl2, wl1, Seq32(150)));
  EXPECT_FALSE(window_update_allowed(una, nxt, wl1, wl2, wl1, Seq32(149)));
  EXPECT_FALSE(window_update_allowed(una, nxt, wl1, wl2, wl1 - 1U, Seq32(200)));
  // An ACK of something never sent updates nothing.
  EXPECT_FALSE(window_update_allowed(una, nxt, wl1, wl2, wl1 + 1U, Seq32(201)));
}

}  // namespace
}  // namespace tcpmc::model
