// libFuzzer target: the optimized one's complement sum equals the RFC 1071
// word-at-a-time reference on arbitrary bytes, at every alignment, and sums
// of two halves add up to the sum of the whole.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <tcpmc/wire/checksum.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace w = tcpmc::wire;
  const auto bytes = std::as_bytes(std::span(data, size));
  const auto initial = static_cast<std::uint16_t>(size >= 2 ? (data[0] << 8) | data[1] : 0);
  // Dropping leading bytes moves the data against 8-byte boundaries too.
  for (std::size_t skip = 0; skip < 8 && skip <= size; ++skip) {
    const auto part = bytes.subspan(skip);
    if (w::ones_complement_sum(part, initial) != w::ones_complement_sum_reference(part, initial)) {
      std::fprintf(stderr, "fuzz_checksum: optimized != reference (skip %zu, size %zu)\n", skip,
                   size);
      std::abort();
    }
  }
  // RFC 1071 2(C): sums of even-length pieces can be added in any order.
  if (size >= 1) {
    const std::size_t split = (data[0] % (size + 1)) & ~std::size_t{1};
    const auto whole = w::ones_complement_sum_reference(bytes);
    const auto parts = w::add_sums(w::ones_complement_sum(bytes.first(split)),
                                   w::ones_complement_sum(bytes.subspan(split)));
    if (whole != parts) {
      std::fprintf(stderr, "fuzz_checksum: split sum differs (split %zu, size %zu)\n", split, size);
      std::abort();
    }
  }
  return 0;
}
