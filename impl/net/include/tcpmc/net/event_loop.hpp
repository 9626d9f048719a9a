// The runtime's single-threaded loop: epoll over the device, a timerfd
// armed at the stack's next deadline, and a signalfd. Each wakeup reads
// the device until it is drained (or a bound is reached, to stay fair to
// timers and signals), fires due timers, lets the application act, then
// writes out what the engines emit.
//
// The clock (CLOCK_MONOTONIC, microseconds) and the ISN secret (getrandom)
// come from here and nowhere else: the engine and the Stack only receive
// them. SIGINT and SIGTERM close every connection gracefully and wait a
// bounded time for them to finish; a second one aborts at once. SIGUSR1
// calls on_usr1 (the command prints the counters).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <tcpmc/core/isn.hpp>
#include <tcpmc/net/device.hpp>
#include <tcpmc/net/stack.hpp>

namespace tcpmc::net {

Time monotonic_now();
std::uint64_t realtime_us();  // for pcap timestamps only
core::IsnSecret draw_isn_secret();

class Application {
 public:
  Application() = default;
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;
  virtual ~Application() = default;
  // After every batch of input and timers: the application calls the
  // Stack's sockets API.
  virtual void step(Stack& stack, Time now) = 0;
  // True once the application has nothing left to do (a client's transfer
  // is over); the loop then closes what is open and returns.
  virtual bool finished() const { return false; }
};

struct LoopOptions {
  Time shutdown_grace = 2 * core::StackParams::kSecond;  // bounded wait for graceful closes
  // The application reads only between batches, so a batch must fit the
  // receive buffer (64 x 1448 bytes < 256 KiB): with 4096 the window closed
  // within each batch and bulk transfer fell from 270 to 3 MB/s.
  std::size_t max_packets_per_wakeup = 64;
  std::function<void()> on_usr1;
};

enum class LoopExit { Signal, Finished, Failed };

struct LoopResult {
  LoopExit exit = LoopExit::Failed;
  int signal = 0;
  bool closed_gracefully = false;  // every connection finished within the grace time
  std::string error;               // for Failed: what went wrong, one line
};

LoopResult run(Stack& stack, Device& device, Application& app, const LoopOptions& options);

}  // namespace tcpmc::net
