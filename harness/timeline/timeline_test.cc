#include "harness/timeline/timeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "harness/console/console_decoder.h"

namespace rh {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::string kTestdata = std::string(RH_SOURCE_DIR) + "/harness/timeline/testdata/";

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Recorded boots: serial.tsv holds each console line as it arrived (raw,
// escapes and all) with its time; the evidence holds them decoded.
BootEvidence load_capture(const std::string& name) {
  BootEvidence in;
  for (const auto& line : read_lines(kTestdata + name + ".serial.tsv")) {
    size_t tab = line.find('\t');
    const std::string text = clean_console_line(line.substr(tab + 1));
    if (!text.empty()) in.console.push_back({std::stod(line.substr(0, tab)), text});
  }
  for (const auto& line : read_lines(kTestdata + name + ".http.tsv")) {
    std::istringstream f(line);
    HttpExchange r;
    f >> r.start_ms >> r.end_ms >> r.method >> r.path >> r.status >> r.bytes;
    in.http.push_back(r);
  }
  return in;
}

std::map<std::string, Phase> by_name(const Timeline& t) {
  std::map<std::string, Phase> m;
  for (const auto& p : t.phases) m[p.name] = p;
  return m;
}

TEST(TimelineTest, RealE1000BiosBootGivesEveryPhaseButGuestinfo) {
  Timeline t = extract_timeline(load_capture("e1000-bios"));
  auto p = by_name(t);
  EXPECT_EQ(p["vm-start"].at_ms, 0);
  EXPECT_EQ(p["vm-start"].source, "harness");
  EXPECT_EQ(p["firmware-first-output"].at_ms, 134.9);  // SeaBIOS banner
  EXPECT_EQ(p["rom-banner"].at_ms, 139.5);             // "iPXE (http://ipxe.org) 00:02.0 ..."
  EXPECT_EQ(p["rom-start"].at_ms, 212.1);              // "starting execution...ok"
  EXPECT_EQ(p["ipxe-devices-initialised"].at_ms, 275.6);
  EXPECT_EQ(p["network-configured"].at_ms, 5460.8);  // "Configuring (net0 ...)...... ok"
  EXPECT_EQ(p["network-configured"].source, "serial");
  EXPECT_EQ(p["first-http-request"].at_ms, 5497.1);
  EXPECT_EQ(p["first-http-request"].source, "http");
  EXPECT_EQ(p["download-done:/boot.ipxe"].at_ms, 5525.8);
  EXPECT_EQ(p["download-done:/vmlinuz"].at_ms, 5763.0);
  EXPECT_EQ(p["download-done:/initrd.img"].at_ms, 5838.1);
  EXPECT_EQ(p["kernel-start"].at_ms, 11747.9);  // "Probing EDD" from the kernel's setup
  EXPECT_EQ(p["userspace-marker"].at_ms, 13770.4);
  EXPECT_THAT(t.missing, ElementsAre("first-guestinfo-read"));
}

TEST(TimelineTest, RealVmxnet3BiosBootGivesPhasesInBootOrder) {
  Timeline t = extract_timeline(load_capture("vmxnet3-bios"));
  std::vector<std::string> names;
  for (const auto& p : t.phases) names.push_back(p.name);
  EXPECT_THAT(names,
              ElementsAre("vm-start", "firmware-first-output", "rom-banner", "rom-start",
                          "ipxe-devices-initialised", "network-configured", "first-http-request",
                          "download-done:/boot.ipxe", "download-done:/vmlinuz",
                          "download-done:/initrd.img", "kernel-start", "userspace-marker"));
  EXPECT_THAT(t.missing, ElementsAre("first-guestinfo-read"));
}

// The sources agree with each other on the one clock: iPXE prints
// "http://host/path... ok" only after the server finished sending that path,
// and it asks for its first file only after configuring the network.
class TimelineAlignmentTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TimelineAlignmentTest, HttpAndSerialAgree) {
  BootEvidence in = load_capture(GetParam());
  auto p = by_name(extract_timeline(in));
  EXPECT_LT(p["network-configured"].at_ms, p["first-http-request"].at_ms);
  const std::regex ok_line(R"(^http://[^/]+(/\S*)\.\.\. ok)");
  int checked = 0;
  for (const auto& line : in.console) {
    std::smatch m;
    if (!std::regex_search(line.text, m, ok_line)) continue;
    std::string phase = "download-done:" + m[1].str();
    ASSERT_TRUE(p.contains(phase)) << phase;
    EXPECT_LE(p[phase].at_ms, line.at_ms) << phase;
    ++checked;
  }
  EXPECT_EQ(checked, 3);
  EXPECT_LT(p["download-done:/initrd.img"].at_ms, p["kernel-start"].at_ms);
}

INSTANTIATE_TEST_SUITE_P(RealCaptures, TimelineAlignmentTest,
                         ::testing::Values("e1000-bios", "vmxnet3-bios", "vmxnet3-efi"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string n = param.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// Debian's 2019 EFI iPXE under OVMF without "initrd=" on the kernel command
// line: the kernel never sees the initrd and panics, so no userspace marker.
TEST(TimelineTest, RealEfiBootWithoutInitrdStopsAtKernelStart) {
  Timeline t = extract_timeline(load_capture("vmxnet3-efi-noinitrd"));
  auto p = by_name(t);
  EXPECT_EQ(p["firmware-first-output"].at_ms, 6254.8);  // the line before is escapes only
  EXPECT_EQ(p["rom-banner"].at_ms, 6254.8);             // "iPXE 1.0.0+git... -- Open Source"
  EXPECT_EQ(p["network-configured"].at_ms, 11661.1);
  EXPECT_EQ(p["download-done:/initrd.img"].at_ms, 11817.4);
  EXPECT_EQ(p["kernel-start"].at_ms, 18067.6);
  EXPECT_THAT(t.missing, ElementsAre("rom-start", "ipxe-devices-initialised",
                                     "first-guestinfo-read", "userspace-marker"));
}

// The same EFI ROM with "initrd=initrd.img" on the command line boots; the
// kernel's EFI stub line is its first output.
TEST(TimelineTest, RealEfiBootReachesUserspace) {
  Timeline t = extract_timeline(load_capture("vmxnet3-efi"));
  auto p = by_name(t);
  EXPECT_EQ(p["rom-banner"].at_ms, 8938.9);
  EXPECT_EQ(p["network-configured"].at_ms, 14694.2);
  EXPECT_EQ(p["first-http-request"].at_ms, 14700.7);
  EXPECT_EQ(p["kernel-start"].at_ms,
            22286.2);  // "EFI stub: Loaded initrd from command line option"
  EXPECT_EQ(p["userspace-marker"].at_ms, 26520.5);
  EXPECT_THAT(t.missing,
              ElementsAre("rom-start", "ipxe-devices-initialised", "first-guestinfo-read"));
}

TEST(TimelineTest, NothingSeenReportsEveryPhaseMissingAndGuessesNone) {
  Timeline t = extract_timeline({});
  ASSERT_EQ(t.phases.size(), 1u);
  EXPECT_EQ(t.phases[0].name, "vm-start");
  std::vector<std::string> expected(expected_phase_names().begin() + 1,
                                    expected_phase_names().end());
  EXPECT_EQ(t.missing, expected);
}

TEST(TimelineTest, FirstGuestinfoReadIsTheFirstInfoGetRequest) {
  BootEvidence in;
  in.guestrpc = {{100, "open", ""},
                 {101, "request", "log iPXE starting"},
                 {102, "reply", "1 "},
                 {150, "request", "info-get guestinfo.ipxe.net0.ip"},
                 {160, "request", "info-get guestinfo.ipxe.scriptlet"}};
  auto p = by_name(extract_timeline(in));
  EXPECT_EQ(p["first-guestinfo-read"].at_ms, 150);
  EXPECT_EQ(p["first-guestinfo-read"].source, "guestrpc");
}

TEST(TimelineTest, StaticAddressLineMeansNetworkConfigured) {
  BootEvidence in;
  in.console = {{10, "iPXE initialising devices...ok"},
                {20, "Configuring (net0 00:50:56:01:02:03)... No configuration methods succeeded"},
                {30, "net0: 10.0.0.10/255.255.255.0 gw 10.0.0.1"}};
  auto p = by_name(extract_timeline(in));
  EXPECT_EQ(p["network-configured"].at_ms, 30);
}

TEST(TimelineTest, DevicesInitialisedWaitsForTheOkOnALaterLine) {
  BootEvidence in;
  in.console = {{10, "iPXE initialising devices..."}, {15, "some noise"}, {40, "ok"}};
  auto p = by_name(extract_timeline(in));
  EXPECT_EQ(p["rom-banner"].at_ms, 10);
  EXPECT_EQ(p["ipxe-devices-initialised"].at_ms, 40);
}

TEST(TimelineTest, FailedRequestsStartHttpButFinishNoDownload) {
  BootEvidence in;
  in.http = {{500, 510, "GET", "/boot.ipxe", 404, 0},
             {600, 700, "GET", "/vmlinuz", 200, 10},
             {800, 900, "GET", "/vmlinuz", 200, 10},
             {950, 990, "GET", "/initrd.img", 200, 5, true, /*cut=*/true}};
  Timeline t = extract_timeline(in);
  auto p = by_name(t);
  EXPECT_EQ(p["first-http-request"].at_ms, 500);
  EXPECT_FALSE(p.contains("download-done:/boot.ipxe"));
  EXPECT_EQ(p["download-done:/vmlinuz"].at_ms, 700);  // a repeated download counts once
  EXPECT_FALSE(p.contains("download-done:/initrd.img")) << "a cut transfer is not done";

  in.http = {{500, 510, "GET", "/boot.ipxe", 500, 0}};
  EXPECT_THAT(extract_timeline(in).missing, ::testing::Contains("download-done"));
}

TEST(TimelineTest, ShutdownIsAPhaseButNeverMissing) {
  BootEvidence in;
  in.events = {{50, VmEvent::Kind::kPower, "reset"}, {900, VmEvent::Kind::kPower, "shutdown"}};
  Timeline t = extract_timeline(in);
  EXPECT_EQ(t.phases.back().name, "vm-shutdown");
  EXPECT_EQ(t.phases.back().at_ms, 900);
  EXPECT_EQ(t.phases.back().source, "vm");
  Timeline none = extract_timeline({});
  EXPECT_THAT(none.missing, ::testing::Not(::testing::Contains("vm-shutdown")));
}

TEST(TimelineTest, KernelStartFromEfiStubOrDecompressor) {
  BootEvidence in;
  in.console = {{70, "EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path"}};
  EXPECT_EQ(by_name(extract_timeline(in))["kernel-start"].at_ms, 70);
  in.console = {{80, "Decompressing Linux... Parsing ELF... done."}};
  EXPECT_EQ(by_name(extract_timeline(in))["kernel-start"].at_ms, 80);
}

}  // namespace
}  // namespace rh
