// Boots the probe guest (probe.c) in the patched QEMU that emulator/build-qemu built and
// checks, exactly, the replies it printed on serial and the GuestRPC log QEMU wrote: the
// contract iPXE's GuestInfo support depends on. Also runs stock Debian QEMU to show it
// does not meet that contract.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/core/process.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

fs::path PatchedQemu() {
  if (const char* q = getenv("ROMHARNESS_QEMU"); q && *q) return q;
  const char* cache = getenv("ROMHARNESS_CACHE");
  const char* home = getenv("HOME");
  fs::path base =
      cache && *cache ? fs::path(cache) : fs::path(home ? home : "/") / ".cache/romharness";
  return base / "qemu/current/bin/qemu-system-x86_64";
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "rh-probe-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> ProbeArgs(const fs::path& qemu, const fs::path& dir) {
  std::ofstream(dir / "present") << "hello probe";  // exact bytes, no newline
  return {qemu.string(),
          "-machine",
          "pc,vmport=on",
          "-accel",
          "tcg",
          "-m",
          "64",
          "-display",
          "none",
          "-nodefaults",
          "-no-user-config",
          "-nic",
          "none",
          "-serial",
          "stdio",
          "-device",
          "isa-debug-exit,iobase=0xf4,iosize=0x04",
          "-kernel",
          RH_PROBE_ELF,
          "-fw_cfg",
          "name=opt/guestinfo/probe.present,file=" + (dir / "present").string()};
}

const std::vector<std::string> kExpectedSerial = {
    "romharness-probe start",
    "version magic=564d5868 version=00000006 type=00000002",
    "cpuid 40000000 max=40000001 signature=\"VMwareVMware\"",
    "open status=00010000 channel=0 esi-edi=kept",
    "cmd \"info-get guestinfo.probe.present\" -> id=1 \"1 hello probe\"",
    "cmd \"info-get guestinfo.probe.missing\" -> id=1 \"0 No value found\"",
    "cmd \"log probe says \"hi\"\" -> id=1 \"1 \"",
    "cmd \"info-set guestinfo.probe.set set-by-guest\" -> id=1 \"1 \"",
    "cmd \"info-get guestinfo.probe.set\" -> id=1 \"1 set-by-guest\"",
    "cmd \"tools.set.version 2147483647\" -> id=1 \"1 \"",
    "oos payload-before-size status=00000000",
    "oos reply-data-before-len status=00000000",
    "oos finish-without-reply status=00000000",
    "oos recv-size-idle status=00810000",
    "oos closed-channel-7 status=00000000",
    "oos channel-out-of-range status=00000000",
    "oos size-too-large status=00000000",
    "oos unknown-subcommand status=00000000",
    "oos close status=00010000",
    "oos after-close status=00000000",
    "hb \"info-get guestinfo.probe.present\" -> \"1 hello probe\"",
    "hb \"log via the high-bandwidth port\" -> \"1 \"",
    "ring3 magic=564d5868 open=00010000 close=00010000",
    "romharness-probe done",
};

const std::vector<std::string> kExpectedLog = {
    R"(ch=0 open "RPCI")",
    R"(ch=0 request "info-get guestinfo.probe.present")",
    R"(ch=0 reply "1 hello probe")",
    R"(ch=0 request "info-get guestinfo.probe.missing")",
    R"(ch=0 reply "0 No value found")",
    R"(ch=0 request "log probe says \"hi\"")",
    R"(ch=0 reply "1 ")",
    R"(ch=0 request "info-set guestinfo.probe.set set-by-guest")",
    R"(ch=0 reply "1 ")",
    R"(ch=0 request "info-get guestinfo.probe.set")",
    R"(ch=0 reply "1 set-by-guest")",
    R"(ch=0 request "tools.set.version 2147483647")",
    R"(ch=0 reply "1 ")",
    R"(ch=0 error "send-payload without a pending send-size")",
    R"(ch=0 error "recv-payload without a reply being received")",
    R"(ch=0 error "recv-status without a reply being received")",
    R"(ch=7 error "send-size on channel 7, which is not open")",
    R"(ch=9 error "send-size on channel 9, which is not open")",
    R"(ch=0 error "send-size 65537 exceeds 65536")",
    R"(ch=0 error "unknown subcommand 9")",
    R"(ch=0 close "")",
    R"(ch=0 error "send-size on channel 0, which is not open")",
    R"(ch=0 open "RPCI cookie")",
    R"(ch=0 request "info-get guestinfo.probe.present")",
    R"(ch=0 reply "1 hello probe")",
    R"(ch=0 close "")",
    R"(ch=0 open "RPCI cookie")",
    R"(ch=0 request "log via the high-bandwidth port")",
    R"(ch=0 reply "1 ")",
    R"(ch=0 close "")",
    R"(ch=0 open "RPCI")",  // from ring 3
    R"(ch=0 close "")",
};

uint64_t SteadyNs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

void SkipUnlessProbeBuilt() {
  if (std::string(RH_PROBE_ELF).empty()) {
    GTEST_SKIP() << "probe guest not built (needs gcc with -m32, no sanitizer/fuzz preset)";
  }
}

TEST(ProbeBoot, PatchedQemuAnswersExactlyAsIpxeExpects) {
  SkipUnlessProbeBuilt();
  const fs::path qemu = PatchedQemu();
  if (!fs::exists(qemu)) {
    GTEST_SKIP() << "patched QEMU not built: no " << qemu << " (run emulator/build-qemu)";
  }
  TempDir dir;
  std::vector<std::string> argv = ProbeArgs(qemu, dir.path());
  argv.insert(argv.end(), {"-cpu", "qemu64,x-hv-vendor=VMwareVMware", "-global",
                           "vmport.guestrpc-log=" + (dir.path() / "guestrpc.log").string()});
  const uint64_t before = SteadyNs();
  CommandOutput r = run_command(argv, milliseconds(60000));
  const uint64_t after = SteadyNs();
  ASSERT_FALSE(r.timed_out) << shell_quote(argv) << "\n" << r.out << r.err;
  EXPECT_EQ(r.status.describe(), "exit status 33") << r.err;  // isa-debug-exit (0x10 << 1) | 1
  EXPECT_EQ(Lines(r.out), kExpectedSerial) << shell_quote(argv);

  // Log lines: "<CLOCK_MONOTONIC ns> <event>", timestamps inside this test's steady_clock window.
  const std::regex line_re(R"(^([0-9]+) (ch=.*)$)");
  std::vector<std::string> events;
  uint64_t last = before;
  for (const std::string& line : Lines(ReadFile(dir.path() / "guestrpc.log"))) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, line_re)) << line;
    const uint64_t ts = std::stoull(m[1]);
    EXPECT_GE(ts, last) << line;
    EXPECT_LE(ts, after) << line;
    last = ts;
    events.push_back(m[2]);
  }
  EXPECT_EQ(events, kExpectedLog);
}

TEST(ProbeBoot, UnwritableLogPathIsAStartupError) {
  SkipUnlessProbeBuilt();
  const fs::path qemu = PatchedQemu();
  if (!fs::exists(qemu)) GTEST_SKIP() << "patched QEMU not built: no " << qemu;
  TempDir dir;
  std::vector<std::string> argv = ProbeArgs(qemu, dir.path());
  argv.insert(argv.end(), {"-global", "vmport.guestrpc-log=/nonexistent/dir/guestrpc.log"});
  CommandOutput r = run_command(argv, milliseconds(30000));
  EXPECT_EQ(r.status.describe(), "exit status 1");
  EXPECT_NE(r.err.find("vmport: cannot open guestrpc-log '/nonexistent/dir/guestrpc.log'"),
            std::string::npos)
      << r.err;
}

// Informative: Debian's QEMU answers the backdoor's get-version but not GuestRPC, so the
// probe's open fails (ECX comes back unchanged), CPUID says TCG, and a ring-3 `inl` faults.
TEST(ProbeBoot, StockDebianQemuFailsTheContract) {
  SkipUnlessProbeBuilt();
  const fs::path stock = "/usr/bin/qemu-system-x86_64";
  if (!fs::exists(stock)) GTEST_SKIP() << "no stock QEMU at " << stock;
  TempDir dir;
  std::vector<std::string> argv = ProbeArgs(stock, dir.path());
  CommandOutput r = run_command(argv, milliseconds(60000));
  ASSERT_FALSE(r.timed_out) << r.out;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 4u) << r.out << r.err;
  EXPECT_EQ(lines[1], "version magic=564d5868 version=00000006 type=00000002");
  EXPECT_EQ(lines[2], "cpuid 40000000 max=40000001 signature=\"TCGTCGTCGTCG\"");
  EXPECT_EQ(lines[3], "open status=0000001e channel=0 esi-edi=kept");
  EXPECT_EQ(lines[4], "ring3 backdoor: #GP");  // ring 3 needs an I/O bitmap on stock TCG
  EXPECT_NE(lines, kExpectedSerial);
}

}  // namespace
}  // namespace rh
