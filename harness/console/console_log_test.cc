#include "harness/console/console_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

using std::chrono::milliseconds;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ConsoleLog, TimesALineByItsFirstByteAndKeepsTheRawBytes) {
  testing::TempDir tmp;
  const auto origin = ConsoleLog::Clock::now();
  ConsoleLog log(tmp.path() / "serial.log", origin);
  log.append("\x1b[0mhe", origin + milliseconds(10));
  log.append("llo\nworld\n", origin + milliseconds(30));
  const auto lines = log.lines_from(0);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_DOUBLE_EQ(lines[0].at_ms, 10.0);
  EXPECT_DOUBLE_EQ(lines[1].at_ms, 30.0);
  EXPECT_EQ(log.tail(1), std::vector<std::string>{"world"});
  EXPECT_EQ(read(tmp.path() / "serial.log"), "\x1b[0mhello\nworld\n");
}

TEST(ConsoleLog, CapsTheRawFileAndSaysTheGuestFlooded) {
  testing::TempDir tmp;
  const auto now = ConsoleLog::Clock::now();
  ConsoleLog log(tmp.path() / "serial.log", now, {.max_raw_bytes = 1000});
  const std::string chunk(300, 'a');
  for (int i = 0; i < 100; ++i) log.append(chunk + "\n", now);
  ASSERT_TRUE(log.flooded());
  EXPECT_EQ(*log.flooded(), "the guest flooded its console: more than 1000 bytes");
  EXPECT_EQ(log.bytes_seen(), 100u * 301u);
  const std::string raw = read(tmp.path() / "serial.log");
  EXPECT_EQ(raw.substr(0, 1000),
            (chunk + "\n" + chunk + "\n" + chunk + "\n") + chunk.substr(0, 97));
  EXPECT_NE(raw.find("[romharness: serial.log capped here; the guest flooded"), std::string::npos);
  EXPECT_LT(raw.size(), 1200u);
}

TEST(ConsoleLog, CapsLinesAndLineLength) {
  const auto now = ConsoleLog::Clock::now();
  ConsoleLog many({}, now, {.max_lines = 10});
  for (int i = 0; i < 50; ++i) many.append("line\n", now);
  EXPECT_EQ(many.line_count(), 10u);
  EXPECT_EQ(*many.flooded(), "the guest flooded its console: more than 10 lines");
  ConsoleLog wide({}, now, {.max_line_length = 100});
  wide.append(std::string(500, 'x'), now);
  EXPECT_EQ(*wide.flooded(), "the guest flooded its console: a line longer than 100 characters");
}

TEST(ConsoleLog, WaitForMoreReturnsOnceFinished) {
  const auto now = ConsoleLog::Clock::now();
  ConsoleLog log({}, now);
  log.append("unterminated", now);
  log.finish();
  log.wait_for_more(0, ConsoleLog::Clock::now() + std::chrono::hours(1));  // must not block
  EXPECT_EQ(log.line_count(), 1u);
}

}  // namespace
}  // namespace rh
