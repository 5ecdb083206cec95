#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/parse_for_test.h"

namespace rh {
namespace {
using testing::cli;
using ::testing::HasSubstr;
using testing::parse;

TEST(InspectOptions, FilesAndJson) {
  const auto p = parse({"inspect", "a.rom", "--json", "b.mrom"});
  EXPECT_EQ(p->options.inspect.files, (std::vector<std::string>{"a.rom", "b.mrom"}));
  EXPECT_TRUE(p->options.inspect.json);
  EXPECT_FALSE(parse({"inspect", "a.rom"})->options.inspect.json);
}

TEST(InspectOptions, UsageErrorsExitTwo) {
  auto r = cli({"inspect"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness inspect: files is required"));
  r = cli({"inspect", "--jsn", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "romharness inspect: unknown option '--jsn' (did you mean '--json'? see romharness "
            "inspect --help)\n");
}

TEST(BuildOptions, EveryOption) {
  const auto p = parse({"build", "vmware-min", "full", "--ipxe-src=/src", "-j2", "--nic", "vmxnet3",
                        "--nic", "e1000e", "--platform", "bios", "--feature-cost", "--json",
                        "--cache", "/c", "--variants", "v.yaml"});
  const BuildOptions& b = p->options.build;
  EXPECT_EQ(b.sets, (std::vector<std::string>{"vmware-min", "full"}));
  EXPECT_EQ(b.context.ipxe_src, "/src");
  EXPECT_EQ(b.context.jobs, 2);
  EXPECT_EQ(b.nics, (std::vector<std::string>{"vmxnet3", "e1000e"}));
  EXPECT_EQ(b.platforms, std::vector<std::string>{"bios"});
  EXPECT_TRUE(b.feature_cost);
  EXPECT_TRUE(b.json);
  EXPECT_EQ(b.context.cache_dir, "/c");
  EXPECT_EQ(b.context.variants, "v.yaml");
}

TEST(BuildOptions, DefaultsAndJobForms) {
  const auto p = parse({"build"});
  EXPECT_TRUE(p->options.build.sets.empty());
  EXPECT_EQ(p->options.build.context.jobs, 1);
  EXPECT_EQ(p->options.build.context.variants, "rom-builds");
  EXPECT_EQ(parse({"build", "-j", "3"})->options.build.context.jobs, 3);
  EXPECT_EQ(cli({"build", "-j0"}).code, 2);
}

}  // namespace
}  // namespace rh
