// libFuzzer target: arbitrary bytes as a TCP options area. Options that
// parse must re-encode (always, when they came from at most 40 bytes) into
// an area that parses to the same values.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <tcpmc/wire/wire.hpp>
#include <vector>

namespace {

[[noreturn]] void fail(std::string_view what) {
  std::fprintf(stderr, "fuzz_options: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace w = tcpmc::wire;
  const auto options = w::parse_options(std::as_bytes(std::span(data, size)));
  if (!options) {
    if (w::is_emit_error(options.error())) fail("parse_options returned an emit-side error");
    return 0;
  }
  if (options->mss == std::uint16_t{0}) fail("an MSS of 0 was kept");
  if (options->window_scale && options->window_scale->shift() > w::WindowScale::max_shift) {
    fail("window scale shift above 14");
  }
  std::vector<std::byte> out(options->wire_size());
  const auto n = w::emit_options(*options, out);
  if (!n) {
    // Only a longer-than-a-header input can hold more than fits in one.
    if (size <= w::tcp_layout::max_options_len || n.error() != w::WireError::EmitOptionsTooLong) {
      fail("emit_options refused options parsed from a header-sized area");
    }
    return 0;
  }
  if (*n != out.size() || *n % 4 != 0 || *n > w::tcp_layout::max_options_len) {
    fail("emit_options wrote a bad length");
  }
  const auto again = w::parse_options(out);
  if (!again) fail("parse_options refused what emit_options wrote");
  if (!(*again == *options)) fail("re-encoded options read back differently");
  return 0;
}
