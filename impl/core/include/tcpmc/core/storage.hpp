// Byte storage for the connection's buffers, as a policy of Params
// (DESIGN.md principle 4). Heap storage is taken when data arrives and given
// back when the buffer empties, so an idle connection holds no buffer
// memory; inline storage lives inside the connection value, so that the
// explorer can copy, compare and hash a connection as plain bytes.
#pragma once

#include <array>
#include <cstddef>
#include <memory>

namespace tcpmc::core {

template <std::size_t Capacity>
class HeapStorage {
 public:
  static constexpr std::size_t kCapacity = Capacity;

  HeapStorage() = default;
  HeapStorage(const HeapStorage& other) { copy_from(other); }
  HeapStorage& operator=(const HeapStorage& other) {
    if (this != &other) copy_from(other);
    return *this;
  }
  HeapStorage(HeapStorage&&) noexcept = default;
  HeapStorage& operator=(HeapStorage&&) noexcept = default;
  ~HeapStorage() = default;

  bool held() const { return bytes_ != nullptr; }
  void acquire() {
    if (!bytes_) bytes_ = std::make_unique_for_overwrite<std::byte[]>(Capacity);
  }
  void release() { bytes_.reset(); }
  std::byte* data() { return bytes_.get(); }
  const std::byte* data() const { return bytes_.get(); }

 private:
  // Copies everything: the ring that owns this decides which bytes matter.
  void copy_from(const HeapStorage& other) {
    if (!other.bytes_) {
      bytes_.reset();
      return;
    }
    acquire();
    std::copy_n(other.bytes_.get(), Capacity, bytes_.get());
  }

  std::unique_ptr<std::byte[]> bytes_;
};

template <std::size_t Capacity>
class InlineStorage {
 public:
  static constexpr std::size_t kCapacity = Capacity;

  constexpr bool held() const { return true; }
  constexpr void acquire() {}
  constexpr void release() {}
  constexpr std::byte* data() { return bytes_.data(); }
  constexpr const std::byte* data() const { return bytes_.data(); }

 private:
  std::array<std::byte, Capacity> bytes_{};
};

}  // namespace tcpmc::core
