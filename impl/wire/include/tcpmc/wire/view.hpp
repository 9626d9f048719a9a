// Zero-copy views over received bytes. The header layouts (field offsets)
// are written down here and nowhere else. make() checks the lengths that
// every accessor relies on, so once a view exists no accessor can read
// outside its buffer; it checks nothing else (checksums, fragments and the
// protocol are parse()'s business), which lets tests and tools look at a
// packet that parse() would reject.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <tcpmc/wire/address.hpp>
#include <tcpmc/wire/bytes.hpp>
#include <tcpmc/wire/error.hpp>
#include <tcpmc/wire/expected.hpp>

namespace tcpmc::wire {

// RFC 791 section 3.1, Figure 4.
namespace ipv4_layout {
inline constexpr std::size_t version_ihl = 0;
inline constexpr std::size_t tos = 1;
inline constexpr std::size_t total_length = 2;
inline constexpr std::size_t identification = 4;
inline constexpr std::size_t flags_fragment = 6;
inline constexpr std::size_t ttl = 8;
inline constexpr std::size_t protocol = 9;
inline constexpr std::size_t checksum = 10;
inline constexpr std::size_t source = 12;
inline constexpr std::size_t destination = 16;
inline constexpr std::size_t min_header_len = 20;
inline constexpr std::size_t max_total_length = 65535;
inline constexpr std::uint16_t flag_reserved = 0x8000;
inline constexpr std::uint16_t flag_df = 0x4000;
inline constexpr std::uint16_t flag_mf = 0x2000;
inline constexpr std::uint16_t fragment_offset_mask = 0x1FFF;
inline constexpr std::uint8_t protocol_tcp = 6;
}  // namespace ipv4_layout

// RFC 9293 section 3.1, Figure 1.
namespace tcp_layout {
inline constexpr std::size_t source_port = 0;
inline constexpr std::size_t destination_port = 2;
inline constexpr std::size_t seq = 4;
inline constexpr std::size_t ack = 8;
inline constexpr std::size_t data_offset = 12;
inline constexpr std::size_t flags = 13;
inline constexpr std::size_t window = 14;
inline constexpr std::size_t checksum = 16;
inline constexpr std::size_t urgent_pointer = 18;
inline constexpr std::size_t min_header_len = 20;
inline constexpr std::size_t max_header_len = 60;
inline constexpr std::size_t max_options_len = max_header_len - min_header_len;
}  // namespace tcp_layout

// An IPv4 datagram: the buffer's first total-length bytes. Bytes after them
// (link-layer padding) are not part of the view.
class Ipv4View {
 public:
  // Checks, in this order: the fixed header fits, version 4, IHL >= 5,
  // total length <= buffer, total length >= IHL * 4.
  static constexpr Expected<Ipv4View, WireError> make(std::span<const std::byte> buffer) {
    namespace l = ipv4_layout;
    if (buffer.size() < l::min_header_len) return unexpected(WireError::Ipv4Truncated);
    const auto vihl = load_u8(buffer.data() + l::version_ihl);
    if ((vihl >> 4) != 4) return unexpected(WireError::Ipv4BadVersion);
    const std::size_t header = std::size_t{vihl & 0x0FU} * 4;
    if (header < l::min_header_len) return unexpected(WireError::Ipv4BadIhl);
    const std::size_t total = load_be16(buffer.data() + l::total_length);
    if (total > buffer.size()) return unexpected(WireError::Ipv4TotalLengthPastBuffer);
    if (total < header) return unexpected(WireError::Ipv4TotalLengthBelowHeader);
    return Ipv4View(buffer.first(total), header);
  }

  constexpr std::uint8_t version() const {
    return static_cast<std::uint8_t>(u8(ipv4_layout::version_ihl) >> 4);
  }
  constexpr std::size_t header_len() const { return header_len_; }
  constexpr std::uint8_t tos() const { return u8(ipv4_layout::tos); }
  constexpr std::uint16_t total_length() const { return be16(ipv4_layout::total_length); }
  constexpr std::uint16_t identification() const { return be16(ipv4_layout::identification); }
  constexpr bool dont_fragment() const {
    return (be16(ipv4_layout::flags_fragment) & ipv4_layout::flag_df) != 0;
  }
  constexpr bool more_fragments() const {
    return (be16(ipv4_layout::flags_fragment) & ipv4_layout::flag_mf) != 0;
  }
  // In 8-byte units, as carried.
  constexpr std::uint16_t fragment_offset() const {
    return be16(ipv4_layout::flags_fragment) & ipv4_layout::fragment_offset_mask;
  }
  constexpr std::uint8_t ttl() const { return u8(ipv4_layout::ttl); }
  constexpr std::uint8_t protocol() const { return u8(ipv4_layout::protocol); }
  constexpr std::uint16_t checksum() const { return be16(ipv4_layout::checksum); }
  constexpr Ipv4Address source() const {
    return Ipv4Address::from_u32(load_be32(at(ipv4_layout::source)));
  }
  constexpr Ipv4Address destination() const {
    return Ipv4Address::from_u32(load_be32(at(ipv4_layout::destination)));
  }

  constexpr std::span<const std::byte> bytes() const { return bytes_; }
  constexpr std::span<const std::byte> header() const { return bytes_.first(header_len_); }
  constexpr std::span<const std::byte> payload() const { return bytes_.subspan(header_len_); }

 private:
  constexpr Ipv4View(std::span<const std::byte> bytes, std::size_t header_len)
      : bytes_(bytes), header_len_(header_len) {}
  constexpr const std::byte* at(std::size_t offset) const { return bytes_.data() + offset; }
  constexpr std::uint8_t u8(std::size_t offset) const { return load_u8(at(offset)); }
  constexpr std::uint16_t be16(std::size_t offset) const { return load_be16(at(offset)); }

  std::span<const std::byte> bytes_;
  std::size_t header_len_;
};

// A TCP segment: header, options and payload, all of the given bytes.
class TcpView {
 public:
  // Checks, in this order: the fixed header fits, data offset >= 5, data
  // offset within the segment.
  static constexpr Expected<TcpView, WireError> make(std::span<const std::byte> segment) {
    namespace l = tcp_layout;
    if (segment.size() < l::min_header_len) return unexpected(WireError::TcpTruncated);
    const std::size_t header = std::size_t{load_u8(segment.data() + l::data_offset)} >> 4 << 2;
    if (header < l::min_header_len) return unexpected(WireError::TcpDataOffsetBelowFive);
    if (header > segment.size()) return unexpected(WireError::TcpDataOffsetPastSegment);
    return TcpView(segment, header);
  }

  constexpr std::uint16_t source_port() const { return be16(tcp_layout::source_port); }
  constexpr std::uint16_t destination_port() const { return be16(tcp_layout::destination_port); }
  constexpr std::uint32_t seq() const { return load_be32(at(tcp_layout::seq)); }
  constexpr std::uint32_t ack() const { return load_be32(at(tcp_layout::ack)); }
  constexpr std::size_t header_len() const { return header_len_; }
  // CWR ECE URG ACK PSH RST SYN FIN, bit 7 to bit 0.
  constexpr std::uint8_t flag_bits() const { return load_u8(at(tcp_layout::flags)); }
  constexpr std::uint16_t window() const { return be16(tcp_layout::window); }
  constexpr std::uint16_t checksum() const { return be16(tcp_layout::checksum); }
  constexpr std::uint16_t urgent_pointer() const { return be16(tcp_layout::urgent_pointer); }

  constexpr std::span<const std::byte> bytes() const { return bytes_; }
  constexpr std::span<const std::byte> options() const {
    return bytes_.subspan(tcp_layout::min_header_len, header_len_ - tcp_layout::min_header_len);
  }
  constexpr std::span<const std::byte> payload() const { return bytes_.subspan(header_len_); }

 private:
  constexpr TcpView(std::span<const std::byte> bytes, std::size_t header_len)
      : bytes_(bytes), header_len_(header_len) {}
  constexpr const std::byte* at(std::size_t offset) const { return bytes_.data() + offset; }
  constexpr std::uint16_t be16(std::size_t offset) const { return load_be16(at(offset)); }

  std::span<const std::byte> bytes_;
  std::size_t header_len_;
};

}  // namespace tcpmc::wire
