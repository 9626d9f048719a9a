// The explorer's model keeps the premises RFC 9293 section 3.4.1 rests on;
// where it cannot, Bounds::validate() refuses the configuration.
#include <gtest/gtest.h>

#include <tcpmc/core/connection.hpp>
#include <tcpmc/model/seq.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/params.hpp>
#include <tcpmc/verify/explore/system.hpp>

namespace tcpmc::verify::explore {
namespace {

using C = core::Connection<ExploreParams>;
constexpr core::FourTuple kTuple{kClientEndpoint, kServerEndpoint};

C::Seq iss_at(C::Time now) {
  C c(core::Config<ExploreParams>::small_defaults());
  c.open_active(now, kTuple);
  return c.iss();
}

// RFC 9293 3.4.1: a new incarnation of the 4-tuple, opened a tick or more
// after the last, starts beyond every sequence number the last one could
// have used (SYN, its bytes, FIN), as long as it opens within the time
// a run lasts (at most ExploreParams::kMaxTicks, which Bounds::validate()
// enforces).
TEST(ExploreModel, NewIncarnation_StartsAboveTheLast) {
  constexpr std::uint32_t kUsedByOne = ExploreParams::kMaxUsedPerIncarnation;
  constexpr std::uint32_t kHorizon = ExploreParams::kMaxTicks;
  for (C::Time t0 = kClockBase; t0 < kClockBase + 32; ++t0) {
    const C::Seq first = iss_at(t0);
    for (C::Time dt = 1; dt <= kHorizon; ++dt) {
      const C::Seq next = iss_at(t0 + dt);
      for (std::uint32_t used = 0; used < kUsedByOne; ++used) {
        EXPECT_TRUE(model::after(next, first + used))
            << "ISS " << next.raw() << " at +" << dt << " ticks is not above " << first.raw()
            << " + " << used;
      }
    }
  }
}

// The 4-bit SmallParams cannot keep that premise: its clock comes round
// every 16 ticks and moves one number per tick. This is why the explorer
// has its own parameters (explore/params.hpp).
TEST(ExploreModel, FourBitClock_WouldReuseNumbersWithinTheHorizon) {
  using Small = core::Connection<core::SmallParams>;
  Small a(core::Config<core::SmallParams>::small_defaults());
  Small b(core::Config<core::SmallParams>::small_defaults());
  a.open_active(16, kTuple);
  b.open_active(17, kTuple);  // one tick later: only one number further
  EXPECT_FALSE(model::after(b.iss(), a.iss() + 2));
}

TEST(ExploreModel, Defaults_AreValid) { EXPECT_FALSE(Bounds{}.validate()); }

TEST(ExploreModel, RunLongerThanTheIsnClockAllows_Refused) {
  Bounds b;
  b.ticks = static_cast<std::uint8_t>(ExploreParams::kMaxTicks + 1);
  const auto why = b.validate();
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("ticks"), std::string::npos);
  b.ticks = static_cast<std::uint8_t>(ExploreParams::kMaxTicks);
  EXPECT_FALSE(b.validate());
}

TEST(ExploreModel, MoreBytesThanTheBuffers_Refused) {
  Bounds b;
  b.bytes = 4;
  EXPECT_TRUE(b.validate());
  b.bytes = 3;
  EXPECT_FALSE(b.validate());
}

// The retransmission timeout stays below MSL (system.hpp), so MSL needs
// two ticks at least.
TEST(ExploreModel, MslBelowTwoTicks_Refused) {
  Bounds b;
  b.msl = 1;
  EXPECT_TRUE(b.validate());
  b.msl = 2;
  EXPECT_FALSE(b.validate());
}

}  // namespace
}  // namespace tcpmc::verify::explore
