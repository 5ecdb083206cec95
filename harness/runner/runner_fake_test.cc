// The runner end to end with the fake backend: scripted guests that print
// console lines (or replay recorded boots), send real HTTP requests to the
// boot server, report VM events, hang or exit. Verdicts, timeouts, triage and
// reports are checked without booting anything.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/core/testing/temp_dir.h"
#include "harness/report/json_report.h"
#include "harness/report/junit.h"
#include "harness/rom/rom_test_util.h"
#include "harness/runner/run.h"
#include "harness/runner/scenario_runner.h"
#include "harness/scenario/load.h"
#include "harness/vm/fake/fake_backend.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kRecordings = fs::path(RH_SOURCE_DIR) / "harness/timeline/testdata";
const fs::path kFakeRecordings = fs::path(RH_SOURCE_DIR) / "harness/vm/fake/testdata";
constexpr double kReplaySpeed = 0.02;  // a 14 s recorded boot replays in under 0.3 s

// A good DHCP boot to Linux, written out (recordings are replayed below).
FakeScript good_linux_boot() {
  return FakeScript{}
      .console("\x1b[2JFirmware (version 1.0)\r\n")
      .console("iPXE (PCI 00:03.0) starting execution...ok\r\n")
      .console("iPXE initialising devices...ok\r\n")
      .console("net0: 10.0.2.15/255.255.255.0 gw 10.0.2.2\r\n")
      .http("GET", "/boot.ipxe")
      .http("GET", "/vmlinuz")
      .http("GET", "/initrd.img")
      .console("Linux version 6.1.0\r\nROMHARNESS-USERSPACE uptime=1.2\r\n")
      .event({.kind = VmEvent::Kind::kPower, .name = "shutdown", .text = "guest-shutdown"})
      .exit("exit status 0");
}

class RunnerFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A well-formed BIOS option ROM for the e1000 (8086:100e).
    const auto image = rh::testing::make_image({.vendor = 0x8086, .device = 0x100e});
    rom_ = tmp_.write("e1000.rom", std::string(image.begin(), image.end()));
    payload_ = tmp_.path() / "payload";
    tmp_.write("payload/vmlinuz", "KERNEL");
    tmp_.write("payload/vmlinuz-fast", "FAST-KERNEL");
    tmp_.write("payload/initrd.img", "INITRD");
    tmp_.write("www/boot.ipxe", "#!ipxe\nkernel http://{{server}}/vmlinuz\n");
  }

  // A scenario file written for the test; `body` follows a rom/nic/name header.
  std::vector<Scenario> scenario(const std::string& body, const std::string& linux = "true") {
    const fs::path file = tmp_.write("s/t.yaml", "name: t\nrom: " + rom_.string() +
                                                     "\nnic: e1000\npayload: {script: " +
                                                     (tmp_.path() / "www/boot.ipxe").string() +
                                                     ", linux: " + linux + "}\n" + body);
    return load_scenario_file(file);
  }

  ScenarioResult run_one(const Scenario& s, VmBackend& backend) {
    RunContext ctx{
        .backend = &backend, .report_dir = tmp_.path() / "reports", .payload_dir = payload_};
    return run_scenario(s, ctx);
  }

  testing::TempDir tmp_;
  fs::path rom_;
  fs::path payload_;
};

const char* const kLinuxStages = R"(stages:
  - {name: firmware, serial: "Firmware", timeout: 20s}
  - {name: rom-start, serial: "starting execution", timeout: 30s}
  - {name: script, http: "GET /boot.ipxe", timeout: 20s}
  - {name: kernel, http: "GET /vmlinuz", timeout: 20s}
  - {name: userspace, serial: "ROMHARNESS-USERSPACE", timeout: 60s}
fail_on: ["Kernel panic"]
timeout: 60s
)";

TEST_F(RunnerFakeTest, TheSmokeScenariosLogicEndToEndWithReports) {
  // The shipped smoke files, each guest replaying a boot recorded on that
  // NIC and firmware (the e1000e borrows the e1000's).
  const auto scenarios = load_scenarios({fs::path(RH_SOURCE_DIR) / "scenarios/smoke"});
  ASSERT_EQ(scenarios.size(), 6u);
  FakeBackend backend([](const BootPlan& plan) {
    if (plan.name.starts_with("smoke/wrong-nic-rom")) {
      return FakeScript::replay(kFakeRecordings / "no-rom", kReplaySpeed);  // then it sits there
    }
    const std::string nic = plan.nic == "vmxnet3" ? "vmxnet3" : "e1000";
    const std::string fw(to_string(plan.firmware));
    return FakeScript::replay(kRecordings / (nic + "-" + fw), kReplaySpeed).exit("exit status 0");
  });
  const fs::path report_dir = tmp_.path() / "reports/run1";
  RunContext ctx{.backend = &backend, .report_dir = report_dir, .payload_dir = payload_};
  Progress progress(stderr, false, {});
  int reports_written = 0;
  const RunSettings settings{
      .jobs = 2, .on_scenario_done = [&](const RunResult& so_far, const ScenarioResult&) {
        write_json(so_far, report_dir / "results.json");
        ++reports_written;
      }};
  const RunResult run = execute_run(scenarios, ctx, settings, progress);
  write_junit(run, report_dir / "junit.xml");
  std::map<std::string, ScenarioResult> by_name;
  for (const auto& r : run.scenarios) by_name[r.name] = r;
  for (const char* name : {"smoke/dhcp-linux/vmxnet3-bios", "smoke/dhcp-linux/e1000-bios",
                           "smoke/dhcp-linux/e1000e-bios", "smoke/dhcp-linux-efi/vmxnet3-efi"}) {
    EXPECT_EQ(by_name[name].verdict, Verdict::kPass) << name << ": " << by_name[name].reason;
    EXPECT_EQ(by_name[name].backend, "fake");
    EXPECT_TRUE(by_name[name].failure.category.empty()) << name;
  }
  const ScenarioResult& wrong = by_name["smoke/wrong-nic-rom/vmxnet3-bios"];
  EXPECT_EQ(wrong.verdict, Verdict::kXFail) << wrong.reason;
  EXPECT_EQ(wrong.failure.category, "rom") << "ids do not match the NIC";
  const ScenarioResult& by_dns = by_name["smoke/dhcp-chain-by-name/e1000-bios"];
  EXPECT_EQ(by_dns.verdict, Verdict::kUnsupported) << "a fake answers no DNS";
  EXPECT_NE(by_dns.reason.find("fake guests resolve no names"), std::string::npos) << by_dns.reason;
  EXPECT_EQ(reports_written, 6);
  // Real HTTP reached the boot server, and the timeline saw it.
  const ScenarioResult& e1000 = by_name["smoke/dhcp-linux/e1000-bios"];
  EXPECT_TRUE(std::any_of(e1000.phases.begin(), e1000.phases.end(),
                          [](const Phase& p) { return p.name == "download-done:/vmlinuz"; }));
  EXPECT_TRUE(e1000.artifacts.contains("http.log"));
  EXPECT_TRUE(e1000.artifacts.contains("serial.tsv"));
  std::ifstream json(report_dir / "results.json");
  const auto results = nlohmann::json::parse(json);
  EXPECT_EQ(results["scenarios"].size(), 6u);
  EXPECT_TRUE(fs::exists(report_dir / "junit.xml"));
}

TEST_F(RunnerFakeTest, AGuestThatHangsEndsAtTheStageDeadlineWithTheStageNamed) {
  FakeBackend backend([](const BootPlan&) {
    return FakeScript{}
        .console("Firmware (version 1.0)\r\n")
        .console("iPXE (PCI 00:03.0) starting execution...ok\r\n");
  });
  const auto s = scenario(R"(stages:
  - {name: rom-start, serial: "starting execution", timeout: 20s}
  - {name: script, http: "GET /boot.ipxe", timeout: 1s}
timeout: 60s
)");
  const ScenarioResult r = run_one(s.front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kTimeout);
  EXPECT_EQ(r.reason, "stage 'script' (HTTP GET /boot.ipxe) not seen within 1.0s");
  EXPECT_EQ(r.stage_reached, "rom-start");
  EXPECT_EQ(r.failure.category, "configuration");
}

TEST_F(RunnerFakeTest, AnEmulatorFailureEndsTheBootAsInfrastructureNotFail) {
  FakeBackend backend([](const BootPlan&) {
    return FakeScript{}
        .console("Firmware (version 1.0)\r\n")
        .event({.kind = VmEvent::Kind::kEmulatorError,
                .name = "infrastructure",
                .text = "the emulator stopped the VM (QMP status internal-error)"});
  });
  const ScenarioResult r = run_one(scenario(kLinuxStages).front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kUnresolved);
  EXPECT_EQ(r.failure.category, "infrastructure");
  EXPECT_NE(r.reason.find("QMP status internal-error"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("waiting for stage 'rom-start'"), std::string::npos) << r.reason;
}

TEST_F(RunnerFakeTest, ALostHostIsInfrastructureEvenForAnExpectedFailure) {
  FakeBackend backend([](const BootPlan&) {
    return FakeScript{}
        .console("Firmware\r\n")
        .event({.kind = VmEvent::Kind::kHostLost, .text = "connection reset"});
  });
  const auto s = scenario(std::string(kLinuxStages) + "expect: fail\n");
  const ScenarioResult r = run_one(s.front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kUnresolved) << r.reason;
  EXPECT_EQ(r.failure.category, "infrastructure");
}

TEST_F(RunnerFakeTest, AFloodingGuestFailsAndSaysSo) {
  FakeBackend backend([](const BootPlan&) {
    FakeScript s;
    for (int i = 0; i < 300; ++i) s.console(std::string(1 << 20, 'x'));  // 300 MiB, no newline
    return s;
  });
  const ScenarioResult r = run_one(scenario(kLinuxStages).front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.reason.find("the guest flooded its console"), std::string::npos) << r.reason;
  EXPECT_LT(fs::file_size(tmp_.path() / "reports/s/t/e1000-bios/serial.log"), 70u << 20);
}

TEST_F(RunnerFakeTest, AStaticBootWithoutACaptureIsUnsupportedNotPass) {
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); }, {.capture = false});
  const auto s = scenario(std::string(kLinuxStages) + R"(network: static
guestinfo: {ipxe.net0.ip: 10.0.0.10, ipxe.net0.netmask: 255.255.255.0, ipxe.net0.gateway: 10.0.0.1}
)");
  const ScenarioResult r = run_one(s.front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kUnsupported);
  EXPECT_EQ(r.reason,
            "the boot passed, but the proof that it sent no DHCP needs a packet capture: the fake "
            "backend was told to keep no capture");
}

// A field VM's MAC is what its DHCP reservations key on: the capture must
// show the guest sending from it.
TEST_F(RunnerFakeTest, AGuestThatSendsFromAnotherMacThanTheScenariosFails) {
  auto s = scenario(kLinuxStages + std::string("mac: 00:50:56:9a:3c:01\n"));
  FakeBackend faithful([](const BootPlan&) { return good_linux_boot(); });
  EXPECT_EQ(run_one(s.front(), faithful).verdict, Verdict::kPass);
  FakeBackend other([](const BootPlan&) { return good_linux_boot(); },
                    {.sends_from = "52:54:00:12:34:56"});
  const ScenarioResult r = run_one(s.front(), other);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.reason.find("the guest never sent from its MAC 00:50:56:9a:3c:01 (capture.pcap has "
                          "frames from 52:54:00:12:34:56)"),
            std::string::npos)
      << r.reason;
}

TEST_F(RunnerFakeTest, WhatTheBackendLacksIsUnsupportedAndNothingStarts) {
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); },
                      {.lacking = {{Capability::kGuestRpc, "no backdoor here"}}});
  const auto s = scenario(std::string(kLinuxStages) + "guestinfo: {ipxe.scriptlet: x}\n");
  const ScenarioResult r = run_one(s.front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kUnsupported);
  EXPECT_EQ(r.reason, "guestinfo needs GuestRPC: no backdoor here");
  EXPECT_TRUE(backend.started_plans().empty());
  FakeBackend picky([](const BootPlan&) { return good_linux_boot(); },
                    {.check_error = "machine 'isapc' is not one of mine"});
  EXPECT_EQ(run_one(s.front(), picky).reason, "machine 'isapc' is not one of mine");
}

TEST_F(RunnerFakeTest, ABackendThatCannotStartIsUnresolvedInfrastructure) {
  FakeBackend backend([](const BootPlan&) { return FakeScript{}; },
                      {.start_error = "the emulator exited immediately (exit status 1): boom"});
  const ScenarioResult r = run_one(scenario(kLinuxStages).front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kUnresolved);
  EXPECT_EQ(r.reason, "the emulator exited immediately (exit status 1): boom");
  EXPECT_EQ(r.failure.category, "infrastructure");
}

TEST_F(RunnerFakeTest, ASimulatorThatRunsNoGuestNeverPasses) {
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); },
                      {.no_guest = "the simulator runs no guest"});
  const ScenarioResult r = run_one(scenario(kLinuxStages).front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kUnsupported);
  EXPECT_EQ(r.reason, "the boot part: the simulator runs no guest (reached stage 'userspace')");
}

TEST_F(RunnerFakeTest, TheGuestSeesTheServerAndTemplatesAreFilled) {
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); });
  const auto s = scenario(std::string(kLinuxStages) +
                          "guestinfo: {ipxe.scriptlet: 'chain http://{{server}}/boot.ipxe'}\n");
  const ScenarioResult r = run_one(s.front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.reason;
  const auto plans = backend.started_plans();
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_TRUE(plans[0].boot_server.starts_with("127.0.0.1:")) << plans[0].boot_server;
  EXPECT_EQ(plans[0].guestinfo.at("ipxe.scriptlet"),
            "chain http://" + plans[0].boot_server + "/boot.ipxe");
  EXPECT_EQ(plans[0].network.boot_url, "http://" + plans[0].boot_server + "/boot.ipxe");
}

// The boot server's last answer to GET /vmlinuz, from the scenario's http.log
// (appended to by each boot of the same scenario).
std::string vmlinuz_line(const ScenarioResult& r, const fs::path& report_dir) {
  std::ifstream log(report_dir / r.artifacts.at("http.log"));
  std::string found = "<no GET /vmlinuz>";
  for (std::string line; std::getline(log, line);) {
    if (line.find(" GET /vmlinuz ") != std::string::npos) found = line.substr(line.find(" GET"));
  }
  return found;
}

TEST_F(RunnerFakeTest, VmlinuzIsTheKernelTheScenarioChose) {
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); });
  const fs::path reports = tmp_.path() / "reports";
  const auto served = [&](const std::string& linux) {
    const ScenarioResult r = run_one(scenario(kLinuxStages, linux).front(), backend);
    EXPECT_EQ(r.verdict, Verdict::kPass) << linux << ": " << r.reason;
    return vmlinuz_line(r, reports);
  };
  EXPECT_TRUE(served("true").starts_with(" GET /vmlinuz 200 11 ")) << "vmlinuz-fast";
  EXPECT_TRUE(served("fast").starts_with(" GET /vmlinuz 200 11 ")) << "vmlinuz-fast";
  EXPECT_TRUE(served("debian").starts_with(" GET /vmlinuz 200 6 ")) << "vmlinuz";
}

TEST_F(RunnerFakeTest, APayloadWithoutTheFastKernelSaysHowToBuildIt) {
  fs::remove(payload_ / "vmlinuz-fast");  // a payload built before the fast kernel existed
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); });
  const ScenarioResult r = run_one(scenario(kLinuxStages).front(), backend);
  EXPECT_EQ(r.verdict, Verdict::kUnresolved);
  EXPECT_EQ(r.reason, "Linux payload file '" + (payload_ / "vmlinuz-fast").string() +
                          "' not found: run fixtures/payload/build-payload (ci/setup does)");
  EXPECT_EQ(run_one(scenario(kLinuxStages, "debian").front(), backend).verdict, Verdict::kPass);
}

TEST_F(RunnerFakeTest, AReportThatCannotBeWrittenIsAWarningNotACrash) {
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); });
  RunContext ctx{.backend = &backend, .report_dir = tmp_.path() / "r", .payload_dir = payload_};
  Progress progress(stderr, false, {});
  const RunSettings settings{.on_scenario_done = [](const RunResult&, const ScenarioResult&) {
    throw std::runtime_error("disk full");
  }};
  const RunResult run = execute_run(scenario(kLinuxStages), ctx, settings, progress);
  ASSERT_EQ(run.scenarios.size(), 1u);
  ASSERT_EQ(run.warnings.size(), 1u);
  EXPECT_EQ(run.warnings[0], "after s/t/e1000-bios: disk full");
}

TEST_F(RunnerFakeTest, AnInterruptEndsTheBootAsUnresolved) {
  std::atomic<bool> interrupted{true};
  FakeBackend backend([](const BootPlan&) { return FakeScript{}.console("Firmware\r\n"); });
  RunContext ctx{.backend = &backend,
                 .report_dir = tmp_.path() / "reports",
                 .payload_dir = payload_,
                 .interrupted = &interrupted};
  const ScenarioResult r = run_scenario(scenario(kLinuxStages).front(), ctx);
  EXPECT_EQ(r.verdict, Verdict::kUnresolved);
  EXPECT_EQ(r.reason, "interrupted before the boot finished");
}

TEST_F(RunnerFakeTest, ABootStillGoingWhenTheRunTimeoutRunsOutIsTimeout) {
  FakeBackend backend([](const BootPlan&) { return FakeScript{}.console("Firmware\r\n"); });
  RunContext ctx{.backend = &backend,
                 .report_dir = tmp_.path() / "reports",
                 .payload_dir = payload_,
                 .run_deadline = std::chrono::steady_clock::now(),  // already past
                 .run_timeout = 45min};
  const ScenarioResult r = run_scenario(scenario(kLinuxStages).front(), ctx);
  EXPECT_EQ(r.verdict, Verdict::kTimeout);
  EXPECT_TRUE(r.reason.starts_with("the run's --run-timeout of 2700s ran out (reached stage "))
      << r.reason;
}

TEST_F(RunnerFakeTest, ScenariosNotStartedWhenTheRunTimeoutRunsOutAreTimeoutAndReported) {
  FakeBackend backend([](const BootPlan&) { return good_linux_boot(); });
  RunContext ctx{.backend = &backend, .report_dir = tmp_.path() / "r", .payload_dir = payload_};
  Progress progress(stderr, false, {});
  const Scenario one = scenario(kLinuxStages).front();
  std::vector<Scenario> three(3, one);
  for (std::size_t i = 0; i < three.size(); ++i) three[i].name += "-" + std::to_string(i);
  const RunSettings settings{.jobs = 2, .run_timeout = 0ms};  // out of time from the start
  const RunResult run = execute_run(three, ctx, settings, progress);
  ASSERT_EQ(run.scenarios.size(), three.size());
  for (const auto& r : run.scenarios) {
    EXPECT_EQ(r.verdict, Verdict::kTimeout) << r.name;
    EXPECT_EQ(r.reason, "not started: the run's --run-timeout of 0s ran out first");
  }
  EXPECT_TRUE(backend.started_plans().empty());
}

}  // namespace
}  // namespace rh
