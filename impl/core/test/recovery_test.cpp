// Loss recovery end to end, on in-memory pairs with seeded loss and
// reordering (pair.hpp): SACK recovery (RFC 6675) against NewReno (RFC
// 6582), and the golden loss x receive-buffer table.
//
// The golden table lives in data/loss_buffer_table.txt. To regenerate it
// after an intended change in recovery, run
//
//   TCPMC_UPDATE_GOLDEN=1 build/<dir>/impl/core/test/core_recovery_tests
//       --gtest_filter='RecoveryTable.*'        (one command line)
//
// and review the diff like any other change.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>
#include <string>
#include <tcpmc/core/connection.hpp>

#include "bulk.hpp"
#include "pair.hpp"

#ifndef TCPMC_CORE_TEST_DATA_DIR
#error "the build defines TCPMC_CORE_TEST_DATA_DIR (impl/core/test/CMakeLists.txt)"
#endif

namespace tcpmc::core {
namespace {

using C = Connection<StackParams>;
using Seg = C::Seg;

Config<StackParams> recovery_config(bool sack) {
  auto c = Config<StackParams>::stack_defaults();
  c.features.congestion_control = true;
  c.features.sack = sack;
  return c;
}

// RFC 6675 section 1: with the scoreboard a sender resends what was lost
// and little else, where NewReno learns of one hole per round trip and
// falls back on timeouts (and go-back-N) more often. Over the same seeds,
// at 1%, 5% and 10% loss with reordering, SACK resends fewer octets. (It
// resends some reordered segments that NewReno, a round trip slower,
// finds acknowledged; at much more reordering than 1% of segments held
// 1.5 round trips, the two come close at 1% loss.)
TEST(Recovery, Pair_SackRetransmitsFewerOctetsThanNewReno) {
  constexpr std::size_t kBytes = 256 * 1024;
  constexpr std::uint64_t kSeeds = 10;
  for (const double loss : {0.01, 0.05, 0.10}) {
    const test::Impairment imp{.loss = loss, .reorder = 0.01, .delay = 5000};
    std::uint64_t rtx[2] = {0, 0};
    for (const bool sack : {false, true}) {
      test::BulkResult total;
      for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
        const auto r = test::bulk_transfer<C>(recovery_config(sack), imp, seed, kBytes);
        ASSERT_TRUE(r.delivered) << "loss " << loss << " sack " << sack << " seed " << seed;
        total.retransmitted_octets += r.retransmitted_octets;
        total.elapsed += r.elapsed;
        total.retransmission_timeouts += r.retransmission_timeouts;
        total.fast_recoveries += r.fast_recoveries + r.sack_recoveries;
        total.lost += r.lost;
        EXPECT_EQ(sack ? r.fast_recoveries : r.sack_recoveries, 0U);
      }
      rtx[sack ? 1 : 0] = total.retransmitted_octets;
      // The measured sums go to the test's XML report (--gtest_output=xml),
      // as "<loss%>_<recovery>_<measure>".
      const std::string key =
          std::to_string(std::lround(loss * 100)) + "pct_" + (sack ? "sack_" : "newreno_");
      RecordProperty(key + "retransmitted_octets", std::to_string(total.retransmitted_octets));
      RecordProperty(key + "mean_elapsed_us", std::to_string(total.elapsed / kSeeds));
      RecordProperty(key + "rtos", std::to_string(total.retransmission_timeouts));
      RecordProperty(key + "recoveries", std::to_string(total.fast_recoveries));
      RecordProperty(key + "lost", std::to_string(total.lost));
    }
    EXPECT_LT(rtx[1], rtx[0]) << "loss " << loss;
  }
}

// Three segments lost from one window: NewReno (RFC 6582 3.2 step 5) and
// SACK recovery (RFC 6675 section 5) both repair them without waiting for
// a retransmission timeout; SACK in one round trip, NewReno in three.
void three_losses_in_one_window(bool sack) {
  auto config = recovery_config(sack);
  // Nagle would hold the short last segment for a delayed ACK (200 ms),
  // which the time bound below would mistake for a timeout.
  config.features.nagle = false;
  test::Pair<C> p(config, {.delay = 1000}, 5);
  std::set<std::uint32_t> lost;
  p.drop = [&](bool from_a, const Seg& s) {
    if (!from_a || s.payload.empty()) return false;
    const std::uint32_t offset = model::distance(p.a.iss() + 1U, s.seq);
    const std::uint32_t smss = p.a.send_mss_now();
    for (std::uint32_t k : {40U, 43U, 47U}) {
      if (offset == k * smss && lost.insert(k).second) return true;
    }
    return false;
  };
  // bulk_transfer builds its own Pair; the drops need this one, so the
  // transfer is driven here.
  const std::vector<std::byte> out = test::pattern(400000, 9);
  std::vector<std::byte> got;
  std::size_t sent = 0;
  p.b.open_passive(p.now, {0xC6120002, 80});
  p.a.open_active(p.now, {{0xC6120001, 40000}, {0xC6120002, 80}});
  const bool done = p.run_until([&] {
    std::array<std::byte, 8192> buf{};
    for (;;) {
      const auto r = p.b.receive(p.now, buf);
      if (r.bytes == 0) break;
      got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(r.bytes));
    }
    if (p.a.state() == model::State::Established && sent < out.size()) {
      sent += p.a.send(p.now, std::span(out).subspan(sent)).accepted;
    }
    return got.size() == out.size();
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(got, out);
  EXPECT_EQ(lost.size(), 3U);
  const auto& k = p.a.counters();
  EXPECT_EQ(k.retransmission_timeouts, 0U);
  EXPECT_EQ(k.fast_recoveries, sack ? 0U : 1U);
  EXPECT_EQ(k.sack_recoveries, sack ? 1U : 0U);
  EXPECT_EQ(k.retransmitted_octets, 3U * p.a.send_mss_now());
  EXPECT_LT(p.now, config.rto.minimum);
  ::testing::Test::RecordProperty("done_at_us", std::to_string(p.now));
}

// RFC 6582 3.2: partial ACKs repair each further hole.
TEST(Recovery, NewReno_ThreeLossesInOneWindow_NoTimeout) { three_losses_in_one_window(false); }

// RFC 6675 section 5: the scoreboard shows all three holes at once.
TEST(Recovery, Sack_ThreeLossesInOneWindow_NoTimeout) { three_losses_in_one_window(true); }

// --- The golden loss x receive-buffer table ----------------------------------

template <std::size_t Bytes>
struct BufferParams : StackParams {
  using ReceiveStorage = HeapStorage<Bytes>;
};

// One cell: 512 KiB over a 10 ms round trip, WS, TS, SACK and congestion
// control on, three seeds; goodput in kbit/s of virtual time (integers,
// so that the text is the same on every machine).
template <std::size_t Bytes>
std::string cell(double loss) {
  using BC = Connection<BufferParams<Bytes>>;
  auto config = Config<BufferParams<Bytes>>::stack_defaults();
  config.features.congestion_control = true;
  constexpr std::size_t kBytes = 512 * 1024;
  constexpr std::uint64_t kSeeds = 3;
  std::uint64_t elapsed = 0, rtx = 0;
  unsigned rtos = 0;
  bool all = true;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto r = test::bulk_transfer<BC>(config, {.loss = loss, .reorder = 0.01, .delay = 5000},
                                           seed, kBytes);
    all = all && r.delivered;
    elapsed += r.elapsed;
    rtx += r.retransmitted_octets;
    rtos += r.retransmission_timeouts;
  }
  const std::uint64_t goodput_kbps = elapsed == 0 ? 0 : kSeeds * kBytes * 8 * 1000 / elapsed;
  std::ostringstream line;
  line << std::setw(5) << std::lround(loss * 100) << "% " << std::setw(8) << Bytes / 1024
       << " KiB " << std::setw(12) << goodput_kbps << ' ' << std::setw(14) << rtx << ' '
       << std::setw(6) << rtos << ' ' << (all ? "ok" : "INCOMPLETE") << '\n';
  return line.str();
}

std::string loss_buffer_table() {
  std::ostringstream t;
  t << "# tcpmc core: seeded loss x receive buffer, virtual time (recovery_test.cpp).\n"
       "# 512 KiB one way, 3 seeds per cell, one-way delay 5 ms, 1% of segments 15 ms late,\n"
       "# WS+TS+SACK+CC. goodput: kbit/s of virtual time; rtx: octets resent (sum).\n"
       "#  loss   rcvbuf     goodput_kbps    rtx_octets   RTOs\n";
  for (const double loss : {0.0, 0.01, 0.05, 0.10}) {
    t << cell<16 * 1024>(loss) << cell<64 * 1024>(loss) << cell<256 * 1024>(loss);
  }
  return t.str();
}

TEST(RecoveryTable, LossByReceiveBuffer_MatchesGoldenFile) {
  const std::string path = std::string(TCPMC_CORE_TEST_DATA_DIR) + "/loss_buffer_table.txt";
  const std::string table = loss_buffer_table();
  // Regenerating writes the file, then compares it like any run: the
  // comparison below checks what was written.
  if (const char* update = std::getenv("TCPMC_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream out(path);
    out << table;
    ASSERT_TRUE(out.flush()) << "cannot write " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path << "; regenerate with TCPMC_UPDATE_GOLDEN=1";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(table, golden.str())
      << "recovery changed; if intended, regenerate with TCPMC_UPDATE_GOLDEN=1 (see the top of "
         "recovery_test.cpp)";
}

}  // namespace
}  // namespace tcpmc::core
