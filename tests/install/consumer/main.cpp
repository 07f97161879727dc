// Loads a scenario and runs one replication through the installed library.
#include <cstdio>

#include "run/replication.hpp"
#include "scenario/loader.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const sellershock::Scenario scenario = sellershock::load_scenario(argv[1]);
  const sellershock::ReplicationResult result = sellershock::simulate_replication(scenario, 0);
  std::printf("weeks recorded: %zu\n", result.series.at(0).size());
  return result.summary.empty() ? 1 : 0;
}
