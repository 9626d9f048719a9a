// The numbers every fixture and segment template of the core tests agree
// on: who talks to whom, the two initial sequence numbers, and the windows
// both sides offer. Chosen per Params so that the same test reads the same
// at 32 bits and at SmallParams' 4 bits.
#pragma once

#include <cstdint>
#include <tcpmc/core/config.hpp>
#include <tcpmc/core/isn.hpp>
#include <tcpmc/core/params.hpp>
#include <type_traits>

namespace tcpmc::core::test {

inline constexpr Endpoint kUs{0xC6120002, 80};       // 198.18.0.2, the connection under test
inline constexpr Endpoint kPeer{0xC6120001, 40000};  // 198.18.0.1, the scripted peer

template <class P>
struct Canon;

// Both ISNs far from zero, the peer's above 2^31, so that a comparison done
// with a plain `<` somewhere would show.
template <>
struct Canon<StackParams> {
  static constexpr std::uint32_t kIss = 1'000'000'000;
  static constexpr std::uint32_t kIrs = 3'000'000'000;
  static constexpr std::uint32_t kPeerWindow = 65535;
  static constexpr std::uint16_t kPeerMss = 1460;
  // What we offer: the 256 KiB buffer seen through an unscaled 16-bit
  // window field.
  static constexpr std::uint32_t kOfferedWindow = 65535;
  // How many octets a peer that respects our window can send before it
  // closes: four full windows; the last 4 octets of buffer are never
  // offered (receiver SWS avoidance, RFC 9293 3.8.6.2.2).
  static constexpr std::uint32_t kFill = 4 * 65535;
};

// ISS and IRS on opposite halves of the 16-number circle; every window is
// the 3-octet buffer.
template <>
struct Canon<SmallParams> {
  static constexpr std::uint32_t kIss = 3;
  static constexpr std::uint32_t kIrs = 11;
  static constexpr std::uint32_t kPeerWindow = 3;
  static constexpr std::uint16_t kPeerMss = 1;
  static constexpr std::uint32_t kOfferedWindow = 3;
  static constexpr std::uint32_t kFill = 3;
};

template <class C>
constexpr typename C::Seq iss() {
  return typename C::Seq(Canon<typename C::Params>::kIss);
}
template <class C>
constexpr typename C::Seq irs() {
  return typename C::Seq(Canon<typename C::Params>::kIrs);
}

// The configuration the fixtures are built with. The stack's delayed ACK
// is turned off so that a cell's reply is what goes out at once; delayed
// ACKs have their own tests. The grid is RFC 9293's, whose segments carry
// no options: window scaling, timestamps and SACK are off here and tested
// in options_test.cpp and timestamps_test.cpp.
template <class P>
constexpr Config<P> test_config() {
  if constexpr (std::is_same_v<P, SmallParams>) {
    return Config<P>::small_defaults();
  } else {
    Config<P> c = Config<P>::stack_defaults();
    c.delayed_ack = 0;
    c.features = {};
    return c;
  }
}

}  // namespace tcpmc::core::test
