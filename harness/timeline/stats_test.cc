#include "harness/timeline/stats.h"

#include <gtest/gtest.h>

namespace rh {
namespace {

TEST(StatsTest, MedianAndP95Interpolate) {
  Stats s = compute_stats({5, 1, 4, 2, 3});
  EXPECT_EQ(s.count, 5);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.p95, 4.8);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.spread(), 1.8);
}

TEST(StatsTest, EvenCountMedianIsTheMean) {
  EXPECT_DOUBLE_EQ(compute_stats({10, 20, 30, 40}).median, 25);
}

TEST(StatsTest, OneSampleHasNoSpread) {
  Stats s = compute_stats({1234.5});
  EXPECT_DOUBLE_EQ(s.median, 1234.5);
  EXPECT_DOUBLE_EQ(s.p95, 1234.5);
  EXPECT_DOUBLE_EQ(s.spread(), 0);
}

TEST(StatsTest, EmptyIsZeroCount) { EXPECT_EQ(compute_stats({}).count, 0); }

TEST(StatsTest, SummarisePerPhase) {
  auto s = summarise({{"kernel-start", {1200, 1180, 1500}}, {"rom-banner", {100}}});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s["kernel-start"].median, 1200);
  EXPECT_DOUBLE_EQ(s["kernel-start"].p95, 1470);
  EXPECT_DOUBLE_EQ(s["rom-banner"].median, 100);
}

}  // namespace
}  // namespace rh
