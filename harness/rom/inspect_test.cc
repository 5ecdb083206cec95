#include "harness/rom/inspect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/rom/rom_test_util.h"

namespace rh {
namespace {

using testing::debian_rom;
using ::testing::HasSubstr;

struct InspectRun {
  int status;
  std::string out;
  std::string err;
};

InspectRun inspect(const std::vector<std::string>& files, bool json = false) {
  std::ostringstream out, err;
  const int status = inspect_command({.files = files, .json = json}, out, err);
  return {status, out.str(), err.str()};
}

std::filesystem::path write_temp(const std::string& name, const testing::Bytes& bytes) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("rh_inspect_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  return path;
}

TEST(InspectCommandTest, TablePerFile) {
  const InspectRun r = inspect({debian_rom("pxe-vmxnet3.rom"), debian_rom("efi-e1000.rom")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr(debian_rom("pxe-vmxnet3.rom") +
                               ": 74240 bytes, 1 image; the BIOS shadows 74240 bytes\n"));
  EXPECT_THAT(r.out, HasSubstr("  0  0x0000000 74240   15ad:07b0  020000 x86 BIOS     yes  ok"));
  EXPECT_THAT(r.out, HasSubstr("  1  0x0012600 174592  8086:100e  020000 EFI          yes  -"
                               "        x86_64 boot service driver, uncompressed\n"));
}

TEST(InspectCommandTest, JsonSchema) {
  const InspectRun r = inspect({debian_rom("pxe-e1000e.rom"), debian_rom("efi-vmxnet3.rom")}, true);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema_version"], 1);
  ASSERT_EQ(doc["files"].size(), 2u);
  const auto& e1000e = doc["files"][0];
  EXPECT_EQ(e1000e["size"], 75264);
  EXPECT_EQ(e1000e["ok"], true);
  EXPECT_EQ(e1000e["layout"], "plain");
  EXPECT_EQ(e1000e["images"][0]["id"], "8086:10d3");
  EXPECT_EQ(e1000e["images"][0]["code_type_name"], "x86 BIOS");
  EXPECT_EQ(e1000e["images"][0]["checksum_ok"], true);
  const auto& efi = doc["files"][1]["images"][1];
  EXPECT_EQ(efi["id"], "15ad:07b0");
  EXPECT_EQ(efi["code_type"], 3);
  EXPECT_EQ(efi["offset"], 0x12200);
  EXPECT_EQ(efi["efi"]["machine_type"], "0x8664");
  EXPECT_EQ(efi["efi"]["subsystem"], 11);
  EXPECT_EQ(efi["efi"]["compressed"], false);
}

TEST(InspectCommandTest, MalformedRomExitsOne) {
  auto bytes = testing::read_bytes(debian_rom("pxe-vmxnet3.rom"));
  bytes[0] = 0x56;
  const auto path = write_temp("bad.rom", bytes);
  const InspectRun r = inspect({path.string(), debian_rom("pxe-e1000.rom")});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "ROM '" + path.string() +
                       "': image 0 at offset 0x0: bad signature 0xaa56 (expected 0xaa55)\n");
  EXPECT_THAT(r.out, HasSubstr("8086:100e"));  // later files are still inspected
}

TEST(InspectCommandTest, ChecksumDiagnosticExitsOneAndShowsInJson) {
  auto bytes = testing::read_bytes(debian_rom("pxe-vmxnet3.rom"));
  bytes[0x2000] += 3;
  const auto path = write_temp("sum.rom", bytes);
  const InspectRun r = inspect({path.string()}, true);
  EXPECT_EQ(r.status, 1);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["files"][0]["ok"], false);
  EXPECT_EQ(doc["files"][0]["images"][0]["checksum_ok"], false);
  EXPECT_EQ(doc["files"][0]["diagnostics"][0],
            "ROM '" + path.string() +
                "': image 0 at offset 0x0: checksum: the 74240 bytes sum to 0x03 mod 256 "
                "(expected 0x00)");
}

// Usage errors and --help are tested in harness/cli (rom_options_test.cc).
TEST(InspectCommandTest, MissingFileExitsTwo) {
  const InspectRun missing = inspect({"/nonexistent.rom"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err,
            "romharness inspect: cannot open ROM '/nonexistent.rom': no such file or not a file\n");
}

}  // namespace
}  // namespace rh
