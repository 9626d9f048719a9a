#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <tcpmc/net/event_loop.hpp>
#include <vector>

namespace tcpmc::net {

namespace {

std::uint64_t clock_us(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000 +
         static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
}

// Closes a descriptor when the loop returns, however it returns.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string failure(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

bool watch(int epoll, int fd) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  return ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void arm(int timer, std::optional<Time> deadline, Time now) {
  itimerspec spec{};
  if (deadline) {
    // A deadline already past still needs a nonzero value: zero disarms.
    const Time at = std::max(*deadline, now + 1);
    spec.it_value.tv_sec = static_cast<time_t>(at / 1'000'000);
    spec.it_value.tv_nsec = static_cast<long>(at % 1'000'000) * 1000;
  }
  ::timerfd_settime(timer, TFD_TIMER_ABSTIME, &spec, nullptr);
}

}  // namespace

Time monotonic_now() { return clock_us(CLOCK_MONOTONIC); }
std::uint64_t realtime_us() { return clock_us(CLOCK_REALTIME); }

core::IsnSecret draw_isn_secret() {
  core::IsnSecret secret{};
  std::size_t got = 0;
  // getrandom blocks only until the pool is initialised at boot; a short
  // read is retried, and the loop is bounded.
  for (int i = 0; i < 16 && got < secret.size(); ++i) {
    const ssize_t n = ::getrandom(secret.data() + got, secret.size() - got, 0);
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  return secret;
}

LoopResult run(Stack& stack, Device& device, Application& app, const LoopOptions& options) {
  LoopResult result;
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGUSR1);
  if (::sigprocmask(SIG_BLOCK, &mask, nullptr) != 0)
    return {LoopExit::Failed, 0, false, failure("sigprocmask")};
  Fd signals(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
  Fd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  Fd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (signals.fd < 0 || timer.fd < 0 || epoll.fd < 0) {
    return {LoopExit::Failed, 0, false, failure("signalfd/timerfd/epoll")};
  }
  if (!watch(epoll.fd, signals.fd) || !watch(epoll.fd, timer.fd) ||
      (device.fd() >= 0 && !watch(epoll.fd, device.fd()))) {
    return {LoopExit::Failed, 0, false, failure("epoll_ctl")};
  }

  std::vector<std::byte> buffer(std::max<std::size_t>(device.mtu(), 2048));
  bool stopping = false;
  Time stop_deadline = 0;
  auto begin_stop = [&](Time now, LoopExit why, int sig) {
    stopping = true;
    result.exit = why;
    result.signal = sig;
    stop_deadline = now + options.shutdown_grace;
    stack.close_all(now);
  };

  for (;;) {
    Time now = monotonic_now();
    device.on_time(now);
    for (std::size_t i = 0; i < options.max_packets_per_wakeup; ++i) {
      const IoResult r = device.read(buffer);
      if (r.status == IoStatus::WouldBlock) break;
      if (r.status == IoStatus::Failed) {
        stack.count_read_error();
        break;
      }
      stack.on_packet(now, std::span<const std::byte>(buffer).first(r.size));
    }
    stack.on_timer(now);
    if (!stopping) app.step(stack, now);
    stack.flush(now);
    if (!stopping && app.finished()) begin_stop(now, LoopExit::Finished, 0);
    if (stopping && (stack.quiescent() || now >= stop_deadline)) {
      result.closed_gracefully = stack.quiescent();
      stack.abort_all(now);
      return result;
    }

    std::optional<Time> deadline = stack.next_deadline();
    if (const auto held = device.next_deadline(); held && (!deadline || *held < *deadline)) {
      deadline = held;  // a layer holds packets back until then
    }
    if (stopping && (!deadline || stop_deadline < *deadline)) deadline = stop_deadline;
    arm(timer.fd, deadline, now);

    epoll_event events[8];
    const int n = ::epoll_wait(epoll.fd, events, 8, -1);
    if (n < 0 && errno != EINTR) return {LoopExit::Failed, 0, false, failure("epoll_wait")};
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == timer.fd) {
        std::uint64_t expirations = 0;
        [[maybe_unused]] const ssize_t r = ::read(timer.fd, &expirations, sizeof expirations);
      } else if (fd == signals.fd) {
        signalfd_siginfo info{};
        while (::read(signals.fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
          const int sig = static_cast<int>(info.ssi_signo);
          if (sig == SIGUSR1) {
            if (options.on_usr1) options.on_usr1();
          } else if (!stopping) {
            begin_stop(monotonic_now(), LoopExit::Signal, sig);
          } else {
            stop_deadline = 0;  // a second signal: stop waiting
          }
        }
      }
    }
  }
}

}  // namespace tcpmc::net
