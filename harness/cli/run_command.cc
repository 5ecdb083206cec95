#include "harness/cli/run_command.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "harness/cli/exit_codes.h"
#include "harness/cli/interrupt.h"
#include "harness/core/error.h"
#include "harness/report/history.h"
#include "harness/report/html_report.h"
#include "harness/report/json_report.h"
#include "harness/report/junit.h"
#include "harness/rom/builder.h"
#include "harness/runner/run.h"
#include "harness/scenario/load.h"
#include "harness/vm/registry.h"

namespace rh {
namespace fs = std::filesystem;

namespace {

std::vector<Scenario> load_selected(const std::vector<fs::path>& paths, const std::string& filter,
                                    const LoadOptions& load = {}) {
  std::vector<Scenario> all = filter_scenarios(load_scenarios(paths, load), filter);
  if (all.empty()) throw InputError("no scenario matches (filter '" + filter + "')");
  return all;
}

// The part of the run this machine boots: --shard, else the CI system's shard.
std::vector<Scenario> shard_of(std::vector<Scenario> all, const RunOptions& o, std::ostream& err) {
  const auto shard = o.shard ? o.shard : shard_from_environment(std::getenv);
  if (!shard) return all;
  std::vector<Scenario> mine = select_shard(all, *shard);
  err << "romharness: shard " << shard->index << "/" << shard->total << " (" << shard->source
      << "): " << mine.size() << " of " << all.size() << " scenarios\n";
  return mine;
}

// A run id names a directory under the report root: nothing that leaves it.
std::string checked_run_id(const std::string& id) {
  const bool plain = id.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789._-") == std::string::npos;
  if (!plain || id == "." || id == ".." || id == "latest") {
    throw InputError("--run-id '" + id + "': use letters, digits, '.', '_' and '-' only " +
                     "(it names a directory), and not 'latest'");
  }
  return id;
}

// Rewritten after every scenario, so an interrupted run keeps its results.
// The JSON tree of a run of hundreds is megabytes of small nodes; glibc keeps
// their freed pages resident unless asked, which bench/soak saw as 3.6 MiB
// of growth over 100 boots. malloc_trim hands them back.
void write_reports(const RunResult& run, const fs::path& dir) {
  write_json(run, dir / "results.json");
  write_junit(run, dir / "junit.xml");
  ::malloc_trim(0);
}

// What each feature of the variants this run booted costs in bytes: the same
// set built without it (from the cache when built before), per NIC and platform.
std::vector<FeatureCostRow> feature_cost_rows(const std::vector<Scenario>& scenarios,
                                              const RunOptions& o, std::ostream& err) {
  std::set<std::string> sets;
  std::set<std::string> nics;
  std::set<std::string> platforms;
  for (const auto& s : scenarios) {
    if (s.rom.variant.empty()) continue;
    sets.insert(s.rom.variant);
    nics.insert(s.rom.variant_nic);
    platforms.insert(std::string(to_string(s.firmware)));
  }
  if (sets.empty()) return {};
  err << "romharness: feature costs of " << sets.size() << " variant(s) (builds without each "
      << "feature; cached after the first time)\n";
  RomBuilder builder({.ipxe_src = o.ipxe_src.string(), .jobs = o.jobs, .progress = &err});
  const auto requests = builder.requests({sets.begin(), sets.end()}, {nics.begin(), nics.end()},
                                         {platforms.begin(), platforms.end()}, true);
  std::vector<FeatureCostRow> rows;
  for (const auto& cost : feature_costs(builder.build(requests).roms)) {
    rows.push_back({cost.feature, cost.variant + "/" + cost.nic + "/" + cost.platform, cost.cost(),
                    std::to_string(cost.with_bytes) + " bytes with, " +
                        std::to_string(cost.without_bytes) + " without"});
  }
  return rows;
}

void write_html_report(const RunResult& run, const fs::path& dir, const History& history,
                       std::vector<FeatureCostRow> costs) {
  HtmlExtras extras;
  extras.feature_costs = std::move(costs);
  write_html(run, history.trends(), dir / "index.html", extras);
}

void point_latest(const fs::path& root, const std::string& run_id) {
  const fs::path link = root / "latest";
  std::error_code ec;
  fs::remove(link, ec);
  fs::create_directory_symlink(run_id, link, ec);
}

int exit_code_for(const RunResult& run, bool allow_flaky) {
  if (run.interrupted) return kExitInterrupted;
  for (const auto& s : run.scenarios) {
    if (is_failure(s.verdict, allow_flaky)) return kExitFailures;
  }
  return kExitOk;
}

void print_summary(const RunResult& run, const fs::path& dir, std::ostream& out) {
  std::map<std::string, int> counts;
  for (const auto& s : run.scenarios) ++counts[std::string(to_string(s.verdict))];
  out << "\n" << run.scenarios.size() << " scenarios:";
  for (const auto& [verdict, n] : counts) out << " " << n << " " << verdict;
  out << (run.interrupted ? " (interrupted)" : "") << "\nreports: " << dir.string() << "/\n";
  for (const auto& w : run.warnings) out << "warning: " << w << "\n";
  for (const auto& s : run.scenarios) {
    if (!is_failure(s.verdict)) continue;
    out << "\n" << to_string(s.verdict) << " " << s.name << ": " << s.reason << "\n";
    for (const auto& line : s.last_serial_lines) out << "  | " << line << "\n";
  }
}

}  // namespace

int run_command(const RunOptions& o, std::ostream& out, std::ostream& err) {
  const std::vector<Scenario> scenarios =
      shard_of(load_selected(o.paths, o.filter, {.run_timeout = o.run_timeout}), o, err);
  InterruptWatch interrupt;  // before any thread starts
  const std::string run_id = o.run_id.empty() ? new_run_id() : checked_run_id(o.run_id);
  const fs::path dir = o.report_root / run_id;
  fs::create_directories(dir);
  BackendOptions backend_options = o.backend_options;
  backend_options.work_dir = dir / ".setup";
  backend_options.run_id = run_id;
  auto backend = make_backend(o.backend, backend_options);
  err << "romharness: " << scenarios.size() << " scenarios, -j " << o.jobs << ", "
      << backend->describe() << "\n";
  std::vector<std::string> names;
  for (const auto& s : scenarios) names.push_back(s.name);
  Progress progress(stderr, ::isatty(STDERR_FILENO) != 0, names);
  History history(o.history);
  RunResult header;
  header.run_id = run_id;
  header.started_at = utc_now_iso8601();
  history.begin_run(header);
  const RunContext context{.backend = backend.get(),
                           .report_dir = dir,
                           .payload_dir = o.payload,
                           .ipxe_src = o.ipxe_src,
                           .rom_files = o.rom_files,
                           .interrupted = &interrupt.flag()};
  const RunSettings settings{
      .jobs = o.jobs,
      .repeat = o.repeat,
      .retries = o.retries,
      .run_timeout = o.run_timeout,
      .command_line = o.command_line,
      .on_scenario_done = [&](const RunResult& so_far, const ScenarioResult& done) {
        write_reports(so_far, dir);
        history.add_scenario(run_id, done);
      }};
  const RunResult run = execute_run(scenarios, context, settings, progress);
  write_reports(run, dir);
  history.finish_run(run);
  std::vector<FeatureCostRow> costs;
  if (o.feature_cost && !o.ipxe_src.empty()) costs = feature_cost_rows(scenarios, o, err);
  write_html_report(run, dir, history, costs);
  point_latest(o.report_root, run_id);
  print_summary(run, dir, out);
  return exit_code_for(run, o.allow_flaky);
}

int list_command(const ListOptions& o, std::ostream& out) {
  const auto scenarios = load_selected(o.paths, o.filter);
  for (const auto& s : scenarios) {
    out << s.name << "  (" << s.file.string() << ":" << s.line << ")  nic=" << s.nic
        << " firmware=" << to_string(s.firmware) << " network=" << to_string(s.network)
        << " rom=" << (s.rom.variant.empty() ? s.rom.file.string() : "variant:" + s.rom.variant)
        << (s.expect.fail ? "  expect=fail" : "") << "\n";
  }
  out << scenarios.size() << " scenarios\n";
  return 0;
}

}  // namespace rh
