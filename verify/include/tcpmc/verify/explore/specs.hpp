// The specifications the explorer is instantiated with: the RFC's table
// (model::kRfc9293) and one constant per variant of model::kVariants.
//
// A search is a template over `const model::Spec&`, so two equal Specs held
// in two different constants are two instantiations, each compiled again.
// Everything that searches a variant (the catalog, `tcpmc explore`, the
// tests) names it through here, so that each search is compiled once, in
// explore/instances.hpp's library.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <utility>

namespace tcpmc::verify::explore {

// "no TIME-WAIT" -> "no-time-wait": a Spec's name as `--variant` takes it.
inline std::string variant_slug(std::string_view name) {
  std::string s;
  for (const char c : name) {
    s += c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

// The variant at index I of model::kVariants, applied to the RFC's table.
template <std::size_t I>
inline constexpr model::Spec kVariantSpec = model::kVariants[I](model::rfc9293());

namespace detail {
template <std::size_t... I>
consteval std::size_t variant_named(std::string_view name, std::index_sequence<I...>) {
  std::size_t found = sizeof...(I);
  ((kVariantSpec<I>.name() == name ? (found = I) : 0), ...);
  if (found == sizeof...(I)) throw "no variant of that name in model::kVariants";
  return found;
}
}  // namespace detail

// Where the variant called `name` sits in model::kVariants; a name not
// there is a compile-time error. (By name: GCC does not compare pointers to
// functions in a constant expression.)
consteval std::size_t variant_named(std::string_view name) {
  return detail::variant_named(name, std::make_index_sequence<model::kVariants.size()>{});
}

// The variants by name, for the catalog and the tests. Functions, because a
// reference variable cannot be a template argument (GCC); each returns the
// very constant kVariantSpec<I>, so search<specs::fixed_isn()> and
// search<kVariantSpec<I>> are one instantiation.
namespace specs {
consteval const model::Spec& two_way_handshake() {
  return kVariantSpec<variant_named("two-way handshake")>;
}
consteval const model::Spec& fixed_isn() { return kVariantSpec<variant_named("fixed ISN")>; }
consteval const model::Spec& no_time_wait() { return kVariantSpec<variant_named("no TIME-WAIT")>; }
consteval const model::Spec& short_time_wait() {
  return kVariantSpec<variant_named("short TIME-WAIT")>;
}
consteval const model::Spec& predictable_isn() {
  return kVariantSpec<variant_named("predictable ISN")>;
}
consteval const model::Spec& data_on_syn() { return kVariantSpec<variant_named("data on SYN")>; }
consteval const model::Spec& three_way_close() {
  return kVariantSpec<variant_named("three-way close")>;
}
consteval const model::Spec& time_wait_yields_to_rst() {
  return kVariantSpec<variant_named("TIME-WAIT yields to RST")>;
}
consteval const model::Spec& rst_in_window_resets() {
  return kVariantSpec<variant_named("RST in window resets")>;
}
}  // namespace specs

}  // namespace tcpmc::verify::explore
