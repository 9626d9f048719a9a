#include <tcpmc/graphs/table_text.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace tcpmc::graphs {
namespace {

using model::NoteKind;
using model::Row;

std::string states_text(const Row& r) {
  if (r.from == model::states::kAll) return "any state";
  std::string out;
  for (model::State s : model::kAllStates) {
    if (!r.from.contains(s)) continue;
    if (!out.empty()) out += ",";
    out += model::rfc_name(s);
  }
  return out;
}

std::string acts_text(const Row& r) {
  std::string out;
  for (model::Act a : model::kAllActs) {
    if (!r.acts.contains(a)) continue;
    if (!out.empty()) out += ", ";
    out += model::name(a);
  }
  return out.empty() ? "-" : out;
}

void pad(std::string& line, std::size_t width) {
  if (line.size() < width) line.append(width - line.size(), ' ');
  line += ' ';
}

}  // namespace

std::string table_text(const model::Spec& spec, TableView view) {
  std::string out;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    const Row& r = spec.row(i);
    if (view == TableView::Ambiguities && r.note.kind != NoteKind::Ambiguity) continue;
    if (view == TableView::Unreachable && r.note.kind != NoteKind::Unreachable) continue;
    ++shown;
    std::string line = std::to_string(i);
    pad(line, 4);
    line += states_text(r);
    pad(line, 30);
    line += model::name(r.event);
    if (r.guard != model::Guard::Always) {
      line += " [";
      line += model::name(r.guard);
      line += "]";
    }
    pad(line, 62);
    line += "-> ";
    line += r.to.is_stay() ? std::string("(stay)") : std::string(model::rfc_name(r.to.state()));
    pad(line, 80);
    line += acts_text(r);
    line += "  (";
    line += r.section;
    line += ")";
    out += line;
    out += '\n';
    if (r.note.kind == NoteKind::Ambiguity) {
      out += "      RFC-AMBIGUITY: ";
      out += r.note.text;
      out += '\n';
    } else if (r.note.kind == NoteKind::Unreachable) {
      out += "      unreachable: ";
      out += r.note.text;
      out += '\n';
    }
  }
  out += std::to_string(shown) + " of " + std::to_string(spec.size()) + " rows of the " +
         std::string(spec.name()) + " table\n";
  return out;
}

}  // namespace tcpmc::graphs
