// TCP options as values: what a segment's options area says once parsed,
// and the bytes emit_options() lays out for it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tcpmc/wire/error.hpp>
#include <tcpmc/wire/expected.hpp>

namespace tcpmc::wire {

// Option kinds this codec understands (IANA "TCP Option Kind Numbers").
enum class OptionKind : std::uint8_t {
  EndOfList = 0,
  Nop = 1,
  Mss = 2,
  WindowScale = 3,
  SackPermitted = 4,
  Sack = 5,
  Timestamps = 8,
};

// The shift a peer announced. RFC 7323 section 2.3 says a shift above 14 is
// used as 14; shift() applies that, raw() keeps what was on the wire so that
// emit(parse(x)) reproduces x byte for byte and parse(emit(r)) == r.
class WindowScale {
 public:
  static constexpr std::uint8_t max_shift = 14;

  constexpr explicit WindowScale(std::uint8_t raw) : raw_(raw) {}
  constexpr std::uint8_t shift() const { return raw_ > max_shift ? max_shift : raw_; }
  constexpr std::uint8_t raw() const { return raw_; }
  constexpr bool operator==(const WindowScale&) const = default;

 private:
  std::uint8_t raw_;
};

// One SACK block (RFC 2018 section 3): left edge, and right edge (the
// sequence number just past the block).
struct SackBlock {
  std::uint32_t left = 0;
  std::uint32_t right = 0;
  constexpr bool operator==(const SackBlock&) const = default;
};

// Up to four SACK blocks stored inline: four is the most a 40-byte options
// area can hold, and the engine must not allocate per segment.
class SackBlocks {
 public:
  static constexpr std::size_t capacity = 4;

  // False, and nothing stored, when already full.
  constexpr bool push_back(SackBlock block) {
    if (count_ == capacity) return false;
    blocks_[count_++] = block;
    return true;
  }
  constexpr void clear() { count_ = 0; }
  constexpr std::size_t size() const { return count_; }
  constexpr bool empty() const { return count_ == 0; }
  constexpr const SackBlock& operator[](std::size_t i) const { return blocks_[i]; }
  constexpr const SackBlock* begin() const { return blocks_.data(); }
  constexpr const SackBlock* end() const { return blocks_.data() + count_; }

  // Only the stored blocks count; what lies beyond size() is not compared.
  friend constexpr bool operator==(const SackBlocks& a, const SackBlocks& b) {
    if (a.count_ != b.count_) return false;
    for (std::size_t i = 0; i < a.count_; ++i) {
      if (!(a.blocks_[i] == b.blocks_[i])) return false;
    }
    return true;
  }

 private:
  std::array<SackBlock, capacity> blocks_{};
  std::uint8_t count_ = 0;
};

// RFC 7323 section 3.2.
struct Timestamps {
  std::uint32_t tsval = 0;
  std::uint32_t tsecr = 0;
  constexpr bool operator==(const Timestamps&) const = default;
};

// Unknown kinds are skipped by their length and not kept; an option that
// appears twice keeps its last value, as Linux does.
struct TcpOptions {
  // Never 0 after parse: an MSS of 0 is read as absent (as Linux does), so
  // the engine falls back to the default of RFC 9293 section 3.7.1 instead
  // of dividing by it.
  std::optional<std::uint16_t> mss;
  std::optional<WindowScale> window_scale;
  bool sack_permitted = false;
  SackBlocks sack;
  std::optional<Timestamps> timestamps;

  constexpr bool operator==(const TcpOptions&) const = default;

  // Bytes emit_options() writes, a multiple of 4. Above 40 (the most a TCP
  // header holds) emit_options() refuses.
  std::size_t wire_size() const;
};

// `area` is the options area of a header (bytes 20 to data offset * 4), or
// any byte string when fuzzing; parsing stops at End of Option List.
Expected<TcpOptions, WireError> parse_options(std::span<const std::byte> area);

// Lays the options out as Linux does (MSS; timestamps, sharing their word
// with SACK-permitted when both are on; SACK-permitted alone after two NOPs;
// NOP + window scale; two NOPs + SACK), padding with NOPs to 32-bit words.
// Options Linux never sends together can overflow 40 bytes in that layout;
// then they are packed without NOPs and the area closed with End of Option
// List and zero padding, so any set parse_options() can return from a
// 40-byte area can be written back. Returns the bytes written,
// options.wire_size().
Expected<std::size_t, WireError> emit_options(const TcpOptions& options, std::span<std::byte> out);

}  // namespace tcpmc::wire
