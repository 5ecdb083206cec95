#include "harness/report/gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "harness/core/error.h"
#include "harness/report/history.h"
#include "harness/report/json_report.h"
#include "harness/report/sample_run_for_test.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::path(RH_BINARY_DIR) / "test-tmp" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A passing run: two boots of the same ROM, repeated 5 times each.
RunResult build_run(const std::string& id, long long rom_size, double kernel_ms) {
  RunResult run;
  run.run_id = id;
  run.started_at = "2026-11-29T0" + id.substr(id.size() - 1) + ":00:00Z";
  for (const char* nic : {"vmxnet3", "e1000"}) {
    ScenarioResult s = testing::sample_scenario(std::string("smoke/dhcp-linux/") + nic + "-bios",
                                                Verdict::kPass, kernel_ms, rom_size);
    s.rom.variant = "vmware-min";
    s.nic = nic;
    s.attempts = 5;
    s.phase_samples["kernel-start"] = {kernel_ms, kernel_ms - 40, kernel_ms + 30, kernel_ms + 10,
                                       kernel_ms + 200};
    run.scenarios.push_back(s);
  }
  return run;
}

struct Outcome {
  int code;
  std::string out, err;
};

// Errors as the command line shows them (harness/cli/exit_codes.cc).
Outcome gate(const GateCommandOptions& options) {
  std::ostringstream out, err;
  int code = 2;
  try {
    code = gate_command(options, out);
  } catch (const InputError& e) {
    err << "romharness: " << e.what() << "\n";
  }
  return {code, out.str(), err.str()};
}

TEST(GateTest, SameNumbersPass) {
  fs::path dir = fresh_dir("gate-same");
  write_json(build_run("run1", 73728, 1500), dir / "a.json");
  write_json(build_run("run2", 73728, 1500), dir / "b.json");
  Outcome o = gate({.baseline = (dir / "a.json").string(), .run = (dir / "b.json").string()});
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_THAT(o.out, HasSubstr("PASS: 0 regression(s); compared 2 scenario(s), 10 phase median(s), "
                               "2 ROM(s)"));
}

TEST(GateTest, PlantedLargerRomAndSlowerPhaseFail) {
  fs::path dir = fresh_dir("gate-planted");
  write_json(build_run("run1", 73728, 1500), dir / "a.json");
  write_json(build_run("run2", 73728 + 2048, 2400), dir / "b.json");
  Outcome o = gate({.baseline = (dir / "a.json").string(),
                    .run = (dir / "b.json").string(),
                    .limits = {.max_rom_growth_bytes = 1024, .max_phase_regression_pct = 20}});
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.out, HasSubstr("rom-growth  vmware-min/vmxnet3/bios"));
  EXPECT_THAT(o.out, HasSubstr("+2048 B"));
  EXPECT_THAT(o.out, HasSubstr("phase       smoke/dhcp-linux/e1000-bios"));
  EXPECT_THAT(o.out, HasSubstr("kernel-start"));
  // Median of 1460..1700 is 1510, p95 1666: the spread is 156 ms.
  EXPECT_THAT(o.out, HasSubstr("1510.0 ms (spread 156.0)  2410.0 ms  +59.6% (+900 ms)"));
  EXPECT_THAT(o.out, HasSubstr("FAIL: 4 regression(s)"));
}

TEST(GateTest, NoiseWithinTheBaselineSpreadIsNotARegression) {
  RunResult base = build_run("run1", 73728, 1000);  // median 1010, spread 156 ms
  RunResult now = build_run("run2", 73728, 1150);   // +14.9%, but within the spread
  GateReport r = compare_for_gate(base, now, {.max_phase_regression_pct = 10});
  EXPECT_TRUE(r.regressions.empty());
  now = build_run("run3", 73728, 1200);  // +18.8% and beyond the spread
  r = compare_for_gate(base, now, {.max_phase_regression_pct = 10});
  ASSERT_EQ(r.regressions.size(), 2u);
  EXPECT_EQ(r.regressions[0].what, "kernel-start");
}

TEST(GateTest, NewFailureAndOverBudgetRomRegress) {
  RunResult base = build_run("run1", 73728, 1500);
  RunResult now = build_run("run2", 73728, 1500);
  now.scenarios[1].verdict = Verdict::kTimeout;
  now.scenarios[1].reason = "stage 'userspace' not seen within 90s";
  now.scenarios[0].rom.budget_bytes = 65536;
  GateReport r = compare_for_gate(base, now, {});
  ASSERT_EQ(r.regressions.size(), 2u);
  EXPECT_EQ(r.regressions[0].kind, "rom-budget");
  EXPECT_EQ(r.regressions[1].kind, "verdict");
  EXPECT_EQ(r.regressions[1].current, "TIMEOUT");
}

// The run being gated is usually in the history already and may itself pass;
// "latest-pass" then means the newest passing run before it.
TEST(GateTest, LatestPassFromTheHistoryAgainstLatest) {
  fs::path dir = fresh_dir("gate-history");
  fs::path db = dir / "history.sqlite";
  {
    History h(db);
    h.record_run(build_run("run1", 73728, 1500));
    RunResult failed = build_run("run2", 60000, 900);
    failed.scenarios[0].verdict = Verdict::kFail;
    h.record_run(failed);
    h.record_run(build_run("run3", 73728 + 512, 1500));
  }
  Outcome o = gate({.baseline = "latest-pass", .db = db});
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_THAT(o.out, HasSubstr("gate: run run3 against baseline run1"));
  o = gate({.baseline = "latest-pass", .db = db, .limits = {.max_rom_growth_bytes = 512}});
  EXPECT_EQ(o.code, 0) << o.out;
}

// Usage errors (a missing --baseline, a bad number) are tested in harness/cli.
TEST(GateTest, UnknownRunNamesTheDatabase) {
  fs::path dir = fresh_dir("gate-args");
  Outcome o = gate({.baseline = "nope", .db = dir / "none.sqlite"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, "romharness: run 'latest' is not a results file and the history database '" +
                       (dir / "none.sqlite").string() + "' does not exist\n");
  EXPECT_FALSE(fs::exists(dir / "none.sqlite"));
}

TEST(ReportCommandTest, CompareShowsBothRunsSideBySide) {
  fs::path dir = fresh_dir("report-compare");
  write_json(build_run("run1", 73728, 1500), dir / "a.json");
  write_json(build_run("run2", 75000, 1800), dir / "b.json");
  std::ostringstream out, err;
  int code =
      report_command({.compare = {(dir / "a.json").string(), (dir / "b.json").string()}}, out);
  EXPECT_EQ(code, 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("A: run1"));
  EXPECT_THAT(
      out.str(),
      HasSubstr("smoke/dhcp-linux/vmxnet3-bios  PASS       PASS       73728  75000      +1272"));
  EXPECT_THAT(out.str(), HasSubstr("kernel-start"));
  EXPECT_THAT(out.str(), HasSubstr("+300.0   +19.9%"));
}

TEST(ReportCommandTest, ImportThenList) {
  fs::path dir = fresh_dir("report-import");
  write_json(build_run("run1", 73728, 1500), dir / "a.json");
  std::ostringstream out, err;
  std::string db = (dir / "h.sqlite").string();
  EXPECT_EQ(report_command({.db = db, .import = {(dir / "a.json").string()}}, out), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("imported run run1 (2 scenarios)"));
  out.str("");
  EXPECT_EQ(report_command({.db = db, .list = true}, out), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("run1  2026-11-29T01:00:00Z  finished  PASS=2"));
}

}  // namespace
}  // namespace rh
