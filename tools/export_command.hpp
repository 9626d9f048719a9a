// `tcpmc export promela`: the table-level model, with the bounds and the
// Spec of `tcpmc explore --level table`, written as Promela for SPIN
// (verify/table/promela.hpp): the safety model, or with --liveness the
// liveness model and its LTL formulas. Flags and the output file only.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bounds_flags.hpp"

namespace tcpmc::tools {

class ExportCommand {
 public:
  static constexpr int kWritten = 0;
  static constexpr int kFailed = 1;
  static constexpr int kUsage = 2;

  // Adds the subcommand to `app`.
  explicit ExportCommand(CLI::App& app);
  ExportCommand(const ExportCommand&) = delete;
  ExportCommand& operator=(const ExportCommand&) = delete;

  // After parsing: the exit status if `export` was chosen, else nothing.
  std::optional<int> run() const;

 private:
  CLI::App* cmd_ = nullptr;
  CLI::App* promela_ = nullptr;
  BoundsFlags bounds_;
  std::string variant_ = "rfc9293";
  std::string check_;
  std::vector<std::string> liveness_;  // property names, or "all"
  std::string out_;
};

}  // namespace tcpmc::tools
