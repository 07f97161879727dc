#include "scenario/error.hpp"

#include <algorithm>
#include <map>
#include <tuple>

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

namespace {

std::string list_problems(const std::vector<InputProblem>& problems) {
  std::string message;
  for (const InputProblem& problem : problems) {
    if (!message.empty()) message += '\n';
    message += format_input_error(problem.where, problem.key_path, problem.what);
  }
  if (problems.size() > 1) message = std::to_string(problems.size()) + " problems:\n" + message;
  return message;
}

// "a" concerns "a.b", "a[0]" and "a" itself, not "ab".
bool within(const std::string& inner, const std::string& outer) {
  if (inner.compare(0, outer.size(), outer) != 0) return false;
  return inner.size() == outer.size() || inner[outer.size()] == '.' || inner[outer.size()] == '[';
}

}  // namespace

InputError::InputError(std::vector<InputProblem> problems)
    : std::runtime_error(list_problems(problems)),
      where_(problems.empty() ? SourceLocation{} : problems.front().where),
      key_path_(problems.empty() ? std::string() : problems.front().key_path),
      problems_(std::move(problems)) {}

void InputProblems::add(SourceLocation where, std::string key_path, std::string what) {
  problems_.push_back({std::move(where), std::move(key_path), std::move(what)});
}

void InputProblems::add(const InputError& error) {
  if (!error.problems().empty()) {
    problems_.insert(problems_.end(), error.problems().begin(), error.problems().end());
    return;
  }
  // Built by format_input_error(where, key_path, what): take the "what" back out of the message.
  const std::string message = error.what();
  const std::string prefix = format_input_error(error.where(), error.key_path(), "");
  const bool has_prefix = message.compare(0, prefix.size(), prefix) == 0;
  problems_.push_back({error.where(), error.key_path(), has_prefix ? message.substr(prefix.size()) : message});
}

bool InputProblems::concerns(const std::string& key_path) const {
  return std::any_of(problems_.begin(), problems_.end(), [&](const InputProblem& problem) {
    return within(problem.key_path, key_path) || within(key_path, problem.key_path);
  });
}

void InputProblems::throw_if_any(const std::vector<std::string>& source_order) const {
  if (problems_.empty()) return;
  // Rank of each file: the first of source_order is 0, other files come next in order of first
  // mention, then the rest of source_order.
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 1; i < source_order.size(); ++i) rank.emplace(source_order[i], problems_.size() + i);
  if (!source_order.empty()) rank[source_order.front()] = 0;
  for (std::size_t i = 0; i < problems_.size(); ++i) rank.emplace(problems_[i].where.file, 1 + i);
  std::vector<InputProblem> sorted = problems_;
  auto key = [&](const InputProblem& problem) {
    const bool unplaced = problem.where.line <= 0;
    return std::make_tuple(rank.at(problem.where.file), unplaced, problem.where.line, problem.where.column);
  };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const InputProblem& a, const InputProblem& b) { return key(a) < key(b); });
  throw InputError(std::move(sorted));
}

}  // namespace sellershock
