// Byte storage for the connection's buffers, as a policy of Params
// (DESIGN.md principle 4). Heap storage is taken when data arrives and given
// back when the buffer empties, so an idle connection holds no buffer
// memory; inline storage lives inside the connection value, so that the
// explorer can copy, compare and hash a connection as plain bytes.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <utility>

namespace tcpmc::core {

// Grows on demand, from 4 KiB up to Capacity, so that a short exchange
// does not pay for a large buffer; released entirely when the ring is done.
template <std::size_t Capacity>
class HeapStorage {
 public:
  static constexpr std::size_t kCapacity = Capacity;
  static constexpr std::size_t kFirstAllocation = std::min<std::size_t>(4096, Capacity);

  HeapStorage() = default;
  HeapStorage(const HeapStorage& other) { copy_from(other); }
  HeapStorage& operator=(const HeapStorage& other) {
    if (this != &other) copy_from(other);
    return *this;
  }
  HeapStorage(HeapStorage&& other) noexcept
      : bytes_(std::move(other.bytes_)), allocated_(std::exchange(other.allocated_, 0)) {}
  HeapStorage& operator=(HeapStorage&& other) noexcept {
    bytes_ = std::move(other.bytes_);
    allocated_ = std::exchange(other.allocated_, 0);
    return *this;
  }
  ~HeapStorage() = default;

  bool held() const { return bytes_ != nullptr; }
  std::size_t allocated() const { return allocated_; }
  // A fresh allocation of at least n bytes (contents undefined).
  void allocate(std::size_t n) {
    std::size_t cap = kFirstAllocation;
    while (cap < n && cap < Capacity) cap *= 2;
    cap = std::min(cap, Capacity);
    bytes_ = std::make_unique_for_overwrite<std::byte[]>(cap);
    allocated_ = cap;
  }
  void release() {
    bytes_.reset();
    allocated_ = 0;
  }
  std::byte* data() { return bytes_.get(); }
  const std::byte* data() const { return bytes_.get(); }

 private:
  // Copies everything: the ring that owns this decides which bytes matter.
  void copy_from(const HeapStorage& other) {
    if (!other.bytes_) {
      release();
      return;
    }
    bytes_ = std::make_unique_for_overwrite<std::byte[]>(other.allocated_);
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
