// The diagrams committed for the docs are exactly what the table draws
// today. When this fails, run scripts/update-graphs and commit the result.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tcpmc/graphs/render.hpp>
#include <tcpmc/graphs/state_diagram.hpp>
#include <tcpmc/model/table.hpp>

namespace tcpmc::graphs {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::filesystem::path kCommitted = std::filesystem::path(TCPMC_SOURCE_DIR) / "graphs/svg";

TEST(CommittedDiagrams, DotAndSvg_MatchTheTable) {
  for (const DiagramInfo& d : kDiagrams) {
    const std::string dot = state_diagram_dot(model::kRfc9293, d.diagram);
    const auto dot_file = kCommitted / (std::string(d.name) + ".dot");
    const auto svg_file = kCommitted / (std::string(d.name) + ".svg");
    ASSERT_TRUE(std::filesystem::exists(dot_file)) << dot_file << ": run scripts/update-graphs";
    ASSERT_TRUE(std::filesystem::exists(svg_file)) << svg_file << ": run scripts/update-graphs";
    EXPECT_EQ(read_file(dot_file), dot) << dot_file << " is stale: run scripts/update-graphs";
    const auto svg = render(dot, RenderFormat::Svg);
    ASSERT_TRUE(std::holds_alternative<std::string>(svg)) << std::get<RenderError>(svg).message;
    EXPECT_EQ(read_file(svg_file), std::get<std::string>(svg))
        << svg_file << " is stale: run scripts/update-graphs";
  }
}

}  // namespace
}  // namespace tcpmc::graphs
