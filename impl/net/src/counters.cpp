#include <cstdio>
#include <tcpmc/net/counters.hpp>

namespace tcpmc::net {

void append_counter(std::string& out, std::string_view name, std::uint64_t value,
                    std::string_view what) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-34.*s %12llu", static_cast<int>(name.size()), name.data(),
                static_cast<unsigned long long>(value));
  out += buf;
  out += "  # ";
  out += what;
  out += '\n';
}

void add(core::ListenerCounters& sum, const core::ListenerCounters& l) {
  sum.syns += l.syns;
  sum.syn_acks_sent += l.syn_acks_sent;
  sum.syn_ack_retransmits += l.syn_ack_retransmits;
  sum.half_open_timeouts += l.half_open_timeouts;
  sum.half_open_resets += l.half_open_resets;
  sum.syn_queue_overflows += l.syn_queue_overflows;
  sum.syns_dropped += l.syns_dropped;
  sum.cookies_sent += l.cookies_sent;
  sum.cookies_validated += l.cookies_validated;
  sum.cookies_rejected += l.cookies_rejected;
  sum.accept_queue_overflows += l.accept_queue_overflows;
  sum.established += l.established;
  sum.accepted += l.accepted;
  sum.resets_sent += l.resets_sent;
}

std::string to_text(const StackCounters& c, const core::ListenerCounters& l,
                    std::size_t open_connections, std::size_t time_wait_entries) {
  std::string out;
#define TCPMC_COUNTER_LINE(name, description) append_counter(out, #name, c.name, description);
  TCPMC_STACK_COUNTERS(TCPMC_COUNTER_LINE)
#undef TCPMC_COUNTER_LINE
  append_counter(out, "open_connections", open_connections, "connections now open (not TIME-WAIT)");
  append_counter(out, "time_wait_now", time_wait_entries, "connections now in TIME-WAIT");
  for (const wire::WireErrorInfo& e : wire::wire_errors) {
    append_counter(out, "wire." + std::string(e.name), c.wire_errors[e.id], e.description);
  }
  const std::pair<std::string_view, std::uint64_t> listener[] = {
      {"syns", l.syns},
      {"syn_acks_sent", l.syn_acks_sent},
      {"syn_ack_retransmits", l.syn_ack_retransmits},
      {"half_open_timeouts", l.half_open_timeouts},
      {"half_open_resets", l.half_open_resets},
      {"syn_queue_overflows", l.syn_queue_overflows},
      {"syns_dropped", l.syns_dropped},
      {"cookies_sent", l.cookies_sent},
      {"cookies_validated", l.cookies_validated},
      {"cookies_rejected", l.cookies_rejected},
      {"accept_queue_overflows", l.accept_queue_overflows},
      {"established", l.established},
      {"accepted", l.accepted},
      {"resets_sent", l.resets_sent},
  };
  for (const auto& [name, value] : listener) {
    append_counter(out, "listener." + std::string(name), value, "summed over listeners (listener.hpp)");
  }
  return out;
}

}  // namespace tcpmc::net
