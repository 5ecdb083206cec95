#include "harness/vm/serial_log.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(SerialLog, StripsEscapesBackspacesAndCarriageReturns) {
  // As SeaBIOS sercon and iPXE really print (captured from a boot).
  const auto lines = clean_console_lines(
      "\x1b"
      "c\x1b[?7l\x1b[2J\x1b[0mSeaBIOS (version 1.16.2)\r\n"
      "\x1b[0;1miPXE 1.0.0\x1b[0m -- Open Source\r\n"
      "Press Ctrl-B...\b \b\b \bnet0: 52:54:00:12:34:56 using vmxnet3\r\n\r\n"
      "no newline at end");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "SeaBIOS (version 1.16.2)");
  EXPECT_EQ(lines[1], "iPXE 1.0.0 -- Open Source");
  EXPECT_EQ(lines[2], "Press Ctrl-B.net0: 52:54:00:12:34:56 using vmxnet3");
  EXPECT_EQ(lines[3], "no newline at end");
}

TEST(SerialLog, AResetOrClearEndsTheLine) {
  // Captured: iPXE's "ok" cut short when Linux took over the serial port.
  const auto lines = clean_console_lines(
      "http://10.0.0.1:33347/initrd.img... o\x1b"
      "c\x1b[?7l\x1b[2JROMHARNESS-USERSPACE uptime=1.28\r\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "http://10.0.0.1:33347/initrd.img... o");
  EXPECT_EQ(lines[1], "ROMHARNESS-USERSPACE uptime=1.28");
}

TEST(SerialLog, JoinsLinesWrappedAtTheScreenWidth) {
  const std::string eighty =
      "http://10.0.0.1:38293/boot.ipxe.................. Connection timed out (https://";
  ASSERT_EQ(eighty.size(), 80u);
  const auto lines = clean_console_lines(eighty + "\r\nipxe.org/4c0a6035)\r\nnext\r\n", 80);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], eighty + "ipxe.org/4c0a6035)");
  EXPECT_EQ(clean_console_lines(eighty + "\nx\n").size(), 2u) << "no joining without a width";
}

TEST(SerialLog, TimesALineByItsFirstByte) {
  const auto origin = SerialLog::Clock::now();
  SerialLog log("/dev/null", origin);
  log.append("he", origin + std::chrono::milliseconds(10));
  log.append("llo\nworld\n", origin + std::chrono::milliseconds(30));
  const auto lines = log.lines_from(0);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_DOUBLE_EQ(lines[0].at_ms, 10.0);
  EXPECT_DOUBLE_EQ(lines[1].at_ms, 30.0);
  EXPECT_EQ(log.tail(1), std::vector<std::string>{"world"});
}

}  // namespace
}  // namespace rh
