#include "harness/report/json_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/core/error.h"
#include "harness/report/sample_run_for_test.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::path(RH_BINARY_DIR) / "test-tmp" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(JsonReportTest, RoundTripKeepsEveryField) {
  RunResult run = testing::sample_run();
  for (auto& s : run.scenarios) {  // invalid UTF-8 is replaced, tested below
    s.last_serial_lines = {"clean line"};
    s.reason = "clean reason";
  }
  run.usage_at_start = {.rss_kib = 12000, .open_fds = 9};
  run.usage_at_end = {.rss_kib = 12400, .anon_kib = 7000, .file_kib = 5400, .open_fds = 9};
  fs::path file = temp_dir("json") / "results.json";
  write_json(run, file);
  RunResult back = read_json(file);
  EXPECT_EQ(to_json(back), to_json(run));
  ASSERT_EQ(back.scenarios.size(), 8u);
  const ScenarioResult& s = back.scenarios[1];
  EXPECT_EQ(s.verdict, Verdict::kFail);
  EXPECT_EQ(s.failure.ipxe_error, "0x3c092003");
  EXPECT_EQ(s.rom.size_bytes, 73728);
  EXPECT_EQ(s.rom.provenance.at("ipxe_commit"), "36a4c85");
  EXPECT_EQ(s.stages[1].at_ms, 900.25);
  EXPECT_FALSE(s.stages[2].at_ms.has_value());
  EXPECT_EQ(s.missing_phases.size(), 2u);
  EXPECT_FALSE(back.scenarios[4].rom.size_bytes.has_value());
  EXPECT_EQ(back.scenarios[7].phase_samples.at("kernel-start").size(), 3u);
  EXPECT_EQ(back.scenarios[7].attempts, 3);
  EXPECT_EQ(back.usage_at_end.rss_kib, 12400);
  EXPECT_EQ(back.usage_at_end.anon_kib, 7000);
  EXPECT_EQ(back.usage_at_end.file_kib, 5400);
  EXPECT_EQ(back.usage_at_start.open_fds, 9);
}

TEST(JsonReportTest, DocumentHasSchemaVersionNullsAndDerivedStats) {
  nlohmann::json j = to_json(testing::sample_run());
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["summary"]["PASS"], 1);
  EXPECT_TRUE(j["scenarios"][0]["stages"][2]["at_ms"].is_null());
  EXPECT_TRUE(j["scenarios"][4]["rom"]["size_bytes"].is_null());
  EXPECT_EQ(j["scenarios"][7]["phase_stats"]["kernel-start"]["median"], 1500.0);
  EXPECT_EQ(j["scenarios"][7]["phase_stats"]["rom-banner"]["count"], 1);
}

// write_json streams the scenarios; the text must be the whole tree's dump.
TEST(JsonReportTest, StreamedTextIsTheDumpOfTheWholeDocument) {
  RunResult run = testing::sample_run();
  run.command_line = {"romharness", "run", "\"scenarios\": []"};  // the splice's marker, quoted
  EXPECT_EQ(run_json_text(run), dump_json(to_json(run)));
  run.scenarios.clear();
  EXPECT_EQ(run_json_text(run), dump_json(to_json(run)));
  run.scenarios.push_back(testing::sample_run().scenarios.front());
  EXPECT_EQ(run_json_text(run), dump_json(to_json(run)));
}

TEST(JsonReportTest, InvalidUtf8IsReplacedNotThrown) {
  fs::path file = temp_dir("json-utf8") / "results.json";
  write_json(testing::sample_run(), file);
  RunResult back = read_json(file);
  EXPECT_EQ(back.scenarios[0].last_serial_lines[1], "bad byte \xEF\xBF\xBD\xEF\xBF\xBD here");
}

TEST(JsonReportTest, ErrorsNameTheFileAndKey) {
  fs::path dir = temp_dir("json-errors");
  write_text(dir / "verdict.json",
             R"({"schema_version": 1, "scenarios": [{"name": "a", "verdict": "GREAT"}]})");
  EXPECT_EQ(
      error_of([&] { read_json(dir / "verdict.json"); }),
      (dir / "verdict.json").string() + ": key 'scenarios[0].verdict' has unknown verdict 'GREAT'");
  write_text(dir / "type.json",
             R"({"schema_version": 1, "scenarios": [{"verdict": "PASS", "attempts": "two"}]})");
  EXPECT_EQ(error_of([&] { read_json(dir / "type.json"); }),
            (dir / "type.json").string() +
                ": key 'scenarios[0].attempts' must be a number, got string \"two\"");
  write_text(dir / "newer.json", R"({"schema_version": 7, "scenarios": []})");
  EXPECT_EQ(error_of([&] { read_json(dir / "newer.json"); }),
            (dir / "newer.json").string() +
                ": schema_version 7 is not supported (this romharness reads 1 to 1)");
  write_text(dir / "cut.json", R"({"schema_version": 1, "scen)");
  EXPECT_EQ(error_of([&] { read_json(dir / "cut.json"); }),
            (dir / "cut.json").string() + ": not valid JSON (is the file complete?)");
  EXPECT_EQ(error_of([&] { read_json(dir / "absent.json"); }),
            "cannot read results file '" + (dir / "absent.json").string() + "'");
}

}  // namespace
}  // namespace rh
