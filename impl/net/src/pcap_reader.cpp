#include <pcap/pcap.h>

#include <array>
#include <cstring>
#include <memory>
#include <tcpmc/net/pcap_reader.hpp>
#include <tcpmc/wire/codec.hpp>

namespace tcpmc::net {

namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;
constexpr std::uint16_t kEtherTypeQinQ = 0x88a8;
constexpr std::uint32_t kAfInet = 2;  // AF_INET on every system libpcap's NULL type comes from

std::uint16_t be16(std::span<const std::byte> b, std::size_t at) {
  return static_cast<std::uint16_t>((std::to_integer<unsigned>(b[at]) << 8) |
                                    std::to_integer<unsigned>(b[at + 1]));
}

// The IPv4 packet inside a record, or why there is none.
Expected<std::span<const std::byte>, PcapSkip> strip_link(LinkType link,
                                                          std::span<const std::byte> d) {
  const auto need = [&](std::size_t n) { return d.size() >= n; };
  switch (link) {
    case LinkType::Raw: break;
    case LinkType::Ethernet: {
      // Destination, source, then the EtherType, behind up to two VLAN tags.
      std::size_t at = 12;
      if (!need(at + 2)) return unexpected(PcapSkip::LinkHeaderTruncated);
      std::uint16_t type = be16(d, at);
      for (int tags = 0; tags < 2 && (type == kEtherTypeVlan || type == kEtherTypeQinQ); ++tags) {
        at += 4;
        if (!need(at + 2)) return unexpected(PcapSkip::LinkHeaderTruncated);
        type = be16(d, at);
      }
      if (type != kEtherTypeIpv4) return unexpected(PcapSkip::NotIpv4);
      d = d.subspan(at + 2);
      break;
    }
    case LinkType::LinuxSll:  // 16 bytes, the protocol in the last two
      if (!need(16)) return unexpected(PcapSkip::LinkHeaderTruncated);
      if (be16(d, 14) != kEtherTypeIpv4) return unexpected(PcapSkip::NotIpv4);
      d = d.subspan(16);
      break;
    case LinkType::LinuxSll2:  // 20 bytes, the protocol in the first two
      if (!need(20)) return unexpected(PcapSkip::LinkHeaderTruncated);
      if (be16(d, 0) != kEtherTypeIpv4) return unexpected(PcapSkip::NotIpv4);
      d = d.subspan(20);
      break;
    case LinkType::Null:    // the address family in the capturing host's byte order
    case LinkType::Loop: {  // ... or in network order
      if (!need(4)) return unexpected(PcapSkip::LinkHeaderTruncated);
      std::uint32_t family = 0;
      std::memcpy(&family, d.data(), 4);
      const std::uint32_t swapped = __builtin_bswap32(family);
      if (family != kAfInet && swapped != kAfInet) return unexpected(PcapSkip::NotIpv4);
      d = d.subspan(4);
      break;
    }
  }
  if (d.empty() || (std::to_integer<unsigned>(d[0]) >> 4) != 4) {
    return unexpected(PcapSkip::NotIpv4);
  }
  return d;
}

}  // namespace

std::optional<LinkType> link_type_from_dlt(int dlt) {
  switch (dlt) {
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
      return LinkType::Raw;
    case DLT_EN10MB: return LinkType::Ethernet;
    case DLT_LINUX_SLL: return LinkType::LinuxSll;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2: return LinkType::LinuxSll2;
#endif
    case DLT_NULL: return LinkType::Null;
    case DLT_LOOP: return LinkType::Loop;
    default: return std::nullopt;
  }
}

std::string_view name(LinkType t) {
  switch (t) {
    case LinkType::Raw: return "RAW";
    case LinkType::Ethernet: return "EN10MB";
    case LinkType::LinuxSll: return "LINUX_SLL";
    case LinkType::LinuxSll2: return "LINUX_SLL2";
    case LinkType::Null: return "NULL";
    case LinkType::Loop: return "LOOP";
  }
  return "?";
}

std::string_view name(PcapReadErrorKind k) {
  switch (k) {
    case PcapReadErrorKind::CannotOpen: return "cannot open";
    case PcapReadErrorKind::UnsupportedLinkType: return "unsupported link type";
  }
  return "?";
}

Expected<CapturedSegment, SkippedPacket> decode_record(LinkType link,
                                                       std::span<const std::byte> data,
                                                       std::uint32_t orig_len) {
  const auto ip = strip_link(link, data);
  if (!ip) return unexpected(SkippedPacket{ip.error(), std::nullopt});
  // Checksums are not verified: a capture taken where the NIC fills them
  // (offload) shows every outgoing one wrong, and the question here is
  // what the ends did, not whether the bits survived.
  const auto seg = wire::parse(*ip, wire::ChecksumPolicy::none());
  if (!seg) {
    const wire::WireError e = seg.error();
    if (e == wire::WireError::Ipv4NotTcp) return unexpected(SkippedPacket{PcapSkip::NotTcp, e});
    // A record cut by the snap length fails as a length error; say so.
    if (orig_len > data.size()) return unexpected(SkippedPacket{PcapSkip::SnapTruncated, e});
    return unexpected(SkippedPacket{PcapSkip::Malformed, e});
  }
  CapturedSegment out;
  out.source = seg->ip.source;
  out.destination = seg->ip.destination;
  out.tcp = seg->tcp;
  out.payload_len = static_cast<std::uint32_t>(seg->tcp.payload.size());
  out.tcp.payload = {};
  return out;
}

std::string SkipCounts::text() const {
  if (total() == 0) return "";
  std::string out = std::to_string(total()) + " skipped:";
  bool first = true;
  for (std::size_t i = 0; i < by_reason.size(); ++i) {
    if (by_reason[i] == 0) continue;
    out += first ? " " : ", ";
    first = false;
    out += std::string(kPcapSkipInfo[i].name) + " " + std::to_string(by_reason[i]);
    if (static_cast<PcapSkip>(i) == PcapSkip::Malformed) {
      std::string why;
      for (const auto& w : wire::wire_errors) {
        if (wire[w.id] == 0) continue;
        why += why.empty() ? "" : ", ";
        why += std::string(w.name) + " " + std::to_string(wire[w.id]);
      }
      if (!why.empty()) out += " (" + why + ")";
    }
  }
  return out;
}

Expected<Capture, PcapReadError> read_capture(const std::string& path) {
  std::array<char, PCAP_ERRBUF_SIZE> err{};
  const std::unique_ptr<pcap_t, decltype(&pcap_close)> handle(
      pcap_open_offline(path.c_str(), err.data()), &pcap_close);
  if (!handle) {
    // libpcap names the path in some messages ("x: No such file ...") but
    // not in others ("unknown file format").
    const std::string why = err.data();
    return unexpected(PcapReadError{
        PcapReadErrorKind::CannotOpen,
        (why.starts_with(path) ? why : path + ": " + why) +
            ": give a pcap or pcapng file (e.g. from tcpmc serve --pcap or tcpdump -w)"});
  }
  const int dlt = pcap_datalink(handle.get());
  const auto link = link_type_from_dlt(dlt);
  if (!link) {
    const char* dlt_name = pcap_datalink_val_to_name(dlt);
    return unexpected(PcapReadError{
        PcapReadErrorKind::UnsupportedLinkType,
        path + ": link type " + (dlt_name != nullptr ? dlt_name : std::to_string(dlt)) +
            " is not one tcpmc reads (RAW, EN10MB, LINUX_SLL, LINUX_SLL2, NULL, LOOP): "
            "capture with tcpdump -i any or on the TUN device"});
  }
  Capture capture;
  capture.link = *link;
  // Each call consumes a record, so the loop ends with the file.
  for (;;) {
    pcap_pkthdr* header = nullptr;
    const u_char* bytes = nullptr;
    const int rc = pcap_next_ex(handle.get(), &header, &bytes);
    if (rc == PCAP_ERROR_BREAK) break;  // end of file
    if (rc != 1) {
      capture.truncated_file = true;
      break;
    }
    ++capture.records;
    const std::span<const std::byte> data(reinterpret_cast<const std::byte*>(bytes),
                                          header->caplen);
    auto seg = decode_record(capture.link, data, header->len);
    if (!seg) {
      capture.skipped.count(seg.error());
      continue;
    }
    seg->record = capture.records;
    seg->time_us = static_cast<std::uint64_t>(header->ts.tv_sec) * 1'000'000U +
                   static_cast<std::uint64_t>(header->ts.tv_usec);
    capture.segments.push_back(*seg);
  }
  return capture;
}

}  // namespace tcpmc::net
