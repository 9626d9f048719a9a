// One level's liveness run, written once (liveness_impl.cpp and
// liveness_table.cpp instantiate it for every spec liveness is checked on).
#pragma once

#include <algorithm>
#include <array>
#include <span>
#include <utility>
#include <vector>

#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/liveness.hpp>
#include <tcpmc/verify/explore/liveness_properties.hpp>
#include <tcpmc/verify/explore/liveness_runs.hpp>

namespace tcpmc::verify::explore::detail {

template <std::size_t I>
inline constexpr model::Spec kLivenessSpec = model::kLivenessVariants[I](model::rfc9293());

using LevelRun = std::vector<LivenessOutcome> (*)(const Bounds&, std::span<const Liveness>,
                                                  std::size_t max_memory);

// Properties of equal premise share a graph: built once, checked for each.
template <ExploreModel M>
std::vector<LivenessOutcome> run_level(const Bounds& bounds, std::span<const Liveness> properties,
                                       std::size_t max_memory) {
  using State = typename M::State;
  std::vector<LivenessOutcome> out(properties.size());
  for (const Premise premise : {Premise::None, Premise::LossFree}) {
    std::vector<Liveness> group;
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < properties.size(); ++i) {
      if (doc(properties[i]).premise != premise) continue;
      group.push_back(properties[i]);
      where.push_back(i);
    }
    if (group.empty()) continue;
    const Bounds b = liveness_bounds(group.front(), bounds);
    const LivenessSetup<State> setup = liveness_setup<State>(group);
    const LivenessGraph graph = LivenessGraph::build<M>(b, setup, max_memory);
    for (std::size_t k = 0; k < group.size(); ++k) {
      LivenessOutcome& o = out[where[k]];
      o.property = group[k];
      o.bounds = b;
      o.complete = graph.complete;
      o.limit = graph.limit;
      o.graph = graph.stats;
      o.verdict = graph.check(k);
      if (o.verdict.lasso) {
        o.narration = narrate_lasso<M>(b, *o.verdict.lasso);
        o.replay = replay<M>(b, setup, k, *o.verdict.lasso);
      }
    }
  }
  return out;
}

template <template <const model::Spec&> class Model, std::size_t... I>
constexpr std::array<LevelRun, 1 + sizeof...(I)> level_runs(std::index_sequence<I...>) {
  return {&run_level<Model<model::kRfc9293>>, &run_level<Model<kLivenessSpec<I>>>...};
}

// By liveness_specs() order.
const std::array<LevelRun, 1 + model::kLivenessVariants.size()>& impl_runs();
const std::array<LevelRun, 1 + model::kLivenessVariants.size()>& table_runs();

}  // namespace tcpmc::verify::explore::detail
