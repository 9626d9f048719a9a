// Bytes to representation and back, for raw IPv4 packets as a TUN device
// delivers them (no packet-information header). Nothing here throws,
// allocates, or reads or writes outside the spans it is given.
#pragma once

#include <cstddef>
#include <span>
#include <tcpmc/wire/checksum.hpp>
#include <tcpmc/wire/error.hpp>
#include <tcpmc/wire/expected.hpp>
#include <tcpmc/wire/repr.hpp>
#include <tcpmc/wire/view.hpp>

namespace tcpmc::wire {

// After Ipv4View::make(): the header checksum (if the policy verifies), then
// fragments, then the protocol.
Expected<Ipv4Repr, WireError> parse_ipv4(const Ipv4View& view, ChecksumPolicy policy = {});

// After TcpView::make(): the checksum over the pseudo-header built from
// `source` and `destination` (if the policy verifies), then the options.
Expected<TcpRepr, WireError> parse_tcp(const TcpView& view, Ipv4Address source,
                                       Ipv4Address destination, ChecksumPolicy policy = {});

// The whole packet. Bytes past the IPv4 total length are ignored. On success
// the representation's payload points into `packet`.
Expected<SegmentRepr, WireError> parse(std::span<const std::byte> packet,
                                       ChecksumPolicy policy = {});

// Writes repr.wire_size() bytes at the start of `out` and returns that
// count: a 20-byte IPv4 header (no options, MF and offset zero), the TCP
// header with options as emit_options() lays them out, and the payload,
// which must not overlap `out`. Both checksums are filled if the policy says
// so, else left zero. Nothing is written when it returns an error.
Expected<std::size_t, WireError> emit(const SegmentRepr& repr, std::span<std::byte> out,
                                      ChecksumPolicy policy = {});

}  // namespace tcpmc::wire
