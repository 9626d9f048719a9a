// ICMP echo (RFC 792), the one ICMP exchange a host must answer (RFC 1122
// 3.2.2.6): parse an echo request carried in an IPv4 packet and emit the
// echo reply, which returns the identifier, sequence number and data
// unchanged. Header-only; the checksums are impl/wire's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <tcpmc/wire/address.hpp>
#include <tcpmc/wire/bytes.hpp>
#include <tcpmc/wire/checksum.hpp>
#include <tcpmc/wire/expected.hpp>
#include <tcpmc/wire/view.hpp>

namespace tcpmc::wire {

namespace icmp_layout {
inline constexpr std::size_t type = 0;
inline constexpr std::size_t code = 1;
inline constexpr std::size_t checksum = 2;
inline constexpr std::size_t identifier = 4;
inline constexpr std::size_t sequence = 6;
inline constexpr std::size_t header_len = 8;
inline constexpr std::uint8_t protocol_icmp = 1;
inline constexpr std::uint8_t type_echo_reply = 0;
inline constexpr std::uint8_t type_echo_request = 8;
}  // namespace icmp_layout

enum class IcmpError : std::uint8_t {
  Truncated,       // fewer than the 8 bytes of an echo header
  BadChecksum,     // the ICMP checksum over header and data does not verify
  NotEchoRequest,  // another type or code: not ours to answer
};

struct IcmpEcho {
  std::uint8_t type = icmp_layout::type_echo_request;
  std::uint16_t identifier = 0;
  std::uint16_t sequence = 0;
  std::span<const std::byte> data;  // points into the parsed bytes
};

// `icmp` is the IPv4 payload.
inline Expected<IcmpEcho, IcmpError> parse_icmp_echo_request(std::span<const std::byte> icmp,
                                                             ChecksumPolicy policy = {}) {
  namespace l = icmp_layout;
  if (icmp.size() < l::header_len) return unexpected(IcmpError::Truncated);
  if (policy.verify_rx && static_cast<std::uint16_t>(~ones_complement_sum(icmp)) != 0) {
    return unexpected(IcmpError::BadChecksum);
  }
  if (load_u8(icmp.data() + l::type) != l::type_echo_request ||
      load_u8(icmp.data() + l::code) != 0) {
    return unexpected(IcmpError::NotEchoRequest);
  }
  return IcmpEcho{l::type_echo_request, load_be16(icmp.data() + l::identifier),
                  load_be16(icmp.data() + l::sequence), icmp.subspan(l::header_len)};
}

// Bytes a reply to `request` takes: a 20-byte IPv4 header and the ICMP message.
inline std::size_t echo_reply_size(const IcmpEcho& request) {
  return ipv4_layout::min_header_len + icmp_layout::header_len + request.data.size();
}

// Writes the IPv4 packet carrying the echo reply from `source` to
// `destination` at the start of `out` and returns its size, or 0 if `out`
// is too short or the packet would exceed 65535 bytes. The data must not
// overlap `out`.
inline std::size_t emit_echo_reply(const IcmpEcho& request, Ipv4Address source,
                                   Ipv4Address destination, std::span<std::byte> out,
                                   std::uint8_t ttl = 64) {
  namespace ip = ipv4_layout;
  namespace l = icmp_layout;
  const std::size_t total = echo_reply_size(request);
  if (total > out.size() || total > ip::max_total_length) return 0;
  std::byte* p = out.data();
  store_u8(p + ip::version_ihl, 0x45);
  store_u8(p + ip::tos, 0);
  store_be16(p + ip::total_length, static_cast<std::uint16_t>(total));
  store_be16(p + ip::identification, 0);
  store_be16(p + ip::flags_fragment, ip::flag_df);
  store_u8(p + ip::ttl, ttl);
  store_u8(p + ip::protocol, l::protocol_icmp);
  store_be16(p + ip::checksum, 0);
  store_be32(p + ip::source, source.to_u32());
  store_be32(p + ip::destination, destination.to_u32());
  fill_ipv4_checksum(out.first(ip::min_header_len));
  std::byte* m = p + ip::min_header_len;
  store_u8(m + l::type, l::type_echo_reply);
  store_u8(m + l::code, 0);
  store_be16(m + l::checksum, 0);
  store_be16(m + l::identifier, request.identifier);
  store_be16(m + l::sequence, request.sequence);
  for (std::size_t i = 0; i < request.data.size(); ++i) m[l::header_len + i] = request.data[i];
  const std::span<const std::byte> message(m, l::header_len + request.data.size());
  store_be16(m + l::checksum, static_cast<std::uint16_t>(~ones_complement_sum(message)));
  return total;
}

}  // namespace tcpmc::wire
