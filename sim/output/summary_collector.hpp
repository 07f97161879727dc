// Writers that sit beside the file writer: one that forwards to several writers, and one that keeps only
// the per-replication summary values, for the table a run prints at the end.
#pragma once

#include <optional>
#include <stdexcept>
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

// Keeps the summary entries of every replication: values(entry, element)[replication], where element
// indexes the entry's values row-major over its dims (0 for a scalar entry).
class SummaryCollector final : public ResultWriter {
 public:
  void begin(const Layout& layout, std::int64_t replications, const std::string&) override {
    layout_ = layout;
    values_.clear();
    for (const SummarySpec& spec : layout.summary)
      values_.emplace_back(layout.element_count(spec.dims),
                           std::vector<std::int64_t>(static_cast<std::size_t>(replications)));
  }
  void add(const ReplicationResult& result) override {
    for (std::size_t k = 0; k < values_.size(); ++k)
      for (std::size_t e = 0; e < values_[k].size(); ++e)
        values_[k][e][static_cast<std::size_t>(result.replication)] = result.summary[k][e];
  }
  void finish(const Provenance&) override {}
  void abandon() noexcept override {}

  const Layout& layout() const { return layout_; }
  const std::vector<SummarySpec>& summary() const { return layout_.summary; }
  // Index of the summary entry with this name, if the run produced it (e.g. no attributable entries
  // without a counterfactual).
  std::optional<std::size_t> find(const std::string& name) const {
    for (std::size_t k = 0; k < layout_.summary.size(); ++k)
      if (layout_.summary[k].name == name) return k;
    return std::nullopt;
  }
  // Index of the summary entry with this name; throws std::logic_error if there is none.
  std::size_t index_of(const std::string& name) const {
    if (const std::optional<std::size_t> k = find(name)) return *k;
    throw std::logic_error("no summary entry named '" + name + "'");
  }
  const std::vector<std::int64_t>& values(std::size_t entry, std::size_t element = 0) const {
    return values_[entry][element];
  }

 private:
  Layout layout_;
  std::vector<std::vector<std::vector<std::int64_t>>> values_;  // [entry][element][replication]
};

}  // namespace sellershock
