// A ring of bytes over a storage policy (storage.hpp): the send queue and
// the receive buffer are built on it. Equality and hashing look only at the
// bytes the ring holds, never at the free space, so that two connections
// in the same protocol state compare equal.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace tcpmc::core {

template <class Storage>
class ByteRing {
 public:
  static constexpr std::size_t kCapacity = Storage::kCapacity;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t free() const { return kCapacity - size_; }
  static constexpr std::size_t capacity() { return kCapacity; }
  bool holds_memory() const { return storage_.held(); }

  // Appends as much of `bytes` as fits; returns how much that was.
  std::size_t push(std::span<const std::byte> bytes) {
    const std::size_t n = std::min(bytes.size(), free());
    if (n == 0) return 0;
    reserve(size_ + n);
    write_at(size_, bytes.first(n));
    size_ += n;
    return n;
  }

  // Writes into the free space, `offset` bytes past the end, without
  // growing the ring (the receive buffer's out-of-order data).
  void write_beyond(std::size_t offset, std::span<const std::byte> bytes) {
    reserve(size_ + offset + bytes.size());
    write_at(size_ + offset, bytes);
  }

  // Takes `n` bytes that write_beyond put right after the end into the ring.
  void extend(std::size_t n) { size_ += n; }

  // Copies bytes [offset, offset + out.size()) of the ring into `out`.
  void copy_out(std::size_t offset, std::span<std::byte> out) const {
    if (out.empty()) return;
    const std::byte* base = storage_.data();
    const std::size_t cap = storage_.allocated();
    std::size_t pos = (head_ + offset) % cap;
    std::size_t done = 0;
    while (done < out.size()) {
      const std::size_t chunk = std::min(out.size() - done, cap - pos);
      std::copy_n(base + pos, chunk, out.data() + done);
      done += chunk;
      pos = 0;
    }
  }

  // Drops the first `n` bytes; the storage goes back when the ring empties,
  // unless out-of-order bytes wait beyond the end (keep_storage).
  void pop(std::size_t n, bool keep_storage = false) {
    n = std::min(n, size_);
    if (n == 0) return;
    head_ = (head_ + n) % storage_.allocated();
    size_ -= n;
    // Empty and nothing waiting beyond the end: give the memory back. (The
    // head stays where it is otherwise: bytes beyond the end are placed
    // relative to it.)
    if (size_ == 0 && !keep_storage) {
      head_ = 0;
      storage_.release();
    }
  }

  // Keeps the first `keep` bytes and forgets the rest.
  void truncate(std::size_t keep) {
    if (keep >= size_) return;
    size_ = keep;
    if (size_ == 0) clear();
  }

  // Forgets everything and gives the memory back.
  void clear() {
    head_ = size_ = 0;
    storage_.release();
  }

  bool operator==(const ByteRing& other) const {
    if (size_ != other.size_) return false;
    for (std::size_t i = 0; i < size_; ++i) {
      if (at(i) != other.at(i)) return false;
    }
    return true;
  }

  // Byte i of the ring (i < size(), or in the free space beyond it).
  std::byte at(std::size_t i) const {
    return storage_.data()[(head_ + i) % storage_.allocated()];
  }

  std::size_t hash() const {
    std::size_t h = size_;
    for (std::size_t i = 0; i < size_; ++i) {
      h = h * 131 + static_cast<std::size_t>(at(i));
    }
    return h;
  }

 private:
  // Makes offsets [0, end) from the head addressable, growing the storage
  // (and laying the bytes out from the start again) if needed.
  void reserve(std::size_t end) {
    const std::size_t cap = storage_.allocated();
    if (end <= cap && storage_.held()) return;
    Storage grown;
    grown.allocate(end);
    if (cap != 0) {
      std::copy_n(storage_.data() + head_, cap - head_, grown.data());
      std::copy_n(storage_.data(), head_, grown.data() + (cap - head_));
    }
    storage_ = std::move(grown);
    head_ = 0;
  }

  void write_at(std::size_t offset, std::span<const std::byte> bytes) {
    if (bytes.empty()) return;
    std::byte* base = storage_.data();
    const std::size_t cap = storage_.allocated();
    std::size_t pos = (head_ + offset) % cap;
    std::size_t done = 0;
    while (done < bytes.size()) {
      const std::size_t chunk = std::min(bytes.size() - done, cap - pos);
      std::copy_n(bytes.data() + done, chunk, base + pos);
      done += chunk;
      pos = 0;
    }
  }

  Storage storage_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace tcpmc::core
