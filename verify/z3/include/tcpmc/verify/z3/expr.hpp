// Bit-vector stand-ins for the value types of model/rules.hpp and of the
// SYN-cookie layout in core/syn_cookie.hpp, so that Z3 reasons about the
// engine's own templates rather than about a copy of them (DESIGN.md,
// principle 5).
//
// Each type carries a z3::expr and supplies the named operations those
// templates call (before, after, is_zero, shift_right, ...), found by
// argument-dependent lookup in this namespace. Every ordering is built from
// z3::ult / z3::ule: z3++'s own `<`, `<=`, `/` and `%` on bit-vectors are
// the SIGNED operations, and a sequence-space proof written with them
// would be a proof about a different, wrong rule (the tests show Z3
// refuting exactly that rule). Boolean results are plain z3::expr of sort
// Bool, so the templates' &&, || and ! are z3++'s logical connectives.
//
// Nothing is added to namespace z3.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <utility>

namespace tcpmc::verify::z3 {

// 2^(width-1) at the width of `e`: half the sequence circle.
inline ::z3::expr half_circle(const ::z3::expr& e) {
  const unsigned bits = e.get_sort().bv_size();
  return e.ctx().bv_val(std::uint64_t{1} << (bits - 1), bits);
}

// A numeral of the width of `e`.
inline ::z3::expr same_width(const ::z3::expr& e, std::uint64_t v) {
  return e.ctx().bv_val(v, e.get_sort().bv_size());
}

// A sequence number: a bit-vector read modulo 2^width (RFC 9293 3.4).
class SeqExpr {
 public:
  explicit SeqExpr(::z3::expr e) : e_(std::move(e)) {}
  const ::z3::expr& expr() const { return e_; }

 private:
  ::z3::expr e_;
};

// A length or window: an unsigned bit-vector of the same width.
class LenExpr {
 public:
  explicit LenExpr(::z3::expr e) : e_(std::move(e)) {}
  const ::z3::expr& expr() const { return e_; }

 private:
  ::z3::expr e_;
};

// Addition and subtraction wrap, as they do for Seq<Bits>: bvadd and bvsub
// do not depend on signedness.
inline SeqExpr operator+(const SeqExpr& s, const LenExpr& n) { return SeqExpr(s.expr() + n.expr()); }
inline SeqExpr operator-(const SeqExpr& s, const LenExpr& n) { return SeqExpr(s.expr() - n.expr()); }
inline SeqExpr operator+(const SeqExpr& s, std::uint32_t n) {
  return SeqExpr(s.expr() + same_width(s.expr(), n));
}
inline SeqExpr operator-(const SeqExpr& s, std::uint32_t n) {
  return SeqExpr(s.expr() - same_width(s.expr(), n));
}
inline ::z3::expr operator==(const SeqExpr& a, const SeqExpr& b) { return a.expr() == b.expr(); }

// a comes strictly before b: 0 < (b - a) mod 2^w < 2^(w-1), the same
// definition as model/seq.hpp, with the unsigned bit-vector less-than.
inline ::z3::expr before(const SeqExpr& a, const SeqExpr& b) {
  const ::z3::expr d = b.expr() - a.expr();
  return d != same_width(d, 0) && ::z3::ult(d, half_circle(d));
}
inline ::z3::expr after(const SeqExpr& a, const SeqExpr& b) { return before(b, a); }
inline ::z3::expr before_or_eq(const SeqExpr& a, const SeqExpr& b) { return a == b || before(a, b); }
inline ::z3::expr after_or_eq(const SeqExpr& a, const SeqExpr& b) { return a == b || after(a, b); }

inline ::z3::expr is_zero(const LenExpr& n) { return n.expr() == same_width(n.expr(), 0); }

// A machine word for the SYN-cookie layout: shifts are logical, the
// comparison unsigned, as for std::uint32_t.
class Word {
 public:
  explicit Word(::z3::expr e) : e_(std::move(e)) {}
  const ::z3::expr& expr() const { return e_; }

 private:
  ::z3::expr e_;
};

inline Word operator&(const Word& a, std::uint32_t m) { return Word(a.expr() & same_width(a.expr(), m)); }
inline Word operator|(const Word& a, const Word& b) { return Word(a.expr() | b.expr()); }
inline Word operator-(const Word& a, const Word& b) { return Word(a.expr() - b.expr()); }
inline ::z3::expr operator==(const Word& a, const Word& b) { return a.expr() == b.expr(); }
inline Word shift_left(const Word& a, unsigned n) { return Word(::z3::shl(a.expr(), same_width(a.expr(), n))); }
inline Word shift_right(const Word& a, unsigned n) {
  return Word(::z3::lshr(a.expr(), same_width(a.expr(), n)));
}
inline ::z3::expr unsigned_greater(const Word& a, std::uint32_t b) {
  return ::z3::ugt(a.expr(), same_width(a.expr(), b));
}

}  // namespace tcpmc::verify::z3
