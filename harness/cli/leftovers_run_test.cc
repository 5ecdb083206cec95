// A run that is SIGKILLed leaves nothing behind once the next run starts:
// its VMs die with it (parent-death signal) and the next run sweeps its
// socket directories, and only those whose owner is gone.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "harness/core/process.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kBinary = fs::path(RH_BINARY_DIR) / "harness/cli/romharness";
constexpr int kScenarios = 16;

// Socket directories whose owner file names `pid`.
std::vector<fs::path> socket_dirs_of(pid_t pid) {
  std::vector<fs::path> out;
  const std::string tag = ":" + std::to_string(pid) + ":";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/tmp", ec)) {
    if (!e.path().filename().string().starts_with("rh-")) continue;
    std::ifstream in(e.path() / "owner");
    std::string owner;
    if (std::getline(in, owner) && owner.find(tag) != std::string::npos) out.push_back(e.path());
  }
  return out;
}

// Scenarios that boot and then wait for a marker that never comes.
void write_hanging_scenarios(const testing::TempDir& tmp) {
  for (int i = 0; i < kScenarios; ++i) {
    tmp.write("s/hang-" + std::to_string(i) + ".yaml",
              "name: hang-" + std::to_string(i) +
                  "\nrom: /usr/lib/ipxe/qemu/pxe-e1000.rom\nnic: e1000\nnetwork: none\n"
                  "stages:\n  - {name: never, serial: NEVER-PRINTED, timeout: 600s}\n"
                  "timeout: 600s\n");
  }
}

bool wait_until(const std::function<bool()>& done, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done();
}

TEST(Leftovers, ASigkilledRunLeavesNothingOnceTheNextRunStarts) {
  testing::TempDir tmp;
  write_hanging_scenarios(tmp);
  const fs::path reports = tmp.path() / "reports";
  Process run = Process::start(
      {.argv = {kBinary.string(), "run", (tmp.path() / "s").string(), "-j",
                std::to_string(kScenarios), "--accel", "tcg", "--report-dir", reports.string()},
       .cwd = RH_SOURCE_DIR,
       .stderr_path = tmp.path() / "killed.stderr"});
  const pid_t killed = run.pid();
  ASSERT_TRUE(wait_until([&] { return socket_dirs_of(killed).size() == kScenarios; }, 300s))
      << socket_dirs_of(killed).size() << " of " << kScenarios << " VMs started";
  ::kill(killed, SIGKILL);
  ASSERT_TRUE(run.wait_for(60s).has_value());
  // Its QEMUs die with it; their sockets stay until someone sweeps them.
  EXPECT_TRUE(wait_until(
      [&] {
        return run_command({"pgrep", "-f", reports.string()}, 10s).out.empty();
      },
      60s))
      << "QEMU processes of the killed run are still alive";
  EXPECT_EQ(socket_dirs_of(killed).size(), static_cast<std::size_t>(kScenarios));

  const fs::path next_reports = tmp.path() / "next";
  const auto next = run_command({kBinary.string(), "run", "scenarios/smoke/wrong-nic-rom.yaml",
                                 "--accel", "tcg", "--report-dir", next_reports.string()},
                                600s, RH_SOURCE_DIR);
  EXPECT_EQ(next.status.code, 0) << next.out << next.err;
  EXPECT_TRUE(socket_dirs_of(killed).empty()) << "left: " << socket_dirs_of(killed).front();
  std::ifstream in(next_reports / "latest" / "results.json");
  const auto results = nlohmann::json::parse(in);
  int swept = 0;
  for (const auto& n : results["notices"])
    swept += n.get<std::string>().starts_with("removed /tmp/rh-");
  EXPECT_GE(swept, kScenarios) << results["notices"].dump();  // others may have died too
}

}  // namespace
}  // namespace rh
