// The sellershock command line: parses arguments, calls the library (run/plan.hpp), prints, and maps
// errors to exit codes: 0 success, 2 bad input (including an unusable output path or a full disk),
// 1 internal error, 130 interrupted (SIGINT, SIGTERM, SIGHUP, or the pipe its progress goes to closed),
// in which case no output file is written. The only place that exits.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "experiment/calibrate.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_read.hpp"
#include "output/hdf5_writer.hpp"
#include "run/catalogue.hpp"
#include "run/dose_response.hpp"
#include "run/plan.hpp"
#include "run/run_report.hpp"
#include "scenario/error.hpp"
#include "scenario/parameters.hpp"
#include "sellershock/version.hpp"
#include "state/column.hpp"

namespace {

using namespace sellershock;

constexpr int kExitSuccess = 0;
constexpr int kExitInternalError = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;

// Shared by the signal handlers and the run: a handler only stores to lock-free atomics.
RunProgress g_progress;
std::atomic<int> g_stop_signal{0};  // the first signal that asked the run to stop (SIGPIPE: a closed pipe)

void request_stop(int signal_number) {
  int none = 0;
  g_stop_signal.compare_exchange_strong(none, signal_number);
  g_progress.cancel_requested.store(true);
}

extern "C" void on_stop_signal(int signal_number) { request_stop(signal_number); }

// First thing in main, so that a signal at any later moment stops the run cleanly. INT and HUP stay
// ignored when the caller ignored them (nohup, background jobs). SIGPIPE is ignored: a write to a closed
// pipe fails with EPIPE instead, which the writes below turn into a stop. The four are unblocked, since
// a mask inherited from the caller would otherwise hold them back for the whole run.
void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (const int signal_number : {SIGINT, SIGHUP, SIGTERM}) {
    struct sigaction previous {};
    sigaction(signal_number, nullptr, &previous);
    if (signal_number != SIGTERM && previous.sa_handler == SIG_IGN) continue;
    sigaction(signal_number, &action, nullptr);
  }
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (const int signal_number : {SIGINT, SIGHUP, SIGTERM, SIGPIPE}) sigaddset(&stop_signals, signal_number);
  sigprocmask(SIG_UNBLOCK, &stop_signals, nullptr);
}

void throw_if_stopped() {
  if (g_progress.cancel_requested.load()) throw RunCancelled();
}

// Writes to stderr; a closed pipe there means nobody is listening: stop the run.
void print_progress(const std::string& text) {
  if (std::fputs(text.c_str(), stderr) < 0 || std::fflush(stderr) != 0) {
    if (errno == EPIPE) request_stop(SIGPIPE);
  }
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
      if (terminal_) print_progress("\r\033[K");
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
      char line[256];
      if (terminal_) {
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(done * kWidth);
        std::snprintf(line, sizeof line, "\r[%s%s] %3.0f%%  %s elapsed, ETA %s ", std::string(filled, '#').c_str(),
                      std::string(kWidth - filled, '.').c_str(), 100 * done, format_duration(elapsed).c_str(),
                      eta.c_str());
        print_progress(line);
      } else if (static_cast<int>(done * 10) > last_decile) {
        last_decile = static_cast<int>(done * 10);
        std::snprintf(line, sizeof line, "progress: %3.0f%% (%lld of %lld replications done), %s elapsed, ETA %s\n",
                      100 * done, static_cast<long long>(progress_.replications_done.load()),
                      static_cast<long long>(replications_), format_duration(elapsed).c_str(), eta.c_str());
        print_progress(line);
      }
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

// Prints the report on stdout. A reader that closed the pipe (`run ... | head`) wanted no more: the
// results are already in the file, so that is no error; any other failure is.
void print_report(const std::string& text, const std::string& output_path) {
  if (std::fputs(text.c_str(), stdout) >= 0 && std::fflush(stdout) == 0) return;
  if (errno == EPIPE) return;
  throw std::runtime_error(std::string("cannot print the report on standard output: ") + std::strerror(errno) +
                           " (the results were written to " + output_path + ")");
}

// The run's time by phase (run --timings; tools/benchmark.py reads this line).
std::string timings_line(const RunTimes& times) {
  std::string line = "time by phase, s, summed over replications:";
  for (const auto& [name, phase] : kPhases) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " %.2f", times.phases.*phase);
    line += (line.back() == ':' ? " " : ", ") + std::string(name) + seconds;
  }
  return line + "\n";
}

std::string command_line_of(int argc, char** argv) {
  std::string line;
  for (int k = 0; k < argc; ++k) {
    if (k) line += ' ';
    line += argv[k];
  }
  return line;
}

struct RunArguments {
  RunPlan plan;
  std::string output_path;  // used only when -o was given (it may then be empty, which is refused)
  std::string replications, seed;
  bool force = false;
  bool quiet = false;
  bool no_counterfactual = false;
  bool timings = false;  // run only
  std::vector<double> levels = default_dose_levels();  // dose-response only
};

// -r and --seed are taken as text and become overrides, so they are validated like the file's values.
RunPlan plan_of(RunArguments args, const CLI::App& command) {
  if (command.count("--replications")) args.plan.replications = args.replications;
  if (command.count("--seed")) args.plan.seed = args.seed;
  args.plan.with_counterfactual = !args.no_counterfactual;
  return args.plan;
}

void add_threads_option(CLI::App* command, int& threads, const std::string& description) {
  command->add_option("-j,--threads", threads, description)->check(CLI::Range(1, kMaxThreads));
}

void add_run_options(CLI::App* command, RunArguments& args, const std::string& output_help,
                     const std::string& replications_help) {
  command->add_option("-o,--output", args.output_path, output_help);
  command->add_option("-r,--replications", args.replications, replications_help)->type_name("INT");
  add_threads_option(command, args.plan.threads, "Worker threads (default: every core)");
  command->add_option("--seed", args.seed, "Random seed (overrides the scenario)")->type_name("UINT64");
  command->add_option("--set", args.plan.overrides, "Override a scenario value, e.g. enforcement.waves[0].recall=0.8")
      ->type_name("KEY=VALUE");
  command->add_flag("--force", args.force, "Overwrite the output file if it exists");
  command->add_flag("-q,--quiet", args.quiet, "Print no progress");
}

int command_run(const RunArguments& args, const CLI::App& command, int argc, char** argv) {
  const PreparedRun run = prepare_run(plan_of(args, command));
  const std::string output_path = command.count("--output") ? args.output_path : default_output_path(run);
  check_output_path(output_path, args.force);
  throw_if_stopped();
  const Scenario& scenario = run.scenario;
  if (!args.quiet)
    print_progress("sellershock " + std::string(kProgramVersion) + ": scenario " + scenario.name + ", " +
                   std::to_string(scenario.sellers.count) + " sellers, " + std::to_string(scenario.weeks) +
                   " weeks, " + std::to_string(scenario.replications) + " replications on " +
                   std::to_string(effective_threads(run.plan.threads)) + " threads\n");
  RunOutcome outcome;
  {
    ProgressReporter reporter(g_progress, scenario.replications, scenario.weeks, !args.quiet);
    outcome = run_to_file(run, output_path, args.force, provenance_of(run, command_line_of(argc, argv)), &g_progress);
  }
  char written[64];
  std::snprintf(written, sizeof written, ": run %.2f s, of which writing the file %.3f s\n", outcome.times.wall_seconds,
                outcome.times.writer_seconds);
  const std::string timings = args.timings ? timings_line(outcome.times) : "";
  print_report(outcome.report + "written to " + output_path + written + timings, output_path);
  return kExitSuccess;
}

int command_dose_response(const RunArguments& args, const CLI::App& command, int argc, char** argv) {
  const PreparedDoseResponse study = prepare_dose_response(plan_of(args, command), args.levels);
  const std::string output_path = command.count("--output") ? args.output_path : default_output_path(study);
  check_output_path(output_path, args.force);
  throw_if_stopped();
  const Scenario& scenario = study.run.scenario;
  if (!args.quiet)
    print_progress("sellershock " + std::string(kProgramVersion) + ": dose-response study of " + scenario.name +
                   " at " + std::to_string(study.levels.size()) + " off-platform shares, " +
                   std::to_string(scenario.replications) + " replications each, on " +
                   std::to_string(effective_threads(study.run.plan.threads)) + " threads\n");
  RunOutcome outcome;
  {
    ProgressReporter reporter(g_progress, scenario.replications * static_cast<std::int64_t>(study.levels.size()),
                              scenario.weeks, !args.quiet);
    outcome = run_to_file(study, output_path, args.force, provenance_of(study.run, command_line_of(argc, argv)),
                          &g_progress);
  }
  print_report(outcome.report + "written to " + output_path + "\n", output_path);
  return kExitSuccess;
}

// Reprints a sweep's table from its file: text as `sweep` printed it (without the "written to" line),
// JSON or CSV for scripts.
int command_summarize_sweep(const std::string& path, const std::string& format) {
  std::string note;
  const SweepResults results = read_sweep_file(path, &note);
  std::string text;
  if (format == "json") {
    text = format_sweep_json(results, path);
  } else if (format == "csv") {
    text = format_sweep_csv(results);
  } else {
    text = format_sweep_table(results);
    if (!note.empty()) print_progress("note: " + note + "\n");
  }
  print_report(text, "");
  return kExitSuccess;
}

// Reprints a run's tables from its file: text (as `run` printed them), JSON or CSV for scripts. A sweep's
// file (@kind "sweep") gets the sweep's table.
int command_summarize(const std::string& path, const std::string& format) {
  if (is_sweep_file(path)) return command_summarize_sweep(path, format);
  const RunFile file = read_run_file(path);
  std::string text;
  if (format == "json") {
    text = format_summaries_json(file);
  } else if (format == "csv") {
    text = format_summaries_csv(file);
  } else {
    std::string note;
    text = run_file_report(file, &note);
    if (!note.empty()) print_progress("note: " + note + "\n");
  }
  print_report(text, "");
  return kExitSuccess;
}

int command_validate(const RunPlan& plan) {
  const PreparedRun run = prepare_run(plan);
  throw_if_stopped();
  std::printf("%s", validation_report(run).c_str());
  return kExitSuccess;
}

int main_with_exceptions(int argc, char** argv) {
  CLI::App app{"sellershock: an agent-based model of online marketplaces under mass account suspensions.\n"
               "Runs scenario files into HDF5 results with Monte Carlo uncertainty bands."};
  app.set_version_flag("--version", std::string("sellershock ") + kProgramVersion + " (" + kGitRevision + ")");
  app.require_subcommand(1);

  RunArguments run_args;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its results to an HDF5 file");
  run->add_option("scenario", run_args.plan.scenario_path, "Scenario file (YAML)")->required();
  add_run_options(run, run_args, "Output file (default: results/SCENARIO.h5)",
                  "Number of replications (overrides the scenario)");
  run->add_flag("--no-counterfactual", run_args.no_counterfactual,
                "Skip the counterfactual runs (faster; no attributable losses)");
  run->add_flag("--timings", run_args.timings,
                "Also print where the run's time went, by phase of the week (set-up, alias tables, buyers' choice, "
                "allocation, seller pass, ...)");

  RunArguments dose_args;
  CLI::App* dose = app.add_subcommand(
      "dose-response",
      "Run the scenario with every business diversified at fixed off-platform shares of its sales, and report the "
      "attributable loss per business at each share");
  dose->add_option("scenario", dose_args.plan.scenario_path, "Scenario file (YAML) with a counterfactual")->required();
  add_run_options(dose, dose_args, "Output file (default: results/SCENARIO-dose-response.h5)",
                  "Replications per level (overrides the scenario)");
  dose->add_option("--levels", dose_args.levels, "Off-platform shares to run, comma-separated (default 0,0.1,...,0.5)")
      ->delimiter(',');

  RunPlan validate_plan;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file and report every problem found");
  validate->add_option("scenario", validate_plan.scenario_path, "Scenario file (YAML)")->required();
  validate->add_option("--set", validate_plan.overrides, "Override a scenario value")->type_name("KEY=VALUE");
  add_threads_option(validate, validate_plan.threads, "Threads the run would use (for the memory check)");

  std::string summarize_path;
  std::string summarize_format = "text";
  CLI::App* summarize_command = app.add_subcommand(
      "summarize",
      "Print a run's or a sweep's tables again from its output file (text as the command printed them, json or csv)");
  summarize_command->add_option("file", summarize_path, "Output file of a run, dose-response study or sweep (.h5)")
      ->required();
  summarize_command->add_option("--format", summarize_format, "text (default), json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));

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
  if (*validate) return command_validate(validate_plan);
  if (*summarize_command) return command_summarize(summarize_path, summarize_format);
  if (*sweep) {
    // Signals were wired first thing in main(): they stop the sweep at the next run (kept in the journal).
    sweep_args.command_line = command_line_of(argc, argv);
    sweep_args.progress = &g_progress;
    print_report(run_sweep_command(sweep_args), sweep_args.output_path);
    return kExitSuccess;
  }
  if (*calibrate) {
    calibrate_args.command_line = command_line_of(argc, argv);
    print_report(run_calibrate_command(calibrate_args), "");
    return kExitSuccess;
  }
  if (*merge) {
    merge_args.command_line = command_line_of(argc, argv);
    print_report(run_merge_command(merge_args), "");
    return kExitSuccess;
  }
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

const char* signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "output pipe closed";
    default: return "stopped";
  }
}

}  // namespace

int main(int argc, char** argv) {
  install_stop_handlers();
  sellershock::keep_freed_memory();
  // Messages go to stderr, which may be a closed pipe by now: nothing more to do about that.
  try {
    return main_with_exceptions(argc, argv);
  } catch (const InputError& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return kExitBadInput;
  } catch (const RunCancelled&) {
    std::fprintf(stderr, "interrupted (%s): no output file was written\n", signal_name(g_stop_signal.load()));
    return kExitInterrupted;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "internal error: %s\n", error.what());
    return kExitInternalError;
  }
}
