#include "demo_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <tcpmc/net/apps.hpp>
#include <tcpmc/net/event_loop.hpp>
#include <tcpmc/net/pcap.hpp>
#include <tcpmc/net/pcap_reader.hpp>
#include <tcpmc/net/stack.hpp>
#include <tcpmc/net/tun.hpp>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "trace_command.hpp"

namespace tcpmc::tools {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The addresses of every netns test (scripts/netns-test): RFC 2544's
// benchmarking range, the kernel's side first.
constexpr const char* kKernelAddress = "198.18.0.1";
constexpr const char* kStackAddress = "198.18.0.2";
constexpr const char* kStackPrefix = "198.18.0.2/24";
constexpr const char* kTun = "tcpmc0";
constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kEchoPort = 7;
// Debian's python3 modules import only under this interpreter.
constexpr const char* kPython = "/usr/bin/python3";

// SIGINT or SIGTERM to the demo: every wait below checks it and unwinds,
// and the guards undo what was made. (A signal handler can only reach a
// global; this is the one mutable global of the program.)
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

// What went wrong, and the exit status it deserves.
struct Failure {
  int status = DemoCommand::kFailed;
  std::string message;  // one line
};

std::optional<Failure> interrupted() {
  if (g_stop_signal == 0) return std::nullopt;
  const int sig = g_stop_signal;
  return Failure{128 + sig, std::string("stopped by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM")};
}

bool on_path(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && ::access((dir + "/" + tool).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// A child we started; on every way out it is stopped (SIGTERM, a bounded
// wait, then SIGKILL) and reaped. Only this PID is ever signalled.
class Child {
 public:
  Child() = default;
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() { stop(milliseconds(2000)); }

  // Takes charge of `pid` (a Child made empty, before the fork's result).
  void adopt(pid_t pid) {
    pid_ = pid;
    status_.reset();
  }

  // The exit status once it has exited (128 + N for a signal); nothing
  // while it runs.
  std::optional<int> poll() {
    if (pid_ <= 0) return status_;
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
      pid_ = -1;
    }
    return pid_ <= 0 ? status_ : std::nullopt;
  }

  // SIGTERM, up to `grace` for it to exit, then SIGKILL; the exit status.
  std::optional<int> stop(milliseconds grace) {
    if (pid_ <= 0) return status_;
    ::kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + grace;
    while (!poll() && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(10));
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int raw = 0;
      ::waitpid(pid_, &raw, 0);  // SIGKILL cannot be caught: this returns
      status_ = 128 + SIGKILL;
      pid_ = -1;
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// The read end of a pipe from a child, closed on every way out.
class PipeReader {
 public:
  explicit PipeReader(int fd) : fd_(fd) {}
  PipeReader(PipeReader&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  PipeReader(const PipeReader&) = delete;
  PipeReader& operator=(const PipeReader&) = delete;
  PipeReader& operator=(PipeReader&&) = delete;
  ~PipeReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Forks a child that `child` takes charge of, with a pipe from it to us.
// The child runs `body(write_fd)` (which may exec) and exits with what it
// returns, SIGINT and SIGTERM at their defaults, and gets `death_signal` if
// the demo dies without cleaning up. Returns the pipe's read end.
template <class Body>
std::variant<PipeReader, Failure> fork_piped(Child& child, int death_signal, Body body) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return Failure{1, "pipe2 failed"};
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::prctl(PR_SET_PDEATHSIG, death_signal);
    ::close(fds[0]);
    ::_exit(body(fds[1]));  // the parent's guards are the parent's to run
  }
  ::close(fds[1]);
  PipeReader reader(fds[0]);
  if (pid < 0) return Failure{1, "fork failed"};
  child.adopt(pid);
  return reader;
}

// The network namespace, deleted on every way out.
class Namespace {
 public:
  explicit Namespace(std::string name) : name_(std::move(name)) {}
  Namespace(const Namespace&) = delete;
  Namespace& operator=(const Namespace&) = delete;
  ~Namespace() {
    if (created_) run_ip({"ip", "netns", "del", name_});
  }

  std::optional<Failure> create() {
    if (!run_ip({"ip", "netns", "add", name_})) {
      return Failure{DemoCommand::kCannotRun,
                     "cannot create network namespace " + name_ +
                         " (ip netns add failed): check iproute2 and that /run/netns is writable"};
    }
    created_ = true;
    return std::nullopt;
  }
  const std::string& name() const { return name_; }
  std::string path() const { return "/run/netns/" + name_; }

 private:
  // `ip` with a bounded wait; true if it exited 0.
  static bool run_ip(const std::vector<std::string>& args) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      const int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) ::dup2(null, STDERR_FILENO);
      ::execvp("ip", argv.data());
      ::_exit(127);
    }
    if (pid < 0) return false;
    Child child(pid);
    const auto deadline = Clock::now() + milliseconds(5000);
    while (Clock::now() < deadline) {
      if (const auto status = child.poll()) return *status == 0;
      std::this_thread::sleep_for(milliseconds(5));
    }
    return false;  // the guard kills it
  }

  std::string name_;
  bool created_ = false;
};

// A temporary directory, removed with all it holds.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tcpmc-demo-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Both servers on one stack, so that one TUN device and one capture serve
// the whole demo.
class BothServers final : public net::Application {
 public:
  BothServers(std::unique_ptr<net::Server> http, std::unique_ptr<net::Server> echo)
      : http_(std::move(http)), echo_(std::move(echo)) {}
  void step(net::Stack& stack, net::Time now) override {
    http_->step(stack, now);
    echo_->step(stack, now);
  }

 private:
  std::unique_ptr<net::Server> http_;
  std::unique_ptr<net::Server> echo_;
};

// Joins the namespace at `path`; false if it cannot.
bool enter_namespace(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::setns(fd, CLONE_NEWNET) == 0;
  ::close(fd);
  return ok;
}

// In the forked server child: the stack runs here, in the namespace, until
// SIGTERM; its loop closes the connections, and the pcap is flushed as the
// writer goes out of scope. One byte on `ready` once it serves, or a line
// of text on why it cannot.
int serve_in_namespace(const std::string& ns_path, const std::string& pcap_path, int ready) {
  const auto say = [ready](const std::string& text) {
    [[maybe_unused]] const auto n = ::write(ready, text.data(), text.size());
  };
  if (!enter_namespace(ns_path)) {
    say("cannot enter the namespace: " + std::string(std::strerror(errno)));
    return 1;
  }
  const auto prefix = net::parse_ipv4_prefix(kStackPrefix);
  const auto peer = net::parse_ipv4(kKernelAddress);
  auto tun = net::TunDevice::open({kTun, *prefix, *peer, 1500});
  if (auto* err = std::get_if<net::SetupError>(&tun)) {
    say(std::string(kTun) + ": " + err->message);
    return 1;
  }
  auto& device = *std::get<0>(tun);
  auto writer = net::PcapWriter::create(pcap_path, net::realtime_us);
  if (auto* err = std::get_if<std::string>(&writer)) {
    say(*err);
    return 1;
  }
  net::PcapWriter& pcap = *std::get<0>(writer);
  net::PcapLayer layer(device, pcap);
  net::StackConfig config;
  config.address = prefix->address;
  config.engine.isn_secret = net::draw_isn_secret();
  net::Stack stack(config, layer);
  auto http = net::Server::start(stack, net::ServerKind::Http, kHttpPort, 16);
  auto echo = net::Server::start(stack, net::ServerKind::Echo, kEchoPort, 16);
  if (!http || !echo) {
    say("cannot listen on ports 80 and 7 of the stack");
    return 1;
  }
  BothServers app(std::move(*http), std::move(*echo));
  say("+");
  const net::LoopResult result = net::run(stack, layer, app, net::LoopOptions{});
  if (!pcap.flush()) return 1;
  return result.exit == net::LoopExit::Failed ? 1 : 0;
}

// Forks the server; fills `child` and returns nothing once it serves.
std::optional<Failure> start_server(const Namespace& ns, const fs::path& pcap, Child& child) {
  // Why in-process after setns() rather than `ip netns exec tcpmc serve`:
  // one stack can then run both servers behind one TUN device and one
  // capture. The child stops if the demo dies without cleaning up.
  auto forked = fork_piped(child, SIGTERM, [&](int write_fd) {
    return serve_in_namespace(ns.path(), pcap.string(), write_fd);
  });
  if (auto* failure = std::get_if<Failure>(&forked)) return *failure;
  const PipeReader& from_server = std::get<PipeReader>(forked);
  std::string said;
  const auto deadline = Clock::now() + milliseconds(5000);
  while (Clock::now() < deadline) {
    if (auto stop = interrupted()) return stop;
    pollfd p{from_server.fd(), POLLIN, 0};
    if (::poll(&p, 1, 50) > 0) {
      std::array<char, 256> buf{};
      const ssize_t n = ::read(from_server.fd(), buf.data(), buf.size());
      if (n > 0) said.append(buf.data(), static_cast<std::size_t>(n));
      if (n <= 0 || said.starts_with("+")) break;
    }
  }
  if (said.starts_with("+")) return std::nullopt;
  return Failure{1, "the server did not start: " + (said.empty() ? "no answer within 5 s" : said)};
}

// A Linux-side program run in the namespace, its output collected, its
// run bounded by `limit`.
struct ProgramResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

std::variant<ProgramResult, Failure> run_in_namespace(const Namespace& ns,
                                                      const std::vector<std::string>& args,
                                                      milliseconds limit) {
  Child child;
  auto forked = fork_piped(child, SIGKILL, [&](int write_fd) {
    ::dup2(write_fd, STDOUT_FILENO);
    ::dup2(write_fd, STDERR_FILENO);
    if (!enter_namespace(ns.path())) return 126;
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    return 127;
  });
  if (auto* failure = std::get_if<Failure>(&forked)) return *failure;
  const PipeReader& output = std::get<PipeReader>(forked);
  ProgramResult result;
  const auto deadline = Clock::now() + limit;
  bool eof = false;
  for (;;) {
    if (auto stop = interrupted()) return *stop;
    if (Clock::now() > deadline) {
      return Failure{
          1, args[0] + " did not finish within " + std::to_string(limit.count() / 1000) + " s"};
    }
    if (!eof) {
      pollfd p{output.fd(), POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) {
        std::array<char, 4096> buf{};
        const ssize_t n = ::read(output.fd(), buf.data(), buf.size());
        if (n > 0 && result.output.size() < 65536) {
          result.output.append(buf.data(), static_cast<std::size_t>(n));
        }
        eof = n == 0;
      }
    } else {
      std::this_thread::sleep_for(milliseconds(5));
    }
    if (eof) {
      if (const auto status = child.poll()) {
        result.status = *status;
        break;
      }
    }
  }
  return result;
}

// The Linux side of the echo: N random bytes out, half-close, read to EOF;
// prints the count received and both SHA-256 digests.
constexpr const char* kEchoClient = R"(import hashlib, os, socket, sys, threading
n = int(sys.argv[1])
data = os.urandom(n)
s = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=10)
got = bytearray()
def reader():
    while True:
        b = s.recv(65536)
        if not b:
            return
        got.extend(b)
t = threading.Thread(target=reader, daemon=True)
t.start()
s.sendall(data)
s.shutdown(socket.SHUT_WR)
t.join(20)
s.close()
print(len(got), hashlib.sha256(bytes(got)).hexdigest(), hashlib.sha256(data).hexdigest())
sys.exit(0 if bytes(got) == data else 1)
)";

std::string first_line(const std::string& text) {
  const auto nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

std::optional<Failure> preconditions() {
  if (::geteuid() != 0) {
    return Failure{DemoCommand::kCannotRun,
                   "needs root: it creates a network namespace and a TUN device; run it "
                   "as root (sudo tcpmc demo)"};
  }
  if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
    return Failure{DemoCommand::kCannotRun,
                   "needs /dev/net/tun: load the tun module (modprobe tun)"};
  }
  for (const char* tool : {"ip", "curl"}) {
    if (!on_path(tool)) {
      return Failure{DemoCommand::kCannotRun,
                     std::string("needs ") + tool + " on PATH: install " +
                         (std::string(tool) == "ip" ? "iproute2" : "curl")};
    }
  }
  if (::access(kPython, X_OK) != 0) {
    return Failure{DemoCommand::kCannotRun,
                   std::string("needs ") + kPython + ": install Debian's python3"};
  }
  return std::nullopt;
}

// Installs the stop handlers for the demo's lifetime; the old ones come back after.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Waits `d`, unless a stop signal comes first.
std::optional<Failure> pause_for(milliseconds d) {
  const auto until = Clock::now() + d;
  while (Clock::now() < until) {
    if (auto stop = interrupted()) return stop;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return interrupted();
}

// The whole demo; the guards declared here undo it on every return.
std::optional<Failure> demo(const std::string& out_dir, std::size_t echo_bytes) {
  if (auto f = preconditions()) return f;
  const StopSignals stop_signals;
  const TempDir temp;
  if (temp.path().empty()) return Failure{1, "cannot create a temporary directory"};
  fs::path pcap = temp.path() / "demo.pcap";
  if (!out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    pcap = fs::path(out_dir) / "demo.pcap";
  }
  Namespace ns("tcpmc-demo-" + std::to_string(::getpid()));
  if (auto f = ns.create()) return f;
  std::cout << "tcpmc demo: namespace " << ns.name() << ", TUN " << kTun << ": Linux "
            << kKernelAddress << ", our stack " << kStackAddress << " (http :80, echo :7)"
            << std::endl;

  Child server;
  if (auto f = start_server(ns, pcap, server)) return f;

  // 1. curl fetches the page.
  auto curl = run_in_namespace(
      ns, {"curl", "-sS", "--max-time", "10", std::string("http://") + kStackAddress + "/"},
      milliseconds(15000));
  if (auto* f = std::get_if<Failure>(&curl)) return *f;
  const auto& page = std::get<ProgramResult>(curl);
  const std::string response(net::http_response());
  const std::string body = response.substr(response.find("\r\n\r\n") + 4);
  if (page.status != 0 || page.output != body) {
    return Failure{1, "curl http://" + std::string(kStackAddress) + "/ failed (exit " +
                          std::to_string(page.status) + "): " + first_line(page.output)};
  }
  std::cout << "  curl http://" << kStackAddress << "/ -> \"" << first_line(page.output) << "\""
            << std::endl;

  // 2. python3 pushes the bytes through the echo server.
  auto echo = run_in_namespace(ns,
                               {kPython, "-c", kEchoClient, std::to_string(echo_bytes),
                                kStackAddress, std::to_string(kEchoPort)},
                               milliseconds(30000));
  if (auto* f = std::get_if<Failure>(&echo)) return *f;
  const auto& pushed = std::get<ProgramResult>(echo);
  std::istringstream words(pushed.output);
  std::size_t got = 0;
  std::string got_sha;
  std::string sent_sha;
  words >> got >> got_sha >> sent_sha;
  if (pushed.status != 0 || got != echo_bytes || got_sha != sent_sha || sent_sha.empty()) {
    return Failure{1, "python3 echo of " + std::to_string(echo_bytes) + " bytes failed (exit " +
                          std::to_string(pushed.status) + "): " + first_line(pushed.output)};
  }
  std::cout << "  python3 echo: " << got << " bytes sent and received intact, sha256 "
            << got_sha.substr(0, 16) << "..." << std::endl;

  // 3. The last ACKs, then the server stops (its loop closes what is open
  // and the capture is flushed).
  if (auto f = pause_for(milliseconds(300))) return f;
  const auto status = server.stop(milliseconds(5000));
  if (status != 0) {
    return Failure{1, "the server exited with status " + std::to_string(status.value_or(-1))};
  }

  // 4. What the table makes of the capture.
  auto capture = net::read_capture(pcap.string());
  if (!capture) return Failure{1, capture.error().message};
  const auto connections = split_connections(*capture);
  std::cout << "capture: " << capture->records << " packets, " << connections.size()
            << " TCP connections"
            << (out_dir.empty() ? std::string(" (temporary; --out DIR keeps it)")
                                : " in " + pcap.string())
            << "\n";
  const auto linux_end = net::parse_ipv4(kKernelAddress);
  bool ok = connections.size() == 2;
  for (std::size_t i = 0; i < connections.size(); ++i) {
    const ConnectionTrace& c = connections[i];
    const bool client_is_linux = c.key.client.address == *linux_end;
    const std::array<std::string, 2> names = client_is_linux
                                                 ? std::array<std::string, 2>{"Linux", "tcpmc"}
                                                 : std::array<std::string, 2>{"tcpmc", "Linux"};
    const Endpoint& ours = client_is_linux ? c.key.server : c.key.client;
    std::cout << "connection " << (i + 1) << ": " << to_string(c.key.client) << " -> "
              << to_string(c.key.server)
              << (ours.port == kHttpPort ? " (curl, HTTP)" : " (python3, echo)") << "\n";
    const ConnectionSummary s = summarize(c, names);
    std::cout << s.text;
    ok = ok && s.handshake_seen && s.closed_both_ways && s.time_wait && s.unexplained == 0;
  }
  if (!out_dir.empty()) {
    std::cout << "chart: tcpmc graph trace --pcap " << pcap.string() << " --format svg --out "
              << "trace.svg\n";
  }
  std::cout.flush();
  if (!ok) {
    return Failure{1,
                   "the capture does not show two connections opened, closed both ways and "
                   "explained by the table: see the summary above"};
  }
  return std::nullopt;
}

}  // namespace

DemoCommand::DemoCommand(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "demo",
      "Run our stack against the Linux kernel in a network namespace it creates (root): curl "
      "fetches a page, python3 echoes 1 MB, and the capture is summarized by the RFC 9293 table");
  cmd_->add_option("--out", out_dir_, "Keep the capture as DIR/demo.pcap (default: discarded)")
      ->type_name("DIR");
  cmd_->add_option("--bytes", echo_bytes_, "Bytes python3 pushes through the echo (default 1 MiB)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20));
}

std::optional<int> DemoCommand::run() const {
  if (!cmd_->parsed()) return std::nullopt;
  const auto failure = demo(out_dir_, echo_bytes_);
  if (!failure) return 0;
  std::cerr << "tcpmc: demo: " << failure->message;
  if (failure->status > 128) std::cerr << "; the namespace and every process it started are gone";
  std::cerr << "\n";
  return failure->status;
}

}  // namespace tcpmc::tools
