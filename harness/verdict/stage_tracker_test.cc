#include "harness/verdict/stage_tracker.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

Pattern re(const std::string& text) { return {text, std::regex(text)}; }

Scenario two_stages() {
  Scenario s;
  s.stages.push_back({.name = "ipxe", .kind = StageSpec::Kind::kSerial, .serial = re("iPXE")});
  s.stages.push_back({.name = "script",
                      .kind = StageSpec::Kind::kHttp,
                      .http_method = "GET",
                      .http_path = "/boot.ipxe",
                      .timeout = std::chrono::milliseconds(1000)});
  s.fail_on.push_back(re("No bootable device"));
  s.timeout = std::chrono::seconds(10);
  return s;
}

TEST(StageTracker, SeesStagesInOrder) {
  const Scenario s = two_stages();
  StageTracker t(s);
  t.on_http(5, "GET", "/other.ipxe");  // no stage's
  t.on_serial(10, "iPXE initialising devices...ok");
  EXPECT_FALSE(t.finished());
  t.on_http(20, "GET", "/boot.ipxe");
  ASSERT_TRUE(t.finished());
  EXPECT_EQ(t.outcome().kind, BootOutcome::Kind::kAllStagesSeen);
  EXPECT_EQ(t.stages()[1].at_ms, 20);
  EXPECT_EQ(t.last_stage_seen(), "script");
}

// The libvirt console can arrive seconds late, in one piece: the HTTP
// request of the next stage was seen first and still counts.
TEST(StageTracker, ARequestSeenBeforeTheLateConsoleLineOfThePreviousStageCounts) {
  const Scenario s = two_stages();
  StageTracker t(s);
  t.on_http(5, "GET", "/boot.ipxe");
  EXPECT_FALSE(t.finished());
  t.on_serial(80, "iPXE initialising devices...ok");
  ASSERT_TRUE(t.finished());
  EXPECT_EQ(t.outcome().kind, BootOutcome::Kind::kAllStagesSeen);
  EXPECT_EQ(t.stages()[1].at_ms, 80);  // never before the stage it follows
}

TEST(StageTracker, EachSourceKeepsItsOwnOrder) {
  Scenario s;
  s.stages.push_back({.name = "a", .kind = StageSpec::Kind::kSerial, .serial = re("first")});
  s.stages.push_back({.name = "b", .kind = StageSpec::Kind::kSerial, .serial = re("second")});
  s.timeout = std::chrono::seconds(10);
  StageTracker t(s);
  t.on_serial(1, "second");  // before "first" on the same console: not b's
  t.on_serial(2, "first");
  EXPECT_FALSE(t.finished());
  EXPECT_EQ(t.last_stage_seen(), "a");
  t.on_serial(3, "second");
  EXPECT_EQ(t.outcome().kind, BootOutcome::Kind::kAllStagesSeen);
}

TEST(StageTracker, FailurePatternEndsAtOnce) {
  const Scenario s = two_stages();
  StageTracker t(s);
  t.on_serial(10, "No bootable device.");
  EXPECT_EQ(t.outcome().kind, BootOutcome::Kind::kFailurePattern);
  EXPECT_EQ(describe_outcome(t.outcome(), s),
            "serial matched failure pattern /No bootable device/: No bootable device. before "
            "stage 'ipxe' (serial /iPXE/)");
}

TEST(StageTracker, StageTimeoutCountsFromThePreviousStage) {
  const Scenario s = two_stages();
  StageTracker t(s);
  t.on_serial(4000, "iPXE");
  t.on_time(4900);
  EXPECT_FALSE(t.finished());
  t.on_time(5100);
  EXPECT_EQ(t.outcome().kind, BootOutcome::Kind::kStageTimeout);
  EXPECT_EQ(describe_outcome(t.outcome(), s),
            "stage 'script' (HTTP GET /boot.ipxe) not seen within 1.0s");
}

TEST(StageTracker, TotalTimeoutAndExit) {
  const Scenario s = two_stages();
  StageTracker a(s);
  a.on_time(10001);
  EXPECT_EQ(a.outcome().kind, BootOutcome::Kind::kTotalTimeout);
  StageTracker b(s);
  b.on_exit(50, "exit status 0");
  EXPECT_EQ(describe_outcome(b.outcome(), s),
            "VM exited (exit status 0) before stage 'ipxe' (serial /iPXE/)");
}

}  // namespace
}  // namespace rh
