// Engine throughput with no I/O: two Connections hand segments to each
// other directly, on virtual time. Run by `scripts/bench core`.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <tcpmc/core/connection.hpp>
#include <tcpmc/core/listener.hpp>
#include <vector>

namespace {

using tcpmc::core::Config;
using tcpmc::core::Connection;
using tcpmc::core::Endpoint;
using tcpmc::core::SmallParams;
using tcpmc::core::StackParams;
using tcpmc::model::State;
using C = Connection<StackParams>;

constexpr Endpoint kA{0xC6120001, 40000};
constexpr Endpoint kB{0xC6120002, 80};

// Moves every pending segment from one side to the other until both are
// quiet; returns how many segments moved.
std::size_t exchange(C& a, C& b, C::Time now, std::span<std::byte> buf) {
  std::size_t moved = 0;
  for (bool any = true; any;) {
    any = false;
    while (auto s = a.poll_transmit(now, buf)) {
      b.on_segment(now, *s);
      ++moved;
      any = true;
    }
    while (auto s = b.poll_transmit(now, buf)) {
      a.on_segment(now, *s);
      ++moved;
      any = true;
    }
  }
  return moved;
}

void open(C& a, C& b, C::Time now, std::span<std::byte> buf) {
  b.open_passive(now, kB);
  a.open_active(now, {kA, kB});
  exchange(a, b, now, buf);
}

// Bulk transfer A -> B, MSS 1460, 256 KiB buffers; the receiver reads
// everything as it arrives. Delayed ACKs are off here so that no timer is
// needed: every second segment is acknowledged at once anyway. The stack
// defaults negotiate window scaling, timestamps and SACK-permitted; the
// argument switches congestion control on (1) or leaves it off (0).
void BM_BulkTransfer(benchmark::State& state) {
  auto config = Config<StackParams>::stack_defaults();
  config.features.congestion_control = state.range(0) != 0;
  C a(config), b(config);
  std::vector<std::byte> buf(65536), sink(256 * 1024);
  const std::vector<std::byte> chunk(64 * 1024, std::byte{0x5a});
  open(a, b, 0, buf);
  C::Time now = 1;
  std::size_t delivered = 0;
  for (auto _ : state) {
    a.send(now, chunk);
    // Segments from A go to B as they come; B's ACKs go back in turn.
    for (bool any = true; any;) {
      any = false;
      while (auto s = a.poll_transmit(now, buf)) {
        b.on_segment(now, *s);
        any = true;
      }
      for (;;) {
        const auto r = b.receive(now, sink);
        if (r.bytes == 0) break;
        delivered += r.bytes;
      }
      while (auto s = b.poll_transmit(now, buf)) {
        a.on_segment(now, *s);
        any = true;
      }
    }
    ++now;
  }
  if (delivered == 0 || a.state() != State::Established) state.SkipWithError("no transfer");
  if (!a.window_scaling() || !a.timestamps() || !a.sack_permitted()) {
    state.SkipWithError("options not negotiated");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(delivered));
  state.counters["Gbit/s"] = benchmark::Counter(static_cast<double>(delivered) * 8 / 1e9,
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BulkTransfer)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// The same bulk transfer with congestion control on, but every 32nd
// segment from A arrives after the one sent behind it: B holds
// out-of-order data at each such swap, so its ACKs carry SACK blocks (RFC
// 2018) and A's scoreboard takes them in. Nothing is lost, so what this
// measures is the cost of the SACK machinery on the fast path.
void BM_BulkTransferReordered(benchmark::State& state) {
  auto config = Config<StackParams>::stack_defaults();
  config.features.congestion_control = true;
  C a(config), b(config);
  std::vector<std::byte> buf(65536), held_bytes(65536), sink(256 * 1024);
  const std::vector<std::byte> chunk(64 * 1024, std::byte{0x5a});
  open(a, b, 0, buf);
  C::Time now = 1;
  std::size_t delivered = 0, count = 0, sacked_acks = 0;
  std::optional<C::Seg> held;
  for (auto _ : state) {
    a.send(now, chunk);
    for (bool any = true; any;) {
      any = false;
      while (auto s = a.poll_transmit(now, buf)) {
        any = true;
        if (!held && !s->payload.empty() && ++count % 32 == 0) {
          std::copy(s->payload.begin(), s->payload.end(), held_bytes.begin());
          held = *s;
          held->payload = std::span(held_bytes).first(s->payload.size());
          continue;
        }
        b.on_segment(now, *s);
        if (held) {
          // B acknowledges the out-of-order segment at once, with a SACK
          // block; then the held one fills the hole.
          while (auto ack = b.poll_transmit(now, buf)) {
            if (!ack->sack.empty()) ++sacked_acks;
            a.on_segment(now, *ack);
          }
          b.on_segment(now, *held);
          held.reset();
        }
      }
      if (held) {  // nothing followed it: deliver it now
        b.on_segment(now, *held);
        held.reset();
      }
      for (;;) {
        const auto r = b.receive(now, sink);
        if (r.bytes == 0) break;
        delivered += r.bytes;
      }
      while (auto s = b.poll_transmit(now, buf)) {
        if (!s->sack.empty()) ++sacked_acks;
        a.on_segment(now, *s);
        any = true;
      }
    }
    ++now;
  }
  if (delivered == 0 || a.state() != State::Established) state.SkipWithError("no transfer");
  if (sacked_acks == 0) state.SkipWithError("no ACK carried SACK blocks");
  state.SetBytesProcessed(static_cast<std::int64_t>(delivered));
  state.counters["Gbit/s"] = benchmark::Counter(static_cast<double>(delivered) * 8 / 1e9,
                                                benchmark::Counter::kIsRate);
  state.counters["sack_acks"] = static_cast<double>(sacked_acks);
}
BENCHMARK(BM_BulkTransferReordered)->Unit(benchmark::kMicrosecond);

// Handshake, 1 KiB request, 1 KiB reply, four-way close, TIME-WAIT ended
// by its timer: one whole connection lifetime per iteration.
void BM_RequestReplyLifecycle(benchmark::State& state) {
  auto config = Config<StackParams>::stack_defaults();
  config.delayed_ack = 0;
  std::vector<std::byte> buf(65536), sink(4096);
  const std::vector<std::byte> request(1024, std::byte{1}), reply(1024, std::byte{2});
  C::Time now = 0;
  std::size_t completed = 0;
  for (auto _ : state) {
    C a(config), b(config);
    open(a, b, now, buf);
    a.send(now, request);
    exchange(a, b, now, buf);
    b.receive(now, sink);
    b.send(now, reply);
    exchange(a, b, now, buf);
    a.receive(now, sink);
    a.close(now);
    exchange(a, b, now, buf);
    b.close(now);
    exchange(a, b, now, buf);
    now += 2 * config.msl;
    a.on_timer(now);
    if (a.state() == State::Closed && b.state() == State::Closed) ++completed;
    now += 1000;
  }
  if (completed != static_cast<std::size_t>(state.iterations())) state.SkipWithError("a lifecycle did not complete");
  state.counters["connections/s"] =
      benchmark::Counter(static_cast<double>(completed), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RequestReplyLifecycle);

// A SYN flood on a listener whose SYN queue is full: every SYN is answered
// with a cookie, nothing is kept.
void BM_ListenerCookieSyns(benchmark::State& state) {
  auto config = Config<StackParams>::stack_defaults();
  tcpmc::core::Listener<StackParams> l(kB, {1, 1}, config);
  std::array<std::byte, 64> buf{};
  C::Seg syn{};
  syn.destination = kB;
  syn.flags.syn = true;
  syn.window = 65535;
  syn.mss = 1460;
  syn.source = {0xC6130000, 9};  // outside the range the loop uses
  l.on_segment(0, syn);          // fills the SYN queue
  std::uint32_t i = 0;
  for (auto _ : state) {
    ++i;
    syn.source = {0xC6120100U + (i >> 16), static_cast<std::uint16_t>(i)};
    syn.seq = C::Seq(i * 7919U);
    l.on_segment(1, syn);
    auto reply = l.poll_transmit(1, buf);
    benchmark::DoNotOptimize(reply);
  }
  if (l.counters().cookies_sent != static_cast<std::uint64_t>(state.iterations())) {
    state.SkipWithError("not every SYN got a cookie");
  }
  state.counters["SYNs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ListenerCookieSyns);

// The request/reply lifecycle with the server side through a Listener.
void BM_ListenerLifecycle(benchmark::State& state) {
  auto config = Config<StackParams>::stack_defaults();
  config.delayed_ack = 0;
  std::vector<std::byte> buf(65536), sink(4096);
  const std::vector<std::byte> request(1024, std::byte{1}), reply(1024, std::byte{2});
  tcpmc::core::Listener<StackParams> l(kB, {128, 128}, config);
  C::Time now = 0;
  std::size_t completed = 0;
  std::uint16_t port = 1024;
  for (auto _ : state) {
    C a(config);
    a.open_active(now, {{kA.address, port++}, kB});
    if (port == 0) port = 1024;
    for (int round = 0; round < 3; ++round) {
      while (auto s = a.poll_transmit(now, buf)) l.on_segment(now, *s);
      while (auto s = l.poll_transmit(now, buf)) a.on_segment(now, *s);
    }
    auto b = l.accept();
    if (!b) continue;
    a.send(now, request);
    exchange(a, *b, now, buf);
    b->receive(now, sink);
    b->send(now, reply);
    exchange(a, *b, now, buf);
    a.receive(now, sink);
    a.close(now);
    exchange(a, *b, now, buf);
    b->close(now);
    exchange(a, *b, now, buf);
    now += 2 * config.msl;
    a.on_timer(now);
    if (a.state() == State::Closed && b->state() == State::Closed) ++completed;
    now += 1000;
  }
  if (completed != static_cast<std::size_t>(state.iterations())) {
    state.SkipWithError("a lifecycle did not complete");
  }
  state.counters["connections/s"] =
      benchmark::Counter(static_cast<double>(completed), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ListenerLifecycle);

void BM_Sizes(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sizeof(C));
  state.counters["sizeof(Connection<StackParams>)"] = static_cast<double>(sizeof(C));
  state.counters["sizeof(HalfOpenEntry<StackParams>)"] =
      static_cast<double>(sizeof(tcpmc::core::HalfOpenEntry<StackParams>));
  state.counters["sizeof(TimeWaitEntry<StackParams>)"] =
      static_cast<double>(sizeof(tcpmc::core::TimeWaitEntry<StackParams>));
  state.counters["sizeof(Connection<SmallParams>)"] =
      static_cast<double>(sizeof(Connection<SmallParams>));
}
BENCHMARK(BM_Sizes)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
