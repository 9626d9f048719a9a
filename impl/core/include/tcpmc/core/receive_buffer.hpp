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
  // Where out_of_order()[i] stands by when data last arrived in it, 0 being
  // the most recent: RFC 2018 section 4 reports the ranges in that order.
  // The ranks are a permutation of 0..n-1, so they stay bounded like the
  // ranges (and with one range, as SmallParams has, always 0).
  std::uint8_t rank(std::size_t i) const { return ranks_[i]; }

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
        ranks_[kept] = ranks_[i];
        ranges_[kept++] = r;
      }
    }
    count_ = kept;
    for (std::size_t i = 0; i < count_; ++i) ranges_[i].offset -= advance;
    renumber(count_);
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
    ranks_ = {};
  }

  bool operator==(const ReceiveBuffer& other) const {
    if (!(ring_ == other.ring_) || count_ != other.count_) return false;
    for (std::size_t i = 0; i < count_; ++i) {
      if (!(ranges_[i] == other.ranges_[i]) || ranks_[i] != other.ranks_[i]) return false;
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
    std::array<std::uint8_t, MaxRanges> ranks{};
    std::size_t n = 0;
    bool placed = false;
    for (std::size_t i = 0; i < count_; ++i) {
      const Range r = ranges_[i];
      if (r.offset + r.length < lo) {
        ranks[n] = ranks_[i];
        merged[n++] = r;
      } else if (r.offset > hi) {
        if (!placed) {
          if (n == MaxRanges) return false;
          merged[n++] = {lo, hi - lo};
          placed = true;
        }
        if (n == MaxRanges) return false;
        ranks[n] = ranks_[i];
        merged[n++] = r;
      } else {
        lo = std::min(lo, r.offset);
        hi = std::max(hi, r.offset + r.length);
      }
    }
    std::size_t newest = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (merged[i].offset == lo) newest = i;
    }
    if (!placed) {
      if (n == MaxRanges) return false;
      newest = n;
      merged[n++] = {lo, hi - lo};
    }
    // Ranges swallowed by the new one are gone; the new one is the most
    // recent and the others keep their order behind it.
    for (std::size_t i = 0; i < n; ++i) {
      ranks[i] = i == newest ? 0 : static_cast<std::uint8_t>(ranks[i] + 1);
    }
    ranges_ = merged;
    ranks_ = ranks;
    count_ = n;
    renumber(count_);
    return true;
  }

  // Closes the gaps that ranges leaving the list made in the ranks,
  // keeping their order.
  void renumber(std::size_t n) {
    for (std::uint8_t next = 0; next < n; ++next) {
      std::size_t pick = n;
      for (std::size_t i = 0; i < n; ++i) {
        if (ranks_[i] >= next && (pick == n || ranks_[i] < ranks_[pick])) pick = i;
      }
      ranks_[pick] = next;
    }
  }

  ByteRing<Storage> ring_;
  std::array<Range, MaxRanges> ranges_{};
  std::array<std::uint8_t, MaxRanges> ranks_{};
  std::size_t count_ = 0;
};

}  // namespace tcpmc::core
