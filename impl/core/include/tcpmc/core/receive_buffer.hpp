// The receive side's bytes: data in order but not yet read by the user,
// followed in the same ring by out-of-order data kept for reassembly. The
// out-of-order ranges are bounded in number (a Params constant), so a
// hostile peer cannot make the connection keep unbounded bookkeeping; data
// that does not fit is dropped and comes again with a retransmission.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include <tcpmc/core/ring.hpp>

namespace tcpmc::core {

template <class Storage, std::size_t MaxRanges>
class ReceiveBuffer {
 public:
  // Out-of-order bytes [offset, offset + length) counted from RCV.NXT.
  struct Range {
    std::size_t offset = 0;
    std::size_t length = 0;
    bool operator==(const Range&) const = default;
  };

  static constexpr std::size_t capacity() { return Storage::kCapacity; }

  // In-order bytes the user has not read yet.
  std::size_t readable() const { return ring_.size(); }
  // RCV.WND: room after the in-order data (out-of-order data sits inside it).
  std::size_t window() const { return capacity() - ring_.size(); }
  bool holds_memory() const { return ring_.holds_memory(); }
  std::span<const Range> out_of_order() const { return {ranges_.data(), count_}; }

  // Stores bytes that start `offset` octets after RCV.NXT, as far as the
  // window reaches; returns by how much RCV.NXT advances (0 if a gap
  // remains before them).
  std::size_t insert(std::size_t offset, std::span<const std::byte> bytes) {
    if (offset >= window()) return 0;
    bytes = bytes.first(std::min(bytes.size(), window() - offset));
    if (bytes.empty()) return 0;
    if (offset > 0) {
      if (!remember(offset, bytes.size())) return 0;
      ring_.write_beyond(offset, bytes);
      return 0;
    }
    ring_.write_beyond(0, bytes);
    std::size_t advance = bytes.size();
    // Ranges now joined to the in-order data come along.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < count_; ++i) {
      const Range r = ranges_[i];
      if (r.offset <= advance) {
        advance = std::max(advance, r.offset + r.length);
      } else {
        ranges_[kept++] = r;
      }
    }
    count_ = kept;
    for (std::size_t i = 0; i < count_; ++i) ranges_[i].offset -= advance;
    ring_.extend(advance);
    return advance;
  }

  // Hands up to out.size() in-order bytes to the user.
  std::size_t read(std::span<std::byte> out) {
    const std::size_t n = std::min(out.size(), ring_.size());
    ring_.copy_out(0, out.first(n));
    ring_.pop(n, count_ != 0);
    return n;
  }

  void clear() {
    ring_.clear();
    count_ = 0;
  }

  bool operator==(const ReceiveBuffer& other) const {
    if (!(ring_ == other.ring_) || count_ != other.count_) return false;
    for (std::size_t i = 0; i < count_; ++i) {
      if (!(ranges_[i] == other.ranges_[i])) return false;
      for (std::size_t k = 0; k < ranges_[i].length; ++k) {
        const std::size_t at = ring_.size() + ranges_[i].offset + k;
        if (ring_.at(at) != other.ring_.at(at)) return false;
      }
    }
    return true;
  }

  std::size_t hash() const {
    std::size_t h = ring_.hash();
    for (std::size_t i = 0; i < count_; ++i) h = h * 31 + ranges_[i].offset * 7 + ranges_[i].length;
    return h;
  }

 private:
  // Adds [offset, offset + length) to the sorted, disjoint ranges; false if
  // that would need more ranges than the bound allows.
  bool remember(std::size_t offset, std::size_t length) {
    std::size_t lo = offset, hi = offset + length;
    std::array<Range, MaxRanges> merged{};
    std::size_t n = 0;
    bool placed = false;
    for (std::size_t i = 0; i < count_; ++i) {
      const Range r = ranges_[i];
      if (r.offset + r.length < lo) {
        merged[n++] = r;
      } else if (r.offset > hi) {
        if (!placed) {
          if (n == MaxRanges) return false;
          merged[n++] = {lo, hi - lo};
          placed = true;
        }
        if (n == MaxRanges) return false;
        merged[n++] = r;
      } else {
        lo = std::min(lo, r.offset);
        hi = std::max(hi, r.offset + r.length);
      }
    }
    if (!placed) {
      if (n == MaxRanges) return false;
      merged[n++] = {lo, hi - lo};
    }
    ranges_ = merged;
    count_ = n;
    return true;
  }

  ByteRing<Storage> ring_;
  std::array<Range, MaxRanges> ranges_{};
  std::size_t count_ = 0;
};

}  // namespace tcpmc::core
