// `tcpmc prove`: the Z3 proofs of verify/z3 as a tool. Flags, the table,
// timing and output files only; the properties, their premises and the
// counterexamples are the library's.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>

namespace tcpmc::tools {

class ProveCommand {
 public:
  // Exit statuses, as documented in --help.
  static constexpr int kAsExpected = 0;
  static constexpr int kUnexpected = 1;
  static constexpr int kUsage = 2;

  // Adds the subcommand to `app`.
  explicit ProveCommand(CLI::App& app);
  ProveCommand(const ProveCommand&) = delete;
  ProveCommand& operator=(const ProveCommand&) = delete;

  // After parsing: the exit status if `prove` was chosen, else nothing.
  std::optional<int> run() const;

  // For `tcpmc verify`: every proof, its table on `out`; the number of
  // verdicts that differ from the expected one.
  static int run_table(std::ostream& out);

 private:
  CLI::App* cmd_ = nullptr;
  bool json_ = false;
  bool long_ = false;  // --long
  std::string out_dir_;
  std::string only_;
};

}  // namespace tcpmc::tools
