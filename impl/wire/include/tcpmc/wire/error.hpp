// Every reason the codec refuses a packet (on receive) or a representation
// (on emit), each defined once in the list below: its name, what it means,
// and the RFC text that makes it an error. The enum, to_string(), describe()
// and the per-reason drop counters are all generated from that one list, so
// a new reason cannot exist without its description and its counter.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpmc::wire {

// X(name, description, reference). Receive-side reasons first, in the order
// parse() checks them; emit-side reasons last.
#define TCPMC_WIRE_ERRORS(X)                                                                       \
  X(Ipv4Truncated, "fewer bytes than the 20-byte fixed IPv4 header", "RFC 791 3.1")                \
  X(Ipv4BadVersion, "IP version field is not 4", "RFC 791 3.1")                                    \
  X(Ipv4BadIhl, "IHL below 5: a header shorter than its own fixed part", "RFC 791 3.1")            \
  X(Ipv4TotalLengthPastBuffer, "total length claims more bytes than were received", "RFC 791 3.1") \
  X(Ipv4TotalLengthBelowHeader, "total length smaller than the header length IHL gives",           \
    "RFC 791 3.1")                                                                                 \
  X(Ipv4BadChecksum, "IPv4 header checksum does not verify", "RFC 791 3.1, RFC 1071")              \
  X(Ipv4Fragment, "a fragment (MF set or nonzero offset); tcpmc does not reassemble",              \
    "RFC 791 3.2, RFC 9293 3.7.1")                                                                 \
  X(Ipv4NotTcp, "protocol field is not 6 (TCP)", "RFC 791 3.1, RFC 9293 3.1")                      \
  X(TcpTruncated, "fewer than 20 bytes of TCP header after the IPv4 header", "RFC 9293 3.1")       \
  X(TcpDataOffsetBelowFive, "data offset below 5: a header shorter than its fixed part",           \
    "RFC 9293 3.1")                                                                                \
  X(TcpDataOffsetPastSegment, "data offset points past the end of the segment", "RFC 9293 3.1")    \
  X(TcpBadChecksum, "TCP checksum over pseudo-header, header and data does not verify",            \
    "RFC 9293 3.1")                                                                                \
  X(OptionLengthBelowTwo, "option length 0 or 1, which cannot cover its own kind and length",      \
    "RFC 9293 3.1, 3.2")                                                                           \
  X(OptionPastHeader, "option length byte missing or option runs past the data offset",            \
    "RFC 9293 3.1")                                                                                \
  X(OptionMssBadLength, "MSS option length is not 4", "RFC 9293 3.2")                              \
  X(OptionWindowScaleBadLength, "window scale option length is not 3", "RFC 7323 2.2")             \
  X(OptionSackPermittedBadLength, "SACK-permitted option length is not 2", "RFC 2018 2")           \
  X(OptionSackBadLength, "SACK option length is not 2 + 8n with n from 1 to 4", "RFC 2018 3")      \
  X(OptionTimestampsBadLength, "timestamps option length is not 10", "RFC 7323 3.2")               \
  X(EmitBufferTooSmall, "emit: the output buffer is shorter than wire_size()", "-")                \
  X(EmitOptionsTooLong, "emit: the options need more than the 40 bytes a header can hold",         \
    "RFC 9293 3.1")                                                                                \
  X(EmitPayloadTooLong, "emit: headers plus payload exceed the 65535-byte total length",           \
    "RFC 791 3.1")                                                                                 \
  X(EmitMssZero, "emit: an MSS option of 0, which parse reads back as absent", "RFC 9293 3.7.1")

enum class WireError : std::uint8_t {
#define TCPMC_WIRE_ENUMERATOR(name, description, reference) name,
  TCPMC_WIRE_ERRORS(TCPMC_WIRE_ENUMERATOR)
#undef TCPMC_WIRE_ENUMERATOR
};

struct WireErrorInfo {
  WireError id;
  std::string_view name;
  std::string_view description;
  std::string_view reference;
};

inline constexpr std::array wire_errors = {
#define TCPMC_WIRE_INFO(name, description, reference) \
  WireErrorInfo{WireError::name, #name, description, reference},
    TCPMC_WIRE_ERRORS(TCPMC_WIRE_INFO)
#undef TCPMC_WIRE_INFO
};
#undef TCPMC_WIRE_ERRORS

inline constexpr std::size_t wire_error_count = wire_errors.size();

constexpr std::size_t index(WireError e) { return static_cast<std::size_t>(e); }

// The list is the only definition; these keep its entries usable as a table
// (an entry's position is its enumerator) and free of blanks and repeats.
consteval bool wire_error_registry_well_formed() {
  for (std::size_t i = 0; i < wire_errors.size(); ++i) {
    const auto& e = wire_errors[i];
    if (index(e.id) != i || e.name.empty() || e.description.empty() || e.reference.empty()) {
      return false;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (wire_errors[j].name == e.name) return false;
    }
  }
  return true;
}
static_assert(wire_error_registry_well_formed());

constexpr const WireErrorInfo& info(WireError e) { return wire_errors[index(e)]; }
constexpr std::string_view to_string(WireError e) { return info(e).name; }
constexpr std::string_view describe(WireError e) { return info(e).description; }

// True for reasons that only emit() returns; the rest describe bad input.
constexpr bool is_emit_error(WireError e) { return info(e).name.starts_with("Emit"); }

// One counter per reason, as a stack would keep drop statistics.
class WireErrorCounters {
 public:
  constexpr void count(WireError e) { ++counts_[index(e)]; }
  constexpr std::uint64_t operator[](WireError e) const { return counts_[index(e)]; }
  constexpr std::uint64_t total() const {
    std::uint64_t sum = 0;
    for (const auto c : counts_) sum += c;
    return sum;
  }
  constexpr bool operator==(const WireErrorCounters&) const = default;

 private:
  std::array<std::uint64_t, wire_error_count> counts_{};
};

}  // namespace tcpmc::wire
