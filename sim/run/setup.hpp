// Building the world of one replication from a scenario.
#pragma once

#include "scenario/scenario.hpp"
#include "state/world.hpp"

namespace sellershock {

// Deterministic in (scenario, replication): every attribute is drawn from streams keyed by the entity.
World make_world(const Scenario& scenario, std::int64_t replication);

}  // namespace sellershock
