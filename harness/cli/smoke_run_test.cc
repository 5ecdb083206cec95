// The README's main command: `romharness run` on scenarios/smoke boots every
// prebuilt ROM to the Linux marker (PASS) and the wrong-NIC ROM fails as
// stated (XFAIL), exit 0, reports written.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/core/process.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(SmokeRun, EveryBootPassesAndTheNegativeOneIsXfail) {
  // Kept in the build tree: CI keeps the reports and the page's screenshot.
  const fs::path reports = fs::path(RH_BINARY_DIR) / "ci-artifacts" / "smoke-reports";
  fs::remove_all(reports);
  const auto r = run_command({(fs::path(RH_BINARY_DIR) / "harness/cli/romharness").string(), "run",
                              "scenarios/smoke", "-j", "2", "--report-dir", reports.string()},
                             600s, RH_SOURCE_DIR);
  EXPECT_EQ(r.status.code, 0) << r.out << r.err;
  std::ifstream in(reports / "latest" / "results.json");
  ASSERT_TRUE(in) << "no results.json under " << reports;
  const auto results = nlohmann::json::parse(in);
  std::map<std::string, std::string> verdicts;
  for (const auto& s : results["scenarios"]) verdicts[s["name"]] = s["verdict"];
  EXPECT_EQ(verdicts.size(), 6u);
  for (const char* name : {"smoke/dhcp-linux/vmxnet3-bios", "smoke/dhcp-linux/e1000-bios",
                           "smoke/dhcp-linux/e1000e-bios", "smoke/dhcp-linux-efi/vmxnet3-efi",
                           "smoke/dhcp-chain-by-name/e1000-bios"}) {
    EXPECT_EQ(verdicts[name], "PASS") << name;
  }
  EXPECT_EQ(verdicts["smoke/wrong-nic-rom/vmxnet3-bios"], "XFAIL");
  EXPECT_TRUE(fs::exists(reports / "latest" / "junit.xml"));
  EXPECT_TRUE(fs::exists(reports / "latest" / "smoke/dhcp-linux/e1000-bios/serial.log"));
  EXPECT_TRUE(fs::exists(reports / "latest" / "smoke/dhcp-linux/e1000-bios/capture.pcap"));

  // The HTML report as a browser shows it (Debian's headless Chromium).
  const auto page = run_command(
      {(fs::path(RH_SOURCE_DIR) / "ci/check-html").string(), (reports / "latest").string(),
       (fs::path(RH_BINARY_DIR) / "ci-artifacts/index.png").string()},
      120s);
  if (page.status.code == 77) GTEST_SKIP() << page.err;
  EXPECT_EQ(page.status.code, 0) << page.out << page.err;
}

}  // namespace
}  // namespace rh
