// In-place readers behind parse(), parse_tcp() and parse_options(): they
// fill a representation that already sits where the caller returns it, so a
// parse writes each field once instead of copying ~100-byte values through
// nested Expected results (which cost more than the parsing itself).
#pragma once

#include <optional>
#include <span>
#include <tcpmc/wire/checksum.hpp>
#include <tcpmc/wire/error.hpp>
#include <tcpmc/wire/options.hpp>
#include <tcpmc/wire/repr.hpp>
#include <tcpmc/wire/view.hpp>

namespace tcpmc::wire::detail {

// Each returns the reason it refused, or nothing when `out` is filled.
std::optional<WireError> read_options(std::span<const std::byte> area, TcpOptions& out);
std::optional<WireError> read_ipv4(const Ipv4View& view, ChecksumPolicy policy, Ipv4Repr& out);
std::optional<WireError> read_tcp(const TcpView& view, Ipv4Address source, Ipv4Address destination,
                                  ChecksumPolicy policy, TcpRepr& out);

}  // namespace tcpmc::wire::detail
