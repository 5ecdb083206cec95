// The shipped scenario suites as CI runs them, with no GuestInfo ROM and no
// iPXE tree: every field failure that needs only Debian's ROMs fails exactly
// as stated (XFAIL), guest tools read guestinfo through the patched QEMU
// (PASS), and every scenario that needs a ROM built with VMWARE_SETTINGS is
// UNSUPPORTED with a reason saying how to provide one, never a pass.
// Also: Ctrl-C during a run stops the VMs and still writes the reports.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "harness/core/process.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kBinary = fs::path(RH_BINARY_DIR) / "harness/cli/romharness";

std::map<std::string, nlohmann::json> run_suite(const std::string& suite, const fs::path& reports) {
  fs::remove_all(reports);
  const auto r =
      run_command({kBinary.string(), "run", suite, "-j", "2", "--report-dir", reports.string()},
                  900s, RH_SOURCE_DIR, {{"ROMHARNESS_IPXE_SRC", ""}});
  EXPECT_EQ(r.status.code, 0) << r.out << r.err;
  std::ifstream in(reports / "latest" / "results.json");
  std::map<std::string, nlohmann::json> by_name;
  if (!in) return by_name;
  const auto results = nlohmann::json::parse(in);
  for (const auto& s : results["scenarios"]) by_name[s["name"]] = s;
  return by_name;
}

void expect_unsupported_for_want_of_a_rom(const nlohmann::json& s) {
  EXPECT_EQ(s["verdict"], "UNSUPPORTED") << s["name"];
  EXPECT_NE(s["reason"].get<std::string>().find("pass --ipxe-src"), std::string::npos)
      << s["reason"];
}

TEST(Suites, FieldFailuresFailAsStated) {
  auto r = run_suite("scenarios/field", fs::path(RH_BINARY_DIR) / "ci-artifacts/field-reports");
  ASSERT_EQ(r.size(), 11u);
  for (const char* name :
       {"field/rom-over-opromsize/vmxnet3-bios", "field/bios-rom-on-efi/vmxnet3-efi",
        "field/wrong-nic-rom/vmxnet3-bios", "field/corrupt-checksum/e1000-bios",
        "field/https-without-https/e1000-bios", "field/kernel-404/e1000-bios",
        "field/transfer-cut-short/e1000-bios", "field/connection-reset/e1000-bios"}) {
    EXPECT_EQ(r[name]["verdict"], "XFAIL") << name << ": " << r[name]["reason"];
  }
  EXPECT_EQ(r["field/kernel-404/e1000-bios"]["failure"]["ipxe_error"], "0x2d0c613b");
  EXPECT_EQ(r["field/rom-over-opromsize/vmxnet3-bios"]["failure"]["category"], "rom");
  for (const char* name : {"field/no-scriptlet-no-dhcp/vmxnet3-bios",
                           "field/dns-failure/vmxnet3-bios", "field/wrong-netmask/vmxnet3-bios"}) {
    expect_unsupported_for_want_of_a_rom(r[name]);
  }
}

TEST(Suites, GuestinfoNeedsAGuestInfoRomButGuestToolsRun) {
  auto r =
      run_suite("scenarios/guestinfo", fs::path(RH_BINARY_DIR) / "ci-artifacts/guestinfo-reports");
  ASSERT_EQ(r.size(), 29u);  // 4 static flows x 3 NICs x 2 firmwares, 4 failures, guest tools
  EXPECT_EQ(r["guestinfo/guest-tools/e1000-bios"]["verdict"], "PASS")
      << r["guestinfo/guest-tools/e1000-bios"]["reason"];
  for (const auto& [name, s] : r) {
    if (name != "guestinfo/guest-tools/e1000-bios") expect_unsupported_for_want_of_a_rom(s);
  }
}

// True once a run directory's results.json lists a finished scenario.
bool a_scenario_finished(const fs::path& report_root) {
  std::error_code ec;
  for (const auto& run_dir : fs::directory_iterator(report_root, ec)) {
    std::ifstream in(run_dir.path() / "results.json");
    if (!in) continue;
    const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_discarded() && !doc["scenarios"].empty()) return true;
  }
  return false;
}

// Waits (polling, no deadline but the run's own end) until the run has
// rewritten its reports after a finished scenario ("latest" is pointed at the
// run only when it ends); false if the run ended first.
bool finished_scenarios_appear(const fs::path& report_root, Process& run) {
  while (!a_scenario_finished(report_root)) {
    if (run.wait_for(200ms).has_value()) return false;
  }
  return true;
}

TEST(Suites, InterruptStopsVmsAndStillWritesReports) {
  const fs::path reports =
      fs::temp_directory_path() / ("rh-interrupt-" + std::to_string(::getpid()));
  fs::remove_all(reports);
  Process run = Process::start({.argv = {kBinary.string(), "run", "scenarios/smoke", "-j", "2",
                                         "--report-dir", reports.string()},
                                .cwd = RH_SOURCE_DIR,
                                .stderr_path = reports.string() + ".stderr"});
  // Interrupt once one scenario has finished (the negative one takes about a
  // second, the Linux boots much longer), so there are results to keep.
  ASSERT_TRUE(finished_scenarios_appear(reports, run)) << "no scenario finished";
  ::kill(run.pid(), SIGINT);
  const auto st = run.wait_for(60s);
  ASSERT_TRUE(st.has_value()) << "romharness did not stop after SIGINT";
  EXPECT_EQ(st->code, 130);
  std::ifstream in(reports / "latest" / "results.json");
  ASSERT_TRUE(in) << "no results.json after an interrupt";
  const auto results = nlohmann::json::parse(in);
  EXPECT_TRUE(results["interrupted"].get<bool>());
  EXPECT_GE(results["scenarios"].size(), 1u);
  EXPECT_TRUE(fs::exists(reports / "latest" / "junit.xml"));
  EXPECT_TRUE(wait_group_empty(run.pid(), 5s));
  // No QEMU of this run may survive it.
  const auto ps = run_command({"pgrep", "-f", reports.string()}, 5s);
  EXPECT_EQ(ps.out, "") << "processes left: " << ps.out;
  fs::remove_all(reports);
}

}  // namespace
}  // namespace rh
