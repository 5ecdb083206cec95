#include "harness/cli/args.h"

#include <gtest/gtest.h>

#include "harness/core/error.h"

namespace rh {
namespace {

TEST(Args, FlagsAndPositionals) {
  Args a({"scenarios", "-j", "2", "--report-dir=out", "--verbose", "x.yaml"});
  EXPECT_EQ(a.int_flag({"-j", "--jobs"}, 1, 1, 64), 2);
  EXPECT_EQ(a.string_flag({"--report-dir"}, "reports"), "out");
  EXPECT_TRUE(a.bool_flag({"--verbose"}));
  EXPECT_EQ(a.positionals(), (std::vector<std::string>{"scenarios", "x.yaml"}));
}

TEST(Args, ErrorsNameTheFlagAndValue) {
  Args bad_number({"-j", "many"});
  try {
    bad_number.int_flag({"-j", "--jobs"}, 1, 1, 64);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "option '-j' needs a whole number from 1 to 64, got 'many'");
  }
  Args unknown({"--colour"});
  EXPECT_THROW(unknown.positionals(), InputError);
  Args missing({"--filter"});
  EXPECT_THROW(missing.value_flag({"--filter"}), InputError);
}

}  // namespace
}  // namespace rh
