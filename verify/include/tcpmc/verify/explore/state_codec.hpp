// The states waiting in a breadth-first level, kept compact. A full state
// is close to a kilobyte (two connections with inline buffers), but most of
// its bytes are those of the initial state: the encoding keeps only the
// bytes that differ from it. A level of millions of states then fits in
// memory, where raw copies would not.
//
// The encoding is the search's hottest loop after the engine itself (a
// quarter of a search's time went into a byte-at-a-time comparison), so it
// compares eight bytes at once and only looks at single bytes inside the
// few words that differ.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace tcpmc::verify::explore {

// Encodes values of T as differences from a base value of T. T must be
// trivially copyable: a value is its bytes (DESIGN.md principle 4: a
// connection owns everything it holds and points at nothing).
//
// Layout of one encoding: a bitmap with one bit per 8-byte word of T (set:
// the word differs from the base's), then, for each such word in order, a
// byte whose bits say which of its 8 bytes differ, followed by those bytes.
// A state that differs from the base in d bytes spread over w words costs
// ceil(words / 8) + w + d bytes.
//
// Padding. The bytes of T that belong to no member are copied like any
// other byte: decoding is exact, and nothing is judged on them (a state's
// identity is its fingerprint, which hashes member values), so the cost is
// an encoding a few bytes longer where two equal states differ in padding,
// and valgrind's reports of reads of indeterminate bytes. The codec once
// zeroed padding with g++'s __builtin_clear_padding, but g++ 12 zeroes
// member bytes with it: in System, the first four bytes of net[3] (a
// fourth segment's direction, flags, seq and ack), which a search with
// more than three segments in flight would have stored changed. A codec
// that changes states silently is worse than any report.
// explore_reduction_test.cpp round-trips a state with every slot full.
template <class T>
class StateCodec {
  static_assert(std::is_trivially_copyable_v<T>,
                "explorer states are stored as bytes and must be trivially copyable");

 public:
  static constexpr std::size_t kWords = (sizeof(T) + 7) / 8;
  static constexpr std::size_t kBitmapBytes = (kWords + 7) / 8;
  // The longest encoding: every byte differs.
  static constexpr std::size_t kMaxEncodedBytes = kBitmapBytes + kWords + kWords * 8;

  explicit StateCodec(const T& base) { load(base, base_); }

  // Writes the encoding of `v` at `out`, which must have room for
  // kMaxEncodedBytes; returns the bytes written.
  std::size_t encode(const T& v, std::uint8_t* out) const {
    Words x;
    load(v, x);
    std::uint8_t* const bitmap = out;
    std::memset(bitmap, 0, kBitmapBytes);
    std::uint8_t* p = bitmap + kBitmapBytes;
    for (std::size_t w = 0; w < kWords; ++w) {
      if (x.word[w] == base_.word[w]) continue;
      bitmap[w / 8] = static_cast<std::uint8_t>(bitmap[w / 8] | 1U << (w % 8));
      std::uint8_t* const mask = p++;
      *mask = 0;
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(&x.word[w]);
      const auto* base_bytes = reinterpret_cast<const std::uint8_t*>(&base_.word[w]);
      for (unsigned k = 0; k < 8; ++k) {
        if (bytes[k] != base_bytes[k]) {
          *mask = static_cast<std::uint8_t>(*mask | 1U << k);
          *p++ = bytes[k];
        }
      }
    }
    return static_cast<std::size_t>(p - out);
  }

  // Appends the encoding of `v` to `out` (for stores that keep encodings
  // in a vector: the liveness graph, liveness.hpp).
  void encode(const T& v, std::vector<std::uint8_t>& out) const {
    const std::size_t start = out.size();
    out.resize(start + kMaxEncodedBytes);
    out.resize(start + encode(v, out.data() + start));
  }

  // Decodes the value encoded at `in` into `v`; returns the bytes read.
  std::size_t decode(const std::uint8_t* in, T& v) const {
    Words x = base_;
    const std::uint8_t* p = in + kBitmapBytes;
    for (std::size_t i = 0; i < kBitmapBytes; ++i) {
      for (unsigned bits = in[i]; bits != 0; bits &= bits - 1) {
        const std::size_t w = i * 8 + static_cast<std::size_t>(std::countr_zero(bits));
        auto* bytes = reinterpret_cast<std::uint8_t*>(&x.word[w]);
        for (unsigned mask = *p++; mask != 0; mask &= mask - 1) {
          bytes[std::countr_zero(mask)] = *p++;
        }
      }
    }
    std::memcpy(&v, x.word, sizeof(T));
    return static_cast<std::size_t>(p - in);
  }

 private:
  // T's bytes as whole words; the tail past sizeof(T) stays zero in every
  // value, so it never differs from the base.
  struct Words {
    std::uint64_t word[kWords];
  };

  static void load(const T& v, Words& x) {
    x.word[kWords - 1] = 0;
    std::memcpy(x.word, &v, sizeof(T));
  }

  Words base_;
};

}  // namespace tcpmc::verify::explore
