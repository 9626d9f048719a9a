// Two tcpmc stacks in one process, joined by an in-memory link: a client
// sends a line to an echo server, shuts down its sending side (half-close),
// reads the echo up to the server's FIN and closes. It uses only the
// sockets-like API of <tcpmc/net/stack.hpp>, so the same calls drive a
// stack on a TUN device (tcpmc::net::TunDevice, with tcpmc::net::run as the
// event loop); here a loop of our own moves the packets and the clock.
//
// Build it against an installed tcpmc:
//   cmake -S examples/echo_pair -B build/echo_pair -DCMAKE_PREFIX_PATH=<prefix>
//   cmake --build build/echo_pair && build/echo_pair/echo_pair
#include <cstddef>
#include <cstdio>
#include <span>
#include <string>
#include <tcpmc/net/event_loop.hpp>
#include <tcpmc/net/stack.hpp>

namespace net = tcpmc::net;
using tcpmc::wire::Ipv4Address;

namespace {

// Everything one stack wrote is read by the other, both ways, then each
// stack sends what it has to say about it.
void carry(net::Stack& a, net::MemoryDevice& a_dev, net::Stack& b, net::MemoryDevice& b_dev,
           net::Time now) {
  a.flush(now);
  b.flush(now);
  for (auto& packet : a_dev.written()) b.on_packet(now, packet);
  for (auto& packet : b_dev.written()) a.on_packet(now, packet);
  a_dev.written().clear();
  b_dev.written().clear();
  a.on_timer(now);
  b.on_timer(now);
}

std::span<const std::byte> bytes(const std::string& s) {
  return std::as_bytes(std::span(s.data(), s.size()));
}

}  // namespace

int main() {
  const Ipv4Address client_address(198, 18, 0, 1);  // RFC 2544 test range
  const Ipv4Address server_address(198, 18, 0, 2);

  net::MemoryDevice client_dev, server_dev;
  net::StackConfig client_config{.address = client_address};
  net::StackConfig server_config{.address = server_address};
  client_config.engine.isn_secret = net::draw_isn_secret();
  server_config.engine.isn_secret = net::draw_isn_secret();
  net::Stack client(client_config, client_dev);
  net::Stack server(server_config, server_dev);

  auto listener = server.listen(7, /*backlog=*/16);
  if (!listener) return std::fprintf(stderr, "listen: %s\n", net::name(listener.error()).data()), 1;

  net::Time now = 0;
  auto conn = client.connect(now, server_address, 7);
  if (!conn) return std::fprintf(stderr, "connect: %s\n", net::name(conn.error()).data()), 1;

  const std::string line = "hello over tcpmc\n";
  std::optional<net::SocketId> served;
  std::string echoed, pending;
  bool sent = false, done = false;
  std::byte buffer[1024];

  // A bounded number of round trips, 1 ms of virtual time apart.
  for (int round = 0; round < 1000 && !done; ++round, now += 1000) {
    carry(client, client_dev, server, server_dev, now);

    // Server: accept, echo what arrives, close at the client's FIN.
    if (!served) {
      if (auto accepted = server.accept(*listener)) served = *accepted;
    }
    if (served) {
      auto n = server.receive(now, *served, buffer);
      if (n && *n > 0) pending.append(reinterpret_cast<const char*>(buffer), *n);
      if (!pending.empty()) {
        if (auto taken = server.send(now, *served, bytes(pending))) pending.erase(0, *taken);
      }
      if (n && *n == 0 && pending.empty()) server.close(now, *served);  // end of stream
    }

    // Client: once connected, send the line and half-close; read the echo.
    const net::Readiness ready = client.poll(*conn);
    if (ready.error) {
      std::fprintf(stderr, "client: %s\n", net::name(*ready.error).data());
      return 1;
    }
    if (ready.connected && !sent && client.send(now, *conn, bytes(line))) {
      client.shutdown(now, *conn);  // our FIN follows the line
      sent = true;
    }
    if (ready.readable) {
      auto n = client.receive(now, *conn, buffer);
      if (n && *n > 0) echoed.append(reinterpret_cast<const char*>(buffer), *n);
      if (n && *n == 0) {  // the server's FIN: the exchange is over
        client.close(now, *conn);
        done = true;
      }
    }
  }
  std::printf("echoed: %s", echoed.c_str());
  std::printf("client connections: %zu, in TIME-WAIT: %zu\n", client.connection_count(),
              client.time_wait_count());
  return done && echoed == line ? 0 : 1;
}
