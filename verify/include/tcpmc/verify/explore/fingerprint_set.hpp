// The explorer's store of visited states: 64-bit fingerprints (hash
// compaction), one per state, in open-addressed tables. A state costs its
// slot and no more, which is what keeps a stored state under 64 bytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace tcpmc::verify::explore {

// A set of 64-bit fingerprints, open addressing with linear probing, kept
// at most half full so that a miss ends after a couple of probes.
class FingerprintSet {
 public:
  // `slots` must be a power of two.
  explicit FingerprintSet(std::size_t slots = std::size_t{1} << 16) : slots_(slots, 0) {}

  // True if `fp` was not in the set (and is now).
  bool insert(std::uint64_t fp) {
    if (fp == 0) fp = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 2 > slots_.size()) grow();
    return place(slots_, fp);
  }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return slots_.size() * sizeof(std::uint64_t); }
  // The slots, a power of two of them (they move when the set grows).
  const std::uint64_t* slots() const { return slots_.data(); }
  std::size_t slot_count() const { return slots_.size(); }

 private:
  bool place(std::vector<std::uint64_t>& slots, std::uint64_t fp) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(fp) & mask;; i = (i + 1) & mask) {
      if (slots[i] == fp) return false;
      if (slots[i] == 0) {
        slots[i] = fp;
        ++size_;
        return true;
      }
    }
  }
  void grow() {
    std::vector<std::uint64_t> bigger(slots_.size() * 2, 0);
    size_ = 0;
    for (std::uint64_t fp : slots_) {
      if (fp != 0) place(bigger, fp);
    }
    slots_.swap(bigger);
  }

  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

// The same set shared by the threads of a parallel search: 64 shards chosen
// by the fingerprint's top bits (the slot within a shard comes from its low
// bits, so the two choices are independent), each behind its own spin lock.
// With a handful of threads two rarely want the same shard at once, and a
// shard grows under its own lock without stopping the others.
class ShardedFingerprintSet {
 public:
  static constexpr unsigned kShardBits = 6;
  static constexpr std::size_t kShards = std::size_t{1} << kShardBits;

  ShardedFingerprintSet() : shards_(std::make_unique<Shard[]>(kShards)) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < kShards; ++i) {
      n += shards_[i].set.bytes();
      shards_[i].note_slots();
    }
    bytes_.store(n, std::memory_order_relaxed);
  }

  // A hint that `fp` will be inserted soon: starts fetching its shard's
  // lock and the slot where it would go, so that a caller with several
  // fingerprints in hand waits for memory once rather than once each. The
  // slot's address is read without the lock and may be stale (the shard
  // grew meanwhile); a stale hint costs a useless fetch, never a wrong
  // answer, since only insert() reads the slots.
  void prefetch(std::uint64_t fp) const {
    const Shard& s = shards_[shard_of(fp)];
    __builtin_prefetch(&s.lock, 1);
    const std::uintptr_t slots = s.slots.load(std::memory_order_relaxed);
    const std::uintptr_t mask = s.mask.load(std::memory_order_relaxed);
    // As an integer: a stale mask may point past a stale array, which a
    // pointer must not, and a prefetch does not fault.
    __builtin_prefetch(reinterpret_cast<const void*>(
        slots + (static_cast<std::uintptr_t>(fp) & mask) * sizeof(std::uint64_t)));
  }

  bool insert(std::uint64_t fp) {
    Shard& s = shards_[shard_of(fp)];
    // The machine may have fewer cores than threads: a waiter yields rather
    // than spin against a holder that is not running.
    while (s.lock.test_and_set(std::memory_order_acquire)) {
      while (s.lock.test(std::memory_order_relaxed)) std::this_thread::yield();
    }
    const std::size_t before = s.set.bytes();
    const bool fresh = s.set.insert(fp);
    const std::size_t after = s.set.bytes();
    if (after != before) s.note_slots();
    s.lock.clear(std::memory_order_release);
    if (after != before) bytes_.fetch_add(after - before, std::memory_order_relaxed);
    return fresh;
  }

  // Only while no thread inserts.
  std::size_t size() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < kShards; ++i) n += shards_[i].set.size();
    return n;
  }
  // Safe at any time: progress reports read it while the threads insert.
  std::size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  // A shard to a cache line of its own, so that two threads locking
  // neighbouring shards do not contend for the same line.
  struct alignas(64) Shard {
    std::atomic_flag lock;
    FingerprintSet set{std::size_t{1} << 10};
    // The set's slots and their index mask, for prefetch(): written under
    // the lock when the set grows, read without it.
    std::atomic<std::uintptr_t> slots{0};
    std::atomic<std::uintptr_t> mask{0};
    void note_slots() {
      slots.store(reinterpret_cast<std::uintptr_t>(set.slots()), std::memory_order_relaxed);
      mask.store(set.slot_count() - 1, std::memory_order_relaxed);
    }
  };
  static std::size_t shard_of(std::uint64_t fp) {
    return static_cast<std::size_t>(fp >> (64 - kShardBits));
  }
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> bytes_{0};
};

}  // namespace tcpmc::verify::explore
