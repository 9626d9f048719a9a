// The impl level's liveness runs: the engine, for each spec.
#include <tcpmc/verify/explore/search.hpp>

#include "liveness_level.hpp"

namespace tcpmc::verify::explore::detail {

const std::array<LevelRun, 1 + model::kLivenessVariants.size()>& impl_runs() {
  static constexpr auto runs =
      level_runs<ImplModel>(std::make_index_sequence<model::kLivenessVariants.size()>{});
  return runs;
}

}  // namespace tcpmc::verify::explore::detail
