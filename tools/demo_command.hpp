// `tcpmc demo`: the stack against the Linux kernel, start to finish, on one
// command. It creates a network namespace (tcpmc-demo-<pid>) with a TUN
// device in it, runs our HTTP and echo servers on the TUN stack there, has
// the kernel fetch a page with curl and push bytes through a python3 echo
// client, captures every packet, prints what the RFC 9293 table makes of
// the capture (tools/trace_command.hpp), and removes everything it made:
// on success, on failure, and on SIGINT or SIGTERM.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <string>

namespace tcpmc::tools {

class DemoCommand {
 public:
  // Exit statuses: 0 all went as expected, 1 a check failed, 2 it cannot
  // run here (not root, a tool missing, a bad flag), 128 + N stopped by
  // signal N.
  static constexpr int kFailed = 1;
  static constexpr int kCannotRun = 2;

  explicit DemoCommand(CLI::App& app);
  DemoCommand(const DemoCommand&) = delete;
  DemoCommand& operator=(const DemoCommand&) = delete;

  // After parsing: the exit status if `demo` was chosen, else nothing.
  std::optional<int> run() const;

 private:
  CLI::App* cmd_ = nullptr;
  std::string out_dir_;               // keep demo.pcap here; empty: a temporary directory
  std::size_t echo_bytes_ = 1 << 20;  // what python3 pushes through the echo server
};

}  // namespace tcpmc::tools
