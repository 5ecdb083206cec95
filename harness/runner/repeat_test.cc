#include "harness/runner/repeat.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

ScenarioResult attempt(Verdict v, double userspace_ms) {
  ScenarioResult r;
  r.name = "smoke/x/e1000-bios";
  r.verdict = v;
  r.reason = "all 3 stages seen";
  r.duration_ms = 1000;
  r.phases = {{"vm-start", 0, "harness"}, {"userspace-marker", userspace_ms, "serial"}};
  return r;
}

TEST(Repeat, AgreeingAttemptsKeepTheVerdictAndTakeMedians) {
  const ScenarioResult r =
      combine_attempts({attempt(Verdict::kPass, 3000), attempt(Verdict::kPass, 5000),
                        attempt(Verdict::kPass, 4000)});
  EXPECT_EQ(r.verdict, Verdict::kPass);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_DOUBLE_EQ(r.phases[1].at_ms, 4000);
  EXPECT_EQ(r.phase_samples.at("userspace-marker"), (std::vector<double>{3000, 5000, 4000}));
  EXPECT_DOUBLE_EQ(r.duration_ms, 3000);
  EXPECT_EQ(r.reason, "all 3 stages seen (3 attempts agree)");
}

TEST(Repeat, DisagreeingAttemptsAreFlaky) {
  ScenarioResult timeout = attempt(Verdict::kTimeout, 0);
  timeout.reason = "stage 'userspace' not seen within 60.0s";
  const ScenarioResult r = combine_attempts({attempt(Verdict::kPass, 3000), timeout});
  EXPECT_EQ(r.verdict, Verdict::kFlaky);
  EXPECT_EQ(r.reason,
            "attempts disagree: PASS, TIMEOUT; last: stage 'userspace' not seen within 60.0s");
  EXPECT_TRUE(is_failure(r.verdict));
  EXPECT_FALSE(is_failure(r.verdict, /*allow_flaky=*/true));
}

TEST(Repeat, OneAttemptIsUnchanged) {
  const ScenarioResult r = combine_attempts({attempt(Verdict::kFail, 10)});
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.phase_samples.empty());
}

}  // namespace
}  // namespace rh
