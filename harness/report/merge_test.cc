#include "harness/report/merge.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"

namespace rh {
namespace {

ScenarioResult scenario(const std::string& name, Verdict verdict) {
  ScenarioResult s{.name = name, .verdict = verdict};
  s.artifacts["serial.log"] = name + "/serial.log";
  return s;
}

RunResult shard(const std::string& started, const std::string& finished,
                std::vector<ScenarioResult> scenarios) {
  RunResult r{.run_id = "nightly-42", .started_at = started, .finished_at = finished};
  r.host = "runner-1";
  r.scenarios = std::move(scenarios);
  return r;
}

TEST(MergeRuns, CombinesShardsIntoOneRunSortedByName) {
  auto one =
      shard("2026-12-02T01:00:05Z", "2026-12-02T01:09:00Z", {scenario("smoke/b", Verdict::kPass)});
  auto two = shard("2026-12-02T01:00:01Z", "2026-12-02T01:07:00Z",
                   {scenario("smoke/c", Verdict::kFail), scenario("smoke/a", Verdict::kPass)});
  two.notices = {"boot server bound 0.0.0.0"};
  two.interrupted = true;
  const auto whole = merge_runs({{"shards/1", one}, {"shards/2", two}}, "merged");
  ASSERT_EQ(whole.scenarios.size(), 3U);
  EXPECT_EQ(whole.scenarios[0].name, "smoke/a");
  EXPECT_EQ(whole.scenarios[2].verdict, Verdict::kFail);
  EXPECT_EQ(whole.run_id, "nightly-42");
  EXPECT_EQ(whole.started_at, "2026-12-02T01:00:01Z");
  EXPECT_EQ(whole.finished_at, "2026-12-02T01:09:00Z");
  EXPECT_TRUE(whole.interrupted);
  EXPECT_EQ(whole.notices, std::vector<std::string>{"boot server bound 0.0.0.0"});
}

TEST(MergeRuns, ArtifactPathsPointIntoTheShardsFromTheMergedDirectory) {
  const auto whole =
      merge_runs({{"shards/1", shard("a", "b", {scenario("x", Verdict::kPass)})}}, "merged");
  EXPECT_EQ(whole.scenarios[0].artifacts.at("serial.log"), "../shards/1/x/serial.log");
}

TEST(MergeRuns, AScenarioInTwoShardsIsAnErrorNamingBoth) {
  const auto a = shard("a", "b", {scenario("smoke/a", Verdict::kPass)});
  try {
    merge_runs({{"s1", a}, {"s2", a}}, "out");
    FAIL();
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'smoke/a'"), std::string::npos);
    EXPECT_NE(what.find("s1"), std::string::npos);
    EXPECT_NE(what.find("s2"), std::string::npos);
  }
  EXPECT_THROW(merge_runs({}, "out"), InputError);
}

}  // namespace
}  // namespace rh
