// Boots the probe guest (probe.c) in the patched QEMU that emulator/build-qemu built and
// checks, exactly, the replies it printed on serial and the GuestRPC log QEMU wrote: the
// contract iPXE's GuestInfo support (and cloud-init's, at its sizes) depends on. Guestinfo
// goes in as the harness writes it (harness/vm/emulator/guestinfo_blob.h): 303 keys, among them
// a 100-character key and a 64 KiB value, each read back through GuestRPC. Stock Debian QEMU
// runs the same boot and must fail the contract; a hostile guest's log flood must stay
// within the log's cap; the probe also runs under -sandbox.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/core/process.h"
#include "harness/vm/emulator/guestinfo_blob.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Guestinfo = std::map<std::string, std::string>;
using Lines = std::vector<std::string>;

// The -sandbox option the harness passes (emulator/README.md).
constexpr const char* kSandbox =
    "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";

fs::path patched_qemu() {
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
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Lines lines_of(const std::string& text) {
  Lines out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

Lines concat(std::initializer_list<Lines> parts) {
  Lines out;
  for (const Lines& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void append(Lines& to, const Lines& more) { to.insert(to.end(), more.begin(), more.end()); }

// The guestrpc.log escaping (emulator/README.md), written independently of guestrpc.c.
std::string escaped(const std::string& text) {
  std::string out;
  for (unsigned char ch : text) {
    if (ch == '\\' || ch == '"') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (ch < 0x20 || ch > 0x7e) {
      char hex[5];
      snprintf(hex, sizeof hex, "\\x%02x", ch);
      out += hex;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

// The request and reply lines of one command on channel 0.
Lines exchange(const std::string& request, const std::string& reply) {
  return {"ch=0 request \"" + escaped(request) + "\"", "ch=0 reply \"" + escaped(reply) + "\""};
}

uint32_t fnv1a(const std::string& bytes) {
  uint32_t h = 0x811c9dc5u;
  for (unsigned char ch : bytes) h = (h ^ ch) * 0x01000193u;
  return h;
}

// ---- what the probe is given ----

const std::string kLongKey = "probe.long." + std::string(89, 'L');  // 100 characters

// Values of many lengths with every byte value, NUL and newline included.
std::string table_value(int i) {
  std::string v(static_cast<size_t>(i) * 37 % 700, '\0');
  for (size_t j = 0; j < v.size(); j++)
    v[j] = static_cast<char>((static_cast<size_t>(i) * 7 + j * 13) % 256);
  return v;
}

// 64 KiB of base64 text, as cloud-init's guestinfo.metadata carries.
std::string metadata_value() {
  static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string v(size_t{64} * 1024, '\0');
  for (size_t j = 0; j < v.size(); j++) v[j] = kB64[(j * 7 + j / 64) % 64];
  return v;
}

// The keys the probe reads back, in order: 298 table keys, the long key, the metadata.
std::vector<std::string> table_keys() {
  std::vector<std::string> keys;
  for (int i = 0; i < 298; i++) {
    char key[32];
    snprintf(key, sizeof key, "probe.t.%03d", i);
    keys.emplace_back(key);
  }
  keys.push_back(kLongKey);
  keys.emplace_back("probe.metadata");
  return keys;
}

Guestinfo base_guestinfo() {
  return {{"probe.present", "hello probe"}, {"probe.set", "from-blob"}};
}

Guestinfo table_guestinfo() {
  Guestinfo g = base_guestinfo();
  std::string list;
  std::vector<std::string> keys = table_keys();
  for (size_t i = 0; i < keys.size(); i++) {
    list += keys[i] + "\n";
    g[keys[i]] = i < 298 ? table_value(static_cast<int>(i)) : "";
  }
  g[kLongKey] = "a value behind a 100-character key";
  g["probe.metadata"] = metadata_value();
  g["probe.keys"] = list;
  return g;
}

// ---- what the probe must print and the emulator must log ----

const Lines kSerialHead = {
    "romharness-probe start",
    "version magic=564d5868 version=00000006 type=00000002",
    R"(cpuid 40000000 max=40000001 signature="VMwareVMware")",
    "open status=00010000 channel=0 esi-edi=kept",
    R"(cmd "info-get guestinfo.probe.present" -> id=1 "1 hello probe")",
    R"(cmd "info-get guestinfo.probe.missing" -> id=1 "0 No value found")",
    R"(cmd "info-get guestinfo.probe.legacy" -> id=1 "1 from a per-key file")",
    R"(cmd "log probe says "hi"" -> id=1 "1 ")",
    R"(cmd "info-get guestinfo.probe.set" -> id=1 "1 from-blob")",
    R"(cmd "info-set guestinfo.probe.set set-by-guest" -> id=1 "1 ")",
    R"(cmd "info-get guestinfo.probe.set" -> id=1 "1 set-by-guest")",
    R"(cmd "tools.set.version 2147483647" -> id=1 "1 ")",
};

const Lines kSerialTail = {
    R"(cmd "info-get guestinfo.probe.present" -> id=1 "1 hello probe")",
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
    R"(hb "info-get guestinfo.probe.present" -> "1 hello probe")",
    R"(hb "log via the high-bandwidth port" -> "1 ")",
    "ring3 magic=564d5868 open=00010000 close=00010000",
    "romharness-probe done",
};

Lines log_head() {
  return concat({{R"(ch=0 open "RPCI")"},
                 exchange("info-get guestinfo.probe.present", "1 hello probe"),
                 exchange("info-get guestinfo.probe.missing", "0 No value found"),
                 exchange("info-get guestinfo.probe.legacy", "1 from a per-key file"),
                 exchange("log probe says \"hi\"", "1 "),
                 exchange("info-get guestinfo.probe.set", "1 from-blob"),
                 exchange("info-set guestinfo.probe.set set-by-guest", "1 "),
                 exchange("info-get guestinfo.probe.set", "1 set-by-guest"),
                 exchange("tools.set.version 2147483647", "1 ")});
}

const Lines kLogTail = {
    R"(ch=0 request "info-get guestinfo.probe.present")",
    R"(ch=0 reply "1 hello probe")",
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

// Serial and log lines for the table phase: every key read back exactly.
void expect_table(const Guestinfo& g, Lines& serial, Lines& log) {
  append(log, exchange("info-get guestinfo.probe.keys", "1 " + g.at("probe.keys")));
  for (const std::string& key : table_keys()) {
    const std::string& value = g.at(key);
    char digest[64];
    snprintf(digest, sizeof digest, " -> \"1 \" len=%zu fnv1a=%08x", value.size(), fnv1a(value));
    serial.push_back("get " + key + digest);
    append(log, exchange("info-get guestinfo." + key, "1 " + value));
  }
  serial.push_back("table " + std::to_string(table_keys().size()) + " keys");
}

struct Boot {
  CommandOutput run;
  Lines serial;
  Lines log;                 // events without their timestamps
  std::vector<uint64_t> ts;  // the timestamps, in order
  uint64_t before = 0, after = 0;
  std::string log_text;
};

uint64_t steady_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// Boots the probe with `guestinfo` as the harness passes it (one blob), plus probe.legacy as
// an older per-key fw_cfg file; `extra` arguments go last.
Boot boot_probe(const fs::path& qemu, const fs::path& dir, const Guestinfo& guestinfo,
                const std::vector<std::string>& extra) {
  write_guestinfo_blob(dir / "guestinfo.bin", guestinfo);
  std::ofstream(dir / "legacy") << "from a per-key file";  // exact bytes, no newline
  std::vector<std::string> argv = {
      qemu.string(),
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
      "name=" + std::string(kGuestinfoBlobFwCfgName) + ",file=" + (dir / "guestinfo.bin").string(),
      "-fw_cfg",
      "name=opt/guestinfo/probe.legacy,file=" + (dir / "legacy").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Boot b;
  b.before = steady_ns();
  b.run = run_command(argv, milliseconds(120000));
  b.after = steady_ns();
  EXPECT_FALSE(b.run.timed_out) << shell_quote(argv) << "\n" << b.run.out << b.run.err;
  b.serial = lines_of(b.run.out);
  b.log_text = read_file(dir / "guestrpc.log");
  // "<ns> ch=...": parsed by hand, as std::regex recurses per character on 64 KiB lines.
  for (const std::string& line : lines_of(b.log_text)) {
    const size_t space = line.find(' ');
    const bool ok = space > 0 && space != std::string::npos &&
                    line.find_first_not_of("0123456789") == space &&
                    line.compare(space + 1, 3, "ch=") == 0;
    EXPECT_TRUE(ok) << line.substr(0, 200);
    if (!ok) continue;
    b.ts.push_back(std::stoull(line.substr(0, space)));
    b.log.push_back(line.substr(space + 1));
  }
  return b;
}

std::vector<std::string> patched_args(const fs::path& dir) {
  return {"-cpu", "qemu64,x-hv-vendor=VMwareVMware", "-global",
          "vmport.guestrpc-log=" + (dir / "guestrpc.log").string()};
}

void skip_unless_probe_built() {
  if (std::string(RH_PROBE_ELF).empty()) {
    GTEST_SKIP() << "probe guest not built (needs gcc with -m32, no sanitizer/fuzz preset)";
  }
}

// Skips the calling test (it must return when ::testing::Test::IsSkipped()) unless the probe
// and the patched QEMU are built.
void skip_unless_patched_qemu(const fs::path& qemu) {
  skip_unless_probe_built();
  if (!::testing::Test::IsSkipped() && !fs::exists(qemu)) {
    GTEST_SKIP() << "patched QEMU not built: no " << qemu << " (run emulator/build-qemu)";
  }
}

// The first difference between two line lists, for a readable failure on long lists.
std::string first_difference(const Lines& got, const Lines& want) {
  for (size_t i = 0; i < got.size() || i < want.size(); i++) {
    const std::string g = i < got.size() ? got[i] : "<missing>";
    const std::string w = i < want.size() ? want[i] : "<missing>";
    if (g != w) {
      return "line " + std::to_string(i) + ":\n  got:  " + g.substr(0, 300) +
             "\n  want: " + w.substr(0, 300);
    }
  }
  return "";
}

TEST(ProbeBoot, PatchedQemuAnswersExactlyAsIpxeExpects) {
  const fs::path qemu = patched_qemu();
  skip_unless_patched_qemu(qemu);
  if (::testing::Test::IsSkipped()) return;
  TempDir dir;
  const Guestinfo g = table_guestinfo();
  ASSERT_EQ(g.size(), 303u);
  Boot b = boot_probe(qemu, dir.path(), g, patched_args(dir.path()));
  EXPECT_EQ(b.run.status.describe(), "exit status 33") << b.run.err;  // (0x10 << 1) | 1

  Lines serial = kSerialHead, log = log_head();
  expect_table(g, serial, log);
  serial = concat({serial, {"flood absent"}});
  log = concat({log, exchange("info-get guestinfo.probe.flood", "0 No value found"), kLogTail});
  serial = concat({serial, kSerialTail});
  EXPECT_EQ(first_difference(b.serial, serial), "");
  EXPECT_EQ(first_difference(b.log, log), "");
  // Timestamps: CLOCK_MONOTONIC, in order, inside this test's steady_clock window.
  uint64_t last = b.before;
  for (uint64_t ts : b.ts) {
    EXPECT_GE(ts, last);
    last = ts;
  }
  EXPECT_LE(last, b.after);
}

// A hostile guest calls `log` 20000 times: every call still gets "1 ", and guestrpc.log
// stops at its cap with one marker line that counts exactly what it dropped.
TEST(ProbeBoot, LogFloodStopsAtTheCapAndRepliesStayNormal) {
  const fs::path qemu = patched_qemu();
  skip_unless_patched_qemu(qemu);
  if (::testing::Test::IsSkipped()) return;
  TempDir dir;
  Guestinfo g = base_guestinfo();
  g["probe.flood"] = "20000";
  constexpr uint64_t kCap = 16384;
  std::vector<std::string> args = patched_args(dir.path());
  args.insert(args.end(), {"-global", "vmport.guestrpc-log-max=" + std::to_string(kCap)});
  Boot b = boot_probe(qemu, dir.path(), g, args);
  EXPECT_EQ(b.run.status.describe(), "exit status 33") << b.run.err;
  EXPECT_EQ(
      first_difference(
          b.serial, concat({kSerialHead, {"table absent", "flood 20000 failures=0"}, kSerialTail})),
      "");

  Lines events = concat({log_head(), exchange("info-get guestinfo.probe.keys", "0 No value found"),
                         exchange("info-get guestinfo.probe.flood", "1 20000")});
  for (int i = 0; i < 20000; i++) append(events, exchange("log flood", "1 "));
  append(events, kLogTail);

  EXPECT_LE(b.log_text.size(), kCap + 192);  // GUESTRPC_LOG_MARKER_MAX
  ASSERT_GE(b.log.size(), 2u);
  const Lines written(b.log.begin(), b.log.end() - 1);
  EXPECT_EQ(first_difference(written, Lines(events.begin(), events.begin() + written.size())), "");
  const std::regex marker_re(
      R"(^ch=-1 capped "log reached its cap of 16384 bytes; dropped ([0-9]{20}) events )"
      R"(\(([0-9]{20}) bytes\) after it"$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(b.log.back(), m, marker_re)) << b.log.back();
  EXPECT_EQ(std::stoull(m[1]), events.size() - written.size());
}

TEST(ProbeBoot, PatchedQemuRunsTheProbeUnderSandbox) {
  const fs::path qemu = patched_qemu();
  skip_unless_patched_qemu(qemu);
  if (::testing::Test::IsSkipped()) return;
  TempDir dir;
  std::vector<std::string> args = patched_args(dir.path());
  args.insert(args.end(), {"-sandbox", kSandbox});
  Boot b = boot_probe(qemu, dir.path(), base_guestinfo(), args);
  EXPECT_EQ(b.run.status.describe(), "exit status 33") << b.run.err;
  EXPECT_EQ(first_difference(b.serial,
                             concat({kSerialHead, {"table absent", "flood absent"}, kSerialTail})),
            "");
}

TEST(ProbeBoot, MalformedBlobIsAStartupError) {
  const fs::path qemu = patched_qemu();
  skip_unless_patched_qemu(qemu);
  if (::testing::Test::IsSkipped()) return;
  TempDir dir;
  std::ofstream(dir.path() / "bad.bin") << "RHGUESTI\x02";
  CommandOutput r =
      run_command({qemu.string(), "-machine", "pc,vmport=on", "-accel", "tcg", "-display", "none",
                   "-nodefaults", "-fw_cfg",
                   "name=opt/romharness/guestinfo,file=" + (dir.path() / "bad.bin").string()},
                  milliseconds(30000));
  EXPECT_EQ(r.status.describe(), "exit status 1");
  EXPECT_NE(r.err.find("vmport: fw_cfg file 'opt/romharness/guestinfo': guestinfo blob does "
                       "not start with the magic \"RHGUESTI\""),
            std::string::npos)
      << r.err;
}

TEST(ProbeBoot, UnwritableLogPathIsAStartupError) {
  const fs::path qemu = patched_qemu();
  skip_unless_patched_qemu(qemu);
  if (::testing::Test::IsSkipped()) return;
  TempDir dir;
  Boot b = boot_probe(qemu, dir.path(), base_guestinfo(),
                      {"-global", "vmport.guestrpc-log=/nonexistent/dir/guestrpc.log"});
  EXPECT_EQ(b.run.status.describe(), "exit status 1");
  EXPECT_NE(b.run.err.find("vmport: cannot open guestrpc-log '/nonexistent/dir/guestrpc.log'"),
            std::string::npos)
      << b.run.err;
}

// Debian's QEMU runs the same boot (the blob is just another fw_cfg file to it) and fails
// the contract: it answers the backdoor's get-version but not GuestRPC, so the probe's open
// fails (ECX comes back unchanged) and no guestinfo is read, CPUID says TCG, and a ring-3
// `inl` faults.
TEST(ProbeBoot, StockDebianQemuFailsTheContract) {
  skip_unless_probe_built();
  if (::testing::Test::IsSkipped()) return;
  const fs::path stock = "/usr/bin/qemu-system-x86_64";
  if (!fs::exists(stock)) GTEST_SKIP() << "no stock QEMU at " << stock;
  TempDir dir;
  const Guestinfo g = table_guestinfo();
  Boot b = boot_probe(stock, dir.path(), g, {});
  Lines want = kSerialHead, unused_log;
  expect_table(g, want, unused_log);
  EXPECT_NE(b.serial, concat({want, {"flood absent"}, kSerialTail}));
  ASSERT_GE(b.serial.size(), 5u) << b.run.out << b.run.err;
  EXPECT_EQ(b.serial[1], "version magic=564d5868 version=00000006 type=00000002");
  EXPECT_EQ(b.serial[2], "cpuid 40000000 max=40000001 signature=\"TCGTCGTCGTCG\"");
  EXPECT_EQ(b.serial[3], "open status=0000001e channel=0 esi-edi=kept");
  EXPECT_EQ(b.serial[4], "ring3 backdoor: #GP");  // ring 3 needs an I/O bitmap on stock TCG
  for (const std::string& line : b.serial) EXPECT_NE(line.rfind("get ", 0), 0u) << line;
  EXPECT_TRUE(b.log_text.empty());
}

}  // namespace
}  // namespace rh
