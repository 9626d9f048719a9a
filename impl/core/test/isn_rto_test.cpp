// The ISN of RFC 6528 and the retransmission timeout of RFC 6298.
#include <gtest/gtest.h>

#include <sodium.h>

#include <array>
#include <cstdint>
#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/isn.hpp>
#include <tcpmc/core/rto.hpp>
#include <tcpmc/model/variants.hpp>

namespace tcpmc::core {
namespace {

constexpr FourTuple kTuple{{0xC6120001, 40000}, {0xC6120002, 80}};

IsnSecret secret(std::uint8_t fill) {
  IsnSecret s;
  s.fill(fill);
  return s;
}

// The hash is libsodium's crypto_shorthash; check it is SipHash-2-4 as
// RFC 6528 suggests, with the reference vector of the SipHash paper (key
// 00..0f, message 00..0e).
TEST(Isn, Shorthash_IsSipHash24) {
  std::array<std::uint8_t, 16> key{};
  std::array<std::uint8_t, 15> msg{};
  for (std::uint8_t i = 0; i < 16; ++i) key[i] = i;
  for (std::uint8_t i = 0; i < 15; ++i) msg[i] = i;
  std::array<std::uint8_t, 8> out{};
  crypto_shorthash(out.data(), msg.data(), msg.size(), key.data());
  const std::array<std::uint8_t, 8> expected = {0xe5, 0x45, 0xbe, 0x49, 0x61, 0xca, 0x29, 0xa1};
  EXPECT_EQ(out, expected);
}

// RFC 6528 section 3: F depends on every element of the 4-tuple and on the
// secret, and is a function (same inputs, same output).
TEST(Isn, Offset_DependsOnEveryTupleFieldAndTheSecret) {
  const std::uint32_t base = isn_offset(kTuple, secret(1));
  EXPECT_EQ(isn_offset(kTuple, secret(1)), base);
  FourTuple t = kTuple;
  t.local.address ^= 1;
  EXPECT_NE(isn_offset(t, secret(1)), base);
  t = kTuple;
  t.local.port ^= 1;
  EXPECT_NE(isn_offset(t, secret(1)), base);
  t = kTuple;
  t.remote.address ^= 1;
  EXPECT_NE(isn_offset(t, secret(1)), base);
  t = kTuple;
  t.remote.port ^= 1;
  EXPECT_NE(isn_offset(t, secret(1)), base);
  EXPECT_NE(isn_offset(kTuple, secret(2)), base);
}

template <const model::Spec& S>
std::uint32_t iss_at(StackParams::Time now) {
  auto config = Config<StackParams>::stack_defaults();
  config.isn_secret = secret(7);
  Connection<StackParams, S> c(config);
  c.open_active(now, kTuple);
  return c.iss().raw();
}

// RFC 6528 / RFC 9293 3.4.1: ISN = M + F, with M ticking every 4 us.
TEST(Isn, Connection_IssIsFourMicrosecondClockPlusOffset) {
  const std::uint32_t f = isn_offset(kTuple, secret(7));
  EXPECT_EQ(iss_at<model::kRfc9293>(0), f);
  EXPECT_EQ(iss_at<model::kRfc9293>(4), f + 1);
  EXPECT_EQ(iss_at<model::kRfc9293>(4'000'000), f + 1'000'000);
  EXPECT_EQ(iss_at<model::kRfc9293>(3), f);  // within one tick
}

inline constexpr model::Spec kFixedIsn = model::fixed_isn(model::rfc9293());

// The fixed-ISN variant starts every incarnation at zero.
TEST(Isn, FixedIsnVariant_AlwaysZero) {
  EXPECT_EQ(iss_at<kFixedIsn>(0), 0U);
  EXPECT_EQ(iss_at<kFixedIsn>(123456789), 0U);
}

using Rto = RtoEstimator<std::uint64_t>;
constexpr RtoConfig<std::uint64_t> kRto{1'000'000, 200'000, 60'000'000, 1'000};

// RFC 6298 2.1: one second before any measurement.
TEST(Rto, NoSample_OneSecond) { EXPECT_EQ(Rto(kRto).rto(), 1'000'000U); }

// RFC 6298 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4 RTTVAR).
TEST(Rto, FirstSample_ThreeTimesRtt) {
  Rto r(kRto);
  r.on_sample(100'000);
  EXPECT_EQ(r.srtt(), 100'000U);
  EXPECT_EQ(r.rttvar(), 50'000U);
  EXPECT_EQ(r.rto(), 300'000U);
}

// RFC 6298 2.3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT <- 7/8 SRTT + 1/8 R'.
TEST(Rto, LaterSample_SmoothedAsRfc6298) {
  Rto r(kRto);
  r.on_sample(100'000);
  r.on_sample(180'000);
  EXPECT_EQ(r.rttvar(), (3 * 50'000 + 80'000) / 4U);
  EXPECT_EQ(r.srtt(), (7 * 100'000 + 180'000) / 8U);
  EXPECT_EQ(r.rto(), r.srtt() + 4 * r.rttvar());
}

// RFC 6298 2.4: never below the minimum.
TEST(Rto, SmallRtt_ClampedToMinimum) {
  Rto r(kRto);
  r.on_sample(1'000);
  EXPECT_EQ(r.rto(), 200'000U);
}

// RFC 6298 5.5: backoff doubles, up to the maximum.
TEST(Rto, Backoff_DoublesUpToMaximum) {
  Rto r(kRto);
  r.back_off();
  EXPECT_EQ(r.rto(), 2'000'000U);
  for (int i = 0; i < 10; ++i) r.back_off();
  EXPECT_EQ(r.rto(), 60'000'000U);
}

}  // namespace
}  // namespace tcpmc::core
