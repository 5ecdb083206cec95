// Shards 1/3, 2/3 and 3/3 of the smoke set, run apart as three CI jobs would,
// then `report --merge`: the same scenarios and verdicts as one whole run,
// one junit.xml and index.html, and one run in the history.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "harness/core/process.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kBinary = fs::path(RH_BINARY_DIR) / "harness/cli/romharness";

std::map<std::string, std::string> verdicts_in(const fs::path& results_json) {
  std::ifstream in(results_json);
  if (!in) return {};
  const auto results = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& s : results["scenarios"]) out[s["name"]] = s["verdict"];
  return out;
}

CommandOutput romharness(const std::vector<std::string>& args) {
  std::vector<std::string> argv{kBinary.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, 900s, RH_SOURCE_DIR);
}

TEST(ShardRuns, ThreeShardsMergeIntoTheWholeRun) {
  testing::TempDir tmp;
  const auto whole = romharness(
      {"run", "scenarios/smoke", "-j", "2", "--report-dir", (tmp.path() / "whole").string()});
  ASSERT_EQ(whole.status.code, 0) << whole.err;
  std::size_t booted = 0;
  std::vector<std::string> shard_dirs;
  for (int i = 1; i <= 3; ++i) {
    const fs::path root = tmp.path() / "shards" / std::to_string(i);
    const auto r =
        romharness({"run", "scenarios/smoke", "-j", "2", "--shard", std::to_string(i) + "/3",
                    "--run-id", "nightly-1", "--report-dir", root.string()});
    EXPECT_EQ(r.status.code, 0) << r.err;
    booted += verdicts_in(root / "nightly-1" / "results.json").size();
    shard_dirs.push_back((root / "nightly-1").string());
  }
  const fs::path merged = tmp.path() / "reports" / "nightly-1";
  std::vector<std::string> merge = {"report", "--merge"};
  merge.insert(merge.end(), shard_dirs.begin(), shard_dirs.end());
  merge.insert(merge.end(), {"--out", merged.string(), "--db",
                             (tmp.path() / "reports" / "history.sqlite").string()});
  const auto m = romharness(merge);
  ASSERT_EQ(m.status.code, 0) << m.err;

  const auto expected = verdicts_in(tmp.path() / "whole" / "latest" / "results.json");
  ASSERT_EQ(expected.size(), 6U);
  EXPECT_EQ(booted, expected.size()) << "each scenario in exactly one shard";
  EXPECT_EQ(verdicts_in(merged / "results.json"), expected);
  EXPECT_TRUE(fs::exists(merged / "junit.xml"));
  EXPECT_TRUE(fs::exists(merged / "index.html"));
  const auto listed = romharness(
      {"report", "--list", "--db", (tmp.path() / "reports" / "history.sqlite").string()});
  EXPECT_NE(listed.out.find("nightly-1"), std::string::npos) << listed.out;
}

}  // namespace
}  // namespace rh
