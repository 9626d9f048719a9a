#include <algorithm>
#include <charconv>
#include <tcpmc/net/counters.hpp>
#include <tcpmc/net/impair.hpp>
#include <utility>

namespace tcpmc::net {

namespace {

constexpr DeviceTime kMillisecond = 1000;
// How long a reordered packet is held beyond its delay: long enough for the
// next packets (a few microseconds apart in a burst) to overtake it, short
// next to any retransmission timeout, so that it is reordered, not lost.
constexpr DeviceTime kReorderHold = 2 * kMillisecond;
// Packets pulled from the wrapped device per call, so that one flood
// cannot keep read() from returning.
constexpr int kPullBatch = 64;

std::uint64_t split_mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

bool parse_ms(std::string_view text, DeviceTime& out) {
  unsigned long ms = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || ms > 60'000) {
    return false;
  }
  out = ms * kMillisecond;
  return true;
}

}  // namespace

std::optional<Impairment> parse_delay(std::string_view text, Impairment base) {
  const auto colon = text.find(':');
  if (!parse_ms(text.substr(0, colon), base.delay)) return std::nullopt;
  base.jitter = 0;
  if (colon != std::string_view::npos && !parse_ms(text.substr(colon + 1), base.jitter)) {
    return std::nullopt;
  }
  return base;
}

ImpairLayer::ImpairLayer(Device& inner, const Impairment& impairment)
    : inner_(inner),
      impairment_(impairment),
      inbound_rng_(split_mix(impairment.seed)),
      outbound_rng_(split_mix(impairment.seed ^ 0x6F75746230756E64ULL)),
      scratch_(std::max<std::size_t>(inner.mtu(), 2048)) {}

void ImpairLayer::admit(std::span<const std::byte> packet, std::mt19937_64& rng,
                        ImpairCounters::Direction& counters, Queue& queue) {
  // Every packet takes the same four draws, whatever happens to it, so the
  // fate of the n-th packet does not depend on the fates before it.
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  const double lose = coin(rng);
  const double twice = coin(rng);
  const double late = coin(rng);
  const DeviceTime jitter = impairment_.jitter == 0 ? 0 : rng() % (impairment_.jitter + 1);
  ++counters.packets;
  if (lose < impairment_.loss) {
    ++counters.dropped;
    return;
  }
  DeviceTime due = now_ + impairment_.delay + jitter;
  if (late < impairment_.reorder) {
    due += kReorderHold + impairment_.jitter;
    ++counters.reordered;
  }
  const int copies = twice < impairment_.duplicate ? 2 : 1;
  if (copies == 2) ++counters.duplicated;
  for (int i = 0; i < copies; ++i) {
    queue.push(Held{due, order_++, std::vector<std::byte>(packet.begin(), packet.end())});
  }
}

void ImpairLayer::pull_inbound() {
  for (int i = 0; i < kPullBatch; ++i) {
    const IoResult r = inner_.read(scratch_);
    if (r.status != IoStatus::Ok) return;
    admit(std::span<const std::byte>(scratch_).first(r.size), inbound_rng_, counters_.inbound,
          inbound_);
  }
}

IoResult ImpairLayer::read(std::span<std::byte> buffer) {
  pull_inbound();
  if (inbound_.empty() || inbound_.top().due > now_) return {IoStatus::WouldBlock, 0, 0};
  // priority_queue gives only const access to its top; the copy is one
  // packet, on a path that is a test tool, not the fast path.
  const Held& h = inbound_.top();
  const std::size_t n = std::min(h.bytes.size(), buffer.size());
  std::copy_n(h.bytes.begin(), n, buffer.begin());
  inbound_.pop();
  ++counters_.inbound.delivered;
  return {IoStatus::Ok, n, 0};
}

IoResult ImpairLayer::write(std::span<const std::byte> packet) {
  admit(packet, outbound_rng_, counters_.outbound, outbound_);
  release_outbound();
  // Accepted, whatever its fate: a lossy wire does not tell the sender.
  return {IoStatus::Ok, packet.size(), 0};
}

void ImpairLayer::release_outbound() {
  while (!outbound_.empty() && outbound_.top().due <= now_) {
    const IoResult r = inner_.write(outbound_.top().bytes);
    if (r.status == IoStatus::WouldBlock) return;  // the device is full: try again later
    outbound_.pop();
    if (r.status == IoStatus::Ok) ++counters_.outbound.delivered;
  }
}

void ImpairLayer::on_time(DeviceTime now) {
  now_ = now;
  inner_.on_time(now);
  release_outbound();
}

std::optional<DeviceTime> ImpairLayer::next_deadline() const {
  std::optional<DeviceTime> next = inner_.next_deadline();
  for (const Queue* q : {&inbound_, &outbound_}) {
    if (!q->empty() && (!next || q->top().due < *next)) next = q->top().due;
  }
  return next;
}

std::string ImpairLayer::counters_text() const {
  std::string out;
  for (const auto& [dir, c] : {std::pair{"impair.in.", counters_.inbound},
                               std::pair{"impair.out.", counters_.outbound}}) {
    const std::string d = dir;
    append_counter(out, d + "packets", c.packets, "offered to the impairment layer");
    append_counter(out, d + "dropped", c.dropped, "lost on purpose (--loss)");
    append_counter(out, d + "duplicated", c.duplicated, "extra copies made (--dup)");
    append_counter(out, d + "reordered", c.reordered, "held back past later packets (--reorder)");
    append_counter(out, d + "delivered", c.delivered, "copies passed on, duplicates included");
  }
  return out;
}

}  // namespace tcpmc::net
