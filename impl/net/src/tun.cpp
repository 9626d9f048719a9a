#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <tcpmc/net/tun.hpp>

namespace tcpmc::net {

std::optional<wire::Ipv4Address> parse_ipv4(std::string_view text) {
  std::uint8_t octets[4] = {};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
    unsigned v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc{} || next == p || next - p > 3 || v > 255) return std::nullopt;
    octets[i] = static_cast<std::uint8_t>(v);
    p = next;
  }
  if (p != end) return std::nullopt;
  return wire::Ipv4Address(octets[0], octets[1], octets[2], octets[3]);
}

std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto address = parse_ipv4(text.substr(0, slash));
  const std::string_view len = text.substr(slash + 1);
  unsigned n = 0;
  auto [next, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
  if (!address || ec != std::errc{} || next != len.data() + len.size() || len.empty() || n > 32) {
    return std::nullopt;
  }
  return Ipv4Prefix{*address, n};
}

std::string to_string(wire::Ipv4Address a) {
  const auto& o = a.octets();
  return std::to_string(o[0]) + "." + std::to_string(o[1]) + "." + std::to_string(o[2]) + "." +
         std::to_string(o[3]);
}

std::string_view name(SetupErrorKind k) {
  switch (k) {
    case SetupErrorKind::NoTunSupport: return "no TUN support";
    case SetupErrorKind::PermissionDenied: return "permission denied";
    case SetupErrorKind::DeviceBusy: return "device busy";
    case SetupErrorKind::BadAddress: return "bad address";
    case SetupErrorKind::PortInUse: return "port in use";
    case SetupErrorKind::ConfigureFailed: return "configuration failed";
  }
  return "?";
}

std::optional<SetupError> check_addresses(const TunConfig& c) {
  const Ipv4Prefix& p = c.ours;
  auto bad = [](std::string what) {
    return SetupError{SetupErrorKind::BadAddress, std::move(what)};
  };
  if (p.length == 0 || p.length > 30) {
    return bad("prefix /" + std::to_string(p.length) +
               " leaves no room for two hosts: use a prefix from /1 to /30, e.g. /24");
  }
  if (c.peer == p.address) {
    return bad("--addr and --peer-addr are both " + to_string(c.peer) +
               ": give the kernel's side another address of the subnet");
  }
  if (!p.contains(c.peer)) {
    return bad("--peer-addr " + to_string(c.peer) + " is outside " + to_string(p.address) + "/" +
               std::to_string(p.length) + ": choose an address in the same subnet");
  }
  const std::uint32_t broadcast = p.network() | ~p.netmask();
  for (wire::Ipv4Address a : {p.address, c.peer}) {
    if (a.to_u32() == p.network() || a.to_u32() == broadcast) {
      return bad(to_string(a) +
                 " is the subnet's network or broadcast address: pick a host address");
    }
  }
  return std::nullopt;
}

namespace {

SetupError from_errno(int err, const std::string& what, const std::string& ifname) {
  const std::string detail = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      return {SetupErrorKind::NoTunSupport,
              detail + "; load the tun module (modprobe tun) or run where /dev/net/tun exists"};
    case EPERM:
    case EACCES:
      return {SetupErrorKind::PermissionDenied, detail + "; run as root or grant CAP_NET_ADMIN"};
    case EBUSY:
      return {SetupErrorKind::DeviceBusy, detail + "; another process holds " + ifname +
                                              ": stop it or choose another --tun name"};
    case EINVAL:
      return {SetupErrorKind::ConfigureFailed,
              detail + "; is " + ifname +
                  " an existing interface that is not a TUN device? "
                  "choose another --tun name"};
    default: return {SetupErrorKind::ConfigureFailed, detail + "; check the interface and retry"};
  }
}

sockaddr_in to_sockaddr(std::uint32_t host_order) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(host_order);
  return sa;
}

// The kernel side: address, netmask, MTU, up. ioctl keeps this free of a
// netlink dependency; these four calls are all the link needs.
std::optional<SetupError> configure(const TunConfig& c) {
  const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return from_errno(errno, "socket(AF_INET)", c.name);
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, c.name.data(), c.name.size());
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(s);
    return from_errno(err, std::string(what) + " on " + c.name, c.name);
  };
  const sockaddr_in addr = to_sockaddr(c.peer.to_u32());
  std::memcpy(&ifr.ifr_addr, &addr, sizeof addr);
  if (::ioctl(s, SIOCSIFADDR, &ifr) < 0) return fail("SIOCSIFADDR");
  const sockaddr_in mask = to_sockaddr(c.ours.netmask());
  std::memcpy(&ifr.ifr_netmask, &mask, sizeof mask);
  if (::ioctl(s, SIOCSIFNETMASK, &ifr) < 0) return fail("SIOCSIFNETMASK");
  ifr.ifr_mtu = static_cast<int>(c.mtu);
  if (::ioctl(s, SIOCSIFMTU, &ifr) < 0) return fail("SIOCSIFMTU");
  if (::ioctl(s, SIOCGIFFLAGS, &ifr) < 0) return fail("SIOCGIFFLAGS");
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
  if (::ioctl(s, SIOCSIFFLAGS, &ifr) < 0) return fail("SIOCSIFFLAGS");
  ::close(s);
  return std::nullopt;
}

}  // namespace

std::variant<std::unique_ptr<TunDevice>, SetupError> TunDevice::open(const TunConfig& c) {
  if (c.name.empty() || c.name.size() >= IFNAMSIZ) {
    return SetupError{SetupErrorKind::ConfigureFailed,
                      "interface name '" + c.name + "' must have 1 to 15 characters"};
  }
  if (auto bad = check_addresses(c)) return *bad;
  const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return from_errno(errno, "open /dev/net/tun", c.name);
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::memcpy(ifr.ifr_name, c.name.data(), c.name.size());
  if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
    const int err = errno;
    ::close(fd);
    return from_errno(err, "TUNSETIFF " + c.name, c.name);
  }
  if (auto err = configure(c)) {
    ::close(fd);
    return *err;
  }
  return std::unique_ptr<TunDevice>(new TunDevice(fd, c.name, c.mtu));
}

TunDevice::~TunDevice() { ::close(fd_); }

IoResult TunDevice::read(std::span<std::byte> buffer) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n >= 0) return {IoStatus::Ok, static_cast<std::size_t>(n), 0};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::WouldBlock, 0, 0};
    return {IoStatus::Failed, 0, errno};
  }
}

IoResult TunDevice::write(std::span<const std::byte> packet) {
  for (;;) {
    const ssize_t n = ::write(fd_, packet.data(), packet.size());
    if (n >= 0) return {IoStatus::Ok, static_cast<std::size_t>(n), 0};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::WouldBlock, 0, 0};
    return {IoStatus::Failed, 0, errno};
  }
}

}  // namespace tcpmc::net
