// Every packet the stack drops or answers specially is counted here: one
// counter per wire::WireError reason (parse failures of received packets,
// emit failures of our own), and the stack's own reasons below, each
// defined once with its description so that the printed text and the
// struct cannot drift apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tcpmc/core/listener.hpp>
#include <tcpmc/wire/error.hpp>

namespace tcpmc::net {

// X(name, description)
#define TCPMC_STACK_COUNTERS(X)                                                      \
  X(packets_received, "packets read from the device")                                \
  X(packets_sent, "packets written to the device")                                   \
  X(device_read_errors, "device reads that failed")                                  \
  X(device_write_errors, "device writes that failed or found no room (packet lost)") \
  X(not_for_us, "packets addressed to another host: dropped")                        \
  X(not_tcp_or_icmp, "packets of another IP protocol: dropped")                      \
  X(icmp_echo_replies, "ICMP echo requests answered")                                \
  X(icmp_truncated, "ICMP messages shorter than 8 bytes: dropped")                   \
  X(icmp_bad_checksum, "ICMP messages whose checksum does not verify: dropped")      \
  X(icmp_ignored, "ICMP messages other than echo request: dropped")                  \
  X(segments_to_connections, "segments for an open connection")                      \
  X(segments_to_time_wait, "segments for a connection in TIME-WAIT")                 \
  X(segments_to_listeners, "segments for a listening port")                          \
  X(segments_no_connection, "segments for no connection or listener")                \
  X(resets_for_no_connection, "RSTs sent for them (RFC 9293 3.10.7.1)")              \
  X(segments_after_close, "data segments for connections the user closed: dropped")  \
  X(connections_active, "connections opened by connect()")                           \
  X(connections_passive, "connections accepted from listeners")                      \
  X(connections_reset, "connections reset by the peer")                              \
  X(connections_refused, "connection attempts refused")                              \
  X(connections_timed_out, "connections whose retransmissions gave up")              \
  X(connections_closed, "connections that ended normally")                           \
  X(time_wait_entered, "connections that entered TIME-WAIT on our side")             \
  X(time_wait_expired, "TIME-WAIT entries whose 2MSL ran out")                       \
  X(time_wait_reopened, "TIME-WAIT entries reopened by a new SYN (RFC 9293 3.10.7.4)") \
  X(retransmitted_octets, "payload octets sent more than once (all connections)")     \
  X(retransmission_timeouts, "retransmission timeouts (all connections)")             \
  X(fast_recoveries, "NewReno fast recoveries (RFC 6582)")                            \
  X(sack_recoveries, "SACK loss recoveries (RFC 6675)")                               \
  X(challenge_acks_sent, "challenge ACKs sent (RFC 5961)")                            \
  X(challenge_acks_suppressed, "challenge ACKs held back by the rate limit (RFC 5961 7)")

struct StackCounters {
#define TCPMC_COUNTER_FIELD(name, description) std::uint64_t name = 0;
  TCPMC_STACK_COUNTERS(TCPMC_COUNTER_FIELD)
#undef TCPMC_COUNTER_FIELD
  wire::WireErrorCounters wire_errors;
};

void add(core::ListenerCounters& sum, const core::ListenerCounters& l);

// One counter as a line of the printed table: name, value, "# what".
void append_counter(std::string& out, std::string_view name, std::uint64_t value,
                    std::string_view what);

// "name value  # description" per line: the stack's counters, then every
// wire error reason, then the listeners' counters summed.
std::string to_text(const StackCounters& c, const core::ListenerCounters& listeners,
                    std::size_t open_connections, std::size_t time_wait_entries);

}  // namespace tcpmc::net
