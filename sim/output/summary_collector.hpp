// Writers that sit beside the file writer: one that forwards to several writers, and one that keeps only
// the per-replication summary values, for the table a run prints at the end.
#pragma once

#include <vector>

#include "output/writer.hpp"

namespace sellershock {

// Forwards every call to each writer in order.
class FanOutWriter final : public ResultWriter {
 public:
  explicit FanOutWriter(std::vector<ResultWriter*> writers) : writers_(std::move(writers)) {}
  void begin(const Layout& layout, std::int64_t replications, const std::string& resolved_scenario) override {
    for (ResultWriter* w : writers_) w->begin(layout, replications, resolved_scenario);
  }
  void add(const ReplicationResult& result) override {
    for (ResultWriter* w : writers_) w->add(result);
  }
  void finish(const Provenance& provenance) override {
    for (ResultWriter* w : writers_) w->finish(provenance);
  }
  void abandon() noexcept override {
    for (ResultWriter* w : writers_) w->abandon();
  }

 private:
  std::vector<ResultWriter*> writers_;
};

// Keeps the summary entries of every replication: values()[entry][replication].
class SummaryCollector final : public ResultWriter {
 public:
  void begin(const Layout& layout, std::int64_t replications, const std::string&) override {
    summary_ = layout.summary;
    values_.assign(summary_.size(), std::vector<std::int64_t>(static_cast<std::size_t>(replications)));
  }
  void add(const ReplicationResult& result) override {
    for (std::size_t k = 0; k < summary_.size(); ++k)
      values_[k][static_cast<std::size_t>(result.replication)] = result.summary[k];
  }
  void finish(const Provenance&) override {}
  void abandon() noexcept override {}

  const std::vector<SummarySpec>& summary() const { return summary_; }
  const std::vector<std::vector<std::int64_t>>& values() const { return values_; }

 private:
  std::vector<SummarySpec> summary_;
  std::vector<std::vector<std::int64_t>> values_;
};

}  // namespace sellershock
