#include "harness/scenario/load.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/core/error.h"

namespace rh {
namespace {
namespace fs = std::filesystem;

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rh-scenario-test-" + std::to_string(::getpid())) / "suite";
    fs::create_directories(dir_);
    std::ofstream(dir_ / "fake.rom") << "ROM";
    std::ofstream(dir_ / "boot.ipxe") << "#!ipxe\n";
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  std::string error_of(const std::string& text) {
    const fs::path p = write("s.yaml", text);
    try {
      load_scenario_file(p);
    } catch (const InputError& e) {
      std::string msg = e.what();
      const std::string prefix = p.string();
      if (msg.starts_with(prefix)) msg = "s.yaml" + msg.substr(prefix.size());
      return msg;
    }
    return "<no error>";
  }

  fs::path dir_;
};

constexpr const char* kMinimal =
    "name: boot\n"
    "rom: fake.rom\n"
    "nic: vmxnet3\n"
    "stages:\n"
    "  - {name: ipxe, serial: iPXE}\n";

TEST_F(LoadTest, MinimalScenarioHasDefaults) {
  const auto rows = load_scenario_file(write("s.yaml", kMinimal));
  ASSERT_EQ(rows.size(), 1u);
  const Scenario& s = rows[0];
  EXPECT_EQ(s.name, "suite/boot/vmxnet3-bios");
  EXPECT_EQ(s.firmware, Firmware::kBios);
  EXPECT_EQ(s.network, NetworkMode::kDhcp);
  EXPECT_EQ(s.rom.file, dir_ / "fake.rom");
  EXPECT_EQ(s.timeout, std::chrono::seconds(120));
  ASSERT_EQ(s.stages.size(), 1u);
  EXPECT_EQ(s.stages[0].describe(), "serial /iPXE/");
  EXPECT_FALSE(s.expect.fail);
}

TEST_F(LoadTest, ListsExpandIntoAMatrixWithReadableNames) {
  std::ofstream(dir_ / "pxe-e1000.rom") << "ROM";
  std::ofstream(dir_ / "pxe-e1000e.rom") << "ROM";
  std::ofstream(dir_ / "pxe-vmxnet3.rom") << "ROM";
  const auto rows = load_scenario_file(write("s.yaml",
                                             "name: dhcp\n"
                                             "rom: pxe-{nic}.rom\n"
                                             "nic: [vmxnet3, e1000, e1000e]\n"
                                             "firmware: [bios, efi]\n"
                                             "stages: [{name: a, http: GET /boot.ipxe}]\n"));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].name, "suite/dhcp/vmxnet3-bios");
  EXPECT_EQ(rows[1].name, "suite/dhcp/vmxnet3-efi");
  EXPECT_EQ(rows[5].name, "suite/dhcp/e1000e-efi");
  EXPECT_EQ(rows[2].rom.file, dir_ / "pxe-e1000.rom");
  EXPECT_EQ(rows[0].stages[0].describe(), "HTTP GET /boot.ipxe");
}

TEST_F(LoadTest, MisspeltKeyNamesFileLineAndKey) {
  EXPECT_EQ(
      error_of("name: boot\nrom: fake.rom\nnics: vmxnet3\nstages: []\n"),
      "s.yaml:3:1: unknown key 'nics' in scenario (did you mean 'nic'? known keys: console, cpus, "
      "description, dns_names, expect, fail_on, faults, firmware, guestinfo, mac, "
      "machine, memory, name, network, "
      "nic, payload, requires, rom, stages, timeout)");
}

TEST_F(LoadTest, MissingRomFileNamesItsLine) {
  EXPECT_EQ(error_of("name: boot\nnic: vmxnet3\nrom: missing-{nic}.rom\n"
                     "stages: [{name: a, serial: x}]\n"),
            "s.yaml:3:6: rom file 'missing-vmxnet3.rom' not found (looked for '" +
                (dir_ / "missing-vmxnet3.rom").string() + "')");
}

TEST_F(LoadTest, BadValuesAreQuoted) {
  EXPECT_EQ(error_of(std::string(kMinimal) + "timeout: soon\n"),
            "s.yaml:6:10: timeout: bad duration 'soon' (use a number with ms, s or m, e.g. "
            "500ms, 30s, 2m)");
  EXPECT_EQ(error_of(std::string(kMinimal) + "firmware: uefi\n"),
            "s.yaml:6:11: firmware must be 'bios' or 'efi', got 'uefi'");
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: [vmxnet3, rtl8139]\n"
                     "stages: [{name: a, serial: x}]\n"),
            "s.yaml:3:16: unknown nic 'rtl8139' (known: vmxnet3, e1000, e1000-82545em, e1000e)");
  EXPECT_EQ(error_of(std::string(kMinimal) + "memory: 4\n"),
            "s.yaml:6:9: memory must be between 16 and 16384, got 4");
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: vmxnet3\n"
                     "stages: [{name: a, serial: '(unclosed'}]\n"),
            "s.yaml:4:28: stage 'a' serial '(unclosed' is not a valid regular expression: "
            "Mismatched '(' and ')' in regular expression");
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: vmxnet3\n"
                     "stages: [{name: a, http: 'POST /x'}]\n"),
            "s.yaml:4:26: stage 'a' http must look like 'GET /path', got 'POST /x'");
}

TEST_F(LoadTest, LinuxPayloadNamesItsKernelAndTrueMeansTheFastOne) {
  const auto kernel_of = [&](const std::string& choice) {
    const auto rows = load_scenario_file(
        write("s.yaml", std::string(kMinimal) + "payload: {linux: " + choice + "}\n"));
    EXPECT_TRUE(rows.at(0).payload.linux_payload) << choice;
    return rows.at(0).payload.linux_kernel;
  };
  EXPECT_EQ(kernel_of("true"), LinuxKernel::kFast);
  EXPECT_EQ(kernel_of("fast"), LinuxKernel::kFast);
  EXPECT_EQ(kernel_of("debian"), LinuxKernel::kDebian);
  const auto off =
      load_scenario_file(write("s.yaml", std::string(kMinimal) + "payload: {linux: false}\n"));
  EXPECT_FALSE(off.at(0).payload.linux_payload);
  EXPECT_FALSE(load_scenario_file(write("s.yaml", kMinimal)).at(0).payload.linux_payload);
}

TEST_F(LoadTest, UnknownLinuxKernelNamesFileLineAndValue) {
  EXPECT_EQ(error_of(std::string(kMinimal) + "payload: {linux: ubuntu}\n"),
            "s.yaml:6:18: payload linux must be true, false, fast or debian, got 'ubuntu'");
  EXPECT_EQ(error_of(std::string(kMinimal) + "payload: {linux: [fast]}\n"),
            "s.yaml:6:18: payload linux must be true, false, fast or debian, got a list or map");
}

TEST_F(LoadTest, PayloadKernelFiles) {
  EXPECT_EQ(payload_kernel_file(LinuxKernel::kFast), "vmlinuz-fast");
  EXPECT_EQ(payload_kernel_file(LinuxKernel::kDebian), "vmlinuz");
}

TEST_F(LoadTest, ExpectFailNamesAKnownStage) {
  const auto rows = load_scenario_file(
      write("s.yaml",
            std::string(kMinimal) +
                "expect: {fail: {reached: ipxe, serial: 'No bootable', ipxe_error: 3c092003}}\n"));
  EXPECT_TRUE(rows[0].expect.fail);
  EXPECT_EQ(rows[0].expect.describe(),
            "fail after stage 'ipxe' with serial /No bootable/ with iPXE error 3c092003");
  EXPECT_EQ(error_of(std::string(kMinimal) + "expect: {fail: {reached: kernel}}\n"),
            "s.yaml:6:26: expect fail reached names no stage: 'kernel'");
}

TEST_F(LoadTest, GuestinfoKeysAreCheckedAndStaticNetDerived) {
  const auto rows = load_scenario_file(write("s.yaml", std::string(kMinimal) +
                                                           "network: static\n"
                                                           "guestinfo:\n"
                                                           "  ipxe.net0.ip: 10.0.0.10\n"
                                                           "  ipxe.net0.netmask: 255.255.255.0\n"
                                                           "  ipxe.net0.gateway: 10.0.0.1\n"
                                                           "  ipxe.dns: 10.0.0.200\n"));
  EXPECT_EQ(rows[0].static_net.subnet, "10.0.0.0/24");
  EXPECT_EQ(rows[0].static_net.gateway, "10.0.0.1");
  EXPECT_EQ(rows[0].static_net.dns, "10.0.0.200");
  EXPECT_EQ(error_of(std::string(kMinimal) + "guestinfo: {guestinfo.ipxe.ip: 1.2.3.4}\n"),
            "s.yaml:6:13: guestinfo key 'guestinfo.ipxe.ip' must not repeat the 'guestinfo.' "
            "prefix (write 'ipxe.ip')");
  EXPECT_EQ(error_of(std::string(kMinimal) + "network: static\nguestinfo: {ipxe.net0.ip: ten}\n"),
            "s.yaml:6:10: network: static: guestinfo ipxe.net0.ip 'ten' is not an IPv4 address");
}

TEST_F(LoadTest, DuplicateExpandedNamesAreRejected) {
  write("a.yaml", kMinimal);
  write("b.yaml", kMinimal);
  try {
    load_scenarios({dir_});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir_ / "b.yaml").string() +
                                         ":1: scenario name 'suite/boot/vmxnet3-bios' is already "
                                         "used at " +
                                         (dir_ / "a.yaml").string() + ":1");
  }
}

TEST_F(LoadTest, FilterByGlob) {
  const auto rows = load_scenario_file(write("s.yaml", kMinimal));
  EXPECT_EQ(filter_scenarios(rows, "suite/*/vmxnet3-*").size(), 1u);
  EXPECT_EQ(filter_scenarios(rows, "*e1000*").size(), 0u);
}

}  // namespace
}  // namespace rh
