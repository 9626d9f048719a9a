// The searches of both levels for every Spec of explore/specs.hpp, and the
// impl level's counterexample replay (explore/replay.hpp), compiled once in
// the library tcpmc::verify_instances (verify/src/instance.cpp.in) and
// declared here `extern`, so that a file which runs them does not compile
// them again. Each is thousands of lines once instantiated; before this,
// `tcpmc` and the tests compiled the same searches in seven files, in each
// of CI's three builds.
//
// Include this (the catalog does) and link tcpmc::verify_instances. A Spec
// not listed here still works: it is instantiated where it is used.
#pragma once

#include <optional>
#include <string>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/replay.hpp>
#include <tcpmc/verify/explore/search.hpp>
#include <tcpmc/verify/explore/specs.hpp>
#include <tcpmc/verify/table/level.hpp>
#include <vector>

// Declares (EXTERN = extern) or defines (EXTERN empty) the entry points of
// both levels for SPEC.
#define TCPMC_VERIFY_SEARCH_INSTANCES(EXTERN, SPEC)                                           \
  EXTERN template explore::SearchResult explore::search<SPEC>(const explore::Bounds&,         \
                                                              const explore::SearchOptions&); \
  EXTERN template explore::SearchResult explore::search<SPEC>(                                \
      const explore::Bounds&, std::optional<Invariant>, const explore::Progress&);            \
  EXTERN template std::vector<std::string> explore::narrate<SPEC>(                            \
      const explore::Bounds&, const std::vector<explore::Move>&);                             \
  EXTERN template explore::Replay explore::replay<SPEC>(const explore::Bounds&,               \
                                                        const std::vector<explore::Move>&);   \
  EXTERN template explore::SearchResult table::search<SPEC>(const explore::Bounds&,           \
                                                            const explore::SearchOptions&);   \
  EXTERN template explore::SearchResult table::search<SPEC>(                                  \
      const explore::Bounds&, std::optional<Invariant>, const explore::Progress&);            \
  EXTERN template std::vector<std::string> table::narrate<SPEC>(                              \
      const explore::Bounds&, const std::vector<explore::Move>&);

namespace tcpmc::verify {

// One line per Spec; verify/CMakeLists.txt compiles one file per line, so
// that the two cores of a build share them.
static_assert(model::kVariants.size() == 9,
              "a variant was added or removed: list it here and in verify/CMakeLists.txt");
TCPMC_VERIFY_SEARCH_INSTANCES(extern, model::kRfc9293)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<0>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<1>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<2>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<3>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<4>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<5>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<6>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<7>)
TCPMC_VERIFY_SEARCH_INSTANCES(extern, explore::kVariantSpec<8>)

}  // namespace tcpmc::verify
