// The sellershock command line: parses arguments, loads the scenario, runs it, and maps errors to exit
// codes (0 success, 2 bad input, 1 internal error, 130 interrupted). The only place that exits.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "experiment/calibrate.hpp"
#include "experiment/sweep.hpp"
#include "output/hdf5_writer.hpp"
#include "output/summary_collector.hpp"
#include "run/calibration.hpp"
#include "run/catalogue.hpp"
#include "run/dose_response.hpp"
#include "run/report.hpp"
#include "run/runner.hpp"
#include "scenario/error.hpp"
#include "scenario/loader.hpp"
#include "scenario/parameters.hpp"
#include "sellershock/version.hpp"

namespace {

using namespace sellershock;

constexpr int kExitSuccess = 0;
constexpr int kExitInternalError = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;

std::atomic<bool>* g_cancel_flag = nullptr;
extern "C" void request_cancel(int) {
  if (g_cancel_flag) g_cancel_flag->store(true);
}

std::string format_duration(double seconds) {
  char buffer[32];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.0fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buffer, sizeof buffer, "%dm%02ds", static_cast<int>(seconds) / 60, static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%dh%02dm", static_cast<int>(seconds) / 3600,
                  (static_cast<int>(seconds) % 3600) / 60);
  }
  return buffer;
}

// Reports progress on stderr from its own thread: a bar with ETA on a terminal, a plain line about every
// ten per cent (and at most every few seconds) otherwise.
class ProgressReporter {
 public:
  ProgressReporter(const RunProgress& progress, std::int64_t replications, std::int64_t weeks, bool enabled)
      : progress_(progress),
        replications_(replications),
        total_weeks_(std::max<std::int64_t>(1, replications * weeks)),
        terminal_(isatty(STDERR_FILENO) != 0) {
    if (enabled) thread_ = std::thread([this] { loop(); });
  }
  ~ProgressReporter() { stop(); }

  void stop() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
      if (terminal_) std::fputs("\r\033[K", stderr);
    }
  }

 private:
  void loop() {
    const auto started = std::chrono::steady_clock::now();
    int last_decile = -1;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(terminal_ ? 200 : 1000));
      if (stopping_) break;
      const double done = static_cast<double>(progress_.weeks_done.load()) / static_cast<double>(total_weeks_);
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const std::string eta = done > 0.01 ? format_duration(elapsed * (1.0 - done) / done) : "?";
      if (terminal_) {
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(done * kWidth);
        std::fprintf(stderr, "\r[%s%s] %3.0f%%  %s elapsed, ETA %s ", std::string(filled, '#').c_str(),
                     std::string(kWidth - filled, '.').c_str(), 100 * done, format_duration(elapsed).c_str(),
                     eta.c_str());
      } else if (static_cast<int>(done * 10) > last_decile) {
        last_decile = static_cast<int>(done * 10);
        std::fprintf(stderr, "progress: %3.0f%% (%lld of %lld replications done), %s elapsed, ETA %s\n", 100 * done,
                     static_cast<long long>(progress_.replications_done.load()),
                     static_cast<long long>(replications_), format_duration(elapsed).c_str(), eta.c_str());
      }
      std::fflush(stderr);
    }
  }
  const RunProgress& progress_;
  const std::int64_t replications_;
  const std::int64_t total_weeks_;
  const bool terminal_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

std::string command_line_of(int argc, char** argv) {
  std::string line;
  for (int k = 0; k < argc; ++k) {
    if (k) line += ' ';
    line += argv[k];
  }
  return line;
}

// The calibration targets the scenario names, checked before the run: the file (relative to the scenario
// file), the ids, and that the run will produce each target's metric.
std::vector<CalibrationTarget> calibration_targets_for(const Scenario& scenario, const std::string& scenario_path,
                                                       bool with_counterfactual) {
  if (scenario.calibration.targets.empty()) return {};
  const std::filesystem::path file =
      std::filesystem::path(scenario_path).parent_path() / scenario.calibration.targets_file;
  std::vector<CalibrationTarget> targets = select_calibration_targets(
      load_calibration_targets(file.string()), scenario.calibration.targets, scenario_path);
  const Layout layout = make_layout(scenario, with_counterfactual);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const bool produced = std::any_of(layout.summary.begin(), layout.summary.end(), [&](const SummarySpec& spec) {
      return spec.dims.empty() && spec.name == targets[k].metric;
    });
    if (!produced) {
      const std::string key = "calibration.targets[" + std::to_string(k) + "]";
      throw InputError({scenario_path, 0, 0}, key,
                       format_input_error({scenario_path, 0, 0}, key,
                                          "target '" + targets[k].id + "' compares with " + targets[k].metric +
                                              ", which this run does not produce" +
                                              (with_counterfactual ? "" : " without its counterfactual")));
    }
  }
  return targets;
}

std::string default_output_path(const std::string& scenario_path, const std::string& suffix = "") {
  return (std::filesystem::path("results") / std::filesystem::path(scenario_path).stem()).string() + suffix + ".h5";
}

struct RunArguments {
  std::string scenario_path;
  std::string output_path;
  std::vector<std::string> overrides;
  std::int64_t replications = 0;
  std::uint64_t seed = 0;
  bool seed_given = false;
  int threads = 0;
  bool force = false;
  bool quiet = false;
  bool no_counterfactual = false;
  std::vector<double> levels = default_dose_levels();  // dose-response only
};

// -r and --seed are overrides like any other, so that they are validated and recorded the same way.
std::vector<std::string> all_overrides(const RunArguments& args, const CLI::App& run) {
  std::vector<std::string> overrides = args.overrides;
  if (run.count("-r")) overrides.push_back("replications=" + std::to_string(args.replications));
  if (run.count("--seed")) overrides.push_back("seed=" + std::to_string(args.seed));
  return overrides;
}

Provenance provenance_of(const Scenario& scenario, const RunArguments& args, int argc, char** argv) {
  Provenance provenance;
  provenance.program_version = kProgramVersion;
  provenance.git_revision = kGitRevision;
  provenance.command_line = command_line_of(argc, argv);
  provenance.scenario_name = scenario.name;
  provenance.scenario_file = args.scenario_path;
  return provenance;
}

int command_run(const RunArguments& args, const CLI::App& run_app, int argc, char** argv) {
  const Scenario scenario = load_scenario(args.scenario_path, all_overrides(args, run_app));
  check_resources(scenario, args.scenario_path, args.threads);
  const std::vector<CalibrationTarget> targets =
      calibration_targets_for(scenario, args.scenario_path, !args.no_counterfactual);
  const std::string output_path = args.output_path.empty() ? default_output_path(args.scenario_path) : args.output_path;
  check_output_path(output_path, args.force);

  Hdf5Writer file_writer(output_path, args.force);
  SummaryCollector collected;
  FanOutWriter writer({&file_writer, &collected});

  const Provenance provenance = provenance_of(scenario, args, argc, argv);

  RunProgress progress;
  g_cancel_flag = &progress.cancel_requested;
  std::signal(SIGINT, request_cancel);
  std::signal(SIGTERM, request_cancel);

  const int threads = effective_threads(args.threads);
  if (!args.quiet)
    std::fprintf(stderr, "sellershock %s: scenario %s, %lld sellers, %d weeks, %d replications on %d threads\n",
                 kProgramVersion, scenario.name.c_str(), static_cast<long long>(scenario.sellers.count), scenario.weeks,
                 scenario.replications, threads);
  RunTimes times;
  {
    ProgressReporter reporter(progress, scenario.replications, scenario.weeks, !args.quiet);
    RunOptions options;
    options.threads = args.threads;
    options.progress = &progress;
    options.with_counterfactual = !args.no_counterfactual;
    times = run_scenario(scenario, to_yaml(scenario), writer, provenance, options);
  }
  g_cancel_flag = nullptr;

  std::printf("scenario %s: %d replications x %d weeks, %s sellers, seed %llu\n", scenario.name.c_str(),
              scenario.replications, scenario.weeks, with_thousands_separators(scenario.sellers.count).c_str(),
              static_cast<unsigned long long>(scenario.seed));
  std::printf("%s", format_summary_table(collected).c_str());
  std::printf("\n%s", format_recovery_table(collected).c_str());
  std::printf("\n%s", format_loss_table(collected).c_str());
  std::printf("\n%s", format_market_share_table(collected).c_str());
  std::printf("\n%s", format_survival_table(collected).c_str());
  if (!targets.empty()) std::printf("\nModel versus observed figures:\n%s", format_calibration_table(targets, collected).c_str());
  std::printf("written to %s: run %.2f s, of which writing the file %.3f s\n", output_path.c_str(), times.wall_seconds,
              times.writer_seconds);
  return kExitSuccess;
}

int command_dose_response(const RunArguments& args, const CLI::App& app, int argc, char** argv) {
  const Scenario scenario = load_scenario(args.scenario_path, all_overrides(args, app));
  check_resources(scenario, args.scenario_path, args.threads);
  if (scenario.counterfactual.remove.empty())
    throw InputError({args.scenario_path, 0, 0}, "counterfactual.remove",
                     format_input_error({args.scenario_path, 0, 0}, "counterfactual.remove",
                                        "a dose-response study measures the attributable loss, so the scenario must "
                                        "name the shock its counterfactual removes"));
  std::vector<double> levels = args.levels;
  try {
    check_dose_levels(levels);
  } catch (const std::invalid_argument& error) {
    throw InputError({"--levels", 0, 0}, "--levels", std::string("--levels: ") + error.what());
  }
  std::sort(levels.begin(), levels.end());
  const std::string output_path =
      args.output_path.empty() ? default_output_path(args.scenario_path, "-dose-response") : args.output_path;
  check_output_path(output_path, args.force);

  Hdf5Writer file_writer(output_path, args.force);
  SummaryCollector collected;
  FanOutWriter writer({&file_writer, &collected});
  RunProgress progress;
  g_cancel_flag = &progress.cancel_requested;
  std::signal(SIGINT, request_cancel);
  std::signal(SIGTERM, request_cancel);
  if (!args.quiet)
    std::fprintf(stderr, "sellershock %s: dose-response study of %s at %zu off-platform shares, %d replications each, on %d threads\n",
                 kProgramVersion, scenario.name.c_str(), levels.size(), scenario.replications,
                 effective_threads(args.threads));
  {
    ProgressReporter reporter(progress, scenario.replications * static_cast<std::int64_t>(levels.size()),
                              scenario.weeks, !args.quiet);
    RunOptions options;
    options.threads = args.threads;
    options.progress = &progress;
    run_dose_response(scenario, levels, writer, provenance_of(scenario, args, argc, argv), options);
  }
  g_cancel_flag = nullptr;
  std::printf("dose-response study of scenario %s: %d replications x %d weeks per level, %s sellers, seed %llu\n",
              scenario.name.c_str(), scenario.replications, scenario.weeks,
              with_thousands_separators(scenario.sellers.count).c_str(), static_cast<unsigned long long>(scenario.seed));
  std::printf("%s", format_dose_response_table(collected, levels).c_str());
  std::printf("written to %s\n", output_path.c_str());
  return kExitSuccess;
}

int command_validate(const std::string& scenario_path, const std::vector<std::string>& overrides, int threads) {
  const Scenario scenario = load_scenario(scenario_path, overrides);
  check_resources(scenario, scenario_path, threads);
  calibration_targets_for(scenario, scenario_path, true);
  std::printf("%s: valid scenario '%s': %lld sellers, %zu regions, %d weeks from %s, %d replications, %zu waves\n",
              scenario_path.c_str(), scenario.name.c_str(), static_cast<long long>(scenario.sellers.count),
              scenario.sellers.region_shares.size(), scenario.weeks, scenario.start_date.iso().c_str(),
              scenario.replications, scenario.enforcement.waves.size());
  return kExitSuccess;
}

int main_with_exceptions(int argc, char** argv) {
  CLI::App app{"sellershock: an agent-based model of online marketplaces under mass account suspensions.\n"
               "Runs scenario files into HDF5 results with Monte Carlo uncertainty bands."};
  app.set_version_flag("--version", std::string("sellershock ") + kProgramVersion + " (" + kGitRevision + ")");
  app.require_subcommand(1);

  RunArguments run_args;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its results to an HDF5 file");
  run->add_option("scenario", run_args.scenario_path, "Scenario file (YAML)")->required();
  run->add_option("-o,--output", run_args.output_path, "Output file (default: results/SCENARIO.h5)");
  run->add_option("-r,--replications", run_args.replications, "Number of replications (overrides the scenario)");
  run->add_option("-j,--threads", run_args.threads, "Worker threads (default: every core)")->check(CLI::Range(1, 4096));
  run->add_option("--seed", run_args.seed, "Random seed (overrides the scenario)");
  run->add_option("--set", run_args.overrides, "Override a scenario value, e.g. enforcement.waves[0].recall=0.8")
      ->type_name("KEY=VALUE");
  run->add_flag("--force", run_args.force, "Overwrite the output file if it exists");
  run->add_flag("-q,--quiet", run_args.quiet, "Print no progress");
  run->add_flag("--no-counterfactual", run_args.no_counterfactual,
                "Skip the counterfactual runs (faster; no attributable losses)");

  RunArguments dose_args;
  CLI::App* dose = app.add_subcommand(
      "dose-response",
      "Run the scenario with every business diversified at fixed off-platform shares of its sales, and report the "
      "attributable loss per business at each share");
  dose->add_option("scenario", dose_args.scenario_path, "Scenario file (YAML) with a counterfactual")->required();
  dose->add_option("-o,--output", dose_args.output_path, "Output file (default: results/SCENARIO-dose-response.h5)");
  dose->add_option("--levels", dose_args.levels, "Off-platform shares to run, comma-separated (default 0,0.1,...,0.5)")
      ->delimiter(',');
  dose->add_option("-r,--replications", dose_args.replications, "Replications per level (overrides the scenario)");
  dose->add_option("-j,--threads", dose_args.threads, "Worker threads (default: every core)")->check(CLI::Range(1, 4096));
  dose->add_option("--seed", dose_args.seed, "Random seed (overrides the scenario)");
  dose->add_option("--set", dose_args.overrides, "Override a scenario value")->type_name("KEY=VALUE");
  dose->add_flag("--force", dose_args.force, "Overwrite the output file if it exists");
  dose->add_flag("-q,--quiet", dose_args.quiet, "Print no progress");

  std::string validate_path;
  std::vector<std::string> validate_overrides;
  int validate_threads = 0;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file and report every problem found");
  validate->add_option("scenario", validate_path, "Scenario file (YAML)")->required();
  validate->add_option("--set", validate_overrides, "Override a scenario value")->type_name("KEY=VALUE");
  validate->add_option("-j,--threads", validate_threads, "Threads the run would use (for the memory check)");

  std::string describe_key;
  bool describe_markdown = false;
  bool describe_outputs = false;
  CLI::App* describe = app.add_subcommand("describe", "Print the parameter reference (all, or under KEY)");
  describe->add_option("key", describe_key, "Parameter key or prefix, e.g. enforcement.waves");
  describe->add_flag("--markdown", describe_markdown, "The whole reference as a Markdown table (as in docs/)");
  describe->add_flag("--outputs", describe_outputs,
                     "The output dictionary instead: every series and summary entry a run writes (Markdown)");

  SweepCommand sweep_args;
  CLI::App* sweep = app.add_subcommand("sweep", "Run a sweep file: a design of points x replications, with sensitivity indices");
  sweep->add_option("sweep", sweep_args.sweep_path, "Sweep file (YAML, docs/SWEEPS.md)")->required();
  sweep->add_option("-o,--output", sweep_args.output_path, "Output file (default: results/SWEEP.h5)");
  sweep->add_option("-j,--threads", sweep_args.threads, "Worker threads (default: every core)")->check(CLI::Range(1, 4096));
  sweep->add_flag("--force", sweep_args.force, "Overwrite the output file if it exists");
  sweep->add_flag("-q,--quiet", sweep_args.quiet, "Print no progress");
  sweep->add_flag("--resume", sweep_args.resume, "Continue an interrupted sweep from OUTPUT.journal");
  sweep->add_option("--points", sweep_args.points, "Run only points A to B-1, into the slice file -o (for merge)")
      ->type_name("A:B");
  MergeCommand merge_args;
  CLI::App* merge = app.add_subcommand("merge", "Join the slices of a sweep (sweep --points) into its file");
  merge->add_option("sweep", merge_args.sweep_path, "Sweep file (YAML)")->required();
  merge->add_option("slices", merge_args.slices, "Slice files written by sweep --points")->required();
  merge->add_option("-o,--output", merge_args.output_path, "Output file")->required();
  merge->add_flag("--force", merge_args.force, "Overwrite the output file if it exists");
  CalibrateCommand calibrate_args;
  CLI::App* calibrate = app.add_subcommand(
      "calibrate", "Score a sweep's points against the base scenario's calibration targets, then refine around the best");
  calibrate->add_option("sweep", calibrate_args.sweep_path, "Sweep file (YAML)")->required();
  calibrate->add_option("-o,--output", calibrate_args.output_path, "Output file of the refined stage");
  calibrate->add_option("-j,--threads", calibrate_args.threads, "Worker threads")->check(CLI::Range(1, 4096));
  calibrate->add_flag("--force", calibrate_args.force, "Overwrite the output file if it exists");
  calibrate->add_flag("-q,--quiet", calibrate_args.quiet, "Print no progress");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitSuccess : kExitBadInput;
  }
  if (*run) return command_run(run_args, *run, argc, argv);
  if (*dose) return command_dose_response(dose_args, *dose, argc, argv);
  if (*sweep) {
    RunProgress progress;
    g_cancel_flag = &progress.cancel_requested;
    std::signal(SIGINT, request_cancel);
    std::signal(SIGTERM, request_cancel);
    sweep_args.command_line = command_line_of(argc, argv);
    sweep_args.progress = &progress;
    std::printf("%s", run_sweep_command(sweep_args).c_str());
    return kExitSuccess;
  }
  if (*calibrate) {
    calibrate_args.command_line = command_line_of(argc, argv);
    std::printf("%s", run_calibrate_command(calibrate_args).c_str());
    return kExitSuccess;
  }
  if (*merge) {
    merge_args.command_line = command_line_of(argc, argv);
    std::printf("%s", run_merge_command(merge_args).c_str());
    return kExitSuccess;
  }
  if (*validate) return command_validate(validate_path, validate_overrides, validate_threads);
  if (*describe) {
    if (describe_outputs) {
      std::printf("%s", output_reference_markdown().c_str());
      return kExitSuccess;
    }
    std::printf("%s", (describe_markdown ? parameter_reference_markdown() : describe_parameters(describe_key)).c_str());
    return kExitSuccess;
  }
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_with_exceptions(argc, argv);
  } catch (const InputError& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return kExitBadInput;
  } catch (const RunCancelled&) {
    std::fprintf(stderr, "interrupted: no output file was written\n");
    return kExitInterrupted;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "internal error: %s\n", error.what());
    return kExitInternalError;
  }
}
