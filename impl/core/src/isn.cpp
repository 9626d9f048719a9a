#include <tcpmc/core/isn.hpp>
#include <tcpmc/core/options.hpp>

#include <sodium.h>

#include <algorithm>
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

// SipHash-2-4 of the tuple in network order, local side first, as RFC
// 6528 lists it, then `domain` octets that tell the uses of one key apart.
template <std::size_t Domain>
std::uint32_t tuple_hash(const FourTuple& tuple, const IsnSecret& secret,
                         const std::array<std::uint8_t, Domain>& domain) {
  static_assert(crypto_shorthash_KEYBYTES == sizeof(IsnSecret));
  std::array<std::uint8_t, 12 + Domain> message{};
  put_be32(&message[0], tuple.local.address);
  put_be16(&message[4], tuple.local.port);
  put_be32(&message[6], tuple.remote.address);
  put_be16(&message[10], tuple.remote.port);
  std::copy(domain.begin(), domain.end(), message.begin() + 12);
  std::array<std::uint8_t, crypto_shorthash_BYTES> hash{};
  crypto_shorthash(hash.data(), message.data(), message.size(), secret.data());
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < hash.size(); ++i) h |= std::uint64_t{hash[i]} << (8 * i);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

std::uint32_t isn_offset(const FourTuple& tuple, const IsnSecret& secret) {
  return tuple_hash<0>(tuple, secret, {});
}

// The extra octets make the TSval offset unrelated to the ISN offset, so
// that timestamps seen on the wire tell nothing about our ISNs.
std::uint32_t ts_offset(const FourTuple& tuple, const IsnSecret& secret) {
  return tuple_hash<2>(tuple, secret, {'T', 'S'});
}

}  // namespace tcpmc::core
