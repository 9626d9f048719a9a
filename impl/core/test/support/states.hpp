// Connections built directly in each of the eleven states (STYLE.md item
// 10), as the canonical exchange of numbers.hpp leaves them at time 0:
//
//   closed  listen  syn_sent  syn_received (passive or active)  established
//   fin_wait_1  fin_wait_2  close_wait  closing  last_ack  time_wait
//
// We are the active opener and the active closer unless the name says
// otherwise; the peer's FIN, where one was received, sits at IRS + 1.
// Every fixture is checked against the same exchange driven through the
// public API (grid/fixtures_test.cpp).
#pragma once

#include <cstddef>
#include <tcpmc/core/connection.hpp>
#include <vector>

#include "access.hpp"
#include "numbers.hpp"

namespace tcpmc::core::test {

// Whether the fixture's receive buffer is full of data the user has not
// read, so that it offers a zero window.
enum class Buffer { Empty, Full };

template <class C>
using ConfigOf = Config<typename C::Params>;

// The octets a peer sends to close our window (a fixed pattern, so that
// fixtures and driven connections hold the same bytes).
template <class C>
std::vector<std::byte> fill_bytes() {
  std::vector<std::byte> v(Canon<typename C::Params>::kFill);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::byte>(i * 7 + 1);
  return v;
}

template <class C>
C closed(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  return C(config);
}

template <class C>
C listen(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c(config);
  Access<C>::listen(c);
  return c;
}

template <class C>
C syn_sent(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c(config);
  Access<C>::our_syn_sent(c, 0, false);
  return c;
}

// Passively opened: LISTEN took the peer's SYN and answered with a SYN-ACK.
template <class C>
C syn_received(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c(config);
  Access<C>::our_syn_sent(c, 0, true);
  Access<C>::peer_syn_taken(c, false);
  return c;
}

// Actively opened: the peer's SYN crossed ours (RFC 9293 Figure 7).
template <class C>
C syn_received_active(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c = syn_sent<C>(config);
  Access<C>::simultaneous_open(c);
  return c;
}

template <class C>
C established(const ConfigOf<C>& config = test_config<typename C::Params>(),
              Buffer buffer = Buffer::Empty) {
  C c = syn_sent<C>(config);
  Access<C>::peer_syn_taken(c, true);
  Access<C>::syn_acked(c);
  if (buffer == Buffer::Full) Access<C>::received_unread(c, fill_bytes<C>());
  return c;
}

template <class C>
C fin_wait_1(const ConfigOf<C>& config = test_config<typename C::Params>(),
             Buffer buffer = Buffer::Empty) {
  C c = established<C>(config, buffer);
  Access<C>::our_fin_sent(c, 0);
  return c;
}

template <class C>
C fin_wait_2(const ConfigOf<C>& config = test_config<typename C::Params>(),
             Buffer buffer = Buffer::Empty) {
  C c = fin_wait_1<C>(config, buffer);
  Access<C>::our_fin_acked(c);
  return c;
}

template <class C>
C close_wait(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c = established<C>(config);
  Access<C>::peer_fin_taken(c, iss<C>() + 1U, 0, config);
  return c;
}

// Both FINs crossed (RFC 9293 Figure 13): the peer's arrived before it had
// seen ours.
template <class C>
C closing(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c = fin_wait_1<C>(config);
  Access<C>::peer_fin_taken(c, iss<C>() + 1U, 0, config);
  return c;
}

template <class C>
C last_ack(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c = close_wait<C>(config);
  Access<C>::our_fin_sent(c, 0);
  return c;
}

template <class C>
C time_wait(const ConfigOf<C>& config = test_config<typename C::Params>()) {
  C c = fin_wait_2<C>(config);
  Access<C>::peer_fin_taken(c, iss<C>() + 2U, 0, config);
  return c;
}

}  // namespace tcpmc::core::test
