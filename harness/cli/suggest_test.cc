#include "harness/cli/suggest.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("run", ""), 3u);
  EXPECT_EQ(edit_distance("--acel", "--accel"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("rnu", "run"), 2u);
}

TEST(Suggest, NearestWithinReach) {
  EXPECT_EQ(nearest("--acel", {"--filter", "--accel", "--jobs"}), "--accel");
  EXPECT_EQ(nearest("boot", {"run", "list", "build"}), "");
  EXPECT_EQ(nearest("--report-dri", {"--report-dir", "--repeat"}), "--report-dir");
  EXPECT_EQ(nearest("x", {}), "");
}

}  // namespace
}  // namespace rh
