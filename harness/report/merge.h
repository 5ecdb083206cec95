// `report --merge`: the shards of one run (--shard I/N, each with its own
// report directory) combined into one run, as if one machine had run it.
//
//   RunResult whole = merge_runs({{"shard-1", r1}, {"shard-2", r2}}, "merged");
//
// Scenario artifacts stay where the shards wrote them; their paths are
// rewritten relative to the merged report's directory. A scenario present in
// two shards is an error (the shards were not of the same run, or overlapped).
#pragma once

#include <filesystem>
#include <vector>

#include "harness/core/result.h"

namespace rh {

struct ShardReport {
  std::filesystem::path dir;  // the shard's report directory (holds results.json)
  RunResult run;
};

RunResult merge_runs(const std::vector<ShardReport>& shards, const std::filesystem::path& out_dir);

}  // namespace rh
