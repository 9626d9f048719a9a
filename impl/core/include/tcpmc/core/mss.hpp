// The maximum segment size we advertise, from the link's MTU (RFC 9293
// section 3.7.1 and RFC 879): the MTU less a 20-byte IPv4 header and a
// 20-byte TCP header without options. Options are not subtracted here; a
// sender that adds them shrinks its segments instead (RFC 9293 3.7.1,
// "the MSS ... does not include the TCP options").
#pragma once

#include <cstdint>
#include <optional>

namespace tcpmc::core {

inline constexpr std::uint32_t kIpv4HeaderBytes = 20;
inline constexpr std::uint32_t kTcpHeaderBytes = 20;

// The MSS assumed for a peer whose SYN carries no MSS option: the IPv4
// minimum datagram of 576 bytes less both headers (RFC 9293 section 3.7.1).
inline constexpr std::uint16_t kDefaultPeerMss = 536;

// Every IPv4 host must accept 576-byte datagrams (RFC 791), so a smaller
// MTU is a configuration mistake; so is one no 16-bit MSS can describe.
inline constexpr std::uint32_t kMinIpv4Mtu = 576;
inline constexpr std::uint32_t kMaxMtuForMss = 0xFFFFU + kIpv4HeaderBytes + kTcpHeaderBytes;

// nullopt when the MTU is outside [576, 65575].
constexpr std::optional<std::uint16_t> mss_for_mtu(std::uint32_t mtu) {
  if (mtu < kMinIpv4Mtu || mtu > kMaxMtuForMss) return std::nullopt;
  return static_cast<std::uint16_t>(mtu - kIpv4HeaderBytes - kTcpHeaderBytes);
}

static_assert(mss_for_mtu(1500) == 1460);
static_assert(mss_for_mtu(576) == kDefaultPeerMss);

}  // namespace tcpmc::core
