// libFuzzer target: arbitrary bytes into the segment parser. Whatever parses
// must survive emit and parse unchanged; checksum verification may only turn
// a success into a checksum error, never change what is read.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <tcpmc/wire/wire.hpp>
#include <vector>

namespace {

using tcpmc::wire::ChecksumPolicy;
using tcpmc::wire::WireError;

[[noreturn]] void fail(std::string_view what) {
  std::fprintf(stderr, "fuzz_segment: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

bool is_checksum_error(WireError e) {
  return e == WireError::Ipv4BadChecksum || e == WireError::TcpBadChecksum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = std::as_bytes(std::span(data, size));
  // Without verification the fuzzer reaches the options without having to
  // forge checksums; the strict parse is then compared with it.
  const auto lenient = tcpmc::wire::parse(input, ChecksumPolicy::none());
  const auto strict = tcpmc::wire::parse(input);
  if (!lenient) {
    if (tcpmc::wire::is_emit_error(lenient.error())) fail("parse returned an emit-side error");
    if (strict) fail("verifying parse accepted what the lenient one refused");
    if (strict.error() != lenient.error() && !is_checksum_error(strict.error())) {
      fail("verifying parse reported a different non-checksum error");
    }
    return 0;
  }
  if (strict ? !(*strict == *lenient) : !is_checksum_error(strict.error())) {
    fail("verification changed more than the checksum verdict");
  }

  // Sized exactly, so that AddressSanitizer sees any write past wire_size().
  std::vector<std::byte> out(lenient->wire_size());
  const auto n = tcpmc::wire::emit(*lenient, out);
  if (!n) fail("emit refused a parsed representation");
  if (*n != out.size()) fail("emit wrote other than wire_size() bytes");
  const auto again = tcpmc::wire::parse(out);
  if (!again) fail("parse refused what emit wrote");
  if (!(*again == *lenient)) fail("parse(emit(parse(x))) != parse(x)");

  // Emit's layout is canonical: writing the re-parsed value gives the same bytes.
  std::vector<std::byte> out2(again->wire_size());
  if (!tcpmc::wire::emit(*again, out2) || out2 != out) fail("emit is not idempotent");
  return 0;
}
