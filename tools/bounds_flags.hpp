// The search bounds and the Spec as command-line flags, for commands that
// take the same model as `tcpmc explore` (tcpmc export promela). The flags
// have explore's names, ranges and defaults (explore::Bounds{}), so that
// one command line names one model. `tcpmc explore` and `tcpmc export
// promela` both take them from here.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tcpmc/model/table.hpp>
#include <tcpmc/model/variants.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/specs.hpp>
#include <tcpmc/verify/invariants.hpp>
#include <vector>

namespace tcpmc::tools {

using verify::explore::variant_slug;

// "rfc9293", then every variant of model::kVariants, in that order.
inline std::vector<std::string> variant_names() {
  std::vector<std::string> names{"rfc9293"};
  for (model::Variant v : model::kVariants) names.push_back(variant_slug(v(model::rfc9293()).name()));
  return names;
}

// The Spec a --variant names, if any.
inline std::optional<model::Spec> variant_spec(std::string_view slug) {
  if (slug == "rfc9293") return model::rfc9293();
  for (model::Variant v : model::kVariants) {
    model::Spec s = v(model::rfc9293());
    if (variant_slug(s.name()) == slug) return s;
  }
  return std::nullopt;
}

inline std::vector<std::string> invariant_flag_names() {
  std::vector<std::string> names;
  for (const auto& d : verify::kInvariantDocs) names.emplace_back(d.name);
  return names;
}

// The bounds flags of `tcpmc explore`, defaults from explore::Bounds{}.
class BoundsFlags {
 public:
  void add_to(CLI::App& cmd) {
    const verify::explore::Bounds d;
    v_ = {d.in_flight, d.losses, d.duplicates, d.msl, d.ticks,
          d.bytes,     d.reconnects, d.aborts, d.injections};
    const auto bound = [&](const char* flag, unsigned& v, const char* why) {
      cmd.add_option(flag, v, why)->capture_default_str()->check(CLI::Range(0, 255))->group("Bounds");
    };
    bound("--in-flight", v_.in_flight, "Segments the network holds at once");
    bound("--losses", v_.losses, "Segments the network may lose (or let expire) in a run");
    bound("--duplicates", v_.duplicates, "Segments the network may duplicate in a run");
    bound("--msl", v_.msl, "Maximum segment lifetime, in ticks");
    bound("--ticks", v_.ticks, "Ticks a run may last (time must be bounded to end)");
    bound("--bytes", v_.bytes, "Bytes each user sends per connection");
    bound("--reconnects", v_.reconnects,
          "Connections the client opens after its first, to the same 4-tuple");
    bound("--aborts", v_.aborts, "ABORT calls allowed in a run");
    bound("--injections", v_.injections,
          "Segments an off-path attacker may inject (0: no attacker)");
  }

  verify::explore::Bounds bounds() const {
    verify::explore::Bounds b;
    b.in_flight = static_cast<std::uint8_t>(v_.in_flight);
    b.losses = static_cast<std::uint8_t>(v_.losses);
    b.duplicates = static_cast<std::uint8_t>(v_.duplicates);
    b.msl = static_cast<std::uint8_t>(v_.msl);
    b.ticks = static_cast<std::uint8_t>(v_.ticks);
    b.bytes = static_cast<std::uint8_t>(v_.bytes);
    b.reconnects = static_cast<std::uint8_t>(v_.reconnects);
    b.aborts = static_cast<std::uint8_t>(v_.aborts);
    b.injections = static_cast<std::uint8_t>(v_.injections);
    return b;
  }

 private:
  struct Values {
    unsigned in_flight, losses, duplicates, msl, ticks, bytes, reconnects, aborts, injections;
  };
  Values v_{};
};

}  // namespace tcpmc::tools
