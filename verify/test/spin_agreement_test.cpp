// SPIN against the explorer's table level (issue 8): the Promela export of
// table/promela.hpp, searched by SPIN's pan (spin -a, gcc -O2 -DSAFETY), must
// store exactly as many states as `tcpmc explore --level table` does for the
// same Spec and bounds, and reach the same verdict. Each count compared is
// the explorer's, computed here in the same test. The liveness model, its
// LTL formulas checked by pan -a, must give the table level's liveness
// verdicts. Needs `spin` and `gcc` on the PATH (Debian packages spin and
// gcc); without them the tests fail.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <algorithm>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/catalog.hpp>
#include <tcpmc/verify/explore/liveness_runs.hpp>
#include <tcpmc/verify/table/level.hpp>
#include <tcpmc/verify/table/promela.hpp>
#include <utility>
#include <vector>

namespace tcpmc::verify::table {
namespace {

namespace fs = std::filesystem;

struct PanResult {
  bool ran = false;
  std::uint64_t stored = 0;
  std::optional<Invariant> violated;  // from "assertion violated (viol!=N)"
  bool truncated = false;             // "max search depth too small"
  unsigned errors = 0;
  std::string output;
};

// The number just before `marker` in `text` ("123 states, stored"), or just
// after it ("errors: 1"); nullopt if the marker is not there. (std::regex
// trips GCC 12's -Wmaybe-uninitialized under the sanitizers.)
std::optional<std::uint64_t> number_before(const std::string& text, std::string_view marker) {
  std::size_t at = text.find(marker);
  if (at == std::string::npos) return std::nullopt;
  while (at > 0 && text[at - 1] == ' ') --at;
  std::size_t from = at;
  while (from > 0 && std::isdigit(static_cast<unsigned char>(text[from - 1])) != 0) --from;
  if (from == at) return std::nullopt;
  return std::stoull(text.substr(from, at - from));
}
std::optional<std::uint64_t> number_after(const std::string& text, std::string_view marker) {
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) return std::nullopt;
  std::size_t to = at + marker.size();
  while (to < text.size() && std::isdigit(static_cast<unsigned char>(text[to])) != 0) ++to;
  if (to == at + marker.size()) return std::nullopt;
  return std::stoull(text.substr(at + marker.size(), to - at - marker.size()));
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// SPIN runs, one directory each: the model is written, SPIN generates
// pan.c, which is compiled as the issue says (-O2 -DSAFETY) and run deep
// enough for any run of the bounds (-m), stopping at the first error. The
// runs are started together, in the background, as many at once as there
// are cores, so that the explorer's searches of the same models run while
// gcc compiles.
class SpinBatch {
 public:
  explicit SpinBatch(std::string name)
      : dir_(fs::path(::testing::TempDir()) / ("tcpmc-spin-" + std::move(name))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  SpinBatch(const SpinBatch&) = delete;
  SpinBatch& operator=(const SpinBatch&) = delete;
  ~SpinBatch() {
    if (running_.valid()) running_.wait();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // The safety model's run: one search, stopping at the first error.
  static constexpr std::string_view kSafety =
      "gcc -O2 -DSAFETY -w -o pan pan.c >gcc.txt 2>&1 && ./pan -m1000000 >pan.txt 2>&1";

  // The liveness model's: pan compiled once, then one search for
  // acceptance cycles per property, each into pan.<NAME>.txt (-w20: a hash
  // table of 2^20 slots, ample for these bounds, instead of pan's 2^24,
  // which costs 128 MB of memory to clear per run).
  static std::string liveness(std::span<const explore::Liveness> properties) {
    std::string run = "gcc -O2 -w -o pan pan.c >gcc.txt 2>&1";
    for (const explore::Liveness p : properties) {
      const std::string n(explore::name(p));
      run += " && ./pan -a -m1000000 -w20 -N " + n + " >pan." + n + ".txt 2>&1";
    }
    return run;
  }

  // Adds a model, searched by `run` once spin -a has generated pan.c;
  // returns its index.
  std::size_t add(const std::string& model, std::string_view run = kSafety) {
    const fs::path d = dir_ / std::to_string(count_);
    fs::create_directories(d);
    std::ofstream(d / "model.pml") << model;
    std::ofstream(d / "run.sh") << "cd \"$(dirname \"$0\")\" && spin -a model.pml >spin.txt 2>&1 && "
                                << run << "; echo $? >status\n";
    return count_++;
  }

  void start() {
    const unsigned jobs = std::max(1U, std::thread::hardware_concurrency());
    const std::string cmd = "ls '" + dir_.string() + "'/*/run.sh | xargs -P " +
                            std::to_string(jobs) + " -n 1 sh";
    running_ = std::async(std::launch::async, [cmd] { return std::system(cmd.c_str()); });
  }

  // What model i's search wrote to `file` (pan.txt, or pan.<NAME>.txt).
  PanResult result(std::size_t i, const std::string& file = "pan.txt") {
    if (running_.valid()) running_.wait();
    const fs::path d = dir_ / std::to_string(i);
    PanResult r;
    const auto read = [&](const std::string& f) {
      std::ifstream in(d / f);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    r.ran = read("status") == "0\n";
    r.output = r.ran ? read(file)
                     : "spin: " + read("spin.txt") + "gcc: " + read("gcc.txt") + "pan: " +
                           read(file);
    r.stored = number_before(r.output, "states, stored").value_or(0);
    r.errors = static_cast<unsigned>(number_after(r.output, "errors: ").value_or(0));
    if (const auto n = number_after(r.output, "assertion violated (viol!=")) {
      r.violated = static_cast<Invariant>(*n - 1);
    }
    r.truncated = r.output.find("max search depth too small") != std::string::npos;
    return r;
  }

 private:
  fs::path dir_;
  std::size_t count_ = 0;
  std::future<int> running_;
};

std::string verdict(const std::optional<Violation>& v) {
  return v ? "refutes " + std::string(name(v->invariant)) : "holds";
}
std::string verdict(const std::optional<Invariant>& v) {
  return v ? "refutes " + std::string(name(*v)) : "holds";
}

// The Spec a catalog case names: the RFC's or a variant of model::kVariants.
std::optional<model::Spec> spec_named(std::string_view n) {
  if (n == model::kRfc9293.name()) return model::rfc9293();
  for (model::Variant v : model::kVariants) {
    if (model::Spec s = v(model::rfc9293()); s.name() == n) return s;
  }
  return std::nullopt;
}

// The table level's search of the RFC's table (i = 0) or of variant i - 1
// of model::kVariants, through the instances the catalog uses.
template <std::size_t... I>
explore::SearchResult search_spec(std::size_t i, const Bounds& b, std::optional<Invariant> only,
                                  std::index_sequence<I...>) {
  using Search = explore::SearchResult (*)(const Bounds&, std::optional<Invariant>,
                                           const explore::Progress&);
  static constexpr Search searches[] = {&table::search<model::kRfc9293>,
                                        &table::search<explore::kVariantSpec<I>>...};
  return searches[i](b, only, {});
}

explore::SearchResult run_table_level(std::size_t i, const Bounds& b,
                                      std::optional<Invariant> only) {
  return search_spec(i, b, only, std::make_index_sequence<model::kVariants.size()>{});
}

class Spin : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have("spin") || !have("gcc")) {
      FAIL() << "spin and gcc must be installed (Debian packages spin, gcc): "
                "the SPIN cross-check cannot run without them";
    }
  }
};

// Every run of the explorer's catalog (catalog.hpp), at the table level and
// in SPIN, on the same Spec and bounds and judging the same invariant: the
// same verdict; where the RFC holds, the same number of states, exactly.
// The catalog's three RFC configurations are the state-count settings.
TEST_F(Spin, Catalog_SameVerdictAndStateCountAsTableLevel) {
  const auto& cases = explore::verify_cases();
  SpinBatch batch("catalog");
  for (const auto& c : cases) {
    const auto spec = spec_named(c.spec);
    ASSERT_TRUE(spec) << "no Spec named " << c.spec;
    batch.add(promela(*spec, c.bounds, {.only = c.expected, .liveness = {}}));
  }
  batch.start();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    SCOPED_TRACE(std::string(c.spec) + " on " + std::string(c.config));
    const explore::SearchResult table = c.search_table();
    ASSERT_TRUE(c.as_expected(table)) << "the table level's own verdict: " << verdict(table.violation);
    const PanResult pan = batch.result(i);
    ASSERT_TRUE(pan.ran) << pan.output;
    EXPECT_FALSE(pan.truncated) << "SPIN's search was cut by its depth limit\n" << pan.output;
    EXPECT_EQ(verdict(pan.violated), verdict(table.violation)) << pan.output;
    if (!c.expected) {
      ASSERT_TRUE(table.complete);
      EXPECT_EQ(pan.errors, 0U) << pan.output;
      EXPECT_EQ(pan.stored, table.stats.states) << pan.output;
    }
  }
}

// Every variant of model::kVariants that the catalog does not run, judged
// on every invariant at once: SPIN finds a violation exactly when the table
// level does (the same question: is a breach of any invariant reachable),
// the invariant SPIN's depth-first search reports is one the table level
// refutes too (breadth-first, it may meet another one first), and where
// nothing is violated both store the same number of states. With the
// catalog, every variant is run by SPIN.
TEST_F(Spin, VariantsOutsideCatalog_AnyInvariant_SameVerdict) {
  Bounds b = explore::configs::attack();
  b.duplicates = 1;
  std::vector<std::size_t> outside;  // indices into model::kVariants
  for (std::size_t i = 0; i < model::kVariants.size(); ++i) {
    const model::Spec s = model::kVariants[i](model::rfc9293());
    bool run = false;
    for (const auto& c : explore::verify_cases()) run = run || c.spec == s.name();
    if (!run) outside.push_back(i);
  }
  SpinBatch batch("variants");
  for (std::size_t i : outside) batch.add(promela(model::kVariants[i](model::rfc9293()), b));
  batch.start();
  for (std::size_t k = 0; k < outside.size(); ++k) {
    const std::size_t i = outside[k];
    SCOPED_TRACE(std::string(model::kVariants[i](model::rfc9293()).name()));
    const explore::SearchResult table = run_table_level(i + 1, b, std::nullopt);
    const PanResult pan = batch.result(k);
    ASSERT_TRUE(pan.ran) << pan.output;
    EXPECT_FALSE(pan.truncated) << pan.output;
    EXPECT_EQ(pan.violated.has_value(), table.violation.has_value())
        << "SPIN " << verdict(pan.violated) << ", table level " << verdict(table.violation)
        << "\n" << pan.output;
    if (pan.violated) {
      const explore::SearchResult same = run_table_level(i + 1, b, pan.violated);
      EXPECT_TRUE(same.violation && same.violation->invariant == *pan.violated)
          << "SPIN refutes " << name(*pan.violated) << ", the table level does not";
    } else if (!table.violation) {
      ASSERT_TRUE(table.complete);
      EXPECT_EQ(pan.stored, table.stats.states) << pan.output;
    }
  }
}

// The Spec a liveness spec's slug names: the RFC's or one of
// model::kLivenessVariants.
std::optional<model::Spec> liveness_spec(std::string_view slug) {
  for (const auto& info : explore::liveness_specs()) {
    if (info.slug != slug) continue;
    if (info.name == model::kRfc9293.name()) return model::rfc9293();
    for (model::Variant v : model::kLivenessVariants) {
      if (model::Spec s = v(model::rfc9293()); s.name() == info.name) return s;
    }
  }
  return std::nullopt;
}

// The liveness catalog (explore::kLivenessCases: the RFC keeps every
// property, each liveness variant breaks its own), at its bounds, in SPIN:
// the LTL formula of each property, under the fairness written into it,
// has an acceptance cycle exactly when the table level finds a lasso. The
// properties of one spec share a model where they share their bounds
// (NoHalfOpen's premise makes its own).
TEST_F(Spin, Liveness_SameVerdictAsTableLevel) {
  const Bounds b = explore::liveness_config();
  struct Model {
    std::string_view spec;
    std::string bounds;  // as checked, the premise applied
    std::vector<explore::Liveness> properties;
    std::size_t index = 0;
  };
  std::vector<Model> models;
  for (const auto& c : explore::kLivenessCases) {
    const std::string as_checked = explore::liveness_bounds(c.property, b).describe();
    auto m = std::find_if(models.begin(), models.end(), [&](const Model& x) {
      return x.spec == c.spec && x.bounds == as_checked;
    });
    if (m == models.end()) {
      models.push_back({c.spec, as_checked, {c.property}, 0});
    } else {
      m->properties.push_back(c.property);
    }
  }
  SpinBatch batch("liveness");
  for (Model& m : models) {
    const auto spec = liveness_spec(m.spec);
    ASSERT_TRUE(spec) << "no liveness spec " << m.spec;
    m.index = batch.add(promela(*spec, b, {.only = std::nullopt, .liveness = m.properties}),
                        SpinBatch::liveness(m.properties));
  }
  batch.start();
  for (const auto& c : explore::kLivenessCases) {
    SCOPED_TRACE(std::string(c.spec) + ", " + std::string(explore::name(c.property)));
    const auto ours = explore::check_liveness(c.spec, explore::Level::Table, b,
                                              std::array{c.property});
    ASSERT_EQ(ours.size(), 1U);
    ASSERT_EQ(ours.front().result() == explore::LivenessVerdict::Holds, c.holds)
        << "the table level's own verdict: " << name(ours.front().result());
    const std::string as_checked = explore::liveness_bounds(c.property, b).describe();
    const auto m = std::find_if(models.begin(), models.end(), [&](const Model& x) {
      return x.spec == c.spec && x.bounds == as_checked;
    });
    const PanResult pan =
        batch.result(m->index, "pan." + std::string(explore::name(c.property)) + ".txt");
    ASSERT_TRUE(pan.ran) << pan.output;
    EXPECT_FALSE(pan.truncated) << "SPIN's search was cut by its depth limit\n" << pan.output;
    const bool cycle = pan.output.find("acceptance cycle") != std::string::npos;
    EXPECT_EQ(cycle, pan.errors > 0) << pan.output;
    EXPECT_EQ(cycle ? "violated" : "holds", name(ours.front().result())) << pan.output;
  }
}

}  // namespace
}  // namespace tcpmc::verify::table
