// The properties `tcpmc prove` runs, in the order it prints them: the RFC
// properties (expected: proved) and the demonstrations (expected:
// counterexample) that show where a premise stops holding.
#pragma once

#include <span>
#include <tcpmc/verify/z3/proof.hpp>

namespace tcpmc::verify::z3 {

// Z3 gives up on a property after this long (then: unknown).
inline constexpr unsigned kDefaultTimeoutMs = 10000;

std::span<const Property> properties();

// Then the table level's bounded model checking (table_bmc_catalog.hpp),
// apart because its runs are held to the explorer's by their own test
// (test/table_bmc_test.cpp) and take longer than one proof's budget.
std::span<const Property> table_properties();

// And, with `tcpmc prove --long`, the variants reproduced on small bounds
// (table_bmc_long_cases): minutes each.
std::span<const Property> table_long_properties();

}  // namespace tcpmc::verify::z3
