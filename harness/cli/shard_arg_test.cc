#include "harness/cli/shard_arg.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"

namespace rh {
namespace {

TEST(ShardArg, ParsesIOfN) {
  const Shard s = parse_shard("2/3");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.total, 3);
  EXPECT_EQ(parse_shard("1/1").total, 1);
  EXPECT_EQ(parse_shard("10/12").index, 10);
}

TEST(ShardArg, RejectsWithTheValue) {
  for (const char* bad :
       {"", "/", "3", "0/3", "4/3", "1/0", "a/2", "1/b", " 1/2", "1/2x", "-1/2"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()),
                "--shard needs I/N with 1 <= I <= N (e.g. 2/3), got '" + std::string(bad) + "'");
    }
  }
}

}  // namespace
}  // namespace rh
