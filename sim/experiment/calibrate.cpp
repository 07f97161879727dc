#include "experiment/calibrate.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "output/hdf5_writer.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"

namespace sellershock {

namespace {

bool is_cents(const std::string& metric) {
  return metric.size() >= 6 && metric.compare(metric.size() - 6, 6, "_cents") == 0;
}

const SweepOutput& output_named(const SweepResults& results, const CalibrationTarget& target) {
  for (const SweepOutput& output : results.outputs)
    if (output.spec.name == target.metric) return output;
  throw InputError(target.where, "calibration target " + target.id,
                   format_input_error(target.where, target.id,
                                      "the sweep produces no scalar summary entry '" + target.metric + "'"));
}

}  // namespace

CalibrationScores score_points(const SweepResults& results, const std::vector<CalibrationTarget>& targets,
                               const std::vector<double>& weights) {
  const std::size_t points = results.points;
  const auto t_count = static_cast<Eigen::Index>(targets.size());
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(points), t_count);
  CalibrationScores scores;
  scores.inside_every.assign(points, 1);
  for (Eigen::Index t = 0; t < t_count; ++t) {
    const CalibrationTarget& target = targets[static_cast<std::size_t>(t)];
    const SweepOutput& output = output_named(results, target);
    const double unit = is_cents(target.metric) ? 100.0 : 1.0;
    const double floor = 1e-6 * std::max({1.0, std::abs(target.low), std::abs(target.high)});
    for (std::size_t p = 0; p < points; ++p) {
      const double* s = &output.statistics[p * kSweepStatisticCount];
      const double mean = s[0] / unit;
      const double standard_error = std::max(s[4] / unit, floor);
      const double miss = mean < target.low ? target.low - mean : mean > target.high ? mean - target.high : 0.0;
      if (miss > 0) scores.inside_every[p] = 0;
      z(static_cast<Eigen::Index>(p), t) = miss / standard_error;
    }
  }
  Eigen::VectorXd w = Eigen::VectorXd::Ones(t_count);
  for (Eigen::Index t = 0; t < t_count && static_cast<std::size_t>(t) < weights.size(); ++t)
    w(t) = weights[static_cast<std::size_t>(t)];
  const Eigen::VectorXd squared = z.array().square().matrix() * w;
  scores.distance.resize(points);
  for (std::size_t p = 0; p < points; ++p) scores.distance[p] = std::sqrt(squared(static_cast<Eigen::Index>(p)));
  scores.best = static_cast<std::size_t>(std::min_element(scores.distance.begin(), scores.distance.end()) -
                                         scores.distance.begin());
  return scores;
}

SweepSpec narrowed_around(const SweepSpec& spec, const std::vector<double>& factor_values, double share) {
  SweepSpec narrow = spec;
  for (std::size_t j = 0; j < narrow.factors.size(); ++j) {
    Factor& f = narrow.factors[j];
    if (!f.values.empty()) continue;
    if (f.log) {
      const double half = share * (std::log(f.high) - std::log(f.low)) / 2;
      const double centre = std::log(factor_values[j]);
      const double low = std::max(std::log(f.low), centre - half), high = std::min(std::log(f.high), centre + half);
      f.low = std::exp(low);
      f.high = std::exp(high);
    } else {
      const double half = share * (f.high - f.low) / 2;
      const double low = std::max(f.low, factor_values[j] - half), high = std::min(f.high, factor_values[j] + half);
      f.low = low;
      f.high = high;
    }
  }
  if (narrow.design == DesignKind::grid) narrow.design = DesignKind::lhs;
  return narrow;
}

CalibrationResult calibrate(const SweepSpec& spec, const std::vector<CalibrationTarget>& targets,
                            const SweepOptions& options) {
  CalibrationResult result;
  result.targets = targets;
  result.coarse = run_sweep(spec, options);
  result.coarse_scores = score_points(result.coarse, targets);
  const std::size_t k = spec.factors.size();
  const auto values_of = [k](const SweepResults& r, std::size_t p) {
    return std::vector<double>(r.factor_values.begin() + static_cast<std::ptrdiff_t>(p * k),
                               r.factor_values.begin() + static_cast<std::ptrdiff_t>((p + 1) * k));
  };
  const std::vector<double> coarse_best = values_of(result.coarse, result.coarse_scores.best);
  // The narrowed sweep keeps the seed: common random numbers with the first stage.
  const SweepSpec narrow = narrowed_around(spec, coarse_best);
  result.refined = run_sweep(narrow, options);
  result.refined_scores = score_points(result.refined, targets);
  const double coarse_distance = result.coarse_scores.distance[result.coarse_scores.best];
  const double refined_distance = result.refined_scores.distance[result.refined_scores.best];
  if (refined_distance < coarse_distance) {
    result.best_values = values_of(result.refined, result.refined_scores.best);
    result.best_distance = refined_distance;
  } else {
    result.best_values = coarse_best;
    result.best_distance = coarse_distance;
  }
  return result;
}

std::string format_calibration(const CalibrationResult& result, std::size_t best_count) {
  std::string text;
  char line[512];
  const SweepSpec& spec = result.coarse.spec;
  const auto stage = [&](const char* name, const SweepResults& r, const CalibrationScores& s) {
    std::snprintf(line, sizeof line, "%s: %zu points x %d replications; best points (distance in standard errors):\n",
                  name, r.points, r.spec.replications);
    text += line;
    std::vector<std::size_t> order(r.points);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.distance[a] < s.distance[b]; });
    for (std::size_t n = 0; n < std::min(best_count, order.size()); ++n) {
      const std::size_t p = order[n];
      std::snprintf(line, sizeof line, "  point %4zu  distance %10.3f%s ", p, s.distance[p], s.inside_every[p] ? " (inside every range)" : "");
      text += line;
      for (std::size_t j = 0; j < spec.factors.size(); ++j) {
        std::snprintf(line, sizeof line, " %s=%.6g", spec.factors[j].key.c_str(), r.factor_values[p * spec.factors.size() + j]);
        text += line;
      }
      text += "\n";
    }
    const auto inside = static_cast<std::size_t>(std::count(s.inside_every.begin(), s.inside_every.end(), char{1}));
    std::snprintf(line, sizeof line, "  %zu of %zu points inside every target's range\n", inside, r.points);
    text += line;
  };
  text += "calibration of " + spec.file + " against " + std::to_string(result.targets.size()) + " targets:";
  for (const CalibrationTarget& t : result.targets) text += " " + t.id;
  text += "\n";
  stage("first stage", result.coarse, result.coarse_scores);
  stage("refined stage (each range narrowed to a quarter around the best point)", result.refined,
        result.refined_scores);
  std::snprintf(line, sizeof line, "best: distance %.3f at", result.best_distance);
  text += line;
  for (std::size_t j = 0; j < spec.factors.size(); ++j) {
    std::snprintf(line, sizeof line, " %s=%.6g", spec.factors[j].key.c_str(), result.best_values[j]);
    text += line;
  }
  return text + "\n";
}

std::string run_calibrate_command(const CalibrateCommand& command) {
  const SweepSpec spec = load_sweep_file(command.sweep_path);
  const Scenario base = load_scenario(spec.scenario_path, spec.fixed);
  if (base.calibration.targets.empty())
    throw InputError(SourceLocation{spec.scenario_path, 0, 0}, "calibration.targets",
                     format_input_error({spec.scenario_path, 0, 0}, "calibration.targets",
                                        "calibrate needs the base scenario to name its calibration targets"));
  const std::filesystem::path targets_file =
      std::filesystem::path(spec.scenario_path).parent_path() / base.calibration.targets_file;
  const std::vector<CalibrationTarget> targets = select_calibration_targets(
      load_calibration_targets(targets_file.string()), base.calibration.targets, spec.scenario_path);
  const std::string output_path =
      command.output_path.empty()
          ? (std::filesystem::path("results") / std::filesystem::path(command.sweep_path).stem()).string() +
                "-calibration.h5"
          : command.output_path;
  check_output_path(output_path, command.force);
  SweepOptions options;
  options.threads = command.threads;
  options.quiet = command.quiet;
  const CalibrationResult result = calibrate(spec, targets, options);
  write_sweep_file(output_path, result.refined, command.command_line, command.force);
  return format_calibration(result) + "refined stage written to " + output_path + "\n";
}

}  // namespace sellershock
