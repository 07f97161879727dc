// The one interface through which results leave a run. A run calls begin() once, add() once per
// replication in any order (from one thread at a time), then finish(); if the run fails it calls
// abandon() instead of finish(), and the writer must leave nothing that looks like a finished file.
#pragma once

#include <string>
#include <vector>

#include "output/results.hpp"

namespace sellershock {

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  // replications: how many add() calls will follow; resolved_scenario: the scenario as YAML text.
  virtual void begin(const Layout& layout, std::int64_t replications, const std::string& resolved_scenario) = 0;
  virtual void add(const ReplicationResult& result) = 0;
  virtual void finish(const Provenance& provenance) = 0;
  virtual void abandon() noexcept = 0;
};

// Keeps everything in memory, for tests and for the Python bindings.
class MemoryWriter final : public ResultWriter {
 public:
  void begin(const Layout& layout, std::int64_t replications, const std::string& resolved_scenario) override;
  void add(const ReplicationResult& result) override;
  void finish(const Provenance& provenance) override;
  void abandon() noexcept override { abandoned_ = true; }

  const Layout& layout() const { return layout_; }
  const std::string& resolved_scenario() const { return resolved_scenario_; }
  // Indexed by replication number, whatever order add() was called in.
  const std::vector<ReplicationResult>& replications() const { return results_; }
  const Provenance& provenance() const { return provenance_; }
  bool finished() const { return finished_; }
  bool abandoned() const { return abandoned_; }

 private:
  Layout layout_;
  std::string resolved_scenario_;
  std::vector<ReplicationResult> results_;
  Provenance provenance_;
  bool finished_ = false;
  bool abandoned_ = false;
};

}  // namespace sellershock
