// The error registry: every reason named and described once, the counters
// it generates, and a check that every reason has its own test.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support.hpp"

namespace tcpmc::wire::test {
namespace {

// STYLE.md item 3: to_string and describe come from the one list.
TEST(WireErrorRegistry, ToString_IsTheEnumeratorName) {
  EXPECT_EQ(to_string(WireError::Ipv4Truncated), "Ipv4Truncated");
  EXPECT_EQ(to_string(WireError::OptionLengthBelowTwo), "OptionLengthBelowTwo");
  EXPECT_EQ(to_string(WireError::EmitMssZero), "EmitMssZero");
  EXPECT_NE(describe(WireError::TcpBadChecksum).find("pseudo-header"), std::string_view::npos);
}

TEST(WireErrorRegistry, EveryEntry_HasDescriptionAndReference) {
  for (std::size_t i = 0; i < wire_error_count; ++i) {
    const auto& e = wire_errors[i];
    EXPECT_EQ(index(e.id), i);
    EXPECT_GE(e.description.size(), 10U) << e.name;
    EXPECT_FALSE(e.reference.empty()) << e.name;
    EXPECT_TRUE(e.reference == "-" || e.reference.starts_with("RFC ")) << e.name;
  }
}

// Emit reasons are told apart from drop reasons by name.
TEST(WireErrorRegistry, EmitReasons_AreFlagged) {
  EXPECT_TRUE(is_emit_error(WireError::EmitBufferTooSmall));
  EXPECT_FALSE(is_emit_error(WireError::Ipv4BadChecksum));
}

// The reasons the tests of parse_errors_test.cpp, options_test.cpp and
// emit_test.cpp produce. A new enumerator fails here until it has a test.
TEST(WireErrorRegistry, EveryReason_HasATest) {
  const WireError tested[] = {
      WireError::Ipv4Truncated,
      WireError::Ipv4BadVersion,
      WireError::Ipv4BadIhl,
      WireError::Ipv4TotalLengthPastBuffer,
      WireError::Ipv4TotalLengthBelowHeader,
      WireError::Ipv4BadChecksum,
      WireError::Ipv4Fragment,
      WireError::Ipv4NotTcp,
      WireError::TcpTruncated,
      WireError::TcpDataOffsetBelowFive,
      WireError::TcpDataOffsetPastSegment,
      WireError::TcpBadChecksum,
      WireError::OptionLengthBelowTwo,
      WireError::OptionPastHeader,
      WireError::OptionMssBadLength,
      WireError::OptionWindowScaleBadLength,
      WireError::OptionSackPermittedBadLength,
      WireError::OptionSackBadLength,
      WireError::OptionTimestampsBadLength,
      WireError::EmitBufferTooSmall,
      WireError::EmitOptionsTooLong,
      WireError::EmitPayloadTooLong,
      WireError::EmitMssZero,
  };
  for (const auto& e : wire_errors) {
    EXPECT_NE(std::find(std::begin(tested), std::end(tested), e.id), std::end(tested))
        << e.name << " has no test";
  }
  EXPECT_EQ(std::size(tested), wire_error_count);
}

// One drop counter per reason, as a stack keeps its statistics.
TEST(WireErrorCounters, Count_IncrementsOnlyThatReason) {
  WireErrorCounters counters;
  EXPECT_EQ(counters.total(), 0U);
  counters.count(WireError::TcpBadChecksum);
  counters.count(WireError::TcpBadChecksum);
  counters.count(WireError::Ipv4NotTcp);
  EXPECT_EQ(counters[WireError::TcpBadChecksum], 2U);
  EXPECT_EQ(counters[WireError::Ipv4NotTcp], 1U);
  EXPECT_EQ(counters[WireError::Ipv4Truncated], 0U);
  EXPECT_EQ(counters.total(), 3U);
  EXPECT_FALSE(counters == WireErrorCounters{});
}

// Counting parse results: a receive loop's whole job with the registry.
TEST(WireErrorCounters, CountingParseFailures_AttributesEachDrop) {
  WireErrorCounters counters;
  Packet bad_version = emit_packet(template_segment());
  set_u8(bad_version, 0, 0x65);
  for (const Packet& p : {Packet(3), bad_version, emit_packet(template_segment())}) {
    if (const auto r = parse(p); !r) counters.count(r.error());
  }
  EXPECT_EQ(counters[WireError::Ipv4Truncated], 1U);
  EXPECT_EQ(counters[WireError::Ipv4BadVersion], 1U);
  EXPECT_EQ(counters.total(), 2U);
}

}  // namespace
}  // namespace tcpmc::wire::test
