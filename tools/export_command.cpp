#include "export_command.hpp"

#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <tcpmc/verify/table/promela.hpp>

namespace tcpmc::tools {

ExportCommand::ExportCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("export", "Write a model of tcpmc for another tool");
  cmd_->require_subcommand(1);
  promela_ = cmd_->add_subcommand(
      "promela",
      "Write the table-level model (tcpmc explore --level table, same flags) as Promela for\n"
      "SPIN, the invariants as assertions. SPIN's \"states, stored\" equals the explorer's\n"
      "states stored for the same bounds. Run it with:\n"
      "  spin -a model.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m1000000\n"
      "Exit status: 0 written, 1 could not write, 2 usage error.");
  bounds_.add_to(*promela_);
  promela_->add_option("--variant", variant_,
                       "The specification exported: the RFC's or one of its variants")
      ->capture_default_str()
      ->check(CLI::IsMember(variant_names()));
  promela_->add_option("--check", check_, "Assert this invariant alone (default: every one)")
      ->check(CLI::IsMember(invariant_flag_names()));
  promela_->add_option("--out", out_, "Write to this file instead of standard output");
}

std::optional<int> ExportCommand::run() const {
  if (cmd_ == nullptr || !cmd_->parsed()) return std::nullopt;
  const auto spec = variant_spec(variant_);
  if (!spec) {
    std::cerr << "tcpmc: export: unknown --variant " << variant_ << "\n";
    return kUsage;
  }
  verify::table::PromelaOptions options;
  for (verify::Invariant i : verify::kAllInvariants) {
    if (verify::name(i) == check_) options.only = i;
  }
  std::string text;
  try {
    text = verify::table::promela(*spec, bounds_.bounds(), options);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tcpmc: export promela: " << e.what() << " (see tcpmc export promela --help)\n";
    return kUsage;
  }
  if (out_.empty()) {
    std::cout << text;
    return kWritten;
  }
  std::ofstream f(out_);
  f << text;
  f.close();
  if (!f) {
    std::cerr << "tcpmc: export promela: cannot write " << out_ << "\n";
    return kFailed;
  }
  return kWritten;
}

}  // namespace tcpmc::tools
