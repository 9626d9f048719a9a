// Parse + validate (both checksums included) and emit of two real Linux
// segments: (a) a SYN with MSS, SACK-permitted, timestamps and window scale,
// (b) a 1460-byte data segment with timestamps. The same bytes go through
// libtins, parsed into its PDUs with the same fields and options read and
// both checksums computed with its own checksum routines, so that both sides
// do the same work. After the runs, a summary prints ns/segment and the
// libtins/tcpmc ratio per case.
#include <benchmark/benchmark.h>
#include <tins/ip.h>
#include <tins/rawpdu.h>
#include <tins/tcp.h>
#include <tins/utils/checksum_utils.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <tcpmc/wire/wire.hpp>
#include <utility>
#include <vector>

#include "data/linux_captures.hpp"

namespace {

namespace w = tcpmc::wire;

template <std::size_t N>
std::vector<std::byte> as_packet(const std::array<unsigned char, N>& bytes) {
  std::vector<std::byte> p(N);
  for (std::size_t i = 0; i < N; ++i) p[i] = static_cast<std::byte>(bytes[i]);
  return p;
}

const std::vector<std::byte>& syn() {
  static const auto p = as_packet(tcpmc::wire::test_data::linux_syn);
  return p;
}
const std::vector<std::byte>& data() {
  static const auto p = as_packet(tcpmc::wire::test_data::linux_data);
  return p;
}

void set_bytes(benchmark::State& state, const std::vector<std::byte>& packet) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(packet.size()));
}

void tcpmc_parse(benchmark::State& state, const std::vector<std::byte>& packet) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(packet.data());
    auto r = w::parse(packet);
    if (!r) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  set_bytes(state, packet);
}

void tcpmc_emit(benchmark::State& state, const std::vector<std::byte>& packet) {
  const auto repr = w::parse(packet);
  std::vector<std::byte> out(packet.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(repr);
    auto n = w::emit(*repr, out);
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  if (out != packet) state.SkipWithError("emit did not reproduce the capture");
  set_bytes(state, packet);
}

// What a libtins user writes to get the same facts: the PDUs, the fields,
// the options the engine needs, and both checksums verified.
struct TinsFacts {
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint16_t ports = 0;
  std::uint16_t window = 0;
  std::uint16_t mss = 0;
  std::uint8_t wscale = 0;
  bool sack_ok = false;
  std::pair<std::uint32_t, std::uint32_t> ts{};
  std::size_t sack_len = 0;
  std::size_t payload = 0;
  bool checksums_ok = false;
};

TinsFacts tins_parse_and_verify(const std::uint8_t* bytes, std::uint32_t size) {
  TinsFacts f;
  const Tins::IP ip(bytes, size);
  const auto& tcp = ip.rfind_pdu<Tins::TCP>();
  f.seq = tcp.seq();
  f.ack = tcp.ack_seq();
  f.ports = static_cast<std::uint16_t>(tcp.sport() ^ tcp.dport());
  f.window = tcp.window();
  // search_option, not mss()/timestamp(): those throw when the option is absent.
  if (const auto* o = tcp.search_option(Tins::TCP::MSS)) f.mss = o->to<std::uint16_t>();
  if (const auto* o = tcp.search_option(Tins::TCP::WSCALE)) f.wscale = o->to<std::uint8_t>();
  f.sack_ok = tcp.search_option(Tins::TCP::SACK_OK) != nullptr;
  if (const auto* o = tcp.search_option(Tins::TCP::TSOPT)) {
    f.ts = o->to<std::pair<std::uint32_t, std::uint32_t>>();
  }
  if (const auto* o = tcp.search_option(Tins::TCP::SACK)) f.sack_len = o->data_size();
  if (const auto* raw = tcp.find_pdu<Tins::RawPDU>()) f.payload = raw->payload_size();

  const std::uint32_t ip_header = ip.head_len() * 4U;
  // libtins sums in host byte order: sum_range() folds a range, and
  // pseudoheader_checksum() returns the pseudo-header sum in the same order.
  const std::uint32_t ip_sum = Tins::Utils::sum_range(bytes, bytes + ip_header);
  const std::uint32_t tcp_len = ip.tot_len() - ip_header;
  const std::uint32_t tcp_sum =
      Tins::Utils::pseudoheader_checksum(ip.src_addr(), ip.dst_addr(),
                                         static_cast<std::uint16_t>(tcp_len), 6) +
      Tins::Utils::sum_range(bytes + ip_header, bytes + ip_header + tcp_len);
  const auto folded = [](std::uint32_t s) {
    while ((s >> 16) != 0) s = (s & 0xFFFFU) + (s >> 16);
    return s;
  };
  f.checksums_ok = folded(ip_sum) == 0xFFFF && folded(tcp_sum) == 0xFFFF;
  return f;
}

void tins_parse(benchmark::State& state, const std::vector<std::byte>& packet) {
  const auto* bytes =
      reinterpret_cast<const std::uint8_t*>(packet.data());  // NOLINT: libtins takes uint8_t
  const auto size = static_cast<std::uint32_t>(packet.size());
  if (!tins_parse_and_verify(bytes, size).checksums_ok)
    state.SkipWithError("libtins: checksum mismatch");
  for (auto _ : state) {
    benchmark::DoNotOptimize(bytes);
    auto f = tins_parse_and_verify(bytes, size);
    benchmark::DoNotOptimize(f);
  }
  set_bytes(state, packet);
}

// libtins computes both checksums while serializing.
void tins_emit(benchmark::State& state, const std::vector<std::byte>& packet) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(packet.data());  // NOLINT
  Tins::IP ip(bytes, static_cast<std::uint32_t>(packet.size()));
  for (auto _ : state) {
    auto out = ip.serialize();
    benchmark::DoNotOptimize(out);
  }
  set_bytes(state, packet);
}

void BM_Parse_Syn_tcpmc(benchmark::State& s) { tcpmc_parse(s, syn()); }
void BM_Parse_Syn_libtins(benchmark::State& s) { tins_parse(s, syn()); }
void BM_Parse_Data1460_tcpmc(benchmark::State& s) { tcpmc_parse(s, data()); }
void BM_Parse_Data1460_libtins(benchmark::State& s) { tins_parse(s, data()); }
void BM_Emit_Syn_tcpmc(benchmark::State& s) { tcpmc_emit(s, syn()); }
void BM_Emit_Syn_libtins(benchmark::State& s) { tins_emit(s, syn()); }
void BM_Emit_Data1460_tcpmc(benchmark::State& s) { tcpmc_emit(s, data()); }
void BM_Emit_Data1460_libtins(benchmark::State& s) { tins_emit(s, data()); }
BENCHMARK(BM_Parse_Syn_tcpmc);
BENCHMARK(BM_Parse_Syn_libtins);
BENCHMARK(BM_Parse_Data1460_tcpmc);
BENCHMARK(BM_Parse_Data1460_libtins);
BENCHMARK(BM_Emit_Syn_tcpmc);
BENCHMARK(BM_Emit_Syn_libtins);
BENCHMARK(BM_Emit_Data1460_tcpmc);
BENCHMARK(BM_Emit_Data1460_libtins);

// The console output, plus the times kept for the summary. With
// --benchmark_repetitions the median is used.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      const bool aggregate = run.run_type == Run::RT_Aggregate;
      if (aggregate && run.aggregate_name != "median") continue;
      std::string name = run.run_name.function_name;
      auto& slot = ns_[name];
      if (aggregate || !slot.second) slot = {run.GetAdjustedCPUTime(), aggregate};
    }
  }

  void summary() const {
    std::printf("\nns/segment (CPU), tcpmc vs libtins on the same bytes:\n");
    for (const char* c : {"Parse_Syn", "Parse_Data1460", "Emit_Syn", "Emit_Data1460"}) {
      const auto ours = ns_.find(std::string("BM_") + c + "_tcpmc");
      const auto theirs = ns_.find(std::string("BM_") + c + "_libtins");
      if (ours == ns_.end() || theirs == ns_.end()) continue;
      std::printf("  %-16s tcpmc %9.1f ns   libtins %9.1f ns   libtins/tcpmc = %.2fx\n", c,
                  ours->second.first, theirs->second.first,
                  theirs->second.first / ours->second.first);
    }
  }

 private:
  std::map<std::string, std::pair<double, bool>> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.summary();
  benchmark::Shutdown();
  return 0;
}
