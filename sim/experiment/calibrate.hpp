// Calibration by simulated moments: a sweep's points scored against observed figures (the base
// scenario's calibration targets, data/calibration_targets.csv), then a second, narrower design around
// the best point. Documented for users in docs/SWEEPS.md ("Calibration").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "experiment/sweep.hpp"
#include "run/calibration.hpp"

namespace sellershock {

// The score of every point of a finished sweep. A target's miss is the distance from the point's mean
// (over replications; US dollars for a _cents metric, as the targets are) to the target's range, 0
// inside it, measured in the point's Monte Carlo standard error (floored at 1e-6 of the range's
// magnitude, so a run with one replication still scores); distance = sqrt(sum_t w_t z_t^2) (Eigen).
struct CalibrationScores {
  std::vector<double> distance;      // per point
  std::vector<char> inside_every;    // per point: the mean is inside every target's range
  std::size_t best = 0;              // the point with the smallest distance (the first of ties)
};
// Throws InputError naming the target if the sweep has no scalar output named by its metric.
CalibrationScores score_points(const SweepResults& results, const std::vector<CalibrationTarget>& targets,
                               const std::vector<double>& weights = {});

// The sweep narrowed around a point: each low/high factor spans `share` of its range centred on the
// point's value (in log space for log factors), clipped to the original range; a values factor keeps
// its values. The design becomes lhs if it was grid (a grid would repeat the same levels).
SweepSpec narrowed_around(const SweepSpec& spec, const std::vector<double>& factor_values, double share = 0.25);

struct CalibrationResult {
  std::vector<CalibrationTarget> targets;
  SweepResults coarse, refined;
  CalibrationScores coarse_scores, refined_scores;
  // The factor values of the best point over both stages, and its distance.
  std::vector<double> best_values;
  double best_distance = 0;
};

// Runs the sweep, scores it, runs the narrowed sweep around its best point and scores that.
CalibrationResult calibrate(const SweepSpec& spec, const std::vector<CalibrationTarget>& targets,
                            const SweepOptions& options = {});

// The best points of each stage, the points inside every range, and the best values found.
std::string format_calibration(const CalibrationResult& result, std::size_t best_count = 5);

// `sellershock calibrate SWEEP.yaml [-o OUT.h5]`: the base scenario's calibration targets (its
// calibration.targets ids in its calibration.targets_file); writes the refined stage's sweep file to
// OUT.h5 (default results/SWEEP-calibration.h5). Throws InputError if the scenario names no targets.
struct CalibrateCommand {
  std::string sweep_path;
  std::string output_path;
  int threads = 0;
  bool force = false;
  bool quiet = false;
  std::string command_line;
};
std::string run_calibrate_command(const CalibrateCommand& command);

}  // namespace sellershock
