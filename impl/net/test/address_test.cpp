#include <gtest/gtest.h>

#include <tcpmc/net/tun.hpp>

namespace tcpmc::net {
namespace {

using wire::Ipv4Address;

TEST(Address, ParsesDottedQuadAndPrefix) {
  EXPECT_EQ(parse_ipv4("198.18.0.2"), Ipv4Address(198, 18, 0, 2));
  const auto p = parse_ipv4_prefix("198.18.0.2/24");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->address, Ipv4Address(198, 18, 0, 2));
  EXPECT_EQ(p->length, 24U);
  EXPECT_EQ(p->netmask(), 0xFFFFFF00U);
}

TEST(Address, RejectsMalformedText) {
  for (const char* bad : {"", "198.18.0", "198.18.0.256", "198.18.0.2.", "198.18.0.2x", "a.b.c.d",
                          "198..0.2", "1980.18.0.2"}) {
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
  }
  for (const char* bad :
       {"198.18.0.2", "198.18.0.2/", "198.18.0.2/33", "198.18.0.2/x", "198.18.0.2/24/1"}) {
    EXPECT_FALSE(parse_ipv4_prefix(bad)) << bad;
  }
}

// The kernel side defaults to the subnet's first host address.
TEST(Address, FirstHostIsNetworkPlusOne) {
  EXPECT_EQ(parse_ipv4_prefix("198.18.0.2/24")->first_host(), Ipv4Address(198, 18, 0, 1));
  EXPECT_EQ(parse_ipv4_prefix("198.19.7.9/16")->first_host(), Ipv4Address(198, 19, 0, 1));
}

TEST(Address, CheckAddressesNamesTheProblem) {
  const Ipv4Prefix ours = *parse_ipv4_prefix("198.18.0.2/24");
  EXPECT_FALSE(check_addresses({"t", ours, Ipv4Address(198, 18, 0, 1)}));
  const auto same = check_addresses({"t", ours, Ipv4Address(198, 18, 0, 2)});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->kind, SetupErrorKind::BadAddress);
  const auto outside = check_addresses({"t", ours, Ipv4Address(198, 18, 1, 1)});
  ASSERT_TRUE(outside);
  EXPECT_NE(outside->message.find("outside"), std::string::npos);
  EXPECT_TRUE(check_addresses({"t", ours, Ipv4Address(198, 18, 0, 255)}));  // broadcast
  EXPECT_TRUE(
      check_addresses({"t", *parse_ipv4_prefix("198.18.0.2/32"), Ipv4Address(198, 18, 0, 1)}));
}

}  // namespace
}  // namespace tcpmc::net
