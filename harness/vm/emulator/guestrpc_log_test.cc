#include "harness/vm/emulator/guestrpc_log.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(GuestRpcLog, ParsesACallWithEscapes) {
  const auto origin = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(1'000'000));
  GuestRpcCall c;
  ASSERT_TRUE(parse_guestrpc_line(R"(3500000 ch=0 request "log a\tb\x41\"q")", origin, c));
  EXPECT_EQ(c.kind, "request");
  EXPECT_EQ(c.text, "log a\tbA\"q");
  EXPECT_DOUBLE_EQ(c.at_ms, 2.5);
}

TEST(GuestRpcLog, RefusesWhatIsNotACall) {
  GuestRpcCall c;
  const auto origin = std::chrono::steady_clock::time_point();
  EXPECT_FALSE(parse_guestrpc_line("", origin, c));
  EXPECT_FALSE(parse_guestrpc_line("# capped: 1000 calls dropped", origin, c));
  EXPECT_FALSE(parse_guestrpc_line("12x ch=0 request \"x\"", origin, c));
  EXPECT_FALSE(parse_guestrpc_line("12 channel request \"x\"", origin, c));
  EXPECT_TRUE(parse_guestrpc_line("12 ch=1 open", origin, c));
  EXPECT_EQ(c.text, "");
  EXPECT_TRUE(parse_guestrpc_line(R"(12 ch=1 reply "\x4")", origin, c)) << "a cut escape";
}

}  // namespace
}  // namespace rh
