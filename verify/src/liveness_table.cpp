// The table level's liveness runs: the Spec's table alone, for each spec.
#include <tcpmc/verify/table/level.hpp>

#include "liveness_level.hpp"

namespace tcpmc::verify::explore::detail {

const std::array<LevelRun, 1 + model::kLivenessVariants.size()>& table_runs() {
  static constexpr auto runs =
      level_runs<table::TableModel>(std::make_index_sequence<model::kLivenessVariants.size()>{});
  return runs;
}

}  // namespace tcpmc::verify::explore::detail
