#include <algorithm>
#include <tcpmc/net/device.hpp>

namespace tcpmc::net {

IoResult MemoryDevice::read(std::span<std::byte> buffer) {
  if (inbound_.empty()) return {IoStatus::WouldBlock, 0, 0};
  const std::vector<std::byte>& p = inbound_.front();
  // Truncates as a TUN read into a short buffer does.
  const std::size_t n = std::min(p.size(), buffer.size());
  std::copy_n(p.begin(), n, buffer.begin());
  inbound_.pop_front();
  return {IoStatus::Ok, n, 0};
}

IoResult MemoryDevice::write(std::span<const std::byte> packet) {
  outbound_.emplace_back(packet.begin(), packet.end());
  return {IoStatus::Ok, packet.size(), 0};
}

}  // namespace tcpmc::net
