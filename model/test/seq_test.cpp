// Sequence-number comparison, RFC 9293 section 3.4: modular, with the order
// undefined at exactly half the circle.
#include <gtest/gtest.h>

#include <cstdint>
#include <tcpmc/model/seq.hpp>

namespace tcpmc::model {
namespace {

using S32 = Seq<32>;

// RFC 9293 3.4: comparisons wrap around 2^32.
TEST(Seq32, Before_AcrossWraparound_IsTrue) {
  EXPECT_TRUE(before(S32(0xffffffffU), S32(0)));
  EXPECT_TRUE(before(S32(0xfffffff0U), S32(0x10)));
  EXPECT_TRUE(after(S32(5), S32(0xfffffffbU)));
  EXPECT_FALSE(before(S32(0x10), S32(0xfffffff0U)));
}

// RFC 9293 3.4: a number is neither before nor after itself.
TEST(Seq32, Before_Equal_IsFalseBothWays) {
  for (std::uint32_t v : {0U, 1U, 0x7fffffffU, 0x80000000U, 0xffffffffU}) {
    EXPECT_FALSE(before(S32(v), S32(v)));
    EXPECT_FALSE(after(S32(v), S32(v)));
    EXPECT_TRUE(before_or_eq(S32(v), S32(v)));
    EXPECT_TRUE(after_or_eq(S32(v), S32(v)));
  }
}

// RFC 9293 3.4: at distance 2^31 the comparison is undefined; we answer
// "neither", so no code can rely on either direction there.
TEST(Seq32, Before_AtHalfCircle_IsFalseBothWays) {
  for (std::uint32_t v : {0U, 1U, 0x12345678U, 0x80000000U, 0xffffffffU}) {
    const S32 a(v);
    const S32 b = a + 0x80000000U;
    EXPECT_FALSE(before(a, b)) << v;
    EXPECT_FALSE(before(b, a)) << v;
    EXPECT_FALSE(after(a, b)) << v;
    EXPECT_FALSE(after(b, a)) << v;
  }
}

// Just inside half the circle the order is defined and antisymmetric.
TEST(Seq32, Before_JustInsideHalfCircle_IsDefined) {
  const S32 a(0x40000000U);
  EXPECT_TRUE(before(a, a + 0x7fffffffU));
  EXPECT_TRUE(after(a, a + 0x80000001U));
  EXPECT_EQ(signed_distance(a, a + 0x7fffffffU), 0x7fffffffLL);
  EXPECT_EQ(signed_distance(a, a + 0x80000000U), -0x80000000LL);
  EXPECT_EQ(signed_distance(a, a - 1U), -1);
}

TEST(Seq32, Arithmetic_WrapsModulo2To32) {
  EXPECT_EQ((S32(0xffffffffU) + 2U).raw(), 1U);
  EXPECT_EQ((S32(1) - 2U).raw(), 0xffffffffU);
  EXPECT_EQ(distance(S32(0xfffffffeU), S32(3)), 5U);
}

// Exhaustive at a small width: the relation is a strict order on every
// arc shorter than half the circle, for every starting point.
template <unsigned Bits>
void check_exhaustively() {
  using S = Seq<Bits>;
  constexpr std::uint32_t n = std::uint32_t{1} << Bits;
  for (std::uint32_t x = 0; x < n; ++x) {
    for (std::uint32_t y = 0; y < n; ++y) {
      const S a(x), b(y);
      const std::uint32_t d = (y - x) & S::kMask;
      // Definition, stated independently of the implementation.
      EXPECT_EQ(before(a, b), d >= 1 && d < n / 2) << x << " " << y;
      // Antisymmetry and totality away from the half point.
      EXPECT_FALSE(before(a, b) && before(b, a));
      if (x != y && d != n / 2) {
        EXPECT_TRUE(before(a, b) || before(b, a));
      }
      EXPECT_EQ(after(a, b), before(b, a));
      EXPECT_EQ(signed_distance(a, b) > 0, before(a, b));
      // Transitivity on arcs shorter than half the circle starting at a.
      for (std::uint32_t k = 1; k < n / 2; ++k) {
        const S c = a + k;
        if (before(a, b) && before(b, c)) {
          EXPECT_TRUE(before(a, c));
        }
      }
    }
  }
}

TEST(SeqSmall, Order_Exhaustive3Bits_IsStrictOrderOnHalfArcs) { check_exhaustively<3>(); }
TEST(SeqSmall, Order_Exhaustive4Bits_IsStrictOrderOnHalfArcs) { check_exhaustively<4>(); }
TEST(SeqSmall, Order_Exhaustive8Bits_IsStrictOrderOnHalfArcs) { check_exhaustively<8>(); }

TEST(SeqSmall, Construction_MasksToWidth) {
  EXPECT_EQ(Seq<4>(17).raw(), 1U);
  EXPECT_EQ((Seq<4>(15) + 1U).raw(), 0U);
  EXPECT_EQ(Seq<4>::kHalf, 8U);
}

}  // namespace
}  // namespace tcpmc::model
