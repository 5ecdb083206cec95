#include "harness/timeline/serial_text.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(SerialTextTest, DropsColourAndClearScreenSequences) {
  EXPECT_EQ(clean_serial_line("\x1b"
                              "c\x1b[?7l\x1b[2J\x1b[0mSeaBIOS (version 1.16.2)"),
            "SeaBIOS (version 1.16.2)");
  EXPECT_EQ(clean_serial_line("\x1b[0;1miPXE 1.0.0\x1b[0m -- Open"), "iPXE 1.0.0 -- Open");
}

TEST(SerialTextTest, AppliesBackspacesOfTheSpinner) {
  EXPECT_EQ(clean_serial_line("Press Ctrl-B...\b \b\b \b"), "Press Ctrl-B...");
  EXPECT_EQ(clean_serial_line("abc\bd"), "abd");
}

TEST(SerialTextTest, DropsOtherControlsKeepsTabsAndTrimsTheEnd) {
  EXPECT_EQ(clean_serial_line("a\x01\tb\r  "), "a\tb");
}

TEST(SerialTextTest, OscAndUnterminatedEscapes) {
  EXPECT_EQ(clean_serial_line("x\x1b]0;title\ay"), "xy");
  EXPECT_EQ(clean_serial_line("tail\x1b["), "tail");
}

}  // namespace
}  // namespace rh
