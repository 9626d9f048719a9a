// tcpmc::Expected, the project's stand-in for C++23 std::expected.
#include <gtest/gtest.h>

#include <string>
#include <tcpmc/wire/expected.hpp>
#include <utility>

namespace tcpmc {
namespace {

enum class Err { A, B };

constexpr Expected<int, Err> half(int v) {
  if (v % 2 != 0) return unexpected(Err::A);
  return v / 2;
}

static_assert(half(4).value() == 2);
static_assert(!half(3).has_value() && half(3).error() == Err::A);
static_assert(std::is_trivially_copyable_v<Expected<int, Err>>);

TEST(Expected, Value_HoldsValue) {
  const auto r = half(10);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 5);
  EXPECT_EQ(r.value(), 5);
  EXPECT_EQ(r.value_or(-1), 5);
  EXPECT_EQ(r, 5);
}

TEST(Expected, Error_HoldsError) {
  const auto r = half(7);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error(), Err::A);
  EXPECT_EQ(r.value_or(-1), -1);
  EXPECT_EQ(r, unexpected(Err::A));
  EXPECT_FALSE(r == unexpected(Err::B));
  EXPECT_FALSE(r == half(8));
}

// Non-trivial payloads are constructed, copied, moved and destroyed properly
// (ASan would see a leak or double free otherwise).
TEST(Expected, NonTrivialValue_CopiesMovesAndReassigns) {
  Expected<std::string, Err> a = std::string(100, 'x');
  Expected<std::string, Err> b = a;
  EXPECT_EQ(*b, std::string(100, 'x'));
  Expected<std::string, Err> c = std::move(a);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->size(), 100U);
  Expected<std::string, Err> d = unexpected(Err::B);
  d = c;
  EXPECT_EQ(d, c);
  c = unexpected(Err::A);
  EXPECT_EQ(c.error(), Err::A);
  d = std::move(c);
  EXPECT_EQ(d.error(), Err::A);
  Expected<std::string, Err> e = unexpected(Err::B);
  Expected<std::string, Err> f = e;
  EXPECT_EQ(f.error(), Err::B);
  Expected<std::string, Err> g = std::move(e);
  EXPECT_EQ(g.error(), Err::B);
  f = std::move(b);
  EXPECT_EQ(f.value(), std::string(100, 'x'));
  g = f;
  EXPECT_EQ(g, f);
  f = g;  // value over value
  e = unexpected(Err::A);
  f = e;  // error over value
  EXPECT_EQ(f.error(), Err::A);
  const auto& same = f;
  f = same;  // self-assignment keeps the error
  EXPECT_EQ(f.error(), Err::A);
}

// Asking for the value of an error is a caller bug: it aborts, never throws.
TEST(ExpectedDeathTest, ValueOfError_Aborts) {
  const auto r = half(1);
  EXPECT_DEATH((void)r.value(), "");
  const auto ok = half(2);
  EXPECT_DEATH((void)ok.error(), "");
}

}  // namespace
}  // namespace tcpmc
