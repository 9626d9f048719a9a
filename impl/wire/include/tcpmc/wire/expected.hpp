// A value or the reason there is none, until the project moves to C++23's
// std::expected. It lives in namespace tcpmc, not tcpmc::wire, because the
// engine returns it too. Deliberately small: no exceptions (value() on an
// error aborts, since asking for a value that is not there is a bug in the
// caller, not bad input), no heap, usable in constexpr code.
#pragma once

#include <cstdlib>
#include <memory>
#include <type_traits>
#include <utility>

namespace tcpmc {

// Wraps an error so that Expected<E, E> and implicit conversions stay
// unambiguous: `return unexpected(WireError::X);`.
template <class E>
struct Unexpected {
  E error;
};

template <class E>
constexpr Unexpected<std::decay_t<E>> unexpected(E&& error) {
  return {std::forward<E>(error)};
}

template <class T, class E>
class Expected {
  static_assert(!std::is_reference_v<T> && !std::is_reference_v<E>);
  static constexpr bool trivial =
      std::is_trivially_copyable_v<T> && std::is_trivially_copyable_v<E> &&
      std::is_trivially_destructible_v<T> && std::is_trivially_destructible_v<E>;

 public:
  using value_type = T;
  using error_type = E;

  constexpr Expected(const T& value)
      : value_(value), has_value_(true) {}  // NOLINT: implicit by design
  constexpr Expected(T&& value) : value_(std::move(value)), has_value_(true) {}  // NOLINT
  template <class G>
  requires std::is_constructible_v<E, const G&>
  constexpr Expected(const Unexpected<G>& u) : error_(u.error), has_value_(false) {}  // NOLINT

  constexpr Expected(const Expected&) requires trivial = default;
  constexpr Expected(const Expected& other) : has_value_(other.has_value_) {
    if (has_value_) {
      std::construct_at(&value_, other.value_);
    } else {
      std::construct_at(&error_, other.error_);
    }
  }
  constexpr Expected(Expected&&) noexcept requires trivial = default;
  constexpr Expected(Expected&& other) noexcept : has_value_(other.has_value_) {
    if (has_value_) {
      std::construct_at(&value_, std::move(other.value_));
    } else {
      std::construct_at(&error_, std::move(other.error_));
    }
  }
  constexpr Expected& operator=(const Expected&) requires trivial = default;
  constexpr Expected& operator=(const Expected& other) {
    if (this != &other) {
      destroy();
      has_value_ = other.has_value_;
      if (has_value_) {
        std::construct_at(&value_, other.value_);
      } else {
        std::construct_at(&error_, other.error_);
      }
    }
    return *this;
  }
  constexpr Expected& operator=(Expected&&) noexcept requires trivial = default;
  constexpr Expected& operator=(Expected&& other) noexcept {
    if (this != &other) {
      destroy();
      has_value_ = other.has_value_;
      if (has_value_) {
        std::construct_at(&value_, std::move(other.value_));
      } else {
        std::construct_at(&error_, std::move(other.error_));
      }
    }
    return *this;
  }
  constexpr ~Expected() requires trivial = default;
  constexpr ~Expected() { destroy(); }

  constexpr bool has_value() const { return has_value_; }
  constexpr explicit operator bool() const { return has_value_; }

  // Checked access: asking for the value of an error is a bug in the caller.
  constexpr T& value() & {
    if (!has_value_) std::abort();
    return value_;
  }
  constexpr const T& value() const& {
    if (!has_value_) std::abort();
    return value_;
  }
  constexpr const E& error() const {
    if (has_value_) std::abort();
    return error_;
  }
  constexpr T value_or(T fallback) const { return has_value_ ? value_ : fallback; }

  // Unchecked access, for code that has just tested has_value().
  constexpr T& operator*() & { return value_; }
  constexpr const T& operator*() const& { return value_; }
  constexpr T* operator->() { return &value_; }
  constexpr const T* operator->() const { return &value_; }

  friend constexpr bool operator==(const Expected& a, const Expected& b) {
    if (a.has_value_ != b.has_value_) return false;
    return a.has_value_ ? a.value_ == b.value_ : a.error_ == b.error_;
  }
  friend constexpr bool operator==(const Expected& a, const T& v) {
    return a.has_value_ && a.value_ == v;
  }
  template <class G>
  friend constexpr bool operator==(const Expected& a, const Unexpected<G>& u) {
    return !a.has_value_ && a.error_ == u.error;
  }

 private:
  constexpr void destroy() {
    if constexpr (!trivial) {
      if (has_value_) {
        std::destroy_at(&value_);
      } else {
        std::destroy_at(&error_);
      }
    }
  }

  union {
    T value_;
    E error_;
  };
  bool has_value_;
};

}  // namespace tcpmc
