// Which scenarios one shard of a run boots. Every shard of a run loads the
// same files, sorts the expanded names and takes every N-th one, so shards
// agree without talking to each other and their sizes differ by at most one.
// A shard's number comes from --shard I/N or from the conventions CI systems
// already set:
//
//   GitLab `parallel:`     CI_NODE_INDEX (1-based) / CI_NODE_TOTAL
//   GoogleTest, ctest      GTEST_SHARD_INDEX (0-based) / GTEST_TOTAL_SHARDS
//
//   auto shard = shard_from_environment(std::getenv);  // {2, 3}: shard 2 of 3
//   auto mine = select_shard(all, *shard);
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/scenario.h"

namespace rh {

struct ShardNumber {
  int index = 1;  // 1-based, as --shard I/N and GitLab count
  int total = 1;
  std::string source;  // "--shard", "CI_NODE_INDEX/CI_NODE_TOTAL", ...
};

// "2/3" -> {2, 3}; InputError naming `source` and the text otherwise.
ShardNumber parse_shard(const std::string& text, const std::string& source = "--shard");

using Getenv = std::function<const char*(const char*)>;
// The CI system's shard, if it set one (InputError on a malformed value).
std::optional<ShardNumber> shard_from_environment(const Getenv& getenv);

// The scenarios of `shard`, in their original order.
std::vector<Scenario> select_shard(const std::vector<Scenario>& all, const ShardNumber& shard);

}  // namespace rh
