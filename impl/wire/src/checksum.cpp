#include <bit>
#include <cstring>
#include <tcpmc/wire/bytes.hpp>
#include <tcpmc/wire/checksum.hpp>
#include <tcpmc/wire/view.hpp>

namespace tcpmc::wire {
namespace {

// One's complement addition is commutative and associative, and byte order
// only swaps the two bytes of the result (RFC 1071 section 2(B)), so words
// are summed as the machine loads them and swapped once at the end. Whole
// 64-bit words are added and their carries counted; since 2^64 is 1 modulo
// 2^64 - 1, adding the carries back gives the one's complement sum, which
// folds to the 16-bit one because 2^16 - 1 divides 2^64 - 1. Two
// independent carry chains let the CPU overlap the additions.
constexpr std::uint64_t add_end_around(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t sum = a + b;
  return sum + (sum < b ? 1U : 0U);
}

std::uint64_t sum_native(const std::byte* p, std::size_t n) {
  std::uint64_t s0 = 0;
  std::uint64_t s1 = 0;
  std::uint64_t carries = 0;
  for (; n >= 16; n -= 16, p += 16) {
    std::uint64_t w[2];
    std::memcpy(w, p, sizeof w);
    s0 += w[0];
    carries += s0 < w[0] ? 1U : 0U;
    s1 += w[1];
    carries += s1 < w[1] ? 1U : 0U;
  }
  std::uint64_t sum = add_end_around(add_end_around(s0, s1), carries);
  if (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    sum = add_end_around(sum, w);
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    sum = add_end_around(sum, w);
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    std::uint16_t w;
    std::memcpy(&w, p, sizeof w);
    sum = add_end_around(sum, w);
    p += 2;
    n -= 2;
  }
  if (n == 1) {
    // The odd byte is the first byte of a zero-padded word: the low byte
    // of a native word on a little-endian machine, the high byte otherwise.
    const std::uint64_t b = static_cast<std::uint8_t>(*p);
    sum = add_end_around(sum, std::endian::native == std::endian::little ? b : b << 8);
  }
  return sum;
}

std::uint16_t fold(std::uint64_t sum) {
  sum = (sum & 0xFFFFFFFFU) + (sum >> 32);  // at most 33 bits
  sum = (sum & 0xFFFFFFFFU) + (sum >> 32);  // 32 bits
  sum = (sum & 0xFFFFU) + (sum >> 16);      // at most 17 bits
  sum = (sum & 0xFFFFU) + (sum >> 16);      // 16 bits
  return static_cast<std::uint16_t>(sum);
}

}  // namespace

std::uint16_t ones_complement_sum(std::span<const std::byte> data, std::uint16_t initial) {
  std::uint16_t native = fold(sum_native(data.data(), data.size()));
  if constexpr (std::endian::native == std::endian::little) {
    native = static_cast<std::uint16_t>((native >> 8) | (native << 8));
  }
  return add_sums(native, initial);
}

std::uint16_t ones_complement_sum_reference(std::span<const std::byte> data,
                                            std::uint16_t initial) {
  std::uint32_t sum = initial;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) {
    sum += load_be16(data.data() + i);
    sum = (sum & 0xFFFFU) + (sum >> 16);
  }
  if (i < data.size()) {
    sum += std::uint32_t{load_u8(data.data() + i)} << 8;
    sum = (sum & 0xFFFFU) + (sum >> 16);
  }
  return static_cast<std::uint16_t>(sum);
}

// A correct checksum field makes the whole range sum to 0xFFFF, negative
// zero; an all-zero range sums to +0 and so never verifies.
bool verify_ipv4_checksum(std::span<const std::byte> header) {
  return ones_complement_sum(header) == 0xFFFF;
}

void fill_ipv4_checksum(std::span<std::byte> header) {
  store_be16(header.data() + ipv4_layout::checksum, 0);
  store_be16(header.data() + ipv4_layout::checksum,
             static_cast<std::uint16_t>(~ones_complement_sum(header)));
}

bool verify_tcp_checksum(Ipv4Address source, Ipv4Address destination,
                         std::span<const std::byte> segment) {
  const auto pseudo =
      tcp_pseudo_header_sum(source, destination, static_cast<std::uint16_t>(segment.size()));
  return ones_complement_sum(segment, pseudo) == 0xFFFF;
}

void fill_tcp_checksum(Ipv4Address source, Ipv4Address destination, std::span<std::byte> segment) {
  const auto pseudo =
      tcp_pseudo_header_sum(source, destination, static_cast<std::uint16_t>(segment.size()));
  store_be16(segment.data() + tcp_layout::checksum, 0);
  store_be16(segment.data() + tcp_layout::checksum,
             static_cast<std::uint16_t>(~ones_complement_sum(segment, pseudo)));
}

}  // namespace tcpmc::wire
