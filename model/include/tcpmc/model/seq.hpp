// Sequence numbers modulo 2^Bits (RFC 9293 section 3.4). There is no `<`:
// on a circle "less than" only means something for numbers less than half
// the circle apart, so comparisons are named before/after and are false in
// both directions at exactly half the circle, where the order is undefined.
//
// The named comparisons below are also the vocabulary of rules.hpp, whose
// templates verify/z3 instantiates with bit-vector expressions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace tcpmc::model {

template <unsigned Bits>
class Seq {
  static_assert(Bits >= 2 && Bits <= 32, "a sequence space needs 2 to 32 bits");

 public:
  using Value = std::uint32_t;
  static constexpr unsigned kBits = Bits;
  static constexpr Value kMask = Bits == 32 ? ~Value{0} : (Value{1} << Bits) - 1;
  // Half the circle: the distance at which before/after are undefined.
  static constexpr Value kHalf = Value{1} << (Bits - 1);

  constexpr Seq() = default;
  constexpr explicit Seq(Value v) : value_(v & kMask) {}

  constexpr Value raw() const { return value_; }

  friend constexpr Seq operator+(Seq s, Value n) { return Seq(s.value_ + n); }
  friend constexpr Seq operator-(Seq s, Value n) { return Seq(s.value_ - n); }
  constexpr Seq& operator+=(Value n) { return *this = *this + n; }
  friend constexpr bool operator==(Seq, Seq) = default;

 private:
  Value value_ = 0;
};

// Forward distance from `from` to `to`, in [0, 2^Bits).
template <unsigned Bits>
constexpr std::uint32_t distance(Seq<Bits> from, Seq<Bits> to) {
  return (to.raw() - from.raw()) & Seq<Bits>::kMask;
}

// Signed distance from `from` to `to`, in [-2^(Bits-1), 2^(Bits-1)).
template <unsigned Bits>
constexpr std::int64_t signed_distance(Seq<Bits> from, Seq<Bits> to) {
  const std::uint32_t d = distance(from, to);
  return d < Seq<Bits>::kHalf ? std::int64_t{d}
                              : std::int64_t{d} - (std::int64_t{1} << Bits);
}

// a comes strictly before b: 0 < (b - a) mod 2^Bits < 2^(Bits-1).
template <unsigned Bits>
constexpr bool before(Seq<Bits> a, Seq<Bits> b) {
  const std::uint32_t d = distance(a, b);
  return d != 0 && d < Seq<Bits>::kHalf;
}

template <unsigned Bits>
constexpr bool after(Seq<Bits> a, Seq<Bits> b) {
  return before(b, a);
}

template <unsigned Bits>
constexpr bool before_or_eq(Seq<Bits> a, Seq<Bits> b) {
  return a == b || before(a, b);
}

template <unsigned Bits>
constexpr bool after_or_eq(Seq<Bits> a, Seq<Bits> b) {
  return a == b || after(a, b);
}

using Seq32 = Seq<32>;

}  // namespace tcpmc::model

template <unsigned Bits>
struct std::hash<tcpmc::model::Seq<Bits>> {
  std::size_t operator()(tcpmc::model::Seq<Bits> s) const noexcept {
    return std::hash<std::uint32_t>{}(s.raw());
  }
};
