// The loader's checks on what a file may hold beyond its keys: duplicate
// keys, nesting, size and bytes, timeouts, guestinfo limits, the MAC, and
// where relative paths resolve from.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/scenario/load.h"
#include "harness/scenario/yaml_guard.h"

namespace rh {
namespace {
namespace fs = std::filesystem;

constexpr const char* kMinimal =
    "name: boot\n"
    "rom: fake.rom\n"
    "nic: vmxnet3\n"
    "stages:\n"
    "  - {name: ipxe, serial: iPXE}\n";

class LoadChecksTest : public ::testing::Test {
 protected:
  void SetUp() override { tmp_.write("suite/fake.rom", "ROM"); }

  fs::path dir() const { return tmp_.path() / "suite"; }

  std::string error_of(const std::string& text, const LoadOptions& options = {}) {
    const fs::path p = tmp_.write("suite/s.yaml", text);
    try {
      load_scenario_file(p, options);
    } catch (const InputError& e) {
      std::string msg = e.what();
      const std::string prefix = p.string();
      if (msg.starts_with(prefix)) msg = "s.yaml" + msg.substr(prefix.size());
      return msg;
    }
    return "<no error>";
  }

  testing::TempDir tmp_;
};

TEST_F(LoadChecksTest, ADuplicateTopLevelKeyNamesBothLines) {
  EXPECT_EQ(error_of(std::string(kMinimal) + "name: again\n"),
            "s.yaml:6:1: duplicate key 'name' (first at line 1)");
}

TEST_F(LoadChecksTest, DuplicateKeysAreFoundAtEveryLevel) {
  EXPECT_EQ(
      error_of(std::string(kMinimal) + "guestinfo:\n  ipxe.dns: 10.0.0.200\n  ipxe.scriptlet: x\n"
                                       "  ipxe.dns: 10.0.0.1\n"),
      "s.yaml:9:3: duplicate key 'ipxe.dns' (first at line 7)");
  // Inside a list item, in flow style.
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: vmxnet3\n"
                     "stages:\n  - {name: a, serial: x}\n  - {name: b, serial: y,\n"
                     "     serial: z}\n"),
            "s.yaml:7:6: duplicate key 'serial' (first at line 6)");
  // Quoting does not make a key different.
  EXPECT_EQ(error_of(std::string(kMinimal) + "\"nic\": e1000\n"),
            "s.yaml:6:1: duplicate key 'nic' (first at line 3)");
}

TEST_F(LoadChecksTest, TheSameKeyInSiblingMapsIsNoDuplicate) {
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: vmxnet3\n"
                     "stages:\n  - {name: a, serial: x}\n  - {name: b, serial: y}\n"),
            "<no error>");
}

TEST_F(LoadChecksTest, NestingDeeperThanTheLimitIsRefused) {
  std::string deep = std::string(kMinimal) + "description: ";
  deep += std::string(kMaxYamlDepth, '[') + std::string(kMaxYamlDepth, ']');
  EXPECT_EQ(error_of(deep + "\n"),
            "s.yaml:6:77: maps and lists nested deeper than 64 levels; no scenario needs that "
            "many");
}

// yaml-cpp's own guard says only "bad file"; 10000 levels must neither crash
// nor get there.
TEST_F(LoadChecksTest, TenThousandOpenBracketsGiveAClearError) {
  for (const std::string open : {"[", "{", "- ", "{a: "}) {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += open;
    const std::string error = error_of(text);
    EXPECT_NE(error.find("nested deeper than 64 levels"), std::string::npos) << error;
    EXPECT_TRUE(error.starts_with("s.yaml:1:")) << error;
  }
}

TEST_F(LoadChecksTest, BinaryGarbageNamesTheByteAndItsLine) {
  EXPECT_EQ(error_of(std::string(kMinimal) + std::string("desc\0ription: x\n", 16)),
            "s.yaml:6:5: NUL byte; a scenario file is YAML text, this looks like a binary file");
  EXPECT_EQ(error_of(std::string(kMinimal) + "description: caf\xe9\n"),
            "s.yaml:6:17: byte 0xe9 is not valid UTF-8; a scenario file is UTF-8 text");
  const std::string elf_header(
      "\x7f"
      "ELF\x02\x01\x01\x00\x00",
      9);
  EXPECT_EQ(error_of(elf_header),
            "s.yaml:1:8: NUL byte; a scenario file is YAML text, this looks like a binary file");
  EXPECT_EQ(error_of(std::string(kMinimal) + "description: caf\xc3\xa9\n"), "<no error>");
}

TEST_F(LoadChecksTest, AnOverlongUtf8FormIsNotUtf8) {
  EXPECT_EQ(error_of("name: \xc0\xaf\n"),
            "s.yaml:1:7: byte 0xc0 is not valid UTF-8; a scenario file is UTF-8 text");
}

TEST_F(LoadChecksTest, AFileOverTheSizeLimitIsNotRead) {
  const fs::path p = tmp_.write("suite/big.yaml", std::string(kMaxScenarioFileBytes + 1, '#'));
  try {
    load_scenario_file(p);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), p.string() +
                                         ": larger than 4194304 bytes (4 MiB); a scenario file "
                                         "is hand-written YAML, is this the right file?");
  }
}

TEST_F(LoadChecksTest, ASecondDocumentIsAnError) {
  EXPECT_EQ(error_of(std::string(kMinimal) + "---\nname: other\n"),
            "s.yaml:6:1: a second YAML document ('---'); a scenario file holds one scenario");
}

TEST_F(LoadChecksTest, AStageTimeoutLongerThanTheScenarioTimeoutNamesBoth) {
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: vmxnet3\n"
                     "stages:\n  - {name: ipxe, serial: iPXE, timeout: 200s}\n"
                     "timeout: 150s\n"),
            "s.yaml:5:41: stage 'ipxe' timeout 200s is longer than the scenario's timeout "
            "150s (line 6)");
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: vmxnet3\n"
                     "stages:\n  - {name: ipxe, serial: iPXE, timeout: 121s}\n"),
            "s.yaml:5:41: stage 'ipxe' timeout 121s is longer than the scenario's timeout "
            "120s (the default; set 'timeout:')");
  EXPECT_EQ(error_of("name: boot\nrom: fake.rom\nnic: vmxnet3\n"
                     "stages:\n  - {name: ipxe, serial: iPXE, timeout: 150s}\n"
                     "timeout: 150s\n"),
            "<no error>");
}

TEST_F(LoadChecksTest, AScenarioTimeoutLongerThanTheRunTimeoutIsAnError) {
  const LoadOptions run{.run_timeout = std::chrono::seconds(100)};
  EXPECT_EQ(error_of(std::string(kMinimal) + "timeout: 150s\n", run),
            "s.yaml:6:10: scenario timeout 150s is longer than the run's timeout 100s");
  EXPECT_EQ(error_of(kMinimal, run),
            "s.yaml:1:1: scenario timeout 120s is longer than the run's timeout 100s");
  EXPECT_EQ(error_of(std::string(kMinimal) + "timeout: 100s\n", run), "<no error>");
}

TEST_F(LoadChecksTest, GuestinfoOverEsxiLimitsFailsAtLoadWithTheLine) {
  const std::string big(64 * 1024 + 1, 'v');
  EXPECT_EQ(error_of(std::string(kMinimal) +
                     "guestinfo:\n  ipxe.dns: 10.0.0.200\n  ipxe.big: " + big + "\n"),
            "s.yaml:8:3: guestinfo key 'ipxe.big' has a value of 65537 bytes; ESXi allows at "
            "most 65536 per value (VMware Tools' 64 KiB GuestRPC message limit)");
  EXPECT_EQ(error_of(std::string(kMinimal) + "guestinfo: {'a b': x}\n"),
            "s.yaml:6:13: guestinfo key 'a b' has byte 0x20 at offset 1; ESXi keys hold no "
            "whitespace or control characters (a guest's info-set ends the key at the first "
            "space)");
  std::string many = std::string(kMinimal) + "guestinfo:\n";
  const std::string value(std::size_t{60} * 1024, 'v');
  for (int i = 0; i < 18; ++i) many += "  k" + std::to_string(i) + ": " + value + "\n";
  const std::string error = error_of(many);
  EXPECT_TRUE(error.starts_with("s.yaml:7:3: guestinfo totals ")) << error.substr(0, 200);
}

TEST_F(LoadChecksTest, AMacIsNormalizedOrRefusedWithTheReason) {
  const auto rows = load_scenario_file(
      tmp_.write("suite/m.yaml", std::string(kMinimal) + "mac: 00-50-56-AB-cd-01\n"));
  EXPECT_EQ(rows[0].mac, "00:50:56:ab:cd:01");
  EXPECT_EQ(error_of(std::string(kMinimal) + "mac: 00:50:56:ab:cd\n"),
            "s.yaml:6:6: mac '00:50:56:ab:cd' is not a NIC address: expected six hex bytes like "
            "00:50:56:aa:bb:cc");
  EXPECT_EQ(error_of(std::string(kMinimal) + "mac: '01:00:5e:00:00:01'\n"),
            "s.yaml:6:6: mac '01:00:5e:00:00:01' is not a NIC address: a multicast address (the "
            "first byte is odd); a NIC needs a unicast one");
}

TEST_F(LoadChecksTest, AnOverlongPatternIsRefusedBeforeStdRegexSeesIt) {
  EXPECT_EQ(error_of(std::string(kMinimal) + "fail_on: '" + std::string(1001, '(') + "'\n"),
            "s.yaml:6:10: fail_on is 1001 characters long; patterns may have at most 1000");
}

// Paths resolve from the scenario file's folder whatever the working
// directory is, whether the file is named absolutely or relatively.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const fs::path& to) : before_(fs::current_path()) {
    fs::current_path(to);
  }
  ~WorkingDirectory() { fs::current_path(before_); }

 private:
  fs::path before_;
};

TEST_F(LoadChecksTest, RelativePathsResolveFromTheScenarioFile) {
  tmp_.write("suite/sub/scripts/boot.ipxe", "#!ipxe\n");
  tmp_.write("elsewhere/.keep", "");
  tmp_.write("suite/sub/s.yaml",
             "name: boot\nrom: ../fake.rom\nnic: vmxnet3\nstages: [{name: a, serial: x}]\n"
             "payload: {script: scripts/boot.ipxe}\n");
  const fs::path script = dir() / "sub" / "scripts" / "boot.ipxe";
  for (const fs::path& cwd : {tmp_.path() / "elsewhere", dir(), dir() / "sub"}) {
    WorkingDirectory in(cwd);
    const fs::path named = fs::relative(dir() / "sub" / "s.yaml", cwd);
    for (const fs::path& file : {dir() / "sub" / "s.yaml", named}) {
      const auto rows = load_scenario_file(file);
      EXPECT_EQ(rows[0].payload.script, script) << "cwd " << cwd << ", file " << file;
      EXPECT_EQ(rows[0].rom.file, dir() / "fake.rom") << "cwd " << cwd << ", file " << file;
    }
  }
}

}  // namespace
}  // namespace rh
