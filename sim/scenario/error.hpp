// Errors in user input: scenario files, --set overrides, command-line values.
// Library code throws InputError; only main() turns it into exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace sellershock {

// Where a value came from: a file position, or a command-line override.
struct SourceLocation {
  std::string file;  // path as given by the user, or "--set" for overrides
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

class InputError : public std::runtime_error {
 public:
  // message is the whole user-facing text; build it with format_input_error.
  InputError(SourceLocation where, std::string key_path, std::string message)
      : std::runtime_error(std::move(message)), where_(std::move(where)), key_path_(std::move(key_path)) {}

  const SourceLocation& where() const noexcept { return where_; }
  const std::string& key_path() const noexcept { return key_path_; }

 private:
  SourceLocation where_;
  std::string key_path_;
};

// "file:line:column: key.path: expected X, found Y" (line/column and key omitted when unknown).
std::string format_input_error(const SourceLocation& where, const std::string& key_path,
                               const std::string& what);

}  // namespace sellershock
