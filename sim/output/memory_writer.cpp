#include <stdexcept>

#include "output/writer.hpp"

namespace sellershock {

void MemoryWriter::begin(const Layout& layout, std::int64_t replications, const std::string& resolved_scenario) {
  layout_ = layout;
  resolved_scenario_ = resolved_scenario;
  results_.assign(static_cast<std::size_t>(replications), ReplicationResult{});
}

void MemoryWriter::add(const ReplicationResult& result) {
  if (result.replication < 0 || static_cast<std::size_t>(result.replication) >= results_.size())
    throw std::logic_error("MemoryWriter::add: replication index out of range");
  results_[static_cast<std::size_t>(result.replication)] = result;
}

void MemoryWriter::finish(const Provenance& provenance) {
  provenance_ = provenance;
  finished_ = true;
}

}  // namespace sellershock
