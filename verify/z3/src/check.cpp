#include <z3++.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <string>
#include <tcpmc/verify/z3/proof.hpp>
#include <vector>

namespace tcpmc::verify::z3 {

std::string_view name(Verdict v) {
  switch (v) {
    case Verdict::Proved: return "proved";
    case Verdict::Counterexample: return "counterexample";
    case Verdict::Bounded: return "bounded";
    case Verdict::Unknown: return "unknown";
  }
  return "unknown";
}

namespace {

std::string show(const ::z3::model& m, const ::z3::expr& e) {
  const ::z3::expr v = m.eval(e, true);
  if (v.is_bool()) return v.is_true() ? "true" : "false";
  if (v.is_bv()) {
    const std::uint64_t n = v.get_numeral_uint64();
    char buf[64];
    std::snprintf(buf, sizeof buf, "0x%llx (%llu)", static_cast<unsigned long long>(n),
                  static_cast<unsigned long long>(n));
    return buf;
  }
  return v.get_decimal_string(0);
}

}  // namespace

std::int64_t int_value(const ::z3::model& m, const ::z3::expr& e) {
  const ::z3::expr v = m.eval(e, true);
  if (v.is_bv()) return static_cast<std::int64_t>(v.get_numeral_uint64());
  return v.get_numeral_int64();
}

bool bool_value(const ::z3::model& m, const ::z3::expr& e) { return m.eval(e, true).is_true(); }

Outcome check_claims(::z3::context& c, const ::z3::expr& premises, const std::vector<Claim>& claims,
                     const std::vector<Shown>& shown, unsigned timeout_ms,
                     const std::function<Timeline(const ::z3::model&)>& timeline) {
  Outcome o;
  try {
    ::z3::solver s(c);
    ::z3::params p(c);
    p.set("timeout", timeout_ms);
    s.set(p);
    s.add(premises);
    ::z3::expr all = c.bool_val(true);
    for (const Claim& cl : claims) all = all && cl.holds;
    s.add(!all);
    switch (s.check()) {
      case ::z3::unsat:
        o.verdict = Verdict::Proved;
        return o;
      case ::z3::unknown:
        o.verdict = Verdict::Unknown;
        o.reason = s.reason_unknown();
        return o;
      case ::z3::sat:
        break;
    }
    const ::z3::model m = s.get_model();
    o.verdict = Verdict::Counterexample;
    for (const Claim& cl : claims) {
      if (!bool_value(m, cl.holds)) o.failed_claims.push_back(cl.name);
    }
    for (const Shown& v : shown) o.values.push_back({v.name, show(m, v.value)});
    if (timeline) {
      o.timeline = timeline(m);
      // Events in time order, ties in the order the model listed them. A
      // sort on (time, position) rather than std::stable_sort, whose
      // temporary buffer trips a deprecation error with clang 19 and
      // libstdc++ 12.
      std::vector<TimelineEvent>& events = o.timeline->events;
      std::vector<std::size_t> order(events.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return events[a].time != events[b].time ? events[a].time < events[b].time : a < b;
      });
      std::vector<TimelineEvent> sorted;
      sorted.reserve(events.size());
      for (std::size_t i : order) sorted.push_back(events[i]);
      events = std::move(sorted);
    }
  } catch (const ::z3::exception& e) {
    o = Outcome{};
    o.verdict = Verdict::Unknown;
    o.reason = e.msg();
  }
  return o;
}

Outcome check_each(::z3::context& c, const ::z3::expr& premises, const std::vector<Claim>& claims,
                   const std::vector<Shown>& shown, unsigned timeout_ms,
                   const std::function<Timeline(const ::z3::model&)>& timeline) {
  Outcome o;
  o.verdict = Verdict::Proved;
  for (const Claim& cl : claims) {
    o = check_claims(c, premises, {cl}, shown, timeout_ms, timeline);
    if (o.verdict != Verdict::Proved) return o;
  }
  return o;
}

}  // namespace tcpmc::verify::z3
