#include <cstring>
#include <tcpmc/wire/bytes.hpp>
#include <tcpmc/wire/codec.hpp>

#include "read.hpp"

namespace tcpmc::wire {

namespace detail {

std::optional<WireError> read_ipv4(const Ipv4View& view, ChecksumPolicy policy, Ipv4Repr& out) {
  if (policy.verify_rx && !verify_ipv4_checksum(view.header())) return WireError::Ipv4BadChecksum;
  if (view.more_fragments() || view.fragment_offset() != 0) return WireError::Ipv4Fragment;
  if (view.protocol() != ipv4_layout::protocol_tcp) return WireError::Ipv4NotTcp;
  out.source = view.source();
  out.destination = view.destination();
  out.ttl = view.ttl();
  out.dont_fragment = view.dont_fragment();
  out.identification = view.identification();
  out.tos = view.tos();
  return std::nullopt;
}

std::optional<WireError> read_tcp(const TcpView& view, Ipv4Address source, Ipv4Address destination,
                                  ChecksumPolicy policy, TcpRepr& out) {
  // Options are only worth reading once the bytes are known to be intact.
  if (policy.verify_rx && !verify_tcp_checksum(source, destination, view.bytes())) {
    return WireError::TcpBadChecksum;
  }
  if (const auto error = read_options(view.options(), out.options)) return error;
  out.source_port = view.source_port();
  out.destination_port = view.destination_port();
  out.seq = view.seq();
  out.ack = view.ack();
  out.flags = TcpFlags::from_bits(view.flag_bits());
  out.window = view.window();
  out.urgent_pointer = view.urgent_pointer();
  out.payload = view.payload();
  return std::nullopt;
}

}  // namespace detail

Expected<Ipv4Repr, WireError> parse_ipv4(const Ipv4View& view, ChecksumPolicy policy) {
  Expected<Ipv4Repr, WireError> result = Ipv4Repr{};
  if (const auto error = detail::read_ipv4(view, policy, *result)) result = unexpected(*error);
  return result;
}

Expected<TcpRepr, WireError> parse_tcp(const TcpView& view, Ipv4Address source,
                                       Ipv4Address destination, ChecksumPolicy policy) {
  Expected<TcpRepr, WireError> result = TcpRepr{};
  if (const auto error = detail::read_tcp(view, source, destination, policy, *result)) {
    result = unexpected(*error);
  }
  return result;
}

namespace {

std::optional<WireError> read_segment(std::span<const std::byte> packet, ChecksumPolicy policy,
                                      SegmentRepr& out) {
  const auto ip_view = Ipv4View::make(packet);
  if (!ip_view) return ip_view.error();
  if (const auto error = detail::read_ipv4(*ip_view, policy, out.ip)) return error;
  const auto tcp_view = TcpView::make(ip_view->payload());
  if (!tcp_view) return tcp_view.error();
  return detail::read_tcp(*tcp_view, out.ip.source, out.ip.destination, policy, out.tcp);
}

}  // namespace

// The result is built where it is returned (named return value), and only
// its fields are written.
Expected<SegmentRepr, WireError> parse(std::span<const std::byte> packet, ChecksumPolicy policy) {
  Expected<SegmentRepr, WireError> result = SegmentRepr{};
  if (const auto error = read_segment(packet, policy, *result)) result = unexpected(*error);
  return result;
}

namespace {

void write_ipv4_header(const Ipv4Repr& ip, std::uint16_t total_length, std::byte* p) {
  using namespace ipv4_layout;
  store_u8(p + version_ihl, 0x45);  // version 4, IHL 5: no options
  store_u8(p + tos, ip.tos);
  store_be16(p + ipv4_layout::total_length, total_length);
  store_be16(p + identification, ip.identification);
  store_be16(p + flags_fragment, ip.dont_fragment ? flag_df : std::uint16_t{0});
  store_u8(p + ttl, ip.ttl);
  store_u8(p + protocol, protocol_tcp);
  store_be16(p + checksum, 0);
  store_be32(p + source, ip.source.to_u32());
  store_be32(p + destination, ip.destination.to_u32());
}

void write_tcp_header(const TcpRepr& tcp, std::size_t header_len, std::byte* p) {
  using namespace tcp_layout;
  store_be16(p + source_port, tcp.source_port);
  store_be16(p + destination_port, tcp.destination_port);
  store_be32(p + seq, tcp.seq);
  store_be32(p + ack, tcp.ack);
  store_u8(p + data_offset, static_cast<std::uint8_t>((header_len / 4) << 4));
  store_u8(p + flags, tcp.flags.bits());
  store_be16(p + window, tcp.window);
  store_be16(p + checksum, 0);
  store_be16(p + urgent_pointer, tcp.urgent_pointer);
}

}  // namespace

Expected<std::size_t, WireError> emit(const SegmentRepr& repr, std::span<std::byte> out,
                                      ChecksumPolicy policy) {
  // Everything that can fail is checked before the first byte is written.
  if (repr.tcp.options.mss == std::uint16_t{0}) return unexpected(WireError::EmitMssZero);
  const std::size_t options_len = repr.tcp.options.wire_size();
  if (options_len > tcp_layout::max_options_len) return unexpected(WireError::EmitOptionsTooLong);
  const std::size_t tcp_header_len = tcp_layout::min_header_len + options_len;
  const std::size_t payload_len = repr.tcp.payload.size();
  if (payload_len > ipv4_layout::max_total_length - ipv4_layout::min_header_len - tcp_header_len) {
    return unexpected(WireError::EmitPayloadTooLong);
  }
  const std::size_t total = ipv4_layout::min_header_len + tcp_header_len + payload_len;
  if (out.size() < total) return unexpected(WireError::EmitBufferTooSmall);

  std::byte* const ip = out.data();
  std::byte* const tcp = ip + ipv4_layout::min_header_len;
  write_ipv4_header(repr.ip, static_cast<std::uint16_t>(total), ip);
  write_tcp_header(repr.tcp, tcp_header_len, tcp);
  if (options_len != 0) {
    // Cannot fail: MSS and size were checked above and the room is there.
    (void)emit_options(
        repr.tcp.options,
        out.subspan(ipv4_layout::min_header_len + tcp_layout::min_header_len, options_len));
  }
  if (payload_len != 0) std::memcpy(tcp + tcp_header_len, repr.tcp.payload.data(), payload_len);
  if (policy.fill_tx) {
    fill_ipv4_checksum(out.first(ipv4_layout::min_header_len));
    fill_tcp_checksum(repr.ip.source, repr.ip.destination,
                      out.subspan(ipv4_layout::min_header_len, tcp_header_len + payload_len));
  }
  return total;
}

}  // namespace tcpmc::wire
