// The SACK sender's scoreboard of RFC 6675: which octets above SND.UNA
// the receiver reported holding (RFC 2018 section 3), and the three
// functions loss recovery asks of it, IsLost, NextSeg and SetPipe (RFC 6675
// section 4). A pure value over the connection's sequence type, so that its
// rules are tested apart from the engine (sack_scoreboard_test.cpp).
//
// Bounded on purpose: a fixed array of SACKed ranges, sorted and disjoint.
// A peer that reports more islands than fit costs the newest-highest range,
// which only makes the sender believe less was received (it may resend
// octets the receiver has); it never makes it believe more, which would
// lose data.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <tcpmc/core/segment.hpp>
#include <tcpmc/model/seq.hpp>

namespace tcpmc::core {

// RFC 6675 section 2: DupThresh, the duplicate ACKs (or SACKed segments)
// that signal a loss; RFC 5681's value.
inline constexpr std::uint32_t kDupThresh = 3;

template <class SeqT, std::size_t N>
class SackScoreboard {
 public:
  // [left, right) in sequence space.
  struct Range {
    SeqT left;
    SeqT right;
    constexpr bool operator==(const Range&) const = default;
  };

  // An octet range the sender should (re)send: RFC 6675 4.3's answer.
  struct Hole {
    SeqT start;
    std::uint32_t length;  // up to the next SACKed range (or to SND.MAX)
    constexpr bool operator==(const Hole&) const = default;
  };

  static constexpr std::size_t capacity() { return N; }

  constexpr std::size_t size() const { return count_; }
  constexpr bool empty() const { return count_ == 0; }
  constexpr const Range* begin() const { return ranges_.data(); }
  constexpr const Range* end() const { return ranges_.data() + count_; }

  // RFC 6675 section 5.1: after a retransmission timeout the receiver may
  // have reneged (RFC 2018 section 8), so nothing it SACKed is trusted.
  constexpr void clear() { count_ = 0; }

  // SND.UNA moved to `una`: what lies below it is acknowledged, not SACKed.
  constexpr void acknowledged(SeqT una) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < count_; ++i) {
      Range r = ranges_[i];
      if (model::before_or_eq(r.right, una)) continue;
      if (model::before(r.left, una)) r.left = una;
      ranges_[kept++] = r;
    }
    count_ = static_cast<std::uint8_t>(kept);
  }

  // Takes in the blocks of one ACK (RFC 2018 section 4); returns how many
  // octets they newly SACKed. A block is believed only where it lies
  // within [una, max): a block at or below SND.UNA (a D-SACK, RFC 2883) or
  // one reaching above what was sent says nothing about outstanding data.
  constexpr std::uint32_t update(SeqT una, SeqT max, const SackBlocks<SeqT>& blocks) {
    acknowledged(una);
    std::uint32_t newly = 0;
    for (const auto& b : blocks) {
      if (!model::before(b.left, b.right) || model::after(b.right, max) ||
          model::before_or_eq(b.right, una)) {
        continue;
      }
      const SeqT left = model::before(b.left, una) ? una : b.left;
      newly += insert(left, b.right);
    }
    return newly;
  }

  constexpr bool is_sacked(SeqT s) const {
    for (std::size_t i = 0; i < count_; ++i) {
      if (model::after_or_eq(s, ranges_[i].left) && model::before(s, ranges_[i].right)) {
        return true;
      }
    }
    return false;
  }

  // RFC 6675 section 4, IsLost: DupThresh SACKed segments above `s`, or
  // more than (DupThresh - 1) * SMSS SACKed octets above it. Each SACKed
  // range holds at least one segment, so ranges stand in for segments that
  // were SACKed apart; contiguous SACKed segments count by their octets.
  constexpr bool is_lost(SeqT s, std::uint32_t smss) const {
    std::uint32_t octets = 0;
    std::uint32_t islands = 0;
    for (std::size_t i = 0; i < count_; ++i) {
      const Range& r = ranges_[i];
      if (model::before_or_eq(r.right, s)) continue;
      octets += model::distance(model::after(r.left, s) ? r.left : s, r.right);
      ++islands;
    }
    return islands >= kDupThresh || octets > (kDupThresh - 1) * smss;
  }

  // RFC 6675 section 4, SetPipe: the octets in flight between `una` and
  // `max`. An octet not SACKed counts once unless IsLost says it left the
  // network, and once more if it was retransmitted (it lies below
  // `high_rxt`, one past the highest retransmitted octet).
  //
  // IsLost is the same for every octet of one hole (the SACKed octets
  // above it do not change inside it), so the sum runs hole by hole.
  constexpr std::uint32_t pipe(SeqT una, SeqT max, SeqT high_rxt, std::uint32_t smss) const {
    std::uint32_t total = 0;
    SeqT at = una;
    const auto hole = [&](SeqT from, SeqT to) {
      if (!model::before(from, to)) return;
      if (!is_lost(from, smss)) total += model::distance(from, to);
      if (model::after(high_rxt, from)) {
        const SeqT rxt_end = model::before(high_rxt, to) ? high_rxt : to;
        total += model::distance(from, rxt_end);
      }
    };
    for (std::size_t i = 0; i < count_; ++i) {
      hole(at, ranges_[i].left);
      at = ranges_[i].right;
    }
    hole(at, max);
    return total;
  }

  // RFC 6675 4.3 rules (1) and (3): the lowest hole octet S at or after
  // `high_rxt` (not yet retransmitted in this recovery) and below the
  // highest SACKed octet; with `must_be_lost`, IsLost(S) must hold too
  // (rule 1), without it any such hole will do (rule 3).
  constexpr std::optional<Hole> next_hole(SeqT una, SeqT high_rxt, std::uint32_t smss,
                                          bool must_be_lost) const {
    const SeqT floor = model::after(high_rxt, una) ? high_rxt : una;
    SeqT at = una;
    for (std::size_t i = 0; i < count_; ++i) {
      const Range& r = ranges_[i];
      const SeqT from = model::after(floor, at) ? floor : at;
      if (model::before(from, r.left) && (!must_be_lost || is_lost(from, smss))) {
        return Hole{from, model::distance(from, r.left)};
      }
      at = r.right;
    }
    return std::nullopt;
  }

  constexpr bool operator==(const SackScoreboard& o) const {
    return std::equal(begin(), end(), o.begin(), o.end());
  }

 private:
  // Merges [left, right) into the sorted, disjoint ranges; returns the
  // octets that were not SACKed before.
  constexpr std::uint32_t insert(SeqT left, SeqT right) {
    std::array<Range, N + 1> merged{};
    std::size_t n = 0;
    std::uint32_t covered = 0;  // octets of the new block already SACKed
    bool placed = false;
    SeqT lo = left, hi = right;
    for (std::size_t i = 0; i < count_; ++i) {
      const Range r = ranges_[i];
      if (model::before(r.right, lo)) {
        merged[n++] = r;
      } else if (model::after(r.left, hi)) {
        if (!placed) {
          merged[n++] = {lo, hi};
          placed = true;
        }
        merged[n++] = r;
      } else {
        // Overlapping or touching: what of it lies inside the block was
        // known already.
        const SeqT ol = model::after(r.left, left) ? r.left : left;
        const SeqT orr = model::before(r.right, right) ? r.right : right;
        if (model::before(ol, orr)) covered += model::distance(ol, orr);
        if (model::before(r.left, lo)) lo = r.left;
        if (model::after(r.right, hi)) hi = r.right;
      }
    }
    if (!placed) merged[n++] = {lo, hi};
    // Over the bound: forget the highest range (see the file comment).
    count_ = static_cast<std::uint8_t>(std::min(n, N));
    for (std::size_t i = 0; i < count_; ++i) ranges_[i] = merged[i];
    return model::distance(left, right) - covered;
  }

  std::array<Range, N> ranges_{};
  std::uint8_t count_ = 0;
};

}  // namespace tcpmc::core
