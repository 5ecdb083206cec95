#include "harness/console/console_decoder.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(ConsoleDecoder, StripsEscapesBackspacesAndCarriageReturns) {
  // As SeaBIOS sercon and iPXE really print (captured from a boot).
  const auto lines = console_lines(
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

TEST(ConsoleDecoder, AResetOrClearEndsTheLine) {
  // Captured: iPXE's "ok" cut short when Linux took over the serial port.
  const auto lines = console_lines(
      "http://10.0.0.1:33347/initrd.img... o\x1b"
      "c\x1b[?7l\x1b[2JROMHARNESS-USERSPACE uptime=1.28\r\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "http://10.0.0.1:33347/initrd.img... o");
  EXPECT_EQ(lines[1], "ROMHARNESS-USERSPACE uptime=1.28");
}

TEST(ConsoleDecoder, JoinsLinesWrappedAtTheScreenWidth) {
  const std::string eighty =
      "http://10.0.0.1:38293/boot.ipxe.................. Connection timed out (https://";
  ASSERT_EQ(eighty.size(), 80u);
  const auto lines = console_lines(eighty + "\r\nipxe.org/4c0a6035)\r\nnext\r\n", 80);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], eighty + "ipxe.org/4c0a6035)");
  const std::string plain(80, 'x');
  EXPECT_EQ(console_lines(plain + "\ny\n").size(), 2u) << "no joining without a width";
  EXPECT_EQ(console_lines(plain + "\ny\n", 80).size(), 1u);
}

TEST(ConsoleDecoder, AnErrorUrlBrokenByANarrowScreenIsJoinedOnce) {
  const auto lines =
      console_lines("Could not boot (https://\nipxe.org/2d0c613b)\nnext (http\nx\ny\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "Could not boot (https://ipxe.org/2d0c613b)");
  EXPECT_EQ(lines[1], "next (httpx") << "one join at most";
  EXPECT_EQ(lines[2], "y");
}

TEST(ConsoleDecoder, DropsOtherControlsKeepsTabsAndTrimsTheEnd) {
  EXPECT_EQ(clean_console_line("a\x01\tb\r \x7f "), "a\tb");
  EXPECT_EQ(clean_console_line("abc\bd"), "abd");
}

TEST(ConsoleDecoder, OscAndUnterminatedEscapes) {
  EXPECT_EQ(clean_console_line("x\x1b]0;title\ay"), "xy");
  EXPECT_EQ(clean_console_line("x\x1b]0;title\x1b\\y"), "xy");
  EXPECT_EQ(clean_console_line("tail\x1b["), "tail");
}

TEST(ConsoleDecoder, TimesALineByItsFirstVisibleByteAndAfreshWhenErased) {
  ConsoleDecoder d;
  std::vector<ConsoleLine> out;
  d.feed("\x1b[0m", 1.0, out);
  d.feed("Press Ctrl-B", 10.0, out);
  d.feed(std::string(12, '\b'), 2000.0, out);  // the prompt erases itself
  d.feed("net0: 10.0.0.10/255.255.255.0\n", 2001.0, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "net0: 10.0.0.10/255.255.255.0");
  EXPECT_DOUBLE_EQ(out[0].at_ms, 2001.0);
}

}  // namespace
}  // namespace rh
