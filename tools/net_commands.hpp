// `tcpmc serve` and `tcpmc connect`: run the TUN stack. Flag parsing and
// messages only; the stack, the device and the applications are impl/net's.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace tcpmc::tools {

class NetCommands {
 public:
  // Adds the two subcommands to `app`.
  explicit NetCommands(CLI::App& app);
  NetCommands(const NetCommands&) = delete;
  NetCommands& operator=(const NetCommands&) = delete;

  // After parsing: the exit status if one of them was chosen, else nothing.
  std::optional<int> run() const;

 private:
  struct Link {
    std::string tun;
    std::string addr;
    std::string peer_addr;
    std::string pcap;
    // The impairment layer (impl/net/impair.hpp), both directions.
    double loss = 0;
    double dup = 0;
    double reorder = 0;
    std::string delay;  // MS or MS:JITTER
    std::uint64_t seed = 1;
    bool trace = false;  // one line per packet on stderr
  };
  int serve() const;
  int connect() const;

  CLI::App* serve_ = nullptr;
  CLI::App* connect_ = nullptr;
  Link serve_link_;
  Link connect_link_;
  std::uint16_t port_ = 0;
  std::string app_ = "echo";
  std::size_t backlog_ = 128;
  unsigned hold_accept_ms_ = 0;
  std::string to_;
  std::string send_file_;
  std::string recv_file_;
};

}  // namespace tcpmc::tools
