// Byte storage for the connection's buffers, as a policy of Params
// (DESIGN.md principle 4). Heap storage is taken when data arrives and given
// back when the buffer empties, so an idle connection holds no buffer
// memory; inline storage lives inside the connection value, so that the
// explorer can copy, compare and hash a connection as plain bytes.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <memory>
#include <tcpmc/core/sanitizers.hpp>
#include <utility>

#ifdef TCPMC_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace tcpmc::core {

// The blocks this thread's buffers of one Capacity gave back, a few of each
// size, for the next buffer that needs one. A bulk transfer drains its
// receive buffer after every batch of segments, and handing each block
// back to malloc made it return the memory to the system (the block sits
// at the top of the heap) and fault it in again page by page for the next
// batch. Keeping the blocks took a third off the receiver's time per byte
// (TUN bulk receive from about 620 MB/s to about 930). The shelf is per
// thread, not per connection, and bounded: at most kPerSize blocks of each
// size HeapStorage allocates, 2 x (4 KiB + 8 KiB + ... + Capacity) bytes
// in all, however many connections there are; an idle connection still
// holds none. Under AddressSanitizer a shelved block is poisoned, so a use
// after release is still reported.
template <std::size_t First, std::size_t Capacity>
class BlockShelf {
 public:
  static constexpr std::size_t kPerSize = 2;
  // The sizes: First, 2 First, 4 First, ..., then Capacity.
  static constexpr std::size_t kSizes = [] {
    std::size_t n = 1;
    for (std::size_t size = First; size < Capacity; size *= 2) ++n;
    return n;
  }();

  BlockShelf() = default;
  BlockShelf(const BlockShelf&) = delete;
  BlockShelf& operator=(const BlockShelf&) = delete;

  static BlockShelf& of_this_thread() {
    thread_local BlockShelf shelf;
    return shelf;
  }

  std::unique_ptr<std::byte[]> take(std::size_t size) {
    Slot& slot = slots_[index(size)];
    if (slot.count == 0) return std::make_unique_for_overwrite<std::byte[]>(size);
    std::unique_ptr<std::byte[]> block = std::move(slot.blocks[--slot.count]);
#ifdef TCPMC_ASAN
    ASAN_UNPOISON_MEMORY_REGION(block.get(), size);
#endif
    return block;
  }

  // Keeps `block` (of `size` bytes) if there is room, else frees it.
  void give(std::unique_ptr<std::byte[]> block, std::size_t size) {
    Slot& slot = slots_[index(size)];
    if (slot.count == kPerSize) return;
#ifdef TCPMC_ASAN
    ASAN_POISON_MEMORY_REGION(block.get(), size);
#endif
    slot.blocks[slot.count++] = std::move(block);
  }

  std::size_t kept() const {
    std::size_t n = 0;
    for (const Slot& slot : slots_) n += slot.count;
    return n;
  }

  ~BlockShelf() {
#ifdef TCPMC_ASAN
    for (std::size_t k = 0; k < kSizes; ++k) {
      for (std::size_t i = 0; i < slots_[k].count; ++i) {
        ASAN_UNPOISON_MEMORY_REGION(slots_[k].blocks[i].get(), size_of(k));
      }
    }
#endif
  }

 private:
  struct Slot {
    std::array<std::unique_ptr<std::byte[]>, kPerSize> blocks;
    std::size_t count = 0;
  };
  static std::size_t index(std::size_t size) {
    if (size >= Capacity) return kSizes - 1;
    return static_cast<std::size_t>(std::countr_zero(size / First));
  }
  static std::size_t size_of(std::size_t index) {
    return index + 1 == kSizes ? Capacity : First << index;
  }

  std::array<Slot, kSizes> slots_;
};

// Grows on demand, from 4 KiB up to Capacity, so that a short exchange
// does not pay for a large buffer; given back entirely when the ring is
// done (to the thread's BlockShelf, which keeps a few blocks for reuse).
template <std::size_t Capacity>
class HeapStorage {
 public:
  static constexpr std::size_t kCapacity = Capacity;
  static constexpr std::size_t kFirstAllocation = std::min<std::size_t>(4096, Capacity);
  // Where this thread's buffers of this Capacity give their blocks back.
  using Shelf = BlockShelf<kFirstAllocation, Capacity>;

  HeapStorage() = default;
  HeapStorage(const HeapStorage& other) { copy_from(other); }
  HeapStorage& operator=(const HeapStorage& other) {
    if (this != &other) copy_from(other);
    return *this;
  }
  HeapStorage(HeapStorage&& other) noexcept
      : bytes_(std::move(other.bytes_)), allocated_(std::exchange(other.allocated_, 0)) {}
  HeapStorage& operator=(HeapStorage&& other) noexcept {
    if (this != &other) {
      release();
      bytes_ = std::move(other.bytes_);
      allocated_ = std::exchange(other.allocated_, 0);
    }
    return *this;
  }
  // Freed, not shelved: a connection may outlive its thread's shelf (one
  // with static storage duration), and a closed connection's buffers are
  // not the churn the shelf is for.
  ~HeapStorage() = default;

  bool held() const { return bytes_ != nullptr; }
  std::size_t allocated() const { return allocated_; }
  // A fresh allocation of at least n bytes (contents undefined). The block
  // held before, if any, goes back to the shelf.
  void allocate(std::size_t n) {
    std::size_t cap = kFirstAllocation;
    while (cap < n && cap < Capacity) cap *= 2;
    cap = std::min(cap, Capacity);
    release();
    bytes_ = Shelf::of_this_thread().take(cap);
    allocated_ = cap;
  }
  void release() {
    if (bytes_) Shelf::of_this_thread().give(std::move(bytes_), allocated_);
    allocated_ = 0;
  }
  std::byte* data() { return bytes_.get(); }
  const std::byte* data() const { return bytes_.get(); }

 private:
  // Copies everything: the ring that owns this decides which bytes matter.
  void copy_from(const HeapStorage& other) {
    release();
    if (!other.bytes_) return;
    bytes_ = Shelf::of_this_thread().take(other.allocated_);
    allocated_ = other.allocated_;
    std::copy_n(other.bytes_.get(), allocated_, bytes_.get());
  }

  std::unique_ptr<std::byte[]> bytes_;
  std::size_t allocated_ = 0;
};

template <std::size_t Capacity>
class InlineStorage {
 public:
  static constexpr std::size_t kCapacity = Capacity;

  constexpr bool held() const { return true; }
  constexpr std::size_t allocated() const { return Capacity; }
  constexpr void allocate(std::size_t) {}
  constexpr void release() {}
  constexpr std::byte* data() { return bytes_.data(); }
  constexpr const std::byte* data() const { return bytes_.data(); }

 private:
  std::array<std::byte, Capacity> bytes_{};
};

}  // namespace tcpmc::core
