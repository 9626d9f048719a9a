// A counterexample of the impl level replayed into plain values: after each
// move, what the network holds, each side's state and ghost, and the
// violation if the move caused one. Whatever draws or prints a
// counterexample (tools/counterexample_chart.cpp) reads this, so it is
// written once and compiled once, not once per Spec: only replay<S> is a
// template, and explore/instances.hpp compiles it with the searches.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <tcpmc/model/table.hpp>
#include <tcpmc/verify/explore/system.hpp>
#include <vector>

namespace tcpmc::verify::explore {

// The system as one move left it (or as it started).
struct Snapshot {
  std::vector<Packet> net;             // in flight, in the system's order
  std::vector<std::string> described;  // each of `net` in words (Stepper::describe)
  std::array<model::State, 2> states{model::State::Closed, model::State::Closed};  // client, server
  std::array<Ghost, 2> ghosts{};                                                   // client, server
};

struct ReplayedMove {
  Move move;
  Snapshot after;
  std::optional<Violation> violation;
};

struct Replay {
  Snapshot initial;
  std::vector<ReplayedMove> moves;
};

template <const model::Spec& S>
Snapshot snapshot(const System<S>& s) {
  Snapshot shot;
  for (std::uint8_t i = 0; i < s.in_flight; ++i) {
    shot.net.push_back(s.net[i]);
    shot.described.push_back(Stepper<S>::describe(s.net[i]));
  }
  shot.states = {s.client.state(), s.server.state()};
  shot.ghosts = {s.cg, s.sg};
  return shot;
}

// `path` replayed from the initial state of `bounds`.
template <const model::Spec& S>
Replay replay(const Bounds& bounds, const std::vector<Move>& path) {
  Stepper<S> stepper(bounds);
  System<S> s = System<S>::initial(bounds);
  Replay r;
  r.initial = snapshot<S>(s);
  for (const Move m : path) {
    const auto violation = stepper.apply(s, m);
    r.moves.push_back({m, snapshot<S>(s), violation});
  }
  return r;
}

}  // namespace tcpmc::verify::explore
