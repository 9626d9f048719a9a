// Counterexamples as text and as DOT. Timelines become message sequence
// charts in tools/ (graphs/ draws them; verify/ may not include graphs/);
// the value-only counterexamples of the sequence proofs are drawn here.
#include <algorithm>
#include <cstddef>
#include <string>
#include <tcpmc/verify/z3/proof.hpp>

namespace tcpmc::verify::z3 {
namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

// Record labels reserve {}|<> as syntax.
std::string record_escaped(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '{' || ch == '}' || ch == '|' || ch == '<' || ch == '>' || ch == '"' || ch == '\\') {
      out += '\\';
    }
    out += ch;
  }
  return out;
}

const char* actor_name(const Timeline& t, TimelineEvent::Actor a) {
  return a == TimelineEvent::Actor::A ? t.a.c_str() : t.b.c_str();
}

}  // namespace

// (Strings are built by appending: GCC 12 at -O3 warns falsely on
// "literal" + std::string.)
std::string timeline_text(const Timeline& t) {
  std::string out;
  for (const TimelineEvent& e : t.events) {
    const std::string& msg = e.message < t.messages.size() ? t.messages[e.message] : e.text;
    std::string line = "t=";
    line += std::to_string(e.time);
    line += ' ';
    line += t.unit;
    line.resize(std::max<std::size_t>(line.size(), 18), ' ');
    line += "  ";
    line += actor_name(t, e.actor);
    switch (e.kind) {
      case TimelineEvent::Kind::Send: line += " sends "; line += e.text; break;
      case TimelineEvent::Kind::Deliver: line += " receives "; line += msg; break;
      case TimelineEvent::Kind::Loss: line += ": its "; line += msg; line += " is lost"; break;
      case TimelineEvent::Kind::State: line += " enters "; line += e.text; break;
      case TimelineEvent::Kind::Note: line += ' '; line += e.text; break;
      case TimelineEvent::Kind::Violation: line += " *** "; line += e.text; break;
    }
    out += line;
    out += '\n';
  }
  return out;
}

std::string values_text(const Outcome& o) {
  std::string out;
  for (const auto& c : o.failed_claims) {
    out += "broken: ";
    out += c;
    out += '\n';
  }
  for (const auto& v : o.values) {
    out += "  ";
    out += v.name;
    out += " = ";
    out += v.value;
    out += '\n';
  }
  return out;
}

std::string values_dot(const Property& p, const Outcome& o) {
  std::string label = "{";
  label += record_escaped(std::string(p.name));
  label += ": ";
  label += record_escaped(std::string(p.statement));
  label += "|premises: ";
  label += record_escaped(std::string(p.premises));
  for (const auto& c : o.failed_claims) {
    label += "|broken: ";
    label += record_escaped(c);
  }
  for (const auto& v : o.values) {
    label += "|{";
    label += record_escaped(v.name);
    label += '|';
    label += record_escaped(v.value);
    label += '}';
  }
  label += '}';
  std::string dot = "digraph ";
  dot += quoted(std::string(p.name));
  dot += " {\n  node [shape=record, fontname=\"monospace\"];\n  counterexample [label=\"";
  dot += label;  // escaped for a record label, quotes included
  dot += "\"];\n}\n";
  return dot;
}

}  // namespace tcpmc::verify::z3
