// The programs `scripts/bench tun` runs inside its network namespaces,
// beside `tcpmc serve` and `tcpmc connect`:
//
//   raw-read     the raw limit: a TUN reader that only counts packets
//   udp-flood    Linux sends UDP as fast as it can (into the TUN device)
//   conn-rate    a Linux client: connect, 1 KiB request, read the reply to
//                the server's FIN, close; several connections at a time
//   http-server  the Linux server the rate is compared with: the same reply
//                as `tcpmc serve --app http`, the server closing first
//
// Each prints one line of JSON on stdout and runs for a bounded time. They
// are measuring instruments, not part of the stack: plain sockets, epoll,
// no tcpmc code except the TUN device and the HTTP reply text, so that
// both servers send the same bytes.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <tcpmc/net/apps.hpp>
#include <tcpmc/net/tun.hpp>
#include <unordered_map>
#include <variant>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace net = tcpmc::net;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) this process has used.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return s(u.ru_utime) + s(u.ru_stime);
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench_tun: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

sockaddr_in socket_address(const std::string& host, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) {
    std::fprintf(stderr, "bench_tun: '%s' is not an IPv4 address\n", host.c_str());
    std::exit(2);
  }
  return a;
}

// --- raw-read ----------------------------------------------------------------

int raw_read(const std::string& tun, const std::string& addr, double seconds) {
  const auto prefix = net::parse_ipv4_prefix(addr);
  if (!prefix) {
    std::fprintf(stderr, "bench_tun: --addr '%s' is not A.B.C.D/NN\n", addr.c_str());
    return 2;
  }
  auto opened = net::TunDevice::open({tun, *prefix, prefix->first_host(), 1500});
  if (auto* err = std::get_if<net::SetupError>(&opened)) {
    std::fprintf(stderr, "bench_tun: %s: %s\n", tun.c_str(), err->message.c_str());
    return 2;
  }
  net::TunDevice& dev = *std::get<0>(opened);
  // Ready for the sender once the device exists.
  std::printf("{\"ready\": true}\n");
  std::fflush(stdout);

  std::array<std::byte, 2048> buffer{};
  std::uint64_t packets = 0, bytes = 0;
  Clock::time_point first{};
  double cpu_at_first = 0;
  const auto start = Clock::now();
  // Count from the first packet on, so that waiting for the sender to start
  // does not dilute the rate.
  while (seconds_since(start) < seconds + 5) {
    pollfd p{dev.fd(), POLLIN, 0};
    if (poll(&p, 1, 100) < 0 && errno != EINTR) die("poll");
    for (;;) {
      const net::IoResult r = dev.read(buffer);
      if (r.status != net::IoStatus::Ok) break;
      if (packets == 0) {
        first = Clock::now();
        cpu_at_first = cpu_seconds();
      }
      ++packets;
      bytes += r.size;
    }
    if (packets > 0 && seconds_since(first) >= seconds) break;
  }
  const double wall = packets > 0 ? seconds_since(first) : 0;
  std::printf("{\"packets\": %llu, \"bytes\": %llu, \"seconds\": %.3f, \"cpu_seconds\": %.3f}\n",
              static_cast<unsigned long long>(packets), static_cast<unsigned long long>(bytes),
              wall, cpu_seconds() - cpu_at_first);
  return packets > 0 ? 0 : 1;
}

// --- udp-flood ---------------------------------------------------------------

int udp_flood(const std::string& host, std::uint16_t port, double seconds, std::size_t size) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  const sockaddr_in to = socket_address(host, port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) die("connect");
  // Generic segmentation offload for UDP (Linux 4.18): each write of up to
  // 64 KiB leaves as datagrams of `size` bytes, cut by the kernel on the
  // way out, the same path a bulk TCP sender's large writes take. With
  // per-datagram writes the sender, not the TUN reader, sets the limit.
  const int segment = static_cast<int>(size);
  if (setsockopt(fd, SOL_UDP, UDP_SEGMENT, &segment, sizeof segment) < 0) die("UDP_SEGMENT");
  std::vector<char> payload(size * (65000 / size), 'x');
  constexpr unsigned kBatch = 8;
  std::array<iovec, kBatch> iov{};
  std::array<mmsghdr, kBatch> msgs{};
  for (unsigned i = 0; i < kBatch; ++i) {
    iov[i] = {payload.data(), payload.size()};
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  std::uint64_t sent = 0;
  const auto start = Clock::now();
  while (seconds_since(start) < seconds) {
    const int n = sendmmsg(fd, msgs.data(), kBatch, 0);
    // The reader stops counting before we stop sending; its device, and
    // the route through it, go with it.
    if (n < 0 && (errno == ENETUNREACH || errno == ENODEV)) break;
    if (n < 0 && errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED) die("sendmmsg");
    if (n > 0) sent += static_cast<unsigned>(n) * (payload.size() / size);
  }
  close(fd);
  std::printf("{\"datagrams\": %llu, \"seconds\": %.3f}\n", static_cast<unsigned long long>(sent),
              seconds_since(start));
  return 0;
}

// --- conn-rate ---------------------------------------------------------------

struct Exchange {
  int fd = -1;
  std::size_t sent = 0;
  std::size_t received = 0;
  bool connected = false;
};

int conn_rate(const std::string& host, std::uint16_t port, double seconds, unsigned parallel,
              std::size_t request_size) {
  const sockaddr_in to = socket_address(host, port);
  // A request of request_size bytes that ends the header block, so that an
  // HTTP server answers once it has all of it.
  std::string request = "GET / HTTP/1.1\r\nHost: bench\r\nX-Pad: ";
  request.append(request_size - request.size() - 4, 'p');
  request += "\r\n\r\n";

  const int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  std::unordered_map<int, Exchange> open;
  std::uint64_t completed = 0, failed = 0, reply_bytes = 0;

  auto start_one = [&] {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    // The same congestion control as the rest of the benchmark (see
    // scripts/bench): the namespace default may be bbr.
    static constexpr char kCubic[] = "cubic";
    setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, kCubic, sizeof kCubic - 1);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0 &&
        errno != EINPROGRESS) {
      die("connect");
    }
    epoll_event e{};
    e.events = EPOLLOUT | EPOLLIN;
    e.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0) die("epoll_ctl");
    open[fd] = Exchange{fd};
  };
  auto finish = [&](int fd, bool ok) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    open.erase(fd);
    ++(ok ? completed : failed);
  };

  const auto start = Clock::now();
  const double cpu_start = cpu_seconds();
  for (unsigned i = 0; i < parallel; ++i) start_one();
  std::array<epoll_event, 64> events{};
  std::array<char, 4096> buffer{};
  while (!open.empty()) {
    const bool go_on = seconds_since(start) < seconds;
    if (seconds_since(start) > seconds + 10) break;  // stragglers: give up on them
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      auto it = open.find(fd);
      if (it == open.end()) continue;
      Exchange& x = it->second;
      if (events[static_cast<std::size_t>(i)].events & (EPOLLERR | EPOLLHUP) && !x.connected) {
        finish(fd, false);
        if (go_on) start_one();
        continue;
      }
      x.connected = true;
      while (x.sent < request.size()) {
        const ssize_t w = send(fd, request.data() + x.sent, request.size() - x.sent, MSG_NOSIGNAL);
        if (w <= 0) break;
        x.sent += static_cast<std::size_t>(w);
      }
      if (x.sent == request.size()) {
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.fd = fd;
        epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
      }
      for (;;) {
        const ssize_t r = recv(fd, buffer.data(), buffer.size(), 0);
        if (r > 0) {
          x.received += static_cast<std::size_t>(r);
          continue;
        }
        if (r == 0) {  // the server's FIN after its reply: one exchange done
          reply_bytes += x.received;
          finish(fd, x.received > 0);
          if (go_on) start_one();
        } else if (errno != EAGAIN) {
          finish(fd, false);
          if (go_on) start_one();
        }
        break;
      }
    }
  }
  const double wall = seconds_since(start);
  for (auto& [fd, x] : open) close(fd);
  std::printf(
      "{\"completed\": %llu, \"failed\": %llu, \"unfinished\": %zu, \"seconds\": %.3f, "
      "\"per_second\": %.0f, \"reply_bytes\": %llu, \"cpu_seconds\": %.3f}\n",
      static_cast<unsigned long long>(completed), static_cast<unsigned long long>(failed),
      open.size(), wall, static_cast<double>(completed) / wall,
      static_cast<unsigned long long>(reply_bytes), cpu_seconds() - cpu_start);
  return failed == 0 && open.empty() ? 0 : 1;
}

// --- http-server -------------------------------------------------------------

int http_server(const std::string& host, std::uint16_t port, double seconds) {
  const int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (ls < 0) die("socket");
  const int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in at = socket_address(host, port);
  if (bind(ls, reinterpret_cast<const sockaddr*>(&at), sizeof at) < 0) die("bind");
  if (listen(ls, 1024) < 0) die("listen");
  const int ep = epoll_create1(0);
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.fd = ls;
  epoll_ctl(ep, EPOLL_CTL_ADD, ls, &e);
  std::printf("{\"ready\": true}\n");
  std::fflush(stdout);

  const std::string_view reply = net::http_response();
  std::unordered_map<int, std::string> requests;
  std::uint64_t served = 0;
  std::array<epoll_event, 64> events{};
  std::array<char, 4096> buffer{};
  const auto start = Clock::now();
  const double cpu_start = cpu_seconds();
  while (seconds_since(start) < seconds) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == ls) {
        for (;;) {
          const int c = accept4(ls, nullptr, nullptr, SOCK_NONBLOCK);
          if (c < 0) break;
          epoll_event ce{};
          ce.events = EPOLLIN;
          ce.data.fd = c;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
          requests[c];
        }
        continue;
      }
      std::string& req = requests[fd];
      bool done = false;
      for (;;) {
        const ssize_t r = recv(fd, buffer.data(), buffer.size(), 0);
        if (r > 0) {
          req.append(buffer.data(), static_cast<std::size_t>(r));
          continue;
        }
        done = r == 0 || errno != EAGAIN;
        break;
      }
      if (req.find("\r\n\r\n") != std::string::npos) {
        // The reply fits the socket buffer; the server closes first, as
        // `tcpmc serve --app http` does.
        if (send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(reply.size())) {
          ++served;
        }
        done = true;
      }
      if (done) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        requests.erase(fd);
      }
    }
  }
  std::printf("{\"served\": %llu, \"cpu_seconds\": %.3f}\n", static_cast<unsigned long long>(served),
              cpu_seconds() - cpu_start);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Measuring programs for scripts/bench tun (run inside its namespaces)"};
  app.require_subcommand(1);
  std::string tun, addr, host = "0.0.0.0";
  double seconds = 5;
  std::uint16_t port = 9;
  std::size_t size = 1472, request = 1024;
  unsigned parallel = 16;

  auto* raw = app.add_subcommand("raw-read", "Count packets read from a new TUN device");
  raw->add_option("--tun", tun)->required();
  raw->add_option("--addr", addr, "the address/prefix tcpmc serve --addr would take")
      ->required();
  raw->add_option("--seconds", seconds)->check(CLI::Range(0.1, 120.0));

  auto* flood = app.add_subcommand("udp-flood", "Send UDP datagrams as fast as possible");
  flood->add_option("--to", host)->required();
  flood->add_option("--port", port);
  flood->add_option("--seconds", seconds)->check(CLI::Range(0.1, 120.0));
  flood->add_option("--size", size, "payload bytes per datagram")->check(CLI::Range(1, 1472));

  auto* rate = app.add_subcommand("conn-rate", "Connections per second against an HTTP server");
  rate->add_option("--to", host)->required();
  rate->add_option("--port", port);
  rate->add_option("--seconds", seconds)->check(CLI::Range(0.1, 120.0));
  rate->add_option("--parallel", parallel)->check(CLI::Range(1, 1024));
  rate->add_option("--request", request, "bytes per request")->check(CLI::Range(64, 65536));

  auto* server = app.add_subcommand("http-server", "Linux HTTP server with tcpmc's reply");
  server->add_option("--addr", host);
  server->add_option("--port", port);
  server->add_option("--seconds", seconds)->check(CLI::Range(0.1, 600.0));

  CLI11_PARSE(app, argc, argv);
  if (raw->parsed()) return raw_read(tun, addr, seconds);
  if (flood->parsed()) return udp_flood(host, port, seconds, size);
  if (rate->parsed()) return conn_rate(host, port, seconds, parallel, request);
  return http_server(host, port, seconds);
}
