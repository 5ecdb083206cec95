#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/parse_for_test.h"

namespace rh {
namespace {
using testing::cli;
using ::testing::HasSubstr;
using testing::parse;

TEST(BisectOptions, ReadsRangeVariantBudgetAndBackend) {
  auto p = parse({"bisect", "s.yaml", "--ipxe-src", "/src/ipxe", "--good=v1.21.1", "--bad",
                  "master", "--variant", "vmware-min/vmxnet3/bios", "--budget", "58880", "--repeat",
                  "2", "-j2", "--accel=tcg"});
  const BisectOptions& b = p->options.bisect;
  EXPECT_EQ(b.scenario, "s.yaml");
  EXPECT_EQ(b.ipxe_src, "/src/ipxe");
  EXPECT_EQ(b.good, "v1.21.1");
  EXPECT_EQ(b.bad, "master");
  EXPECT_EQ(b.variant, "vmware-min/vmxnet3/bios");
  EXPECT_EQ(b.budget_bytes, 58880U);
  EXPECT_EQ(b.run.repeat, 2);
  EXPECT_EQ(b.build_jobs, 2);
  EXPECT_EQ(b.backend_options.accel, "tcg");
  const auto r = cli({"bisect", "s.yaml", "--good", "a"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--bad"));
}

}  // namespace
}  // namespace rh
