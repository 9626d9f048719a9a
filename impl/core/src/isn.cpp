#include <tcpmc/core/isn.hpp>

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace tcpmc::core {
namespace {

void put_be32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

void put_be16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::uint32_t isn_offset(const FourTuple& tuple, const IsnSecret& secret) {
  static_assert(crypto_shorthash_KEYBYTES == sizeof(IsnSecret));
  // The tuple in network order, local side first, as RFC 6528 lists it.
  std::array<std::uint8_t, 12> message{};
  put_be32(&message[0], tuple.local.address);
  put_be16(&message[4], tuple.local.port);
  put_be32(&message[6], tuple.remote.address);
  put_be16(&message[10], tuple.remote.port);
  std::array<std::uint8_t, crypto_shorthash_BYTES> hash{};
  crypto_shorthash(hash.data(), message.data(), message.size(), secret.data());
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < hash.size(); ++i) h |= std::uint64_t{hash[i]} << (8 * i);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace tcpmc::core
