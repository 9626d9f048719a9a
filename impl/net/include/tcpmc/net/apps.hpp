// Small applications on the sockets API, for `tcpmc serve` and `tcpmc
// connect` and for the interop tests: servers that echo, discard, answer
// HTTP/1.1 requests or send a file's bytes, and a client that sends a byte
// string, half-closes, and keeps what comes back until the peer's FIN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <tcpmc/net/event_loop.hpp>
#include <tcpmc/net/stack.hpp>
#include <vector>

namespace tcpmc::net {

enum class ServerKind {
  Echo,     // sends back what it receives, closes after the client's FIN
  Discard,  // reads and drops, closes after the client's FIN
  Http,     // one fixed HTTP/1.1 response per connection, then closes
  File,     // the given bytes to every client, then closes (its input is dropped)
};

// "echo", "discard" or "http"; "file:PATH" is parsed by the caller, which
// reads the file and passes its bytes to Server::start.
std::optional<ServerKind> parse_server_kind(std::string_view text);

class Server : public Application {
 public:
  // Listens on `port`; PortInUse if a listener holds it. `content` is what
  // a File server sends (the others ignore it).
  static Expected<std::unique_ptr<Server>, NetError> start(Stack& stack, ServerKind kind,
                                                           std::uint16_t port, std::size_t backlog,
                                                           std::vector<std::byte> content = {});
  void step(Stack& stack, Time now) override;
  // Accepts nothing before `t`, so that the accept queue fills and the
  // listener's overflow handling can be watched (tests, demos).
  void hold_accept_until(Time t) { accept_from_ = t; }
  std::size_t open_sockets() const { return sockets_.size(); }
  std::uint64_t served() const { return served_; }

 private:
  struct Peer {
    SocketId id;
    std::vector<std::byte> pending;  // echo: received, not yet taken by send
    std::size_t sent = 0;
    std::vector<std::byte> request;  // http: bytes up to the blank line
    bool responded = false;
    bool done = false;
  };
  Server(ServerKind kind, SocketId listener, std::vector<std::byte> content)
      : kind_(kind), listener_(listener), content_(std::move(content)) {}
  // Serves one connection as far as it can go now; false once it is closed.
  bool serve(Stack& stack, Time now, Peer& p);
  bool echo(Stack& stack, Time now, Peer& p);
  bool discard(Stack& stack, Time now, Peer& p);
  bool http(Stack& stack, Time now, Peer& p);
  bool file(Stack& stack, Time now, Peer& p);
  // Sends `bytes` from p.sent on; true once all of it is queued, or once
  // the connection failed (either way the caller closes), false to wait.
  static bool send_from(Stack& stack, Time now, Peer& p, std::span<const std::byte> bytes);

  ServerKind kind_;
  SocketId listener_;
  std::vector<std::byte> content_;
  std::vector<Peer> sockets_;
  std::uint64_t served_ = 0;
  Time accept_from_ = 0;
};

// The response the http server sends to any request.
std::string_view http_response();

class Transfer : public Application {
 public:
  static Expected<std::unique_ptr<Transfer>, NetError> start(Stack& stack, Time now,
                                                             wire::Ipv4Address address,
                                                             std::uint16_t port,
                                                             std::vector<std::byte> to_send);
  void step(Stack& stack, Time now) override;
  bool finished() const override { return finished_; }
  const std::vector<std::byte>& received() const { return received_; }
  std::optional<NetError> error() const { return error_; }
  bool connected() const { return connected_; }

 private:
  Transfer(SocketId id, std::vector<std::byte> data) : id_(id), data_(std::move(data)) {}
  SocketId id_;
  std::vector<std::byte> data_;
  std::size_t sent_ = 0;
  bool shut_ = false;
  bool connected_ = false;
  bool finished_ = false;
  std::vector<std::byte> received_;
  std::optional<NetError> error_;
};

}  // namespace tcpmc::net
