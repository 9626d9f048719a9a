// libFuzzer target: arbitrary bytes become a sequence of peer segments,
// user calls and clock advances into one Connection (verify/connection_ops),
// with every invariant of verify/invariants.hpp checked after each step.
// The first byte picks the parameters: the stack's 32-bit connection, or
// the explorer's 4-bit one, whose sequence space wraps all the time.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <tcpmc/verify/connection_ops.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> ops(data + 1, size - 1);
  const auto violation =
      (data[0] & 1) != 0
          ? tcpmc::verify::run_connection_ops<tcpmc::core::Connection<tcpmc::core::SmallParams>>(ops)
          : tcpmc::verify::run_connection_ops<tcpmc::core::Connection<tcpmc::core::StackParams>>(ops);
  if (violation) {
    std::fprintf(stderr, "invariant %s broken: %s\n",
                 std::string(tcpmc::verify::name(violation->invariant)).c_str(),
                 violation->detail.c_str());
    std::abort();
  }
  return 0;
}
