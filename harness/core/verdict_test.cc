#include "harness/core/verdict.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(Verdict, RoundTripsNames) {
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kTimeout, Verdict::kUnresolved,
                    Verdict::kUnsupported, Verdict::kXFail, Verdict::kXPass, Verdict::kFlaky}) {
    EXPECT_EQ(verdict_from_string(to_string(v)), v);
  }
  EXPECT_EQ(verdict_from_string("pass"), std::nullopt);
}

TEST(Verdict, KnowsWhichAreFailures) {
  EXPECT_FALSE(is_failure(Verdict::kPass));
  EXPECT_FALSE(is_failure(Verdict::kXFail));
  EXPECT_FALSE(is_failure(Verdict::kUnsupported));
  EXPECT_TRUE(is_failure(Verdict::kFail));
  EXPECT_TRUE(is_failure(Verdict::kXPass));
  EXPECT_TRUE(is_failure(Verdict::kTimeout));
  EXPECT_TRUE(is_failure(Verdict::kUnresolved));
  EXPECT_TRUE(is_failure(Verdict::kFlaky));
  EXPECT_FALSE(is_failure(Verdict::kFlaky, /*allow_flaky=*/true));
}

}  // namespace
}  // namespace rh
