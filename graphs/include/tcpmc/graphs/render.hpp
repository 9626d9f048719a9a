// Rendering DOT with Graphviz's `dot`, run as a child process.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace tcpmc::graphs {

enum class RenderFormat { Svg };

struct RenderError {
  std::string message;  // what failed and what to do about it
};

// The rendered bytes, or why there are none (Graphviz missing, DOT
// rejected, ...). Looks `dot` up on PATH.
std::variant<std::string, RenderError> render(std::string_view dot, RenderFormat format);

}  // namespace tcpmc::graphs
