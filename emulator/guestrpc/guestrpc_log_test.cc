// Unit tests of the capped GuestRPC log: the line format, the cap and its marker, and a
// hostile guest calling `log` a million times through the state machine.
#include "emulator/guestrpc/guestrpc_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/guestrpc/guestrpc.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

struct LogClose {
  void operator()(guestrpc_log* log) const { guestrpc_log_close(log); }
};
using Log = std::unique_ptr<guestrpc_log, LogClose>;

void log_text(guestrpc_log* log, uint64_t ns, const std::string& text) {
  guestrpc_log_event(log, ns, 0, GUESTRPC_EVENT_REQUEST, text.data(), text.size());
}

std::string marker_line(uint64_t ns, uint64_t cap, uint64_t events, uint64_t bytes) {
  char buf[GUESTRPC_LOG_MARKER_MAX];
  snprintf(buf, sizeof buf,
           "%llu ch=-1 capped \"log reached its cap of %llu bytes; dropped %020llu events "
           "(%020llu bytes) after it\"",
           static_cast<unsigned long long>(ns), static_cast<unsigned long long>(cap),
           static_cast<unsigned long long>(events), static_cast<unsigned long long>(bytes));
  return buf;
}

TEST(GuestRpcLog, OneEscapedLinePerEvent) {
  rh::testing::TempDir tmp;
  const fs::path path = tmp.path() / "guestrpc.log";
  Log log(guestrpc_log_open(path.c_str(), GUESTRPC_LOG_DEFAULT_CAP));
  ASSERT_TRUE(log) << strerror(errno);
  guestrpc_log_event(log.get(), 12, 0, GUESTRPC_EVENT_OPEN, "RPCI", 4);
  const std::string text("say \"hi\"\n\x01", 10);
  guestrpc_log_event(log.get(), 34, 3, GUESTRPC_EVENT_REQUEST, text.data(), text.size());
  guestrpc_log_event(log.get(), 56, -1, GUESTRPC_EVENT_ERROR, "x", 1);
  guestrpc_log_event(log.get(), 78, 3, GUESTRPC_EVENT_CLOSE, "", 0);
  EXPECT_EQ(read_file(path),
            "12 ch=0 open \"RPCI\"\n"
            "34 ch=3 request \"say \\\"hi\\\"\\n\\x01\"\n"
            "56 ch=-1 error \"x\"\n"
            "78 ch=3 close \"\"\n");
  EXPECT_EQ(guestrpc_log_written_events(log.get()), 4u);
  EXPECT_EQ(guestrpc_log_dropped_events(log.get()), 0u);
}

TEST(GuestRpcLog, CapDropsWholeLinesAndCountsThemInOneMarker) {
  rh::testing::TempDir tmp;
  const fs::path path = tmp.path() / "guestrpc.log";
  const std::string line = "10 ch=0 request \"abcdef\"\n";  // 25 bytes
  Log log(guestrpc_log_open(path.c_str(), 3 * line.size() + 5));
  ASSERT_TRUE(log);
  for (int i = 0; i < 3; i++) log_text(log.get(), 10, "abcdef");
  EXPECT_EQ(read_file(path), line + line + line);
  log_text(log.get(), 20, "abcdef");  // 25 bytes, 5 left: dropped, the marker takes its place
  log_text(log.get(), 30, "a");       // 20 bytes
  const std::string marker1 = marker_line(20, 80, 2, 25 + 20);
  EXPECT_EQ(read_file(path), line + line + line + marker1 + "\n");
  for (int i = 0; i < 1000; i++) log_text(log.get(), 40, "abcdef");
  EXPECT_EQ(read_file(path), line + line + line + marker_line(20, 80, 1002, 45 + 1000 * 25) + "\n");
  EXPECT_EQ(guestrpc_log_written_events(log.get()), 3u);
  EXPECT_EQ(guestrpc_log_dropped_events(log.get()), 1002u);
}

TEST(GuestRpcLog, ALineLongerThanTheCapIsDroppedNotCut) {
  rh::testing::TempDir tmp;
  const fs::path path = tmp.path() / "guestrpc.log";
  Log log(guestrpc_log_open(path.c_str(), 10));
  ASSERT_TRUE(log);
  log_text(log.get(), 1, "longer than ten bytes");
  const std::string dropped = "1 ch=0 request \"longer than ten bytes\"\n";
  EXPECT_EQ(read_file(path), marker_line(1, 10, 1, dropped.size()) + "\n");
}

TEST(GuestRpcLog, UnopenablePathsFailWithErrno) {
  errno = 0;
  EXPECT_EQ(guestrpc_log_open("/nonexistent/dir/guestrpc.log", 100), nullptr);
  EXPECT_EQ(errno, ENOENT);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string pipe_path = "/proc/self/fd/" + std::to_string(fds[1]);
  errno = 0;
  EXPECT_EQ(guestrpc_log_open(pipe_path.c_str(), 100), nullptr);
  EXPECT_EQ(errno, ESPIPE);
  close(fds[0]);
  close(fds[1]);
}

// A hostile guest: a million `log` calls, each answered "1 ", while the log stays within
// its cap (plus the marker) and counts every event it dropped.
struct LoggingHost {
  guestrpc_log* log;
  uint64_t ns = 0;
  static void on_event(void* opaque, int channel, guestrpc_event_kind kind, const char* text,
                       size_t len) {
    auto* self = static_cast<LoggingHost*>(opaque);
    guestrpc_log_event(self->log, ++self->ns, channel, kind, text, len);
  }
};

uint32_t call(guestrpc_state* s, uint16_t sub, uint32_t ebx, uint32_t* ebx_out = nullptr) {
  guestrpc_regs r{0x564D5868, ebx, 0x1eu | uint32_t{sub} << 16, 0x5658, 0, 0, 0};
  guestrpc_backdoor(s, &r);
  if (ebx_out) *ebx_out = r.ebx;
  return r.ecx;
}

// "log x" as iPXE sends it; returns the reply.
std::string log_x(guestrpc_state* s) {
  if (call(s, 1, 5) != 0x00810000) return "send-size failed";
  call(s, 2, 0x20676f6c);  // "log "
  call(s, 2, 'x');
  uint32_t len = 0, word = 0;
  if (call(s, 3, 0, &len) != 0x00830000) return "recv-size failed";
  call(s, 4, 1, &word);
  call(s, 5, 1);
  return {reinterpret_cast<const char*>(&word), len};
}

TEST(GuestRpcLog, MillionLogCallsStayWithinTheCapAndGetNormalReplies) {
  rh::testing::TempDir tmp;
  const fs::path path = tmp.path() / "guestrpc.log";
  constexpr uint64_t kCap = uint64_t{64} * 1024;
  LoggingHost host{guestrpc_log_open(path.c_str(), kCap)};
  ASSERT_TRUE(host.log);
  guestrpc_callbacks cb{&host, nullptr, &LoggingHost::on_event};
  guestrpc_state* s = guestrpc_new(&cb);
  ASSERT_EQ(call(s, 0, 0x49435052), 0x00010000u);
  int bad_replies = 0;
  for (int i = 0; i < 1000000; i++) bad_replies += log_x(s) != "1 ";
  EXPECT_EQ(bad_replies, 0);
  const uint64_t events = 1 + 2 * 1000000;  // open, then a request and a reply per call
  EXPECT_EQ(guestrpc_log_written_events(host.log) + guestrpc_log_dropped_events(host.log), events);
  guestrpc_free(s);
  guestrpc_log_close(host.log);

  const std::string text = read_file(path);
  EXPECT_LE(text.size(), kCap + GUESTRPC_LOG_MARKER_MAX);
  const std::vector<std::string> lines = lines_of(text);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.front(), "1 ch=0 open \"RPCI\"");
  const std::regex marker_re(
      R"(^([0-9]+) ch=-1 capped "log reached its cap of 65536 bytes; dropped ([0-9]{20}) events )"
      R"(\(([0-9]{20}) bytes\) after it"$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines.back(), m, marker_re)) << lines.back();
  EXPECT_EQ(std::stoull(m[2]), events - (lines.size() - 1));
  EXPECT_GT(std::stoull(m[3]), std::stoull(m[2]) * 10);  // each dropped line has > 10 bytes
}

}  // namespace
}  // namespace rh
