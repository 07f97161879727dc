// Sweep files: YAML naming a base scenario, the factors to vary, a design, samples, replications per
// point and a seed. Validated like a scenario (file:line:column, did-you-mean for unknown keys); every
// factor value is applied through the scenario loader's --set overrides, so each point is validated
// exactly as `sellershock run --set` would validate it. Documented for users in docs/SWEEPS.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "experiment/design.hpp"
#include "scenario/scenario.hpp"

namespace sellershock {

enum class DesignKind { grid, lhs, sobol, morris };

// The scalar summary entry a sweep file analyses when it names no `outputs`: the headline, the loss to
// the businesses the shock suspended.
inline constexpr const char* kDefaultSweepOutput = "loss_to_suspended_cents";
const char* design_name(DesignKind kind);

struct SweepSpec {
  std::string file;                  // the sweep file's path as given
  std::string text;                  // its text, recorded in the output
  std::string scenario_path;         // the base scenario, relative to the working directory
  std::vector<std::string> fixed;    // "key=value" overrides applied to every point before the factors
  std::vector<Factor> factors;
  DesignKind design = DesignKind::lhs;
  // grid: levels of each low/high factor (a values list brings its own); lhs: points;
  // sobol: base samples N (N (k + 2) points); morris: trajectories (r (k + 1) points).
  std::size_t samples = 0;
  int replications = 1;              // per point; replication r of every point uses the same streams
  std::uint64_t seed = 0;            // replaces the scenario's seed at every point (default: the scenario's)
  std::vector<std::string> outputs;  // scalar summary entries to analyse (sensitivity table)
  std::vector<std::string> series;   // weekly series to keep, over (point, replication, run, week, ...)
  std::size_t morris_levels = 4;
  std::size_t bootstrap_samples = 1000;
};

// Reads and validates a sweep file, including every factor's key and bounds against the base scenario
// (each factor at its low and high end, or at each of its values, loaded with the fixed overrides).
// Throws InputError naming file:line:column, the key and what was expected, listing every problem
// found in the sweep file itself; problems of a factor with the scenario name the factor's line.
SweepSpec load_sweep_file(const std::string& path);

// The design's points in the unit cube.
UnitDesign make_design(const SweepSpec& spec);

// The overrides of one point: the fixed ones, then each factor's value, then the seed.
std::vector<std::string> point_overrides(const SweepSpec& spec, const UnitDesign& design, std::size_t point);

// The scenario at one point (load_scenario(spec.scenario_path, point_overrides(...))).
Scenario point_scenario(const SweepSpec& spec, const UnitDesign& design, std::size_t point);

}  // namespace sellershock
