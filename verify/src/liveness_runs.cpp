// By name: the spec's slug and the level choose the instantiation.
#include <tcpmc/verify/explore/liveness_runs.hpp>

#include <tcpmc/verify/explore/specs.hpp>

#include "liveness_level.hpp"

namespace tcpmc::verify::explore {

const std::vector<LivenessSpecInfo>& liveness_specs() {
  static const std::vector<LivenessSpecInfo> specs = [] {
    std::vector<LivenessSpecInfo> v{{"rfc9293", std::string(model::kRfc9293.name())}};
    for (const model::Variant f : model::kLivenessVariants) {
      const model::Spec s = f(model::rfc9293());
      v.push_back({variant_slug(s.name()), std::string(s.name())});
    }
    return v;
  }();
  return specs;
}

std::vector<LivenessOutcome> check_liveness(std::string_view spec, Level level,
                                            const Bounds& bounds,
                                            std::span<const Liveness> properties,
                                            std::size_t max_memory) {
  const auto& specs = liveness_specs();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].slug != spec) continue;
    return (level == Level::Impl ? detail::impl_runs() : detail::table_runs())[i](
        bounds, properties, max_memory);
  }
  return {};
}

}  // namespace tcpmc::verify::explore
