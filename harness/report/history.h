// Run history in SQLite (default reports/history.sqlite): runs, scenarios,
// verdicts, per-phase timings, ROM sizes and provenance, for trends and the
// release gate. A run is recorded as it happens, each step its own
// transaction in WAL mode, so a run killed mid-way leaves a consistent
// database holding every scenario that finished:
//
//   History h("reports/history.sqlite");
//   h.begin_run(run);                     // run row, state "running"
//   h.add_scenario(run.run_id, result);   // as each scenario finishes
//   h.finish_run(run);                    // finished_at, interrupted, state "finished"
//   std::string base = h.resolve("latest-pass");
//   RunResult baseline = h.load_run(base);
//
// Schema (PRAGMA user_version = 1): runs(run_id, started_at, finished_at,
// host, command_line, interrupted, state), verdicts(name, is_failure),
// scenarios(run, name, verdict, ..., result_json), phase_timings(scenario,
// phase, median_ms, p95_ms, samples), roms(scenario, path, variant,
// size_bytes, sha256, budget_bytes), rom_provenance(scenario, key, value).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/result.h"

namespace rh {

class SqliteDb;

inline constexpr const char* kDefaultHistoryPath = "reports/history.sqlite";

struct RunSummary {
  std::string run_id;
  std::string started_at;
  std::string finished_at;
  std::string host;
  bool interrupted = false;
  bool finished = false;                // false: the run died before finish_run
  std::map<std::string, int> verdicts;  // "PASS" -> 3
};

struct TrendPoint {
  std::string run_id;
  std::string started_at;
  double value = 0;
};

// Per scenario name, oldest run first.
struct ScenarioTrend {
  std::map<std::string, std::vector<TrendPoint>> phase_median_ms;
  std::vector<TrendPoint> rom_size_bytes;
};

struct HistoryView {
  std::map<std::string, ScenarioTrend> scenarios;
};

class History {
 public:
  static constexpr int kSchemaVersion = 1;

  // Creates the file and schema if needed. SetupError when it cannot be
  // opened or was written by a newer romharness.
  explicit History(const std::filesystem::path& path);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  void begin_run(const RunResult& run);  // InputError if run_id is empty or already finished
  void add_scenario(const std::string& run_id, const ScenarioResult& s);  // replaces same name
  void finish_run(const RunResult& run);
  void record_run(const RunResult& run);  // all of the above (importing a results.json)

  std::vector<RunSummary> list_runs(int limit = 50) const;  // newest first
  RunResult load_run(const std::string& run_id) const;      // InputError when unknown
  std::optional<std::string> latest_run() const;
  // The newest finished, uninterrupted run with at least one scenario and no
  // verdict that counts as a failure (PASS, XFAIL and UNSUPPORTED only),
  // other than and older than `before_run` when given (the run being gated).
  std::optional<std::string> latest_pass(const std::string& before_run = "") const;
  // "latest", "latest-pass" or a run id -> a run id; InputError otherwise.
  std::string resolve(const std::string& ref, const std::string& before_run = "") const;
  // Phase medians and ROM sizes per scenario over the newest `last_runs` runs.
  HistoryView trends(int last_runs = 20) const;

  const std::filesystem::path& path() const;

 private:
  void migrate();
  long long run_row(const std::string& run_id) const;  // InputError when unknown
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace rh
