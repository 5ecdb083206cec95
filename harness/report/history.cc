#include "harness/report/history.h"

#include <nlohmann/json.hpp>

#include "harness/core/error.h"
#include "harness/report/history_schema.h"
#include "harness/report/json_report.h"
#include "harness/report/phase_stats.h"
#include "harness/report/sqlite_db.h"

namespace rh {
namespace {

constexpr Verdict kAllVerdicts[] = {Verdict::kPass,       Verdict::kFail,        Verdict::kTimeout,
                                    Verdict::kUnresolved, Verdict::kUnsupported, Verdict::kXFail,
                                    Verdict::kXPass,      Verdict::kFlaky};

// Runs newest first; ties (same second) by insertion.
constexpr const char* kNewestFirst = " ORDER BY r.started_at DESC, r.id DESC";

void insert_rom(SqliteDb& db, long long scenario, const RomInfo& rom) {
  db.prepare(
        "INSERT INTO roms(scenario, path, variant, size_bytes, sha256, budget_bytes) "
        "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, scenario)
      .bind(2, rom.path)
      .bind(3, rom.variant)
      .bind(4, rom.size_bytes)
      .bind(5, rom.sha256)
      .bind(6, rom.budget_bytes)
      .step();
  for (const auto& [key, value] : rom.provenance) {
    db.prepare("INSERT INTO rom_provenance(scenario, key, value) VALUES (?, ?, ?)")
        .bind(1, scenario)
        .bind(2, key)
        .bind(3, value)
        .step();
  }
}

void insert_phases(SqliteDb& db, long long scenario, const ScenarioResult& s) {
  for (const auto& [phase, st] : phase_stats(s)) {
    db.prepare(
          "INSERT INTO phase_timings(scenario, phase, median_ms, p95_ms, samples) "
          "VALUES (?, ?, ?, ?, ?)")
        .bind(1, scenario)
        .bind(2, phase)
        .bind(3, st.median)
        .bind(4, st.p95)
        .bind(5, st.count)
        .step();
  }
}

}  // namespace

History::History(const std::filesystem::path& path) : db_(std::make_unique<SqliteDb>(path)) {
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=NORMAL");  // WAL + NORMAL: a crash loses at most the last commit
  db_->exec("PRAGMA foreign_keys=ON");
  // A run writes a few rows per scenario and reads little: SQLite's default
  // 2 MB page cache would only grow romharness' heap over a long run.
  db_->exec("PRAGMA cache_size=-256");  // KiB
  migrate();
}

History::~History() = default;

const std::filesystem::path& History::path() const { return db_->path(); }

void History::migrate() {
  db_->transaction([&] {
    auto st = db_->prepare("PRAGMA user_version");
    st.step();
    long long version = st.integer(0);
    const auto& steps = history_schema_steps();
    if (version > static_cast<long long>(steps.size())) {
      throw SetupError("history database '" + path().string() + "' has schema version " +
                       std::to_string(version) + "; this romharness knows up to " +
                       std::to_string(steps.size()));
    }
    for (auto v = static_cast<size_t>(version); v < steps.size(); ++v) db_->exec(steps[v]);
    for (Verdict v : kAllVerdicts) {
      db_->prepare("INSERT OR REPLACE INTO verdicts(name, is_failure) VALUES (?, ?)")
          .bind(1, std::string(to_string(v)))
          .bind(2, is_failure(v) ? 1 : 0)
          .step();
    }
    db_->exec("PRAGMA user_version=" + std::to_string(steps.size()));
  });
}

long long History::run_row(const std::string& run_id) const {
  auto st = db_->prepare("SELECT id FROM runs WHERE run_id = ?");
  st.bind(1, run_id);
  if (!st.step()) {
    throw InputError("run '" + run_id + "' is not in the history database '" + path().string() +
                     "'");
  }
  return st.integer(0);
}

void History::begin_run(const RunResult& run) {
  if (run.run_id.empty()) throw InputError("cannot record a run without a run id");
  db_->transaction([&] {
    auto existing = db_->prepare("SELECT state FROM runs WHERE run_id = ?");
    existing.bind(1, run.run_id);
    if (existing.step()) {
      if (existing.text(0) == "finished") {
        throw InputError("run '" + run.run_id + "' is already recorded in '" + path().string() +
                         "'");
      }
      return;  // resuming a run that was begun
    }
    db_->prepare(
           "INSERT INTO runs(run_id, started_at, host, command_line, state) "
           "VALUES (?, ?, ?, ?, 'running')")
        .bind(1, run.run_id)
        .bind(2, run.started_at)
        .bind(3, run.host)
        .bind(4, nlohmann::json(run.command_line).dump())
        .step();
  });
}

void History::add_scenario(const std::string& run_id, const ScenarioResult& s) {
  db_->transaction([&] {
    long long run = run_row(run_id);
    db_->prepare("DELETE FROM scenarios WHERE run = ? AND name = ?")
        .bind(1, run)
        .bind(2, s.name)
        .step();
    db_->prepare(
           "INSERT INTO scenarios(run, name, file, verdict, reason, stage_reached, "
           "failure_category, nic, firmware, accel, backend, duration_ms, attempts, "
           "result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, run)
        .bind(2, s.name)
        .bind(3, s.file)
        .bind(4, std::string(to_string(s.verdict)))
        .bind(5, s.reason)
        .bind(6, s.stage_reached)
        .bind(7, s.failure.category)
        .bind(8, s.nic)
        .bind(9, s.firmware)
        .bind(10, s.accel)
        .bind(11, s.backend)
        .bind(12, s.duration_ms)
        .bind(13, s.attempts)
        .bind(14, dump_json(to_json(s), -1))
        .step();
    long long scenario = db_->last_insert_id();
    insert_rom(*db_, scenario, s.rom);
    insert_phases(*db_, scenario, s);
  });
}

void History::finish_run(const RunResult& run) {
  db_->transaction([&] {
    long long row = run_row(run.run_id);
    db_->prepare(
           "UPDATE runs SET finished_at = ?, interrupted = ?, state = 'finished' "
           "WHERE id = ?")
        .bind(1, run.finished_at)
        .bind(2, run.interrupted ? 1 : 0)
        .bind(3, row)
        .step();
  });
}

void History::record_run(const RunResult& run) {
  begin_run(run);
  for (const auto& s : run.scenarios) add_scenario(run.run_id, s);
  finish_run(run);
}

std::vector<RunSummary> History::list_runs(int limit) const {
  std::vector<RunSummary> out;
  auto st = db_->prepare(std::string("SELECT r.id, r.run_id, r.started_at, r.finished_at, r.host, "
                                     "r.interrupted, r.state FROM runs r") +
                         kNewestFirst + " LIMIT ?");
  st.bind(1, limit);
  while (st.step()) {
    RunSummary r{st.text(1), st.text(2),         st.text(3),
                 st.text(4), st.integer(5) != 0, st.text(6) == "finished",
                 {}};
    auto v = db_->prepare("SELECT verdict, COUNT(*) FROM scenarios WHERE run = ? GROUP BY verdict");
    v.bind(1, st.integer(0));
    while (v.step()) r.verdicts[v.text(0)] = static_cast<int>(v.integer(1));
    out.push_back(std::move(r));
  }
  return out;
}

RunResult History::load_run(const std::string& run_id) const {
  long long row = run_row(run_id);
  RunResult run;
  auto st = db_->prepare(
      "SELECT started_at, finished_at, host, command_line, interrupted "
      "FROM runs WHERE id = ?");
  st.bind(1, row);
  st.step();
  run.run_id = run_id;
  run.started_at = st.text(0);
  run.finished_at = st.text(1);
  run.host = st.text(2);
  auto command = nlohmann::json::parse(st.text(3), nullptr, false);
  if (command.is_array()) run.command_line = command.get<std::vector<std::string>>();
  run.interrupted = st.integer(4) != 0;
  std::string where = "history database '" + path().string() + "' run '" + run_id + "'";
  auto sc = db_->prepare("SELECT name, result_json FROM scenarios WHERE run = ? ORDER BY id");
  sc.bind(1, row);
  while (sc.step()) {
    auto j = nlohmann::json::parse(sc.text(1), nullptr, false);
    run.scenarios.push_back(scenario_from_json_at(j, where, "scenario '" + sc.text(0) + "'"));
  }
  return run;
}

std::optional<std::string> History::latest_run() const {
  auto st = db_->prepare(std::string("SELECT r.run_id FROM runs r") + kNewestFirst + " LIMIT 1");
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

std::optional<std::string> History::latest_pass(const std::string& before_run) const {
  auto st = db_->prepare(
      std::string(
          "SELECT r.run_id FROM runs r WHERE r.state = 'finished' AND r.interrupted = 0 "
          "AND EXISTS (SELECT 1 FROM scenarios s WHERE s.run = r.id) "
          "AND NOT EXISTS (SELECT 1 FROM scenarios s JOIN verdicts v ON v.name = s.verdict "
          "WHERE s.run = r.id AND v.is_failure = 1) "
          "AND r.run_id != ?1 AND NOT EXISTS (SELECT 1 FROM runs x WHERE x.run_id = ?1 "
          "AND (r.started_at > x.started_at OR (r.started_at = x.started_at AND r.id > x.id)))") +
      kNewestFirst + " LIMIT 1");
  st.bind(1, before_run);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

std::string History::resolve(const std::string& ref, const std::string& before_run) const {
  if (ref == "latest" || ref == "latest-pass") {
    auto id = ref == "latest" ? latest_run() : latest_pass(before_run);
    if (!id) {
      throw InputError("no run matches '" + ref + "' in the history database '" + path().string() +
                       "'");
    }
    return *id;
  }
  run_row(ref);  // throws naming the run when unknown
  return ref;
}

HistoryView History::trends(int last_runs) const {
  HistoryView view;
  std::string recent = std::string("(SELECT r.id FROM runs r") + kNewestFirst + " LIMIT ?)";
  auto phases = db_->prepare(
      "SELECT r.run_id, r.started_at, s.name, p.phase, p.median_ms FROM phase_timings p "
      "JOIN scenarios s ON p.scenario = s.id JOIN runs r ON s.run = r.id WHERE r.id IN " +
      recent + " ORDER BY r.started_at, r.id");
  phases.bind(1, last_runs);
  while (phases.step()) {
    view.scenarios[phases.text(2)].phase_median_ms[phases.text(3)].push_back(
        {phases.text(0), phases.text(1), phases.real(4)});
  }
  auto roms = db_->prepare(
      "SELECT r.run_id, r.started_at, s.name, m.size_bytes FROM roms m "
      "JOIN scenarios s ON m.scenario = s.id JOIN runs r ON s.run = r.id "
      "WHERE m.size_bytes IS NOT NULL AND r.id IN " +
      recent + " ORDER BY r.started_at, r.id");
  roms.bind(1, last_runs);
  while (roms.step()) {
    view.scenarios[roms.text(2)].rom_size_bytes.push_back(
        {roms.text(0), roms.text(1), static_cast<double>(roms.integer(3))});
  }
  return view;
}

}  // namespace rh
