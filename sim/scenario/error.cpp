#include "scenario/error.hpp"

namespace sellershock {

std::string format_input_error(const SourceLocation& where, const std::string& key_path,
                               const std::string& what) {
  std::string out = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += what;
  return out;
}

}  // namespace sellershock
