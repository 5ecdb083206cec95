// The romharness binary as users run it: exit codes and exact messages for
// bad input, and the README's main command on the smoke scenarios.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/core/process.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kBinary = fs::path(RH_BINARY_DIR) / "harness/cli/romharness";
const fs::path kSource = RH_SOURCE_DIR;

CommandOutput romharness(std::vector<std::string> args, std::chrono::milliseconds timeout = 30s) {
  args.insert(args.begin(), kBinary.string());
  return run_command(args, timeout, kSource);
}

TEST(Cli, MisspeltKeyStopsWithFileLineAndExit2) {
  const auto r = romharness({"run", "harness/cli/testdata/misspelt-key.yaml"});
  EXPECT_EQ(r.status.code, 2);
  EXPECT_EQ(r.err,
            "romharness: harness/cli/testdata/misspelt-key.yaml:3:1: unknown key 'nics' in "
            "scenario (did you mean 'nic'? known keys: console, cpus, description, dns_names, "
            "expect, fail_on, faults, firmware, "
            "guestinfo, mac, machine, memory, name, network, nic, payload, requires, rom, stages, "
            "timeout)\n");
}

TEST(Cli, MissingRomStopsWithFileLineAndExit2) {
  const auto r = romharness({"run", "harness/cli/testdata/missing-rom.yaml"});
  EXPECT_EQ(r.status.code, 2);
  EXPECT_EQ(r.err,
            "romharness: harness/cli/testdata/missing-rom.yaml:2:6: rom file "
            "'roms/does-not-exist-e1000.rom' not found (looked for "
            "'" +
                (kSource / "harness/cli/testdata/roms/does-not-exist-e1000.rom").string() + "')\n");
}

TEST(Cli, HelpTeachesAndUnknownCommandFails) {
  const auto help = romharness({"--help"});
  EXPECT_EQ(help.status.code, 0);
  EXPECT_NE(help.out.find("romharness run scenarios -j 2"), std::string::npos);
  const auto run_help = romharness({"run", "--help"});
  EXPECT_NE(run_help.out.find("--accel MODE"), std::string::npos);
  const auto unknown = romharness({"boot"});
  EXPECT_EQ(unknown.status.code, 2);
  EXPECT_EQ(unknown.err, "romharness: unknown command 'boot' (see romharness --help)\n");
}

TEST(Cli, ListExpandsTheSmokeMatrix) {
  const auto r = romharness({"list", "scenarios/smoke"});
  EXPECT_EQ(r.status.code, 0) << r.err;
  EXPECT_NE(r.out.find("smoke/dhcp-linux/e1000e-bios"), std::string::npos);
  EXPECT_NE(r.out.find("6 scenarios"), std::string::npos);
}

}  // namespace
}  // namespace rh
