// Errors in user input: scenario files, --set overrides, command-line values.
// Library code throws InputError; only main() turns it into exit code 2.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace sellershock {

// Where a value came from: a file position, or a command-line override.
struct SourceLocation {
  std::string file;  // path as given by the user, or "--set" for overrides
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

// One problem with the input: where, which key, and what was expected.
struct InputProblem {
  SourceLocation where;
  std::string key_path;
  std::string what;
};

class InputError : public std::runtime_error {
 public:
  // message is the whole user-facing text; build it with format_input_error.
  InputError(SourceLocation where, std::string key_path, std::string message)
      : std::runtime_error(std::move(message)), where_(std::move(where)), key_path_(std::move(key_path)) {}
  // Several problems, in the order given (at least one): the message lists them one a line and
  // where()/key_path() are those of the first.
  explicit InputError(std::vector<InputProblem> problems);

  const SourceLocation& where() const noexcept { return where_; }
  const std::string& key_path() const noexcept { return key_path_; }
  // Every problem the error reports (one for an error built from a single message).
  const std::vector<InputProblem>& problems() const noexcept { return problems_; }

 private:
  SourceLocation where_;
  std::string key_path_;
  std::vector<InputProblem> problems_;
};

// "file:line:column: key.path: expected X, found Y" (line/column and key omitted when unknown).
std::string format_input_error(const SourceLocation& where, const std::string& key_path,
                               const std::string& what);

// Collects the problems found in one input so that all of them are reported at once.
class InputProblems {
 public:
  void add(SourceLocation where, std::string key_path, std::string what);
  // Adds the problems an InputError reports (e.g. one stage that can only stop at its first).
  void add(const InputError& error);
  bool empty() const { return problems_.empty(); }
  // True if a problem concerns `key_path`, something inside it, or a section containing it
  // ("sellers" and "sellers.region_shares.US" both concern "sellers.region_shares").
  bool concerns(const std::string& key_path) const;

  // Throws one InputError listing every problem, in file order: the files in `source_order` first
  // (e.g. the scenario file, then each --set), any other file (an `extends:` base) after the first and
  // before the rest, by first mention; within a file by line and column, unplaced problems last.
  // Does nothing when there is no problem.
  void throw_if_any(const std::vector<std::string>& source_order) const;

 private:
  std::vector<InputProblem> problems_;
};

}  // namespace sellershock
