// A Linux TUN device (IFF_TUN | IFF_NO_PI): each read or write is one raw
// IPv4 packet. Opening creates the interface if it does not exist; the
// kernel's side of the link gets `peer` and the prefix's netmask and is
// brought up, so the kernel routes the subnet, our address included, into
// the device. The descriptor is non-blocking. A non-persistent interface
// disappears when the descriptor closes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tcpmc/net/device.hpp>
#include <tcpmc/wire/address.hpp>
#include <variant>

namespace tcpmc::net {

// An IPv4 address with a prefix length, as in 198.18.0.2/24.
struct Ipv4Prefix {
  wire::Ipv4Address address;
  unsigned length = 32;

  std::uint32_t netmask() const { return length == 0 ? 0 : ~std::uint32_t{0} << (32 - length); }
  std::uint32_t network() const { return address.to_u32() & netmask(); }
  bool contains(wire::Ipv4Address a) const { return (a.to_u32() & netmask()) == network(); }
  // The subnet's first host address (network + 1): the kernel side's default.
  wire::Ipv4Address first_host() const { return wire::Ipv4Address::from_u32(network() + 1); }
};

std::optional<wire::Ipv4Address> parse_ipv4(std::string_view text);
std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text);
std::string to_string(wire::Ipv4Address a);

// Why a device could not be opened or configured. Each comes with a
// one-line message that says what to do about it.
enum class SetupErrorKind {
  NoTunSupport,      // no /dev/net/tun, or the kernel has no TUN driver
  PermissionDenied,  // needs root or CAP_NET_ADMIN
  DeviceBusy,        // another process has the interface open
  BadAddress,        // the addresses do not make a usable link
  PortInUse,         // a listener already holds the port
  ConfigureFailed,   // an ioctl failed for another reason
};

struct SetupError {
  SetupErrorKind kind;
  std::string message;  // one line, ends with what to do
};

std::string_view name(SetupErrorKind k);

struct TunConfig {
  std::string name;        // interface name, at most 15 characters
  Ipv4Prefix ours;         // the stack's own address and the subnet's prefix length
  wire::Ipv4Address peer;  // the kernel's address on the link
  std::size_t mtu = 1500;
};

// The addresses must differ, both lie in one subnet, and neither be the
// network or broadcast address of a prefix shorter than /31.
std::optional<SetupError> check_addresses(const TunConfig& config);

class TunDevice final : public Device {
 public:
  static std::variant<std::unique_ptr<TunDevice>, SetupError> open(const TunConfig& config);
  ~TunDevice() override;

  IoResult read(std::span<std::byte> buffer) override;
  IoResult write(std::span<const std::byte> packet) override;
  int fd() const override { return fd_; }
  std::size_t mtu() const override { return mtu_; }
  const std::string& name() const { return name_; }

 private:
  TunDevice(int fd, std::string name, std::size_t mtu)
      : fd_(fd), name_(std::move(name)), mtu_(mtu) {}
  int fd_;
  std::string name_;
  std::size_t mtu_;
};

}  // namespace tcpmc::net
