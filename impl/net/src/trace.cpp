#include <cstdio>
#include <tcpmc/net/trace.hpp>
#include <tcpmc/net/tun.hpp>
#include <tcpmc/wire/codec.hpp>

namespace tcpmc::net {

namespace {

// tcpdump's flag letters: S F R P U E W, and "." for ACK.
std::string flag_letters(const wire::TcpFlags& f) {
  std::string s;
  if (f.syn()) s += 'S';
  if (f.fin()) s += 'F';
  if (f.rst()) s += 'R';
  if (f.psh()) s += 'P';
  if (f.urg()) s += 'U';
  if (f.ece()) s += 'E';
  if (f.cwr()) s += 'W';
  if (f.ack()) s += '.';
  return s.empty() ? "none" : s;
}

}  // namespace

std::string describe_packet(std::span<const std::byte> packet, bool inbound, DeviceTime now) {
  char head[32];
  std::snprintf(head, sizeof head, "%llu.%06llu %s ", static_cast<unsigned long long>(now / 1'000'000),
                static_cast<unsigned long long>(now % 1'000'000), inbound ? "in " : "out");
  std::string line = head;
  const auto parsed = wire::parse(packet);
  if (!parsed) {
    line += parsed.error() == wire::WireError::Ipv4NotTcp ? "not TCP (ICMP or another protocol)"
                                                          : "rejected by the codec: ";
    if (parsed.error() != wire::WireError::Ipv4NotTcp) line += wire::to_string(parsed.error());
    line += ", " + std::to_string(packet.size()) + " bytes";
    return line;
  }
  const wire::SegmentRepr& r = *parsed;
  line += to_string(r.ip.source) + ":" + std::to_string(r.tcp.source_port) + " > " +
          to_string(r.ip.destination) + ":" + std::to_string(r.tcp.destination_port) + " [" +
          flag_letters(r.tcp.flags) + "] seq " + std::to_string(r.tcp.seq);
  if (r.tcp.flags.ack()) line += " ack " + std::to_string(r.tcp.ack);
  line += " win " + std::to_string(r.tcp.window) + " len " + std::to_string(r.tcp.payload.size());
  const wire::TcpOptions& o = r.tcp.options;
  if (o.mss) line += " mss " + std::to_string(*o.mss);
  if (o.window_scale) line += " ws " + std::to_string(o.window_scale->shift());
  if (o.sack_permitted) line += " sackOK";
  for (const auto& b : o.sack) {
    line += " sack " + std::to_string(b.left) + "-" + std::to_string(b.right);
  }
  if (o.timestamps) {
    line += " ts " + std::to_string(o.timestamps->tsval) + "/" + std::to_string(o.timestamps->tsecr);
  }
  return line;
}

IoResult TraceLayer::read(std::span<std::byte> buffer) {
  const IoResult r = inner_.read(buffer);
  if (r.status == IoStatus::Ok) sink_(describe_packet(buffer.first(r.size), true, now_));
  return r;
}

IoResult TraceLayer::write(std::span<const std::byte> packet) {
  sink_(describe_packet(packet, false, now_));
  return inner_.write(packet);
}

}  // namespace tcpmc::net
