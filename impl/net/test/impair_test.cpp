// The impairment layer over an in-memory device: each impairment does what
// its flag says, in both directions, and a seed fixes every packet's fate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <tcpmc/net/impair.hpp>
#include <vector>

namespace tcpmc::net {
namespace {

std::vector<std::byte> packet(std::uint8_t tag) { return {std::byte{tag}, std::byte{0x45}}; }

// Tags of the packets the stack side reads, at time `now`.
std::vector<int> read_all(ImpairLayer& layer, DeviceTime now) {
  layer.on_time(now);
  std::vector<int> tags;
  std::byte buffer[64];
  for (int i = 0; i < 10'000; ++i) {
    const IoResult r = layer.read(buffer);
    if (r.status != IoStatus::Ok) break;
    tags.push_back(std::to_integer<int>(buffer[0]));
  }
  return tags;
}

std::vector<int> inbound_through(const Impairment& imp, int count, DeviceTime drain_at) {
  MemoryDevice dev;
  ImpairLayer layer(dev, imp);
  for (int i = 0; i < count; ++i) dev.inject(packet(static_cast<std::uint8_t>(i)));
  std::vector<int> tags = read_all(layer, 0);
  const std::vector<int> later = read_all(layer, drain_at);
  tags.insert(tags.end(), later.begin(), later.end());
  return tags;
}

TEST(Impair, NoImpairment_PassesEverythingInOrder) {
  const auto tags = inbound_through({}, 50, 0);
  ASSERT_EQ(tags.size(), 50U);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(tags[static_cast<std::size_t>(i)], i);
}

TEST(Impair, Loss_DropsAboutTheFractionAndCountsIt) {
  MemoryDevice dev;
  ImpairLayer layer(dev, {.loss = 0.25, .seed = 7});
  for (int i = 0; i < 200; ++i) dev.inject(packet(static_cast<std::uint8_t>(i)));
  std::size_t got = 0;
  for (int round = 0; round < 10; ++round) got += read_all(layer, 0).size();
  const auto& c = layer.counters().inbound;
  EXPECT_EQ(c.packets, 200U);
  EXPECT_EQ(c.dropped + got, 200U);
  EXPECT_GT(c.dropped, 25U);  // 50 expected; far from both 0 and all
  EXPECT_LT(c.dropped, 80U);
}

TEST(Impair, Duplicate_EveryPacketTwiceAdjacent) {
  const auto tags = inbound_through({.duplicate = 1.0}, 10, 0);
  ASSERT_EQ(tags.size(), 20U);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(tags[2 * static_cast<std::size_t>(i)], i);
    EXPECT_EQ(tags[2 * static_cast<std::size_t>(i) + 1], i);
  }
}

TEST(Impair, Delay_HeldUntilDueThenReleasedWithDeadline) {
  MemoryDevice dev;
  ImpairLayer layer(dev, {.delay = 5000});
  dev.inject(packet(1));
  EXPECT_TRUE(read_all(layer, 0).empty());
  ASSERT_TRUE(layer.next_deadline());
  EXPECT_EQ(*layer.next_deadline(), 5000U);
  EXPECT_TRUE(read_all(layer, 4999).empty());
  EXPECT_EQ(read_all(layer, 5000), std::vector<int>{1});
  EXPECT_FALSE(layer.next_deadline());
}

TEST(Impair, Reorder_HeldPacketsAreOvertakenNotLost) {
  const auto tags = inbound_through({.reorder = 0.3, .seed = 3}, 40, 1'000'000);
  ASSERT_EQ(tags.size(), 40U);  // reordered, never lost
  std::vector<int> sorted = tags;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 40; ++i) EXPECT_EQ(sorted[static_cast<std::size_t>(i)], i);
  EXPECT_NE(tags, sorted);  // but not in order
}

TEST(Impair, Outbound_ImpairedToo_AndReleasedOnTime) {
  MemoryDevice dev;
  ImpairLayer layer(dev, {.duplicate = 1.0, .delay = 1000});
  layer.on_time(0);
  const auto p = packet(9);
  ASSERT_EQ(layer.write(p).status, IoStatus::Ok);
  EXPECT_TRUE(dev.written().empty());  // held for the delay
  layer.on_time(1000);
  EXPECT_EQ(dev.written().size(), 2U);  // and duplicated
  EXPECT_EQ(layer.counters().outbound.duplicated, 1U);
  EXPECT_EQ(layer.counters().outbound.delivered, 2U);
}

TEST(Impair, SameSeed_SameFates_OtherSeed_Others) {
  const Impairment imp{.loss = 0.1, .duplicate = 0.1, .reorder = 0.1, .seed = 42};
  const auto a = inbound_through(imp, 300, 1'000'000);
  const auto b = inbound_through(imp, 300, 1'000'000);
  EXPECT_EQ(a, b);
  Impairment other = imp;
  other.seed = 43;
  EXPECT_NE(a, inbound_through(other, 300, 1'000'000));
}

TEST(Impair, ParseDelay_MillisecondsAndJitter) {
  const auto d = parse_delay("20:5", {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->delay, 20'000U);
  EXPECT_EQ(d->jitter, 5'000U);
  EXPECT_EQ(parse_delay("7", {})->jitter, 0U);
  EXPECT_FALSE(parse_delay("", {}));
  EXPECT_FALSE(parse_delay("5ms", {}));
  EXPECT_FALSE(parse_delay("5:", {}));
  EXPECT_FALSE(parse_delay("-1", {}));
}

}  // namespace
}  // namespace tcpmc::net
