#include "net_commands.hpp"

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <tcpmc/net/apps.hpp>
#include <tcpmc/net/event_loop.hpp>
#include <tcpmc/net/impair.hpp>
#include <tcpmc/net/pcap.hpp>
#include <tcpmc/net/stack.hpp>
#include <tcpmc/net/trace.hpp>
#include <tcpmc/net/tun.hpp>
#include <variant>
#include <vector>

namespace tcpmc::tools {

namespace {

constexpr int kUsageError = 2;

void add_link_options(CLI::App* cmd, auto& link) {
  cmd->add_option("--tun", link.tun, "TUN interface to create or attach to, e.g. tcpmc0")
      ->required();
  cmd->add_option("--addr", link.addr, "The stack's own address and prefix, e.g. 198.18.0.2/24")
      ->required();
  cmd->add_option("--peer-addr", link.peer_addr,
                  "Address of the kernel's side of the TUN link; default: the first host "
                  "address of the --addr subnet (198.18.0.1 for 198.18.0.2/24)");
  cmd->add_option("--pcap", link.pcap,
                  "Write every packet read and written to this file (libpcap, LINKTYPE_RAW)");
  // The kernel here may have no netem: impairment is ours, seeded, applied
  // to both directions between the stack and the device.
  cmd->add_option("--loss", link.loss, "Drop this fraction of packets, each way (0 to 1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--dup", link.dup, "Duplicate this fraction of packets, each way (0 to 1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--reorder", link.reorder,
                  "Hold back this fraction of packets past later ones, each way (0 to 1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--delay", link.delay, "Delay every packet MS milliseconds, plus up to JITTER")
      ->type_name("MS[:JITTER]");
  cmd->add_option("--seed", link.seed, "Seed of the impairment: same seed, same fates (default 1)");
  cmd->add_flag("--trace", link.trace,
                "Print every packet the stack reads or writes, one line each, on stderr");
}

int usage(const std::string& message) {
  std::cerr << "tcpmc: " << message << "\n";
  return kUsageError;
}

// Everything a running stack needs, opened in order; the pcap layer, if
// any, sits between the stack and the TUN device.
struct Runtime {
  std::unique_ptr<net::TunDevice> tun;
  std::unique_ptr<net::PcapWriter> pcap;
  std::unique_ptr<net::PcapLayer> layer;
  std::unique_ptr<net::ImpairLayer> impair;  // outside the pcap layer
  std::unique_ptr<net::TraceLayer> trace;    // outermost: what the stack itself sees
  net::Device* device = nullptr;
  net::Ipv4Prefix ours;
  wire::Ipv4Address peer;
};

// Nothing, with the one-line error already printed, on failure.
std::optional<int> open_runtime(const auto& link, Runtime& rt) {
  net::Impairment impairment{.loss = link.loss, .duplicate = link.dup, .reorder = link.reorder,
                             .seed = link.seed};
  if (!link.delay.empty()) {
    const auto with_delay = net::parse_delay(link.delay, impairment);
    if (!with_delay) {
      return usage("--delay '" + link.delay +
                   "' is not MS or MS:JITTER in whole milliseconds up to 60000: e.g. 20:5");
    }
    impairment = *with_delay;
  }
  const auto prefix = net::parse_ipv4_prefix(link.addr);
  if (!prefix) {
    return usage("--addr '" + link.addr + "' is not A.B.C.D/NN: write it as e.g. 198.18.0.2/24");
  }
  rt.ours = *prefix;
  rt.peer = prefix->first_host();
  if (!link.peer_addr.empty()) {
    const auto peer = net::parse_ipv4(link.peer_addr);
    if (!peer) {
      return usage("--peer-addr '" + link.peer_addr +
                   "' is not A.B.C.D: write it as e.g. 198.18.0.1");
    }
    rt.peer = *peer;
  }
  auto tun = net::TunDevice::open({link.tun, rt.ours, rt.peer, 1500});
  if (auto* err = std::get_if<net::SetupError>(&tun)) {
    return usage(link.tun + ": " + std::string(net::name(err->kind)) + ": " + err->message);
  }
  rt.tun = std::move(std::get<0>(tun));
  rt.device = rt.tun.get();
  if (!link.pcap.empty()) {
    auto writer = net::PcapWriter::create(link.pcap, net::realtime_us);
    if (auto* err = std::get_if<std::string>(&writer)) return usage(*err);
    rt.pcap = std::move(std::get<0>(writer));
    rt.layer = std::make_unique<net::PcapLayer>(*rt.tun, *rt.pcap);
    rt.device = rt.layer.get();
  }
  if (impairment.active()) {
    rt.impair = std::make_unique<net::ImpairLayer>(*rt.device, impairment);
    rt.device = rt.impair.get();
  }
  if (link.trace) {
    rt.trace = std::make_unique<net::TraceLayer>(
        *rt.device, [](std::string_view line) { std::cerr << line << '\n'; });
    rt.device = rt.trace.get();
  }
  return std::nullopt;
}

// The stack's counters, and the impairment layer's if there is one.
std::string counters_text(const net::Stack& stack, const Runtime& rt) {
  std::string text = stack.counters_text();
  if (rt.impair) text += rt.impair->counters_text();
  return text;
}

// A whole file's bytes, or nothing if it cannot be read.
std::optional<std::vector<std::byte>> read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::vector<char> chars((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  std::vector<std::byte> bytes(chars.size());
  // An empty file has no buffer: memcpy's pointers must not be null even
  // for a length of 0 (UBSan caught this on --app file: with an empty file).
  if (!chars.empty()) std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

net::StackConfig stack_config(const Runtime& rt) {
  net::StackConfig config;
  config.address = rt.ours.address;
  config.engine.isn_secret = net::draw_isn_secret();
  return config;
}

}  // namespace

NetCommands::NetCommands(CLI::App& app) {
  serve_ = app.add_subcommand("serve", "Run a server on the TCP stack over a TUN device (root)");
  add_link_options(serve_, serve_link_);
  serve_->add_option("--port", port_, "TCP port to listen on")
      ->required()
      ->check(CLI::Range(1, 65535));
  serve_->add_option("--app", app_,
                     "echo, discard, http (a minimal HTTP/1.1 reply) or file:PATH (sends the "
                     "file to each client, then closes)")
      ->check([](const std::string& name) -> std::string {
        if (net::parse_server_kind(name) || (name.starts_with("file:") && name.size() > 5)) return {};
        return "--app is echo, discard, http or file:PATH, not '" + name + "'";
      });
  serve_->add_option("--backlog", backlog_, "Connections waiting for accept (default 128)")
      ->check(CLI::Range(1, 65535));
  serve_->add_option("--hold-accept", hold_accept_ms_,
                     "Accept no connection for the first MS milliseconds, so the accept queue "
                     "fills (to watch its overflow handling)")
      ->type_name("MS")
      ->check(CLI::Range(0, 600'000));

  connect_ = app.add_subcommand("connect",
                                "Connect from the TCP stack over a TUN device to HOST:PORT (root)");
  add_link_options(connect_, connect_link_);
  connect_->add_option("--to", to_, "HOST:PORT to connect to, e.g. 198.18.0.1:7")->required();
  connect_->add_option("--send", send_file_, "Send this file's bytes, then half-close");
  connect_->add_option("--recv", recv_file_, "Write what the peer sends, up to its FIN, here");
}

std::optional<int> NetCommands::run() const {
  if (serve_->parsed()) return serve();
  if (connect_->parsed()) return connect();
  return std::nullopt;
}

int NetCommands::serve() const {
  net::ServerKind kind = net::ServerKind::File;
  std::vector<std::byte> content;
  if (const auto named = net::parse_server_kind(app_)) {
    kind = *named;
  } else {
    const std::string path = app_.substr(5);  // after "file:", checked by the option
    auto bytes = read_file(path);
    if (!bytes) return usage("--app file:" + path + ": cannot read it: check the path");
    content = std::move(*bytes);
  }
  Runtime rt;
  if (auto status = open_runtime(serve_link_, rt)) return *status;
  net::Stack stack(stack_config(rt), *rt.device);
  auto server = net::Server::start(stack, kind, port_, backlog_, std::move(content));
  if (!server) {
    return usage("port " + std::to_string(port_) + ": " + std::string(net::name(server.error())) +
                 ": choose another --port");
  }
  (*server)->hold_accept_until(net::monotonic_now() + net::Time{hold_accept_ms_} * 1000);
  std::cerr << "tcpmc: serving " << app_ << " on " << net::to_string(rt.ours.address) << ":"
            << port_ << " via " << serve_link_.tun << " (kernel side " << net::to_string(rt.peer)
            << "/" << rt.ours.length << "); SIGINT or SIGTERM stops, SIGUSR1 prints counters"
            << std::endl;
  net::LoopOptions options;
  options.on_usr1 = [&] { std::cerr << counters_text(stack, rt) << std::flush; };
  const net::LoopResult result = net::run(stack, *rt.device, **server, options);
  std::cerr << counters_text(stack, rt);
  if (rt.pcap && !rt.pcap->flush()) std::cerr << "tcpmc: writing the pcap file failed\n";
  if (result.exit == net::LoopExit::Failed) {
    std::cerr << "tcpmc: " << result.error << "\n";
    return 1;
  }
  std::cerr << "tcpmc: stopped by signal " << result.signal
            << (result.closed_gracefully ? ", every connection closed\n"
                                         : ", connections left open were reset\n");
  return 0;
}

int NetCommands::connect() const {
  const auto colon = to_.rfind(':');
  const auto host = net::parse_ipv4(to_.substr(0, colon == std::string::npos ? 0 : colon));
  unsigned port = 0;
  const std::string port_text = colon == std::string::npos ? "" : to_.substr(colon + 1);
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (!host || ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return usage("--to '" + to_ + "' is not HOST:PORT: write it as e.g. 198.18.0.1:7");
  }
  std::vector<std::byte> data;
  if (!send_file_.empty()) {
    auto bytes = read_file(send_file_);
    if (!bytes) return usage("--send " + send_file_ + ": cannot read it: check the path");
    data = std::move(*bytes);
  }
  Runtime rt;
  if (auto status = open_runtime(connect_link_, rt)) return *status;
  net::Stack stack(stack_config(rt), *rt.device);
  auto transfer = net::Transfer::start(stack, net::monotonic_now(), *host,
                                       static_cast<std::uint16_t>(port), std::move(data));
  if (!transfer) return usage("connect: " + std::string(net::name(transfer.error())));
  net::LoopOptions options;
  options.on_usr1 = [&] { std::cerr << counters_text(stack, rt) << std::flush; };
  const net::LoopResult result = net::run(stack, *rt.device, **transfer, options);
  std::cerr << counters_text(stack, rt);
  if (rt.pcap && !rt.pcap->flush()) std::cerr << "tcpmc: writing the pcap file failed\n";
  if (result.exit == net::LoopExit::Failed) {
    std::cerr << "tcpmc: " << result.error << "\n";
    return 1;
  }
  if (const auto err = (*transfer)->error()) {
    std::cerr << "tcpmc: connect to " << to_ << ": " << net::name(*err) << "\n";
    return 1;
  }
  if (result.exit == net::LoopExit::Signal) {
    std::cerr << "tcpmc: stopped by signal " << result.signal << " before the transfer ended\n";
    return 1;
  }
  if (!recv_file_.empty()) {
    std::ofstream out(recv_file_, std::ios::binary);
    const auto& got = (*transfer)->received();
    out.write(reinterpret_cast<const char*>(got.data()), static_cast<std::streamsize>(got.size()));
    if (!out) {
      std::cerr << "tcpmc: cannot write " << recv_file_ << ": check the directory is writable\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace tcpmc::tools
