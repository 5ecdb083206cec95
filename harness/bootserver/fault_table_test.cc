#include "harness/bootserver/fault_table.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(FaultTable, AfterAndTimesCountMatchingRequests) {
  FaultTable table(
      {HttpFault{.name = "second-only", .path = "/k", .status = 500, .after = 1, .times = 1},
       HttpFault{.name = "fallback", .path = "/*", .status = 404}});
  EXPECT_EQ(table.match("/k")->name, "fallback");     // 1st: second-only not yet active
  EXPECT_EQ(table.match("/k")->name, "second-only");  // 2nd
  EXPECT_EQ(table.match("/k")->name, "fallback");     // 3rd: times used up
  EXPECT_EQ(table.match("/other")->name, "fallback");
  FaultTable none({HttpFault{.path = "/k", .status = 500, .times = 2}});
  EXPECT_NE(none.match("/k"), nullptr);
  EXPECT_NE(none.match("/k"), nullptr);
  EXPECT_EQ(none.match("/k"), nullptr);
}

}  // namespace
}  // namespace rh
