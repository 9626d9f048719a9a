// The options codec on its own: each option read and written, Linux's
// layouts byte for byte, and the regression cases of issue 4.
#include <gtest/gtest.h>

#include "support.hpp"

namespace tcpmc::wire::test {
namespace {

TcpOptions parsed(const Packet& area) {
  const auto r = parse_options(area);
  EXPECT_TRUE(r.has_value()) << (r ? "" : to_string(r.error()));
  return r ? *r : TcpOptions{};
}

Packet emitted(const TcpOptions& o) {
  Packet out(o.wire_size());
  const auto n = emit_options(o, out);
  EXPECT_TRUE(n.has_value());
  EXPECT_EQ(n.value_or(0), out.size());
  return out;
}

SackBlocks sack_of(std::initializer_list<SackBlock> blocks) {
  SackBlocks s;
  for (const auto& b : blocks) EXPECT_TRUE(s.push_back(b));
  return s;
}

// RFC 9293 3.1: an empty area, or one of only NOPs and EOL, means no options.
TEST(WireOptions, EmptyOrPaddingOnly_NoOptions) {
  EXPECT_EQ(parsed({}), TcpOptions{});
  EXPECT_EQ(parsed(bytes({1, 1, 1, 1})), TcpOptions{});
  EXPECT_EQ(parsed(bytes({0, 0, 0, 0})), TcpOptions{});
}

// RFC 9293 3.1: End of Option List ends the options; what follows is padding,
// even if it looks like a malformed option.
TEST(WireOptions, BytesAfterEndOfList_AreIgnored) {
  const auto o = parsed(bytes({2, 4, 5, 0xB4, 0, 2, 0, 99}));
  EXPECT_EQ(o.mss, std::uint16_t{1460});
}

// RFC 9293 3.1: options of unknown kind are skipped by their length.
TEST(WireOptions, UnknownKind_SkippedByLength) {
  const auto o = parsed(bytes({30, 6, 9, 9, 9, 9, 2, 4, 2, 0x18}));
  EXPECT_EQ(o.mss, std::uint16_t{536});
  EXPECT_EQ(o, parsed(bytes({2, 4, 2, 0x18})));
}

// RFC 9293 3.7.1: without the option the engine uses 536; an MSS of 0 would
// be a division by zero there, so it reads as absent, as Linux treats it.
TEST(WireOptions, MssAbsentOrZero_ReadsAsAbsent) {
  EXPECT_FALSE(parsed(bytes({1, 1, 1, 1})).mss.has_value());
  EXPECT_FALSE(parsed(bytes({2, 4, 0, 0})).mss.has_value());
  EXPECT_FALSE(parsed(bytes({2, 4, 5, 0xB4, 2, 4, 0, 0})).mss.has_value());
  EXPECT_EQ(parsed(bytes({2, 4, 0, 1})).mss, std::uint16_t{1});
}

// RFC 7323 2.3: a shift above 14 is used as 14; the raw value is kept.
TEST(WireOptions, WindowScaleAbove14_ClampedTo14KeepsRaw) {
  for (const int raw : {15, 16, 200, 255}) {
    const auto o = parsed(bytes({1, 3, 3, raw}));
    ASSERT_TRUE(o.window_scale.has_value());
    EXPECT_EQ(o.window_scale->shift(), 14) << raw;
    EXPECT_EQ(o.window_scale->raw(), raw);
    // Written back as received, so a relayed segment is unchanged.
    EXPECT_EQ(emitted(o), bytes({1, 3, 3, raw}));
  }
  EXPECT_EQ(parsed(bytes({1, 3, 3, 14})).window_scale->shift(), 14);
  EXPECT_EQ(parsed(bytes({1, 3, 3, 0})).window_scale->shift(), 0);
}

// RFC 2018 3: one to four blocks, each a left and a right edge.
TEST(WireOptions, SackBlocks_ReadInOrder) {
  const auto o =
      parsed(bytes({1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 9}));
  ASSERT_EQ(o.sack.size(), 2U);
  EXPECT_EQ(o.sack[0], (SackBlock{1, 2}));
  EXPECT_EQ(o.sack[1], (SackBlock{0xFFFFFFFF, 9}));
}

// Linux keeps the last of a repeated option; so does the codec.
TEST(WireOptions, RepeatedOption_LastWins) {
  EXPECT_EQ(parsed(bytes({2, 4, 5, 0xB4, 2, 4, 2, 0x18})).mss, std::uint16_t{536});
  const auto o =
      parsed(bytes({1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 10, 0, 0, 0, 3, 0, 0, 0, 4}));
  EXPECT_EQ(o.sack, sack_of({{3, 4}}));
}

// Linux's SYN: MSS; SACK-permitted sharing a word with timestamps; NOP + wscale.
TEST(WireOptions, SynOptions_LaidOutAsLinux) {
  TcpOptions o;
  o.mss = 1460;
  o.sack_permitted = true;
  o.timestamps = Timestamps{0x01020304, 0};
  o.window_scale = WindowScale(7);
  EXPECT_EQ(emitted(o), bytes({2, 4, 5, 0xB4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7}));
  EXPECT_EQ(o.wire_size(), 20U);
}

// Linux without timestamps: MSS, NOP NOP SACK-permitted, NOP wscale.
TEST(WireOptions, SynOptionsWithoutTimestamps_LaidOutAsLinux) {
  TcpOptions o;
  o.mss = 1460;
  o.sack_permitted = true;
  o.window_scale = WindowScale(7);
  EXPECT_EQ(emitted(o), bytes({2, 4, 5, 0xB4, 1, 1, 4, 2, 1, 3, 3, 7}));
}

// Linux's data segment: NOP NOP TS; with SACK, NOP NOP SACK follows.
TEST(WireOptions, DataOptions_LaidOutAsLinux) {
  TcpOptions o;
  o.timestamps = Timestamps{5, 6};
  EXPECT_EQ(emitted(o), bytes({1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6}));
  o.sack = sack_of({{10, 20}});
  EXPECT_EQ(emitted(o),
            bytes({1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 1, 5, 10, 0, 0, 0, 10, 0, 0, 0, 20}));
  o.timestamps.reset();
  EXPECT_EQ(emitted(o), bytes({1, 1, 5, 10, 0, 0, 0, 10, 0, 0, 0, 20}));
}

// Options Linux never combines can overflow 40 bytes with its NOPs; then they
// are packed and closed with End of Option List, and still read back.
TEST(WireOptions, TooLongForLinuxLayout_PackedAndReadBack) {
  TcpOptions o;
  o.timestamps = Timestamps{1, 2};
  o.window_scale = WindowScale(3);
  o.sack = sack_of({{1, 2}, {3, 4}, {5, 6}});
  ASSERT_EQ(o.wire_size(), 40U);  // 10 + 3 + 26 = 39, padded
  const Packet out = emitted(o);
  EXPECT_EQ(out[0], std::byte{8});
  EXPECT_EQ(out.back(), std::byte{0});
  EXPECT_EQ(parsed(out), o);
}

// RFC 9293 3.1: at most 40 bytes of options fit in a header.
TEST(WireOptions, MoreThan40BytesEvenPacked_IsEmitOptionsTooLong) {
  TcpOptions o;
  o.mss = 1460;
  o.timestamps = Timestamps{1, 2};
  o.sack = sack_of({{1, 2}, {3, 4}, {5, 6}, {7, 8}});
  EXPECT_GT(o.wire_size(), 40U);
  Packet out(64);
  const auto r = emit_options(o, out);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), WireError::EmitOptionsTooLong);
}

TEST(WireOptions, OutputShorterThanLayout_IsEmitBufferTooSmall) {
  TcpOptions o;
  o.timestamps = Timestamps{1, 2};
  Packet out(11);
  EXPECT_EQ(emit_options(o, out), unexpected(WireError::EmitBufferTooSmall));
  o.window_scale = WindowScale(3);
  o.sack = sack_of({{1, 2}, {3, 4}, {5, 6}});
  out.resize(39);
  EXPECT_EQ(emit_options(o, out), unexpected(WireError::EmitBufferTooSmall));
}

TEST(WireOptions, MssZero_IsEmitMssZero) {
  TcpOptions o;
  o.mss = 0;
  Packet out(4);
  EXPECT_EQ(emit_options(o, out), unexpected(WireError::EmitMssZero));
}

// A fifth block does not fit and is refused, leaving the four.
TEST(WireOptions, SackBlocksFull_PushBackRefused) {
  SackBlocks s = sack_of({{1, 2}, {3, 4}, {5, 6}, {7, 8}});
  EXPECT_FALSE(s.push_back({9, 10}));
  EXPECT_EQ(s.size(), 4U);
  EXPECT_EQ(s[3], (SackBlock{7, 8}));
  s.clear();
  EXPECT_TRUE(s.empty());
}

// Blocks past size() are not part of the value.
TEST(WireOptions, SackBlocksEquality_IgnoresUnusedSlots) {
  SackBlocks a = sack_of({{1, 2}, {3, 4}});
  a.clear();
  EXPECT_TRUE(a.push_back({1, 2}));
  EXPECT_EQ(a, sack_of({{1, 2}}));
  EXPECT_FALSE(a == sack_of({{1, 3}}));
  EXPECT_FALSE(a == sack_of({{1, 2}, {3, 4}}));
}

}  // namespace
}  // namespace tcpmc::wire::test
