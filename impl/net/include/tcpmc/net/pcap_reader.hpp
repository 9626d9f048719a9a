// Reading captures back: the TCP segments of a libpcap file, whatever wrote
// it (our PcapLayer writes LINKTYPE_RAW; tcpdump on an Ethernet or an "any"
// interface writes EN10MB or LINUX_SLL/SLL2). libpcap reads the file;
// stripping the link-layer header and parsing IPv4 and TCP is ours, with
// the project's own codec, so a packet the stack would refuse is refused
// here for the same, named reason. Nothing in a capture can crash the
// reader: every packet that is not a well-formed IPv4 TCP segment is a
// typed, counted skip.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tcpmc/wire/error.hpp>
#include <tcpmc/wire/expected.hpp>
#include <tcpmc/wire/repr.hpp>
#include <vector>

namespace tcpmc::net {

// One TCP segment of a capture. The TCP fields are the codec's TcpRepr
// with the payload left empty: the reader keeps the length, not the bytes.
struct CapturedSegment {
  std::uint64_t record = 0;   // 1 for the file's first packet, as tcpdump numbers them
  std::uint64_t time_us = 0;  // capture time, microseconds since the epoch
  wire::Ipv4Address source;
  wire::Ipv4Address destination;
  wire::TcpRepr tcp;  // tcp.payload is empty
  std::uint32_t payload_len = 0;
};

// Why a packet was skipped. X(name, description).
#define TCPMC_PCAP_SKIPS(X)                                                              \
  X(LinkHeaderTruncated, "the record is shorter than its link-layer header")             \
  X(NotIpv4, "the link layer carries something else (ARP, IPv6, ...)")                   \
  X(SnapTruncated, "the record holds fewer bytes than the packet had (the snap length)") \
  X(Malformed, "the IPv4 or TCP parser refused it (the wire error says why)")            \
  X(NotTcp, "an IPv4 packet of another protocol (ICMP, UDP, ...)")

enum class PcapSkip : std::uint8_t {
#define TCPMC_PCAP_SKIP_ENUMERATOR(id, description) id,
  TCPMC_PCAP_SKIPS(TCPMC_PCAP_SKIP_ENUMERATOR)
#undef TCPMC_PCAP_SKIP_ENUMERATOR
};

struct PcapSkipInfo {
  std::string_view name;
  std::string_view description;
};

inline constexpr std::array kPcapSkipInfo = {
#define TCPMC_PCAP_SKIP_INFO(id, description) PcapSkipInfo{#id, description},
    TCPMC_PCAP_SKIPS(TCPMC_PCAP_SKIP_INFO)
#undef TCPMC_PCAP_SKIP_INFO
};
#undef TCPMC_PCAP_SKIPS

constexpr std::string_view name(PcapSkip s) {
  return kPcapSkipInfo[static_cast<std::size_t>(s)].name;
}
constexpr std::string_view describe(PcapSkip s) {
  return kPcapSkipInfo[static_cast<std::size_t>(s)].description;
}

// A skipped packet: the reason, and for Malformed the codec's.
struct SkippedPacket {
  PcapSkip reason = PcapSkip::Malformed;
  std::optional<wire::WireError> wire;
};

// Link-layer framings the reader understands, by libpcap's DLT_ value.
enum class LinkType : std::uint8_t { Raw, Ethernet, LinuxSll, LinuxSll2, Null, Loop };
std::optional<LinkType> link_type_from_dlt(int dlt);
std::string_view name(LinkType t);

// One record, without libpcap: strip `link`'s header and parse. `orig_len`
// is the packet's length on the wire (above data.size() when the snap
// length cut it).
Expected<CapturedSegment, SkippedPacket> decode_record(LinkType link,
                                                       std::span<const std::byte> data,
                                                       std::uint32_t orig_len);

struct SkipCounts {
  std::array<std::uint64_t, kPcapSkipInfo.size()> by_reason{};
  wire::WireErrorCounters wire;  // the codec's reasons for the Malformed ones
  std::uint64_t total() const {
    std::uint64_t n = 0;
    for (auto c : by_reason) n += c;
    return n;
  }
  void count(const SkippedPacket& s) {
    ++by_reason[static_cast<std::size_t>(s.reason)];
    if (s.wire && s.reason == PcapSkip::Malformed) wire.count(*s.wire);
  }
  // "3 skipped: NotIpv4 2, Malformed 1 (TcpBadChecksum 1)", or "".
  std::string text() const;
};

struct Capture {
  LinkType link = LinkType::Raw;
  std::uint64_t records = 0;
  std::vector<CapturedSegment> segments;
  SkipCounts skipped;
  // The file ends inside a record (a capture cut short) or cannot be read
  // further: what came before is kept.
  bool truncated_file = false;
};

enum class PcapReadErrorKind : std::uint8_t { CannotOpen, UnsupportedLinkType };
std::string_view name(PcapReadErrorKind k);

struct PcapReadError {
  PcapReadErrorKind kind;
  std::string message;  // one line, ends with what to do
};

// The whole file. libpcap also reads pcapng files.
Expected<Capture, PcapReadError> read_capture(const std::string& path);

}  // namespace tcpmc::net
