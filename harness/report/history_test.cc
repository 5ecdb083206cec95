#include "harness/report/history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "harness/core/error.h"
#include "harness/report/json_report.h"
#include "harness/report/sample_run_for_test.h"
#include "harness/report/sqlite_db.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

fs::path fresh_db(const std::string& name) {
  fs::path dir = fs::path(RH_BINARY_DIR) / "test-tmp" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "history.sqlite";
}

RunResult run_named(const std::string& id, const std::string& started, Verdict v) {
  RunResult run = testing::sample_run();
  run.run_id = id;
  run.started_at = started;
  run.scenarios.resize(2);
  for (auto& s : run.scenarios) s.verdict = v;
  return run;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(HistoryTest, RecordedRunLoadsBackUnchanged) {
  fs::path db = fresh_db("history-roundtrip");
  RunResult run = testing::sample_run();
  for (auto& s : run.scenarios) {
    s.last_serial_lines = {"ok"};
    s.reason = "why";
  }
  run.finished_at = "2026-11-29T01:40:00Z";
  History(db).record_run(run);
  RunResult back = History(db).load_run(run.run_id);  // a new connection sees it
  EXPECT_EQ(to_json(back), to_json(run));
}

TEST(HistoryTest, LatestPassSkipsFailedInterruptedAndUnfinishedRuns) {
  fs::path db = fresh_db("history-latest");
  History h(db);
  EXPECT_EQ(error_of([&] { h.resolve("latest-pass"); }),
            "no run matches 'latest-pass' in the history database '" + db.string() + "'");
  h.record_run(run_named("r1", "2026-11-01T00:00:00Z", Verdict::kPass));
  h.record_run(run_named("r2", "2026-11-02T00:00:00Z", Verdict::kXFail));
  h.record_run(run_named("r3", "2026-11-03T00:00:00Z", Verdict::kFail));
  RunResult interrupted = run_named("r4", "2026-11-04T00:00:00Z", Verdict::kPass);
  interrupted.interrupted = true;
  h.record_run(interrupted);
  RunResult unfinished = run_named("r5", "2026-11-05T00:00:00Z", Verdict::kPass);
  h.begin_run(unfinished);
  h.add_scenario("r5", unfinished.scenarios[0]);
  EXPECT_EQ(h.resolve("latest-pass"), "r2");
  EXPECT_EQ(h.resolve("latest-pass", "r2"), "r1");  // the newest pass before r2
  EXPECT_EQ(h.resolve("latest"), "r5");
  EXPECT_EQ(h.resolve("r3"), "r3");
  EXPECT_EQ(error_of([&] { h.resolve("r9"); }),
            "run 'r9' is not in the history database '" + db.string() + "'");
  auto runs = h.list_runs();
  ASSERT_EQ(runs.size(), 5u);
  EXPECT_EQ(runs[0].run_id, "r5");
  EXPECT_FALSE(runs[0].finished);
  EXPECT_EQ(runs[2].verdicts.at("FAIL"), 2);
}

TEST(HistoryTest, RecordingAFinishedRunAgainIsRefused) {
  fs::path db = fresh_db("history-twice");
  History h(db);
  RunResult run = run_named("r1", "2026-11-01T00:00:00Z", Verdict::kPass);
  h.record_run(run);
  EXPECT_EQ(error_of([&] { h.begin_run(run); }),
            "run 'r1' is already recorded in '" + db.string() + "'");
}

TEST(HistoryTest, TrendsGivePhaseMediansAndRomSizesOldestFirst) {
  fs::path db = fresh_db("history-trends");
  History h(db);
  for (int i = 1; i <= 3; ++i) {
    RunResult run = run_named("r" + std::to_string(i),
                              "2026-11-0" + std::to_string(i) + "T00:00:00Z", Verdict::kPass);
    run.scenarios[0].phases.back().at_ms = 1000.0 * i;
    run.scenarios[0].rom.size_bytes = 70000 + i;
    h.record_run(run);
  }
  HistoryView v = h.trends(2);
  const ScenarioTrend& t = v.scenarios.at("smoke/dhcp-linux/vmxnet3-bios");
  ASSERT_EQ(t.phase_median_ms.at("kernel-start").size(), 2u);
  EXPECT_EQ(t.phase_median_ms.at("kernel-start")[0].run_id, "r2");
  EXPECT_EQ(t.phase_median_ms.at("kernel-start")[1].value, 3000);
  EXPECT_EQ(t.rom_size_bytes.back().value, 70003);
}

TEST(HistoryTest, NewerSchemaIsRefused) {
  fs::path db = fresh_db("history-newer");
  { SqliteDb(db).exec("PRAGMA user_version=99"); }
  EXPECT_EQ(error_of([&] { History h(db); }),
            "history database '" + db.string() +
                "' has schema version 99; this romharness knows up to 1");
}

// A child records scenarios one by one, as the runner does, and is killed
// with SIGKILL in the middle; the database must stay consistent and hold
// every scenario whose transaction finished.
TEST(HistoryTest, SigkillMidRunLeavesConsistentDatabaseWithFinishedScenarios) {
  fs::path db = fresh_db("history-sigkill");
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipefd[0]);
    History h(db);
    RunResult run = testing::sample_run();
    h.begin_run(run);
    for (int i = 0;; ++i) {  // until killed
      ScenarioResult s = run.scenarios[static_cast<size_t>(i) % run.scenarios.size()];
      s.name = "kill/scenario-" + std::to_string(i);
      h.add_scenario(run.run_id, s);
      char c = 1;
      if (write(pipefd[1], &c, 1) != 1) _exit(3);
    }
  }
  close(pipefd[1]);
  int acknowledged = 0;
  char c;
  while (acknowledged < 25 && read(pipefd[0], &c, 1) == 1) ++acknowledged;
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipefd[0]);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(acknowledged, 25);

  SqliteDb raw(db);
  auto check = raw.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.text(0), "ok");
  auto fk = raw.prepare("PRAGMA foreign_key_check");
  EXPECT_FALSE(fk.step()) << "dangling row in " << fk.text(0);
  // Every recorded scenario is whole: its ROM row and all its phase rows.
  auto partial = raw.prepare(
      "SELECT COUNT(*) FROM scenarios s WHERE NOT EXISTS (SELECT 1 FROM roms r WHERE r.scenario = "
      "s.id)"
      " OR (SELECT COUNT(*) FROM phase_timings p WHERE p.scenario = s.id) != 5");
  partial.step();
  EXPECT_EQ(partial.integer(0), 0);

  History h(db);
  RunResult run = h.load_run("20261129-013624-4f2a");
  EXPECT_GE(run.scenarios.size(), 25u);  // at least every acknowledged one
  EXPECT_EQ(run.scenarios[24].name, "kill/scenario-24");
  EXPECT_FALSE(h.list_runs()[0].finished);
  EXPECT_FALSE(h.latest_pass().has_value());
}

}  // namespace
}  // namespace rh
