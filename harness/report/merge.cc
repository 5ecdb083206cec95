#include "harness/report/merge.h"

#include <algorithm>
#include <map>

#include "harness/core/error.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

void add_unique(std::vector<std::string>& into, const std::vector<std::string>& more) {
  for (const auto& m : more) {
    if (std::find(into.begin(), into.end(), m) == into.end()) into.push_back(m);
  }
}

std::string relocated(const std::string& path, const fs::path& shard_dir, const fs::path& out) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return fs::proximate(fs::absolute(shard_dir / path), fs::absolute(out)).generic_string();
}

ScenarioResult relocate(ScenarioResult s, const fs::path& shard_dir, const fs::path& out) {
  for (auto& [name, path] : s.artifacts) path = relocated(path, shard_dir, out);
  for (auto& r : s.retried) r.artifacts_dir = relocated(r.artifacts_dir, shard_dir, out);
  return s;
}

// Times are ISO 8601 UTC of one format: their text order is their time order.
void widen_span(RunResult& whole, const RunResult& part) {
  if (whole.started_at.empty() || part.started_at < whole.started_at) {
    whole.started_at = part.started_at;
  }
  whole.finished_at = std::max(whole.finished_at, part.finished_at);
}

}  // namespace

RunResult merge_runs(const std::vector<ShardReport>& shards, const fs::path& out_dir) {
  if (shards.empty()) throw InputError("report --merge: no shard directories given");
  RunResult whole;
  whole.run_id = shards.front().run.run_id;
  whole.host = shards.front().run.host;
  whole.command_line = shards.front().run.command_line;
  std::map<std::string, fs::path> first_seen;
  for (const auto& shard : shards) {
    widen_span(whole, shard.run);
    whole.interrupted = whole.interrupted || shard.run.interrupted;
    add_unique(whole.warnings, shard.run.warnings);
    add_unique(whole.notices, shard.run.notices);
    if (shard.run.host != whole.host) add_unique(whole.notices, {"shard host: " + shard.run.host});
    for (const auto& s : shard.run.scenarios) {
      const auto [it, fresh] = first_seen.emplace(s.name, shard.dir);
      if (!fresh) {
        throw InputError("report --merge: scenario '" + s.name + "' is in both " +
                         it->second.string() + " and " + shard.dir.string() +
                         " (shards of different runs, or overlapping --shard numbers?)");
      }
      whole.scenarios.push_back(relocate(s, shard.dir, out_dir));
    }
  }
  std::sort(whole.scenarios.begin(), whole.scenarios.end(),
            [](const ScenarioResult& a, const ScenarioResult& b) { return a.name < b.name; });
  return whole;
}

}  // namespace rh
