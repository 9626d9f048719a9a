#include <tcpmc/wire/bytes.hpp>
#include <tcpmc/wire/options.hpp>
#include <tcpmc/wire/view.hpp>

#include "read.hpp"

namespace tcpmc::wire {
namespace {

// Lengths of the options, kind and length bytes included.
constexpr std::size_t mss_len = 4;
constexpr std::size_t window_scale_len = 3;
constexpr std::size_t sack_permitted_len = 2;
constexpr std::size_t timestamps_len = 10;
constexpr std::size_t sack_base_len = 2;
constexpr std::size_t sack_block_len = 8;

constexpr std::byte byte_of(OptionKind kind) { return static_cast<std::byte>(kind); }
constexpr std::byte byte_of(std::size_t len) { return static_cast<std::byte>(len); }

std::size_t linux_size(const TcpOptions& o) {
  std::size_t n = 0;
  if (o.mss) n += 4;
  if (o.timestamps) n += 12;
  if (o.sack_permitted && !o.timestamps) n += 4;
  if (o.window_scale) n += 4;
  if (!o.sack.empty()) n += 4 + sack_block_len * o.sack.size();
  return n;
}

std::size_t packed_size(const TcpOptions& o) {
  std::size_t n = 0;
  if (o.mss) n += mss_len;
  if (o.timestamps) n += timestamps_len;
  if (o.sack_permitted) n += sack_permitted_len;
  if (o.window_scale) n += window_scale_len;
  if (!o.sack.empty()) n += sack_base_len + sack_block_len * o.sack.size();
  return (n + 3) & ~std::size_t{3};
}

// Writers return the position after what they wrote; the caller has
// checked that the whole layout fits.
std::byte* put_nops(std::byte* p, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) *p++ = byte_of(OptionKind::Nop);
  return p;
}

std::byte* put_mss(std::byte* p, std::uint16_t mss) {
  p[0] = byte_of(OptionKind::Mss);
  p[1] = byte_of(mss_len);
  store_be16(p + 2, mss);
  return p + mss_len;
}

std::byte* put_sack_permitted(std::byte* p) {
  p[0] = byte_of(OptionKind::SackPermitted);
  p[1] = byte_of(sack_permitted_len);
  return p + sack_permitted_len;
}

std::byte* put_timestamps(std::byte* p, Timestamps ts) {
  p[0] = byte_of(OptionKind::Timestamps);
  p[1] = byte_of(timestamps_len);
  store_be32(p + 2, ts.tsval);
  store_be32(p + 6, ts.tsecr);
  return p + timestamps_len;
}

std::byte* put_window_scale(std::byte* p, WindowScale ws) {
  p[0] = byte_of(OptionKind::WindowScale);
  p[1] = byte_of(window_scale_len);
  store_u8(p + 2, ws.raw());
  return p + window_scale_len;
}

std::byte* put_sack(std::byte* p, const SackBlocks& sack) {
  p[0] = byte_of(OptionKind::Sack);
  p[1] = byte_of(sack_base_len + sack_block_len * sack.size());
  p += sack_base_len;
  for (const SackBlock& b : sack) {
    store_be32(p, b.left);
    store_be32(p + 4, b.right);
    p += sack_block_len;
  }
  return p;
}

// Linux's order and alignment (tcp_options_write): every option starts its
// own 32-bit word, NOPs in front of the short ones.
void write_linux(const TcpOptions& o, std::byte* p) {
  if (o.mss) p = put_mss(p, *o.mss);
  if (o.timestamps) {
    p = o.sack_permitted ? put_sack_permitted(p) : put_nops(p, 2);
    p = put_timestamps(p, *o.timestamps);
  }
  if (o.sack_permitted && !o.timestamps) p = put_sack_permitted(put_nops(p, 2));
  if (o.window_scale) p = put_window_scale(put_nops(p, 1), *o.window_scale);
  if (!o.sack.empty()) put_sack(put_nops(p, 2), o.sack);
}

void write_packed(const TcpOptions& o, std::byte* p, std::byte* end) {
  if (o.mss) p = put_mss(p, *o.mss);
  if (o.sack_permitted) p = put_sack_permitted(p);
  if (o.timestamps) p = put_timestamps(p, *o.timestamps);
  if (o.window_scale) p = put_window_scale(p, *o.window_scale);
  if (!o.sack.empty()) p = put_sack(p, o.sack);
  while (p != end) *p++ = byte_of(OptionKind::EndOfList);
}

// Checks a known option's length against its definition and stores its
// value; `len` is at least 2 and within the area by the time this runs.
// Unknown kinds are left for the caller to skip by their length (RFC 9293
// section 3.1).
std::optional<WireError> read_option(OptionKind kind, const std::byte* p, std::size_t len,
                                     TcpOptions& out) {
  switch (kind) {
    case OptionKind::Mss:
      if (len != mss_len) return WireError::OptionMssBadLength;
      if (const auto mss = load_be16(p + 2); mss != 0) {
        out.mss = mss;
      } else {
        out.mss.reset();
      }
      break;
    case OptionKind::WindowScale:
      if (len != window_scale_len) return WireError::OptionWindowScaleBadLength;
      out.window_scale = WindowScale(load_u8(p + 2));
      break;
    case OptionKind::SackPermitted:
      if (len != sack_permitted_len) return WireError::OptionSackPermittedBadLength;
      out.sack_permitted = true;
      break;
    case OptionKind::Sack: {
      const std::size_t blocks = (len - sack_base_len) / sack_block_len;
      if (len <= sack_base_len || (len - sack_base_len) % sack_block_len != 0 ||
          blocks > SackBlocks::capacity) {
        return WireError::OptionSackBadLength;
      }
      out.sack.clear();
      for (std::size_t i = 0; i < blocks; ++i) {
        const std::byte* b = p + sack_base_len + i * sack_block_len;
        out.sack.push_back({load_be32(b), load_be32(b + 4)});
      }
      break;
    }
    case OptionKind::Timestamps:
      if (len != timestamps_len) return WireError::OptionTimestampsBadLength;
      out.timestamps = Timestamps{load_be32(p + 2), load_be32(p + 6)};
      break;
    default:
      // Unknown kinds (EOL and NOP never get here: they have no length).
      break;
  }
  return std::nullopt;
}

}  // namespace

std::size_t TcpOptions::wire_size() const {
  const std::size_t linux = linux_size(*this);
  return linux <= tcp_layout::max_options_len ? linux : packed_size(*this);
}

namespace detail {

std::optional<WireError> read_options(std::span<const std::byte> area, TcpOptions& out) {
  const std::byte* const data = area.data();
  const std::size_t n = area.size();
  // Nearly every data segment from Linux or BSD carries exactly NOP NOP TS;
  // reading it directly skips the general loop on the hot path.
  if (n == 12 && load_be32(data) == 0x0101080AU) {
    out.timestamps = Timestamps{load_be32(data + 4), load_be32(data + 8)};
    return std::nullopt;
  }
  std::size_t i = 0;
  while (i < n) {
    const auto kind = static_cast<OptionKind>(load_u8(data + i));
    if (kind == OptionKind::EndOfList) break;
    if (kind == OptionKind::Nop) {
      ++i;
      continue;
    }
    // Every other kind has a length byte that counts itself and the kind. A
    // length of 0 or 1 would never advance past the option (RFC 9293 section
    // 3.1 asks receivers to expect exactly such illegal lengths); one that
    // runs past the area would read beyond it.
    if (n - i < 2) return WireError::OptionPastHeader;
    const std::size_t len = load_u8(data + i + 1);
    if (len < 2) return WireError::OptionLengthBelowTwo;
    if (len > n - i) return WireError::OptionPastHeader;
    if (const auto error = read_option(kind, data + i, len, out)) return error;
    i += len;
  }
  return std::nullopt;
}

}  // namespace detail

Expected<TcpOptions, WireError> parse_options(std::span<const std::byte> area) {
  Expected<TcpOptions, WireError> result = TcpOptions{};
  if (const auto error = detail::read_options(area, *result)) result = unexpected(*error);
  return result;
}

Expected<std::size_t, WireError> emit_options(const TcpOptions& options, std::span<std::byte> out) {
  if (options.mss == std::uint16_t{0}) return unexpected(WireError::EmitMssZero);
  const std::size_t linux = linux_size(options);
  if (linux <= tcp_layout::max_options_len) {
    if (out.size() < linux) return unexpected(WireError::EmitBufferTooSmall);
    write_linux(options, out.data());
    return linux;
  }
  const std::size_t packed = packed_size(options);
  if (packed > tcp_layout::max_options_len) return unexpected(WireError::EmitOptionsTooLong);
  if (out.size() < packed) return unexpected(WireError::EmitBufferTooSmall);
  write_packed(options, out.data(), out.data() + packed);
  return packed;
}

}  // namespace tcpmc::wire
