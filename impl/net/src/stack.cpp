#include <algorithm>
#include <memory>
#include <tcpmc/core/mss.hpp>
#include <tcpmc/core/wire_convert.hpp>
#include <tcpmc/net/stack.hpp>
#include <tcpmc/wire/codec.hpp>
#include <tcpmc/wire/icmp.hpp>

namespace tcpmc::net {

namespace {

using model::State;
namespace states = model::states;

constexpr std::size_t kSendCapacity = core::ByteRing<core::StackParams::SendStorage>::capacity();
// Bounds on work per call, so that a misbehaving engine cannot spin the loop.
constexpr int kMaxSegmentsPerTransmit = 4096;
constexpr std::uint16_t kEphemeralFirst = 49152;
constexpr std::uint32_t kEphemeralCount = 65536 - kEphemeralFirst;

}  // namespace

std::string_view name(NetError e) {
  switch (e) {
    case NetError::WouldBlock: return "would block";
    case NetError::Refused: return "connection refused";
    case NetError::Reset: return "connection reset by peer";
    case NetError::TimedOut: return "connection timed out";
    case NetError::Shutdown: return "sending side already shut down";
    case NetError::NotConnected: return "not connected";
    case NetError::InvalidSocket: return "no such socket";
    case NetError::PortInUse: return "port in use";
    case NetError::NoPortsLeft: return "no ephemeral port left";
  }
  return "?";
}

Stack::Stack(const StackConfig& config, Device& device)
    : config_(config), device_(device), closed_(config.engine) {
  config_.engine.mss =
      core::mss_for_mtu(static_cast<std::uint32_t>(device.mtu())).value_or(core::kDefaultPeerMss);
  closed_ = Conn(config_.engine);
  payload_.resize(config_.engine.mss);
  packet_.resize(wire::ipv4_layout::max_total_length);
  // Spread the first ephemeral port by the secret, so that two runs do not
  // start on the same port (RFC 6056's goal, in the simplest form).
  next_ephemeral_ = static_cast<std::uint16_t>((std::uint32_t{config_.engine.isn_secret[0]} |
                                                std::uint32_t{config_.engine.isn_secret[1]} << 8) %
                                               kEphemeralCount);
}

// --- Sockets ----------------------------------------------------------------------

Stack::Socket* Stack::find(SocketId id) {
  auto it = sockets_.find(id);
  return it == sockets_.end() ? nullptr : &it->second;
}

const Stack::Socket* Stack::find(SocketId id) const {
  auto it = sockets_.find(id);
  return it == sockets_.end() ? nullptr : &it->second;
}

SocketId Stack::add(Socket s) {
  const SocketId id = next_id_++;
  sockets_.emplace(id, std::move(s));
  return id;
}

Expected<SocketId, NetError> Stack::listen(std::uint16_t port, std::size_t backlog) {
  if (port == 0 || listeners_.contains(port)) return unexpected(NetError::PortInUse);
  const std::size_t n = std::max<std::size_t>(backlog, 1);
  Socket s;
  s.listen = std::make_unique<ListenState>(
      ListenState{Listener({config_.address.to_u32(), port}, core::Backlog{n, n}, config_.engine,
                           config_.syn_cookies),
                  {}});
  const SocketId id = add(std::move(s));
  listeners_.emplace(port, id);
  return id;
}

Expected<SocketId, NetError> Stack::accept(SocketId listener) {
  Socket* ls = find(listener);
  if (ls == nullptr || !ls->listen) return unexpected(NetError::InvalidSocket);
  std::deque<SocketId>& adopted = ls->listen->adopted;
  while (!adopted.empty()) {
    const SocketId id = adopted.front();
    adopted.pop_front();
    if (Socket* s = find(id); s != nullptr && s->pending_accept) {
      s->pending_accept = false;
      s->owned = true;
      ++counters_.connections_passive;
      return id;
    }
  }
  std::optional<Conn> c = ls->listen->listener.accept();
  if (!c) return unexpected(NetError::WouldBlock);
  const core::FourTuple t = c->tuple();
  Socket s;
  s.conn.emplace(std::move(*c));
  const SocketId id = add(std::move(s));  // invalidates ls
  by_tuple_[t] = id;
  ++counters_.connections_passive;
  return id;
}

Expected<SocketId, NetError> Stack::connect(Time now, wire::Ipv4Address address,
                                            std::uint16_t port) {
  const core::Endpoint remote{address.to_u32(), port};
  for (std::uint32_t i = 0; i < kEphemeralCount; ++i) {
    const auto local_port =
        static_cast<std::uint16_t>(kEphemeralFirst + (next_ephemeral_ + i) % kEphemeralCount);
    const core::FourTuple t{{config_.address.to_u32(), local_port}, remote};
    if (by_tuple_.contains(t) || time_wait_.contains(t) || listeners_.contains(local_port)) {
      continue;
    }
    next_ephemeral_ = static_cast<std::uint16_t>((next_ephemeral_ + i + 1) % kEphemeralCount);
    Socket s;
    s.conn.emplace(config_.engine);
    s.conn->open_active(now, t);
    const SocketId id = add(std::move(s));
    by_tuple_[t] = id;
    ++counters_.connections_active;
    return id;
  }
  return unexpected(NetError::NoPortsLeft);
}

Expected<std::size_t, NetError> Stack::send(Time now, SocketId id,
                                            std::span<const std::byte> data) {
  Socket* s = find(id);
  if (s == nullptr || !s->conn || !s->owned) return unexpected(NetError::InvalidSocket);
  if (s->error) return unexpected(*s->error);
  const core::SendResult r = s->conn->send(now, data);
  switch (r.error) {
    case core::CallError::None: break;
    case core::CallError::ConnectionClosing: return unexpected(NetError::Shutdown);
    case core::CallError::NoConnection: return unexpected(NetError::NotConnected);
    case core::CallError::ConnectionExists: return unexpected(NetError::InvalidSocket);
  }
  if (r.accepted == 0 && !data.empty()) return unexpected(NetError::WouldBlock);
  return r.accepted;
}

Expected<std::size_t, NetError> Stack::receive(Time now, SocketId id, std::span<std::byte> out) {
  Socket* s = find(id);
  if (s == nullptr || !s->conn || !s->owned) return unexpected(NetError::InvalidSocket);
  Conn& c = *s->conn;
  if (c.readable() == 0 && s->error) return unexpected(*s->error);
  const core::ReceiveResult r = c.receive(now, out);
  if (r.bytes > 0) return r.bytes;
  if (r.end_of_stream || s->closed) return std::size_t{0};
  return unexpected(NetError::WouldBlock);
}

std::optional<NetError> Stack::shutdown(Time now, SocketId id) {
  Socket* s = find(id);
  if (s == nullptr || !s->conn || !s->owned) return NetError::InvalidSocket;
  if (s->error) return *s->error;
  switch (s->conn->close(now)) {
    case core::CallError::None: return std::nullopt;
    case core::CallError::ConnectionClosing: return NetError::Shutdown;
    default: return NetError::NotConnected;
  }
}

std::optional<NetError> Stack::close(Time now, SocketId id) {
  Socket* s = find(id);
  if (s == nullptr || !s->owned) return NetError::InvalidSocket;
  if (s->listen) {
    // Connections nobody accepted are reset, as Linux does when a listening
    // socket closes with a non-empty accept queue.
    while (std::optional<Conn> c = s->listen->listener.accept()) {
      c->abort(now);
      transmit(now, *c);
    }
    for (SocketId a : s->listen->adopted) {
      if (Socket* p = find(a); p != nullptr && p->pending_accept) p->pending_accept = false;
    }
    net::add(closed_listeners_, s->listen->listener.counters());
    listeners_.erase(s->listen->listener.local().port);
    sockets_.erase(id);
    return std::nullopt;
  }
  s->owned = false;
  if (!s->closed) s->conn->close(now);  // a second CLOSE after shutdown() changes nothing
  settle(now, id);
  return std::nullopt;
}

std::optional<NetError> Stack::abort(Time now, SocketId id) {
  Socket* s = find(id);
  if (s == nullptr || !s->owned) return NetError::InvalidSocket;
  if (s->listen) return close(now, id);
  s->conn->abort(now);
  transmit(now, *s->conn);
  retire(id);
  return std::nullopt;
}

Readiness Stack::poll(SocketId id) const {
  Readiness r;
  const Socket* s = find(id);
  if (s == nullptr) {
    r.closed = true;
    r.error = NetError::InvalidSocket;
    return r;
  }
  if (s->listen) {
    r.acceptable = s->listen->listener.accept_queue_size() > 0;
    for (SocketId a : s->listen->adopted) {
      if (const Socket* p = find(a); p != nullptr && p->pending_accept) r.acceptable = true;
    }
    return r;
  }
  const Conn& c = *s->conn;
  const State st = c.state();
  r.connected = s->connected || states::kEstablishedOrLater.contains(st);
  r.end_of_stream = c.peer_finished() && c.readable() == 0;
  r.closed = s->closed || st == State::Closed || st == State::TimeWait;
  r.error = s->error;
  r.readable = c.readable() > 0 || r.end_of_stream || r.closed || s->error.has_value();
  r.writable = states::kMaySend.contains(st) && c.send_queued() < kSendCapacity && !s->error;
  return r;
}

std::optional<core::FourTuple> Stack::tuple(SocketId id) const {
  const Socket* s = find(id);
  if (s == nullptr || !s->conn) return std::nullopt;
  return s->conn->tuple();
}

// --- Input ------------------------------------------------------------------------

void Stack::on_packet(Time now, std::span<const std::byte> packet) {
  ++counters_.packets_received;
  const auto view = wire::Ipv4View::make(packet);
  if (!view) {
    counters_.wire_errors.count(view.error());
    return;
  }
  if (view->protocol() == wire::icmp_layout::protocol_icmp) {
    on_icmp(now, packet);
    return;
  }
  on_tcp(now, packet);
}

void Stack::on_icmp(Time /*now*/, std::span<const std::byte> packet) {
  const auto view = wire::Ipv4View::make(packet);
  if (!wire::verify_ipv4_checksum(view->header())) {
    counters_.wire_errors.count(wire::WireError::Ipv4BadChecksum);
    return;
  }
  if (view->more_fragments() || view->fragment_offset() != 0) {
    counters_.wire_errors.count(wire::WireError::Ipv4Fragment);
    return;
  }
  if (view->destination() != config_.address) {
    ++counters_.not_for_us;
    return;
  }
  const auto echo = wire::parse_icmp_echo_request(view->payload());
  if (!echo) {
    switch (echo.error()) {
      case wire::IcmpError::Truncated: ++counters_.icmp_truncated; break;
      case wire::IcmpError::BadChecksum: ++counters_.icmp_bad_checksum; break;
      case wire::IcmpError::NotEchoRequest: ++counters_.icmp_ignored; break;
    }
    return;
  }
  const std::size_t n = wire::emit_echo_reply(*echo, config_.address, view->source(), packet_);
  if (n == 0) {
    counters_.wire_errors.count(wire::WireError::EmitBufferTooSmall);
    return;
  }
  ++counters_.icmp_echo_replies;
  write_packet(std::span<const std::byte>(packet_).first(n));
}

void Stack::on_tcp(Time now, std::span<const std::byte> packet) {
  const auto parsed = wire::parse(packet);
  if (!parsed) {
    counters_.wire_errors.count(parsed.error());
    return;
  }
  if (parsed->ip.destination != config_.address) {
    ++counters_.not_for_us;
    return;
  }
  const Conn::Seg seg = core::from_wire(*parsed);
  const core::FourTuple t{seg.destination, seg.source};
  if (auto it = by_tuple_.find(t); it != by_tuple_.end()) {
    ++counters_.segments_to_connections;
    to_connection(now, it->second, seg);
  } else if (time_wait_.contains(t)) {
    ++counters_.segments_to_time_wait;
    to_time_wait(now, t, seg);
  } else if (auto l = listeners_.find(seg.destination.port); l != listeners_.end()) {
    ++counters_.segments_to_listeners;
    to_listener(now, l->second, seg);
  } else {
    ++counters_.segments_no_connection;
    no_connection(now, seg);
  }
}

void Stack::to_connection(Time now, SocketId id, const Conn::Seg& seg) {
  Socket& s = sockets_.at(id);
  s.conn->on_segment(now, seg);
  settle(now, id);
}

void Stack::to_time_wait(Time now, const core::FourTuple& t, const Conn::Seg& seg) {
  auto it = time_wait_.find(t);
  Conn c = Conn::restore(it->second, config_.engine);
  c.on_segment(now, seg);
  transmit(now, c);
  if (auto entry = c.time_wait_entry()) {
    it->second = *entry;
    return;
  }
  time_wait_.erase(it);
  if (c.state() == State::Closed) return;
  // A new SYN reopened the connection (RFC 9293 3.10.7.4, TIME-WAIT): it is
  // the listener's to hand out once established, or nobody's.
  auto l = listeners_.find(t.local.port);
  if (l == listeners_.end()) {
    c.abort(now);
    transmit(now, c);
    return;
  }
  ++counters_.time_wait_reopened;
  Socket s;
  s.conn.emplace(std::move(c));
  s.owned = false;
  s.pending_accept = true;
  s.adopt_port = t.local.port;
  const SocketId id = add(std::move(s));
  by_tuple_[t] = id;
  settle(now, id);
}

void Stack::to_listener(Time now, SocketId id, const Conn::Seg& seg) {
  Listener& l = sockets_.at(id).listen->listener;
  l.on_segment(now, seg);
  while (auto out = l.poll_transmit(now, payload_)) emit(*out);
}

void Stack::no_connection(Time now, const Conn::Seg& seg) {
  Conn c = closed_;
  c.on_segment(now, seg);
  for (int i = 0; i < kMaxSegmentsPerTransmit; ++i) {
    auto out = c.poll_transmit(now, payload_);
    if (!out) break;
    if (out->flags.rst) ++counters_.resets_for_no_connection;
    emit(*out);
  }
}

// --- Connection bookkeeping -----------------------------------------------------------

void Stack::settle(Time now, SocketId id) {
  Socket& s = sockets_.at(id);
  Conn& c = *s.conn;
  while (auto e = c.poll_event()) {
    switch (*e) {
      case core::UserEvent::Connected:
        s.connected = true;
        if (s.pending_accept) {
          auto l = listeners_.find(s.adopt_port);
          if (l != listeners_.end()) sockets_.at(l->second).listen->adopted.push_back(id);
        }
        break;
      case core::UserEvent::Reset:
        s.error = NetError::Reset;
        s.closed = true;
        ++counters_.connections_reset;
        break;
      case core::UserEvent::Refused:
        s.error = NetError::Refused;
        s.closed = true;
        ++counters_.connections_refused;
        break;
      case core::UserEvent::TimedOut:
        s.error = NetError::TimedOut;
        s.closed = true;
        ++counters_.connections_timed_out;
        break;
      case core::UserEvent::Closed:
        s.closed = true;
        ++counters_.connections_closed;
        break;
      case core::UserEvent::Readable:
      case core::UserEvent::Writable:
      case core::UserEvent::PeerFinished: break;  // poll() reads these from the connection
    }
  }
  const bool orphan = !s.owned && !s.pending_accept;
  if (orphan && c.readable() > 0) {
    // Nobody will read it; taking it out keeps the window open so that the
    // peer's FIN can still arrive and the connection can finish.
    ++counters_.segments_after_close;
    std::byte sink[4096];
    for (int i = 0; i < 1024 && c.receive(now, sink).bytes > 0; ++i) {
    }
  }
  transmit(now, c);
  const State st = c.state();
  if (st == State::TimeWait && !s.in_time_wait) {
    s.in_time_wait = true;
    ++counters_.time_wait_entered;
  }
  if (st == State::Closed) s.closed = true;
  if (orphan && (st == State::Closed || st == State::TimeWait)) retire(id);
}

namespace {

// What one connection did, into the stack's totals.
void add_engine_counters(StackCounters& sum, const Conn& c) {
  const core::ConnectionCounters& k = c.counters();
  sum.retransmitted_octets += k.retransmitted_octets;
  sum.retransmission_timeouts += k.retransmission_timeouts;
  sum.fast_recoveries += k.fast_recoveries;
  sum.sack_recoveries += k.sack_recoveries;
  sum.challenge_acks_sent += c.challenge_acks_sent();
  sum.challenge_acks_suppressed += c.challenge_acks_suppressed();
}

}  // namespace

void Stack::retire(SocketId id) {
  auto it = sockets_.find(id);
  if (it == sockets_.end() || !it->second.conn) return;
  const Conn& c = *it->second.conn;
  add_engine_counters(counters_, c);
  const core::FourTuple t = c.tuple();
  if (auto entry = c.time_wait_entry()) time_wait_[t] = *entry;
  if (auto b = by_tuple_.find(t); b != by_tuple_.end() && b->second == id) by_tuple_.erase(b);
  sockets_.erase(it);
}

// --- Timers and output ----------------------------------------------------------------

void Stack::on_timer(Time now) {
  std::vector<SocketId> due;
  for (auto& [id, s] : sockets_) {
    if (s.conn) {
      if (auto d = s.conn->next_deadline(); d && *d <= now) due.push_back(id);
    } else if (s.listen) {
      Listener& l = s.listen->listener;
      if (auto d = l.next_deadline(); d && *d <= now) {
        l.on_timer(now);
        while (auto out = l.poll_transmit(now, payload_)) emit(*out);
      }
    }
  }
  for (SocketId id : due) {
    if (Socket* s = find(id); s != nullptr && s->conn) {
      s->conn->on_timer(now);
      settle(now, id);
    }
  }
  for (auto it = time_wait_.begin(); it != time_wait_.end();) {
    if (it->second.deadline <= now) {
      ++counters_.time_wait_expired;
      it = time_wait_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<Time> Stack::next_deadline() const {
  std::optional<Time> next;
  auto consider = [&](std::optional<Time> d) {
    if (d && (!next || *d < *next)) next = d;
  };
  for (const auto& [id, s] : sockets_) {
    if (s.conn) consider(s.conn->next_deadline());
    if (s.listen) consider(s.listen->listener.next_deadline());
  }
  for (const auto& [t, e] : time_wait_) consider(e.deadline);
  return next;
}

void Stack::flush(Time now) {
  std::vector<SocketId> ids;
  ids.reserve(sockets_.size());
  for (const auto& [id, s] : sockets_) {
    if (s.conn) ids.push_back(id);
  }
  for (SocketId id : ids) {
    if (find(id) != nullptr) settle(now, id);
  }
}

void Stack::transmit(Time now, Conn& c) {
  for (int i = 0; i < kMaxSegmentsPerTransmit; ++i) {
    auto seg = c.poll_transmit(now, payload_);
    if (!seg) return;
    emit(*seg);
  }
}

void Stack::emit(const Conn::Seg& seg) {
  const wire::SegmentRepr repr = core::to_wire(seg);
  const auto n = wire::emit(repr, packet_);
  if (!n) {
    counters_.wire_errors.count(n.error());
    return;
  }
  write_packet(std::span<const std::byte>(packet_).first(*n));
}

void Stack::write_packet(std::span<const std::byte> packet) {
  const IoResult r = device_.write(packet);
  if (r.status == IoStatus::Ok) {
    ++counters_.packets_sent;
  } else {
    ++counters_.device_write_errors;
  }
}

// --- Shutting down ----------------------------------------------------------------------

void Stack::close_all(Time now) {
  std::vector<SocketId> ids;
  for (const auto& [id, s] : sockets_) {
    if (s.owned) ids.push_back(id);
  }
  for (SocketId id : ids) {
    if (find(id) != nullptr) close(now, id);
  }
}

bool Stack::quiescent() const { return sockets_.empty(); }

void Stack::abort_all(Time now) {
  std::vector<SocketId> ids;
  for (const auto& [id, s] : sockets_) ids.push_back(id);
  for (SocketId id : ids) {
    Socket* s = find(id);
    if (s == nullptr) continue;
    if (s->conn) {
      s->conn->abort(now);
      transmit(now, *s->conn);
      retire(id);
    } else {
      s->owned = true;
      close(now, id);
    }
  }
}

std::string Stack::counters_text() const {
  core::ListenerCounters sum = closed_listeners_;
  StackCounters totals = counters_;  // retired connections are in already
  for (const auto& [id, s] : sockets_) {
    if (s.listen) net::add(sum, s.listen->listener.counters());
    if (s.conn) add_engine_counters(totals, *s.conn);
  }
  return to_text(totals, sum, connection_count(), time_wait_.size());
}

}  // namespace tcpmc::net
