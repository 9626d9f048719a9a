// The states waiting in a breadth-first level, kept compact. A full state
// is close to a kilobyte (two connections with inline buffers), but most of
// its bytes are those of the initial state: the encoding keeps only the
// runs of bytes that differ from it. A level of millions of states then
// fits in memory, where raw copies would not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace tcpmc::verify::explore {

// Encodes values of T as differences from a base value of T. T must be
// trivially copyable: a value is its bytes (DESIGN.md principle 4: a
// connection owns everything it holds and points at nothing).
template <class T>
class StateCodec {
  static_assert(std::is_trivially_copyable_v<T>,
                "explorer states are stored as bytes and must be trivially copyable");

 public:
  explicit StateCodec(const T& base) { std::memcpy(base_, &base, sizeof(T)); }

  // Appends the encoding of `v` to `out`: pairs of counts (bytes equal to
  // the base, bytes that differ), each at most 255, each followed by the
  // differing bytes, until all sizeof(T) bytes are covered.
  void encode(const T& v, std::vector<std::uint8_t>& out) const {
    unsigned char x[sizeof(T)];
    std::memcpy(x, &v, sizeof(T));
    std::size_t i = 0;
    while (i < sizeof(T)) {
      std::size_t same = 0;
      while (i + same < sizeof(T) && same < 255 && x[i + same] == base_[i + same]) ++same;
      i += same;
      std::size_t differ = 0;
      // A literal run absorbs short equal gaps: a new pair costs two bytes.
      while (i + differ < sizeof(T) && differ < 255 && !equal_run(x, i + differ)) ++differ;
      out.push_back(static_cast<std::uint8_t>(same));
      out.push_back(static_cast<std::uint8_t>(differ));
      out.insert(out.end(), x + i, x + i + differ);
      i += differ;
    }
  }

  // Decodes the value encoded at `in` into `v`; returns the bytes read.
  std::size_t decode(const std::uint8_t* in, T& v) const {
    unsigned char x[sizeof(T)];
    std::memcpy(x, base_, sizeof(T));
    std::size_t i = 0;
    const std::uint8_t* p = in;
    while (i < sizeof(T)) {
      i += p[0];
      const std::size_t differ = p[1];
      std::memcpy(x + i, p + 2, differ);
      i += differ;
      p += 2 + differ;
    }
    std::memcpy(&v, x, sizeof(T));
    return static_cast<std::size_t>(p - in);
  }

 private:
  // Three bytes equal to the base from `at` on (or the end): worth a pair.
  bool equal_run(const unsigned char* x, std::size_t at) const {
    for (std::size_t k = at; k < at + 3; ++k) {
      if (k >= sizeof(T)) return true;
      if (x[k] != base_[k]) return false;
    }
    return true;
  }

  unsigned char base_[sizeof(T)];
};

}  // namespace tcpmc::verify::explore
