// Retries run a scenario again after an infrastructure failure only.
#include "harness/runner/retry.h"

#include <gtest/gtest.h>

#include "harness/core/testing/temp_dir.h"
#include "harness/rom/rom_test_util.h"
#include "harness/scenario/load.h"
#include "harness/vm/fake/fake_backend.h"

namespace rh {
namespace {
namespace fs = std::filesystem;

FakeScript boots() {
  return FakeScript{}.console("Firmware\r\nROMHARNESS-USERSPACE\r\n").exit("exit status 0");
}

class RetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto image = rh::testing::make_image({.vendor = 0x8086, .device = 0x100e});
    const fs::path rom = tmp_.write("e1000.rom", std::string(image.begin(), image.end()));
    scenario_ =
        load_scenario_file(
            tmp_.write("s/t.yaml",
                       "name: t\nrom: " + rom.string() +
                           "\nnic: e1000\nstages:\n  - {name: up, serial: ROMHARNESS-USERSPACE}\n"
                           "timeout: 60s\n"))
            .front();
  }
  ScenarioResult run(VmBackend& backend, int retries) {
    const RunContext ctx{.backend = &backend, .report_dir = tmp_.path() / "reports"};
    return run_with_retries(scenario_, ctx, retries);
  }

  testing::TempDir tmp_;
  Scenario scenario_;
};

TEST_F(RetryTest, AnInfrastructureFailureIsRunAgainAndRecorded) {
  FakeBackend backend([](const BootPlan&) { return boots(); },
                      {.start_error = "lab host busy", .start_error_times = 1});
  const ScenarioResult r = run(backend, 1);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  ASSERT_EQ(r.retried.size(), 1u);
  EXPECT_EQ(r.retried[0].attempt, 1);
  EXPECT_EQ(r.retried[0].verdict, Verdict::kUnresolved);
  EXPECT_EQ(r.retried[0].reason, "lab host busy");
}

TEST_F(RetryTest, NoRetriesByDefault) {
  FakeBackend backend([](const BootPlan&) { return boots(); },
                      {.start_error = "lab host busy", .start_error_times = 1});
  const ScenarioResult r = run(backend, 0);
  EXPECT_EQ(r.verdict, Verdict::kUnresolved);
  EXPECT_TRUE(r.retried.empty());
}

TEST_F(RetryTest, ATestFailureIsNeverRetried) {
  FakeBackend backend(
      [](const BootPlan&) { return FakeScript{}.console("Firmware\r\n").exit("x"); });
  const ScenarioResult r = run(backend, 3);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.reason;
  EXPECT_TRUE(r.retried.empty());
  EXPECT_EQ(backend.started_plans().size(), 1u);
}

TEST_F(RetryTest, ALostHostIsRetriedOnceEvenWithoutRetriesAndKeepsItsArtifacts) {
  int boots_so_far = 0;
  FakeBackend backend([&](const BootPlan&) {
    if (boots_so_far++ == 0) {
      return FakeScript{}
          .console("Firmware\r\n")
          .event({.kind = VmEvent::Kind::kHostLost, .text = "connection closed"});
    }
    return boots();
  });
  const ScenarioResult r = run(backend, 0);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  ASSERT_EQ(r.retried.size(), 1u);
  EXPECT_NE(r.retried[0].reason.find("stopped answering: connection closed"), std::string::npos);
  EXPECT_EQ(r.retried[0].artifacts_dir, "s/t/e1000-bios.attempt-1");
  EXPECT_TRUE(fs::exists(tmp_.path() / "reports/s/t/e1000-bios.attempt-1/serial.log"));
  EXPECT_TRUE(fs::exists(tmp_.path() / "reports/s/t/e1000-bios/serial.log"));
}

TEST_F(RetryTest, AHostLostTwiceIsUnresolvedNotFail) {
  FakeBackend backend([](const BootPlan&) {
    return FakeScript{}.event({.kind = VmEvent::Kind::kHostLost, .text = "gone"});
  });
  const ScenarioResult r = run(backend, 0);
  EXPECT_EQ(r.verdict, Verdict::kUnresolved);
  EXPECT_EQ(r.failure.category, "infrastructure");
  EXPECT_EQ(r.retried.size(), 1u);
}

}  // namespace
}  // namespace rh
