// The one piece of JSON the commands write by hand: a string, quoted and
// escaped (RFC 8259 section 7). Their --json objects are flat enough that
// a library would add a dependency and no clarity.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace tcpmc::tools {

inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace tcpmc::tools
