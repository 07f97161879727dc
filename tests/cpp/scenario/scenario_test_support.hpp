// Helpers shared by the scenario layer's tests: scratch files and checks on InputError messages.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "scenario/error.hpp"

namespace sellershock::testing {

inline std::filesystem::path fixture_path(const std::string& relative) {
  return std::filesystem::path(SELLERSHOCK_SOURCE_DIR) / "tests" / "fixtures" / "scenarios" / relative;
}

// A fresh directory for one test's files, removed afterwards.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("sellershock-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  // Writes `text` to name (relative to the directory) and returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `action`, which must throw InputError, and returns the error's message ("" and a failure if not).
inline std::string input_error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

// Every part must occur in the message.
inline ::testing::AssertionResult contains_all(const std::string& message, std::initializer_list<std::string> parts) {
  for (const std::string& part : parts)
    if (message.find(part) == std::string::npos)
      return ::testing::AssertionFailure() << "message lacks '" << part << "': " << message;
  return ::testing::AssertionSuccess();
}

}  // namespace sellershock::testing
