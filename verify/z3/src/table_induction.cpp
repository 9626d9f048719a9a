// Induction on an explicit invariant (table_induction.hpp says what and
// why).
//
// One incremental solver per move (kind and index) holds the move's
// relation and its target, "breaks an invariant or leaves the set"; the
// set's parts are then asked one after another under an assumption, so
// what Z3 learns about the target carries from part to part. A network
// move's set is split by the direction of the segment it moves: a segment
// to the server and one to the client run different rows, and Z3 proves
// the two halves faster apart (on one-in-flight, delivery took 27-42 s
// split so, against 57 s split by the client's state and over 60 s
// whole).
#include <tcpmc/verify/z3/table_induction.hpp>

#include <z3++.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <tcpmc/model/state.hpp>
#include <tcpmc/verify/z3/table_bmc.hpp>

namespace tcpmc::verify::z3 {
namespace {

using Bytes = std::array<std::uint8_t, sizeof(table::Sys)>;

Bytes bytes_of(const table::Sys& s) {
  Bytes b;
  std::memcpy(b.data(), &s, sizeof(table::Sys));
  return b;
}

// A set of states as a reduced, ordered decision diagram over their bytes.
// Node k (from 1) tests byte order[level]; each edge carries the values
// that lead to one child; child 0 is "in the set". Children are numbered
// before their parents, and equal nodes are stored once.
class StateDiagram {
 public:
  StateDiagram(std::span<const Bytes> states, std::vector<std::size_t> order)
      : order_(std::move(order)) {
    std::vector<const Bytes*> all;
    all.reserve(states.size());
    for (const Bytes& s : states) all.push_back(&s);
    root_ = all.empty() ? -1 : build(all, 0);
  }

  std::size_t nodes() const { return nodes_.size(); }

  // "`s` is in the set", over the bytes of `s`.
  ::z3::expr contains(::z3::context& c, const SymbolicSys& s) const {
    if (root_ < 0) return c.bool_val(false);
    std::vector<::z3::expr> node{c.bool_val(true)};
    node.reserve(nodes_.size() + 1);
    for (const Node& n : nodes_) {
      const ::z3::expr& byte = s[order_[n.level]];
      ::z3::expr_vector edges(c);
      for (const auto& [values, child] : n.edges) {
        ::z3::expr_vector is(c);
        for (const std::uint8_t v : values) is.push_back(byte == c.bv_val(v, 8));
        edges.push_back(::z3::mk_or(is) && node[static_cast<std::size_t>(child)]);
      }
      node.push_back(::z3::mk_or(edges));
    }
    return node[static_cast<std::size_t>(root_)];
  }

 private:
  using Edges = std::vector<std::pair<std::vector<std::uint8_t>, int>>;
  struct Node {
    std::size_t level;
    Edges edges;
  };

  int build(const std::vector<const Bytes*>& states, std::size_t level) {
    if (level == order_.size()) return 0;
    const std::size_t at = order_[level];
    std::map<std::uint8_t, std::vector<const Bytes*>> by_value;
    for (const Bytes* s : states) by_value[(*s)[at]].push_back(s);
    std::map<int, std::vector<std::uint8_t>> by_child;
    for (const auto& [value, part] : by_value) by_child[build(part, level + 1)].push_back(value);
    Edges edges;
    for (auto& [child, values] : by_child) edges.emplace_back(std::move(values), child);
    auto key = std::make_pair(level, std::move(edges));
    if (const auto it = unique_.find(key); it != unique_.end()) return it->second;
    nodes_.push_back({level, key.second});
    const int id = static_cast<int>(nodes_.size());
    unique_.emplace(std::move(key), id);
    return id;
  }

  std::vector<std::size_t> order_;
  std::vector<Node> nodes_;
  std::map<std::pair<std::size_t, Edges>, int> unique_;
  int root_ = -1;
};

// Bytes tested fewest values first (ties in the struct's order).
std::vector<std::size_t> byte_order(std::span<const Bytes> states) {
  std::vector<std::size_t> values(sizeof(table::Sys));
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::array<bool, 256> seen{};
    for (const Bytes& s : states) seen[s[i]] = true;
    values[i] = static_cast<std::size_t>(std::count(seen.begin(), seen.end(), true));
  }
  std::vector<std::size_t> order(values.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return values[a] != values[b] ? values[a] < values[b] : a < b;
  });
  return order;
}

// The moves the explorer can make: network moves on each slot the bounds
// allow, the attacker's four injections, the rest with index 0 (what
// Stepper::moves lists; the relation is asked about no other index).
std::vector<explore::Move> explorer_moves(const explore::Bounds& b) {
  using explore::Step;
  std::vector<explore::Move> all;
  const auto slots =
      static_cast<std::uint8_t>(std::min<std::size_t>(b.in_flight, explore::kMaxInFlight));
  for (const Step k : {Step::Deliver, Step::Drop, Step::Duplicate}) {
    for (std::uint8_t i = 0; i < slots; ++i) all.push_back({k, i});
  }
  for (const Step k : {Step::Tick, Step::ClientConnect, Step::ClientSend, Step::ClientClose,
                       Step::ClientAbort, Step::ServerListen, Step::ServerSend, Step::ServerClose,
                       Step::ServerAbort}) {
    all.push_back({k, 0});
  }
  for (std::uint8_t i = 0; i < 4; ++i) all.push_back({Step::Inject, i});
  return all;
}

bool network_move(explore::Step k) {
  return k == explore::Step::Deliver || k == explore::Step::Drop ||
         k == explore::Step::Duplicate;
}

}  // namespace

SetInductionResult prove_set_inductive(const model::Spec& spec, const explore::Bounds& bounds,
                                       std::span<const table::Sys> set, unsigned timeout_ms) {
  SetInductionResult r;
  std::vector<Bytes> states;
  states.reserve(set.size());
  for (const table::Sys& s : set) states.push_back(bytes_of(s));
  std::sort(states.begin(), states.end());
  states.erase(std::unique(states.begin(), states.end()), states.end());
  r.states = states.size();
  const std::vector<std::size_t> order = byte_order(states);
  const StateDiagram whole(states, order);
  r.diagram_nodes = whole.nodes();

  ::z3::context c;
  const TableRelation rel(c, spec, bounds, std::nullopt);
  ::z3::params params(c);
  if (timeout_ms != 0) params.set("timeout", timeout_ms);
  const auto gave_up = [&](::z3::solver& s, const std::string& what) {
    r.why_not = "Z3 gave up on " + what + ": " + s.reason_unknown();
    return r;
  };

  // 1. The initial state is in the set.
  {
    ::z3::solver s(c, "QF_BV");
    s.set(params);
    s.add(!whole.contains(c, rel.initial()));
    ++r.checks;
    const ::z3::check_result a = s.check();
    if (a == ::z3::unknown) return gave_up(s, "the initial state");
    if (a == ::z3::sat) {
      r.why_not = "the initial state is not in the set";
      return r;
    }
  }

  // 2 and 3, move by move.
  const SymbolicSys from = rel.fresh("from");
  const ::z3::expr in_set = whole.contains(c, from);
  const ::z3::expr none = c.bv_val(0, 8);
  for (const explore::Move m : explorer_moves(bounds)) {
    const SymbolicStep st = rel.step(from, c.bv_val(static_cast<unsigned>(m.step), 8),
                                     c.bv_val(m.index, 8));
    ::z3::solver s(c, "QF_BV");
    s.set(params);
    const ::z3::expr breaks = st.violation != none;
    s.add(st.enabled && !st.discarded && (breaks || !whole.contains(c, st.next)));

    // The parts: by the moved segment's direction, or the whole set.
    std::map<std::uint8_t, std::vector<Bytes>> parts;
    if (network_move(m.step)) {
      const std::size_t at = offsetof(table::Sys, net) + m.index * sizeof(table::Seg) +
                             offsetof(table::Seg, to_server);
      for (const Bytes& b : states) parts[b[at]].push_back(b);
    }
    unsigned part_no = 0;
    const auto ask = [&](const ::z3::expr& part) {
      // Appended, not "part " + ... + to_string(), which g++ 12 misreads
      // as an overlapping copy under -Wrestrict.
      std::string lit_name = "part ";
      lit_name += move_text(m);
      lit_name += ' ';
      lit_name += std::to_string(part_no++);
      const ::z3::expr lit = c.bool_const(lit_name.c_str());
      s.add(::z3::implies(lit, part));
      ::z3::expr_vector assume(c);
      assume.push_back(lit);
      ++r.checks;
      return s.check(assume);
    };
    ::z3::check_result a = ::z3::unsat;
    if (parts.empty()) {
      a = ask(in_set);
    } else {
      for (const auto& [direction, part] : parts) {
        a = ask(StateDiagram(part, order).contains(c, from));
        if (a != ::z3::unsat) break;
      }
    }
    if (a == ::z3::unknown) return gave_up(s, move_text(m));
    if (a == ::z3::sat) {
      const ::z3::model model = s.get_model();
      r.from = rel.concrete(model, from);
      const auto v = static_cast<unsigned>(model.eval(st.violation, true).get_numeral_uint());
      r.why_not = move_text(m) + " from a state of the set (" + state_text(*r.from) + ") " +
                  (v != 0 ? "breaks " + std::string(name(static_cast<Invariant>(v - 1)))
                          : std::string("leads out of the set"));
      return r;
    }
  }
  r.proved = true;
  return r;
}

}  // namespace tcpmc::verify::z3
