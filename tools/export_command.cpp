#include "export_command.hpp"

#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/liveness_properties.hpp>
#include <tcpmc/verify/table/promela.hpp>
#include <vector>

namespace tcpmc::tools {
namespace {

namespace lv = verify::explore;

// --variant: the safety variants, then those built to break a liveness
// property (model::kLivenessVariants), as `tcpmc explore` names them.
std::vector<std::string> exportable_specs() {
  std::vector<std::string> names = variant_names();
  for (model::Variant v : model::kLivenessVariants) {
    names.push_back(variant_slug(v(model::rfc9293()).name()));
  }
  return names;
}

std::optional<model::Spec> exportable_spec(std::string_view slug) {
  if (auto s = variant_spec(slug)) return s;
  for (model::Variant v : model::kLivenessVariants) {
    model::Spec s = v(model::rfc9293());
    if (variant_slug(s.name()) == slug) return s;
  }
  return std::nullopt;
}

}  // namespace

ExportCommand::ExportCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("export", "Write a model of tcpmc for another tool");
  cmd_->require_subcommand(1);
  promela_ = cmd_->add_subcommand(
      "promela",
      "Write the table-level model (tcpmc explore --level table, same flags) as Promela for\n"
      "SPIN, the invariants as assertions. SPIN's \"states, stored\" equals the explorer's\n"
      "states stored for the same bounds. Run it with:\n"
      "  spin -a model.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m1000000\n"
      "With --liveness, the model of tcpmc explore --level table --liveness instead, the\n"
      "properties as LTL formulas under weak fairness. Run each with:\n"
      "  spin -a model.pml && gcc -O2 -o pan pan.c && ./pan -a -m1000000 -N NAME\n"
      "Exit status: 0 written, 1 could not write, 2 usage error.");
  bounds_.add_to(*promela_);
  promela_->add_option("--variant", variant_,
                       "The specification exported: the RFC's or one of its variants (the "
                       "last ones built to break a liveness property)")
      ->capture_default_str()
      ->check(CLI::IsMember(exportable_specs()));
  promela_->add_option("--check", check_, "Assert this invariant alone (default: every one)")
      ->check(CLI::IsMember(invariant_flag_names()));
  std::vector<std::string> properties{"all"};
  for (const auto p : lv::kAllLiveness) properties.emplace_back(lv::name(p));
  promela_
      ->add_option("--liveness", liveness_,
                   "Write the liveness model with these properties as LTL formulas (repeat "
                   "the flag for several; all: every one) and no assertions. NoHalfOpen's "
                   "premise sets --losses 0 --injections 0, as tcpmc explore --liveness does; "
                   "properties checked with different bounds need a model each")
      ->check(CLI::IsMember(properties));
  promela_->add_option("--out", out_, "Write to this file instead of standard output");
}

std::optional<int> ExportCommand::run() const {
  if (cmd_ == nullptr || !cmd_->parsed()) return std::nullopt;
  const auto spec = exportable_spec(variant_);
  if (!spec) {
    std::cerr << "tcpmc: export: unknown --variant " << variant_ << "\n";
    return kUsage;
  }
  verify::table::PromelaOptions options;
  for (verify::Invariant i : verify::kAllInvariants) {
    if (verify::name(i) == check_) options.only = i;
  }
  for (const auto p : lv::kAllLiveness) {
    for (const std::string& n : liveness_) {
      if (n == "all" || n == lv::name(p)) {
        options.liveness.push_back(p);
        break;
      }
    }
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
