// The table as text, one line per row in RFC order, for `tcpmc table`.
#pragma once

#include <string>

#include <tcpmc/model/spec.hpp>

namespace tcpmc::graphs {

enum class TableView {
  Rows,         // every row
  Ambiguities,  // only rows that decide an RFC-AMBIGUITY, with the decision
  Unreachable,  // only rows that cannot fire, with the reason
};

std::string table_text(const model::Spec& spec, TableView view);

}  // namespace tcpmc::graphs
