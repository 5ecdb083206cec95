#include "harness/runner/shard_selection.h"

#include <gtest/gtest.h>

#include <map>

#include "harness/core/error.h"

namespace rh {
namespace {

std::vector<Scenario> named(const std::vector<std::string>& names) {
  std::vector<Scenario> out;
  for (const auto& n : names) out.push_back(Scenario{.name = n});
  return out;
}

std::vector<std::string> names_of(const std::vector<Scenario>& scenarios) {
  std::vector<std::string> out;
  for (const auto& s : scenarios) out.push_back(s.name);
  return out;
}

Getenv env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(ShardSelection, ShardsPartitionTheRunAndKeepItsOrder) {
  const auto all = named({"smoke/e", "smoke/a", "smoke/d", "smoke/b", "smoke/c", "smoke/f", "g"});
  std::map<std::string, int> seen;
  std::size_t largest = 0;
  std::size_t smallest = all.size();
  for (int i = 1; i <= 3; ++i) {
    const auto mine = select_shard(all, {i, 3});
    largest = std::max(largest, mine.size());
    smallest = std::min(smallest, mine.size());
    for (const auto& s : mine) ++seen[s.name];
  }
  EXPECT_EQ(seen.size(), all.size());
  for (const auto& [name, times] : seen) EXPECT_EQ(times, 1) << name;
  EXPECT_LE(largest - smallest, 1U);
  EXPECT_EQ(names_of(select_shard(all, {1, 1})), names_of(all));
}

TEST(ShardSelection, AssignmentDependsOnNamesNotOnTheOrderFilesWereRead) {
  const auto forward = select_shard(named({"a", "b", "c", "d"}), {2, 2});
  const auto backward = select_shard(named({"d", "c", "b", "a"}), {2, 2});
  EXPECT_EQ(names_of(forward), (std::vector<std::string>{"b", "d"}));
  EXPECT_EQ(names_of(backward), (std::vector<std::string>{"d", "b"}));
}

TEST(ShardSelection, ParsesIOverN) {
  const auto s = parse_shard("2/3");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.total, 3);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "2/3x", "/3", ""}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos);
    }
  }
}

TEST(ShardSelection, ReadsGitLabAndGoogleTestConventions) {
  const auto gitlab = shard_from_environment(env({{"CI_NODE_INDEX", "3"}, {"CI_NODE_TOTAL", "3"}}));
  ASSERT_TRUE(gitlab);
  EXPECT_EQ(gitlab->index, 3);
  EXPECT_EQ(gitlab->source, "CI_NODE_INDEX/CI_NODE_TOTAL");
  const auto gtest =
      shard_from_environment(env({{"GTEST_SHARD_INDEX", "0"}, {"GTEST_TOTAL_SHARDS", "2"}}));
  ASSERT_TRUE(gtest);
  EXPECT_EQ(gtest->index, 1);  // GoogleTest counts from 0
  EXPECT_EQ(gtest->total, 2);
  EXPECT_FALSE(shard_from_environment(env({{"CI_NODE_INDEX", "1"}})));
  EXPECT_THROW(shard_from_environment(env({{"CI_NODE_INDEX", "4"}, {"CI_NODE_TOTAL", "3"}})),
               InputError);
}

}  // namespace
}  // namespace rh
