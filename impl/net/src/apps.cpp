#include <algorithm>
#include <string>
#include <tcpmc/net/apps.hpp>

namespace tcpmc::net {

namespace {

// Bounds per step, so one busy connection cannot starve the others.
constexpr int kRoundsPerStep = 64;
constexpr std::size_t kChunk = 16384;
constexpr std::size_t kMaxRequest = 16384;

constexpr std::string_view kHttpBody = "tcpmc: hello over a model-checked TCP\n";

const std::string& response_text() {
  static const std::string r = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                               std::to_string(kHttpBody.size()) + "\r\nConnection: close\r\n\r\n" +
                               std::string(kHttpBody);
  return r;
}

}  // namespace

std::string_view http_response() { return response_text(); }

std::optional<ServerKind> parse_server_kind(std::string_view text) {
  if (text == "echo") return ServerKind::Echo;
  if (text == "discard") return ServerKind::Discard;
  if (text == "http") return ServerKind::Http;
  return std::nullopt;
}

Expected<std::unique_ptr<Server>, NetError> Server::start(Stack& stack, ServerKind kind,
                                                          std::uint16_t port, std::size_t backlog,
                                                          std::vector<std::byte> content) {
  auto id = stack.listen(port, backlog);
  if (!id) return unexpected(id.error());
  return std::unique_ptr<Server>(new Server(kind, *id, std::move(content)));
}

void Server::step(Stack& stack, Time now) {
  for (int i = 0; i < 1024 && now >= accept_from_; ++i) {
    auto id = stack.accept(listener_);
    if (!id) break;
    sockets_.push_back(Peer{*id, {}, 0, {}, false, false});
  }
  for (Peer& p : sockets_) p.done = !serve(stack, now, p);
  std::erase_if(sockets_, [](const Peer& p) { return p.done; });
}

bool Server::serve(Stack& stack, Time now, Peer& p) {
  const Readiness r = stack.poll(p.id);
  if (r.error) {
    // Reset, refused or timed out: nothing more to say to this peer.
    stack.close(now, p.id);
    return false;
  }
  switch (kind_) {
    case ServerKind::Echo: return echo(stack, now, p);
    case ServerKind::Discard: return discard(stack, now, p);
    case ServerKind::Http: return http(stack, now, p);
    case ServerKind::File: return file(stack, now, p);
  }
  return false;
}

bool Server::echo(Stack& stack, Time now, Peer& p) {
  for (int round = 0; round < kRoundsPerStep; ++round) {
    if (p.sent < p.pending.size()) {
      auto n = stack.send(now, p.id, std::span<const std::byte>(p.pending).subspan(p.sent));
      if (!n) {
        if (n.error() == NetError::WouldBlock) return true;
        stack.close(now, p.id);
        return false;
      }
      p.sent += *n;
      continue;
    }
    // Read into the stack's frame and keep only what came: an idle
    // connection then holds no buffer of ours (its pending bytes are freed
    // once sent), as the engine holds none of its own.
    std::byte chunk[kChunk];
    auto n = stack.receive(now, p.id, chunk);
    std::vector<std::byte>().swap(p.pending);
    p.sent = 0;
    if (!n) {
      if (n.error() == NetError::WouldBlock) return true;
      stack.close(now, p.id);
      return false;
    }
    p.pending.assign(chunk, chunk + *n);
    if (*n == 0) {  // the client finished and everything is echoed
      ++served_;
      stack.close(now, p.id);
      return false;
    }
  }
  return true;
}

bool Server::discard(Stack& stack, Time now, Peer& p) {
  std::byte sink[kChunk];
  for (int round = 0; round < kRoundsPerStep; ++round) {
    auto n = stack.receive(now, p.id, sink);
    if (n && *n > 0) continue;
    if (!n && n.error() == NetError::WouldBlock) return true;
    if (n) ++served_;
    stack.close(now, p.id);
    return false;
  }
  return true;
}

bool Server::http(Stack& stack, Time now, Peer& p) {
  std::byte chunk[2048];
  for (int round = 0; round < kRoundsPerStep && !p.responded; ++round) {
    auto n = stack.receive(now, p.id, chunk);
    if (!n && n.error() == NetError::WouldBlock) return true;
    if (!n || *n == 0 || p.request.size() + *n > kMaxRequest) {
      stack.close(now, p.id);  // the client left, or sent more than a request can be
      return false;
    }
    p.request.insert(p.request.end(), chunk, chunk + *n);
    const std::string_view text(reinterpret_cast<const char*>(p.request.data()), p.request.size());
    if (text.find("\r\n\r\n") == std::string_view::npos) continue;
    p.responded = true;
  }
  if (!p.responded) return true;
  const std::string_view reply = http_response();
  if (!send_from(stack, now, p, std::as_bytes(std::span<const char>(reply.data(), reply.size())))) {
    return true;
  }
  // The server closes first (Connection: close), so TIME-WAIT is ours.
  ++served_;
  stack.close(now, p.id);
  return false;
}

bool Server::file(Stack& stack, Time now, Peer& p) {
  // Whatever the client says is read and dropped, so that its bytes never
  // fill our receive window while we send.
  std::byte sink[kChunk];
  for (int round = 0; round < kRoundsPerStep; ++round) {
    auto n = stack.receive(now, p.id, sink);
    if (!n || *n == 0) break;
  }
  if (!send_from(stack, now, p, content_)) return true;
  // All of it is queued: close() sends our FIN after the last byte, so the
  // client reads the file up to end of stream and TIME-WAIT is ours.
  ++served_;
  stack.close(now, p.id);
  return false;
}

bool Server::send_from(Stack& stack, Time now, Peer& p, std::span<const std::byte> bytes) {
  for (int round = 0; round < kRoundsPerStep && p.sent < bytes.size(); ++round) {
    auto n = stack.send(now, p.id, bytes.subspan(p.sent));
    if (!n) return n.error() != NetError::WouldBlock;  // an error: give up, close
    p.sent += *n;
  }
  return p.sent == bytes.size();
}

Expected<std::unique_ptr<Transfer>, NetError> Transfer::start(Stack& stack, Time now,
                                                              wire::Ipv4Address address,
                                                              std::uint16_t port,
                                                              std::vector<std::byte> to_send) {
  auto id = stack.connect(now, address, port);
  if (!id) return unexpected(id.error());
  return std::unique_ptr<Transfer>(new Transfer(*id, std::move(to_send)));
}

void Transfer::step(Stack& stack, Time now) {
  if (finished_) return;
  const Readiness r = stack.poll(id_);
  if (r.connected) connected_ = true;
  if (r.error && !r.readable) {
    error_ = r.error;
    finished_ = true;
    return;
  }
  // Sending starts before the handshake completes: the data waits in the
  // send queue (RFC 9293 3.10.2) and its first bytes ride on the segment
  // that acknowledges the peer's SYN. Only the half-close waits for the
  // connection, since a CLOSE in SYN-SENT would abandon it.
  for (int round = 0; round < kRoundsPerStep && sent_ < data_.size(); ++round) {
    auto n = stack.send(now, id_, std::span<const std::byte>(data_).subspan(sent_));
    if (!n) break;
    sent_ += *n;
  }
  if (connected_ && sent_ == data_.size() && !shut_) {
    stack.shutdown(now, id_);
    shut_ = true;
  }
  std::byte chunk[kChunk];
  for (int round = 0; round < kRoundsPerStep; ++round) {
    auto n = stack.receive(now, id_, chunk);
    if (!n) {
      if (n.error() != NetError::WouldBlock) {
        error_ = n.error();
        finished_ = true;
      }
      return;
    }
    if (*n == 0) {
      finished_ = shut_;
      return;
    }
    received_.insert(received_.end(), chunk, chunk + *n);
  }
}

}  // namespace tcpmc::net
