// Looking up a replication's summary value by name, for tests of the model's outputs.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "run/replication.hpp"

namespace sellershock::testing {

// The scalar summary entry `name` of a result simulated with or without its counterfactual.
inline std::int64_t summary_value(const Scenario& scenario, const ReplicationResult& result, const std::string& name,
                                  bool with_counterfactual) {
  const Layout layout = make_layout(scenario, with_counterfactual);
  for (std::size_t k = 0; k < layout.summary.size(); ++k)
    if (layout.summary[k].name == name) return result.summary[k].at(0);
  ADD_FAILURE() << "no summary entry " << name;
  return 0;
}

}  // namespace sellershock::testing
