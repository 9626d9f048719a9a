// The Internet checksum (RFC 1071): explicit verify and fill functions for
// the IPv4 header and for TCP with its pseudo-header, and a policy saying
// whether parse() verifies and emit() fills them, so that checksum offload
// can be modelled and test bytes can be kept free of checksums.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <tcpmc/wire/address.hpp>

namespace tcpmc::wire {

struct ChecksumPolicy {
  bool verify_rx = true;  // parse(): reject a packet whose checksums do not verify
  bool fill_tx = true;    // emit(): compute both checksums; when off they are written as 0

  static constexpr ChecksumPolicy none() { return {false, false}; }
  constexpr bool operator==(const ChecksumPolicy&) const = default;
};

// The 16-bit one's complement sum of `data` read as big-endian 16-bit words
// (an odd last byte is padded with a zero byte), added to `initial`. Not
// complemented: sums of adjacent ranges can be added with add_sums() as long
// as every range but the last has even length.
std::uint16_t ones_complement_sum(std::span<const std::byte> data, std::uint16_t initial = 0);

// The same, one 16-bit word at a time, as RFC 1071 defines it: slow and
// obviously right, for tests and the checksum fuzzer to compare against.
std::uint16_t ones_complement_sum_reference(std::span<const std::byte> data,
                                            std::uint16_t initial = 0);

constexpr std::uint16_t add_sums(std::uint16_t a, std::uint16_t b) {
  const std::uint32_t sum = std::uint32_t{a} + b;
  return static_cast<std::uint16_t>((sum & 0xFFFFU) + (sum >> 16));
}

// The TCP pseudo-header (RFC 9293 section 3.1): source, destination, zero,
// protocol 6 and the TCP length, summed without touching memory.
constexpr std::uint16_t tcp_pseudo_header_sum(Ipv4Address source, Ipv4Address destination,
                                              std::uint16_t tcp_length) {
  const std::uint32_t s = source.to_u32();
  const std::uint32_t d = destination.to_u32();
  std::uint32_t sum = (s >> 16) + (s & 0xFFFFU) + (d >> 16) + (d & 0xFFFFU) + 6U + tcp_length;
  sum = (sum & 0xFFFFU) + (sum >> 16);
  return static_cast<std::uint16_t>((sum & 0xFFFFU) + (sum >> 16));
}

// `header` is the whole IPv4 header, options included.
bool verify_ipv4_checksum(std::span<const std::byte> header);
void fill_ipv4_checksum(std::span<std::byte> header);

// `segment` is the whole TCP segment: header, options and payload.
bool verify_tcp_checksum(Ipv4Address source, Ipv4Address destination,
                         std::span<const std::byte> segment);
void fill_tcp_checksum(Ipv4Address source, Ipv4Address destination, std::span<std::byte> segment);

}  // namespace tcpmc::wire
